/**
 * Real-name verifiable credentials: issue (JWT VC, did-jwt-vc), verify against the chain at the latest block,
 * revoke, suspend and lift through the issuer's status lists, and export a list as a W3C
 * `BitstringStatusListCredential`.
 *
 * @example
 * import { issueRealNameCredential, verifyRealNameCredential } from "@realdid/sdk/credentials";
 */
export {
  readRealNameCredential,
  statusListUrl,
  statusReferenceOf,
  type RealNameCredentialContents,
  type RealNameSubject,
  type StatusListEntry,
  type StatusListLocation,
} from "./credential.js";
export { CredentialError, type CredentialFailureReason } from "../errors/base.js";
export { issueRealNameCredential, type IssueRealNameCredentialParams, type IssuedRealNameCredential } from "./issue.js";
export {
  CREDENTIAL_LIST_LENGTH,
  liftCredentialSuspension,
  memoryStatusIndexStore,
  randomStatusIndex,
  readCredentialStatus,
  revokeCredential,
  StatusPurpose,
  suspendCredential,
  type CredentialStatusBits,
  type StatusIndexStore,
  type StatusReference,
} from "./status.js";
export {
  decodeStatusList,
  encodeStatusList,
  exportStatusList,
  statusAt,
  type BitstringStatusListCredential,
  type ExportedStatusList,
  type ExportStatusListParams,
} from "./status-list.js";
export {
  verifyRealNameCredential,
  type VerifiedRealNameCredential,
  type VerifyRealNameCredentialOptions,
} from "./verify.js";
