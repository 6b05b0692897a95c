import { expect } from "chai";

import { A, B, describeQueryApi } from "./graphql-fixture.ts";

describeQueryApi("GraphQL query API: relationships and interfaces", (api) => {
  const { data } = api;

  describe("relationships", () => {
    it("resolves references, list references and derived fields with their own arguments", async () => {
      expect(
        await data(`{
          attestation(id: "0xa7") { level subject { id owner } issuer { name attestations { id } } status { revoked } }
          identity(id: "${A}") {
            delegates(orderBy: validTo, orderDirection: desc) { id validTo identity { id } }
            firstDelegate: delegates(first: 1, where: { validTo_lt: "600" }) { id }
            attestations { id }
          }
          identities(where: { controllers_contains: ["${A}"] }) { id controllers { id name } }
        }`),
      ).to.deep.equal({
        attestation: {
          level: 3,
          subject: { id: A, owner: "0x4444" },
          issuer: { name: "Public Security Bureau", attestations: [{ id: "0xa7" }] },
          status: { revoked: true },
        },
        identity: {
          delegates: [
            { id: "d2", validTo: "700", identity: { id: A } },
            { id: "d1", validTo: "500", identity: { id: A } },
          ],
          firstDelegate: [{ id: "d1" }],
          attestations: [{ id: "0xa7" }],
        },
        identities: [{ id: B, controllers: [{ id: A, name: "Alice" }] }],
      });
    });

    it("fetches a level of relations with one statement instead of one per parent", async () => {
      api.statements.length = 0;
      const result = await data(`{ delegates { identity { id delegates { id } } } }`);
      expect((result.delegates as unknown[]).length).to.equal(3);
      // One for the delegates, one for all their identities, one for all those identities' delegates.
      expect(api.statements).to.have.length(3);
    });
  });

  describe("interfaces", () => {
    it("queries every implementing type through the interface, with type conditions", async () => {
      expect(
        await data(`{
          identityEvents(orderBy: blockNumber) {
            __typename id blockNumber
            ... on OwnerChanged { owner }
            ... on DelegateChanged { delegate validTo }
          }
          identityEvent(id: "0xe2") { __typename identity { id } }
        }`),
      ).to.deep.equal({
        identityEvents: [
          { __typename: "OwnerChanged", id: "0xe1", blockNumber: "1", owner: "0x1111" },
          { __typename: "DelegateChanged", id: "0xe2", blockNumber: "2", delegate: "0xd1", validTo: "500" },
          { __typename: "OwnerChanged", id: "0xe3", blockNumber: "2", owner: "0x4444" },
        ],
        identityEvent: { __typename: "DelegateChanged", identity: { id: A } },
      });
    });

    it("resolves derived fields whose type is an interface", async () => {
      expect(
        await data(
          `{ identity(id: "${A}") { events(where: { blockNumber: "2" }, orderDirection: desc) { __typename id } } }`,
        ),
      ).to.deep.equal({
        identity: {
          events: [
            { __typename: "OwnerChanged", id: "0xe3" },
            { __typename: "DelegateChanged", id: "0xe2" },
          ],
        },
      });
    });
  });
});
