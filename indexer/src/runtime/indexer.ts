/**
 * Follows a chain and runs a subgraph's mappings over it, committing each block atomically and rewinding the
 * store when the chain reorganises.
 *
 * Two modes, as graph-node's block stream: blocks deeper than `reorgThreshold` below the chain head are taken as
 * final and read in adaptive `eth_getLogs` ranges; newer blocks are read one at a time, each fetched by number,
 * checked to extend the block indexed before it (its parent hash) and its logs fetched by its hash (EIP-234), so
 * every committed block descends from the blocks whose logs were indexed whatever the RPC answers in between.
 */
import { setTimeout as sleep } from "node:timers/promises";

import type { BlockChanges, BlockPointer, EntityStore } from "../store/types.ts";
import { CachedEntityStore } from "../store/cache.ts";
import { BlockState } from "./block-state.ts";
import { DeterministicError, ReorgError, TransientError } from "./errors.ts";
import { decodeEventParams, type EventInput } from "./event.ts";
import { silentLogger, type Logger } from "./logger.ts";
import type { DataSource, EventHandler, Subgraph } from "./manifest.ts";
import { MappingInstance } from "./module.ts";
import {
  fromHex,
  RpcError,
  toHex,
  type Hex,
  type RpcBlock,
  type RpcClient,
  type RpcLog,
  type RpcReceipt,
} from "./rpc.ts";

export interface Progress {
  /** Last indexed block. */
  head: number;
  /** Chain head the indexer is catching up to. */
  target: number;
  /** Blocks and events processed since the indexer started. */
  blocks: number;
  events: number;
  /** Rates over the last reporting interval. */
  blocksPerSecond: number;
  eventsPerSecond: number;
}

export interface SubgraphIndexerOptions {
  subgraph: Subgraph;
  store: EntityStore;
  rpc: RpcClient;
  logger?: Logger;
  /** Called after every block range (and after a reorg) with the indexer's progress. */
  onProgress?: (progress: Progress) => void;
  /** Pause between polls for new blocks in {@link SubgraphIndexer.run} (default 500 ms). */
  pollIntervalMs?: number;
  /** Blocks per `eth_getLogs` request to start with; it shrinks when the node refuses and grows back (default 2000). */
  blockRange?: number;
  /**
   * Blocks below the chain head that may still be reorganised (default 250, graph-node's
   * `ETHEREUM_REORG_THRESHOLD`): these are indexed one block at a time with their hashes checked; deeper blocks
   * are read in ranges and taken as final.
   */
  reorgThreshold?: number;
}

export interface SyncResult {
  head: BlockPointer | null;
  blocks: number;
  events: number;
}

export const DEFAULT_REORG_THRESHOLD = 250;
const MIN_RANGE = 1;
/** Catch-up writes its staged blocks when they hold this many changes, and at the end of each block range. */
const MAX_STAGED_CHANGES = 20_000;
/** Blocks of a range fetched ahead of the one being indexed. */
const BLOCK_LOOKAHEAD = 4;
const MAX_RANGE_GROWTH = 2;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** Whether a failed `eth_getLogs` asks for a smaller range (providers word this differently). */
function rangeTooLarge(error: unknown): boolean {
  return (
    error instanceof RpcError &&
    /too many|limit|range|exceed|timeout|response size|query returned more/i.test(error.message)
  );
}

function matches(dataSource: DataSource, log: RpcLog): EventHandler[] {
  if (dataSource.address !== null && dataSource.address.toLowerCase() !== log.address.toLowerCase()) return [];
  if (fromHex(log.blockNumber) < dataSource.startBlock) return [];
  return dataSource.eventHandlers.filter((handler) => handler.topic0 === log.topics[0]?.toLowerCase());
}

/**
 * Runs a loaded subgraph against a chain and a store.
 *
 * @example
 * const indexer = new SubgraphIndexer({ subgraph, store, rpc: new HttpRpcClient(url), logger });
 * await indexer.run(controller.signal);
 */
