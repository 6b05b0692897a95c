/**
 * did:ethr resolution from the RealDID subgraph: one GraphQL query fetches an identity's DIDRegistry history,
 * which is mapped into the canonical ERC-1056 events ethr-did-resolver replays, and ethr-did-resolver's own
 * document builder turns them into the DID document. Answers equal ethr-did-resolver's over the chain's logs,
 * without walking the logs block by block.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import type {
  DIDDocument,
  DIDDocumentMetadata,
  DIDResolutionOptions,
  DIDResolutionResult,
  DIDResolver,
  ParsedDID,
} from "did-resolver";
import { bytes32toString, Errors, identifierMatcher, interpretIdentifier } from "ethr-did-resolver";
import { getAddress } from "ethers";

// ------------------------------------------------------------------------------------------ canonical events

/** Fields every canonical ERC-1056 event carries, as ethr-did-resolver's log parser produces them. */
interface CanonicalEventBase {
  /** Checksummed identity address. */
  identity: string;
  /** Block of the identity's change before this one, 0 if none. */
  previousChange: bigint;
  blockNumber: number;
}

/** DIDOwnerChanged: `owner` checksummed, the zero address when the DID was deactivated. */
export interface CanonicalOwnerChanged extends CanonicalEventBase {
  _eventName: "DIDOwnerChanged";
  owner: string;
}

/** DIDDelegateChanged: `delegateType` decoded from bytes32 (e.g. `veriKey`), `delegate` checksummed. */
export interface CanonicalDelegateChanged extends CanonicalEventBase {
  _eventName: "DIDDelegateChanged";
  delegateType: string;
  delegate: string;
  validTo: bigint;
}

/** DIDAttributeChanged: `name` decoded from bytes32 (e.g. `did/svc/HubService`), `value` lower-case hex. */
export interface CanonicalAttributeChanged extends CanonicalEventBase {
  _eventName: "DIDAttributeChanged";
  name: string;
  value: string;
  validTo: bigint;
}

/** One DIDRegistry event in the shape ethr-did-resolver replays. */
export type CanonicalDIDEvent = CanonicalOwnerChanged | CanonicalDelegateChanged | CanonicalAttributeChanged;

// ------------------------------------------------------------------------------------------------- GraphQL

/** A GraphQL request as graph-node (and the local indexer) take it. */
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** A GraphQL answer: `data` and/or `errors`. */
export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string }[];
}

/** Sends a GraphQL request to the subgraph, e.g. over HTTP with {@link httpGraphQL} or to an in-process executor. */
export type GraphQLFetch = (request: GraphQLRequest) => Promise<GraphQLResult>;

/**
 * A {@link GraphQLFetch} posting to a graph-node-compatible endpoint, e.g.
 * `http://127.0.0.1:8000/subgraphs/name/realdid`.
 */
export function httpGraphQL(url: string, fetchFunction: typeof fetch = fetch): GraphQLFetch {
  return async (request) => {
    const response = await fetchFunction(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
    });
    if (!response.ok) throw new Error(`GraphQL endpoint ${url} answered HTTP ${response.status}`);
    return (await response.json()) as GraphQLResult;
  };
}

/** Largest page graph-node serves. */
const PAGE_SIZE = 1000;

/** An identity's DIDRegistry history in replay order, one page of `first` events after sequence `after`. */
export const IDENTITY_HISTORY_QUERY = `query IdentityHistory($id: ID!, $after: Int!, $first: Int!) {
  identity(id: $id) {
    events(where: { sequence_gt: $after }, orderBy: sequence, orderDirection: asc, first: $first) {
      __typename
      sequence
      previousChange
      blockNumber
      timestamp
      ... on OwnerChanged { owner }
      ... on DelegateChanged { delegateType delegate validTo }
      ... on AttributeChanged { name value validTo }
    }
  }
}`;

/** An IdentityEvent of {@link IDENTITY_HISTORY_QUERY}, as JSON. */
export interface IdentityEventRow {
  __typename: "OwnerChanged" | "DelegateChanged" | "AttributeChanged";
  sequence: number;
  previousChange: string;
  blockNumber: string;
  timestamp: string;
  owner?: string;
  delegateType?: string;
  delegate?: string;
  name?: string;
  value?: string;
  validTo?: string;
}

