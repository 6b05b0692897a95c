/**
 * Merkle-batch issuance on chain: the issuer anchors one root for many holders (reserving its next status indices
 * for their leaves), may cancel it, and each holder (or anyone) claims a leaf into storage with its proof, once.
 * Trees and proof files are built off chain (`merkle-tree.ts`, `proof-file.ts`).
 */
import type { ContractTransactionResponse } from "ethers";

import { DIDRegistryAbi, RealNameRegistryAbi } from "../abis.generated.js";
import { ConfigurationError } from "../errors/base.js";
import { contractOf, decoded, type Client } from "./client.js";
import { merkleBatchOf, type MerkleBatch, type MerkleEntry, type MerkleLeaf } from "./merkle-tree.js";
import { statusCount } from "./real-name-registry.js";

/** Owner reads in flight at once: a batch of a million holders must not open a million requests. */
const OWNER_READS = 256;

const registry = (client: Client, write = false) =>
  contractOf(client, client.realNameRegistry, RealNameRegistryAbi, write);

/**
 * Builds the batch of `entries` for `issuer` at `level` until `expiry` on the client's chain and registry: the leaves
 * take the issuer's next status indices (its `statusCount` now) and, unless given, each DID's owner on chain now.
 * Anchor it with {@link anchorRoot} before any other issuance of the issuer moves its status count.
 *
 * @example
 * const batch = await buildMerkleBatch(issuerClient, { issuer, level: 2, expiry, entries: [{ identity, realName: "Zhang San" }] });
 * await (await anchorRoot(issuerClient, { batch, uri: "https://issuer.example/roots/1" })).wait();
 */
export async function buildMerkleBatch(
  client: Client,
  p: { issuer: string; level: number; expiry: number; entries: (Omit<MerkleEntry, "owner"> & { owner?: string })[] },
): Promise<MerkleBatch> {
  if (client.realNameRegistry === undefined) throw new ConfigurationError("the client has no RealNameRegistry address");
  if (p.entries.length === 0) throw new ConfigurationError("a Merkle batch needs at least one entry");
  const dids = contractOf(client, client.didRegistry, DIDRegistryAbi);
  const entries: MerkleEntry[] = [];
  for (let i = 0; i < p.entries.length; i += OWNER_READS) {
    const chunk = p.entries.slice(i, i + OWNER_READS).map(async (entry) => ({
      ...entry,
      owner: entry.owner ?? String(await decoded(() => dids.identityOwner(entry.identity))),
    }));
    entries.push(...(await Promise.all(chunk)));
  }
  const first = await statusCount(client, { issuer: p.issuer });
  const terms = {
    chainId: client.chainId,
    registry: client.realNameRegistry,
    issuer: p.issuer,
    level: p.level,
    expiry: p.expiry,
  };
  return merkleBatchOf(terms, Number(first), entries);
}

/**
 * Anchors `batch`'s root as its issuer (the client's signer is the issuer or its `veriKey` delegate), reserving the
 * status indices of its leaves. If another issuance took the issuer's next index since the batch was built, this
 * fails with `RealNameRegistryStatusIndexMoved`: rebuild the batch. `uri` tells holders where their proofs are.
 *
 * @example
 * await (await anchorRoot(issuerClient, { batch, uri: "https://issuer.example/roots/1" })).wait();
 */
export function anchorRoot(
  client: Client,
  p: { batch: MerkleBatch; uri?: string },
): Promise<ContractTransactionResponse> {
  const { terms, root, firstStatusIndex, leaves } = p.batch;
  return decoded(() =>
    registry(client, true).anchorRoot(
      terms.issuer,
      root,
      terms.level,
      terms.expiry,
      firstStatusIndex,
      leaves.length,
      p.uri ?? "",
    ),
  );
}

/**
 * Cancels `issuer`'s `root`: none of its unclaimed leaves can be claimed any more (revoke claimed ones through their
 * status bits). The client's signer is the issuer or its `veriKey` delegate.
 *
 * @example
 * await (await cancelRoot(issuerClient, { issuer, root })).wait();
 */
