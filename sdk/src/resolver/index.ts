/**
 * The did:ethr resolver for did-resolver: GraphQL fast path, on-chain log walk (ethr-did-resolver) as fallback.
 *
 * The subgraph answers when one is configured, it answers without errors, it has indexed the block asked for and
 * (with `maxLag`) it trails the chain's head by at most `maxLag` blocks and is not ahead of it. Otherwise the chain
 * answers. `didResolutionMetadata.source` (an extra field) says which did: `"graphql"` or `"rpc"`, and
 * `didResolutionMetadata.fallbackReason` why the chain answered when a subgraph was configured. A backend that
 * fails answers `error: "unavailable"`, never `notFound`.
 */
import { Resolver, type DIDResolutionResult, type DIDResolver } from "did-resolver";
import { Errors, getResolver as getEthrResolver } from "ethr-did-resolver";
import type { Provider } from "ethers";

import { type NetworkConfig } from "../config.js";
import { ConfigurationError } from "../errors/base.js";
import { httpGraphQL } from "../transport/graphql.js";
import { providerOf } from "../transport/rpc.js";
import { chainKey, failure, readRequest, type ResolutionRequest } from "./request.js";
import { resolveFromSubgraph, type SubgraphDIDNetwork, type SubgraphResolution } from "./subgraph.js";

/** The resolver's configuration: one entry per chain. */
export interface ResolverConfig {
  networks: NetworkConfig[];
}

/** Which path answered a resolution. */
export type ResolutionSource = "graphql" | "rpc";

/** A configured chain: its subgraph path and its chain path (either may be absent). */
interface ConfiguredNetwork {
  subgraph?: SubgraphDIDNetwork;
  provider?: Provider;
  chain?: DIDResolver;
  maxLag?: number;
}

function configure(network: NetworkConfig): ConfiguredNetwork {
  const { chainId } = network;
  const provider =
    network.provider ??
    // The log walk asks for one block's logs after another: batching would only add its wait to every step.
    (network.rpcUrl === undefined ? undefined : providerOf({ rpcUrl: network.rpcUrl }, chainId, { batch: false }));
  const query = network.graphql ?? (network.graphqlUrl === undefined ? undefined : httpGraphQL(network.graphqlUrl));
  if (provider === undefined && query === undefined) {
    throw new ConfigurationError(`network ${network.name ?? chainId}: configure an RPC or a GraphQL endpoint`);
  }
  const blockTimestamp =
    provider === undefined
      ? undefined
      : async (blockNumber: number) => {
          const block = await provider.getBlock(blockNumber);
          if (block === null) throw new Error(`Block at height ${blockNumber} not found`);
          return BigInt(block.timestamp);
        };
  const chain =
    provider === undefined
      ? undefined
      : getEthrResolver({
          // ethr-did-resolver takes ethers' CommonJS Provider type; at run time it is the same class.
          networks: [{ name: network.name, chainId, registry: network.registry, provider: provider as never }],
        }).ethr;
  return {
    subgraph: query === undefined ? undefined : { name: network.name, chainId, query, blockTimestamp },
    provider,
    chain,
    maxLag: network.maxLag,
  };
}

/** Why the subgraph's answer cannot be used, or null when it can. */
async function staleness(network: ConfiguredNetwork, request: ResolutionRequest, indexedBlock: number) {
  if (typeof request.blockTag === "number" && indexedBlock < request.blockTag) {
    return `subgraph indexed block ${indexedBlock}, behind the requested block ${request.blockTag}`;
  }
  if (network.maxLag === undefined || network.provider === undefined) return null;
  let head: number;
  try {
    head = await network.provider.getBlockNumber();
  } catch (error) {
    return `chain head unknown, so the subgraph's lag is: ${(error as Error).message}`;
  }
  if (indexedBlock > head) return `subgraph claims block ${indexedBlock}, past the chain's head ${head}`;
  if (head - indexedBlock > network.maxLag) {
    return `subgraph indexed block ${indexedBlock}, more than ${network.maxLag} blocks behind the head ${head}`;
  }
  return null;
}

