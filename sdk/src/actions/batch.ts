/**
 * Batch attestation: one `attestBatch` transaction attests up to `MAX_BATCH_SIZE` identities at one level and
 * expiry. Salts and commitments are computed here; names never leave the caller's machine.
 */
import { type ContractTransactionResponse, ZeroHash } from "ethers";

import { RealNameRegistryAbi } from "../abis.generated.js";
import { attestationDataOf } from "./attestations.js";
import { contractOf, decoded, type Client } from "./client.js";

const registry = (client: Client, write = false) =>
  contractOf(client, client.realNameRegistry, RealNameRegistryAbi, write);

/**
 * The largest batch `attestBatch` takes.
 *
 * @example
 * const size = await maxBatchSize(client); // 100 on v1
 */
export async function maxBatchSize(client: Client): Promise<number> {
  return Number(await decoded(() => registry(client).MAX_BATCH_SIZE()));
}

/** One identity of a batch; `salt` defaults to a fresh random one, `owner` to the DID's owner on chain now. */
export interface BatchEntry {
  identity: string;
  realName: string;
  salt?: string;
  owner?: string;
}

/**
 * Attests every entry as `issuer` at one `level` and `expiry` in one transaction (all or none). Returns the
 * transaction and, per entry, the salt to hand its holder and the commitment that went on chain.
 *
 * @example
 * const { tx, entries } = await attestBatch(issuerClient, { issuer, level: 2, expiry, entries: [{ identity, realName: "Zhang San" }] });
 * await tx.wait(); // then give each holder entries[i].salt
 */
export async function attestBatch(
  client: Client,
  p: { issuer: string; level: number; expiry: number; entries: BatchEntry[] },
): Promise<{ tx: ContractTransactionResponse; entries: (BatchEntry & { salt: string; commitment: string })[] }> {
  const entries = await Promise.all(
    p.entries.map(async (entry) => {
      const { data, salt } = await attestationDataOf(client, {
        issuer: p.issuer,
        level: p.level,
        expiry: p.expiry,
        ...entry,
      });
      return { ...entry, salt, owner: data.owner, commitment: data.commitment };
    }),
  );
  const tx = await decoded(() =>
    registry(client, true).attestBatch(
      p.issuer,
      p.level,
      p.expiry,
      ZeroHash,
      entries.map((entry) => entry.identity),
      entries.map((entry) => entry.owner),
      entries.map((entry) => entry.commitment),
      [],
    ),
  );
  return { tx, entries };
}
