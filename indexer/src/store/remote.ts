/**
 * The store's read side across threads: {@link serveStoreReads}, in the thread that owns the store, answers the
 * reads a {@link RemoteStoreReader} sends from another thread over a MessagePort. The GraphQL server runs in a
 * worker this way (graphql/worker.ts): HTTP, GraphQL parsing, validation and JSON serialization of many clients
 * leave the indexer's thread, while every SQL statement still goes through the store's one connection with the
 * writer first.
 */
import type { MessagePort } from "node:worker_threads";

import type { SubgraphModel } from "../schema/model.ts";
import type { EntityQuery } from "./queries.ts";
import type { StoreReader } from "./sql.ts";

type Read = keyof StoreReader;
const READS: readonly Read[] = ["find", "indexFields", "block", "blockNumber", "blockHash", "entityCount", "status"];

interface ReadRequest {
  id: number;
  method: Read;
  args: unknown[];
}

type ReadReply = { id: number; result: unknown } | { id: number; error: Error };

/**
 * Answers {@link RemoteStoreReader} requests arriving on `port` from `store`; `find` runs against `model` (this
 * thread's copy of the schema model the other thread sends its queries for).
 */
export function serveStoreReads(store: StoreReader, model: SubgraphModel, port: MessagePort): void {
  port.on("message", ({ id, method, args }: ReadRequest) => {
    const answer = (reply: Omit<ReadReply, "id">) => port.postMessage({ id, ...reply });
    if (!READS.includes(method)) {
      answer({ error: new Error(`${String(method)} is not a store read`) });
      return;
    }
    const read =
      method === "find"
        ? store.find(model, args[0] as EntityQuery)
        : (store[method] as (...params: unknown[]) => Promise<unknown>).apply(store, args);
    read.then(
      (result) => answer({ result }),
      (error: unknown) => answer({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
  });
}

/** A {@link StoreReader} whose reads are answered by {@link serveStoreReads} in the thread owning the store. */
export class RemoteStoreReader implements StoreReader {
  #next = 0;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(private readonly port: MessagePort) {
    port.on("message", (reply: ReadReply) => {
      const call = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if ("error" in reply) call?.reject(reply.error);
      else call?.resolve(reply.result);
    });
  }

  #read<M extends Read>(method: M, args: unknown[]): ReturnType<StoreReader[M]> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.port.postMessage({ id, method, args } satisfies ReadRequest);
    }) as ReturnType<StoreReader[M]>;
  }

  // The model stays behind: the owning thread has its own (see serveStoreReads).
  find: StoreReader["find"] = (_model, query) => this.#read("find", [query]);
  indexFields: StoreReader["indexFields"] = (fields) => this.#read("indexFields", [fields]);
  block: StoreReader["block"] = (number) => this.#read("block", [number]);
  blockNumber: StoreReader["blockNumber"] = (hash) => this.#read("blockNumber", [hash]);
  blockHash: StoreReader["blockHash"] = (number) => this.#read("blockHash", [number]);
  entityCount: StoreReader["entityCount"] = () => this.#read("entityCount", []);
  status: StoreReader["status"] = () => this.#read("status", []);
}
