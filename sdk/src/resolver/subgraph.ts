/**
 * The GraphQL path: did:ethr documents from the RealDID subgraph (graph-node or the local indexer), equal to
 * ethr-did-resolver's over the chain's logs without walking the logs block by block.
 */
import type { DIDDocumentMetadata, DIDResolutionResult, DIDResolver } from "did-resolver";
import { Errors, interpretIdentifier } from "ethr-did-resolver";

import { UnavailableError } from "../errors/base.js";
import { buildDidDocument } from "../did/document.js";
import { fetchIdentityHistory, fetchLatestDIDState, inDocumentOrder, type DocumentVersion } from "../did/subgraph.js";
import type { GraphQLFetch } from "../transport/graphql.js";
import { answer, chainKey, failure, readRequest, type ResolutionRequest } from "./request.js";

/** One chain whose DIDRegistry the subgraph indexes. */
export interface SubgraphDIDNetwork {
  /** Name used in DIDs, e.g. `did:ethr:<name>:0x...` (the hex chain id, e.g. `0x7a69`, always works). */
  name?: string;
  chainId: number | bigint;
  /** GraphQL of the subgraph indexing this chain's DIDRegistry. */
  query: GraphQLFetch;
  /**
   * Timestamp of a block, needed when a `versionId` names a block in which the identity did not change (e.g.
   * from an RPC provider: `async (n) => BigInt((await provider.getBlock(n))!.timestamp)`).
   */
  blockTimestamp?: (blockNumber: number) => Promise<bigint>;
}

export interface SubgraphDIDResolverOptions {
  networks: SubgraphDIDNetwork[];
}

/** A subgraph answer and the block the subgraph had indexed when it gave it. */
export interface SubgraphResolution {
  result: DIDResolutionResult;
  indexedBlock: number;
}

/** Unix seconds as ethr-did-resolver writes dates: ISO 8601 without milliseconds. */
const isoDate = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString().replace(".000", "");

/** The document metadata ethr-did-resolver gives a document of `version`, followed by `next`. */
function documentMetadata(
  deactivated: boolean,
  version: DocumentVersion | null,
  next: DocumentVersion | null,
): DIDDocumentMetadata {
  return {
    ...(deactivated ? { deactivated: true } : {}),
    ...(version === null ? {} : { versionId: String(version.blockNumber), updated: isoDate(version.timestamp) }),
    ...(next === null ? {} : { nextVersionId: String(next.blockNumber), nextUpdate: isoDate(next.timestamp) }),
  };
}

/**
 * Resolves a parsed request from the subgraph: the latest document from the identity's state where that is exact
 * (one query), otherwise from its history (one query). A failing GraphQL endpoint throws an
 * {@link UnavailableError}; a block the subgraph has not indexed yet answers `unavailable`.
 *
 * @example
 * const { result, indexedBlock } = await resolveFromSubgraph(network, request);
 */
export async function resolveFromSubgraph(
  network: SubgraphDIDNetwork,
  request: ResolutionRequest,
): Promise<SubgraphResolution> {
  const { did, blockTag } = request;
  const { address, publicKey } = interpretIdentifier(request.identifier);
  const chainId = BigInt(network.chainId);
  const wallClock = BigInt(Math.floor(Date.now() / 1000));
  const options = { did, address, controllerKey: publicKey, chainId, blockHeight: blockTag };
  if (typeof blockTag === "string") {
    const { state, indexedBlock } = await fetchLatestDIDState(network.query, address, wallClock);
    if (state !== null) {
      const built = buildDidDocument(state.events, { ...options, now: wallClock });
      const document = built.deactivated ? built.didDocument : inDocumentOrder(built.didDocument, state);
      if (document !== null) {
        return {
          result: answer(request, document, documentMetadata(built.deactivated, state.version, null)),
          indexedBlock,
        };
      }
    }
  }

  const history = await fetchIdentityHistory(network.query, address);
  if (typeof blockTag === "number" && blockTag > history.indexedBlock) {
    const message = `subgraph indexed block ${history.indexedBlock}, behind the requested block ${blockTag}`;
    return { result: failure("unavailable", message), indexedBlock: history.indexedBlock };
  }
  const timestampOf = async (blockNumber: number): Promise<bigint> => {
    const known = history.blockTimestamps.get(blockNumber);
    if (known !== undefined) return known;
    if (network.blockTimestamp === undefined) {
      throw new Error(`timestamp of block ${blockNumber} unknown: configure blockTimestamp for ${request.networkId}`);
    }
    return network.blockTimestamp(blockNumber);
  };
  const now = typeof blockTag === "number" ? await timestampOf(blockTag) : wallClock;
  const { didDocument, deactivated, versionId, nextVersionId } = buildDidDocument(history.events, {
    ...options,
    now,
  });
  const versionAt = async (blockNumber: number): Promise<DocumentVersion> => ({
    blockNumber,
    timestamp: await timestampOf(blockNumber),
  });
  const version = versionId === 0 ? null : await versionAt(versionId);
  const next = nextVersionId === Number.POSITIVE_INFINITY ? null : await versionAt(nextVersionId);
  return {
    result: answer(request, didDocument, documentMetadata(deactivated, version, next)),
    indexedBlock: history.indexedBlock,
  };
}

/**
 * A did:ethr resolver for did-resolver that reads the RealDID subgraph only (no chain fallback; see
 * `getResolver` for the resolver with fallback). Its answers equal ethr-did-resolver's for the same identity,
 * query (`?versionId=<block>`) and options (`accept`, `blockTag`) while the subgraph is current. A failing
 * endpoint answers `error: "unavailable"`.
 *
 * @example
 * const resolver = new Resolver(
 *   getSubgraphResolver({ networks: [{ chainId: 31337, query: httpGraphQL("http://127.0.0.1:8000/subgraphs/name/realdid") }] }),
 * );
 * const { didDocument } = await resolver.resolve("did:ethr:0x7a69:0x8ba1f109551bd432803012645ac136ddd64dba72");
 */
export function getSubgraphResolver(options: SubgraphDIDResolverOptions): { ethr: DIDResolver } {
  const networks = new Map<string, SubgraphDIDNetwork>();
  for (const network of options.networks) {
    if (network.name !== undefined) networks.set(network.name, network);
    networks.set(chainKey(network.chainId), network);
  }
  return {
    ethr: async (did, parsed, _resolver, resolutionOptions) => {
      const request = readRequest(did, parsed, resolutionOptions);
      if (!("networkId" in request)) return request;
      const network = networks.get(request.networkId);
      if (network === undefined) {
        return failure(
          Errors.unknownNetwork,
          `The DID resolver does not have a configuration for network: ${request.networkId}`,
        );
      }
      try {
        return (await resolveFromSubgraph(network, request)).result;
      } catch (error) {
        return failure(error instanceof UnavailableError ? "unavailable" : Errors.notFound, (error as Error).message);
      }
    },
  };
}
