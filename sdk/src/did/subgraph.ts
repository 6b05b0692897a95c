/**
 * The subgraph's view of a did:ethr identity. The latest document comes from one GraphQL query of the identity's
 * current state (its valid delegates and attributes, so the answer's size is the document's, not the history's);
 * a version, or a state the subgraph's counters do not pin down exactly, comes from one GraphQL query of the
 * identity's DIDRegistry history mapped into canonical events. Every answer carries the block the subgraph has
 * indexed (`_meta`), so the resolver can tell a stale subgraph from a current one.
 */
import type { DIDDocument } from "did-resolver";
import { getAddress } from "ethers";

import { UnavailableError } from "../errors/base.js";
import { graphqlData, type GraphQLFetch, type GraphQLRequest } from "../transport/graphql.js";
import { canonicalEvent, type CanonicalDIDEvent, type IdentityEventRow } from "./events.js";

/** The `_meta` of every query: the block the subgraph has indexed. */
const META_FIELDS = `_meta { block { number } }`;

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
  ${META_FIELDS}
}`;

/** An identity's events from the subgraph, and the timestamps of the blocks they are in. */
export interface IdentityHistory {
  events: CanonicalDIDEvent[];
  /** Unix time of every block holding an event of the identity (the document versions). */
  blockTimestamps: Map<number, bigint>;
  /** The block the subgraph had indexed when it answered. */
  indexedBlock: number;
}

/**

/** The `identity` of a GraphQL answer (null if the subgraph does not know it) and the indexed block. */
async function queryIdentity<T>(
  query: GraphQLFetch,
  request: GraphQLRequest,
): Promise<{ identity: T | null; indexedBlock: number }> {
  const data = await graphqlData<{ identity?: T | null; _meta?: { block?: { number?: unknown } } }>(query, request);
  const indexedBlock = Number(data._meta?.block?.number);
  if (!Number.isSafeInteger(indexedBlock) || indexedBlock < 0) {
    throw new UnavailableError("graphql", "answer without a valid _meta.block.number");
  }
  return { identity: data.identity ?? null, indexedBlock };
}

/**
 * Fetches the whole DIDRegistry history of `address` (one request, more only past {@link PAGE_SIZE} events) and the
 * block the subgraph had indexed when it answered. GraphQL failures throw an `UnavailableError`.
 *
 * @example
 * const { events, indexedBlock } = await fetchIdentityHistory(httpGraphQL(url), "0x8ba1f109551bD432803012645Ac136ddd64DBA72");
 */
export async function fetchIdentityHistory(query: GraphQLFetch, address: string): Promise<IdentityHistory> {
  const identity = getAddress(address);
  const history: IdentityHistory = { events: [], blockTimestamps: new Map(), indexedBlock: 0 };
  for (let after = 0; ;) {
    const variables = { id: identity.toLowerCase(), after, first: PAGE_SIZE };
    const found = await queryIdentity<{ events: IdentityEventRow[] }>(query, {
      query: IDENTITY_HISTORY_QUERY,
      variables,
    });
    if (after === 0) history.indexedBlock = found.indexedBlock;
    const rows = found.identity?.events ?? [];
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
 * Per delegate or attribute, what places it in the document at `$now` (see {@link documentPosition}), all stored on
 * the entity by the subgraph so the query has no nested selection: its latest change's sequence and the validity
 * of the change before it, its first change and the lowest validity of all its changes, and the subgraph's run
 * (`since`, `sinceValidTo`).
 */
const PLACEMENT_FIELDS = `ordinal sequence previousValidTo firstSequence lowestValidTo since sinceValidTo updatedAtTimestamp`;

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
    changed
    changedTimestamp
    changedIgnored
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
  ${META_FIELDS}
}`;

/** A Delegate or Attribute of {@link IDENTITY_STATE_QUERY}, as JSON. */
interface StateEntryRow {
  validTo: string;
  ordinal: number | null;
  sequence: number;
  previousValidTo: string | null;
  firstSequence: number;
  lowestValidTo: string;
  since: number;
  sinceValidTo: string | null;
  updatedAtTimestamp: string;
}

