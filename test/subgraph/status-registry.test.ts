/**
 * The StatusRegistry mapping on real events (see scenario.ts): the four lists of an issuer in 128-status words,
 * statuses set before the attestation holding them exists, credential lists that no attestation holds, the key
 * behind every change, on PGlite and on a Postgres server.
 */
import { expect } from "chai";

import { attestationId, CREDENTIAL_INDEX, describeScenario, word } from "./scenario.ts";

describeScenario("subgraph StatusRegistry mapping on real events", (scenario) => {
  it("keeps the lists of an issuer in 128-status words", async () => {
    const { subgraph, names: n } = scenario();
    const data = await subgraph.query<{ statusLists: unknown[] }>(
      `query ($issuer: String!) {
        statusLists(where: { issuer: $issuer }, orderBy: id) {
          purpose setCount words(orderBy: wordIndex) { wordIndex bits setCount }
        }
      }`,
      { issuer: n.issuer },
    );
    // Status 130 is bit 2 of word 1; credential status 100,000 is bit 32 of word 781.
    expect(data.statusLists).to.deep.equal([
      { purpose: "Revocation", setCount: 3, words: [{ wordIndex: "0", bits: word(2, 4, 6), setCount: 3 }] },
      {
        purpose: "Suspension",
        setCount: 3,
        words: [
          { wordIndex: "0", bits: word(0, 1), setCount: 2 },
          { wordIndex: "1", bits: word(2), setCount: 1 },
        ],
      },
      {
        purpose: "CredentialRevocation",
        setCount: 1,
        words: [
          { wordIndex: String(Math.floor(CREDENTIAL_INDEX / 128)), bits: word(CREDENTIAL_INDEX % 128), setCount: 1 },
        ],
      },
    ]);
  });

  it("records every single change with its key and the attestation holding the status", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<{ statusChangeds: unknown[] }>(
      `query ($issuer: String!) {
        statusChangeds(where: { issuer: $issuer }, orderBy: blockNumber) {
          purpose index value actor blockNumber attestation { id }
        }
      }`,
      { issuer: n.issuer },
    );
    const change = (purpose: string, index: number, actor: string, at: string, attested: boolean) => ({
      purpose,
      index: String(index),
      value: true,
      actor,
      blockNumber: String(b[at]),
      attestation: attested ? { id: attestationId(n.issuer, index) } : null,
    });
    expect(data.statusChangeds).to.deep.equal([
      // Revoked before issuance: no attestation held status 6 yet (frank's is born revoked).
      change("Revocation", 6, n.issuer, "preRevoke", false),
      // A leaf revoked before its claim: never claimed.
      change("Revocation", 4, n.veriKey, "revokeLeaf", false),
      change("Revocation", 2, n.issuer, "revokeBob", true),
      // Relayed by a stranger, signed by the veriKey: the signer acted.
      change("Suspension", 1, n.veriKey, "suspendSigned", true),
      change("CredentialRevocation", CREDENTIAL_INDEX, n.issuer, "revokeCredential", false),
    ]);
  });

  it("announces a batch word by word and mirrors a whole word onto the attestations", async () => {
    const { subgraph, names: n, blocks: b } = scenario();
    const data = await subgraph.query<{ statusWordChangeds: unknown[]; attestations: unknown[] }>(
      `query ($ids: [Bytes!]!) {
        statusWordChangeds(orderBy: blockNumber) { purpose wordIndex bits actor blockNumber }
        attestations(where: { id_in: $ids }, orderBy: statusIndex) { statusIndex suspended }
      }`,
      { ids: [0, 3].map((index) => attestationId(n.issuer, index)) },
    );
    expect(data.statusWordChangeds).to.deep.equal([
      { purpose: "Suspension", wordIndex: "0", bits: word(0, 3), actor: n.veriKey, blockNumber: String(b.suspendMany) },
      { purpose: "Suspension", wordIndex: "1", bits: word(2), actor: n.veriKey, blockNumber: String(b.suspendMany) },
      // Status 3 is lifted (suspension is reversible), status 0 stays.
      { purpose: "Suspension", wordIndex: "0", bits: word(0), actor: n.issuer, blockNumber: String(b.suspendWord) },
    ]);
    expect(data.attestations).to.deep.equal([
      { statusIndex: "0", suspended: true },
      { statusIndex: "3", suspended: false },
    ]);
  });
});
