/**
 * Verifying a sign-in with a DID (relying party): every check of the message, the signature, the signer's
 * authority over the DID at the latest block, optionally the real-name attestation; then the nonce is consumed.
 * `verifySession` re-checks authority for a session already open.
 */
import { hashMessage, ZeroAddress } from "ethers";
import { SiweMessage } from "siwe";

import type { Client } from "../actions/client.js";
import type { Verification } from "../actions/real-name-registry.js";
import { SignInError } from "../errors/base.js";
import { chainKey } from "../resolver/request.js";
import { authorise, checkAuthority, checkVerified, parseEthrDid, readSignInState } from "./authority.js";
import { defaultNonceStore } from "./challenge.js";
import type { NonceStore } from "./nonce-store.js";
import { isValidWalletSignature } from "./signature.js";

/** Longest message accepted before parsing. */
const MAX_MESSAGE_LENGTH = 16_384;
/** Field limits: an EIP-4361 message is shown to a person and stored by the relying party. */
const LIMITS = { domain: 253, uri: 2048, statement: 1024, nonce: 64, requestId: 256, resources: 16, resource: 2048 };

/** Options of {@link verifySignIn} (and, in part, {@link verifySession}). */
export interface VerifySignInOptions {
  /** The relying party's domain, as in its challenges. */
  domain: string;
  /** A URI on the relying party's origin; the message's URI must share its origin. */
  uri: string;
  /** The chain: its id and the RealDID contracts (see `createClient`). */
  client: Client;
  /** The store the challenge's nonce was issued into (default: the shared in-memory store). */
  nonceStore?: NonceStore;
  /** Names the DID's network may have besides its hex chain id (e.g. `["localhost"]`). */
  networkNames?: string[];
  /** Also require a valid real-name attestation of at least this level (`RealNameRegistry.isVerified`). */
  requireVerified?: { minLevel: number };
  /** Largest difference in seconds between the message's issued-at time and now (default 60). */
  maxSkew?: number;
  /** Seconds a session lasts before {@link verifySession} ends it (default 8 hours). */
  sessionTtl?: number;
  now?: Date;
}

/** An open session: who signed in, as what, until when. Keep it server side (or signed in a cookie). */
export interface Session {
  did: string;
  /** The DID's identity address. */
  identity: string;
  /** The key that signed: the owner or a `sigAuth` delegate. */
  signer: string;
  chainId: number;
  /** ISO 8601: when the session was opened. */
  issuedAt: string;
  /** ISO 8601: when the session ends. */
  expiresAt: string;
  requireVerified?: { minLevel: number };
}

/** A successful sign-in: the session and, with `requireVerified`, the verification record. */
export interface SignInResult {
  session: Session;
  verification?: Verification;
}

const fail = (reason: ConstructorParameters<typeof SignInError>[0], message: string): never => {
  throw new SignInError(reason, message);
};

/** The parsed message, or `malformedMessage`. */
function parse(message: string): SiweMessage {
  if (message.length > MAX_MESSAGE_LENGTH) fail("malformedMessage", `longer than ${MAX_MESSAGE_LENGTH} characters`);
  try {
    return new SiweMessage(message);
  } catch (error) {
    return fail("malformedMessage", `not an EIP-4361 message: ${(error as Error).message}`);
  }
}

function checkLengths(siwe: SiweMessage): void {
  const tooLong = (field: string, value: string | undefined, limit: number) => {
    if (value !== undefined && value.length > limit) fail("fieldTooLong", `${field} longer than ${limit} characters`);
  };
  tooLong("domain", siwe.domain, LIMITS.domain);
  tooLong("uri", siwe.uri, LIMITS.uri);
  tooLong("statement", siwe.statement, LIMITS.statement);
  tooLong("nonce", siwe.nonce, LIMITS.nonce);
  tooLong("requestId", siwe.requestId, LIMITS.requestId);
  const resources = siwe.resources ?? [];
  if (resources.length > LIMITS.resources) fail("fieldTooLong", `more than ${LIMITS.resources} resources`);
  for (const resource of resources) tooLong("resource", resource, LIMITS.resource);
}

const origin = (uri: string): string | null => {
  try {
    return new URL(uri).origin;
  } catch {
    return null;
  }
};

/** The time checks: issued-at within the skew, not before not-before, not at or after the expiration. */
function checkTimes(siwe: SiweMessage, now: Date, maxSkew: number): void {
  const time = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));
  const issuedAt = time(siwe.issuedAt);
  if (issuedAt === undefined || Math.abs(now.getTime() - issuedAt) > maxSkew * 1000) {
    fail("issuedAtSkew", `issued at ${siwe.issuedAt}, more than ${maxSkew} s from ${now.toISOString()}`);
  }
  const expiration = time(siwe.expirationTime);
  if (expiration !== undefined && now.getTime() >= expiration) fail("expired", `expired at ${siwe.expirationTime}`);
  const notBefore = time(siwe.notBefore);
  if (notBefore !== undefined && now.getTime() < notBefore) fail("notYetValid", `not valid before ${siwe.notBefore}`);
}

