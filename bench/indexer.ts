/**
 * Performance of the subgraph on the local subgraph host, printed and written to bench/results/indexer.md:
 *
 * 1. indexing throughput: about 10,000 mixed RealDID events on a `hardhat node` chain over HTTP, indexed from
 *    block 0 into a fresh PGlite store (and into the Postgres server in DATABASE_URL, when set);
 * 2. freshness: time from a transaction's receipt to GraphQL answering with its effect, indexer following the chain,
 *    alone and while 20 clients query the same server; and under that load again with the `indexer` command split
 *    into an index node and a query node, two processes over one Postgres database (DATABASE_URL, or a throwaway
 *    cluster when Postgres is installed).
 * DID resolution through GraphQL against the chain's log walk is the SDK benchmark's (bench/sdk.ts).
 *
 *   hardhat run bench/indexer.ts
 *   INDEXER_BENCH_ONLY=freshness hardhat run bench/indexer.ts
 *
 * With `INDEXER_BENCH_ONLY=freshness` only what freshness needs runs (the workload, indexed once into file-backed
 * PGlite, then freshness alone and under load in one process): the freshness table is printed, bench/results is
 * left as it is.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { encodeBytes32String, hexlify, toBeHex, toUtf8Bytes } from "ethers";

import { createGraphQLServer } from "../indexer/src/graphql/index.ts";
import {
  HttpRpcClient,
  loadSubgraph,
  SubgraphIndexer,
  TransientError,
  type Logger,
  type Progress,
  type Subgraph,
} from "../indexer/src/runtime/index.ts";
import { openEntityStore, type SqlEntityStore } from "../indexer/src/store/index.ts";
import { httpGraphQL } from "../sdk/src/index.ts";
import type { Deployment } from "../scripts/deployment.ts";
import { DEFAULT_BULK, generateBulk, type BulkResult } from "./indexer-workload.ts";
import { startDevChain, type DevChain } from "./lib/chain.ts";
import { exited, startIndexer } from "@realdid/testkit/indexer-command";
import { postgresAvailable, startPostgres } from "@realdid/testkit/postgres";
import { buildSubgraph } from "@realdid/testkit/subgraph";

import { deployRealDID, type RealDIDContracts } from "./lib/realdid.ts";
import { say, throttled } from "./lib/progress.ts";
import { formatCount, formatMs, summarize, type LatencySummary } from "./lib/stats.ts";
import { environment, generatedBy, writeResults, type GoalResult } from "./lib/results.ts";
import { markdownTable } from "./lib/table.ts";
import { startQueryLoad, type QueryLoadResult } from "./lib/query-load.ts";

const GOALS = {
  eventsPerSecond: 1_000,
  freshnessP95Ms: 1_000,
};
const FRESHNESS_TXS = 50;
/** Clients querying the server while freshness is measured under load (the failing case). */
const LOAD_CLIENTS = 20;
const POLL_INTERVAL_MS = 100;
const ONE_PROCESS = "one process (PGlite)";
const SPLIT_ROLES = "index + query nodes (Postgres)";
const NETWORK = "bench";
const SUBGRAPH_NAME = "realdid";
/** `freshness`: only the one-process freshness rows (see the header). */
const ONLY = process.env.INDEXER_BENCH_ONLY ?? "";
if (ONLY !== "" && ONLY !== "freshness") throw new Error(`INDEXER_BENCH_ONLY must be "freshness", not "${ONLY}"`);

const indexerLogger: Logger = {
  log(level, message) {
    if (level !== "debug" && level !== "info") say(`[indexer] ${level}: ${message}`);
  },
};

/** What every measurement works on. */
interface Bench {
  chain: DevChain;
  deployment: Deployment;
  contracts: RealDIDContracts;
  subgraph: Subgraph;
}

// ------------------------------------------------------------------------------------------ 1. indexing throughput

interface ThroughputRow {
  store: string;
  blocks: number;
  events: number;
  seconds: number;
  /** Transient RPC failures retried on the way, as {@link SubgraphIndexer.run} retries them. */
  retries: number;
}

