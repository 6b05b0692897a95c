/**
 * The DIDRegistry mapping on real events (see scenario.ts): identities, delegates and attributes with their
 * decoded names and ordinals, history, owner changes and deactivation, and graph-node's filters and paging, on
 * PGlite and on a Postgres server.
 */
import { expect } from "chai";
import { hexlify, toUtf8Bytes, ZeroAddress } from "ethers";

import { DAY, SIG_AUTH, YEAR } from "@realdid/testkit/trust";
import {
  attestationId,
  describeScenario,
  DEVICE_KEY,
  lower,
  PUB_KEY_NAME,
  SERVICE_ENDPOINT,
  SERVICE_NAME,
} from "./scenario.ts";

describeScenario("subgraph DIDRegistry mapping on real events", (scenario) => {
  it("reaches the chain head without indexing errors", async () => {
    const { chain, subgraph } = scenario();
    const head = await chain.ethers.provider.getBlock("latest");
    const data = await subgraph.query<{
      _meta: { block: { number: number; hash: string }; hasIndexingErrors: boolean };
    }>("{ _meta { block { number hash } hasIndexingErrors } }");
    expect(data._meta).to.deep.equal({ block: { number: head!.number, hash: head!.hash }, hasIndexingErrors: false });
  });

  it("keeps an identity's delegates and attributes with decoded names, ordinals and revocations", async () => {
    const { subgraph, names: n, blocks: b, timestamps } = scenario();
    const data = await subgraph.query<{ identity: Record<string, unknown> }>(
      `query ($id: ID!) {
        identity(id: $id) {
          owner deactivated changed changedIgnored eventCount delegateCount serviceCount
          delegates {
            delegateType delegateTypeText delegate revoked ordinal since sequence
            previousValidTo firstSequence lowestValidTo
          }
          attributes(orderBy: sequence) {
            nameText section value valueText revoked ordinal since sequence validTo
            previousValidTo firstSequence lowestValidTo
          }
        }
      }`,
      { id: n.holder },
    );
    expect(data.identity).to.deep.equal({
      owner: n.holder,
      deactivated: false,
      changed: String(b.holderRevokeSvc),
      changedIgnored: false,
      eventCount: 5,
      // sigAuth add + revoke and the did/pub key count as delegates; the service and its revocation as services.
      delegateCount: 3,
      serviceCount: 2,
      delegates: [
        {
          delegateType: lower(SIG_AUTH),
          delegateTypeText: "sigAuth",
          delegate: n.other,
          revoked: true,
          ordinal: 3,
          // The revocation continues the run of a grant still valid when it happened.
          since: 1,
          sequence: 4,
          // What places it without its changes: the grant's validity before the revocation, which set the lowest.
          previousValidTo: String(BigInt(timestamps.holderSigAuth) + DAY),
          firstSequence: 1,
          lowestValidTo: String(timestamps.holderRevokeSigAuth),
        },
      ],
      attributes: [
        {
          nameText: PUB_KEY_NAME,
          section: "pub",
          value: DEVICE_KEY,
          valueText: null,
          revoked: false,
          ordinal: 2,
          since: 2,
          sequence: 2,
          validTo: String(BigInt(timestamps.holderPub) + YEAR),
          previousValidTo: null,
          firstSequence: 2,
          lowestValidTo: String(BigInt(timestamps.holderPub) + YEAR),
        },
        {
          nameText: SERVICE_NAME,
          section: "svc",
          value: hexlify(toUtf8Bytes(SERVICE_ENDPOINT)),
          valueText: SERVICE_ENDPOINT,
          revoked: true,
          ordinal: 2,
          since: 3,
          sequence: 5,
          validTo: "0",
          previousValidTo: String(BigInt(timestamps.holderSvc) + YEAR),
          firstSequence: 3,
          lowestValidTo: "0",
        },
      ],
    });
  });

  it("serves an identity's history as typed events in sequence, from the interface and the derived field", async () => {
    const { subgraph, names: n, blocks: b, timestamps } = scenario();
    const selection = `__typename sequence previousChange blockNumber
      ... on DelegateChanged { delegateTypeText delegate validTo }
      ... on AttributeChanged { nameText validTo }
      ... on OwnerChanged { owner }`;
    const data = await subgraph.query<{
      identityEvents: Record<string, unknown>[];
      identity: { events: Record<string, unknown>[] };
    }>(
      `query ($id: ID!, $ref: String!) {
        identityEvents(where: { identity: $ref }, orderBy: sequence) { ${selection} }
        identity(id: $id) { events(orderBy: sequence) { ${selection} } }
      }`,
      { id: n.holder, ref: n.holder },
    );
    const history = data.identityEvents;
    expect(history.map((event) => event.__typename)).to.deep.equal([
      "DelegateChanged",
      "AttributeChanged",
      "AttributeChanged",
      "DelegateChanged",
      "AttributeChanged",
    ]);
    expect(history.map((event) => event.blockNumber)).to.deep.equal(
      ["holderSigAuth", "holderPub", "holderSvc", "holderRevokeSigAuth", "holderRevokeSvc"].map((s) => String(b[s])),
    );
    expect(history.map((event) => event.previousChange)).to.deep.equal([
      "0",
      String(b.holderSigAuth),
      String(b.holderPub),
      String(b.holderSvc),
      String(b.holderRevokeSigAuth),
    ]);
    expect(history[0]).to.include({ delegateTypeText: "sigAuth", delegate: n.other });
    expect(history[3]).to.include({ delegateTypeText: "sigAuth", validTo: String(timestamps.holderRevokeSigAuth) });
    expect(history[4]).to.include({ nameText: SERVICE_NAME, validTo: "0" });
    expect(data.identity.events).to.deep.equal(history);
  });

  it("records owner changes, deactivation and time travel to before them", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<Record<string, { owner: string; deactivated: boolean } | null>>(
      `query ($alice: ID!, $bob: ID!, $before: Int!, $beforeBob: Int!) {
        alice: identity(id: $alice) { owner deactivated }
        aliceBefore: identity(id: $alice, block: { number: $before }) { owner deactivated }
        bob: identity(id: $bob) { owner deactivated }
        bobBefore: identity(id: $bob, block: { number: $beforeBob }) { owner deactivated }
        ownerChangeds(orderBy: blockNumber) { identity { id } owner previousChange }
      }`,
      { alice: n.alice, bob: n.bob, before: b.aliceOwner - 1, beforeBob: b.deactivateBob - 1 },
    );
    expect(data.alice).to.deep.equal({ owner: n.other, deactivated: false });
    expect(data.aliceBefore).to.deep.equal({ owner: n.alice, deactivated: false });
    expect(data.bob).to.deep.equal({ owner: ZeroAddress, deactivated: true });
    expect(data.bobBefore).to.deep.equal({ owner: n.bob, deactivated: false });
    expect(data.ownerChangeds).to.deep.equal([
      { identity: { id: n.alice }, owner: n.other, previousChange: "0" },
      { identity: { id: n.bob }, owner: ZeroAddress, previousChange: "0" },
    ]);
  });

  it("filters, orders and pages like graph-node", async () => {
    const { subgraph, names: n } = scenario();
    const data = await subgraph.query<Record<string, { id: string }[]>>(
      `{
        batch: attestations(where: { path: Batch }, orderBy: statusIndex, orderDirection: desc) { id }
        revokedDelegates: delegates(where: { revoked: true }) { id }
        nested: attestations(where: { identity_: { deactivated: true } }) { id }
        paged: identities(orderBy: createdAtBlock, first: 2, skip: 1) { id }
      }`,
    );
    expect(data.batch).to.deep.equal([{ id: attestationId(n.issuer, 2) }, { id: attestationId(n.issuer, 1) }]);
    expect(data.revokedDelegates).to.have.length(1);
    expect(data.nested).to.deep.equal([{ id: attestationId(n.issuer, 2) }]);
    // Identities by first sight: issuer, lowIssuer (accreditations), then the holder's first DID event.
    expect(data.paged).to.deep.equal([{ id: n.lowIssuer }, { id: n.holder }]);
  });
});
