import type { BlockState } from "../block-state.ts";
import type { Logger } from "../logger.ts";
import type { DataSource } from "../manifest.ts";
import type { RpcClient } from "../rpc.ts";

/** What host functions may touch while one handler runs. */
export interface HostContext {
  dataSource: DataSource;
  /** The block being processed. */
  block: { number: number; hash: string };
  state: BlockState;
  rpc: RpcClient;
  logger: Logger;
}
