/**
 * did:ethr resolution from the RealDID subgraph, with ethr-did-resolver's own document builder. The latest
 * document comes from one GraphQL query of the identity's current state (its valid delegates and attributes, so
 * the answer's size is the document's, not the history's); a version, or a state the subgraph's counters do not
 * pin down exactly, comes from one GraphQL query of the identity's DIDRegistry history, mapped into the canonical
 * ERC-1056 events ethr-did-resolver replays. Answers equal ethr-did-resolver's over the chain's logs, without
 * walking the logs block by block.
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
import { getAddress, ZeroAddress } from "ethers";

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

/** The fields of an IdentityEvent that make an {@link IdentityEventRow}. */
const EVENT_FIELDS = `__typename
      sequence
      previousChange
      blockNumber
      timestamp
      ... on OwnerChanged { owner }
      ... on DelegateChanged { delegateType delegate validTo }
      ... on AttributeChanged { name value validTo }`;

/** An identity's DIDRegistry history in replay order, one page of `first` events after sequence `after`. */
export const IDENTITY_HISTORY_QUERY = `query IdentityHistory($id: ID!, $after: Int!, $first: Int!) {
  identity(id: $id) {
    events(where: { sequence_gt: $after }, orderBy: sequence, orderDirection: asc, first: $first) {
      ${EVENT_FIELDS}
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

/** The `identity` of a GraphQL answer (null if the subgraph does not know it); throws on GraphQL errors. */
async function queryIdentity<T>(query: GraphQLFetch, request: GraphQLRequest): Promise<T | null> {
  const result = await query(request);
  if (result.errors !== undefined && result.errors.length > 0) {
    throw new Error(`subgraph query failed: ${result.errors.map((error) => error.message).join("; ")}`);
  }
  return (result.data?.identity ?? null) as T | null;
}

/** Fetches the whole DIDRegistry history of `address` (one request, more only past {@link PAGE_SIZE} events). */
export async function fetchIdentityHistory(query: GraphQLFetch, address: string): Promise<IdentityHistory> {
  const identity = getAddress(address);
  const history: IdentityHistory = { events: [], blockTimestamps: new Map() };
  for (let after = 0; ;) {
    const variables = { id: identity.toLowerCase(), after, first: PAGE_SIZE };
    const found = await queryIdentity<{ events: IdentityEventRow[] }>(query, {
      query: IDENTITY_HISTORY_QUERY,
      variables,
    });
    const rows = found?.events ?? [];
    for (const row of rows) {
      history.blockTimestamps.set(Number(row.blockNumber), BigInt(row.timestamp));
      const event = canonicalEvent(identity, row);
      if (event !== null) history.events.push(event);
    }
    if (rows.length < PAGE_SIZE) return history;
    after = rows[rows.length - 1].sequence;
  }
}

// -------------------------------------------------------------------------------------------- latest state

/**
 * Per delegate or attribute, what places it in the document at `$now` (see {@link documentPosition}): its latest
 * change's sequence, the subgraph's run (`since`, `sinceValidTo`), the validity of the change before the latest,
 * and the first change valid at `$now` and the last one not.
 */
const PLACEMENT_FIELDS = `ordinal sequence since sinceValidTo updatedAtTimestamp
      recent: changes(orderBy: sequence, orderDirection: desc, first: 2) { validTo }
      firstValid: changes(where: { validTo_gte: $now }, orderBy: sequence, orderDirection: asc, first: 1) {
        sequence
      }
      lastInvalid: changes(where: { validTo_lt: $now }, orderBy: sequence, orderDirection: desc, first: 1) {
        sequence
      }`;

/**
 * An identity's DID state at time `now`: its owner, its latest change, its delegates and attributes valid at
 * `now`, and whether a public key for key agreement that is no longer valid was valid at `now` in an earlier
 * change (ethr-did-resolver keeps such a key in `keyAgreement`, which the state alone cannot number).
 */
export const IDENTITY_STATE_QUERY = `query IdentityState($id: ID!, $now: BigInt!) {
  identity(id: $id) {
    owner
    deactivated
    malformedValidTo
    latest: events(orderBy: sequence, orderDirection: desc, first: 1) {
      ${EVENT_FIELDS}
    }
    delegates(where: { validTo_gte: $now }, first: ${PAGE_SIZE}) {
      delegateType delegate validTo ${PLACEMENT_FIELDS}
    }
    attributes(where: { validTo_gte: $now }, first: ${PAGE_SIZE}) {
      name value validTo section ${PLACEMENT_FIELDS}
    }
    lapsedKeyAgreements: attributes(
      where: {
        validTo_lt: $now
        nameText_starts_with: "did/pub/"
        nameText_contains: "/enc"
        changes_: { validTo_gte: $now }
      }
      first: 1
    ) {
      id
    }
  }
}`;

/** A Delegate or Attribute of {@link IDENTITY_STATE_QUERY}, as JSON. */
interface StateEntryRow {
  validTo: string;
  ordinal: number | null;
  sequence: number;
  since: number;
  sinceValidTo: string | null;
  updatedAtTimestamp: string;
  recent: { validTo: string }[];
  firstValid: { sequence: number }[];
  lastInvalid: { sequence: number }[];
}

/** The identity of {@link IDENTITY_STATE_QUERY}, as JSON. */
interface IdentityStateRow {
  owner: string;
  deactivated: boolean;
  malformedValidTo: string;
  latest: IdentityEventRow[];
  delegates: (StateEntryRow & { delegateType: string; delegate: string })[];
  attributes: (StateEntryRow & { name: string; value: string; section: "pub" | "svc" | null })[];
  lapsedKeyAgreements: { id: string }[];
}

/** An identity's latest DID document, as canonical events for ethr-did-resolver's builder and where keys go. */
export interface LatestDIDState {
  /**
   * The owner, then one event per key valid at `now` in the order of its number, with revoked placeholders
   * between them, so that the builder numbers every key `#delegate-N` / `#service-N` as over the full history.
   */
  events: CanonicalDIDEvent[];
  /** Position in the document of every key by fragment (`delegate-N`, `service-N`); the builder's is by number. */
  position: Map<string, number>;
  /** Position in `keyAgreement` by fragment: the first change valid at `now`, as that list is never pruned. */
  keyAgreementPosition: Map<string, number>;
  /** The identity's latest change, the document's version; null if it never changed. */
  version: DocumentVersion | null;
}