/** The identity of {@link IDENTITY_STATE_QUERY}, as JSON. */
interface IdentityStateRow {
  owner: string;
  deactivated: boolean;
  malformedValidTo: string;
  changed: string;
  changedTimestamp: string;
  changedIgnored: boolean;
  delegates: (StateEntryRow & { delegateType: string; delegate: string })[];
  attributes: (StateEntryRow & { name: string; value: string; section: "pub" | "svc" | null })[];
  lapsedKeyAgreements: { id: string }[];
}

/** An identity's latest DID document, as canonical events for ethr-did-resolver's builder and where keys go. */
export interface LatestDIDState {
  /**
   * The owner, then one event per key valid at `now` in the order of its number: the builder numbers them 1, 2, …
   * per counter, and {@link LatestDIDState.fragments} renames those to the numbers over the full history.
   */
  events: CanonicalDIDEvent[];
  /** The full history's fragment (`delegate-12`) of each fragment the builder gives (`delegate-3`). */
  fragments: Map<string, string>;
  /** Position in the document of every key by fragment (`delegate-N`, `service-N`); the builder's is by number. */
  position: Map<string, number>;
  /**
   * Position in `keyAgreement` by fragment: the first change valid at `now`, as that list is never pruned; known
   * for the keys all of whose changes are valid at `now`.
   */
  keyAgreementPosition: Map<string, number>;
  /** The identity's latest change, the document's version; null if it never changed. */
  version: DocumentVersion | null;
}

/** A version of a DID document: the block of a change and its time. */
export interface DocumentVersion {
  blockNumber: number;
  timestamp: bigint;
}

/**
 * Where ethr-did-resolver puts a key valid at `now` (its latest change is): at the first change of the trailing
 * run of its changes valid at `now`, as a change not valid at `now` deletes it. That is the latest change when
 * the one before is not valid (or there is none); the first change when every change is valid; otherwise the
 * subgraph's `since`, which holds when the run's earlier changes are still valid (`sinceValidTo`) and `now` is
 * past all the key's changes (the subgraph cut runs by block time). Null when none of these applies.
 */
function documentPosition(entry: StateEntryRow, now: bigint): number | null {
  if (entry.previousValidTo === null || BigInt(entry.previousValidTo) < now) return entry.sequence;
  if (BigInt(entry.lowestValidTo) >= now) return entry.firstSequence;
  const runHolds = entry.sinceValidTo === null || BigInt(entry.sinceValidTo) >= now;
  return runHolds && now >= BigInt(entry.updatedAtTimestamp) ? entry.since : null;
}

/**
 * Where ethr-did-resolver puts a key valid at `now` in `keyAgreement`, which is never pruned: at the key's first
 * change valid at `now`. Known from the state when every change is valid (the first); null otherwise.
 */
const firstValidChange = (entry: StateEntryRow, now: bigint): number | null =>
  BigInt(entry.lowestValidTo) >= now ? entry.firstSequence : null;

/** The latest DID state and the block the subgraph had indexed when it answered. */
export interface LatestDIDStateAnswer {
  /** Null when the state does not determine the document exactly: the history then decides. */
  state: LatestDIDState | null;
  indexedBlock: number;
}

/**
 * Fetches the DID state of `address` at time `now` with one GraphQL request and turns it into a
 * {@link LatestDIDState}; the state is null when it does not determine ethr-did-resolver's document exactly (a
 * malformed `did/pub/` or `did/svc/` name valid at `now`, a lapsed key-agreement key, a key whose position needs
 * its history, a latest change ethr-did-resolver ignores, or more than {@link PAGE_SIZE} valid keys).
 *
 * @example
 * const { state } = await fetchLatestDIDState(httpGraphQL(url), address, BigInt(Math.floor(Date.now() / 1000)));
 */
export async function fetchLatestDIDState(
  query: GraphQLFetch,
  address: string,
  now: bigint,
): Promise<LatestDIDStateAnswer> {
  const identity = getAddress(address);
  const variables = { id: identity.toLowerCase(), now: String(now) };
  const found = await queryIdentity<IdentityStateRow>(query, { query: IDENTITY_STATE_QUERY, variables });
  return { state: latestState(identity, found.identity, now), indexedBlock: found.indexedBlock };
}

