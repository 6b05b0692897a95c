/**
 * The real-name credential's JSON form: its `vc` claim (W3C VC data model 1.1 in a JWT, as did-jwt-vc writes it),
 * the `BitstringStatusListEntry` pair of its `credentialStatus`, the status list URL scheme, and the reading of a
 * credential back into typed fields.
 *
 * Status list URLs: the list of `issuer`, `purpose` in the StatusRegistry at `registry` on chain `chainId` is
 * `urn:realdid:status-list:<chainId>:<registry>:<issuer>:<purpose>`, or `<base>/<chainId>/<registry>/<issuer>/<purpose>`
 * for an issuer that serves its exported lists (`exportStatusList`) under an HTTPS `base`. An entry's `id` is the
 * list URL, `#`, the index. Verifiers of this SDK never fetch the URL: they read the explicit fields (`chainId`,
 * `statusRegistry`, `statusIssuer`, `purpose`, `statusListIndex`) on chain.
 */
import { decodeJWT } from "did-jwt";
import { getAddress, isAddress } from "ethers";

import { CREDENTIAL_LIST_LENGTH, purposesOf, type StatusReference } from "./status.js";

/** The credential's `type` besides `VerifiableCredential`. */
export const REAL_NAME_CREDENTIAL_TYPE = "RealNameCredential";
/** The VC 1.1 context did-jwt-vc requires. */
export const CREDENTIALS_CONTEXT = "https://www.w3.org/2018/credentials/v1";

/** Where a status list lives: chain, StatusRegistry, issuer, purpose. */
export interface StatusListLocation {
  chainId: bigint | number;
  statusRegistry: string;
  issuer: string;
  purpose: number;
}

/**
 * The URL of a status list (see the module comment for the scheme).
 *
 * @example
 * statusListUrl({ chainId: 31337, statusRegistry, issuer, purpose: 2 }); // "urn:realdid:status-list:31337:0x…:0x…:2"
 * statusListUrl({ chainId: 31337, statusRegistry, issuer, purpose: 2 }, "https://issuer.example/status");
 */
export function statusListUrl(list: StatusListLocation, base?: string): string {
  const parts = [String(list.chainId), getAddress(list.statusRegistry), getAddress(list.issuer), String(list.purpose)];
  return base === undefined
    ? `urn:realdid:status-list:${parts.join(":")}`
    : `${base.replace(/\/+$/, "")}/${parts.join("/")}`;
}

/** One `BitstringStatusListEntry` of a credential, with the explicit on-chain fields. */
export interface StatusListEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: "revocation" | "suspension";
  statusListIndex: string;
  statusListCredential: string;
  chainId: string;
  statusRegistry: string;
  statusIssuer: string;
  purpose: number;
}

/** The two entries (revocation, suspension) of a credential's status. */
export function statusEntries(
  status: StatusReference,
  chain: { chainId: bigint | number; statusRegistry: string },
  base?: string,
): StatusListEntry[] {
  const purposes = purposesOf(status.list);
  return (["revocation", "suspension"] as const).map((statusPurpose) => {
    const purpose = purposes[statusPurpose];
    const url = statusListUrl({ ...chain, issuer: status.issuer, purpose }, base);
    return {
      id: `${url}#${status.index}`,
      type: "BitstringStatusListEntry",
      statusPurpose,
      statusListIndex: String(status.index),
      statusListCredential: url,
      chainId: String(chain.chainId),
      statusRegistry: getAddress(chain.statusRegistry),
      statusIssuer: getAddress(status.issuer),
      purpose,
    };
  });
}

/** The personal claims and the on-chain link of a real-name credential. */
export interface RealNameSubject {
  /** The holder's DID. */
  id: string;
  realName: string;
  /** Assurance level, 1..3. */
  level: number;
  /** `commitmentOf(identity, realName, salt)`: what an accompanying attestation stores on chain. */
  commitment: string;
  /** The commitment's salt: the holder needs it to disclose the name on chain. */
  salt: string;
  /** Further personal claims the issuer checked. */
  [claim: string]: string | number | boolean;
}