/** A version of a DID document: the block of a change and its time. */
export interface DocumentVersion {
  blockNumber: number;
  timestamp: bigint;
}

/** A name longer than any bytes32 name, so no key of the identity ever has it. */
const PLACEHOLDER_NAME = "placeholder-longer-than-any-bytes32-name";

/**
 * Where ethr-did-resolver puts a key valid at `now` (its latest change is): at the first change of the trailing
 * run of its changes valid at `now`, as a change not valid at `now` deletes it. That is the latest change when
 * the one before is not valid (or there is none); the first change valid at `now` when none after it is invalid;
 * otherwise the subgraph's `since`, which holds when the run's earlier changes are still valid (`sinceValidTo`)
 * and `now` is past all the key's changes (the subgraph cut runs by block time). Null when none of these applies.
 */
function documentPosition(entry: StateEntryRow, now: bigint): number | null {
  const before = entry.recent[1];
  if (before === undefined || BigInt(before.validTo) < now) return entry.sequence;
  const firstValid = entry.firstValid[0].sequence;
  const lastInvalid = entry.lastInvalid[0]?.sequence;
  if (lastInvalid === undefined || lastInvalid < firstValid) return firstValid;
  const runHolds = entry.sinceValidTo === null || BigInt(entry.sinceValidTo) >= now;
  return runHolds && now >= BigInt(entry.updatedAtTimestamp) ? entry.since : null;
}

/**
 * Fetches the DID state of `address` at time `now` with one GraphQL request and turns it into a
 * {@link LatestDIDState}; null when the state does not determine ethr-did-resolver's document exactly (a
 * malformed `did/pub/` or `did/svc/` name valid at `now`, a lapsed key-agreement key, a key whose position needs
 * its history, a latest change ethr-did-resolver ignores, or more than {@link PAGE_SIZE} valid keys): the history
 * then decides.
 */
