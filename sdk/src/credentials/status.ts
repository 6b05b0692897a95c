/**
 * Where a credential's status lives on chain, and the issuer's writes to it. An issuer has four status lists in the
 * StatusRegistry: the revocation (0) and suspension (1) lists of its on-chain attestations, whose indices the
 * RealNameRegistry allocates, and the revocation (2) and suspension (3) lists of its off-chain credentials, whose
 * indices the issuer draws at random below 131,072 (W3C herd privacy). A credential names one pair: the
 * attestation pair when it accompanies an on-chain attestation (with that attestation's index), the credential
 * pair otherwise.
 */
import type { ContractTransactionResponse } from "ethers";

import type { Client } from "../actions/client.js";
import { getStatus, getStatusBits, setStatus } from "../actions/status-registry.js";
import { ConfigurationError } from "../errors/base.js";

/** The StatusRegistry's purposes (list numbers). */
export const StatusPurpose = {
  Revocation: 0,
  Suspension: 1,
  CredentialRevocation: 2,
  CredentialSuspension: 3,
} as const;

/** Size of the credential lists (`StatusRegistry.CREDENTIAL_LIST_LENGTH`). */
export const CREDENTIAL_LIST_LENGTH = 131_072;

/** A credential's place in its issuer's status lists: the list pair and the index in both. */
export interface StatusReference {
  /** Address of the issuer whose lists hold the status. */
  issuer: string;
  /** `"attestation"`: purposes 0/1 (the index of an on-chain attestation); `"credential"`: purposes 2/3. */
  list: "attestation" | "credential";
  index: number;
}

/** The revocation and suspension purposes of a list pair. */
export function purposesOf(list: StatusReference["list"]): { revocation: number; suspension: number } {
  return list === "attestation"
    ? { revocation: StatusPurpose.Revocation, suspension: StatusPurpose.Suspension }
    : { revocation: StatusPurpose.CredentialRevocation, suspension: StatusPurpose.CredentialSuspension };
}

/** Keeps the credential indices an issuer has handed out, so no two credentials share one. */
export interface StatusIndexStore {
  /** Records `index` of `issuer`'s credential lists as used; false if it already was (atomically). */
  reserve(issuer: string, index: number): Promise<boolean>;
}

/**
 * A {@link StatusIndexStore} in memory: enough for one process. An issuer that restarts or runs on several
 * machines passes a store over its database (e.g. an `INSERT` on a unique key) instead.
 *
 * @example
 * const store = memoryStatusIndexStore();
 * await store.reserve(issuer, 42); // true, then false for the same index
 */
export function memoryStatusIndexStore(): StatusIndexStore {
  const used = new Map<string, Set<number>>();
  return {
    async reserve(issuer, index) {
      const key = issuer.toLowerCase();
      const indices = used.get(key) ?? new Set<number>();
      used.set(key, indices);
      if (indices.has(index)) return false;
      indices.add(index);
      return true;
    },
  };
}

/** The store issuance uses when given none. */
export const defaultStatusIndexStore = memoryStatusIndexStore();

/** Random draws before giving up on a list that is nearly full. */
const MAX_DRAWS = 64;

/**
 * A fresh index of `issuer`'s credential lists, drawn uniformly (`crypto.getRandomValues`) below 131,072 and
 * reserved in `store`, so an index says nothing about when or to whom a credential was issued.
 *
 * @example
 * const index = await randomStatusIndex(issuer); // e.g. 94567
 */
export async function randomStatusIndex(
  issuer: string,
  store: StatusIndexStore = defaultStatusIndexStore,
): Promise<number> {
  const draw = new Uint32Array(1);
  for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
    globalThis.crypto.getRandomValues(draw);
    const index = draw[0] % CREDENTIAL_LIST_LENGTH; // 2^17 divides 2^32: uniform
    if (await store.reserve(issuer, index)) return index;
  }
  throw new ConfigurationError(`no free credential status index for ${issuer} after ${MAX_DRAWS} draws`);
}

/** The revocation and suspension bits of a credential. */
export interface CredentialStatusBits {
  revoked: boolean;
  suspended: boolean;
}

/**
 * Both status bits of `status`, read on chain at the latest block (nothing cached: a revocation counts at once).
 *
 * @example
 * const { revoked, suspended } = await readCredentialStatus(client, { issuer, list: "credential", index: 94567 });
 */
export async function readCredentialStatus(client: Client, status: StatusReference): Promise<CredentialStatusBits> {
  if (status.list === "attestation") return getStatusBits(client, status);
  const { revocation, suspension } = purposesOf(status.list);
  const [revoked, suspended] = await Promise.all([
    getStatus(client, { ...status, purpose: revocation }),
    getStatus(client, { ...status, purpose: suspension }),
  ]);
  return { revoked, suspended };
}

/** Sets one status bit; the client's signer is the issuer or its `veriKey` delegate. */
function setBit(client: Client, status: StatusReference, purpose: number, value: boolean) {
  return setStatus(client, { ...status, purpose, value });
}

/**
 * Revokes a credential (final: no key clears a revocation, `StatusRegistryRevocationFinal`). The client's signer is
 * the issuer or its `veriKey` delegate. Take `status` from {@link statusReferenceOf} or the issuance result.
 *
 * @example
 * await (await revokeCredential(issuerClient, statusReferenceOf(jwt))).wait();
 */
export function revokeCredential(client: Client, status: StatusReference): Promise<ContractTransactionResponse> {
  return setBit(client, status, purposesOf(status.list).revocation, true);
}

/**
 * Suspends a credential (reversible with {@link liftCredentialSuspension}).
 *
 * @example
 * await (await suspendCredential(issuerClient, statusReferenceOf(jwt))).wait();
 */
export function suspendCredential(client: Client, status: StatusReference): Promise<ContractTransactionResponse> {
  return setBit(client, status, purposesOf(status.list).suspension, true);
}

/**
 * Lifts a credential's suspension; only an active issuer may (`StatusRegistryIssuerNotActive`).
 *
 * @example
 * await (await liftCredentialSuspension(issuerClient, statusReferenceOf(jwt))).wait();
 */
export function liftCredentialSuspension(
  client: Client,
  status: StatusReference,
): Promise<ContractTransactionResponse> {
  return setBit(client, status, purposesOf(status.list).suspension, false);
}
