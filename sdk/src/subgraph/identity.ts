/**
 * What a relying party shows about an identity, from the subgraph: its current real-name attestation (issuer name,
 * level, status bits, disclosed name — never the person's data) and its whole history across the registries
 * (owner changes, keys, attributes, attestations, status changes) for an explorer. GraphQL failures throw an
 * `UnavailableError` (`backend: "graphql"`): the caller falls back to on-chain reads.
 */
import { getAddress, toUtf8String } from "ethers";

import { graphqlData, type GraphQLFetch } from "../transport/graphql.js";

/** An identity's current attestation as the subgraph has indexed it. */
export interface IndexedAttestation {
  issuer: { id: string; name: string; status: string; maxLevel: number };
  level: number;
  expiry: string;
  statusIndex: string;
  revoked: boolean;
  suspended: boolean;
  disclosedName: string | null;
  path: string;
}

/** The subgraph's view of an identity: null fields when it knows none. */
export interface IndexedIdentity {
  owner: string | null;
  deactivated: boolean;
  attestation: IndexedAttestation | null;
  /** The block the subgraph had indexed when it answered. */
  indexedBlock: number;
}

const ATTESTATION_QUERY = `query RealNameStatus($id: ID!) {
  identity(id: $id) {
    owner
    deactivated
    attestation {
      issuer { id name status maxLevel }
      level expiry statusIndex revoked suspended disclosedName path
    }
  }
  _meta { block { number } }
}`;

/**
 * The identity's owner, deactivation and current attestation from the subgraph (one query).
 *
 * @example
 * const { attestation } = await fetchIndexedIdentity(httpGraphQL(url), "0x3C44…93BC");
 * if (attestation) console.log(`level ${attestation.level} by ${attestation.issuer.name}`);
 */
export async function fetchIndexedIdentity(query: GraphQLFetch, address: string): Promise<IndexedIdentity> {
  const data = await graphqlData<{
    identity: { owner: string; deactivated: boolean; attestation: IndexedAttestation | null } | null;
    _meta: { block: { number: number } };
  }>(query, { query: ATTESTATION_QUERY, variables: { id: getAddress(address).toLowerCase() } });
  return {
    owner: data.identity?.owner ?? null,
    deactivated: data.identity?.deactivated ?? false,
    attestation: data.identity?.attestation ?? null,
    indexedBlock: Number(data._meta.block.number),
  };
}

/** One entry of an identity's history, newest first in {@link fetchIdentityActivity}. */
export interface ActivityEntry {
  /** The event's entity type, e.g. `OwnerChanged`, `DelegateChanged`, `Attested`, `Disclosed`, `StatusChanged`. */
  kind: string;
  blockNumber: number;
  timestamp: number;
  transaction: string;
  /** A one-line description, e.g. `delegate sigAuth 0x… valid to 2027-…`. */
  summary: string;
}

const ACTIVITY_QUERY = `query IdentityActivity($id: ID!, $first: Int!) {
  identity(id: $id) {
    events(orderBy: sequence, orderDirection: desc, first: $first) {
      __typename blockNumber timestamp transactionID logIndex
      ... on OwnerChanged { owner }
      ... on DelegateChanged { delegateTypeText delegate validTo }
      ... on AttributeChanged { nameText value validTo }
    }
    attestations(first: $first, orderBy: createdAtBlock, orderDirection: desc) {
      issuer { name }
      level
      events(first: $first) {
        __typename blockNumber timestamp transactionID logIndex
        ... on Attested { level expiry path }
        ... on Disclosed { realName }
        ... on OwnerReconfirmed { owner }
      }
      statusChanges(first: $first) { purpose value blockNumber timestamp transactionID logIndex }
    }
  }
}`;

