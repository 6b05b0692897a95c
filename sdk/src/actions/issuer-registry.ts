/**
 * IssuerRegistry governance: a governor accredits, updates, suspends, reinstates and removes real-name issuers;
 * anyone reads an issuer's record and the list of issuers ever accredited (from `IssuerAccredited` logs). The
 * registry's address is the one the client's RealNameRegistry is wired to.
 */
import type { ContractTransactionResponse } from "ethers";

import { IssuerRegistryAbi, RealNameRegistryAbi } from "../abis.generated.js";
import { ISSUER_STATUS_NAMES } from "../enums.generated.js";
import { contractOf, decoded, type Client } from "./client.js";

/** The IssuerRegistry the client's RealNameRegistry reads. */
async function issuerRegistry(client: Client, write = false) {
  const address = String(
    await decoded(() => contractOf(client, client.realNameRegistry, RealNameRegistryAbi).issuerRegistry()),
  );
  return contractOf(client, address, IssuerRegistryAbi, write);
}

/** What a governor states about an issuer: the highest level it may attest, its name and a URI describing it. */
export interface IssuerProfile {
  issuer: string;
  /** 1..3. */
  maxLevel: number;
  name: string;
  uri: string;
}

/**
 * Accredits `issuer` (the client's signer holds the governor role).
 *
 * @example
 * await (await accreditIssuer(governorClient, { issuer, maxLevel: 3, name: "Public Security Bureau", uri: "https://psb.example" })).wait();
 */
export async function accreditIssuer(client: Client, p: IssuerProfile): Promise<ContractTransactionResponse> {
  const registry = await issuerRegistry(client, true);
  return decoded(() => registry.accredit(p.issuer, p.maxLevel, p.name, p.uri));
}

/**
 * Changes an accredited issuer's maximum level, name and URI.
 *
 * @example
 * await (await updateIssuer(governorClient, { issuer, maxLevel: 2, name: "Public Security Bureau", uri })).wait();
 */
export async function updateIssuer(client: Client, p: IssuerProfile): Promise<ContractTransactionResponse> {
  const registry = await issuerRegistry(client, true);
  return decoded(() => registry.updateIssuer(p.issuer, p.maxLevel, p.name, p.uri));
}

/** A governance action on an issuer's standing. */
export type IssuerStandingChange = "suspend" | "reinstate" | "remove";

/**
 * Suspends (its attestations stop verifying until reinstated), reinstates, or removes (for good) an issuer; the
 * reason is recorded in the event.
 *
 * @example
 * await (await changeIssuerStanding(governorClient, { issuer, change: "suspend", reason: "audit" })).wait();
 */
export async function changeIssuerStanding(
  client: Client,
  p: { issuer: string; change: IssuerStandingChange; reason?: string },
): Promise<ContractTransactionResponse> {
  const registry = await issuerRegistry(client, true);
  return decoded(() =>
    p.change === "reinstate" ? registry.reinstate(p.issuer) : registry[p.change](p.issuer, p.reason ?? ""),
  );
}

/** An issuer's record. */
export interface IssuerRecord {
  issuer: string;
  status: (typeof ISSUER_STATUS_NAMES)[number];
  maxLevel: number;
  /** Unix times. */
  accreditedAt: number;
  updatedAt: number;
  /** Longest attestation lifetime in seconds. */
  maxLifetime: number;
}

/**
 * The issuer's record (status `None` if it was never accredited).
 *
 * @example
 * const { status, maxLevel } = await getIssuer(client, { issuer });
 */
export async function getIssuer(client: Client, { issuer }: { issuer: string }): Promise<IssuerRecord> {
  const registry = await issuerRegistry(client);
  const record = await decoded(() => registry.getIssuer(issuer));
  return {
    issuer,
    status: ISSUER_STATUS_NAMES[Number(record.status)],
    maxLevel: Number(record.maxLevel),
    accreditedAt: Number(record.accreditedAt),
    updatedAt: Number(record.updatedAt),
    maxLifetime: Number(record.maxLifetime),
  };
}

/**
 * Every issuer ever accredited from `fromBlock` on (`IssuerAccredited` logs), with its current record and the name
 * and URI of its latest accreditation or update.
 *
 * @example
 * for (const issuer of await listIssuers(client, { fromBlock: deployment.contracts.IssuerRegistry.startBlock })) console.log(issuer.name);
 */
export async function listIssuers(
  client: Client,
  { fromBlock = 0 }: { fromBlock?: number } = {},
): Promise<(IssuerRecord & { name: string; uri: string })[]> {
  const registry = await issuerRegistry(client);
  const logs = [
    ...(await registry.queryFilter(registry.filters.IssuerAccredited(), fromBlock)),
    ...(await registry.queryFilter(registry.filters.IssuerUpdated(), fromBlock)),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const profiles = new Map<string, { name: string; uri: string }>();
  for (const log of logs) {
    const { issuer, name, uri } = registry.interface.parseLog(log)!.args;
    profiles.set(String(issuer), { name: String(name), uri: String(uri) });
  }
  return Promise.all(
    [...profiles].map(async ([issuer, profile]) => ({ ...(await getIssuer(client, { issuer })), ...profile })),
  );
}