export async function fetchLatestDIDState(
  query: GraphQLFetch,
  address: string,
  now: bigint,
): Promise<LatestDIDState | null> {
  const identity = getAddress(address);
  const variables = { id: identity.toLowerCase(), now: String(now) };
  const state = await queryIdentity<IdentityStateRow>(query, { query: IDENTITY_STATE_QUERY, variables });
  const position = new Map<string, number>();
  const keyAgreementPosition = new Map<string, number>();
  if (state === null) return { events: [], version: null, position, keyAgreementPosition };
  const [latestRow] = state.latest;
  if (latestRow !== undefined && canonicalEvent(identity, latestRow) === null) return null;
  const version =
    latestRow === undefined
      ? null
      : { blockNumber: Number(latestRow.blockNumber), timestamp: BigInt(latestRow.timestamp) };
  const base = { identity, previousChange: 0n, blockNumber: version?.blockNumber ?? 0 };
  const events: CanonicalDIDEvent[] = [{ ...base, _eventName: "DIDOwnerChanged", owner: getAddress(state.owner) }];
  if (state.deactivated) {
    // Deactivation is final, so it is the latest change; the builder stops at the owner event.
    return latestRow?.__typename === "OwnerChanged" ? { events, version, position, keyAgreementPosition } : null;
  }
  if (BigInt(state.malformedValidTo) >= now || state.lapsedKeyAgreements.length > 0) return null;
  if (state.delegates.length === PAGE_SIZE || state.attributes.length === PAGE_SIZE) return null;

  /** A key valid at `now`: its latest change as a canonical event, its number and its positions. */
  interface PlacedKey {
    event: CanonicalDIDEvent;
    ordinal: number;
    position: number;
    firstValid: number;
  }
  const keys = { delegate: [] as PlacedKey[], service: [] as PlacedKey[] };
  // Each key's latest change, as an IdentityEvent of the latest block.
  const change = { previousChange: "0", blockNumber: String(base.blockNumber), timestamp: "0" };
  const valid = [
    ...state.delegates.map((entry) => ({
      entry,
      counter: "delegate" as const,
      row: { ...change, ...entry, __typename: "DelegateChanged" as const },
    })),
    ...state.attributes.map((entry) => ({
      entry,
      counter: entry.section === "svc" ? ("service" as const) : ("delegate" as const),
      row: { ...change, ...entry, __typename: "AttributeChanged" as const },
    })),
  ];
  for (const { entry, counter, row } of valid) {
    // Keys ethr-did-resolver ignores (bytes32 not UTF-8) or never shows (names outside its pattern) have no number.
    if (entry.ordinal === null) continue;
    const position = documentPosition(entry, now);
    if (position === null) return null;
    const event = canonicalEvent(identity, row)!;
    keys[counter].push({ event, ordinal: entry.ordinal, position, firstValid: entry.firstValid[0].sequence });
  }

  const placeholder: Record<keyof typeof keys, CanonicalDIDEvent> = {
    delegate: {
      ...base,
      _eventName: "DIDDelegateChanged",
      delegateType: PLACEHOLDER_NAME,
      delegate: ZeroAddress,
      validTo: 0n,
    },
    service: {
      ...base,
      _eventName: "DIDAttributeChanged",
      name: `did/svc/${PLACEHOLDER_NAME}`,
      value: "0x",
      validTo: 0n,
    },
  };
  for (const counter of ["delegate", "service"] as const) {
    const numbered: CanonicalDIDEvent[] = [];
    for (const key of keys[counter].sort((a, b) => a.ordinal - b.ordinal)) {
      while (numbered.length < key.ordinal - 1) numbered.push(placeholder[counter]);
      numbered.push(key.event);
      position.set(`${counter}-${key.ordinal}`, key.position);
      keyAgreementPosition.set(`${counter}-${key.ordinal}`, key.firstValid);
    }
    events.push(...numbered);
  }
  return { events, version, position, keyAgreementPosition };
}

