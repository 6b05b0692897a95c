/**
 * The IssuerRegistry mapping on real events (see scenario.ts): the trust list's life cycle and each issuer's
 * maximum attestation lifetime, on PGlite and on a Postgres server.
 */
import { expect } from "chai";

import { LEVEL } from "@realdid/testkit/trust";
import { describeScenario, LOW_LIFETIME } from "./scenario.ts";

/** IssuerRegistry.DEFAULT_MAX_LIFETIME: ten years (3,650 days). */
const DEFAULT_MAX_LIFETIME = String(3_650 * 24 * 60 * 60);

describeScenario("subgraph IssuerRegistry mapping on real events", (scenario) => {
  it("follows the trust list through accreditation, update, lifetime, suspension, reinstatement and removal", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<{ issuers: Record<string, unknown>[]; suspended: { status: string } }>(
      `query ($low: ID!, $suspendedAt: Int!) {
        issuers(orderBy: accreditedAtBlock) {
          id status maxLevel maxLifetime name uri reason attestationCount identity { id } updatedAtBlock
          events(orderBy: blockNumber) {
            __typename blockNumber
            ... on IssuerAccredited { maxLevel name uri }
            ... on IssuerUpdated { maxLevel name uri }
            ... on IssuerMaxLifetimeSet { maxLifetime }
            ... on IssuerSuspended { reason }
            ... on IssuerRemoved { reason }
          }
        }
        suspended: issuer(id: $low, block: { number: $suspendedAt }) { status }
      }`,
      { low: n.lowIssuer, suspendedAt: b.suspendLow },
    );
    const [issuer, low] = data.issuers;
    expect(issuer).to.include({
      id: n.issuer,
      status: "Active",
      maxLevel: 3,
      maxLifetime: DEFAULT_MAX_LIFETIME,
      reason: null,
      attestationCount: 6,
    });
    expect(low).to.deep.include({
      id: n.lowIssuer,
      status: "Removed",
      maxLevel: LEVEL.DOCUMENT,
      maxLifetime: String(LOW_LIFETIME),
      name: "Document Verifier",
      uri: "https://dv",
      reason: "closed",
      attestationCount: 1,
      identity: { id: n.lowIssuer },
      updatedAtBlock: String(b.removeLow),
    });
    expect(low.events).to.deep.equal([
      {
        __typename: "IssuerAccredited",
        blockNumber: String(b.accreditLow),
        maxLevel: 1,
        name: "Contact Verifier",
        uri: "https://cv",
      },
      // Accreditation announces the default lifetime right after the accreditation.
      { __typename: "IssuerMaxLifetimeSet", blockNumber: String(b.accreditLow), maxLifetime: DEFAULT_MAX_LIFETIME },
      {
        __typename: "IssuerUpdated",
        blockNumber: String(b.updateLow),
        maxLevel: 2,
        name: "Document Verifier",
        uri: "https://dv",
      },
      { __typename: "IssuerMaxLifetimeSet", blockNumber: String(b.lifetimeLow), maxLifetime: String(LOW_LIFETIME) },
      { __typename: "IssuerSuspended", blockNumber: String(b.suspendLow), reason: "audit" },
      { __typename: "IssuerReinstated", blockNumber: String(b.reinstateLow) },
      { __typename: "IssuerRemoved", blockNumber: String(b.removeLow), reason: "closed" },
    ]);
    expect(data.suspended).to.deep.equal({ status: "Suspended" });
  });

  it("answers an issuer's lifetime as it was before governance changed it", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<Record<string, { maxLifetime: string }>>(
      `query ($low: ID!, $before: Int!) {
        before: issuer(id: $low, block: { number: $before }) { maxLifetime }
        after: issuer(id: $low) { maxLifetime }
      }`,
      { low: n.lowIssuer, before: b.lifetimeLow - 1 },
    );
    expect(data).to.deep.equal({
      before: { maxLifetime: DEFAULT_MAX_LIFETIME },
      after: { maxLifetime: String(LOW_LIFETIME) },
    });
  });
});
