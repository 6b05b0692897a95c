/**
 * RealNameRegistry mappings: real-name attestations (direct, batched, signed, Merkle-claimed), their
 * replacement and renunciation, owner reconfirmation, public disclosures, and Merkle roots anchored and cancelled.
 */
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

import {
  AttestationRenounced as AttestationRenouncedEvent,
  AttestationReplaced as AttestationReplacedEvent,
  Attested as AttestedEvent,
  Disclosed as DisclosedEvent,
  MerkleLeafClaimed as MerkleLeafClaimedEvent,
  MerkleRootAnchored as MerkleRootAnchoredEvent,
  MerkleRootCancelled as MerkleRootCancelledEvent,
  OwnerReconfirmed as OwnerReconfirmedEvent,
  SignaturesCancelled as SignaturesCancelledEvent,
} from "../generated/RealNameRegistry/RealNameRegistry";
import {
  Attestation,
  AttestationRenounced,
  AttestationReplaced,
  Attested,
  Disclosed,
  Identity,
  MerkleLeafClaimed,
  MerkleRoot,
  MerkleRootAnchored,
  MerkleRootCancelled,
  OwnerReconfirmed,
} from "../generated/schema";
import {
  attestationId,
  getOrCreateIdentity,
  isStatusSet,
  loadIssuer,
  newEvent,
  recordSignaturesCancelled,
  REVOCATION,
  saveAttestation,
  SUSPENSION,
  uint256Bytes,
} from "./utils";

/** RealNameRegistry.IssuancePath by its value. */
const ISSUANCE_PATHS = ["Direct", "Batch", "Signed", "MerkleClaim"];

/** The current attestation of `identity`; every event naming it follows its {Attested} event. */
function currentAttestation(identity: Address): Attestation {
  const entity = Identity.load(identity);
  if (entity != null) {
    const attestation = loadAttestation(entity.attestation);
    if (attestation != null) return attestation;
  }
  throw new Error("no attestation for " + identity.toHexString());
}

/** The attestation of `issuer` with status index `statusIndex`; every event naming it follows its {Attested}. */
function attestationAt(issuer: Address, statusIndex: BigInt): Attestation {
  const id = attestationId(issuer, uint256Bytes(statusIndex));
  const attestation = Attestation.load(id);
  if (attestation == null) throw new Error("unknown attestation " + id.toHexString());
  return attestation;
}

/** `issuer`'s anchored Merkle `root`; every event naming it follows its {MerkleRootAnchored}. */
function loadMerkleRoot(issuer: Address, root: Bytes): MerkleRoot {
  const entity = MerkleRoot.load(merkleRootId(issuer, root));
  if (entity == null) throw new Error("unknown Merkle root " + root.toHexString() + " of " + issuer.toHexString());
  return entity;
}

/** The id of `issuer`'s Merkle root `root`: roots are keyed by issuer. */
function merkleRootId(issuer: Address, root: Bytes): Bytes {
  return issuer.concat(root);
}

/** The attestation `id`, or null when there is none. */
function loadAttestation(id: Bytes | null): Attestation | null {
  if (id === null) return null;
  return Attestation.load(id);
}

/** A new event entity `T` about `attestation`. */
function newAttestationEvent<T>(event: ethereum.Event, attestation: Attestation): T {
  const entity = newEvent<T>(event);
  entity.attestation = attestation.id;
  entity.identity = attestation.identity;
  return entity;
}

export function handleAttested(event: AttestedEvent): void {
  const params = event.params;
  const identity = getOrCreateIdentity(params.identity, event.block);
  const attestation = new Attestation(attestationId(params.issuer, uint256Bytes(params.statusIndex)));
  attestation.identity = identity.id;
  attestation.issuer = params.issuer;
  attestation.actor = params.actor;
  attestation.level = params.level;
  attestation.expiry = params.expiry;
  attestation.statusIndex = params.statusIndex;
  attestation.commitment = params.commitment;
  attestation.owner = params.owner;
  attestation.scope = params.scope;
  attestation.nullifier = params.nullifier;
  attestation.path = ISSUANCE_PATHS[params.path];
  attestation.current = true;
  attestation.renounced = false;
  attestation.revoked = isStatusSet(params.issuer, REVOCATION, params.statusIndex);
  attestation.suspended = isStatusSet(params.issuer, SUSPENSION, params.statusIndex);
  attestation.createdAtBlock = event.block.number;
  attestation.createdAtTimestamp = event.block.timestamp;

  // The previous attestation (announced by AttestationReplaced; none after a renunciation) stops being current; a
  // disclosure carries over when the new attestation keeps its commitment, as the registry's disclosed flag does.
  const previous = loadAttestation(identity.attestation);
  if (previous != null) {
    previous.current = false;
    previous.replacedBy = attestation.id;
    saveAttestation(previous, event.block);
    if (previous.commitment.equals(params.commitment)) attestation.disclosedName = previous.disclosedName;
  }
  saveAttestation(attestation, event.block);

  identity.attestation = attestation.id;
  identity.updatedAtBlock = event.block.number;
  identity.updatedAtTimestamp = event.block.timestamp;
  identity.save();

  const issuer = loadIssuer(params.issuer);
  issuer.attestationCount += 1;
  issuer.save();

  const entity = newAttestationEvent<Attested>(event, attestation);
  entity.issuer = params.issuer;
  entity.actor = params.actor;
  entity.level = params.level;
  entity.expiry = params.expiry;
  entity.statusIndex = params.statusIndex;
  entity.owner = params.owner;
  entity.path = attestation.path;
  entity.save();
}