export function cancelRoot(client: Client, p: { issuer: string; root: string }): Promise<ContractTransactionResponse> {
  return decoded(() => registry(client, true).cancelRoot(p.issuer, p.root));
}

/** A leaf of an anchored root with its proof; a proof file (`parseProofFile`) is one, with its chain and registry. */
export interface LeafProof {
  issuer: string;
  root: string;
  leaf: MerkleLeaf;
  proof: string[];
  /** When given (a proof file), must be the client's chain. */
  chainId?: number;
  /** When given (a proof file), must be the client's RealNameRegistry. */
  registry?: string;
}

/**
 * Claims a leaf into storage (anyone may send it; the DID owner's own claim also consents to replacing a newer
 * attestation). Refuses a proof file of another chain or registry before sending; on chain, a second claim fails
 * with `RealNameRegistryAlreadyClaimed`, a wrong proof with `RealNameRegistryInvalidProof`, a leaf revoked before the
 * claim with `RealNameRegistryLeafRevoked`, a cancelled root with `RealNameRegistryRootCancelled`.
 *
 * @example
 * const file = parseProofFile(readFileSync("proofs/0xAbc….json", "utf8"));
 * await (await claim(holderClient, file)).wait();
 */
export async function claim(client: Client, p: LeafProof): Promise<ContractTransactionResponse> {
  if (p.chainId !== undefined && BigInt(p.chainId) !== client.chainId)
    throw new ConfigurationError(`the proof is for chain ${p.chainId}, the client is on chain ${client.chainId}`);
  if (p.registry !== undefined && p.registry.toLowerCase() !== client.realNameRegistry?.toLowerCase())
    throw new ConfigurationError(
      `the proof is for RealNameRegistry ${p.registry}, the client's is ${client.realNameRegistry}`,
    );
  return decoded(() => registry(client, true).claim(p.issuer, p.root, p.leaf, p.proof));
}

/**
 * Whether `proof` connects `leaf` to `issuer`'s anchored `root` (in its status range); ignores cancellation and
 * whether the leaf was claimed.
 *
 * @example
 * const ok = await verifyLeaf(client, file);
 */
export async function verifyLeaf(client: Client, p: LeafProof): Promise<boolean> {
  return Boolean(await decoded(() => registry(client).verifyLeaf(p.issuer, p.root, p.leaf, p.proof)));
}

/**
 * Whether `issuer`'s leaf with status index `statusIndex` was claimed (through any root).
 *
 * @example
 * if (await isClaimed(client, { issuer, statusIndex: file.leaf.statusIndex })) console.log("already claimed");
 */
export async function isClaimed(client: Client, p: { issuer: string; statusIndex: number | bigint }): Promise<boolean> {
  return Boolean(await decoded(() => registry(client).isClaimed(p.issuer, p.statusIndex)));
}

/** An anchored root (all zero when unknown). */
export interface MerkleRootRecord {
  /** The key that anchored it (the issuer or a `veriKey` delegate), re-checked at each claim. */
  anchoredBy: string;
  level: number;
  expiry: number;
  cancelled: boolean;
  firstStatusIndex: number;
  count: number;
}

/**
 * `issuer`'s anchored `root`: who anchored it, its level, expiry, reserved status range and whether it is cancelled.
 *
 * @example
 * const { cancelled, firstStatusIndex, count } = await getRoot(client, { issuer, root });
 */
export async function getRoot(client: Client, p: { issuer: string; root: string }): Promise<MerkleRootRecord> {
  const r = await decoded(() => registry(client).getRoot(p.issuer, p.root));
  return {
    anchoredBy: String(r.anchoredBy),
    level: Number(r.level),
    expiry: Number(r.expiry),
    cancelled: Boolean(r.cancelled),
    firstStatusIndex: Number(r.firstStatusIndex),
    count: Number(r.count),
  };
}
