/**
 * The holder's side, in the browser: a recovery phrase created or imported here (its per-site DID derived with the
 * SDK), or an injected EIP-1193 wallet; a device key that may become a `sigAuth` delegate; the name and salt an
 * issuer handed over for a later disclosure. Demo storage: localStorage (a real wallet keeps keys encrypted).
 */
import { BrowserProvider, type Eip1193Provider, type Signer, Wallet } from "ethers";
import { createClient, type Client } from "@realdid/sdk/actions";
import { siteIdentity } from "@realdid/sdk/keys";

import type { SiteStatus } from "./api.ts";

const KEYS = { seed: "realdid.seed", wallet: "realdid.wallet", device: "realdid.device" } as const;

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

/** The holder as this site sees it: its DID here and the key that owns it. */
export interface Holder {
  kind: "seed" | "wallet";
  did: string;
  identity: string;
  /** The owner key: a per-site wallet (seed) or the injected wallet's signer. */
  signer(): Promise<Signer>;
  /** The per-site key of a seed holder (signs relayed changes); null for a wallet. */
  siteKey: Wallet | null;
}

export const storedSeed = (): string | null => localStorage.getItem(KEYS.seed);

export function saveSeed(words: string, status: SiteStatus): Holder {
  const holder = seedHolder(words, status); // validates before storing
  localStorage.setItem(KEYS.seed, words);
  localStorage.removeItem(KEYS.wallet);
  return holder;
}

function seedHolder(words: string, status: SiteStatus): Holder {
  const { did, address, wallet } = siteIdentity(words, location.origin, { network: status.network });
  return { kind: "seed", did, identity: address, signer: async () => wallet, siteKey: wallet };
}

export async function connectWallet(status: SiteStatus): Promise<Holder> {
  if (window.ethereum === undefined) throw new Error("No browser wallet (EIP-1193 window.ethereum) on this page.");
  const signer = await new BrowserProvider(window.ethereum).getSigner();
  const address = await signer.getAddress();
  localStorage.setItem(KEYS.wallet, address);
  localStorage.removeItem(KEYS.seed);
  return walletHolder(address, status);
}

function walletHolder(address: string, status: SiteStatus): Holder {
  return {
    kind: "wallet",
    did: `did:ethr:${status.network}:${address}`,
    identity: address,
    signer: async () => new BrowserProvider(window.ethereum!).getSigner(address),
    siteKey: null,
  };
}

/** The holder stored in this browser, if any. */
export function currentHolder(status: SiteStatus): Holder | null {
  const seed = storedSeed();
  if (seed !== null) return seedHolder(seed, status);
  const wallet = localStorage.getItem(KEYS.wallet);
  return wallet !== null && window.ethereum !== undefined ? walletHolder(wallet, status) : null;
}

export function forgetHolder(): void {
  for (const key of Object.values(KEYS)) localStorage.removeItem(key);
}

/** This browser's device key (created on first use). */
export function deviceKey(): Wallet {
  let key = localStorage.getItem(KEYS.device);
  if (key === null) {
    key = Wallet.createRandom().privateKey;
    localStorage.setItem(KEYS.device, key);
  }
  return new Wallet(key);
}

export const hasDeviceKey = (): boolean => localStorage.getItem(KEYS.device) !== null;

/** What an issuer handed the holder of `identity`: the verified name and the salt that opens its commitment. */
export interface HandedOver {
  realName: string;
  salt: string;
}

export function saveHandedOver(identity: string, value: HandedOver): void {
  localStorage.setItem(`realdid.handover.${identity.toLowerCase()}`, JSON.stringify(value));
}

export function handedOver(identity: string): HandedOver | null {
  const value = localStorage.getItem(`realdid.handover.${identity.toLowerCase()}`);
  return value === null ? null : (JSON.parse(value) as HandedOver);
}

/** An SDK client for reads (owner, nonces) through the site's read-only JSON-RPC relay. */
export function readClient(status: SiteStatus): Client {
  return createClient({
    chainId: status.chainId,
    registry: status.didRegistry,
    realNameRegistry: status.realNameRegistry,
    rpcUrl: status.rpc,
  });
}
