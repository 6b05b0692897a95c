/** What a did:ethr resolution asks for, read as ethr-did-resolver reads it, and the answers both paths share. */
import type {
  DIDDocument,
  DIDDocumentMetadata,
  DIDResolutionOptions,
  DIDResolutionResult,
  ParsedDID,
} from "did-resolver";
import { Errors, identifierMatcher } from "ethr-did-resolver";

/** A parsed resolution request, or the failure ethr-did-resolver answers it with. */
export interface ResolutionRequest {
  did: string;
  /** The network part of the DID (`mainnet` when absent), e.g. `0x7a69` or `localhost`. */
  networkId: string;
  /** The identifier after the network: an address or a public key. */
  identifier: string;
  /** The block asked for (`?versionId=`, then the `blockTag` option), or `"latest"`. */
  blockTag: number | string;
  /** The `accept` option, if given. */
  accept: string | undefined;
}

const LD_CONTEXT = [
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/security/suites/secp256k1recovery-2020/v2",
  "https://w3id.org/security/v3-unstable",
];

/** A failed resolution as did-resolver reports it (`error` is a did-resolver error code or `unavailable`). */
export function failure(error: string, message: string): DIDResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocumentMetadata: {}, didDocument: null };
}

/** Reads a resolution request, or returns the `unsupportedFormat` / `invalidDid` failure for it. */
export function readRequest(
  did: string,
  parsed: ParsedDID,
  options: DIDResolutionOptions,
): ResolutionRequest | DIDResolutionResult {
  const accept = options.accept;
  if (typeof accept === "string" && accept !== "application/did+json" && accept !== "application/did+ld+json") {
    return failure(
      Errors.unsupportedFormat,
      `The DID resolver does not support the requested 'accept' format: ${accept}`,
    );
  }
  const fullId = parsed.id.match(identifierMatcher);
  if (fullId === null) return failure(Errors.invalidDid, `Not a valid did:ethr: ${parsed.id}`);
  const networkId = fullId[1] === undefined ? "mainnet" : fullId[1].slice(0, -1);
  let blockTag: unknown = options.blockTag ?? "latest";
  if (typeof parsed.query === "string") {
    const versionId = new URLSearchParams(parsed.query).get("versionId") ?? blockTag;
    const number = Number.parseInt(String(versionId));
    blockTag = Number.isNaN(number) ? "latest" : number;
  }
  return {
    did,
    networkId,
    identifier: fullId[2],
    blockTag: typeof blockTag === "number" ? blockTag : String(blockTag),
    accept: typeof accept === "string" ? accept : undefined,
  };
}

/** The successful answer to `request`: the document with the JSON-LD context unless plain JSON was asked for. */
export function answer(
  request: ResolutionRequest,
  document: DIDDocument,
  metadata: DIDDocumentMetadata,
): DIDResolutionResult {
  const ldContext = request.accept === "application/did+json" ? {} : { "@context": LD_CONTEXT };
  return {
    didDocumentMetadata: metadata,
    didResolutionMetadata: { contentType: request.accept ?? "application/did+ld+json" },
    didDocument: { ...document, ...ldContext },
  };
}

/** The key ethr-did-resolver gives a chain id: `0x` and lower-case hex. */
export const chainKey = (chainId: number | bigint): string => `0x${BigInt(chainId).toString(16)}`;
