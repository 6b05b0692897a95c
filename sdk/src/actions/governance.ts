/**
 * IssuerRegistry governance roles: the delayed default-admin hand-over (OpenZeppelin AccessControlDefaultAdminRules:
 * begin, then accept after the delay, or cancel) and the governors the admin grants and revokes.
 */
import { type ContractTransactionResponse, id } from "ethers";

import { IssuerRegistryAbi, RealNameRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, type Client } from "./client.js";

/** `GOVERNOR_ROLE`: may accredit and govern issuers. */
export const GOVERNOR_ROLE = id("GOVERNOR_ROLE");

async function issuerRegistry(client: Client, write = false) {
  const address = String(
    await decoded(() => contractOf(client, client.realNameRegistry, RealNameRegistryAbi).issuerRegistry()),
  );
  return contractOf(client, address, IssuerRegistryAbi, write);
}

/** The admin, the pending hand-over (zero address when none) and the delay, in seconds. */
export interface AdminState {
  admin: string;
  pendingAdmin: string;
  /** Unix time from which the pending admin may accept (0 when none). */
  acceptableAt: number;
  delay: number;
}

/**
 * The IssuerRegistry's admin and any hand-over in progress.
 *
 * @example
 * const { admin, pendingAdmin, acceptableAt } = await adminState(client);
 */
export async function adminState(client: Client): Promise<AdminState> {
  const registry = await issuerRegistry(client);
  const [admin, pending, delay] = await Promise.all([
    decoded(() => registry.defaultAdmin()),
    decoded(() => registry.pendingDefaultAdmin()),
    decoded(() => registry.defaultAdminDelay()),
  ]);
  return {
    admin: String(admin),
    pendingAdmin: String(pending.newAdmin),
    acceptableAt: Number(pending.schedule),
    delay: Number(delay),
  };
}

/** A step of the admin hand-over. */
export type AdminTransferStep = "begin" | "accept" | "cancel";

/**
 * Begins the hand-over to `newAdmin` (sent by the admin), accepts it after the delay (sent by `newAdmin`), or
 * cancels it (the admin).
 *
 * @example
 * await (await adminTransfer(adminClient, { step: "begin", newAdmin: multisig })).wait();
 * // after the delay, from the multisig:
 * await (await adminTransfer(multisigClient, { step: "accept" })).wait();
 */
export async function adminTransfer(
  client: Client,
  p: { step: AdminTransferStep; newAdmin?: string },
): Promise<ContractTransactionResponse> {
  const registry = await issuerRegistry(client, true);
  return decoded(() => {
    if (p.step === "accept") return registry.acceptDefaultAdminTransfer();
    if (p.step === "cancel") return registry.cancelDefaultAdminTransfer();
    return registry.beginDefaultAdminTransfer(p.newAdmin);
  });
}

/**
 * Grants or revokes `GOVERNOR_ROLE` (sent by the admin).
 *
 * @example
 * await (await setGovernor(adminClient, { account: governor, granted: true })).wait();
 */
export async function setGovernor(
  client: Client,
  p: { account: string; granted: boolean },
): Promise<ContractTransactionResponse> {
  const registry = await issuerRegistry(client, true);
  return decoded(() =>
    p.granted ? registry.grantRole(GOVERNOR_ROLE, p.account) : registry.revokeRole(GOVERNOR_ROLE, p.account),
  );
}

/**
 * Whether `account` holds `GOVERNOR_ROLE`.
 *
 * @example
 * if (await isGovernor(client, { account })) console.log("may accredit issuers");
 */
export async function isGovernor(client: Client, { account }: { account: string }): Promise<boolean> {
  const registry = await issuerRegistry(client);
  return Boolean(await decoded(() => registry.hasRole(GOVERNOR_ROLE, account)));
}
