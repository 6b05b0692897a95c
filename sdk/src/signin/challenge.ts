/**
 * The sign-in message: EIP-4361 (Sign-In with Ethereum, built and parsed by the `siwe` package) whose `address` is
 * the signing key and whose `Resources` hold the DID. The relying party issues the challenge (domain, URI, chain,
 * a single-use nonce); the holder's wallet builds and signs the message.
 */
import { hexlify, randomBytes, type Signer } from "ethers";
import { SiweMessage } from "siwe";

import { memoryNonceStore, type NonceStore } from "./nonce-store.js";

/** What the relying party sends the holder to sign in. */
export interface Challenge {
  domain: string;
  uri: string;
  chainId: number;
  nonce: string;
  /** ISO 8601: when the nonce stops being accepted. */
  expirationTime: string;
  statement?: string;
}

/** Options of {@link createChallenge}. */
export interface ChallengeOptions {
  /** The relying party's host (RFC 3986 authority), e.g. `example.com`. */
  domain: string;
  /** The relying party's URI, on its origin, e.g. `https://example.com/login`. */
  uri: string;
  chainId: number;
  /** Seconds the nonce stays usable (default 300). */
  ttl?: number;
  statement?: string;
  /** Where the nonce is kept until used (default: a process-wide in-memory store, see {@link defaultNonceStore}). */
  nonceStore?: NonceStore;
  now?: Date;
}

/** The in-memory nonce store {@link createChallenge} and `verifySignIn` share when given none. */
export const defaultNonceStore: NonceStore = memoryNonceStore();

/**
 * Issues a sign-in challenge with a fresh single-use nonce recorded in the nonce store.
 *
 * @example
 * // relying party, e.g. GET /signin/challenge
 * const challenge = await createChallenge({ domain: "example.com", uri: "https://example.com/login", chainId: 31337 });
 * response.json(challenge);
 */
export async function createChallenge(options: ChallengeOptions): Promise<Challenge> {
  const now = options.now ?? new Date();
  const ttl = options.ttl ?? 300;
  const nonce = hexlify(randomBytes(16)).slice(2);
  const expiresAt = now.getTime() + ttl * 1000;
  await (options.nonceStore ?? defaultNonceStore).issue(nonce, expiresAt);
  return {
    domain: options.domain,
    uri: options.uri,
    chainId: options.chainId,
    nonce,
    expirationTime: new Date(expiresAt).toISOString(),
    ...(options.statement === undefined ? {} : { statement: options.statement }),
  };
}

/**
 * The EIP-4361 message for `challenge`, signed by `address` (the DID's owner or a `sigAuth` delegate) for `did`.
 *
 * @example
 * const message = createSignInMessage(challenge, { did: "did:ethr:0x7a69:0x8ba1…", address: deviceKey.address });
 */
export function createSignInMessage(
  challenge: Challenge,
  { did, address, now = new Date() }: { did: string; address: string; now?: Date },
): string {
  return new SiweMessage({
    domain: challenge.domain,
    address,
    statement: challenge.statement,
    uri: challenge.uri,
    version: "1",
    chainId: challenge.chainId,
    nonce: challenge.nonce,
    issuedAt: now.toISOString(),
    expirationTime: challenge.expirationTime,
    resources: [did],
  }).prepareMessage();
}

/**
 * Holder side: builds the message for `challenge` and signs it (EIP-191) with `signer`, e.g. a browser wallet or a
 * per-site key.
 *
 * @example
 * const { message, signature } = await signInWithDid(challenge, { did, signer: await browserProvider.getSigner() });
 * await fetch("/signin/verify", { method: "POST", body: JSON.stringify({ message, signature }) });
 */
export async function signInWithDid(
  challenge: Challenge,
  { did, signer }: { did: string; signer: Signer },
): Promise<{ message: string; signature: string }> {
  const message = createSignInMessage(challenge, { did, address: await signer.getAddress() });
  return { message, signature: await signer.signMessage(message) };
}
