/**
 * RealDID SDK.
 *
 * @example
 * import { Resolver } from "did-resolver";
 * import { getSubgraphResolver, httpGraphQL } from "@realdid/sdk";
 *
 * const resolver = new Resolver(
 *   getSubgraphResolver({ networks: [{ chainId: 31337, query: httpGraphQL("http://127.0.0.1:8000/subgraphs/name/realdid") }] }),
 * );
 */
export {
  canonicalEvent,
  fetchIdentityHistory,
  fetchLatestDIDState,
  getSubgraphResolver,
  httpGraphQL,
  IDENTITY_HISTORY_QUERY,
  IDENTITY_STATE_QUERY,
  type CanonicalAttributeChanged,
  type CanonicalDelegateChanged,
  type CanonicalDIDEvent,
  type CanonicalOwnerChanged,
  type GraphQLFetch,
  type GraphQLRequest,
  type GraphQLResult,
  type IdentityEventRow,
  type IdentityHistory,
  type SubgraphDIDNetwork,
  type SubgraphDIDResolverOptions,
} from "./did-document.js";
export { commitmentOf, randomSalt } from "./commitment.js";