/** An identity's events from the subgraph, and the timestamps of the blocks they are in. */
export interface IdentityHistory {
  events: CanonicalDIDEvent[];
  /** Unix time of every block holding an event of the identity (the document versions). */
  blockTimestamps: Map<number, bigint>;
}

/**
 * Maps one subgraph IdentityEvent into ethr-did-resolver's canonical event, or null where ethr-did-resolver
 * ignores the log (a bytes32 name or delegate type that is not UTF-8).
 */
export function canonicalEvent(identity: string, row: IdentityEventRow): CanonicalDIDEvent | null {
  const base = { identity, previousChange: BigInt(row.previousChange), blockNumber: Number(row.blockNumber) };
  switch (row.__typename) {
    case "OwnerChanged":
      return { ...base, _eventName: "DIDOwnerChanged", owner: getAddress(row.owner!) };
    case "DelegateChanged": {
      const delegateType = bytes32toString(row.delegateType!);
      if (delegateType === null) return null;
      const delegate = getAddress(row.delegate!);
      return { ...base, _eventName: "DIDDelegateChanged", delegateType, delegate, validTo: BigInt(row.validTo!) };
    }
    case "AttributeChanged": {
      const name = bytes32toString(row.name!);
      if (name === null) return null;
      return { ...base, _eventName: "DIDAttributeChanged", name, value: row.value!, validTo: BigInt(row.validTo!) };
    }
  }
}

/** Fetches the whole DIDRegistry history of `address` (one request, more only past {@link PAGE_SIZE} events). */
export async function fetchIdentityHistory(query: GraphQLFetch, address: string): Promise<IdentityHistory> {
  const identity = getAddress(address);
  const history: IdentityHistory = { events: [], blockTimestamps: new Map() };
  for (let after = 0; ;) {
    const result = await query({
      query: IDENTITY_HISTORY_QUERY,
      variables: { id: identity.toLowerCase(), after, first: PAGE_SIZE },
    });
    if (result.errors !== undefined && result.errors.length > 0) {
      throw new Error(`subgraph query failed: ${result.errors.map((error) => error.message).join("; ")}`);
    }
    const rows = ((result.data?.identity ?? null) as { events: IdentityEventRow[] } | null)?.events ?? [];
    for (const row of rows) {
      history.blockTimestamps.set(Number(row.blockNumber), BigInt(row.timestamp));
      const event = canonicalEvent(identity, row);
      if (event !== null) history.events.push(event);
    }
    if (rows.length < PAGE_SIZE) return history;
    after = rows[rows.length - 1].sequence;
  }
}

// ------------------------------------------------------------------------------------------------ resolver

/** ethr-did-resolver's document builder (`EthrDidResolver.prototype.wrapDidDocument`). */
type WrapDidDocument = (
  did: string,
  address: string,
  controllerKey: string | undefined,
  history: CanonicalDIDEvent[],
  chainId: bigint,
  blockHeight: string | number,
  now: bigint,
) => { didDocument: DIDDocument; deactivated: boolean; versionId: number; nextVersionId: number };

/**
 * The package entry point exports only `getResolver`; the class with the public `wrapDidDocument` lives in its
 * CommonJS build next to the entry.
 */
const require = createRequire(import.meta.url);
const { EthrDidResolver } = require(join(dirname(require.resolve("ethr-did-resolver")), "resolver.js")) as {
  EthrDidResolver: { prototype: { wrapDidDocument: WrapDidDocument } };
};
const wrapDidDocument: WrapDidDocument = (...args) => EthrDidResolver.prototype.wrapDidDocument(...args);

const LD_CONTEXT = [
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/security/suites/secp256k1recovery-2020/v2",
  "https://w3id.org/security/v3-unstable",
];

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

/** The key ethr-did-resolver gives a chain id: `0x` and lower-case hex. */
const chainKey = (chainId: number | bigint): string => `0x${BigInt(chainId).toString(16)}`;

