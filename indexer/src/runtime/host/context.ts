import type { BlockState } from "../block-state.js";
import type { Logger } from "../logger.js";
import type { DataSource } from "../manifest.js";
import type { RpcClient } from "../rpc.js";

/** What host functions may touch while one handler runs. */
export interface HostContext {
  dataSource: DataSource;
  /** The block being processed. */
  block: { number: number; hash: string };
  state: BlockState;
  rpc: RpcClient;
  logger: Logger;
}
