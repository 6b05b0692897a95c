/**
 * Helpers shared by the RealDID mappings: entity ids, event entity metadata, identities, and the byte-level
 * decoding ethr-did-resolver applies to DIDRegistry events. Everything here is pure AssemblyScript over event
 * data; no contract is ever called.
 */
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

import { Attestation, Identity, Issuer, SignaturesCancelled, StatusWord } from "../generated/schema";

export const ZERO = BigInt.zero();

/** The id of an event entity: transaction hash ++ int32 log index. */
export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

/**
 * A new immutable event entity of type `T` with its id and the event's block, timestamp, transaction and log
 * index set. Every event entity type declares those fields (see the interfaces in schema.graphql).
 */
export function newEvent<T>(event: ethereum.Event): T {
  const entity = instantiate<T>(eventId(event));
  entity.blockNumber = event.block.number;
  entity.timestamp = event.block.timestamp;
  entity.transactionID = event.transaction.hash;
  entity.logIndex = event.logIndex;
  return entity;
}

/**
 * The identity `address`, created on first sight by any registry with ERC-1056 defaults: it owns itself and
 * has no DIDRegistry history yet.
 */
export function getOrCreateIdentity(address: Address, block: ethereum.Block): Identity {
  let identity = Identity.load(address);
  if (identity == null) {
    identity = new Identity(address);
    identity.owner = address;
    identity.deactivated = false;
    identity.changed = ZERO;
    identity.changedTimestamp = ZERO;
    identity.changedIgnored = false;
    identity.eventCount = 0;
    identity.delegateCount = 0;
    identity.serviceCount = 0;
    identity.malformedValidTo = ZERO;
    identity.createdAtBlock = block.number;
    identity.createdAtTimestamp = block.timestamp;
    identity.updatedAtBlock = block.number;
    identity.updatedAtTimestamp = block.timestamp;
  }
  return identity;
}

/**
 * The accredited issuer `address`. The IssuerRegistry accredits an issuer before anything else can name it, so
 * a missing issuer means the manifest starts after the accreditation: indexing stops with that message.
 */
export function loadIssuer(address: Address): Issuer {
  const issuer = Issuer.load(address);
  if (issuer == null) throw new Error("unknown issuer " + address.toHexString() + ": is startBlock too late?");
  return issuer;
}

/** `value` (an unsigned integer below 2^(8 * size)) as `size` big-endian bytes. */
function bigEndianBytes(value: BigInt, size: i32): Bytes {
  const out = new Bytes(size);
  // BigInt holds little-endian two's complement bytes, possibly with a trailing sign byte.
  const length = value.length < size ? value.length : size;
  for (let i = 0; i < length; i++) out[size - 1 - i] = value[i];
  return out;
}

/** `value` (an unsigned integer below 2^256) as 32 big-endian bytes: the ABI encoding of a uint256. */
export function uint256Bytes(value: BigInt): Bytes {
  return bigEndianBytes(value, 32);
}

/** `value` (a uint128) as 16 big-endian bytes: a status word as a slice of the W3C bitstring. */
export function uint128Bytes(value: BigInt): Bytes {
  return bigEndianBytes(value, 16);
}

/**
 * StatusRegistry purposes: the attestations' lists (REVOCATION, SUSPENSION, indexed by attestation status index)
 * and the off-chain credentials' lists (CREDENTIAL_REVOCATION = 2, CREDENTIAL_SUSPENSION = 3).
 */
export const REVOCATION = 0;
export const SUSPENSION = 1;

/** Statuses per StatusRegistry word: status `i` is bit `i % 128` (from the most significant) of word `i / 128`. */
export const WORD_BITS_LOG2: u8 = 7;

/** Stores `attestation` as changed in `block`. */
export function saveAttestation(attestation: Attestation, block: ethereum.Block): void {
  attestation.updatedAtBlock = block.number;
  attestation.updatedAtTimestamp = block.timestamp;
  attestation.save();
}

/** The id of `issuer`'s status list for `purpose` (0..3). */
export function statusListId(issuer: Address, purpose: i32): Bytes {
  return issuer.concatI32(purpose);
}

/** The mask of status `bit` (0..127, most significant first) within its byte `bit >> 3` of a word. */
export function statusMask(bit: i32): u8 {
  const highest: i32 = 0x80;
  return (highest >> (bit & 7)) as u8;
}

