/**
 * The creator real-name rule and what a platform may display.
 *
 * @example
 * import { creatorPolicy, displayName } from "@realdid/sdk/policy";
 */
export * from "./creator.js";
