/**
 * `indexer --subgraph subgraph/ --rpc http://127.0.0.1:8545 [--db <dir>] [--role all|index|query]` — the local
 * subgraph host: runs a built subgraph against a chain, keeps entities in Postgres (embedded PGlite in `--db`, or
 * the server in `DATABASE_URL`) and serves graph-node-compatible GraphQL at /subgraphs/name/<name>.
 * Like graph-node's index and query nodes, `--role index` and `--role query` split the work between processes
 * over one Postgres server, so queries never hold up indexing in one event loop.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { Command, InvalidArgumentError, Option } from "commander";

import { createGraphQLServer, createIndexNodeServer, DEFAULT_LIMITS, type IndexedSubgraph } from "./graphql/index.ts";
import {
  chainHead,
  DEFAULT_REORG_THRESHOLD,
  HttpRpcClient,
  recordChainHead,
  loadSubgraph,
  SubgraphIndexer,
  type Logger,
  type Progress,
  type Subgraph,
} from "./runtime/index.ts";
import { openEntityStore, SubgraphNotCreatedError, type SqlEntityStore } from "./store/index.ts";

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new InvalidArgumentError(`"${value}" is not a TCP port (0-65535)`);
  return parsed;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return parsed;
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError(`"${value}" is not a non-negative integer`);
  return parsed;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number`);
  return parsed;
}

function url(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error();
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an http(s) URL`);
  }
  return value;
}

/** A built subgraph: `<dir>/build/subgraph.yaml` (after `graph build`), or a manifest path/directory itself. */
function manifestLocation(path: string): string {
  const built = join(path, "build", "subgraph.yaml");
  if (existsSync(built)) return built;
  const direct = path.endsWith(".yaml") ? path : join(path, "subgraph.yaml");
  if (!existsSync(direct)) throw new Error(`no built subgraph at ${path}: run \`graph build\` there first`);
  return direct;
}