/** ethr-did-resolver's answer with its failures classified: a failing RPC is `unavailable`. */
async function resolveOnChain(chain: DIDResolver, ...args: Parameters<DIDResolver>): Promise<DIDResolutionResult> {
  const result = await chain(...args);
  const { error, message } = result.didResolutionMetadata;
  if (error === Errors.notFound && !/^Block at height \d+ not found/.test(message ?? "")) {
    return failure("unavailable", `rpc unavailable: ${message}`);
  }
  return result;
}

/** Adds the path that answered (and why the chain did) to a result. */
function from(result: DIDResolutionResult, source: ResolutionSource, fallbackReason?: string): DIDResolutionResult {
  const extra = fallbackReason === undefined ? { source } : { source, fallbackReason };
  return { ...result, didResolutionMetadata: { ...result.didResolutionMetadata, ...extra } };
}

/**
 * A did:ethr resolver for did-resolver over RealDID chains: `new Resolver(getResolver({ networks }))`. Documents
 * and metadata equal ethr-did-resolver's (including `?versionId=` and `blockTag`); see the module comment for
 * which path answers.
 *
 * @example
 * import { Resolver } from "did-resolver";
 * import { getResolver, networkFromDeployment } from "@realdid/sdk/resolver";
 * import deployment from "./deployments/localhost.json" with { type: "json" };
 *
 * const resolver = new Resolver(
 *   getResolver({
 *     networks: [
 *       networkFromDeployment(deployment, {
 *         rpcUrl: "http://127.0.0.1:8545",
 *         graphqlUrl: "http://127.0.0.1:8000/subgraphs/name/realdid",
 *         maxLag: 5,
 *       }),
 *     ],
 *   }),
 * );
 * const { didDocument, didResolutionMetadata } = await resolver.resolve("did:ethr:localhost:0x8ba1f109551bD432803012645Ac136ddd64DBA72");
 * console.log(didResolutionMetadata.source); // "graphql" or "rpc"
 */
export function getResolver(config: ResolverConfig): { ethr: DIDResolver } {
  const networks = new Map<string, ConfiguredNetwork>();
  for (const network of config.networks) {
    const configured = configure(network);
    if (network.name !== undefined) networks.set(network.name, configured);
    networks.set(chainKey(network.chainId), configured);
  }

  return {
    ethr: async (did, parsed, resolver, options) => {
      const request = readRequest(did, parsed, options);
      if (!("networkId" in request)) return request;
      const network = networks.get(request.networkId);
      if (network === undefined) {
        return failure(
          Errors.unknownNetwork,
          `The DID resolver does not have a configuration for network: ${request.networkId}`,
        );
      }
      let fallbackReason: string | undefined;
      let graphqlFailure: DIDResolutionResult | undefined;
      if (network.subgraph !== undefined) {
        let answered: SubgraphResolution | undefined;
        try {
          answered = await resolveFromSubgraph(network.subgraph, request);
        } catch (error) {
          fallbackReason = `graphql failed: ${(error as Error).message}`;
          graphqlFailure = failure("unavailable", (error as Error).message);
        }
        if (answered !== undefined) {
          fallbackReason = (await staleness(network, request, answered.indexedBlock)) ?? undefined;
          if (fallbackReason === undefined) return from(answered.result, "graphql");
        }
      }
      if (network.chain === undefined) {
        return from(graphqlFailure ?? failure("unavailable", `${fallbackReason}; no RPC configured`), "graphql");
      }
      const onChain = await resolveOnChain(network.chain, did, parsed, resolver, options);
      return from(onChain, "rpc", fallbackReason);
    },
  };
}

/**
 * A did-resolver `Resolver` for `config`, for callers that want one object.
 *
 * @example
 * const resolver = createResolver({ networks: [{ chainId: 31337, registry, rpcUrl: "http://127.0.0.1:8545" }] });
 */
export function createResolver(config: ResolverConfig): Resolver {
  return new Resolver(getResolver(config));
}

export { networkFromDeployment, type DeploymentFile, type NetworkConfig } from "../config.js";
export { buildDidDocument, type BuildOptions, type BuiltDocument } from "../did/document.js";
export { canonicalEvent, type CanonicalDIDEvent, type IdentityEventRow } from "../did/events.js";
export * from "../did/subgraph.js";
export * from "../transport/graphql.js";
export { providerOf, type ChainConnection } from "../transport/rpc.js";
export * from "./subgraph.js";
