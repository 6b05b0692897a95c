/** Whether a key may act for a DID now: the DID's owner or a valid `sigAuth` delegate, checked at the latest block. */
import { identifierMatcher, interpretIdentifier } from "ethr-did-resolver";

import type { Client } from "../actions/client.js";
import { deactivated, identityOwner, validDelegate } from "../actions/did-registry.js";
import { getVerification, isVerified, type Verification } from "../actions/real-name-registry.js";
import { SignInError } from "../errors/base.js";

/** A DID's parts: its network (`0x…` chain id or a name) and its identity address. */
export interface ParsedEthrDid {
  network: string;
  identity: string;
}

/**
 * Parses a did:ethr into its network and identity address (public-key DIDs give the key's address); null if it is
 * not a valid did:ethr.
 *
 * @example
 * parseEthrDid("did:ethr:0x7a69:0x8ba1f109551bD432803012645Ac136ddd64DBA72"); // { network: "0x7a69", identity: "0x8ba1…" }
 */
export function parseEthrDid(did: string): ParsedEthrDid | null {
  if (!did.startsWith("did:ethr:")) return null;
  const match = did.slice("did:ethr:".length).match(identifierMatcher);
  if (match === null) return null;
  try {
    const { address } = interpretIdentifier(match[2]);
    return { network: match[1] === undefined ? "mainnet" : match[1].slice(0, -1), identity: address };
  } catch {
    return null;
  }
}

/** Runs a chain read; a failure is `unavailable` (the answer is unknown, not negative). */
async function read<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SignInError("unavailable", (error as Error).message, { cause: error });
  }
}

/**
 * Checks, at the latest block, that `signer` may sign in as `identity`: the DID is not deactivated and `signer` is
 * its owner or a valid `sigAuth` delegate (a `veriKey`-only delegate may not). Throws a {@link SignInError}.
 *
 * @example
 * await checkAuthority(client, { identity, signer: deviceKey.address });
 */
export async function checkAuthority(client: Client, p: { identity: string; signer: string }): Promise<void> {
  const { identity, signer } = p;
  const [gone, owner, delegated] = await Promise.all([
    read(() => deactivated(client, { identity })),
    read(() => identityOwner(client, { identity })),
    read(() => validDelegate(client, { identity, delegateType: "sigAuth", delegate: signer })),
  ]);
  if (gone) throw new SignInError("deactivated", `${identity} is deactivated`);
  if (owner.toLowerCase() === signer.toLowerCase() || delegated) return;
  throw new SignInError("notAuthorised", `${signer} is neither the owner of ${identity} nor its sigAuth delegate`);
}

/**
 * Checks that `identity` holds a valid real-name attestation of at least `minLevel` (`isVerified`) and returns its
 * verification record. Throws a {@link SignInError} `notVerified` otherwise.
 *
 * @example
 * const verification = await checkVerified(client, { identity, minLevel: 2 });
 */
export async function checkVerified(client: Client, p: { identity: string; minLevel: number }): Promise<Verification> {
  if (!(await read(() => isVerified(client, p)))) {
    throw new SignInError("notVerified", `${p.identity} is not real-name verified at level ${p.minLevel}`);
  }
  return read(() => getVerification(client, p));
}