export class SubgraphIndexer {
  readonly #subgraph: Subgraph;
  readonly #store: CachedEntityStore;
  readonly #rpc: RpcClient;
  readonly #logger: Logger;
  readonly #onProgress?: (progress: Progress) => void;
  readonly #pollIntervalMs: number;
  readonly #maxRange: number;
  readonly #addresses: string[] | null;
  readonly #topics: string[];
  readonly #startBlock: number;
  readonly #reorgThreshold: number;
  #range: number;
  /** Logs of the range after the one being indexed, requested ahead. */
  #nextLogs: { from: number; to: number; logs: Promise<RpcLog[]> } | null = null;
  #synced = false;
  #blocks = 0;
  #events = 0;
  #lastReport = { at: performance.now(), blocks: 0, events: 0 };

  constructor(options: SubgraphIndexerOptions) {
    this.#subgraph = options.subgraph;
    // The indexer is the store's only writer, so a read-through cache in front of it stays exact.
    this.#store = new CachedEntityStore(options.store);
    this.#rpc = options.rpc;
    this.#logger = options.logger ?? silentLogger;
    this.#onProgress = options.onProgress;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#maxRange = options.blockRange ?? 2_000;
    this.#range = this.#maxRange;
    this.#reorgThreshold = options.reorgThreshold ?? DEFAULT_REORG_THRESHOLD;
    if (!Number.isSafeInteger(this.#reorgThreshold) || this.#reorgThreshold < 0) {
      throw new Error(`reorgThreshold must be a non-negative integer, got ${this.#reorgThreshold}`);
    }
    const dataSources = options.subgraph.dataSources;
    if (dataSources.length === 0) throw new Error("the subgraph has no data sources");
    this.#addresses = dataSources.some((ds) => ds.address === null)
      ? null
      : [...new Set(dataSources.map((ds) => ds.address!.toLowerCase()))];
    this.#topics = [...new Set(dataSources.flatMap((ds) => ds.eventHandlers.map((handler) => handler.topic0)))];
    this.#startBlock = Math.min(...dataSources.map((ds) => ds.startBlock));
  }

  /**
   * Indexes from the store's head to the chain head as it is when called, then returns.
   * Throws {@link DeterministicError} (after recording it as the store's fatal error) when a handler fails,
   * {@link TransientError} when the RPC fails and {@link ReorgError} when the chain changed underneath; blocks it
   * had not written by then are indexed again by the next call.
   */
  async syncOnce(): Promise<SyncResult> {
    try {
      return await this.#sync();
    } catch (error) {
      await this.#store.discard().catch(() => undefined);
      throw error;
    }
  }

  async #sync(): Promise<SyncResult> {
    const status = await this.#store.status();
    if (status.fatalError !== null) {
      throw new DeterministicError(`subgraph failed earlier: ${status.fatalError.message}`);
    }
    const blocksBefore = this.#blocks;
    const eventsBefore = this.#events;
    const target = fromHex(await this.#rpc.request<Hex>("eth_blockNumber", []));
    let head = await this.#checkHead(status.head);
    const finalHead = target - this.#reorgThreshold;
    while ((head?.number ?? this.#startBlock - 1) < target) {
      const from = head === null ? this.#startBlock : head.number + 1;
      if (from <= finalHead) {
        head = await this.#indexRange(from, Math.min(finalHead, from + this.#range - 1), finalHead, target);
        head = await this.#checkHead(head);
        continue;
      }
      const next = await this.#store.writing(() => this.#indexNext(head, from, target));
      // A node behind the one that answered eth_blockNumber: the block is not there yet; the next poll gets it.
      if (next === "unavailable") break;
      head = next === "reorganised" ? await this.#checkHead(head) : next;
    }
    await this.#store.flush();
    if (!this.#synced && (head?.number ?? this.#startBlock - 1) >= target) {
      this.#synced = true;
      await this.#store.markSynced();
    }
    return { head, blocks: this.#blocks - blocksBefore, events: this.#events - eventsBefore };
  }

  /**
   * Follows the chain until `signal` aborts or a handler fails (then the error is in the store's status).
   * RPC failures are retried with backoff; reorgs rewind the store and indexing continues.
   */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.syncOnce();
        failures = 0;
      } catch (error) {
        if (error instanceof DeterministicError) {
          this.#logger.log("error", `indexing stopped: ${error.message}`);
          return;
        }
        if (!(error instanceof TransientError || error instanceof ReorgError)) throw error;
        failures += 1;
        this.#logger.log("warning", `retrying after ${error.name}: ${error.message}`, { attempt: failures });
      }
      const delay = failures === 0 ? this.#pollIntervalMs : Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
      await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Verifies the stored head is still on the chain; after a reorg rewinds to the fork point. */
  async #checkHead(head: BlockPointer | null): Promise<BlockPointer | null> {
    if (head === null || (await this.#chainHash(head.number)) === head.hash) return head;
    let fork = head.number - 1;
    while (fork >= this.#startBlock) {
      const stored = await this.#store.blockHash(fork);
      if (stored !== null && stored === (await this.#chainHash(fork))) break;
      fork -= 1;
    }
    this.#logger.log("warning", `chain reorganised: block ${head.number} changed, reverting to block ${fork}`, {
      dropped: head.number - fork,
    });
    await this.#store.revertTo(fork);
    this.#report(fork, head.number);
    return (await this.#store.status()).head;
  }

  async #chainHash(number: number): Promise<string | null> {
    const block = await this.#rpc.request<RpcBlock<Hex> | null>("eth_getBlockByNumber", [toHex(number), false]);
    return block?.hash ?? null;
  }

  /** The `eth_getLogs` filter of the subgraph's addresses and topics, for a block range or one block hash. */
  #logFilter(blocks: { fromBlock: Hex; toBlock: Hex } | { blockHash: Hex }) {
    return { ...blocks, address: this.#addresses ?? undefined, topics: [this.#topics] };
  }

  /** Logs of a block range; a range the node refuses as too large is halved until it answers (up to `to`). */
  async #getLogs(from: number, to: number): Promise<{ logs: RpcLog[]; to: number }> {
    const prefetched = this.#nextLogs;
    this.#nextLogs = null;
    let answer = prefetched?.from === from && prefetched.to === to ? prefetched.logs : null;
    for (;;) {
      try {
        const filter = this.#logFilter({ fromBlock: toHex(from), toBlock: toHex(to) });
        const logs = await (answer ?? this.#rpc.request<RpcLog[]>("eth_getLogs", [filter]));
        this.#range = Math.min(this.#maxRange, Math.max(this.#range, (to - from + 1) * MAX_RANGE_GROWTH));
        return { logs, to };
      } catch (error) {
        answer = null;
        if (!rangeTooLarge(error) || to === from) throw error;
        this.#range = Math.max(MIN_RANGE, Math.floor((to - from + 1) / 2));
        to = from + this.#range - 1;
        this.#logger.log("debug", `eth_getLogs range too large, retrying with ${this.#range} blocks`);
      }
    }
  }

  /** Indexes a range of final blocks: logs over the range, each block with logs fetched by the logs' hash. */
  async #indexRange(from: number, to: number, finalHead: number, target: number): Promise<BlockPointer | null> {
    const { logs, to: end } = await this.#getLogs(from, to);
    if (end < finalHead) {
      // The next range's logs are on their way while this range is indexed; #getLogs takes them if it asks the same.
      const next = { from: end + 1, to: Math.min(finalHead, end + this.#range) };
      const filter = this.#logFilter({ fromBlock: toHex(next.from), toBlock: toHex(next.to) });
      this.#nextLogs = { ...next, logs: this.#rpc.request<RpcLog[]>("eth_getLogs", [filter]) };
      this.#nextLogs.logs.catch(() => undefined); // awaited by #getLogs, or dropped
    }
    const byBlock = new Map<number, RpcLog[]>();
    for (const log of logs) {
      if (log.removed === true) continue;
      const number = fromHex(log.blockNumber);
      if (!byBlock.has(number)) byBlock.set(number, []);
      byBlock.get(number)!.push(log);
    }
    let head: BlockPointer | null = null;
    const numbers = [...byBlock.keys()].sort((a, b) => a - b);
    // Blocks are fetched a few ahead of the one being indexed, so the node's answers arrive while handlers run.
    const fetches: Promise<RpcBlock>[] = [];
    for (const [i, number] of numbers.entries()) {
      while (fetches.length < Math.min(numbers.length, i + BLOCK_LOOKAHEAD)) {
        const ahead = numbers[fetches.length];
        const fetch = this.#blockOfLogs(ahead, byBlock.get(ahead)!);
        fetch.catch(() => undefined); // awaited in turn below; not an unhandled rejection if the range stops first
        fetches.push(fetch);
      }
      const block = await fetches[i];
      const blockLogs = byBlock.get(number)!;
      const parent = await this.#store.blockHash(number - 1);
      if (parent !== null && parent !== block.parentHash) {
        throw new ReorgError(`block ${number} does not extend the indexed block ${number - 1}`, number);
      }
      const changes = await this.#store.writing(() => this.#indexBlock(block, blockLogs));
      await this.#store.stageBlock(changes);
      head = changes.block;
      if (this.#store.stagedChanges >= MAX_STAGED_CHANGES) await this.#store.startFlush();
    }
    if (head?.number !== end) {
      const block = await this.#rpc.request<RpcBlock<Hex> | null>("eth_getBlockByNumber", [toHex(end), false]);
      if (block === null) throw new ReorgError(`block ${end} disappeared from the chain`, end);
      head = { number: end, hash: block.hash, timestamp: fromHex(block.timestamp) };
      await this.#store.stageBlock({ block: head, changes: [] });
    }
    // Written while the next range is read and indexed; the next write, a revert or the end of the sync waits for it.
    await this.#store.startFlush();
    this.#blocks += end - from + 1;
    this.#report(end, target);
    return head;
  }

  /** The block all of `logs` (block `number`'s) come from, by their hash. */
  async #blockOfLogs(number: number, logs: RpcLog[]): Promise<RpcBlock> {
    const hash = logs[0].blockHash;
    if (logs.some((log) => log.blockHash !== hash)) {
      throw new ReorgError(`the logs of block ${number} come from different blocks`, number);
    }
    const block = await this.#rpc.request<RpcBlock | null>("eth_getBlockByHash", [hash, true]);
    if (block === null) throw new ReorgError(`block ${number} (${hash}) disappeared from the chain`, number);
    return block;
  }

  /**
   * Indexes block `number`, which may still be reorganised: the block is fetched by number, must extend `head`
   * (the block indexed before it), and its logs are fetched by its hash, so they are exactly that block's.
   */
  async #indexNext(
    head: BlockPointer | null,
    number: number,
    target: number,
  ): Promise<BlockPointer | "unavailable" | "reorganised"> {
    const block = await this.#rpc.request<RpcBlock | null>("eth_getBlockByNumber", [toHex(number), true]);
    if (block === null) return "unavailable";
    if (head !== null && block.parentHash !== head.hash) return "reorganised";
    const logs = await this.#rpc.request<RpcLog[]>("eth_getLogs", [this.#logFilter({ blockHash: block.hash })]);
    const blockLogs = logs.filter((log) => log.removed !== true);
    if (blockLogs.some((log) => log.blockHash !== block.hash)) {
      throw new ReorgError(`eth_getLogs by hash answered logs of another block than ${block.hash}`, number);
    }
    const changes = await this.#indexBlock(block, blockLogs);
    await this.#store.commitBlocks([changes]);
    this.#blocks += 1;
    this.#report(number, target);
    return changes.block;
  }

  /** Runs the handlers of a block's logs and returns the block's changes (not yet written). */
  async #indexBlock(block: RpcBlock, logs: RpcLog[]): Promise<BlockChanges> {
    const number = fromHex(block.number);
    logs.sort((a, b) => fromHex(a.logIndex) - fromHex(b.logIndex));
    const pointer = { number, hash: block.hash, timestamp: fromHex(block.timestamp) };
    const state = new BlockState(this.#store, this.#subgraph.schema);
    const instances = new Map<DataSource, MappingInstance>();
    const receipts = new Map<string, RpcReceipt>();
    let handlerName: string | null = null;
    try {
      for (const log of logs) {
        for (const dataSource of this.#subgraph.dataSources) {
          for (const handler of matches(dataSource, log)) {
            const input = await this.#eventInput(dataSource, handler, log, block, receipts);
            if (input === null) continue;
            let instance = instances.get(dataSource);
            if (instance === undefined) {
              instance = await MappingInstance.create({
                dataSource,
                block: pointer,
                state,
                rpc: this.#rpc,
                logger: this.#logger,
              });
              instances.set(dataSource, instance);
            }
            handlerName = handler.handler;
            await instance.handleEvent(handler.handler, input);
            handlerName = null;
            this.#events += 1;
          }
        }
      }
    } catch (error) {
      if (error instanceof DeterministicError) {
        this.#logger.log("critical", error.message, { block: number });
        // The blocks before the failing one are indexed: written, the head is the block before it.
        await this.#store.flush();
        await this.#store.setFatalError({ message: error.message, block: pointer, handler: handlerName });
      }
      throw error;
    }
    return { block: pointer, changes: state.changes() };
  }

  async #eventInput(
    dataSource: DataSource,
    handler: EventHandler,
    log: RpcLog,
    block: RpcBlock,
    receipts: Map<string, RpcReceipt>,
  ): Promise<EventInput | null> {
    const params = decodeEventParams(handler.fragment, log);
    if (params === null) {
      this.#logger.log(
        "warning",
        `log ${log.logIndex} of block ${block.number} does not decode as ${handler.event}; skipped`,
      );
      return null;
    }
    const transaction = block.transactions.find((tx) => tx.hash === log.transactionHash);
    if (transaction === undefined) {
      throw new ReorgError(
        `transaction ${log.transactionHash} is not in block ${fromHex(block.number)}`,
        fromHex(block.number),
      );
    }
    let receipt: RpcReceipt | null = null;
    if (handler.receipt) {
      receipt = receipts.get(log.transactionHash) ?? null;
      if (receipt === null) {
        receipt = await this.#rpc.request<RpcReceipt | null>("eth_getTransactionReceipt", [log.transactionHash]);
        if (receipt === null || receipt.blockHash !== block.hash) {
          throw new ReorgError(
            `receipt of ${log.transactionHash} is not in block ${block.hash}`,
            fromHex(block.number),
          );
        }
        receipts.set(log.transactionHash, receipt);
      }
    }
    return { log, params, block, transaction, receipt };
  }

  #report(head: number, target: number): void {
    if (this.#onProgress === undefined) return;
    const now = performance.now();
    const seconds = Math.max((now - this.#lastReport.at) / 1000, 1e-3);
    this.#onProgress({
      head,
      target,
      blocks: this.#blocks,
      events: this.#events,
      blocksPerSecond: (this.#blocks - this.#lastReport.blocks) / seconds,
      eventsPerSecond: (this.#events - this.#lastReport.events) / seconds,
    });
    this.#lastReport = { at: now, blocks: this.#blocks, events: this.#events };
  }
}