const logger: Logger = {
  log(level, message, fields) {
    const extra = fields === undefined ? "" : ` ${JSON.stringify(fields)}`;
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`);
  },
};

function reportProgress(progress: Progress): void {
  const behind = progress.target - progress.head;
  process.stderr.write(
    `indexed block ${progress.head}/${progress.target}${behind > 0 ? ` (${behind} behind)` : ""}: ` +
      `${progress.blocks} blocks, ${progress.events} events, ` +
      `${progress.blocksPerSecond.toFixed(0)} blocks/s, ${progress.eventsPerSecond.toFixed(0)} events/s\n`,
  );
}

/** graph-node's index-node server port. */
const DEFAULT_STATUS_PORT = 8030;
/** Pause between a query node's attempts to open a subgraph whose index node has not created its tables yet. */
const WAIT_FOR_TABLES_MS = 2_000;
/** A query node waiting for its tables logs once every so many attempts (a minute), beside the first. */
const WAIT_LOG_EVERY = 30;

const program = new Command("indexer")
  .description("Local host for a compiled subgraph: follows a chain, stores entities, serves GraphQL")
  .requiredOption("--subgraph <dir>", "subgraph directory (with build/ from `graph build`) or manifest")
  .option("--rpc <url>", "JSON-RPC endpoint of the chain", url, "http://127.0.0.1:8545")
  .option("--db <dir>", "PGlite data directory (ignored when DATABASE_URL is set)", ".data/indexer")
  .option("--name <name>", "subgraph name served at /subgraphs/name/<name>", "realdid")
  .option("--host <host>", "GraphQL listen address", "127.0.0.1")
  .option("--port <port>", "GraphQL port", port, 8000)
  .option(
    "--status-port <port>",
    `index-node status API port (graph-node's indexingStatuses); default ${DEFAULT_STATUS_PORT}, on a query node off unless given`,
    port,
  )
  .option("--poll-interval <ms>", "pause between polls for new blocks", positiveInteger, 500)
  .option(
    "--reorg-threshold <blocks>",
    "blocks below the chain head that may still reorganise (indexed one by one, hashes checked)",
    nonNegativeInteger,
    DEFAULT_REORG_THRESHOLD,
  )
  .addOption(
    new Option(
      "--role <role>",
      "all: index and serve GraphQL in this process; index: index and serve the status API only; " +
        "query: serve GraphQL from the database an index node writes (both split roles need DATABASE_URL)",
    )
      .choices(["all", "index", "query"])
      .default("all"),
  )
  .showHelpAfterError();

/** Query limits: flags, or graph-node's environment variables where graph-node has one. */
const limitOptions: [flags: string, env: string, description: string, parse: (v: string) => number, value: number][] = [
  ["--max-first <n>", "GRAPH_GRAPHQL_MAX_FIRST", "largest `first` argument", positiveInteger, DEFAULT_LIMITS.maxFirst],
  ["--max-skip <n>", "GRAPH_GRAPHQL_MAX_SKIP", "largest `skip` argument", positiveInteger, DEFAULT_LIMITS.maxSkip],
  [
    "--max-depth <n>",
    "GRAPH_GRAPHQL_MAX_DEPTH",
    "deepest query nesting (introspection exempt)",
    positiveInteger,
    DEFAULT_LIMITS.maxDepth,
  ],
  [
    "--max-complexity <n>",
    "GRAPH_GRAPHQL_MAX_COMPLEXITY",
    "most entities a query may potentially return",
    positiveInteger,
    DEFAULT_LIMITS.maxComplexity,
  ],
  [
    "--query-timeout <seconds>",
    "GRAPH_GRAPHQL_QUERY_TIMEOUT",
    "seconds a query may take, waiting for its turn included",
    positiveNumber,
    DEFAULT_LIMITS.timeoutMs / 1000,
  ],
  [
    "--max-result-size <bytes>",
    "GRAPH_GRAPHQL_ERROR_RESULT_SIZE",
    "largest JSON answer in bytes",
    positiveInteger,
    DEFAULT_LIMITS.maxResultBytes,
  ],
  [
    "--max-concurrent-queries <n>",
    "INDEXER_MAX_CONCURRENT_QUERIES",
    "queries running at once (and read connections of a Postgres server)",
    positiveInteger,
    DEFAULT_LIMITS.maxConcurrent,
  ],
  [
    "--max-queued-queries <n>",
    "INDEXER_MAX_QUEUED_QUERIES",
    "queries waiting for a turn before more are refused as overloaded",
    nonNegativeInteger,
    DEFAULT_LIMITS.maxQueued,
  ],
];
for (const [flags, env, description, parse, value] of limitOptions) {
  program.addOption(new Option(flags, description).env(env).argParser(parse).default(value));
}

program.parse();
const options = program.opts<{
  subgraph: string;
  rpc: string;
  db: string;
  name: string;
  host: string;
  port: number;
  statusPort?: number;
  pollInterval: number;
  reorgThreshold: number;
  maxFirst: number;
  maxSkip: number;
  maxDepth: number;
  maxComplexity: number;
  queryTimeout: number;
  maxResultSize: number;
  maxConcurrentQueries: number;
  maxQueuedQueries: number;
  role: "all" | "index" | "query";
}>();
const limits = {
  maxFirst: options.maxFirst,
  maxSkip: options.maxSkip,
  maxDepth: options.maxDepth,
  maxComplexity: options.maxComplexity,
  timeoutMs: Math.ceil(options.queryTimeout * 1000),
  maxResultBytes: options.maxResultSize,
  maxConcurrent: options.maxConcurrentQueries,
  maxQueued: options.maxQueuedQueries,
};

/** Aborted by SIGINT or SIGTERM. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}

/** The status API of `subgraph` (graph-node's index-node server) on `--status-port`, or null when it is off. */
async function serveStatus(subgraph: Subgraph, store: SqlEntityStore, chainHead: IndexedSubgraph["chainHead"]) {
  const statusPort = options.statusPort ?? (options.role === "query" ? null : DEFAULT_STATUS_PORT);
  if (statusPort === null) return null;
  return createIndexNodeServer({
    subgraphs: [
      {
        name: options.name,
        deployment: subgraph.deployment,
        network: subgraph.dataSources[0].network,
        startBlock: Math.min(...subgraph.dataSources.map((dataSource) => dataSource.startBlock)),
        store,
        chainHead,
      },
    ],
    host: options.host,
    port: statusPort,
    logger,
  });
}

/**
 * Opens the store an index node writes, read-only; until the index node has created the subgraph's tables, waits
 * for them (retrying every {@link WAIT_FOR_TABLES_MS} ms, with a log line) rather than exit. Null when stopped
 * while waiting.
 */
async function openQueryStore(
  subgraph: Subgraph,
  databaseUrl: string,
  signal: AbortSignal,
): Promise<SqlEntityStore | null> {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    try {
      return await openEntityStore({
        subgraphName: options.name,
        model: subgraph.schema,
        databaseUrl,
        readConnections: limits.maxConcurrent,
        readStatementTimeoutMs: limits.timeoutMs,
        readOnly: true,
      });
    } catch (error) {
      if (!(error instanceof SubgraphNotCreatedError)) throw error;
      if (attempt % WAIT_LOG_EVERY === 0) {
        logger.log(
          "warning",
          `waiting for the index node: ${error.message} (retrying every ${WAIT_FOR_TABLES_MS / 1000} s)`,
        );
      }
      await sleep(WAIT_FOR_TABLES_MS, undefined, { signal }).catch(() => undefined);
    }
  }
  return null;
}

/** The subgraph's GraphQL API over `store`, with the command's address and query limits. */
function serveGraphQL(subgraph: Subgraph, store: SqlEntityStore) {
  return createGraphQLServer({
    store,
    subgraphName: options.name,
    deployment: subgraph.deployment,
    host: options.host,
    port: options.port,
    limits,
    logger,
  });
}

/**
 * Serves GraphQL (and the status API with `--status-port`) from the store an index node writes, until
 * SIGINT/SIGTERM.
 */
async function runQueryNode(subgraph: Subgraph, databaseUrl: string): Promise<void> {
  const signal = stopSignal();
  const store = await openQueryStore(subgraph, databaseUrl, signal);
  if (store === null) return;
  const server = await serveGraphQL(subgraph, store);
  // The chain head as the index node last recorded it: a query node reads the chain through nothing else.
  const status = await serveStatus(subgraph, store, () => store.chainHead());
  const statusAt = status === null ? "" : ` and indexing status at ${status.url}`;
  logger.log(
    "info",
    `serving GraphQL at ${server.url} (deployment ${subgraph.deployment})${statusAt} from Postgres (DATABASE_URL)`,
  );
  if (!signal.aborted) await new Promise((stop) => signal.addEventListener("abort", stop, { once: true }));
  await Promise.all([server.close(), status?.close()]);
  await store.close();
}

/**
 * Follows the chain into the store and serves the status API (and GraphQL in role all) until SIGINT/SIGTERM, or
 * until a handler fails deterministically (exit 1).
 */
async function runIndexNode(subgraph: Subgraph, databaseUrl: string | undefined): Promise<void> {
  const store = await openEntityStore({
    subgraphName: options.name,
    model: subgraph.schema,
    databaseUrl,
    dataDir: resolve(options.db),
    readConnections: limits.maxConcurrent,
    readStatementTimeoutMs: limits.timeoutMs,
  });
  const server = options.role === "all" ? await serveGraphQL(subgraph, store) : null;
  const rpc = new HttpRpcClient(options.rpc);
  const indexer = new SubgraphIndexer({
    subgraph,
    store,
    rpc,
    logger,
    onProgress: reportProgress,
    pollIntervalMs: options.pollInterval,
    reorgThreshold: options.reorgThreshold,
  });
  const status = await serveStatus(subgraph, store, () => chainHead(rpc));
  const where = databaseUrl ? "Postgres (DATABASE_URL)" : `PGlite at ${resolve(options.db)}`;
  const graphql = server === null ? [] : [`GraphQL at ${server.url} (deployment ${subgraph.deployment})`];
  const serving = [...graphql, ...(status === null ? [] : [`indexing status at ${status.url}`])];
  logger.log(
    "info",
    `serving ${serving.length === 0 ? "nothing" : serving.join(" and ")}; entities in ${where}; following ${options.rpc}`,
  );

  const signal = stopSignal();
  // Query nodes report the chain head from the database: an index node records the head it sees there.
  const recorder = new AbortController();
  const recording =
    server === null
      ? recordChainHead(
          rpc,
          (head) => store.recordChainHead(head),
          options.pollInterval,
          AbortSignal.any([signal, recorder.signal]),
          logger,
        )
      : null;
  await indexer.run(signal);
  recorder.abort();
  const { fatalError } = await store.status();
  await Promise.all([server?.close(), status?.close(), recording]);
  await store.close();
  if (!signal.aborted && fatalError !== null) {
    // A handler failed deterministically: indexing cannot go on until the subgraph changes.
    process.stderr.write(
      `indexer: subgraph ${options.name} (${subgraph.deployment}) failed deterministically: ${fatalError.message}\n` +
        "indexer: fix the mapping and redeploy, or index into a fresh database (--db / DATABASE_URL)\n",
    );
    process.exit(1);
  }
}

try {
  const subgraph = await loadSubgraph(manifestLocation(resolve(options.subgraph)));
  const databaseUrl = process.env.DATABASE_URL;
  if (options.role !== "all" && (databaseUrl === undefined || databaseUrl === ""))
    throw new Error(
      `--role ${options.role} needs DATABASE_URL, the Postgres server that index and query nodes share ` +
        "(PGlite is opened by one process only: use --role all with it)",
    );
  if (options.role === "query") await runQueryNode(subgraph, databaseUrl!);
  else await runIndexNode(subgraph, databaseUrl);
} catch (error) {
  process.stderr.write(`indexer: ${(error as Error).message}\n`);
  process.exit(1);
}