/** The DID among the resources (exactly one `did:ethr:`), on this chain. */
function didOf(siwe: SiweMessage, chainId: number, networkNames: string[]): { did: string; identity: string } {
  const dids = (siwe.resources ?? []).filter((resource) => resource.startsWith("did:"));
  if (dids.length !== 1) return fail("missingDid", `expected one DID among the resources, found ${dids.length}`);
  const [did] = dids;
  const parsed = parseEthrDid(did);
  if (parsed === null) return fail("invalidDid", `${did} is not a valid did:ethr`);
  if (parsed.network !== chainKey(chainId) && !networkNames.includes(parsed.network)) {
    fail("wrongChain", `${did} is on network ${parsed.network}, not chain ${chainId}`);
  }
  return { did, identity: parsed.identity };
}

/**
 * Verifies a sign-in: an EIP-4361 `message` naming a did:ethr in its resources, signed (EIP-191) by `signature`.
 * Checks, in order: the message parses; field lengths; domain; URI origin; chain id (message and DID); issued-at
 * within `maxSkew` (60 s), not-before, expiry; the signature (plain key, ERC-1271 wallet, or ERC-6492 wallet not
 * yet deployed); at the latest block, the DID is not deactivated and the signer is its owner or a valid `sigAuth`
 * delegate (a plain key's signature and these three reads in one `eth_call`, see {@link readSignInState}); with
 * `requireVerified`, `isVerified(identity, minLevel)`. Only then is the nonce consumed (atomically:
 * it must have been issued, be unexpired and unused), so nobody can burn another person's nonce. Throws a
 * {@link SignInError} with the typed reason.
 *
 * @example
 * // relying party, e.g. POST /signin/verify
 * try {
 *   const { session } = await verifySignIn(body.message, body.signature, {
 *     domain: "example.com",
 *     uri: "https://example.com",
 *     client: createClient(network),
 *     requireVerified: { minLevel: 2 },
 *   });
 *   request.session.user = session;
 * } catch (error) {
 *   if (error instanceof SignInError) response.status(401).json({ reason: error.reason });
 *   else throw error;
 * }
 */
export async function verifySignIn(
  message: string,
  signature: string,
  options: VerifySignInOptions,
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const chainId = Number(options.client.chainId);
  const siwe = parse(message);
  checkLengths(siwe);
  if (siwe.domain !== options.domain) fail("wrongDomain", `signed for ${siwe.domain}, not ${options.domain}`);
  const expectedOrigin = origin(options.uri);
  if (origin(siwe.uri) !== expectedOrigin) fail("wrongUri", `${siwe.uri} is not on ${expectedOrigin}`);
  if (siwe.chainId !== chainId) fail("wrongChain", `signed for chain ${siwe.chainId}, not ${chainId}`);
  const { did, identity } = didOf(siwe, chainId, options.networkNames ?? []);
  checkTimes(siwe, now, options.maxSkew ?? 60);

  const signer = siwe.address;
  const hash = hashMessage(message);
  const state = await readSignInState(options.client, { identity, signer }, { hash, signature });
  // A plain key's signature was recovered by the node; anything else may be a contract wallet's.
  let valid = state.recovered !== ZeroAddress && state.recovered.toLowerCase() === signer.toLowerCase();
  if (!valid) {
    try {
      valid = await isValidWalletSignature(options.client.provider, signer, hash, signature);
    } catch (error) {
      throw new SignInError("unavailable", (error as Error).message, { cause: error });
    }
  }
  if (!valid) fail("invalidSignature", `not a signature of ${signer}`);
  authorise(state, { identity, signer });
  const verification =
    options.requireVerified === undefined
      ? undefined
      : await checkVerified(options.client, { identity, minLevel: options.requireVerified.minLevel });

  const status = await (options.nonceStore ?? defaultNonceStore).consume(siwe.nonce, now.getTime());
  if (status === "unknown") fail("unknownNonce", `nonce ${siwe.nonce} was not issued here`);
  if (status === "expired") fail("expired", `nonce ${siwe.nonce} expired`);
  if (status === "replayed") fail("replayed", `nonce ${siwe.nonce} was already used`);

  const session: Session = {
    did,
    identity,
    signer: siwe.address,
    chainId,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (options.sessionTtl ?? 8 * 3600) * 1000).toISOString(),
    ...(options.requireVerified === undefined ? {} : { requireVerified: options.requireVerified }),
  };
  return verification === undefined ? { session } : { session, verification };
}

/**
 * Re-checks an open session at the latest block: it ends (throws a {@link SignInError}) when it is past its end
 * (`sessionExpired`), the DID is deactivated, its signer is no longer the owner or a valid `sigAuth` delegate
 * (`notAuthorised`: owner changed, delegate revoked or expired), or, for a session opened with `requireVerified`,
 * the attestation no longer holds (`notVerified`: revoked, suspended, expired, issuer removed). Nothing is cached.
 *
 * @example
 * // on each request (or every few minutes)
 * await verifySession(request.session.user, { client });
 */
export async function verifySession(session: Session, options: { client: Client; now?: Date }): Promise<Session> {
  const now = options.now ?? new Date();
  if (now.getTime() >= Date.parse(session.expiresAt)) fail("sessionExpired", `session ended at ${session.expiresAt}`);
  await checkAuthority(options.client, { identity: session.identity, signer: session.signer });
  if (session.requireVerified !== undefined) {
    await checkVerified(options.client, { identity: session.identity, minLevel: session.requireVerified.minLevel });
  }
  return session;
}
