/**
 * The local subgraph host's runtime: loads a built subgraph and runs its compiled mappings over a chain.
 *
 * @example
 * const subgraph = await loadSubgraph("subgraph/build");
 * const indexer = new SubgraphIndexer({ subgraph, store, rpc: new HttpRpcClient("http://127.0.0.1:8545") });
 * await indexer.run(controller.signal);
 */
export { deploymentId, ipfsHash } from "./deployment.js";
export { DeterministicError, ManifestError, ReorgError, TransientError, type RuntimeError } from "./errors.js";
export {
  DEFAULT_REORG_THRESHOLD,
  SubgraphIndexer,
  type Progress,
  type SubgraphIndexerOptions,
  type SyncResult,
} from "./indexer.js";
export { silentLogger, type Logger, type LogLevel } from "./logger.js";
export { loadSubgraph, type DataSource, type EventHandler, type Subgraph } from "./manifest.js";
export { Eip1193RpcClient, HttpRpcClient, RpcError, type Eip1193Provider, type RpcClient } from "./rpc.js";