/** Indexes the whole chain into `store` with {@link SubgraphIndexer.syncOnce}, retrying transient failures at once. */
async function indexAll(bench: Bench, store: SqlEntityStore, label: string): Promise<ThroughputRow> {
  const progress = throttled();
  let last: Progress | null = null;
  const indexer = new SubgraphIndexer({
    subgraph: bench.subgraph,
    store,
    rpc: new HttpRpcClient(bench.chain.url),
    logger: indexerLogger,
    onProgress: (p: Progress) => {
      last = p;
      progress.update(`indexing (${label}): block ${p.head}/${p.target}, ${formatCount(p.events)} events`);
    },
  });
  const started = performance.now();
  let retries = 0;
  for (;;) {
    try {
      await indexer.syncOnce();
      break;
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      retries += 1;
      say(`indexing (${label}): retrying after ${error.message}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  progress.flush();
  // Progress counts blocks and events since the indexer started, over all its syncs.
  const { blocks, events } = last ?? { blocks: 0, events: 0 };
  return { store: label, blocks, events, seconds, retries };
}

// ------------------------------------------------------------------------------------------------------- GraphQL

type GraphQLClient = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** The SDK's GraphQL transport, answering the data or throwing the errors. */
function graphqlClient(url: string): GraphQLClient {
  const send = httpGraphQL(url);
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const reply = await send({ query, variables });
    if (reply.errors !== undefined || reply.data == null) {
      throw new Error(`GraphQL: ${reply.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
    }
    return reply.data as T;
  };
}

/** Waits until GraphQL serves the chain's current head. */
async function caughtUp(bench: Bench, graphql: GraphQLClient): Promise<void> {
  const head = Number(await bench.chain.rpc.request<string>("eth_blockNumber"));
  for (;;) {
    const { _meta } = await graphql<{ _meta: { block: { number: number } } }>("{ _meta { block { number } } }");
    if (_meta.block.number >= head) return;
    await sleep(50);
  }
}

// ------------------------------------------------------------------------------------------------- 2. freshness

/** Sends a transaction from an unlocked account and waits for its receipt (the node mines on arrival). */
async function sendAndWait(chain: DevChain, request: Record<string, string>): Promise<void> {
  const hash = await chain.rpc.request<string>("eth_sendTransaction", [request]);
  for (;;) {
    const receipt = await chain.rpc.request<{ status: string } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt !== null) {
      if (receipt.status !== "0x1") throw new Error(`transaction ${hash} reverted`);
      return;
    }
    await sleep(5);
  }
}

const EVENT_COUNT_QUERY = `query ($id: ID!) { identity(id: $id) { eventCount } }`;

/**
 * {@link FRESHNESS_TXS} DIDRegistry writes of `identity`, one at a time after a random pause (so they land at every
 * phase of the indexer's poll cycle): time from each receipt to GraphQL showing the identity's new event count.
 */
async function measureFreshness(bench: Bench, graphql: GraphQLClient, identity: string): Promise<LatencySummary> {
  const eventCount = async () =>
    (await graphql<{ identity: { eventCount: number } | null }>(EVENT_COUNT_QUERY, { id: identity })).identity
      ?.eventCount ?? 0;
  await caughtUp(bench, graphql);
  const abi = bench.contracts.didRegistry.interface;
  const registry = bench.deployment.contracts.DIDRegistry.address;
  let expected = await eventCount();
  const latencies: number[] = [];
  const progress = throttled();
  for (let i = 0; i < FRESHNESS_TXS; i += 1) {
    await sleep(Math.random() * 2 * POLL_INTERVAL_MS);
    const data = abi.encodeFunctionData("setAttribute", [
      identity,
      encodeBytes32String("did/svc/HubService"),
      hexlify(toUtf8Bytes(`https://fresh.example/${i}`)),
      86_400,
    ]);
    await sendAndWait(bench.chain, { from: identity, to: registry, data, gas: toBeHex(400_000) });
    const mined = performance.now();
    expected += 1;
    while ((await eventCount()) < expected);
    latencies.push(performance.now() - mined);
    progress.update(`freshness: ${i + 1}/${FRESHNESS_TXS} transactions`);
  }
  progress.flush();
  return summarize(latencies);
}

/** An identity's DID state: the query dApps send most. */
const STATE_QUERY = `query ($id: ID!, $now: BigInt!) {
  identity(id: $id) {
    id owner deactivated changed delegateCount serviceCount
    delegates(where: { validTo_gte: $now }, orderBy: since) { delegateType delegate validTo ordinal since }
    attributes(where: { validTo_gte: $now }, orderBy: since) { name value validTo ordinal since }
  }
}`;

/** What dApps ask most: an identity with its valid keys, and a filtered page of attestations. */
function loadRequests(bench: Bench): { query: string; variables?: Record<string, unknown> }[] {
  const now = Math.floor(Date.now() / 1000);
  const identities = bench.chain.accounts.slice(0, LOAD_CLIENTS - 1);
  return identities.flatMap((id) => [
    { query: STATE_QUERY, variables: { id, now: String(now) } },
    {
      query: `{ attestations(where: { level_gte: 2, revoked: false }, orderBy: createdAtBlock, orderDirection: desc, first: 100) {
        id level expiry identity { id } issuer { id } } }`,
    },
  ]);
}

/** {@link measureFreshness} while {@link LOAD_CLIENTS} clients query the server as fast as it answers. */
async function measureFreshnessUnderLoad(
  bench: Bench,
  graphql: GraphQLClient,
  url: string,
  identity: string,
): Promise<{ freshness: LatencySummary; load: QueryLoadResult }> {
  const load = startQueryLoad(url, LOAD_CLIENTS, loadRequests(bench));
  try {
    return { freshness: await measureFreshness(bench, graphql, identity), load: await load.stop() };
  } catch (error) {
    await load.stop();
    throw error;
  }
}

type UnderLoad = { freshness: LatencySummary; load: QueryLoadResult };

/**
 * {@link measureFreshnessUnderLoad} against the `indexer` command run as graph-node runs: `--role index` and
 * `--role query`, two processes over the Postgres server in `databaseUrl` (else a throwaway cluster), so queries
 * and indexing no longer share an event loop. Null without a Postgres server or binaries to start one.
 */
async function measureSplitRoles(bench: Bench, databaseUrl: string): Promise<UnderLoad | null> {
  if (databaseUrl === "" && !postgresAvailable()) return null;
  const cluster = databaseUrl === "" ? await startPostgres() : null;
  const env = { DATABASE_URL: cluster?.databaseUrl ?? databaseUrl };
  const common = [
    ...["--subgraph", await buildSubgraph(bench.deployment), "--rpc", bench.chain.url],
    ...["--name", `realdid_roles_${process.pid}`, "--port", "0", "--status-port", "0"],
    ...["--poll-interval", String(POLL_INTERVAL_MS)],
  ];
  const nodes: ChildProcess[] = [];
  try {
    // Started once the index node has committed a block: before that, `_meta` has no block to report.
    nodes.push((await startIndexer([...common, "--role", "index"], env, /^indexed block/m)).child);
    const query = await startIndexer([...common, "--role", "query"], env, /serving GraphQL at (\S+)/);
    nodes.push(query.child);
    const url = query.match[1];
    say("index and query nodes started; the index node catches up ...");
    return await measureFreshnessUnderLoad(bench, graphqlClient(url), url, bench.chain.accounts[19]);
  } finally {
    for (const node of nodes) {
      node.kill("SIGTERM");
      await exited(node);
    }
    await cluster?.stop();
  }
}

// ---------------------------------------------------------------------------------------------------- the report

interface Results {
  bulk: BulkResult;
  throughput: ThroughputRow[];
  freshness: LatencySummary;
  underLoad: UnderLoad;
  /** Under load with index and query nodes as two processes over Postgres, when a server was at hand. */
  splitRoles: UnderLoad | null;
  postgres: boolean;
}

const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
const rate = (count: number, seconds: number) => formatCount(count / seconds);

function throughputSection({ bulk, throughput, postgres }: Results): string[] {
  const workload = markdownTable(
    ["event", "count"],
    [
      ...[...bulk.events.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => [name, formatCount(n)]),
      ["total", formatCount(bulk.totalEvents)],
    ],
    ["left", "right"],
  );
  const table = markdownTable(
    ["store", "blocks", "events", "time", "events/s", "blocks/s"],
    throughput.map((row) => [
      row.store,
      formatCount(row.blocks),
      formatCount(row.events),
      `${row.seconds.toFixed(2)} s`,
      rate(row.events, row.seconds),
      rate(row.blocks, row.seconds),
    ]),
    ["left", "right", "right", "right", "right", "right"],
  );
  const pglite = throughput[0];
  const eventsPerSecond = pglite.events / pglite.seconds;
  return [
    "## 1. Indexing throughput",
    `The bulk workload: ${formatCount(bulk.transactions)} transactions, up to 200 mined per block ` +
      `(${formatCount(bulk.blocks)} blocks), every kind of RealDID write:`,
    workload,
    "Indexed from block 0 into a fresh store with one `SubgraphIndexer.syncOnce()` over HTTP JSON-RPC:",
    table,
    "Goals:",
    `- ${pass(eventsPerSecond >= GOALS.eventsPerSecond)}: ≥ ${formatCount(GOALS.eventsPerSecond)} events/s with ` +
      `file-backed PGlite, as the indexer CLI runs (measured ${formatCount(eventsPerSecond)} events/s)`,
    "Notes:",
    [
      "- Events are handler runs; blocks/s counts every block from 0 to the head, the deployment's included.",
      `- Transient RPC failures retried during indexing (as \`run()\` retries them): ` +
        throughput.map((row) => `${row.retries} (${row.store})`).join(", ") +
        ". The node closes keep-alive connections left idle while the indexer works through a large block.",
      postgres
        ? "- The Postgres server run indexed into a schema of its own on the server in DATABASE_URL."
        : "- No Postgres server run: DATABASE_URL was not set.",
    ].join("\n"),
  ];
}

function freshnessSection({ freshness, underLoad, splitRoles }: Results): string[] {
  const { load } = underLoad;
  const loaded = ({ clients, answered, seconds }: QueryLoadResult) =>
    `${clients} clients, ${rate(answered, seconds)} queries/s`;
  const row = (indexer: string, queries: string, summary: LatencySummary) => [
    indexer,
    `${POLL_INTERVAL_MS} ms`,
    queries,
    String(summary.samples),
    formatMs(summary.p50),
    formatMs(summary.p95),
    formatMs(summary.max),
  ];
  const table = markdownTable(
    ["indexer", "poll interval", "query load", "transactions", "p50", "p95", "max"],
    [
      row(ONE_PROCESS, "none", freshness),
      row(ONE_PROCESS, loaded(load), underLoad.freshness),
      ...(splitRoles === null ? [] : [row(SPLIT_ROLES, loaded(splitRoles.load), splitRoles.freshness)]),
    ],
    ["left", "right", "left", "right", "right", "right", "right"],
  );
  return [
    "## 2. Freshness",
    `The indexer follows the chain with \`run()\`, polling every ${POLL_INTERVAL_MS} ms (graph-node polls too, ` +
      `every 500 ms by default). ${FRESHNESS_TXS} DIDRegistry writes, one at a time after a random pause of up to ` +
      `${2 * POLL_INTERVAL_MS} ms: time from the transaction's receipt to a GraphQL query, repeated in a tight ` +
      "loop, returning its effect (the identity's `eventCount`). Under load, " +
      `${load.clients} clients in a worker thread query the same server meanwhile, each sending its next query as ` +
      "soon as the last is answered: an identity's DID state and a filtered page of 100 attestations, in turn " +
      `(${formatCount(load.answered)} answered, ${formatCount(load.errors)} errors, over ${load.seconds.toFixed(0)} s).`,
    `In the indexer column, ${ONE_PROCESS} is the \`indexer\` command's default role, all: indexer and GraphQL server share one event ` +
      `loop. ${SPLIT_ROLES} is \`--role index\` and \`--role query\`, graph-node's index and query nodes, ` +
      (splitRoles === null
        ? ONLY === ""
          ? "not measured: no Postgres server (DATABASE_URL) and no Postgres binaries to start one."
          : "not measured in this run (INDEXER_BENCH_ONLY)."
        : "the load sent to the query node " +
          `(${formatCount(splitRoles.load.answered)} answered, ${formatCount(splitRoles.load.errors)} errors).`),
    table,
    "Goals:",
    `- ${pass(freshness.p95 < GOALS.freshnessP95Ms)}: p95 < ${formatMs(GOALS.freshnessP95Ms)} ` +
      `(measured ${formatMs(freshness.p95)})`,
    `- ${pass(underLoad.freshness.p95 < GOALS.freshnessP95Ms)}: p95 < ${formatMs(GOALS.freshnessP95Ms)} ` +
      `with ${load.clients} clients querying (measured ${formatMs(underLoad.freshness.p95)})`,
    ...(splitRoles === null
      ? []
      : [
          `- ${pass(splitRoles.freshness.p95 < GOALS.freshnessP95Ms)}: p95 < ${formatMs(GOALS.freshnessP95Ms)} ` +
            `with ${splitRoles.load.clients} clients querying a query node (measured ` +
            `${formatMs(splitRoles.freshness.p95)})`,
        ]),
  ];
}

/** The goals for the headline table. */
function goals({ throughput, freshness, underLoad, splitRoles }: Results): GoalResult[] {
  const pglite = throughput[0];
  const eventsPerSecond = pglite.events / pglite.seconds;
  const freshnessGoal = (goal: string, summary: LatencySummary): GoalResult => ({
    goal,
    target: `p95 < ${formatMs(GOALS.freshnessP95Ms)}`,
    unit: "ms",
    ours: summary.p95,
    reference: null,
    met: summary.p95 < GOALS.freshnessP95Ms,
  });
  return [
    {
      goal: "indexing throughput, file-backed PGlite",
      target: `≥ ${formatCount(GOALS.eventsPerSecond)} events/s`,
      unit: "events/s",
      ours: eventsPerSecond,
      reference: null,
      met: eventsPerSecond >= GOALS.eventsPerSecond,
    },
    freshnessGoal(`freshness p95, polling every ${POLL_INTERVAL_MS} ms`, freshness),
    freshnessGoal(`freshness p95 with ${underLoad.load.clients} clients querying`, underLoad.freshness),
    ...(splitRoles === null
      ? []
      : [
          freshnessGoal(
            `freshness p95 with ${splitRoles.load.clients} clients querying, index and query nodes over Postgres`,
            splitRoles.freshness,
          ),
        ]),
  ];
}

function report(results: Results): string {
  return [
    "# Indexer performance",
    generatedBy("bench/indexer.ts"),
    ...throughputSection(results),
    ...freshnessSection(results),
  ].join("\n\n");
}

// ---------------------------------------------------------------------------------------------------- the run

async function run(chain: DevChain, workDir: string): Promise<Results> {
  say(`hardhat node at ${chain.url}; deploying RealDID ...`);
  const { deployment, contracts } = await deployRealDID(chain.url, NETWORK);
  say("building the subgraph for the deployment ...");
  const subgraph = await loadSubgraph(await buildSubgraph(deployment));
  const bench: Bench = { chain, deployment, contracts, subgraph };

  say("generating the bulk workload ...");
  const generation = throttled();
  const bulk = await generateBulk(chain.rpc, chain.accounts, contracts, DEFAULT_BULK, generation.update);
  generation.flush();
  say(
    `${formatCount(bulk.totalEvents)} events in ${formatCount(bulk.transactions)} transactions and ` +
      `${bulk.blocks} blocks, generated in ${bulk.seconds.toFixed(1)} s`,
  );

  const model = subgraph.schema;
  const store = await openEntityStore({ subgraphName: SUBGRAPH_NAME, model, dataDir: join(workDir, "pglite") });
  const throughput = [await indexAll(bench, store, "PGlite (embedded, file-backed)")];
  if (throughput[0].events < bulk.totalEvents) {
    throw new Error(`the indexer handled ${throughput[0].events} events, the workload emitted ${bulk.totalEvents}`);
  }
  const databaseUrl = ONLY === "" ? (process.env.DATABASE_URL ?? "") : "";
  if (ONLY === "") {
    // The same without file I/O: what the file-backed database costs.
    const memory = await openEntityStore({ subgraphName: SUBGRAPH_NAME, model });
    throughput.push(await indexAll(bench, memory, "PGlite (in memory)"));
    await memory.close();
  }
  if (databaseUrl !== "") {
    // A schema of its own: the server may hold other subgraphs.
    const server = await openEntityStore({ subgraphName: `realdid_bench_${process.pid}`, model, databaseUrl });
    throughput.push(await indexAll(bench, server, "Postgres server (DATABASE_URL)"));
    await server.close();
  }

  const graphqlServer = await createGraphQLServer({
    store,
    subgraphName: SUBGRAPH_NAME,
    port: 0,
  });
  const graphql = graphqlClient(graphqlServer.url);
  const follower = new AbortController();
  const following = new SubgraphIndexer({
    subgraph,
    store,
    rpc: new HttpRpcClient(chain.url),
    logger: indexerLogger,
    pollIntervalMs: POLL_INTERVAL_MS,
  }).run(follower.signal);
  let freshness: LatencySummary;
  let underLoad: UnderLoad;
  try {
    freshness = await measureFreshness(bench, graphql, chain.accounts[19]);
    underLoad = await measureFreshnessUnderLoad(bench, graphql, graphqlServer.url, chain.accounts[19]);
  } finally {
    follower.abort();
    await following;
    await graphqlServer.close();
    await store.close();
  }
  const splitRoles = ONLY === "" ? await measureSplitRoles(bench, databaseUrl) : null;
  return { bulk, throughput, freshness, underLoad, splitRoles, postgres: databaseUrl !== "" };
}

const chain = await startDevChain();
const workDir = mkdtempSync(join(tmpdir(), "realdid-bench-indexer-"));
process.once("exit", () => rmSync(workDir, { recursive: true, force: true }));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
try {
  const results = await run(chain, workDir);
  if (ONLY === "freshness") console.log(freshnessSection(results).join("\n\n"));
  else writeResults("indexer", report(results), { environment: environment(), goals: goals(results) });
} finally {
  chain.stop();
}
