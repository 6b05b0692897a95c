/**
 * IssuerRegistry mappings: the trust list of real-name issuers and its history.
 */
import { Address, ethereum } from "@graphprotocol/graph-ts";

import {
  IssuerAccredited as IssuerAccreditedEvent,
  IssuerMaxLifetimeSet as IssuerMaxLifetimeSetEvent,
  IssuerReinstated as IssuerReinstatedEvent,
  IssuerRemoved as IssuerRemovedEvent,
  IssuerSuspended as IssuerSuspendedEvent,
  IssuerUpdated as IssuerUpdatedEvent,
} from "../generated/IssuerRegistry/IssuerRegistry";
import {
  Issuer,
  IssuerAccredited,
  IssuerMaxLifetimeSet,
  IssuerReinstated,
  IssuerRemoved,
  IssuerSuspended,
  IssuerUpdated,
} from "../generated/schema";
import { getOrCreateIdentity, loadIssuer, newEvent, ZERO } from "./utils";

/** Stores `issuer` as changed by `event`. */
function saveIssuer(issuer: Issuer, event: ethereum.Event): void {
  issuer.updatedAtBlock = event.block.number;
  issuer.updatedAtTimestamp = event.block.timestamp;
  issuer.save();
}

/** A new event entity `T` about `issuer`. */
function newIssuerEvent<T>(event: ethereum.Event, issuer: Address): T {
  const entity = newEvent<T>(event);
  entity.issuer = issuer;
  return entity;
}

export function handleIssuerAccredited(event: IssuerAccreditedEvent): void {
  const issuer = new Issuer(event.params.issuer);
  issuer.identity = event.params.issuer;
  issuer.status = "Active";
  issuer.maxLevel = event.params.maxLevel;
  issuer.name = event.params.name;
  issuer.uri = event.params.uri;
  // IssuerMaxLifetimeSet follows in the same transaction.
  issuer.maxLifetime = ZERO;
  issuer.attestationCount = 0;
  issuer.accreditedAtBlock = event.block.number;
  issuer.accreditedAtTimestamp = event.block.timestamp;
  saveIssuer(issuer, event);
  // The issuer's DID may have no DIDRegistry history yet.
  getOrCreateIdentity(event.params.issuer, event.block).save();

  const entity = newIssuerEvent<IssuerAccredited>(event, event.params.issuer);
  entity.maxLevel = event.params.maxLevel;
  entity.name = event.params.name;
  entity.uri = event.params.uri;
  entity.save();
}

export function handleIssuerUpdated(event: IssuerUpdatedEvent): void {
  const issuer = loadIssuer(event.params.issuer);
  issuer.maxLevel = event.params.maxLevel;
  issuer.name = event.params.name;
  issuer.uri = event.params.uri;
  saveIssuer(issuer, event);

  const entity = newIssuerEvent<IssuerUpdated>(event, event.params.issuer);
  entity.maxLevel = event.params.maxLevel;
  entity.name = event.params.name;
  entity.uri = event.params.uri;
  entity.save();
}

export function handleIssuerSuspended(event: IssuerSuspendedEvent): void {
  const issuer = loadIssuer(event.params.issuer);
  issuer.status = "Suspended";
  issuer.reason = event.params.reason;
  saveIssuer(issuer, event);

  const entity = newIssuerEvent<IssuerSuspended>(event, event.params.issuer);
  entity.reason = event.params.reason;
  entity.save();
}

export function handleIssuerReinstated(event: IssuerReinstatedEvent): void {
  const issuer = loadIssuer(event.params.issuer);
  issuer.status = "Active";
  issuer.reason = null;
  saveIssuer(issuer, event);

  newIssuerEvent<IssuerReinstated>(event, event.params.issuer).save();
}

export function handleIssuerRemoved(event: IssuerRemovedEvent): void {
  const issuer = loadIssuer(event.params.issuer);
  issuer.status = "Removed";
  issuer.reason = event.params.reason;
  saveIssuer(issuer, event);

  const entity = newIssuerEvent<IssuerRemoved>(event, event.params.issuer);
  entity.reason = event.params.reason;
  entity.save();
}

export function handleIssuerMaxLifetimeSet(event: IssuerMaxLifetimeSetEvent): void {
  const issuer = loadIssuer(event.params.issuer);
  issuer.maxLifetime = event.params.maxLifetime;
  saveIssuer(issuer, event);

  const entity = newIssuerEvent<IssuerMaxLifetimeSet>(event, event.params.issuer);
  entity.maxLifetime = event.params.maxLifetime;
  entity.save();
}