export function handleAttestationReplaced(event: AttestationReplacedEvent): void {
  const params = event.params;
  const attestation = attestationAt(params.previousIssuer, params.previousStatusIndex);
  const entity = newAttestationEvent<AttestationReplaced>(event, attestation);
  entity.previousIssuer = params.previousIssuer;
  entity.previousLevel = params.previousLevel;
  entity.disclosureRemoved = params.disclosureRemoved;
  entity.releasedScope = params.releasedScope;
  entity.releasedNullifier = params.releasedNullifier;
  entity.save();
}

export function handleAttestationRenounced(event: AttestationRenouncedEvent): void {
  const params = event.params;
  const attestation = attestationAt(params.issuer, params.statusIndex);
  attestation.current = false;
  attestation.renounced = true;
  saveAttestation(attestation, event.block);

  const identity = getOrCreateIdentity(params.identity, event.block);
  identity.attestation = null;
  identity.updatedAtBlock = event.block.number;
  identity.updatedAtTimestamp = event.block.timestamp;
  identity.save();

  const entity = newAttestationEvent<AttestationRenounced>(event, attestation);
  entity.issuer = params.issuer;
  entity.statusIndex = params.statusIndex;
  entity.owner = params.owner;
  entity.save();
}

export function handleOwnerReconfirmed(event: OwnerReconfirmedEvent): void {
  const attestation = currentAttestation(event.params.identity);
  attestation.owner = event.params.owner;
  saveAttestation(attestation, event.block);

  const entity = newAttestationEvent<OwnerReconfirmed>(event, attestation);
  entity.issuer = event.params.issuer;
  entity.actor = event.params.actor;
  entity.owner = event.params.owner;
  entity.save();
}

export function handleMerkleRootAnchored(event: MerkleRootAnchoredEvent): void {
  const params = event.params;
  const root = new MerkleRoot(merkleRootId(params.issuer, params.root));
  root.root = params.root;
  root.issuer = params.issuer;
  root.anchoredBy = params.actor;
  root.level = params.level;
  root.expiry = params.expiry;
  root.firstStatusIndex = params.firstStatusIndex;
  root.count = params.count;
  root.uri = params.uri;
  root.claimedCount = 0;
  root.cancelled = false;
  root.anchoredAtBlock = event.block.number;
  root.anchoredAtTimestamp = event.block.timestamp;
  root.transactionID = event.transaction.hash;
  root.save();

  const entity = newEvent<MerkleRootAnchored>(event);
  entity.issuer = params.issuer;
  entity.actor = params.actor;
  entity.root = root.id;
  entity.save();
}

export function handleMerkleRootCancelled(event: MerkleRootCancelledEvent): void {
  const params = event.params;
  const root = loadMerkleRoot(params.issuer, params.root);
  root.cancelled = true;
  root.cancelledAtBlock = event.block.number;
  root.save();

  const entity = newEvent<MerkleRootCancelled>(event);
  entity.issuer = params.issuer;
  entity.actor = params.actor;
  entity.root = root.id;
  entity.save();
}

export function handleMerkleLeafClaimed(event: MerkleLeafClaimedEvent): void {
  // Emitted right after the Attested event of the claimed leaf, which has the leaf's status index.
  const params = event.params;
  const root = loadMerkleRoot(params.issuer, params.root);
  root.claimedCount += 1;
  root.save();

  const attestation = attestationAt(params.issuer, params.statusIndex);
  attestation.merkleRoot = root.id;
  saveAttestation(attestation, event.block);

  const entity = newAttestationEvent<MerkleLeafClaimed>(event, attestation);
  entity.root = root.id;
  entity.issuer = params.issuer;
  entity.statusIndex = params.statusIndex;
  entity.save();
}

export function handleDisclosed(event: DisclosedEvent): void {
  const attestation = currentAttestation(event.params.identity);
  attestation.disclosedName = event.params.realName;
  saveAttestation(attestation, event.block);

  const entity = newAttestationEvent<Disclosed>(event, attestation);
  entity.issuer = event.params.issuer;
  entity.realName = event.params.realName;
  entity.save();
}

export function handleSignaturesCancelled(event: SignaturesCancelledEvent): void {
  recordSignaturesCancelled(event, event.params.authority, event.params.nonce, event.params.actor);
}