interface EventRow {
  __typename: string;
  blockNumber: string;
  timestamp: string;
  transactionID: string;
  logIndex: string;
  owner?: string;
  delegateTypeText?: string | null;
  delegate?: string;
  validTo?: string;
  nameText?: string | null;
  value?: string | boolean;
  level?: number;
  expiry?: string;
  path?: string;
  realName?: string;
  purpose?: string;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const date = (seconds: string | undefined) => {
  const value = Number(seconds);
  return Number.isFinite(value) && value < 8.64e12 ? new Date(value * 1000).toISOString().slice(0, 10) : "never";
};
const validity = (row: EventRow, now: number) =>
  Number(row.validTo) <= now ? "revoked" : `valid to ${date(row.validTo)}`;

/** A bytes value as UTF-8 text when it is printable, else hex. */
function text(hex: string): string {
  try {
    const decoded = toUtf8String(hex);
    return /^[\x20-\x7e]*$/.test(decoded) ? decoded : hex;
  } catch {
    return hex;
  }
}

function summary(row: EventRow, issuer: string, now: number): string {
  switch (row.__typename) {
    case "OwnerChanged":
      return row.owner === ZERO ? "deactivated (final)" : `owner changed to ${row.owner}`;
    case "DelegateChanged":
      return `delegate ${row.delegateTypeText ?? "?"} ${row.delegate}, ${validity(row, now)}`;
    case "AttributeChanged":
      return `attribute ${row.nameText ?? "?"} = ${text(String(row.value))}, ${validity(row, now)}`;
    case "Attested":
      return `real-name attestation, level ${row.level}, by ${issuer}, until ${date(row.expiry)} (${row.path})`;
    case "AttestationReplaced":
      return `attestation by ${issuer} replaced`;
    case "OwnerReconfirmed":
      return `${issuer} confirmed the new owner ${row.owner}`;
    case "MerkleLeafClaimed":
      return `attestation by ${issuer} claimed from a Merkle batch`;
    case "Disclosed":
      return `real name disclosed publicly: ${row.realName}`;
    case "StatusChanged":
      return `${issuer} ${row.value ? "set" : "cleared"} the ${String(row.purpose).toLowerCase()} bit`;
    default:
      return row.__typename;
  }
}

/**
 * The identity's history across the registries, newest first: DIDRegistry events (owner, delegates, attributes,
 * deactivation), its attestations' events (issued, replaced, reconfirmed, disclosed) and their status changes
 * (revocation, suspension). At most `first` (default 100) of each kind.
 *
 * @example
 * for (const entry of await fetchIdentityActivity(httpGraphQL(url), identity)) console.log(entry.blockNumber, entry.summary);
 */
export async function fetchIdentityActivity(
  query: GraphQLFetch,
  address: string,
  { first = 100, now = Date.now() / 1000 }: { first?: number; now?: number } = {},
): Promise<ActivityEntry[]> {
  const data = await graphqlData<{
    identity: {
      events: EventRow[];
      attestations: {
        issuer: { name: string };
        events: EventRow[];
        statusChanges: Omit<EventRow, "__typename">[];
      }[];
    } | null;
  }>(query, { query: ACTIVITY_QUERY, variables: { id: getAddress(address).toLowerCase(), first } });
  if (data.identity === null) return [];
  const rows: { row: EventRow; issuer: string }[] = data.identity.events.map((row) => ({ row, issuer: "" }));
  for (const attestation of data.identity.attestations) {
    const issuer = attestation.issuer.name;
    for (const row of attestation.events) rows.push({ row, issuer });
    for (const row of attestation.statusChanges) rows.push({ row: { ...row, __typename: "StatusChanged" }, issuer });
  }
  rows.sort(
    (a, b) => Number(b.row.blockNumber) - Number(a.row.blockNumber) || Number(b.row.logIndex) - Number(a.row.logIndex),
  );
  return rows.map(({ row, issuer }) => ({
    kind: row.__typename,
    blockNumber: Number(row.blockNumber),
    timestamp: Number(row.timestamp),
    transaction: row.transactionID,
    summary: summary(row, issuer, now),
  }));
}
