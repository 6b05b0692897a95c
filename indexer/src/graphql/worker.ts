/**
 * The GraphQL server in a worker thread, so that the HTTP requests, GraphQL parsing, validation and JSON answers of
 * many clients do not hold up the indexer's event loop: the worker reads the store through the thread that owns it
 * (store/remote.ts), whose single connection keeps serving the writer first.
 */
import { once } from "node:events";
import { isMainThread, MessageChannel, parentPort, Worker, workerData, type MessagePort } from "node:worker_threads";

import { silentLogger, type Logger, type LogLevel } from "../runtime/logger.ts";
import { parseSubgraphSchema } from "../schema/model.ts";
import { RemoteStoreReader, serveStoreReads } from "../store/remote.ts";
import type { StoreReader } from "../store/sql.ts";
import { createGraphQLServer, type GraphQLServer, type GraphQLServerOptions } from "./server.ts";

/** The server's options that cross to the worker (all but the store and the logger, which stay here). */
type ThreadOptions = Omit<GraphQLServerOptions, "store" | "logger">;

interface ThreadData {
  graphqlWorker: ThreadOptions;
  store: MessagePort;
}

type ThreadMessage =
  | { listening: string }
  | { log: [level: LogLevel, message: string, fields?: Record<string, unknown>] }
  | { failed: Error };

/**
 * Starts {@link createGraphQLServer} in a worker thread reading `store` from this thread; resolves once it listens.
 * The worker's log goes to `logger` here.
 */
export async function startGraphQLWorker(
  options: ThreadOptions & { store: StoreReader; logger?: Logger },
): Promise<GraphQLServer> {
  const { store, logger = silentLogger, ...thread } = options;
  const channel = new MessageChannel();
  serveStoreReads(store, parseSubgraphSchema(options.schemaSdl), channel.port1);
  // The worker loads this module's TypeScript through tsx, as the indexer command does.
  const tsx = import.meta.resolve("tsx/esm/api");
  const loader =
    `(async () => { const { register } = await import(${JSON.stringify(tsx)}); register(); ` +
    `await import(${JSON.stringify(import.meta.url)}); })()`;
  const worker = new Worker(loader, {
    eval: true,
    workerData: { graphqlWorker: thread, store: channel.port2 } satisfies ThreadData,
    transferList: [channel.port2],
  });
  let closing = false;
  const url = await new Promise<string>((resolve, reject) => {
    worker.on("message", (message: ThreadMessage) => {
      if ("listening" in message) resolve(message.listening);
      else if ("log" in message) logger.log(...message.log);
      else reject(message.failed);
    });
    worker.on("error", (error) => {
      logger.log("critical", `the GraphQL worker failed: ${error.stack ?? error.message}`);
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!closing) logger.log("critical", `the GraphQL worker exited (${code}): GraphQL is not served`);
      reject(new Error(`the GraphQL worker exited (${code}) before it listened`));
    });
  });
  return {
    url,
    async close() {
      closing = true;
      const exited = once(worker, "exit");
      worker.postMessage("close");
      await exited;
      channel.port1.close();
    },
  };
}

/** The worker's side: the server over a {@link RemoteStoreReader}, closed when the parent says so. */
async function serveInThread({ graphqlWorker, store }: ThreadData, parent: MessagePort): Promise<void> {
  const logger: Logger = { log: (...log) => parent.postMessage({ log } satisfies ThreadMessage) };
  try {
    const server = await createGraphQLServer({ ...graphqlWorker, store: new RemoteStoreReader(store), logger });
    parent.once("message", () => {
      void server.close().then(() => {
        store.close();
        parent.close();
      });
    });
    parent.postMessage({ listening: server.url } satisfies ThreadMessage);
  } catch (error) {
    parent.postMessage({ failed: error as Error } satisfies ThreadMessage);
    store.close();
  }
}

if (!isMainThread && (workerData as Partial<ThreadData> | null)?.graphqlWorker !== undefined) {
  await serveInThread(workerData as ThreadData, parentPort!);
}
