/**
 * The RealNameRegistry mapping on real events (see scenario.ts): attestations on every issuance path, their
 * replacement and renunciation, reconfirmation, disclosure, Merkle roots anchored, claimed and cancelled, the key
 * that acted in each event, and cancelled signatures, on PGlite and on a Postgres server.
 */
import { expect } from "chai";
import { ZeroHash } from "ethers";

import { describeScenario, attestationId, lower, merkleRootId, NULLIFIER, SCOPE } from "./scenario.ts";

describeScenario("subgraph RealNameRegistry mapping on real events", (scenario) => {
  it("records attestations on every issuance path with the acting key and their status bits", async () => {
    const { subgraph, names: n, root } = scenario();
    const data = await subgraph.query<{ attestations: Record<string, unknown>[] }>(
      `query ($issuer: String!) {
        attestations(where: { issuer: $issuer }, orderBy: statusIndex) {
          id statusIndex path level identity { id } owner actor current renounced revoked suspended disclosedName
          merkleRoot { id }
        }
      }`,
      { issuer: n.issuer },
    );
    // Status 4 (a leaf revoked before its claim) and 7 (the cancelled root's leaf) never became attestations.
    const expected = [
      [0, n.holder, "Direct", 2, n.holder, n.veriKey, false, false, false, true, "Li Si"],
      [1, n.alice, "Batch", 1, n.other, n.issuer, true, false, false, true, null],
      [2, n.bob, "Batch", 1, n.bob, n.issuer, true, false, true, false, null],
      [3, n.carol, "Signed", 3, n.carol, n.veriKey, false, true, false, false, null],
      [5, n.erin, "MerkleClaim", 2, n.erin, n.veriKey, true, false, false, false, null],
      [6, n.frank, "Direct", 1, n.frank, n.issuer, true, false, true, false, null],
    ] as const;
    expect(data.attestations).to.deep.equal(
      expected.map(
        ([index, identity, path, level, owner, actor, current, renounced, revoked, suspended, disclosedName]) => ({
          id: attestationId(n.issuer, index),
          statusIndex: String(index),
          path,
          level,
          identity: { id: identity },
          owner,
          actor,
          current,
          renounced,
          revoked,
          suspended,
          disclosedName,
          merkleRoot: path === "MerkleClaim" ? { id: merkleRootId(n.issuer, root) } : null,
        }),
      ),
    );
  });

  it("replaces an identity's attestation and says what the replacement removed", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<{ identity: Record<string, unknown>; attestationEvents: unknown[] }>(
      `query ($id: ID!, $ref: String!) {
        identity(id: $id) {
          attestation { id issuer { id } current }
          attestations(orderBy: createdAtBlock) { id current replacedBy { id } }
          disclosures { realName issuer { id } attestation { id } }
        }
        attestationEvents(where: { identity: $ref }, orderBy: blockNumber) {
          __typename blockNumber attestation { id }
          ... on Attested { path level issuer { id } actor statusIndex owner }
          ... on Disclosed { realName }
          ... on AttestationReplaced {
            previousIssuer { id } previousLevel disclosureRemoved releasedScope releasedNullifier
          }
        }
      }`,
      { id: n.holder, ref: n.holder },
    );
    const first = attestationId(n.issuer, 0);
    const second = attestationId(n.lowIssuer, 0);
    expect(data.identity).to.deep.equal({
      attestation: { id: second, issuer: { id: n.lowIssuer }, current: true },
      attestations: [
        { id: first, current: false, replacedBy: { id: second } },
        { id: second, current: true, replacedBy: null },
      ],
      disclosures: [{ realName: "Li Si", issuer: { id: n.issuer }, attestation: { id: first } }],
    });
    expect(data.attestationEvents).to.deep.equal([
      {
        __typename: "Attested",
        blockNumber: String(b.attestHolder),
        attestation: { id: first },
        path: "Direct",
        level: 2,
        issuer: { id: n.issuer },
        actor: n.veriKey,
        statusIndex: "0",
        owner: n.holder,
      },
      { __typename: "Disclosed", blockNumber: String(b.disclose), attestation: { id: first }, realName: "Li Si" },
      {
        __typename: "AttestationReplaced",
        blockNumber: String(b.replaceHolder),
        attestation: { id: first },
        previousIssuer: { id: n.issuer },
        previousLevel: 2,
        // The new commitment drops the disclosure; the unscoped attestation gives the forum's nullifier up.
        disclosureRemoved: true,
        releasedScope: SCOPE,
        releasedNullifier: NULLIFIER,
      },
      {
        __typename: "Attested",
        blockNumber: String(b.replaceHolder),
        attestation: { id: second },
        path: "Direct",
        level: 2,
        issuer: { id: n.lowIssuer },
        actor: n.lowIssuer,
        statusIndex: "0",
        owner: n.holder,
      },
    ]);
  });

  it("records a renunciation: the DID is left without a current attestation", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<Record<string, unknown>>(
      `query ($id: ID!, $at: Int!) {
        identity(id: $id) { attestation { id } attestations { id current renounced } }
        before: identity(id: $id, block: { number: $at }) { attestation { id } }
        attestationRenounceds { identity { id } issuer { id } statusIndex owner attestation { id } blockNumber }
      }`,
      { id: n.carol, at: b.renounceCarol - 1 },
    );
    const carol = attestationId(n.issuer, 3);
    expect(data).to.deep.equal({
      identity: { attestation: null, attestations: [{ id: carol, current: false, renounced: true }] },
      before: { attestation: { id: carol } },
      attestationRenounceds: [
        {
          identity: { id: n.carol },
          issuer: { id: n.issuer },
          statusIndex: "3",
          owner: n.carol,
          attestation: { id: carol },
          blockNumber: String(b.renounceCarol),
        },
      ],
    });
  });

  it("records reconfirmations, issuer-keyed Merkle roots, their claims by status index and a cancellation", async () => {
    const { subgraph, names: n, blocks: b, root, cancelledRoot } = scenario();
    const data = await subgraph.query<Record<string, unknown>>(
      `{
        ownerReconfirmeds { identity { id } issuer { id } owner actor attestation { id } blockNumber }
        merkleRoots(orderBy: anchoredAtBlock) {
          id root issuer { id } anchoredBy level firstStatusIndex count uri claimedCount cancelled cancelledAtBlock
          anchoredAtBlock attestations { id }
        }
        merkleRootAnchoreds(orderBy: blockNumber) { root { id } issuer { id } actor blockNumber }
        merkleRootCancelleds { root { id } issuer { id } actor blockNumber }
        merkleLeafClaimeds { root { id } issuer { id } statusIndex identity { id } attestation { id } blockNumber }
      }`,
    );
    const claimedId = merkleRootId(n.issuer, root);
    const cancelledId = merkleRootId(n.issuer, cancelledRoot);
    expect(data).to.deep.equal({
      ownerReconfirmeds: [
        {
          identity: { id: n.alice },
          issuer: { id: n.issuer },
          owner: n.other,
          actor: n.veriKey,
          attestation: { id: attestationId(n.issuer, 1) },
          blockNumber: String(b.reconfirm),
        },
      ],
      merkleRoots: [
        {
          id: claimedId,
          root,
          issuer: { id: n.issuer },
          anchoredBy: n.veriKey,
          level: 2,
          firstStatusIndex: "4",
          count: "2",
          uri: "ipfs://batch",
          claimedCount: 1,
          cancelled: false,
          cancelledAtBlock: null,
          anchoredAtBlock: String(b.anchor),
          attestations: [{ id: attestationId(n.issuer, 5) }],
        },
        {
          id: cancelledId,
          root: cancelledRoot,
          issuer: { id: n.issuer },
          anchoredBy: n.issuer,
          level: 1,
          firstStatusIndex: "7",
          count: "1",
          uri: "ipfs://gone",
          claimedCount: 0,
          cancelled: true,
          cancelledAtBlock: String(b.cancelRoot),
          anchoredAtBlock: String(b.anchorCancelled),
          attestations: [],
        },
      ],
      merkleRootAnchoreds: [
        { root: { id: claimedId }, issuer: { id: n.issuer }, actor: n.veriKey, blockNumber: String(b.anchor) },
        {
          root: { id: cancelledId },
          issuer: { id: n.issuer },
          actor: n.issuer,
          blockNumber: String(b.anchorCancelled),
        },
      ],
      merkleRootCancelleds: [
        { root: { id: cancelledId }, issuer: { id: n.issuer }, actor: n.veriKey, blockNumber: String(b.cancelRoot) },
      ],
      merkleLeafClaimeds: [
        {
          root: { id: claimedId },
          issuer: { id: n.issuer },
          statusIndex: "5",
          identity: { id: n.erin },
          attestation: { id: attestationId(n.issuer, 5) },
          blockNumber: String(b.claim),
        },
      ],
    });
  });

  it("answers everything one key did, across registries", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<{
      actorEvents: { __typename: string; blockNumber: string }[];
      attestations: { id: string }[];
      statusChangeds: { index: string }[];
    }>(
      `query ($key: Bytes!) {
        actorEvents(where: { actor: $key }, orderBy: blockNumber) { __typename blockNumber }
        attestations(where: { actor: $key }, orderBy: statusIndex) { id }
        statusChangeds(where: { actor: $key }, orderBy: blockNumber) { index }
      }`,
      { key: n.veriKey },
    );
    expect(data.actorEvents.map((event) => [event.__typename, event.blockNumber])).to.deep.equal(
      (
        [
          ["Attested", "attestHolder"],
          ["Attested", "attestSigned"],
          ["MerkleRootAnchored", "anchor"],
          ["StatusChanged", "revokeLeaf"],
          // A claim names the key that anchored the root.
          ["Attested", "claim"],
          ["MerkleRootCancelled", "cancelRoot"],
          ["OwnerReconfirmed", "reconfirm"],
          ["StatusWordChanged", "suspendMany"],
          ["StatusWordChanged", "suspendMany"],
          ["StatusChanged", "suspendSigned"],
          ["SignaturesCancelled", "cancelAttestations"],
        ] as const
      ).map(([type, step]) => [type, String(b[step])]),
    );
    expect(data.attestations).to.deep.equal([0, 3, 5].map((index) => ({ id: attestationId(n.issuer, index) })));
    expect(data.statusChangeds).to.deep.equal([{ index: "4" }, { index: "1" }]);
  });

  it("records cancelled signatures of both registries with the key that cancelled", async () => {
    const { subgraph, names: n, blocks: b, chain } = scenario();
    const data = await subgraph.query<{ signaturesCancelleds: unknown[] }>(
      "{ signaturesCancelleds(orderBy: blockNumber) { registry authority nonce actor blockNumber } }",
    );
    expect(data.signaturesCancelleds).to.deep.equal([
      {
        registry: lower(await chain.statusRegistry.getAddress()),
        authority: n.issuer,
        // One signed status update consumed nonce 0.
        nonce: "2",
        actor: n.issuer,
        blockNumber: String(b.cancelStatus),
      },
      {
        registry: lower(await chain.realNameRegistry.getAddress()),
        authority: n.issuer,
        nonce: "2",
        actor: n.veriKey,
        blockNumber: String(b.cancelAttestations),
      },
    ]);
  });

  it("keeps scope and nullifier of a scoped attestation", async () => {
    const { subgraph, names: n } = scenario();
    const data = await subgraph.query<{ attestations: unknown[] }>(
      `query ($ids: [Bytes!]!) { attestations(where: { id_in: $ids }, orderBy: statusIndex) { scope nullifier } }`,
      { ids: [attestationId(n.issuer, 0), attestationId(n.issuer, 1)] },
    );
    expect(data.attestations).to.deep.equal([
      { scope: SCOPE, nullifier: NULLIFIER },
      { scope: ZeroHash, nullifier: ZeroHash },
    ]);
  });
});
