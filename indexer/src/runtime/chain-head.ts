/**
 * The chain's head block: read from the chain, and recorded in the store by an index node for its query nodes,
 * whose status API answers from the database (graph-node's block ingestor keeps the chain head in its database
 * the same way).
 */
import { setTimeout as sleep } from "node:timers/promises";

import type { BlockPointer } from "../store/types.ts";
import type { Logger } from "./logger.ts";
import { fromHex, type Hex, type RpcBlock, type RpcClient } from "./rpc.ts";

/** The chain's latest block, or null when the node has none. */
export async function chainHead(rpc: RpcClient): Promise<BlockPointer | null> {
  const head = await rpc.request<RpcBlock<Hex> | null>("eth_getBlockByNumber", ["latest", false]);
  return head === null ? null : { number: fromHex(head.number), hash: head.hash };
}

/**
 * Reads the chain head every `intervalMs` and records it with `record` when it changed, until `signal` aborts.
 * A failed read or write is logged and tried again at the next interval.
 */
export async function recordChainHead(
  rpc: RpcClient,
  record: (head: BlockPointer) => Promise<void>,
  intervalMs: number,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  let recorded: string | null = null;
  while (!signal.aborted) {
    try {
      const head = await chainHead(rpc);
      if (head !== null && head.hash !== recorded) {
        await record(head);
        recorded = head.hash;
      }
    } catch (error) {
      logger.log("warning", `cannot record the chain head: ${(error as Error).message}`);
    }
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}
