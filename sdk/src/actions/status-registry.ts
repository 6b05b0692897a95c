/**
 * StatusRegistry actions: an issuer's writes to its four status lists (one index, many indices, a whole 128-status
 * word, or a signed update relayed by anyone) and the reads. Purposes are `StatusPurpose` (0 attestation revocation,
 * 1 attestation suspension, 2 credential revocation, 3 credential suspension). A revocation is final on every path
 * (`StatusRegistryRevocationFinal`); only an active issuer lifts a suspension.
 */
import type { ContractTransactionResponse, Signer } from "ethers";

import { decoded, statusRegistryOf, type Client } from "./client.js";
import { signRequest } from "./signed-requests.js";
import { STATUS_UPDATE_TYPES } from "./typed-data.js";

/** One list of an issuer: its address and the purpose (0..3). */
export interface StatusList {
  issuer: string;
  purpose: number;
}

/**
 * Sets status `index` of the list to `value` (true: revoked / suspended). The client's signer is the issuer or its
 * `veriKey` delegate.
 *
 * @example
 * await (await setStatus(issuerClient, { issuer, purpose: StatusPurpose.Suspension, index: 7, value: true })).wait();
 */
export function setStatus(
  client: Client,
  p: StatusList & { index: number | bigint; value: boolean },
): Promise<ContractTransactionResponse> {
  return decoded(() => statusRegistryOf(client, true).setStatus(p.issuer, p.purpose, p.index, p.value));
}

/**
 * Revokes status `index` of the signer's own attestation revocation list (`StatusRegistry.revoke`: the issuer's
 * key itself, a quarter of `setStatus`'s calldata). Final, like every revocation.
 *
 * @example
 * await (await revokeStatus(issuerClient, { index: 7 })).wait(); // the attestation with status index 7 no longer verifies
 */
export function revokeStatus(
  client: Client,
  { index }: { index: number | bigint },
): Promise<ContractTransactionResponse> {
  return decoded(() => statusRegistryOf(client, true).revoke(index));
}

/**
 * Sets every index in `indices` (at most `MAX_BATCH_SIZE`, 256) of the list to `value`; sorted indices cost one
 * storage write per 128-status word. The client's signer is the issuer or its `veriKey` delegate.
 *
 * @example
 * await (await setStatuses(issuerClient, { issuer, purpose: StatusPurpose.Revocation, indices: [3, 4, 9], value: true })).wait();
 */
export function setStatuses(
  client: Client,
  p: StatusList & { indices: (number | bigint)[]; value: boolean },
): Promise<ContractTransactionResponse> {
  return decoded(() => statusRegistryOf(client, true).setStatuses(p.issuer, p.purpose, p.indices, p.value));
}

/**
 * Replaces word `wordIndex` (statuses `128 * wordIndex` .. `128 * wordIndex + 127`, the first in the most
 * significant bit) of the list by `word`. Fails if it would clear a revocation.
 *
 * @example
 * await (await setStatusWord(issuerClient, { issuer, purpose: StatusPurpose.Suspension, wordIndex: 0, word: 1n << 127n })).wait(); // suspends index 0
 */
export function setStatusWord(
  client: Client,
  p: StatusList & { wordIndex: number | bigint; word: bigint },
): Promise<ContractTransactionResponse> {
  return decoded(() => statusRegistryOf(client, true).setStatusWord(p.issuer, p.purpose, p.wordIndex, p.word));
}

/** A status update signed for `issuer`, ready for a relayer's {@link sendStatusUpdate}. */
export interface SignedStatusUpdate extends StatusList {
  /** The key that signed: the issuer itself or its `veriKey` delegate. */
  signer: string;
  index: number;
  value: boolean;
  /** The issuer's nonce the signature consumes (decimal). */
  nonce: string;
  deadline: number;
  signature: string;
}

/**
 * Signs an EIP-712 `StatusUpdate` of status `index` of `issuer`'s list with `signer` (the issuer's key or its
 * `veriKey` delegate), valid until `deadline` for the issuer's current nonce.
 *
 * @example
 * const signed = await signStatusUpdate(client, issuerKey, { issuer, purpose: StatusPurpose.Revocation, index: 7, value: true, deadline: now + 600 });
 */
export async function signStatusUpdate(
  client: Client,
  signer: Signer,
  p: StatusList & { index: number; value: boolean; deadline: number },
): Promise<SignedStatusUpdate> {
  const value = { ...p, signer: await signer.getAddress() };
  const signed = await signRequest(statusRegistryOf(client), signer, p.issuer, STATUS_UPDATE_TYPES, value);
  return { ...value, ...signed };
}

/**
 * Relays a {@link SignedStatusUpdate} (`setStatusBySig`), paid by the client's signer.
 *
 * @example
 * await (await sendStatusUpdate(relayerClient, signed)).wait();
 */
export function sendStatusUpdate(client: Client, u: SignedStatusUpdate): Promise<ContractTransactionResponse> {
  return decoded(() =>
    statusRegistryOf(client, true).setStatusBySig(
      u.issuer,
      u.signer,
      u.purpose,
      u.index,
      u.value,
      u.nonce,
      u.deadline,
      u.signature,
    ),
  );
}

/**
 * Status `index` of the list (false for indices never set).
 *
 * @example
 * const revoked = await getStatus(client, { issuer, purpose: StatusPurpose.Revocation, index: 7 });
 */
export async function getStatus(client: Client, p: StatusList & { index: number | bigint }): Promise<boolean> {
  return Boolean(await decoded(() => statusRegistryOf(client).getStatus(p.issuer, p.purpose, p.index)));
}

/**
 * Statuses of `indices` of the list, in order, with one call.
 *
 * @example
 * const [a, b] = await getStatuses(client, { issuer, purpose: StatusPurpose.Suspension, indices: [3, 4] });
 */
export async function getStatuses(
  client: Client,
  p: StatusList & { indices: (number | bigint)[] },
): Promise<boolean[]> {
  const values = (await decoded(() => statusRegistryOf(client).getStatuses(p.issuer, p.purpose, p.indices))) as
    boolean[] | readonly boolean[];
  return [...values].map(Boolean);
}

/**
 * Word `wordIndex` of the list: 128 statuses, index `128 * wordIndex` in the most significant bit.
 *
 * @example
 * const word = await getStatusWord(client, { issuer, purpose: StatusPurpose.Revocation, wordIndex: 0 });
 */
export async function getStatusWord(client: Client, p: StatusList & { wordIndex: number | bigint }): Promise<bigint> {
  return BigInt(await decoded(() => statusRegistryOf(client).getStatusWord(p.issuer, p.purpose, p.wordIndex)));
}

/**
 * Both statuses of attestation status `index` of `issuer` (revocation and suspension lists) with one storage read.
 *
 * @example
 * const { revoked, suspended } = await getStatusBits(client, { issuer, index: 7 });
 */
export async function getStatusBits(
  client: Client,
  p: { issuer: string; index: number | bigint },
): Promise<{ revoked: boolean; suspended: boolean }> {
  const bits = await decoded(() => statusRegistryOf(client).getStatusBits(p.issuer, p.index));
  return { revoked: Boolean(bits.revoked), suspended: Boolean(bits.suspended) };
}
