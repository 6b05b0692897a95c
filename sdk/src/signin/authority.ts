/**
 * Whether a key may act for a DID now: the DID's owner or a valid `sigAuth` delegate, checked at the latest block;
 * whether it holds a real-name attestation.
 */
import { dataLength, dataSlice, getAddress, toBeHex, ZeroHash, zeroPadValue } from "ethers";
import { identifierMatcher, interpretIdentifier } from "ethr-did-resolver";

import type { Client } from "../actions/client.js";
import { getVerification, type Verification } from "../actions/real-name-registry.js";
import { Reason } from "../enums.generated.js";
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

/** Requests in one call at most: about 20,000 gas each, far below any node's gas cap for a call. */
const MAX_REQUESTS_PER_CALL = 100;

type Request = [identity: string, signer: string, hash: string, v: number, r: string, s: string];

interface Pending {
  request: Request;
  resolve: (state: SignInState) => void;
  reject: (error: unknown) => void;
}

/** Per client, the requests made since the last call went out; sent together when this turn of the event loop ends. */
const waiting = new WeakMap<Client, Pending[]>();

/**
 * Runs `task` once the callbacks of this turn of the event loop have run: `setImmediate` in Node (no timer's
 * minimum delay), a zero timeout in the browser.
 */
const afterThisTurn = (task: () => void): void => {
  if (typeof globalThis.setImmediate === "function") globalThis.setImmediate(task);
  else setTimeout(task, 0);
};

/** Sends `pending` (at most {@link MAX_REQUESTS_PER_CALL} requests) as one `SignInCheck` call and settles each. */
async function send(client: Client, pending: Pending[]): Promise<void> {
  try {
    // abi.encode(registry, requests): the array's offset (two words in), its length, six static words a request.
    const words = [client.didRegistry, 64, pending.length, ...pending.flatMap((p) => p.request)];
    const answer = await read(() => client.provider.call({ data: SignInCheckBytecode + words.map(word).join("") }));
    // abi.encode(answers): the array's offset and length, then four static words an answer.
    if (dataLength(answer) !== 64 + 128 * pending.length) {
      throw new SignInError("unavailable", `SignInCheck answered ${dataLength(answer)} bytes for ${pending.length}`);
    }
    const at = (index: number) => `0x${answer.slice(2 + index * 64, 2 + (index + 1) * 64)}`;
    const address = (index: number) => getAddress(dataSlice(at(index), 12));
    const flag = (index: number) => BigInt(at(index)) !== 0n;
    for (const [i, { resolve }] of pending.entries()) {
      const first = 2 + 4 * i;
      resolve({
        recovered: address(first),
        deactivated: flag(first + 1),
        owner: address(first + 2),
        delegated: flag(first + 3),
      });
    }
  } catch (error) {
    for (const { reject } of pending) reject(error);
  }
}

/**
 * Reads, at the latest block, whether `identity` is deactivated, its owner, whether `signer` is a valid `sigAuth`
 * delegate, and, given a `signed` hash and its plain-key signature, the key that signed it (ecrecover on the node).
 * The `SignInCheck` contract is not deployed: its creation code runs as an `eth_call` without `to`, the requests
 * appended as its constructor's arguments. The reads of one client made in the same turn of the event loop (a
 * relying party's concurrent sign-ins) share one call, up to 100 of them; each still reads the latest block, so a
 * revocation bites at once. Nothing is cached. A failing node throws a {@link SignInError} `unavailable`.
 *
 * @example
 * const state = await readSignInState(client, { identity, signer }, { hash: hashMessage(message), signature });
 */
export function readSignInState(
  client: Client,
  { identity, signer }: { identity: string; signer: string },
  signed?: { hash: string; signature: string },
): Promise<SignInState> {
  const parts = signed === undefined ? null : ecdsaParts(signed.signature);
  const { v, r, s } = parts ?? { v: 0, r: ZeroHash, s: ZeroHash };
  const hash = parts === null || signed === undefined ? ZeroHash : signed.hash;
  let queue = waiting.get(client);
  if (queue === undefined || queue.length >= MAX_REQUESTS_PER_CALL) {
    const fresh: Pending[] = [];
    waiting.set(client, fresh);
    afterThisTurn(() => {
      if (waiting.get(client) === fresh) waiting.delete(client);
      void send(client, fresh);
    });
    queue = fresh;
  }
  const pending = queue;
  return new Promise((resolve, reject) =>
    pending.push({ request: [identity, signer, hash, v, r, s], resolve, reject }),
  );
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
  // One read: the record's reason is exactly `isVerified`'s test, at the same block as the record returned.
  const verification = await read(() => getVerification(client, p));
  if (verification.reason !== Reason.Verified) {
    throw new SignInError("notVerified", `${p.identity} is not real-name verified at level ${p.minLevel}`);
  }
  return verification;
}