/** `refs` (DID URLs or objects with an `id`) sorted by the position of their fragment; others keep the lead. */
function byPosition<T extends string | { id: string }>(refs: T[], position: Map<string, number>): T[] {
  const rank = (ref: T) => {
    const url = typeof ref === "string" ? ref : ref.id;
    return position.get(url.slice(url.lastIndexOf("#") + 1)) ?? -1;
  };
  return [...refs].sort((a, b) => rank(a) - rank(b));
}

/** The builder's document for a {@link LatestDIDState}, its keys moved from number order to document order. */
function inDocumentOrder(document: DIDDocument, { position, keyAgreementPosition }: LatestDIDState): DIDDocument {
  const { verificationMethod, authentication, assertionMethod, service, keyAgreement } = document;
  return {
    ...document,
    verificationMethod: byPosition(verificationMethod!, position),
    authentication: byPosition(authentication!, position),
    assertionMethod: byPosition(assertionMethod!, position),
    ...(service === undefined ? {} : { service: byPosition(service, position) }),
    ...(keyAgreement === undefined ? {} : { keyAgreement: byPosition(keyAgreement, keyAgreementPosition) }),
  };
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

function failure(error: Errors, message: string): DIDResolutionResult {
  return { didResolutionMetadata: { error, message }, didDocumentMetadata: {}, didDocument: null };
}

/**
 * A did:ethr resolver for did-resolver (`new Resolver(getSubgraphResolver({ networks }))`) that reads the RealDID
 * subgraph instead of the chain's logs. Its answers equal ethr-did-resolver's for the same identity, query
 * (`?versionId=<block>`) and options (`accept`, `blockTag`). The latest document takes one request of the
 * identity's state ({@link IDENTITY_STATE_QUERY}), whatever the length of its history, and one more of its history
 * ({@link IDENTITY_HISTORY_QUERY}) in the rare states that need it; a version takes one request of the history.
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
    const answer = (document: DIDDocument, metadata: DIDDocumentMetadata): DIDResolutionResult => ({
      didDocumentMetadata: metadata,
      didResolutionMetadata: { contentType: accept ?? "application/did+ld+json" },
      didDocument: { ...document, ...ldContext },
    });

    try {
      const { address, publicKey } = interpretIdentifier(fullId[2]);
      const chainId = BigInt(network.chainId);
      const wallClock = BigInt(Math.floor(Date.now() / 1000));
      if (typeof blockTag === "string") {
        const state = await fetchLatestDIDState(network.query, address, wallClock);
        if (state !== null) {
          const built = wrapDidDocument(did, address, publicKey, state.events, chainId, blockTag, wallClock);
          const document = built.deactivated ? built.didDocument : inDocumentOrder(built.didDocument, state);
          return answer(document, documentMetadata(built.deactivated, state.version, null));
        }
      }

      const history = await fetchIdentityHistory(network.query, address);
      const timestampOf = async (blockNumber: number): Promise<bigint> => {
        const known = history.blockTimestamps.get(blockNumber);
        if (known !== undefined) return known;
        if (network.blockTimestamp === undefined) {
          throw new Error(`timestamp of block ${blockNumber} unknown: configure blockTimestamp for ${networkId}`);
        }
        return network.blockTimestamp(blockNumber);
      };
      const now = typeof blockTag === "number" ? await timestampOf(blockTag) : wallClock;
      const { didDocument, deactivated, versionId, nextVersionId } = wrapDidDocument(
        did,
        address,
        publicKey,
        history.events,
        chainId,
        blockTag,
        now,
      );
      const versionAt = async (blockNumber: number): Promise<DocumentVersion> => ({
        blockNumber,
        timestamp: await timestampOf(blockNumber),
      });
      const version = versionId === 0 ? null : await versionAt(versionId);
      const next = nextVersionId === Number.POSITIVE_INFINITY ? null : await versionAt(nextVersionId);
      return answer(didDocument, documentMetadata(deactivated, version, next));
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
