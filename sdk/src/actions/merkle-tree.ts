/**
 * Merkle batches of attestations, built off chain: OpenZeppelin `StandardMerkleTree` leaves in exactly the encoding
 * `RealNameRegistry.leafHash` checks, `keccak256(keccak256(abi.encode(chainId, registry, issuer, level, expiry,
 * statusIndex, identity, owner, commitment, scope, nullifier)))`. Chain, registry, issuer, level and expiry are the
 * root's terms, so a leaf is good for one root only. Salts and commitments are made here; names never leave.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256, ZeroHash } from "ethers";

import { commitmentOf, randomSalt } from "../commitment.js";

/** The ABI types of a leaf's values, in order (see `IRealNameRegistry`). */
export const MERKLE_LEAF_ENCODING = [
  "uint256",
  "address",
  "address",
  "uint8",
  "uint40",
  "uint256",
  "address",
  "address",
  "bytes32",
  "bytes32",
  "bytes32",
];

/** What binds every leaf to one root: the chain, the RealNameRegistry, and the root's issuer, level and expiry. */
export interface MerkleRootTerms {
  chainId: bigint;
  registry: string;
  issuer: string;
  level: number;
  expiry: number;
}

/** One leaf (the contract's `MerkleLeaf`): the identity's status index, owner checked, commitment and scope. */
export interface MerkleLeaf {
  statusIndex: number;
  identity: string;
  owner: string;
  commitment: string;
  scope: string;
  nullifier: string;
}

/** A leaf's values in {@link MERKLE_LEAF_ENCODING} order. */
export type MerkleLeafValues = (string | number | bigint)[];

/**
 * The values a leaf hashes, in {@link MERKLE_LEAF_ENCODING} order.
 *
 * @example
 * StandardMerkleTree.verify(root, MERKLE_LEAF_ENCODING, merkleLeafValues(terms, leaf), proof); // true
 */
export function merkleLeafValues(terms: MerkleRootTerms, leaf: MerkleLeaf): MerkleLeafValues {
  return [
    terms.chainId,
    terms.registry,
    terms.issuer,
    terms.level,
    terms.expiry,
    leaf.statusIndex,
    leaf.identity,
    leaf.owner,
    leaf.commitment,
    leaf.scope,
    leaf.nullifier,
  ];
}

/**
 * The leaf hash of `leaf` under a root of `terms`: what `RealNameRegistry.leafHash` returns.
 *
 * @example
 * const hash = merkleLeafHash({ chainId: 31337n, registry, issuer, level: 2, expiry }, leaf);
 */
export function merkleLeafHash(terms: MerkleRootTerms, leaf: MerkleLeaf): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(MERKLE_LEAF_ENCODING, merkleLeafValues(terms, leaf))));
}

/** One holder of a batch; `salt` defaults to a fresh random one. */
export interface MerkleEntry {
  identity: string;
  /** The DID owner the issuer checked. */
  owner: string;
  realName: string;
  salt?: string;
  /** Platform domain hash of a scoped attestation, with its `nullifier` (both or neither). */
  scope?: string;
  nullifier?: string;
}

/** A built batch: the tree, its root, and per holder (in entry order) its leaf and salt. */
export interface MerkleBatch {
  terms: MerkleRootTerms;
  /** The issuer's status index of the first leaf; the leaves take the next ones in entry order. */
  firstStatusIndex: number;
  root: string;
  tree: StandardMerkleTree<MerkleLeafValues>;
  leaves: MerkleLeaf[];
  salts: string[];
}

/**
 * Builds the tree of `entries` under `terms`, their leaves taking status indices from `firstStatusIndex` on (the
 * issuer's `statusCount` when the root is anchored). Pure: see `buildMerkleBatch` for the version that reads those.
 *
 * @example
 * const batch = merkleBatchOf(terms, 0, [{ identity, owner: identity, realName: "Zhang San" }]);
 * console.log(batch.root, batch.tree.getProof(0));
 */
export function merkleBatchOf(terms: MerkleRootTerms, firstStatusIndex: number, entries: MerkleEntry[]): MerkleBatch {
  const salts = entries.map((entry) => entry.salt ?? randomSalt());
  const leaves = entries.map((entry, i) => ({
    statusIndex: firstStatusIndex + i,
    identity: entry.identity,
    owner: entry.owner,
    commitment: commitmentOf(entry.identity, entry.realName, salts[i]),
    scope: entry.scope ?? ZeroHash,
    nullifier: entry.nullifier ?? ZeroHash,
  }));
  const tree = StandardMerkleTree.of(
    leaves.map((leaf) => merkleLeafValues(terms, leaf)),
    MERKLE_LEAF_ENCODING,
  );
  return { terms, firstStatusIndex, root: tree.root, tree, leaves, salts };
}
