/**
 * Issuing a real-name credential: a JWT verifiable credential (did-jwt-vc) from an issuer's DID to a holder's DID.
 * The personal claims live only in the credential; it carries the salted commitment an on-chain attestation
 * stores, and its status entries point at the issuer's status lists in the StatusRegistry.
 */
import { ES256KSigner } from "did-jwt";
import { createVerifiableCredentialJwt } from "did-jwt-vc";
import { type BaseWallet, getAddress, getBytes } from "ethers";

import { RealNameRegistryAbi } from "../abis.generated.js";
import { contractOf, decoded, type Client } from "../actions/client.js";
import { commitmentOf, randomSalt } from "../commitment.js";
import { ConfigurationError } from "../errors/base.js";
import { chainKey } from "../resolver/request.js";
import { parseEthrDid } from "../signin/authority.js";
import { CREDENTIALS_CONTEXT, REAL_NAME_CREDENTIAL_TYPE, statusEntries, type RealNameSubject } from "./credential.js";
import { randomStatusIndex, type StatusIndexStore, type StatusReference } from "./status.js";

/** Parameters of {@link issueRealNameCredential}. */
export interface IssueRealNameCredentialParams {
  /** The accredited issuer's address; the credential's `iss` is its DID on the client's chain. */
  issuer: string;
  /** The key that signs (ES256K-R): the issuer's own key or a `veriKey` delegate of its DID. */
  signer: BaseWallet;
  /** The holder's DID (`did:ethr:…`). */
  holder: string;
  realName: string;
  /** Assurance level, 1..3. With `attestation`, the attestation's level is used. */
  level?: number;
  /** Unix time the credential expires. With `attestation`, defaults to the attestation's expiry. */
  expiry?: number;
  /** The commitment's salt (default: fresh). With `attestation`: the attestation's salt (required). */
  salt?: string;
  /** Further personal claims the issuer checked (e.g. `{ birthDate: "1990-01-01" }`). */
  claims?: Record<string, string | number | boolean>;
  /**
   * The credential accompanies the holder's on-chain attestation by `issuer`: it takes the attestation's status
   * index (purposes 0/1), level and expiry, and the name and salt must open its commitment.
   */
  attestation?: boolean;
  /** Without `attestation`: the credential-list index to use (default: a random free one from `statusIndexStore`). */
  statusIndex?: number;
  /** Without `attestation`: where used credential indices are kept (default: in memory). */
  statusIndexStore?: StatusIndexStore;
  /** Base HTTPS URL under which the issuer serves its exported status lists (default: `urn:realdid:` URLs). */
  statusListBaseUrl?: string;
  now?: Date;
}

/** An issued credential: the JWT and what the issuer keeps (the holder receives the JWT). */
export interface IssuedRealNameCredential {
  jwt: string;
  salt: string;
  commitment: string;
  status: StatusReference;
}

/** The holder's attestation by `issuer`, checked to be opened by `realName` and `salt`. */
async function accompanied(client: Client, p: IssueRealNameCredentialParams, identity: string) {
  if (p.salt === undefined) throw new ConfigurationError("a credential accompanying an attestation needs its salt");
  const registry = contractOf(client, client.realNameRegistry, RealNameRegistryAbi);
  const record = await decoded(() => registry.getVerification(identity, 0));
  if (getAddress(String(record.issuer)) !== getAddress(p.issuer)) {
    throw new ConfigurationError(`${identity} holds no attestation by ${p.issuer}`);
  }
  if (String(record.commitment) !== commitmentOf(identity, p.realName, p.salt)) {
    throw new ConfigurationError(`the name and salt do not open the commitment of ${identity}'s attestation`);
  }
  return { level: Number(record.level), expiry: Number(record.expiry), index: Number(record.statusIndex) };
}

/**
 * Issues a real-name credential to `holder` as `issuer`, signed by `signer` (the issuer's key or its `veriKey`
 * delegate). Its `credentialSubject` holds the name, level, commitment and salt (and `claims`); its
 * `credentialStatus` is a `BitstringStatusListEntry` pair (revocation, suspension) naming the chain, the
 * StatusRegistry, the issuer, the purpose and the index. Nothing is written on chain.
 *
 * @example
 * // a credential of its own, in the issuer's credential lists (random index)
 * const { jwt } = await issueRealNameCredential(client, {
 *   issuer: issuer.address, signer: issuer, holder: "did:ethr:0x7a69:0x3C44…93BC", realName: "Zhang San", level: 2, expiry,
 * });
 * // or alongside the on-chain attestation (same status index, level and expiry)
 * const { salt } = await attestRealName(client, { issuer: issuer.address, identity, level: 2, expiry, realName });
 * const accompanying = await issueRealNameCredential(client, { issuer: issuer.address, signer: issuer, holder, realName, salt, attestation: true });
 */
export async function issueRealNameCredential(
  client: Client,
  p: IssueRealNameCredentialParams,
): Promise<IssuedRealNameCredential> {
  if (client.statusRegistry === undefined) throw new ConfigurationError("the client has no StatusRegistry address");
  const holder = parseEthrDid(p.holder);
  if (holder === null) throw new ConfigurationError(`holder ${p.holder} is not a valid did:ethr`);
  const issuer = getAddress(p.issuer);
  let level = p.level;
  let expiry = p.expiry;
  let status: StatusReference;
  if (p.attestation === true) {
    const attestation = await accompanied(client, p, holder.identity);
    level = attestation.level;
    expiry = Math.min(expiry ?? attestation.expiry, attestation.expiry);
    status = { issuer, list: "attestation", index: attestation.index };
  } else {
    const index = p.statusIndex ?? (await randomStatusIndex(issuer, p.statusIndexStore));
    status = { issuer, list: "credential", index };
  }
  if (level === undefined || !Number.isInteger(level) || level < 1 || level > 3) {
    throw new ConfigurationError(`level ${level} is not an assurance level (1..3)`);
  }
  if (expiry === undefined) throw new ConfigurationError("a credential needs an expiry");
  const salt = p.salt ?? randomSalt();
  const commitment = commitmentOf(holder.identity, p.realName, salt);
  const subject: RealNameSubject = {
    ...p.claims,
    id: p.holder,
    realName: p.realName,
    level,
    commitment,
    salt,
  };
  const now = Math.floor((p.now ?? new Date()).getTime() / 1000);
  const payload = {
    sub: p.holder,
    iat: now,
    nbf: now,
    exp: expiry,
    vc: {
      "@context": [CREDENTIALS_CONTEXT],
      type: ["VerifiableCredential", REAL_NAME_CREDENTIAL_TYPE],
      credentialSubject: subject,
      credentialStatus: statusEntries(
        status,
        { chainId: client.chainId, statusRegistry: client.statusRegistry },
        p.statusListBaseUrl,
      ),
    },
  };
  const jwt = await createVerifiableCredentialJwt(
    payload as never, // did-jwt-vc types `credentialStatus` as one entry; the spec allows a list
    {
      did: `did:ethr:${chainKey(client.chainId)}:${issuer}`,
      signer: ES256KSigner(getBytes(p.signer.privateKey), true),
      alg: "ES256K-R",
    },
  );
  return { jwt, salt, commitment, status };
}
