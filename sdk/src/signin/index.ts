/**
 * Sign in with a DID: EIP-4361 messages with the DID as a resource, server-issued single-use nonces, verification
 * of plain-key, ERC-1271 and ERC-6492 signatures and of the signer's authority over the DID at the latest block,
 * optional real-name requirement, and sessions that end when that authority ends. Framework-neutral; see
 * `@realdid/sdk/signin/node` for Node `http` / Express-style handlers.
 *
 * @example
 * import { createChallenge, verifySignIn, verifySession } from "@realdid/sdk/signin";
 */
export {
  checkAuthority,
  checkVerified,
  parseEthrDid,
  readSignInState,
  type ParsedEthrDid,
  type SignInState,
} from "./authority.js";
export * from "./challenge.js";
export * from "./nonce-store.js";
export { ERC6492_SUFFIX, isValidSignature, isValidWalletSignature } from "./signature.js";
export * from "./verify.js";
export { SignInError, type SignInFailureReason } from "../errors/base.js";
