/**
 * Verifying a real-name credential (relying party): its form, the issuer's signature through the issuer's DID
 * document, then at the latest block the signer's authority (the issuer or its `veriKey` delegate), the issuer's
 * accreditation for the credential's level and the credential's status bits. Nothing is cached.
 */
import { verifyCredential } from "did-jwt-vc";
import type { Resolvable, VerificationMethod } from "did-resolver";
import { computeAddress, getAddress } from "ethers";

import { IssuerRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, type Client } from "../actions/client.js";
import { commitmentOf } from "../commitment.js";
import { IssuerStatus } from "../enums.generated.js";
import { ConfigurationError, CredentialError, type CredentialFailureReason } from "../errors/base.js";
import { createResolver } from "../resolver/index.js";
import { chainKey } from "../resolver/request.js";
import { parseEthrDid } from "../signin/authority.js";
import { readRealNameCredential, type RealNameSubject } from "./credential.js";
import { readCredentialStatus, type StatusReference } from "./status.js";

/** Options of {@link verifyRealNameCredential}. */
export interface VerifyRealNameCredentialOptions {
  /** The chain: its id, provider and the DIDRegistry, IssuerRegistry and StatusRegistry addresses. */
  client: Client;
  /**
   * Resolves the issuer's DID. Default: the SDK resolver walking the chain's logs through the client's provider.
   * A relying party that verifies often passes one resolver built from its network (`createResolver({ networks })`:
   * a provider of its own without request batching, and the GraphQL fast path when configured): about 22 ms a
   * verification instead of 50 ms against a local chain over HTTP. The signer's authority is read on chain either
   * way, so a stale document cannot let a removed key pass.
   */
  resolver?: Resolvable;
  /** The DID the credential must be about (e.g. the DID of the signed-in session presenting it). */
  holder?: string;
  /** Names the issuer DID's network may have besides the hex chain id (e.g. `["localhost"]`). */
  networkNames?: string[];
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat` (default 60). */
  maxSkew?: number;
  now?: Date;
}

/** A verified real-name credential. */
export interface VerifiedRealNameCredential {
  /** The issuer's DID and address. */
  issuerDid: string;
  issuer: string;
  /** The address whose key signed: the issuer or one of its `veriKey` delegates. */
  signer: string;
  /** The holder's DID and identity address. */
  holder: string;
  identity: string;
  subject: RealNameSubject;
  status: StatusReference;
  /** Unix times. */
  issuedAt?: number;
  expiresAt?: number;
}

const fail = (reason: CredentialFailureReason, message: string, cause?: unknown): never => {
  throw new CredentialError(reason, message, cause === undefined ? undefined : { cause });
};

/** did-jwt's refusal as a typed reason. */
function classify(error: Error): CredentialFailureReason {
  const { message } = error;
  if (message.includes("JWT has expired")) return "expired";
  if (message.includes("not valid before nbf") || message.includes("issued in the future")) return "notYetValid";
  if (message.startsWith("resolver_error")) {
    if (message.includes("unknownNetwork")) return "wrongChain";
    return message.includes("unavailable") ? "unavailable" : "malformed";
  }
  if (message.startsWith("invalid_signature")) return "tampered";
  // The issuer's DID lists no key that may assert (e.g. it is deactivated): nobody may sign for it.
  if (message.startsWith("no_suitable_keys")) return "wrongSigner";
  return "malformed";
}

/** The address of the verification method that signed. */
function addressOf(method: VerificationMethod): string {
  const account = method.blockchainAccountId ?? (method as { ethereumAddress?: string }).ethereumAddress;
  if (account !== undefined) return getAddress(account.split(":").pop()!);
  if (method.publicKeyHex !== undefined) return computeAddress(`0x${method.publicKeyHex}`);
  return fail("wrongSigner", `signed by ${method.id}, which has no Ethereum address`);
}

/** Runs a chain read; a failure is `unavailable` (the answer is unknown, not negative). */
async function read<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    return fail("unavailable", (error as Error).message, error);
  }
}

/**
 * Verifies a real-name credential JWT and returns its contents, or throws a {@link CredentialError} whose `reason`
 * says why not: `malformed` (not the credential's form, or its commitment does not open to its name and salt),
 * `wrongChain` (issuer DID or status entry of another chain or StatusRegistry), `wrongHolder` (not about
 * `options.holder`), `tampered` (the signature matches no
 * key of the issuer's DID), `expired` / `notYetValid` (`exp`, `nbf`, `iat` beyond `maxSkew`), `wrongSigner` (a key
 * of the issuer's DID that may not act for the issuer now, e.g. a `sigAuth` delegate, or an issuer DID that lists
 * no key at all, e.g. deactivated), `issuerNotAccredited`,
 * `issuerSuspended`, `issuerLevelExceeded`, `revoked`, `suspended`, `unavailable` (retry: not a "no"). The
 * authority, accreditation and status reads happen at the latest block, so a revocation counts at once.
 *
 * @example
 * try {
 *   const { holder, subject } = await verifyRealNameCredential(jwt, { client: createClient(network) });
 *   console.log(holder, subject.realName, subject.level);
 * } catch (error) {
 *   if (error instanceof CredentialError) console.log(error.reason); // "revoked", "expired", …
 *   else throw error;
 * }
 */
export async function verifyRealNameCredential(
  jwt: string,
  options: VerifyRealNameCredentialOptions,
): Promise<VerifiedRealNameCredential> {
  const { client } = options;
  if (client.issuerRegistry === undefined || client.statusRegistry === undefined) {
    throw new ConfigurationError("the client needs the IssuerRegistry and StatusRegistry addresses");
  }
  const now = options.now ?? new Date();
  const maxSkew = options.maxSkew ?? 60;
  let contents: ReturnType<typeof readRealNameCredential>;
  try {
    contents = readRealNameCredential(jwt);
  } catch (error) {
    return fail("malformed", (error as Error).message, error);
  }
  const { issuerDid, subject, status, entries } = contents;

  const issuerParts = parseEthrDid(issuerDid) ?? fail("malformed", `issuer ${issuerDid} is not a valid did:ethr`);
  const networks = [chainKey(client.chainId), ...(options.networkNames ?? [])];
  if (!networks.includes(issuerParts.network))
    fail("wrongChain", `issuer ${issuerDid} is not on chain ${client.chainId}`);
  const [entry] = entries;
  if (
    entry.chainId !== String(client.chainId) ||
    getAddress(entry.statusRegistry) !== getAddress(client.statusRegistry)
  ) {
    fail("wrongChain", `status list on chain ${entry.chainId} at ${entry.statusRegistry}, not this client's`);
  }
  const issuer = getAddress(issuerParts.identity);
  if (status.issuer !== issuer) fail("malformed", `status list of ${status.issuer}, not of the issuer ${issuer}`);
  const holder = parseEthrDid(subject.id) ?? fail("malformed", `holder ${subject.id} is not a valid did:ethr`);
  if (options.holder !== undefined && parseEthrDid(options.holder)?.identity !== holder.identity) {
    fail("wrongHolder", `issued to ${subject.id}, not to ${options.holder}`);
  }

  const nowSeconds = Math.floor(now.getTime() / 1000);
  const resolver =
    options.resolver ??
    createResolver({
      networks: [undefined, ...(options.networkNames ?? [])].map((name) => ({
        name,
        chainId: client.chainId,
        registry: client.didRegistry,
        provider: client.provider,
      })),
    });
  let signerMethod: VerificationMethod;
  try {
    // did-jwt-vc pins an older did-resolver whose types differ only in `@context`'s width.
    const verified = await verifyCredential(jwt, resolver as Parameters<typeof verifyCredential>[1], {
      proofPurpose: "assertionMethod",
      skewTime: maxSkew,
      policies: { now: nowSeconds },
    });
    signerMethod = verified.signer;
  } catch (error) {
    return fail(classify(error as Error), (error as Error).message, error);
  }
  if (contents.iat !== undefined && contents.iat > nowSeconds + maxSkew) {
    fail("notYetValid", `issued at ${contents.iat}, in the future of ${nowSeconds}`);
  }
  if (commitmentOf(holder.identity, subject.realName, subject.salt) !== subject.commitment) {
    fail("malformed", "the commitment does not open to the credential's name and salt");
  }
  const signer = addressOf(signerMethod);

  const issuers = contractOf(client, client.issuerRegistry, IssuerRegistryAbi);
  const [authorised, standing, bits] = await Promise.all([
    read(() => decoded(() => issuers.isAuthorizedActor(issuer, signer))),
    read(() => decoded(() => issuers.issuerStanding(issuer))),
    read(() => readCredentialStatus(client, status)),
  ]);
  if (!authorised)
    fail("wrongSigner", `${signer} may not act for the issuer ${issuer} (only it or a veriKey delegate)`);
  const issuerStatus = Number(standing.status);
  if (issuerStatus === IssuerStatus.Suspended) fail("issuerSuspended", `issuer ${issuer} is suspended`);
  if (issuerStatus !== IssuerStatus.Active) fail("issuerNotAccredited", `issuer ${issuer} is not accredited`);
  if (subject.level > Number(standing.maxLevel)) {
    fail("issuerLevelExceeded", `level ${subject.level} is above issuer ${issuer}'s maximum ${standing.maxLevel}`);
  }
  if (bits.revoked) fail("revoked", `revoked in ${issuer}'s ${status.list} list at index ${status.index}`);
  if (bits.suspended) fail("suspended", `suspended in ${issuer}'s ${status.list} list at index ${status.index}`);
  return {
    issuerDid,
    issuer,
    signer,
    holder: subject.id,
    identity: holder.identity,
    subject,
    status,
    issuedAt: contents.iat,
    expiresAt: contents.exp,
  };
}