/** The {@link LatestDIDState} of a subgraph identity's state row at `now` (see {@link fetchLatestDIDState}). */
function latestState(identity: string, state: IdentityStateRow | null, now: bigint): LatestDIDState | null {
  const position = new Map<string, number>();
  const keyAgreementPosition = new Map<string, number>();
  const fragments = new Map<string, string>();
  if (state === null) return { events: [], fragments, version: null, position, keyAgreementPosition };
  // The latest change is the document's version unless ethr-did-resolver ignores it: the history then decides.
  if (state.changedIgnored) return null;
  const version =
    state.changed === "0" ? null : { blockNumber: Number(state.changed), timestamp: BigInt(state.changedTimestamp) };
  const base = { identity, previousChange: 0n, blockNumber: version?.blockNumber ?? 0 };
  const events: CanonicalDIDEvent[] = [{ ...base, _eventName: "DIDOwnerChanged", owner: getAddress(state.owner) }];
  if (state.deactivated) {
    // Deactivation is final (every later write reverts), so it is the latest change; the builder stops there.
    return { events, fragments, version, position, keyAgreementPosition };
  }
  if (BigInt(state.malformedValidTo) >= now || state.lapsedKeyAgreements.length > 0) return null;
  if (state.delegates.length === PAGE_SIZE || state.attributes.length === PAGE_SIZE) return null;

  /** A key valid at `now`: its latest change as a canonical event, its number and its positions. */
  interface PlacedKey {
    event: CanonicalDIDEvent;
    ordinal: number;
    position: number;
    firstValid: number | null;
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
    keys[counter].push({ event, ordinal: entry.ordinal, position, firstValid: firstValidChange(entry, now) });
  }

  for (const counter of ["delegate", "service"] as const) {
    for (const [index, key] of keys[counter].sort((a, b) => a.ordinal - b.ordinal).entries()) {
      events.push(key.event);
      const fragment = `${counter}-${key.ordinal}`;
      fragments.set(`${counter}-${index + 1}`, fragment);
      position.set(fragment, key.position);
      if (key.firstValid !== null) keyAgreementPosition.set(fragment, key.firstValid);
    }
  }
  return { events, fragments, version, position, keyAgreementPosition };
}

/** The fragment of a DID URL or of an object's `id` (`delegate-1` of `did:ethr:…#delegate-1`). */
const fragmentOf = (ref: string | { id: string }): string => {
  const url = typeof ref === "string" ? ref : ref.id;
  return url.slice(url.lastIndexOf("#") + 1);
};

/** `refs` (DID URLs or objects with an `id`) sorted by the position of their fragment; others keep the lead. */
function byPosition<T extends string | { id: string }>(refs: T[], position: Map<string, number>): T[] {
  const rank = (ref: T) => position.get(fragmentOf(ref)) ?? -1;
  return [...refs].sort((a, b) => rank(a) - rank(b));
}

/**
 * The builder's document for a {@link LatestDIDState}, its keys renumbered as over the full history and moved from
 * number order to document order; null when the state does not place a key of `keyAgreement` (an earlier change of
 * it is no longer valid): the history then decides.
 *
 * @example
 * const document = inDocumentOrder(buildDidDocument(state.events, options).didDocument, state);
 */
export function inDocumentOrder(
  document: DIDDocument,
  { fragments, position, keyAgreementPosition }: LatestDIDState,
): DIDDocument | null {
  const renamed = (url: string) => {
    const hash = url.lastIndexOf("#");
    const fragment = fragments.get(url.slice(hash + 1));
    return fragment === undefined ? url : `${url.slice(0, hash + 1)}${fragment}`;
  };
  const renumbered = <T extends string | { id: string }>(refs: T[]): T[] =>
    refs.map(
      (ref) => (typeof ref === "string" ? renamed(ref) : { ...(ref as { id: string }), id: renamed(ref.id) }) as T,
    );
  const { verificationMethod, authentication, assertionMethod, service } = document;
  const keyAgreement = document.keyAgreement === undefined ? undefined : renumbered(document.keyAgreement);
  if (keyAgreement?.some((ref) => !keyAgreementPosition.has(fragmentOf(ref)))) return null;
  return {
    ...document,
    verificationMethod: byPosition(renumbered(verificationMethod!), position),
    authentication: byPosition(renumbered(authentication!), position),
    assertionMethod: byPosition(renumbered(assertionMethod!), position),
    ...(service === undefined ? {} : { service: byPosition(renumbered(service), position) }),
    ...(keyAgreement === undefined ? {} : { keyAgreement: byPosition(keyAgreement, keyAgreementPosition) }),
  };
}