/** Unix seconds as ethr-did-resolver writes dates: ISO 8601 without milliseconds. */
const isoDate = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString().replace(".000", "");

function failure(error: Errors, message: string): DIDResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocumentMetadata: {}, didDocument: null };
}

/**
 * A did:ethr resolver for did-resolver (`new Resolver(getSubgraphResolver({ networks }))`) that reads the RealDID
 * subgraph instead of the chain's logs. Its answers equal ethr-did-resolver's for the same identity, query
 * (`?versionId=<block>`) and options (`accept`, `blockTag`).
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

  async function resolve(
    did: string,
    parsed: ParsedDID,
    _resolver: unknown,
    resolutionOptions: DIDResolutionOptions,
  ): Promise<DIDResolutionResult> {
    const accept = resolutionOptions.accept;
    if (typeof accept === "string" && accept !== "application/did+json" && accept !== "application/did+ld+json") {
      return failure(
        Errors.unsupportedFormat,
        `The DID resolver does not support the requested 'accept' format: ${accept}`,
      );
    }
    const ldContext = accept === "application/did+json" ? {} : { "@context": LD_CONTEXT };
    const fullId = parsed.id.match(identifierMatcher);
    if (fullId === null) return failure(Errors.invalidDid, `Not a valid did:ethr: ${parsed.id}`);
    const networkId = fullId[1] === undefined ? "mainnet" : fullId[1].slice(0, -1);
    const network = networks.get(networkId);
    if (network === undefined) {
      return failure(Errors.unknownNetwork, `The DID resolver does not have a configuration for network: ${networkId}`);
    }
    const blockTag = requestedBlock(parsed, resolutionOptions);

    try {
      const { address, publicKey } = interpretIdentifier(fullId[2]);
      const history = await fetchIdentityHistory(network.query, address);
      const timestampOf = async (blockNumber: number): Promise<bigint> => {
        const known = history.blockTimestamps.get(blockNumber);
        if (known !== undefined) return known;
        if (network.blockTimestamp === undefined) {
          throw new Error(`timestamp of block ${blockNumber} unknown: configure blockTimestamp for ${networkId}`);
        }
        return network.blockTimestamp(blockNumber);
      };
      const now = typeof blockTag === "number" ? await timestampOf(blockTag) : BigInt(Math.floor(Date.now() / 1000));
      const chainId = BigInt(network.chainId);
      const { didDocument, deactivated, versionId, nextVersionId } = wrapDidDocument(
        did,
        address,
        publicKey,
        history.events,
        chainId,
        blockTag,
        now,
      );
      const metadata: DIDDocumentMetadata = deactivated ? { deactivated: true } : {};
      if (versionId !== 0) {
        metadata.versionId = String(versionId);
        metadata.updated = isoDate(await timestampOf(versionId));
      }
      if (nextVersionId !== Number.POSITIVE_INFINITY) {
        metadata.nextVersionId = String(nextVersionId);
        metadata.nextUpdate = isoDate(await timestampOf(nextVersionId));
      }
      return {
        didDocumentMetadata: metadata,
        didResolutionMetadata: { contentType: accept ?? "application/did+ld+json" },
        didDocument: { ...didDocument, ...ldContext },
      };
    } catch (error) {
      return failure(Errors.notFound, (error as Error).message);
    }
  }

  return { ethr: resolve };
}

/**
 * The block a resolution is judged at, as ethr-did-resolver reads it: the DID URL's `versionId` (a number, or
 * anything else for the latest), otherwise the `blockTag` option, otherwise `latest`.
 */
function requestedBlock(parsed: ParsedDID, options: DIDResolutionOptions): number | string {
  let blockTag: unknown = options.blockTag ?? "latest";
  if (typeof parsed.query === "string") {
    const versionId = new URLSearchParams(parsed.query).get("versionId") ?? blockTag;
    const number = Number.parseInt(String(versionId));
    blockTag = Number.isNaN(number) ? "latest" : number;
  }
  return typeof blockTag === "number" ? blockTag : String(blockTag);
}
