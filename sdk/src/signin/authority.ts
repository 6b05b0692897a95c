/**
 * Whether a key may act for a DID now: the DID's owner or a valid `sigAuth` delegate, checked at the latest block;
 * whether it holds a real-name attestation.
 */
import { dataLength, dataSlice, getAddress, toBeHex, ZeroHash, zeroPadValue } from "ethers";
import { identifierMatcher, interpretIdentifier } from "ethr-did-resolver";

import type { Client } from "../actions/client.js";
import { getVerification, isVerified, type Verification } from "../actions/real-name-registry.js";
import { SignInCheckBytecode } from "../deployless.generated.js";
import { SignInError } from "../errors/base.js";
import { ecdsaParts } from "./signature.js";

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

/** What the chain says about one sign-in at the latest block, from one `eth_call` (see `contracts/utils/SignInCheck.sol`). */
export interface SignInState {
  /** The plain key that signed the hash; the zero address when there was no ECDSA signature or it does not recover. */
  recovered: string;
  deactivated: boolean;
  owner: string;
  /** Whether the signer is a valid `sigAuth` delegate of the identity. */
  delegated: boolean;
}

/** An address, a number or 32 bytes as one ABI word (hex, no `0x`). */
const word = (value: string | number) => zeroPadValue(typeof value === "number" ? toBeHex(value) : value, 32).slice(2);

/**
 * Reads, in one `eth_call` at the latest block, whether `identity` is deactivated, its owner, whether `signer` is a
 * valid `sigAuth` delegate, and, given a `signed` hash and its plain-key signature, the key that signed it
 * (ecrecover on the node). The `SignInCheck` contract is not deployed: its creation code runs as a call without
 * `to`, its arguments (all static, so their ABI encoding is one word each) appended. Nothing is cached. A failing
 * node throws a {@link SignInError} `unavailable`.
 *
 * @example
 * const state = await readSignInState(client, { identity, signer }, { hash: hashMessage(message), signature });
 */
export async function readSignInState(
  client: Client,
  { identity, signer }: { identity: string; signer: string },
  signed?: { hash: string; signature: string },
): Promise<SignInState> {
  const parts = signed === undefined ? null : ecdsaParts(signed.signature);
  const { v, r, s } = parts ?? { v: 0, r: ZeroHash, s: ZeroHash };
  const hash = parts === null || signed === undefined ? ZeroHash : signed.hash;
  const args = [client.didRegistry, identity, signer, hash, v, r, s].map(word).join("");
  const answer = await read(() => client.provider.call({ data: SignInCheckBytecode + args }));
  if (dataLength(answer) !== 128) {
    throw new SignInError("unavailable", `SignInCheck answered ${dataLength(answer)} bytes, not 128`);
  }
  const address = (index: number) => getAddress(dataSlice(answer, index * 32 + 12, index * 32 + 32));
  const flag = (index: number) => BigInt(dataSlice(answer, index * 32, index * 32 + 32)) !== 0n;
  return { recovered: address(0), deactivated: flag(1), owner: address(2), delegated: flag(3) };
}

/**
 * Whether `signer` may sign in as `identity` in `state`: the DID is not deactivated and `signer` is its owner or a
 * valid `sigAuth` delegate (a `veriKey`-only delegate may not). Throws a {@link SignInError}.
 */
export function authorise(state: SignInState, { identity, signer }: { identity: string; signer: string }): void {
  if (state.deactivated) throw new SignInError("deactivated", `${identity} is deactivated`);
  if (state.owner.toLowerCase() === signer.toLowerCase() || state.delegated) return;
  throw new SignInError("notAuthorised", `${signer} is neither the owner of ${identity} nor its sigAuth delegate`);
}

/**
 * Checks, at the latest block, that `signer` may sign in as `identity`: the DID is not deactivated and `signer` is
 * its owner or a valid `sigAuth` delegate (a `veriKey`-only delegate may not), read in one `eth_call`. Throws a
 * {@link SignInError}.
 *
 * @example
 * await checkAuthority(client, { identity, signer: deviceKey.address });
 */
export async function checkAuthority(client: Client, p: { identity: string; signer: string }): Promise<void> {
  authorise(await readSignInState(client, p), p);
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
