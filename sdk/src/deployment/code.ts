/**
 * Runtime bytecode against a build: what `eth_getCode` returns for a contract compared with the compiler's
 * `deployedBytecode`. Immutables are written into the code at deployment, so their ranges (the build's
 * `immutableReferences`) are blanked on both sides; the metadata tail (CBOR, ending in its own two-byte length) is
 * compared apart, so "same code, different metadata" (sources changed without changing the code, e.g. a comment) is
 * told from "different code".
 */
import { getBytes, hexlify, keccak256 } from "ethers";

/** What the comparison needs of a build artifact (Hardhat's artifact carries both fields). */
export interface BuildArtifact {
  /** The compiler's runtime bytecode, hex. */
  deployedBytecode: string;
  /** The compiler's creation bytecode, hex (the DID registry's address is derived from its hash). */
  bytecode?: string;
  /** Byte ranges of immutables, by AST id (solc's `evm.deployedBytecode.immutableReferences`). */
  immutableReferences?: Record<string, readonly { start: number; length: number }[]>;
}

/** One side of the comparison: the executable code (immutables blanked) and the metadata tail. */
export interface NormalizedCode {
  code: Uint8Array;
  metadata: Uint8Array;
}

/** Fingerprints (`keccak256`, or `none` when empty) and lengths of the two parts of one side. */
export interface CodeSummary {
  code: string;
  codeLength: number;
  metadata: string;
  metadataLength: number;
}

/** The result of {@link compareRuntimeCode}. */
export interface CodeComparison {
  /** The executable code (immutables blanked) is the build's. */
  codeMatches: boolean;
  /** The metadata tail (the sources' hash) is the build's too. */
  metadataMatches: boolean;
  expected: CodeSummary;
  actual: CodeSummary;
}

/**
 * Splits the CBOR metadata tail off runtime code: solc appends CBOR followed by its length as two big-endian bytes.
 * Code without a plausible tail (too short, or a length that does not fit) is all code.
 *
 * @example
 * const { metadata } = splitMetadata(getBytes(await provider.getCode(address))); // CBOR: ipfs hash, solc version
 */
export function splitMetadata(bytes: Uint8Array): NormalizedCode {
  if (bytes.length < 2) return { code: bytes, metadata: new Uint8Array() };
  const length = (bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1];
  const start = bytes.length - 2 - length;
  // A CBOR map of solc's metadata starts with a map header (0xa0..0xbf).
  if (length === 0 || start < 0 || (bytes[start] & 0xe0) !== 0xa0) return { code: bytes, metadata: new Uint8Array() };
  return { code: bytes.subarray(0, start), metadata: bytes.subarray(start) };
}

/**
 * `hex` with the immutable ranges zeroed, split into code and metadata.
 *
 * @example
 * const { code } = normalizeCode(artifact.deployedBytecode, artifact.immutableReferences);
 */
export function normalizeCode(
  hex: string,
  immutableReferences: BuildArtifact["immutableReferences"] = {},
): NormalizedCode {
  const bytes = getBytes(hex).slice();
  for (const ranges of Object.values(immutableReferences))
    for (const { start, length } of ranges) if (start + length <= bytes.length) bytes.fill(0, start, start + length);
  return splitMetadata(bytes);
}

const fingerprint = (bytes: Uint8Array) => (bytes.length === 0 ? "none" : keccak256(bytes));

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && hexlify(a) === hexlify(b);

/**
 * Compares deployed runtime code with a build artifact, immutables blanked on both sides and the metadata apart.
 *
 * @example
 * const artifact = JSON.parse(readFileSync("artifacts/contracts/DIDRegistry.sol/DIDRegistry.json", "utf8"));
 * const { codeMatches, metadataMatches } = compareRuntimeCode(await provider.getCode(address), artifact);
 */
export function compareRuntimeCode(onChain: string, artifact: BuildArtifact): CodeComparison {
  const expected = normalizeCode(artifact.deployedBytecode, artifact.immutableReferences);
  const actual = normalizeCode(onChain, artifact.immutableReferences);
  const summary = (side: NormalizedCode): CodeSummary => ({
    code: fingerprint(side.code),
    codeLength: side.code.length,
    metadata: fingerprint(side.metadata),
    metadataLength: side.metadata.length,
  });
  return {
    codeMatches: actual.code.length > 0 && equal(expected.code, actual.code),
    metadataMatches: equal(expected.metadata, actual.metadata),
    expected: summary(expected),
    actual: summary(actual),
  };
}
