/**
 * DIDRegistry (ERC-1056 / did:ethr) mappings: identities, delegates, attributes and their full history, with
 * the counters and ordinals that let a client rebuild ethr-did-resolver's DID document exactly (see the
 * description of `Identity` in schema.graphql), and lost-key recovery state with its own history.
 */
import { Address, BigInt, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";

import {
  DIDAttributeChanged as DIDAttributeChangedEvent,
  DIDDelegateChanged as DIDDelegateChangedEvent,
  DIDOwnerChanged as DIDOwnerChangedEvent,
  DIDRecoveryCancelled as DIDRecoveryCancelledEvent,
  DIDRecoveryCompleted as DIDRecoveryCompletedEvent,
  DIDRecoverySet as DIDRecoverySetEvent,
  DIDRecoveryStarted as DIDRecoveryStartedEvent,
} from "../generated/DIDRegistry/DIDRegistry";
import {
  Attribute,
  AttributeChanged,
  Delegate,
  DelegateChanged,
  Identity,
  OwnerChanged,
  RecoveryCancelled,
  RecoveryCompleted,
  RecoverySet,
  RecoveryStarted,
} from "../generated/schema";
import { bytes32Text, getOrCreateIdentity, isUtf8, newEvent, trimmedLength, utf8Text } from "./utils";

/** The attribute name is not did/pub/... or did/svc/... (or not UTF-8): ethr-did-resolver neither counts nor shows it. */
const NAME_OTHER = 0;
/** did/pub/X[/Y[/Z]]: a public key, numbered with the delegate counter. */
const NAME_PUB = 1;
/** did/svc/X[/Y[/Z]]: a service, numbered with the service counter. */
const NAME_SVC = 2;
/** did/pub/ followed by something else: never shown, counted with the delegate counter only while invalid. */
const NAME_MALFORMED_PUB = 3;
/** did/svc/ followed by something else: never shown, counted with the service counter only while invalid. */
const NAME_MALFORMED_SVC = 4;

const SLASH: u8 = 0x2f;

/** Whether `byte` matches the regular expression class `\w` (ASCII letters, digits and `_`). */
function isWordByte(byte: u8): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x5f
  );
}

