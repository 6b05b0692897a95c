/**
 * The local subgraph host's runtime: loads a built subgraph and runs its compiled mappings over a chain.
 *
 * @example
 * const subgraph = await loadSubgraph("subgraph/build");
 * const indexer = new SubgraphIndexer({ subgraph, store, rpc: new HttpRpcClient("http://127.0.0.1:8545") });
 * await indexer.run(controller.signal);
 */
export { chainHead, recordChainHead } from "./chain-head.ts";
export { deploymentId, ipfsHash } from "./deployment.ts";
export { DeterministicError, ManifestError, ReorgError, TransientError, type RuntimeError } from "./errors.ts";
export {
  DEFAULT_REORG_THRESHOLD,
  SubgraphIndexer,
  type Progress,
  type SubgraphIndexerOptions,
  type SyncResult,
} from "./indexer.ts";
export { silentLogger, type Logger, type LogLevel } from "./logger.ts";
export { loadSubgraph, type DataSource, type EventHandler, type Subgraph } from "./manifest.ts";
export { Eip1193RpcClient, HttpRpcClient, RpcError, type Eip1193Provider, type RpcClient } from "./rpc.ts";
