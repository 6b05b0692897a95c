/**
 * Per-site DIDs from one BIP-39 recovery phrase (see `site.ts` for the derivation).
 *
 * @example
 * import { generateMnemonic, siteIdentity } from "@realdid/sdk/keys";
 */
export * from "./site.js";
