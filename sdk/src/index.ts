/**
 * RealDID SDK: the did:ethr resolver (GraphQL fast path, on-chain fallback), DIDRegistry actions, typed errors,
 * sign in with a DID, per-site DIDs and the creator real-name rule. Every part is also a subpath export
 * (`@realdid/sdk/resolver`, `/actions`, `/credentials`, `/deployment`, `/signin`, `/keys`, `/policy`, `/errors`).
 *
 * @example
 * import { createResolver } from "@realdid/sdk";
 * const resolver = createResolver({ networks: [{ chainId: 31337, registry, rpcUrl: "http://127.0.0.1:8545" }] });
 */
export * from "./actions/index.js";
export * from "./credentials/index.js";
export * from "./deployment/index.js";
export * from "./errors/index.js";
export * from "./keys/index.js";
export * from "./policy/index.js";
export * from "./resolver/index.js";
export * from "./signin/index.js";
export { commitmentOf, randomSalt } from "./commitment.js";
export * from "./enums.generated.js";
export * from "./subgraph/identity.js";
