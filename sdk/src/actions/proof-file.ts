/**
 * The proof file a Merkle batch's holder receives: one JSON document per holder, enough to claim its leaf from any
 * machine and, with the salt, to disclose its real name later. Format `RealDIDMerkleProof`, version 1:
 *
 * ```json
 * {
 *   "type": "RealDIDMerkleProof", "version": 1,
 *   "chainId": 31337, "registry": "0x…RealNameRegistry", "issuer": "0x…", "root": "0x…",
 *   "level": 2, "expiry": 1798761600,
 *   "leaf": { "statusIndex": 5, "identity": "0x…", "owner": "0x…", "commitment": "0x…", "scope": "0x00…", "nullifier": "0x00…" },
 *   "proof": ["0x…", "0x…"],
 *   "salt": "0x…"
 * }
 * ```
 *
 * `salt` opens the commitment (with the real name the holder already knows): keep it, it is needed to disclose and
 * it is never on chain. A reader refuses another `type`, a `version` it does not know, a malformed field, and a
 * proof that does not connect the leaf to the root (an altered file) before anything is sent.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, isAddress, isHexString, ZeroHash } from "ethers";

import { InvalidProofFileError } from "../errors/base.js";
import { MERKLE_LEAF_ENCODING, merkleLeafValues, type MerkleBatch, type MerkleLeaf } from "./merkle-tree.js";

export const PROOF_FILE_TYPE = "RealDIDMerkleProof";
export const PROOF_FILE_VERSION = 1;

/** One holder's proof file (see the format above). */
export interface ProofFile {
  type: typeof PROOF_FILE_TYPE;
  version: typeof PROOF_FILE_VERSION;
  chainId: number;
  /** The RealNameRegistry the root is anchored in. */
  registry: string;
  issuer: string;
  root: string;
  level: number;
  expiry: number;
  leaf: MerkleLeaf;
  proof: string[];
  /** Opens `leaf.commitment` with the holder's real name; the holder keeps it. */
  salt: string;
}

/**
 * The proof file of every holder of `batch`, in entry order.
 *
 * @example
 * for (const file of proofFilesOf(batch)) writeFileSync(`proofs/${file.leaf.identity}.json`, JSON.stringify(file, null, 2));
 */
export function proofFilesOf(batch: MerkleBatch): ProofFile[] {
  const { chainId, registry, issuer, level, expiry } = batch.terms;
  return batch.leaves.map((leaf, i) => ({
    type: PROOF_FILE_TYPE,
    version: PROOF_FILE_VERSION,
    chainId: Number(chainId),
    registry,
    issuer,
    root: batch.root,
    level,
    expiry,
    leaf,
    proof: batch.tree.getProof(i),
    salt: batch.salts[i],
  }));
}

type Fields = Record<string, unknown>;

function field<T>(object: Fields, name: string, check: (value: unknown) => value is T, what: string): T {
  const value = object[name];
  if (!check(value)) throw new InvalidProofFileError(`"${name}" must be ${what}, found ${JSON.stringify(value)}`);
  return value;
}

const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;
/** A whole number below `limit` (the Solidity type's range). */
const below =
  (limit: number) =>
  (value: unknown): value is number =>
    Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < limit;
const isCount = below(Number.MAX_SAFE_INTEGER);
const isUint8 = below(2 ** 8);
const isUint40 = below(2 ** 40);
const isAddressValue = (value: unknown): value is string => typeof value === "string" && isAddress(value);
const isBytes32 = (value: unknown): value is string => typeof value === "string" && isHexString(value, 32);
const isProof = (value: unknown): value is string[] => Array.isArray(value) && value.every(isBytes32);

/**
 * Reads a proof file's text: checks the format, version and every field, then that the proof connects the leaf to the
 * root (so an altered file is refused before anything is sent). Throws `InvalidProofFileError` naming what is wrong.
 *
 * @example
 * const file = parseProofFile(readFileSync("proofs/0xAbc….json", "utf8"));
 * await (await claim(holderClient, file)).wait();
 */
export function parseProofFile(text: string): ProofFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidProofFileError(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw new InvalidProofFileError("not a JSON object");
  if (json.type !== PROOF_FILE_TYPE) throw new InvalidProofFileError(`"type" must be "${PROOF_FILE_TYPE}"`);
  if (json.version !== PROOF_FILE_VERSION)
    throw new InvalidProofFileError(`version ${JSON.stringify(json.version)} (this SDK reads ${PROOF_FILE_VERSION})`);
  const leafObject = field(json, "leaf", isObject, "an object");
  const leaf: MerkleLeaf = {
    statusIndex: field(leafObject, "statusIndex", isUint40, "a whole number below 2^40"),
    identity: getAddress(field(leafObject, "identity", isAddressValue, "an address")),
    owner: getAddress(field(leafObject, "owner", isAddressValue, "an address")),
    commitment: field(leafObject, "commitment", isBytes32, "32 bytes of hex"),
    scope: field(leafObject, "scope", isBytes32, "32 bytes of hex"),
    nullifier: field(leafObject, "nullifier", isBytes32, "32 bytes of hex"),
  };
  const file: ProofFile = {
    type: PROOF_FILE_TYPE,
    version: PROOF_FILE_VERSION,
    chainId: field(json, "chainId", isCount, "a whole number"),
    registry: getAddress(field(json, "registry", isAddressValue, "an address")),
    issuer: getAddress(field(json, "issuer", isAddressValue, "an address")),
    root: field(json, "root", isBytes32, "32 bytes of hex"),
    level: field(json, "level", isUint8, "a whole number below 256"),
    expiry: field(json, "expiry", isUint40, "a whole number below 2^40"),
    leaf,
    proof: field(json, "proof", isProof, "an array of 32-byte hex strings"),
    salt: field(json, "salt", isBytes32, "32 bytes of hex"),
  };
  if (file.salt === ZeroHash) throw new InvalidProofFileError('"salt" is zero');
  const terms = { ...file, chainId: BigInt(file.chainId) };
  if (!StandardMerkleTree.verify(file.root, MERKLE_LEAF_ENCODING, merkleLeafValues(terms, leaf), file.proof))
    throw new InvalidProofFileError(
      `the proof does not connect the leaf of ${leaf.identity} to root ${file.root} (the file was altered or belongs to another root)`,
    );
  return file;
}