/** Whether status `bit` (0..127, most significant first) of the 16-byte word `bits` is set. */
export function isBitSet(bits: Bytes, bit: i32): boolean {
  return (bits[bit >> 3] & statusMask(bit)) != 0;
}

/** The id of word `wordIndex` of the status list `list`: list ++ wordIndex (uint256, 32 big-endian bytes). */
export function statusWordId(list: Bytes, wordIndex: BigInt): Bytes {
  return list.concat(uint256Bytes(wordIndex));
}

/** The position (0..127, most significant first) of status `statusIndex` (32 big-endian bytes) in its word. */
export function statusBit(statusIndex: Bytes): i32 {
  return (statusIndex[31] & 127) as i32;
}

/**
 * Whether status `statusIndex` of `issuer`'s `purpose` list is set: bit `statusIndex % 128` of word
 * `statusIndex / 128`. An issuer may set a status before the attestation holding it is issued (e.g. to revoke a
 * Merkle leaf before its claim); that attestation is then born with the status.
 */
export function isStatusSet(issuer: Address, purpose: i32, statusIndex: BigInt): boolean {
  const wordId = statusWordId(statusListId(issuer, purpose), statusIndex.rightShift(WORD_BITS_LOG2));
  const word = StatusWord.load(wordId);
  return word != null && isBitSet(word.bits, statusBit(uint256Bytes(statusIndex)));
}

/** The id of the attestation holding status `statusIndex` (32 big-endian bytes) of `issuer`. */
export function attestationId(issuer: Address, statusIndex: Bytes): Bytes {
  return issuer.concat(statusIndex);
}

/**
 * Whether the first `length` bytes of `data` are valid UTF-8 exactly as ethers' strict `toUtf8String` (used by
 * ethr-did-resolver) decides: no stray continuation byte, no truncated sequence, no overlong encoding, no UTF-16
 * surrogate, nothing above U+10FFFF.
 */
function isUtf8Prefix(data: Bytes, length: i32): boolean {
  let i = 0;
  while (i < length) {
    const lead = data[i] as u32;
    i++;
    if (lead < 0x80) continue;
    let extra = 0;
    let code: u32 = 0;
    let minimum: u32 = 0;
    if ((lead & 0xe0) == 0xc0) {
      extra = 1;
      code = lead & 0x1f;
      minimum = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      extra = 2;
      code = lead & 0x0f;
      minimum = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      extra = 3;
      code = lead & 0x07;
      minimum = 0x10000;
    } else {
      return false;
    }
    if (i + extra > length) return false;
    for (let j = 0; j < extra; j++) {
      const next = data[i] as u32;
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
      i++;
    }
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code < minimum) return false;
  }
  return true;
}

/** Whether `data` is valid UTF-8 (see {@link isUtf8Prefix}). */
export function isUtf8(data: Bytes): boolean {
  return isUtf8Prefix(data, data.length);
}

/** Length of `data` without its trailing zero bytes. */
export function trimmedLength(data: Bytes): i32 {
  let length = data.length;
  while (length > 0 && data[length - 1] == 0) length--;
  return length;
}

/**
 * The first `length` bytes of `data` as text, or null if they are not valid UTF-8 or contain a NUL character
 * (which a Postgres text column cannot hold).
 */
function textOf(data: Bytes, length: i32): string | null {
  if (!isUtf8Prefix(data, length)) return null;
  for (let i = 0; i < length; i++) if (data[i] == 0) return null;
  return String.UTF8.decodeUnsafe(data.dataStart, length);
}

/** `data` as UTF-8 text, or null (see {@link textOf}). */
export function utf8Text(data: Bytes): string | null {
  return textOf(data, data.length);
}

/**
 * A bytes32 decoded as ethr-did-resolver's `bytes32toString` does (UTF-8, trailing zeros stripped), e.g.
 * "veriKey" or "did/svc/HubService"; null if not UTF-8 or a NUL remains inside.
 */
export function bytes32Text(data: Bytes): string | null {
  return textOf(data, trimmedLength(data));
}

/** Records a SignaturesCancelled event of the RealNameRegistry or the StatusRegistry. */
export function recordSignaturesCancelled(
  event: ethereum.Event,
  authority: Address,
  nonce: BigInt,
  actor: Address,
): void {
  const entity = newEvent<SignaturesCancelled>(event);
  entity.registry = event.address;
  entity.authority = authority;
  entity.nonce = nonce;
  entity.actor = actor;
  entity.save();
}
