/**
 * StatusRegistry mappings: bitstring status lists (revocation, suspension) per issuer, 256 statuses per word,
 * mirrored onto the attestations holding the statuses.
 *
 * Status indices are handled as 32 big-endian bytes (a uint256's ABI encoding): then status `i` lives in word
 * `i >> 8` (the index shifted right by one byte), as bit `i & 255` (the last byte) counted from the word's most
 * significant bit, which is byte `(i & 255) >> 3`, mask `0x80 >> (i & 7)` of the word's big-endian bytes.
 */
import { Address, Bytes, ethereum } from "@graphprotocol/graph-ts";

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
  shiftBytes,
  statusListId,
  statusMask,
  uint256Bytes,
  uint256FromBytes,
} from "./utils";

/** StatusRegistry purposes by value: REVOCATION = 0, SUSPENSION = 1 (others revert on chain). */
const PURPOSES = ["Revocation", "Suspension"];

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

/** Word `wordIndex` (32 big-endian bytes) of `list`, all zero until first written. */
function getOrCreateWord(list: StatusList, wordIndex: Bytes): StatusWord {
  const id = list.id.concat(wordIndex);
  let word = StatusWord.load(id);
  if (word == null) {
    word = new StatusWord(id);
    word.list = list.id;
    word.wordIndex = uint256FromBytes(wordIndex);
    word.bits = new Bytes(32);
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
 * Mirrors status `index` (32 big-endian bytes) of `issuer`'s `purpose` list onto the attestation holding it
 * and returns that attestation's id, or null if no attestation holds the index.
 */
function mirrorStatus(
  issuer: Address,
  purpose: i32,
  index: Bytes,
  value: boolean,
  block: ethereum.Block,
): Bytes | null {
  const attestation = Attestation.load(attestationId(issuer, index));
  if (attestation == null) return null;
  if (purpose == REVOCATION) attestation.revoked = value;
  else attestation.suspended = value;
  saveAttestation(attestation, block);
  return attestation.id;
}

export function handleStatusChanged(event: StatusChangedEvent): void {
  const issuer = event.params.issuer;
  const purpose = event.params.purpose;
  const index = uint256Bytes(event.params.index);
  const bit = index[31] as i32;
  const list = getOrCreateList(issuer, purpose);
  const word = getOrCreateWord(list, shiftBytes(index, 1));

  const bits = word.bits;
  const mask = statusMask(bit);
  bits[bit >> 3] = event.params.value ? bits[bit >> 3] | mask : bits[bit >> 3] & ~mask;
  writeWord(list, word, bits, event.block);

  const entity = newEvent<StatusChanged>(event);
  entity.issuer = issuer;
  entity.list = list.id;
  entity.purpose = list.purpose;
  entity.index = event.params.index;
  entity.value = event.params.value;
  entity.attestation = mirrorStatus(issuer, purpose, index, event.params.value, event.block);
  entity.save();
}

export function handleStatusWordChanged(event: StatusWordChangedEvent): void {
  const issuer = event.params.issuer;
  const purpose = event.params.purpose;
  const wordIndex = uint256Bytes(event.params.wordIndex);
  const list = getOrCreateList(issuer, purpose);
  const word = getOrCreateWord(list, wordIndex);
  const bits = uint256Bytes(event.params.word);

  // Status 256 * wordIndex + bit: the word index shifted left by one byte, with `bit` as its last byte.
  const previous = word.bits;
  const index = shiftBytes(wordIndex, -1);
  for (let bit = 0; bit < 256; bit++) {
    const value = isBitSet(bits, bit);
    if (value == isBitSet(previous, bit)) continue;
    index[31] = bit as u8;
    mirrorStatus(issuer, purpose, index, value, event.block);
  }
  writeWord(list, word, bits, event.block);

  const entity = newEvent<StatusWordChanged>(event);
  entity.issuer = issuer;
  entity.list = list.id;
  entity.purpose = list.purpose;
  entity.wordIndex = event.params.wordIndex;
  entity.bits = bits;
  entity.save();
}

export function handleSignaturesCancelled(event: SignaturesCancelledEvent): void {
  recordSignaturesCancelled(event, event.params.issuer, event.params.nonce);
}
