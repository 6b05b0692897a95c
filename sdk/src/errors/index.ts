/**
 * Typed errors: the SDK's own (`InvalidDidError`, `UnavailableError`, `SignInError`, ...) and one class per custom
 * error of every RealDID contract, with `decodeContractError` to get one from an ethers error.
 *
 * @example
 * import { decodeContractError } from "@realdid/sdk/errors";
 */
export * from "./base.js";
export * from "./contract-error.js";
export * from "./contract.generated.js";
export { decodeContractError } from "./decode.js";
