/**
 * The SDK's error classes. Every error the SDK throws or returns is a {@link RealDIDError} with a literal `name`, so
 * callers narrow with `error.name === "UnavailableError"` (or `instanceof`) and read structured fields instead of
 * parsing messages. Errors decoded from contract reverts live in `contract.generated.ts`.
 */

/** Base of every SDK error: a literal `name`, a message naming what is wrong, the underlying `cause` if any. */
export abstract class RealDIDError extends Error {
  abstract override readonly name: string;
}

/** A DID that is not a valid did:ethr (or not a DID at all). */
export class InvalidDidError extends RealDIDError {
  override readonly name = "InvalidDidError" as const;
  constructor(
    readonly did: string,
    detail = "not a valid did:ethr",
  ) {
    super(`${did}: ${detail}`);
  }
}

/** A DID of a network the SDK was not configured for. */
export class UnknownNetworkError extends RealDIDError {
  override readonly name = "UnknownNetworkError" as const;
  constructor(readonly network: string) {
    super(`no configuration for network ${network}`);
  }
}

/** Which backend failed: the subgraph's GraphQL endpoint or the chain's JSON-RPC. */
export type Backend = "graphql" | "rpc";

/**
 * A backend could not answer (down, HTTP error, GraphQL errors, an RPC failing mid-walk). Never means "no such
 * DID": retry later or elsewhere.
 */
export class UnavailableError extends RealDIDError {
  override readonly name = "UnavailableError" as const;
  constructor(
    readonly backend: Backend,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend} unavailable: ${message}`, options);
  }
}

/** Something asked for does not exist (e.g. a block past the chain's head). */
export class NotFoundError extends RealDIDError {
  override readonly name = "NotFoundError" as const;
}

/** The SDK was configured wrongly (missing RPC URL, deployment file without a contract, ...). */
export class ConfigurationError extends RealDIDError {
  override readonly name = "ConfigurationError" as const;
}

/** A revert whose data matches no custom error of the RealDID contracts (nor `Error(string)` / `Panic`). */
export class UnknownContractError extends RealDIDError {
  override readonly name = "UnknownContractError" as const;
  constructor(
    readonly data: string,
    options?: { cause?: unknown },
  ) {
    super(`contract reverted with unknown data ${data}`, options);
  }
}

/** Why a sign-in or a session was refused. */
export type SignInFailureReason =
  /** Not an EIP-4361 message (or longer than the SDK accepts at all). */
  | "malformedMessage"
  /** A field longer than its limit (domain 253, URI 2048, statement 1024, nonce 64, 16 resources of 2048). */
  | "fieldTooLong"
  /** Signed for another site. */
  | "wrongDomain"
  /** Its URI is not on the relying party's origin. */
  | "wrongUri"
  /** Signed for another chain, or its DID is on another network. */
  | "wrongChain"
  /** No `did:ethr:` entry (or more than one) among its resources. */
  | "missingDid"
  /** The DID in its resources is not a valid did:ethr. */
  | "invalidDid"
  /** Its issued-at time is more than the allowed skew away from now. */
  | "issuedAtSkew"
  /** Past its expiration time, or its nonce expired. */
  | "expired"
  /** Before its not-before time. */
  | "notYetValid"
  /** The signature is not the address's (EOA, ERC-1271 or ERC-6492). */
  | "invalidSignature"
  /** The nonce was not issued by this relying party. */
  | "unknownNonce"
  /** The nonce was already used. */
  | "replayed"
  /** The signer is neither the DID's owner nor a valid `sigAuth` delegate. */
  | "notAuthorised"
  /** The DID is deactivated. */
  | "deactivated"
  /** The DID holds no valid real-name attestation at the required level. */
  | "notVerified"
  /** The session is past its end. */
  | "sessionExpired"
  /** The chain could not be asked (retry later). */
  | "unavailable";

/** A sign-in or session refused, with the typed reason. */
export class SignInError extends RealDIDError {
  override readonly name = "SignInError" as const;
  constructor(
    readonly reason: SignInFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`sign-in refused (${reason}): ${message}`, options);
  }
}

/** A site that has no origin to derive a per-site DID from (not an http(s) URL, or an opaque origin). */
export class InvalidOriginError extends RealDIDError {
  override readonly name = "InvalidOriginError" as const;
  constructor(readonly site: string) {
    super(`${site}: not an http(s) origin`);
  }
}

/** A recovery phrase that is not a valid BIP-39 English mnemonic. */
export class InvalidMnemonicError extends RealDIDError {
  override readonly name = "InvalidMnemonicError" as const;
  constructor() {
    super("not a valid BIP-39 English mnemonic");
  }
}

/** Why a real-name credential was refused. */
export type CredentialFailureReason =
  /** Not a JWT verifiable credential of the real-name shape (or its commitment does not open to its claims). */
  | "malformed"
  /** Its issuer is not a did:ethr of the client's chain, or its status entry names another chain or registry. */
  | "wrongChain"
  /** Issued to another DID than the one that presents it (`holder` option). */
  | "wrongHolder"
  /** The signature matches no key of the issuer's DID: the credential was altered, or a foreign key signed it. */
  | "tampered"
  /**
   * A key of the issuer's DID signed, but not one that may act for the issuer now (only the issuer or a `veriKey`
   * delegate may); or the issuer's DID lists no key at all (deactivated).
   */
  | "wrongSigner"
  /** Past its expiry (`exp`), beyond the allowed skew. */
  | "expired"
  /** Before its not-before time (`nbf`), or issued in the future (`iat`), beyond the allowed skew. */
  | "notYetValid"
  /** The issuer is not accredited now (never was, or was removed). */
  | "issuerNotAccredited"
  /** The issuer is suspended now. */
  | "issuerSuspended"
  /** The credential's level is above what the issuer may attest now. */
  | "issuerLevelExceeded"
  /** Its revocation bit is set on chain. */
  | "revoked"
  /** Its suspension bit is set on chain. */
  | "suspended"
  /** The chain or the issuer's DID could not be read (retry later; not a "no"). */
  | "unavailable";

/** A credential refused, with the typed reason. */
export class CredentialError extends RealDIDError {
  override readonly name = "CredentialError" as const;
  constructor(
    readonly reason: CredentialFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`credential refused (${reason}): ${message}`, options);
  }
}

/** A Merkle proof file that cannot be used: not the format, a field malformed, or a proof that does not verify. */
export class InvalidProofFileError extends RealDIDError {
  override readonly name = "InvalidProofFileError" as const;
  constructor(detail: string) {
    super(`not a usable RealDID proof file: ${detail}`);
  }
}
