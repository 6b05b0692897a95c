/** Network configuration from a `deployments/<network>.json` file (the single source of addresses). */
import type { Provider } from "ethers";

import { ConfigurationError } from "./errors/base.js";
import type { GraphQLFetch } from "./transport/graphql.js";

/** The contracts of a RealDID deployment. */
export type ContractName = "DIDRegistry" | "IssuerRegistry" | "StatusRegistry" | "RealNameRegistry";

/** The shape of `deployments/<network>.json`. */
export interface DeploymentFile {
  network: string;
  chainId: number;
  contracts: Partial<Record<ContractName | string, { address: string; startBlock: number; abi?: string }>>;
}

/** One chain the SDK talks to: its id, its contracts, and how to reach its JSON-RPC and its subgraph. */
export interface NetworkConfig {
  /** Name used in DIDs (`did:ethr:<name>:0x…`); the hex chain id always works too. */
  name?: string;
  chainId: number | bigint;
  /** DIDRegistry address. */
  registry: string;
  /** RealNameRegistry address (sign-in with `requireVerified`, the creator rule). */
  realNameRegistry?: string;
  /** IssuerRegistry address (credential verification). */
  issuerRegistry?: string;
  /** StatusRegistry address (credential status lists). */
  statusRegistry?: string;
  /** JSON-RPC URL of the chain (or pass `provider`). */
  rpcUrl?: string;
  provider?: Provider;
  /** GraphQL URL of the subgraph (or pass `graphql`). */
  graphqlUrl?: string;
  graphql?: GraphQLFetch;
  /**
   * Largest number of blocks the subgraph may trail the chain's head before the resolver walks the chain instead
   * (checked with one `eth_blockNumber` per resolution when set; unset: the subgraph is trusted to be current).
   */
  maxLag?: number;
}

/**
 * A {@link NetworkConfig} from the contents of `deployments/<network>.json` plus where to reach the chain and the
 * subgraph.
 *
 * @example
 * import deployment from "./deployments/localhost.json" with { type: "json" };
 * const network = networkFromDeployment(deployment, {
 *   rpcUrl: "http://127.0.0.1:8545",
 *   graphqlUrl: "http://127.0.0.1:8000/subgraphs/name/realdid",
 * });
 */
export function networkFromDeployment(
  deployment: DeploymentFile,
  connection: Omit<
    NetworkConfig,
    "chainId" | "registry" | "realNameRegistry" | "issuerRegistry" | "statusRegistry" | "name"
  > & { name?: string } = {},
): NetworkConfig {
  const registry = deployment.contracts.DIDRegistry?.address;
  if (registry === undefined) {
    throw new ConfigurationError(`deployment ${deployment.network} has no DIDRegistry`);
  }
  return {
    name: deployment.network,
    ...connection,
    chainId: deployment.chainId,
    registry,
    realNameRegistry: deployment.contracts.RealNameRegistry?.address,
    issuerRegistry: deployment.contracts.IssuerRegistry?.address,
    statusRegistry: deployment.contracts.StatusRegistry?.address,
  };
}
