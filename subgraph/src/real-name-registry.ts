/**
 * RealNameRegistry mappings: real-name attestations (direct, batched, signed, Merkle-claimed), their
 * replacement, owner reconfirmation, public disclosures and anchored Merkle roots.
 */
import { Address, Bytes, ethereum } from "@graphprotocol/graph-ts";

import {
  AttestationReplaced as AttestationReplacedEvent,
  Attested as AttestedEvent,
  Disclosed as DisclosedEvent,
  MerkleLeafClaimed as MerkleLeafClaimedEvent,
  MerkleRootAnchored as MerkleRootAnchoredEvent,
  OwnerReconfirmed as OwnerReconfirmedEvent,
  SignaturesCancelled as SignaturesCancelledEvent,
} from "../generated/RealNameRegistry/RealNameRegistry";
import {
  Attestation,
  AttestationReplaced,
  Attested,
  Disclosed,
  Identity,
  MerkleLeafClaimed,
  MerkleRoot,
  MerkleRootAnchored,
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
  const statusIndex = uint256Bytes(params.statusIndex);
  const attestation = new Attestation(attestationId(params.issuer, statusIndex));
  attestation.identity = identity.id;
  attestation.issuer = params.issuer;
  attestation.level = params.level;
  attestation.expiry = params.expiry;
  attestation.statusIndex = params.statusIndex;
  attestation.commitment = params.commitment;
  attestation.owner = params.owner;
  attestation.scope = params.scope;
  attestation.nullifier = params.nullifier;
  attestation.path = ISSUANCE_PATHS[params.path];
  attestation.current = true;
  attestation.revoked = isStatusSet(params.issuer, REVOCATION, statusIndex);
  attestation.suspended = isStatusSet(params.issuer, SUSPENSION, statusIndex);
  attestation.createdAtBlock = event.block.number;
  attestation.createdAtTimestamp = event.block.timestamp;

  // The previous attestation (announced by AttestationReplaced) stops being current; a disclosure carries over
  // when the new attestation keeps its commitment, as the registry's disclosed flag does.
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
  entity.level = params.level;
  entity.expiry = params.expiry;
  entity.path = attestation.path;
  entity.save();
}

export function handleAttestationReplaced(event: AttestationReplacedEvent): void {
  const id = attestationId(event.params.previousIssuer, uint256Bytes(event.params.previousStatusIndex));
  const attestation = Attestation.load(id);
  if (attestation == null) throw new Error("unknown attestation " + id.toHexString());
  newAttestationEvent<AttestationReplaced>(event, attestation).save();
}

export function handleOwnerReconfirmed(event: OwnerReconfirmedEvent): void {
  const attestation = currentAttestation(event.params.identity);
  attestation.owner = event.params.owner;
  saveAttestation(attestation, event.block);

  const entity = newAttestationEvent<OwnerReconfirmed>(event, attestation);
  entity.owner = event.params.owner;
  entity.save();
}

export function handleMerkleRootAnchored(event: MerkleRootAnchoredEvent): void {
  const root = new MerkleRoot(event.params.root);
  root.issuer = event.params.issuer;
  root.level = event.params.level;
  root.expiry = event.params.expiry;
  root.count = event.params.count;
  root.uri = event.params.uri;
  root.claimedCount = 0;
  root.anchoredAtBlock = event.block.number;
  root.anchoredAtTimestamp = event.block.timestamp;
  root.transactionID = event.transaction.hash;
  root.save();

  const entity = newEvent<MerkleRootAnchored>(event);
  entity.issuer = event.params.issuer;
  entity.root = root.id;
  entity.save();
}

export function handleMerkleLeafClaimed(event: MerkleLeafClaimedEvent): void {
  // Emitted right after the Attested event of the claimed leaf.
  const attestation = currentAttestation(event.params.identity);
  attestation.merkleRoot = event.params.root;
  attestation.merkleLeafIndex = event.params.index;
  saveAttestation(attestation, event.block);

  const root = MerkleRoot.load(event.params.root);
  if (root == null) throw new Error("unknown Merkle root " + event.params.root.toHexString());
  root.claimedCount += 1;
  root.save();

  const entity = newAttestationEvent<MerkleLeafClaimed>(event, attestation);
  entity.root = root.id;
  entity.index = event.params.index;
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
  recordSignaturesCancelled(event, event.params.authority, event.params.nonce);
}