/** A real-name credential read from its JWT (not verified). */
export interface RealNameCredentialContents {
  issuerDid: string;
  subject: RealNameSubject;
  status: StatusReference;
  entries: StatusListEntry[];
  /** Unix times of the JWT. */
  iat?: number;
  nbf?: number;
  exp?: number;
}

/** Throws `malformed`-worthy `Error`s naming the first problem. */
function fail(problem: string): never {
  throw new Error(problem);
}

/**
 * Reads a real-name credential JWT into typed fields without verifying anything; throws an `Error` naming what is
 * missing or wrong. Verification (`verifyRealNameCredential`) starts with this.
 *
 * @example
 * const { subject, status } = readRealNameCredential(jwt); // what the holder received, before trusting it
 */
export function readRealNameCredential(jwt: string): RealNameCredentialContents {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJWT(jwt).payload as Record<string, unknown>;
  } catch (error) {
    return fail(`not a JWT: ${(error as Error).message}`);
  }
  const vc = payload.vc as Record<string, unknown> | undefined;
  if (typeof vc !== "object" || vc === null) fail("no vc claim");
  const types = Array.isArray(vc.type) ? vc.type : [vc.type];
  if (!types.includes(REAL_NAME_CREDENTIAL_TYPE)) fail(`type is not ${REAL_NAME_CREDENTIAL_TYPE}`);
  if (typeof payload.iss !== "string") fail("no iss");
  const subject = vc.credentialSubject as RealNameSubject | undefined;
  if (typeof subject !== "object" || subject === null) fail("no credentialSubject");
  if (subject.id !== payload.sub) fail("credentialSubject.id differs from sub");
  for (const field of ["id", "realName", "commitment", "salt"] as const) {
    if (typeof subject[field] !== "string") fail(`credentialSubject.${field} missing`);
  }
  if (!Number.isInteger(subject.level)) fail("credentialSubject.level missing");
  const entries = vc.credentialStatus as StatusListEntry[] | undefined;
  if (!Array.isArray(entries) || entries.length !== 2) fail("credentialStatus is not a pair of entries");
  const [revocation, suspension] = entries;
  const index = Number(revocation.statusListIndex);
  const list = revocation.purpose === 0 ? "attestation" : revocation.purpose === 2 ? "credential" : fail("bad purpose");
  const purposes = purposesOf(list);
  const consistent =
    revocation.type === "BitstringStatusListEntry" &&
    suspension.type === "BitstringStatusListEntry" &&
    revocation.statusPurpose === "revocation" &&
    suspension.statusPurpose === "suspension" &&
    suspension.purpose === purposes.suspension &&
    suspension.statusListIndex === revocation.statusListIndex &&
    suspension.chainId === revocation.chainId &&
    suspension.statusRegistry === revocation.statusRegistry &&
    suspension.statusIssuer === revocation.statusIssuer &&
    isAddress(revocation.statusRegistry) &&
    isAddress(revocation.statusIssuer) &&
    Number.isSafeInteger(index) &&
    index >= 0 &&
    String(index) === revocation.statusListIndex &&
    (list === "attestation" || index < CREDENTIAL_LIST_LENGTH);
  if (!consistent) fail("credentialStatus entries are inconsistent");
  const time = (claim: string) => (typeof payload[claim] === "number" ? (payload[claim] as number) : undefined);
  return {
    issuerDid: payload.iss as string,
    subject,
    status: { issuer: getAddress(revocation.statusIssuer), list, index },
    entries,
    iat: time("iat"),
    nbf: time("nbf"),
    exp: time("exp"),
  };
}

/**
 * The status reference of a real-name credential JWT (unverified), for the issuer's `revokeCredential`,
 * `suspendCredential` and `liftCredentialSuspension`.
 *
 * @example
 * await (await revokeCredential(issuerClient, statusReferenceOf(jwt))).wait();
 */
export function statusReferenceOf(jwt: string): StatusReference {
  return readRealNameCredential(jwt).status;
}
