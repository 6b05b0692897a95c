/**
 * StatusRegistry mappings: bitstring status lists per issuer (attestation revocation and suspension, credential
 * revocation and suspension), 128 statuses per word, with the attestation lists mirrored onto the attestations
 * holding the statuses.
 *
 * Status `i` lives in word `i >> 7` as bit `i & 127` counted from the word's most significant bit, which is byte
 * `(i & 127) >> 3`, mask `0x80 >> (i & 7)` of the word's 16 big-endian bytes.
 */
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

import {
  SignaturesCancelled as SignaturesCancelledEvent,
  StatusChanged as StatusChangedEvent,
  StatusWordChanged as StatusWordChangedEvent,
} from "../generated/StatusRegistry/StatusRegistry";
import { Attestation, StatusChanged, StatusList, StatusWord, StatusWordChanged } from "../generated/schema";
import {
  attestationId,
  isBitSet,
  newEvent,
  recordSignaturesCancelled,
  REVOCATION,
  saveAttestation,
  statusBit,
  statusListId,
  statusMask,
  statusWordId,
  SUSPENSION,
  uint128Bytes,
  uint256Bytes,
  WORD_BITS_LOG2,
} from "./utils";

/** StatusRegistry purposes by value (others revert on chain). */
const PURPOSES = ["Revocation", "Suspension", "CredentialRevocation", "CredentialSuspension"];

/** Number of set bits of `bits`. */
function popCount(bits: Bytes): i32 {
  let count = 0;
  for (let i = 0; i < bits.length; i++) count += popcnt<u32>(bits[i] as u32) as i32;
  return count;
}

/** The status list of `issuer` for `purpose`, created empty on first use. */
function getOrCreateList(issuer: Address, purpose: i32): StatusList {
  const id = statusListId(issuer, purpose);
  let list = StatusList.load(id);
  if (list == null) {
    list = new StatusList(id);
    list.issuer = issuer;
    list.purpose = PURPOSES[purpose];
    list.setCount = 0;
  }
  return list;
}

/** Word `wordIndex` of `list`, all zero until first written. */
function getOrCreateWord(list: StatusList, wordIndex: BigInt): StatusWord {
  const id = statusWordId(list.id, wordIndex);
  let word = StatusWord.load(id);
  if (word == null) {
    word = new StatusWord(id);
    word.list = list.id;
    word.wordIndex = wordIndex;
    word.bits = new Bytes(16);
    word.setCount = 0;
  }
  return word;
}

/** Replaces the bits of `word` in `list` and saves both. */
function writeWord(list: StatusList, word: StatusWord, bits: Bytes, block: ethereum.Block): void {
  const setCount = popCount(bits);
  list.setCount += setCount - word.setCount;
  list.updatedAtBlock = block.number;
  list.updatedAtTimestamp = block.timestamp;
  list.save();
  word.bits = bits;
  word.setCount = setCount;
  word.updatedAtBlock = block.number;
  word.updatedAtTimestamp = block.timestamp;
  word.save();
}

/**
 * Mirrors status `index` (32 big-endian bytes) of `issuer`'s `purpose` list onto the attestation holding it and
 * returns that attestation's id, or null if no attestation holds the index (credential lists never do).
 */
function mirrorStatus(
  issuer: Address,
  purpose: i32,
  index: Bytes,
  value: boolean,
  block: ethereum.Block,
): Bytes | null {
  if (purpose != REVOCATION && purpose != SUSPENSION) return null;
  const attestation = Attestation.load(attestationId(issuer, index));
  if (attestation == null) return null;
  if (purpose == REVOCATION) attestation.revoked = value;
  else attestation.suspended = value;
  saveAttestation(attestation, block);
  return attestation.id;
}

export function handleStatusChanged(event: StatusChangedEvent): void {
  const params = event.params;
  const purpose = params.purpose;
  const index = uint256Bytes(params.index);
  const bit = statusBit(index);
  const list = getOrCreateList(params.issuer, purpose);
  const word = getOrCreateWord(list, params.index.rightShift(WORD_BITS_LOG2));

  const bits = word.bits;
  const mask = statusMask(bit);
  bits[bit >> 3] = params.value ? bits[bit >> 3] | mask : bits[bit >> 3] & ~mask;
  writeWord(list, word, bits, event.block);

  const entity = newEvent<StatusChanged>(event);
  entity.issuer = params.issuer;
  entity.actor = params.actor;
  entity.list = list.id;
  entity.purpose = list.purpose;
  entity.index = params.index;
  entity.value = params.value;
  entity.attestation = mirrorStatus(params.issuer, purpose, index, params.value, event.block);
  entity.save();
}

export function handleStatusWordChanged(event: StatusWordChangedEvent): void {
  const params = event.params;
  const purpose = params.purpose;
  const list = getOrCreateList(params.issuer, purpose);
  const word = getOrCreateWord(list, params.wordIndex);
  const bits = uint128Bytes(params.word);

  // Status 128 * wordIndex + bit: the word's first index, whose low 7 bits are zero, with `bit` in them.
  const previous = word.bits;
  const index = uint256Bytes(params.wordIndex.leftShift(WORD_BITS_LOG2));
  const first = index[31];
  for (let bit = 0; bit < 128; bit++) {
    const value = isBitSet(bits, bit);
    if (value == isBitSet(previous, bit)) continue;
    index[31] = first | (bit as u8);
    mirrorStatus(params.issuer, purpose, index, value, event.block);
  }
  writeWord(list, word, bits, event.block);

  const entity = newEvent<StatusWordChanged>(event);
  entity.issuer = params.issuer;
  entity.actor = params.actor;
  entity.list = list.id;
  entity.purpose = list.purpose;
  entity.wordIndex = params.wordIndex;
  entity.bits = bits;
  entity.save();
}

export function handleSignaturesCancelled(event: SignaturesCancelledEvent): void {
  recordSignaturesCancelled(event, event.params.authority, event.params.nonce, event.params.actor);
}