/** Whether `name` starts with the ASCII text `prefix`. */
function startsWith(name: Bytes, prefix: string): boolean {
  if (name.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (name[i] != (prefix.charCodeAt(i) as u8)) return false;
  return true;
}

/**
 * Classifies a bytes32 attribute name as ethr-did-resolver does: the full pattern
 * `^did\/(pub|svc)\/(\w+)(\/(\w+))?(\/(\w+))?$` for valid attributes, the bare prefixes `^did\/pub\/` and
 * `^did\/svc\/` for invalid ones. Trailing zeros are stripped first, as its `bytes32toString` does.
 */
function classifyName(name: Bytes): i32 {
  if (!isUtf8(name)) return NAME_OTHER;
  const pub = startsWith(name, "did/pub/");
  if (!pub && !startsWith(name, "did/svc/")) return NAME_OTHER;
  const end = trimmedLength(name);
  let segments = 1;
  let segmentLength = 0;
  let wellFormed = true;
  for (let i = 8; i < end && wellFormed; i++) {
    if (name[i] == SLASH) {
      wellFormed = segmentLength > 0;
      segments++;
      segmentLength = 0;
    } else {
      wellFormed = isWordByte(name[i]);
      segmentLength++;
    }
  }
  wellFormed = wellFormed && segmentLength > 0 && segments <= 3;
  if (pub) return wellFormed ? NAME_PUB : NAME_MALFORMED_PUB;
  return wellFormed ? NAME_SVC : NAME_MALFORMED_SVC;
}

/**
 * Records one more DIDRegistry event of `identity` and returns its sequence number (from 1); `ignored` when
 * ethr-did-resolver ignores the event (a bytes32 delegate type or name that is not UTF-8).
 */
function recordChange(identity: Identity, block: ethereum.Block, ignored: boolean): i32 {
  identity.eventCount += 1;
  identity.changed = block.number;
  identity.changedTimestamp = block.timestamp;
  identity.changedIgnored = ignored;
  identity.updatedAtBlock = block.number;
  identity.updatedAtTimestamp = block.timestamp;
  return identity.eventCount;
}

/**
 * Applies a change to a delegate or attribute entry `T`: new validity, latest sequence and what decides the
 * entry's position in the DID document at resolution time: the previous event's validity, the first event and
 * the lowest validity of all, and the run of events. The run goes on while the previous event was still valid
 * when this one happened; `sinceValidTo` keeps the earliest validity in it, below which the run is broken at
 * resolution time.
 */
function applyChange<T>(entry: T, created: boolean, sequence: i32, validTo: BigInt, block: ethereum.Block): void {
  if (created) {
    entry.createdAtBlock = block.number;
    entry.createdAtTimestamp = block.timestamp;
    entry.firstSequence = sequence;
    entry.lowestValidTo = validTo;
    entry.previousValidTo = null;
  } else {
    entry.previousValidTo = entry.validTo;
    if (validTo.lt(entry.lowestValidTo)) entry.lowestValidTo = validTo;
  }
  if (!created && entry.validTo.ge(block.timestamp)) {
    let earliest = entry.validTo;
    const earlier = entry.sinceValidTo;
    if (earlier !== null && earlier.lt(earliest)) earliest = earlier;
    entry.sinceValidTo = earliest;
  } else {
    entry.since = sequence;
    entry.sinceValidTo = null;
  }
  entry.validTo = validTo;
  entry.revoked = validTo.le(block.timestamp);
  entry.sequence = sequence;
  entry.updatedAtBlock = block.number;
  entry.updatedAtTimestamp = block.timestamp;
}

/** The fields every DIDRegistry event entity shares. */
function newIdentityEvent<T>(event: ethereum.Event, identity: Identity, sequence: i32, previousChange: BigInt): T {
  const entity = newEvent<T>(event);
  entity.identity = identity.id;
  entity.sequence = sequence;
  entity.previousChange = previousChange;
  return entity;
}

export function handleDIDOwnerChanged(event: DIDOwnerChangedEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  const sequence = recordChange(identity, event.block, false);
  identity.owner = event.params.owner;
  identity.deactivated = event.params.owner.equals(Address.zero());
  identity.save();

  const entity = newIdentityEvent<OwnerChanged>(event, identity, sequence, event.params.previousChange);
  entity.owner = event.params.owner;
  entity.save();
}

export function handleDIDDelegateChanged(event: DIDDelegateChangedEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  const delegateType = Bytes.fromByteArray(event.params.delegateType);
  const sequence = recordChange(identity, event.block, !isUtf8(delegateType));
  const typeText = bytes32Text(delegateType);

  const id = identity.id.concat(delegateType).concat(event.params.delegate);
  let entry = Delegate.load(id);
  const created = entry == null;
  if (entry == null) {
    entry = new Delegate(id);
    entry.identity = identity.id;
    entry.delegateType = delegateType;
    entry.delegateTypeText = typeText;
    entry.delegate = event.params.delegate;
  }
  if (isUtf8(delegateType)) {
    identity.delegateCount += 1;
    entry.ordinal = identity.delegateCount;
  }
  applyChange<Delegate>(entry, created, sequence, event.params.validTo, event.block);
  entry.save();
  identity.save();

  const entity = newIdentityEvent<DelegateChanged>(event, identity, sequence, event.params.previousChange);
  entity.entry = id;
  entity.delegateType = delegateType;
  entity.delegateTypeText = typeText;
  entity.delegate = event.params.delegate;
  entity.validTo = event.params.validTo;
  entity.save();
}

export function handleDIDAttributeChanged(event: DIDAttributeChangedEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  const name = Bytes.fromByteArray(event.params.name);
  const sequence = recordChange(identity, event.block, !isUtf8(name));
  const nameText = bytes32Text(name);
  const value = event.params.value;

  const id = identity.id.concat(name).concat(Bytes.fromByteArray(crypto.keccak256(value)));
  let entry = Attribute.load(id);
  const created = entry == null;
  if (entry == null) {
    entry = new Attribute(id);
    entry.identity = identity.id;
    entry.name = name;
    entry.nameText = nameText;
    entry.value = value;
    entry.valueText = utf8Text(value);
  }
  const kind = classifyName(name);
  if (kind == NAME_PUB || kind == NAME_MALFORMED_PUB) identity.delegateCount += 1;
  if (kind == NAME_SVC || kind == NAME_MALFORMED_SVC) identity.serviceCount += 1;
  if (kind == NAME_PUB) {
    entry.section = "pub";
    entry.ordinal = identity.delegateCount;
  } else if (kind == NAME_SVC) {
    entry.section = "svc";
    entry.ordinal = identity.serviceCount;
  } else if (kind != NAME_OTHER && event.params.validTo.gt(identity.malformedValidTo)) {
    identity.malformedValidTo = event.params.validTo;
  }
  applyChange<Attribute>(entry, created, sequence, event.params.validTo, event.block);
  entry.save();
  identity.save();

  const entity = newIdentityEvent<AttributeChanged>(event, identity, sequence, event.params.previousChange);
  entity.entry = id;
  entity.name = name;
  entity.nameText = nameText;
  entity.value = value;
  entity.validTo = event.params.validTo;
  entity.save();
}

/** Stores `identity` after a recovery change in `block`; recovery never moves the ERC-1056 `changed`. */
function saveRecovery(identity: Identity, block: ethereum.Block): void {
  identity.updatedAtBlock = block.number;
  identity.updatedAtTimestamp = block.timestamp;
  identity.save();
}

/** Ends the identity's pending recovery, if any. */
function clearPendingRecovery(identity: Identity): void {
  identity.recoveryPendingOwner = null;
  identity.recoveryReadyAt = null;
}

export function handleDIDRecoverySet(event: DIDRecoverySetEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  if (event.params.recovery.equals(Address.zero())) {
    identity.recovery = null;
    identity.recoveryDelay = null;
  } else {
    identity.recovery = event.params.recovery;
    identity.recoveryDelay = event.params.delay;
  }
  clearPendingRecovery(identity);
  saveRecovery(identity, event.block);

  const entity = newEvent<RecoverySet>(event);
  entity.identity = identity.id;
  entity.recovery = event.params.recovery;
  entity.delay = event.params.delay;
  entity.save();
}

export function handleDIDRecoveryStarted(event: DIDRecoveryStartedEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  identity.recoveryPendingOwner = event.params.newOwner;
  identity.recoveryReadyAt = event.params.readyAt;
  saveRecovery(identity, event.block);

  const entity = newEvent<RecoveryStarted>(event);
  entity.identity = identity.id;
  entity.recovery = event.params.recovery;
  entity.newOwner = event.params.newOwner;
  entity.readyAt = event.params.readyAt;
  entity.save();
}

export function handleDIDRecoveryCancelled(event: DIDRecoveryCancelledEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  clearPendingRecovery(identity);
  saveRecovery(identity, event.block);

  const entity = newEvent<RecoveryCancelled>(event);
  entity.identity = identity.id;
  entity.by = event.params.by;
  entity.save();
}

/** The owner change itself arrives as DIDOwnerChanged and the cleared designation as DIDRecoverySet. */
export function handleDIDRecoveryCompleted(event: DIDRecoveryCompletedEvent): void {
  const identity = getOrCreateIdentity(event.params.identity, event.block);
  clearPendingRecovery(identity);
  saveRecovery(identity, event.block);

  const entity = newEvent<RecoveryCompleted>(event);
  entity.identity = identity.id;
  entity.previousOwner = event.params.previousOwner;
  entity.newOwner = event.params.newOwner;
  entity.save();
}
