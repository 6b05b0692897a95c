/**
 * The indexer at scale, printed and written to bench/results/indexer-scale.md and .json: the `indexer` command
 * (its runtime, the real subgraph's mappings, file-backed PGlite) catches up with a generated history of
 * INDEXER_SCALE_EVENTS events (default 100,000; `INDEXER_SCALE_EVENTS=1000000` for the million), killed once with
 * SIGKILL part-way and restarted on the same database, then answers GraphQL at that size.
 * `INDEXER_SCALE_STORE=postgres` runs the same against a throwaway Postgres server (`DATABASE_URL`, as a
 * production index node would) and writes bench/results/indexer-scale-postgres.md and .json instead.
 *
 * The history is computed, not mined (testkit/src/synthetic-chain.ts says why and what it holds) and served over
 * HTTP JSON-RPC from this process; the indexer runs in a process of its own, so its memory is measured alone.
 *
 *   hardhat run bench/indexer-scale.ts
 *   INDEXER_SCALE_EVENTS=1000000 npm run bench indexer-scale
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

import { Resolver } from "did-resolver";
import pg from "pg";
import { exited, runIndexer } from "@realdid/testkit/indexer-command";
import { startPostgres } from "@realdid/testkit/postgres";
import { buildSubgraph } from "@realdid/testkit/subgraph";
import {
  checkIndexedHistory,
  EVENTS_PER_IDENTITY,
  identityAddress,
  issuerOf,
  realDIDInterfaces,
  serveHistory,
  SyntheticHistory,
  syntheticDeployment,
} from "@realdid/testkit/synthetic-chain";

import { getResolver, graphqlData, httpGraphQL, networkFromDeployment } from "../sdk/src/index.ts";
import { say } from "./lib/progress.ts";
import { environment, generatedBy, writeResults, type GoalResult } from "./lib/results.ts";
import { formatCount, formatMs, summarize, type LatencySummary } from "./lib/stats.ts";
import { markdownTable } from "./lib/table.ts";

const GOALS = {
  eventsPerSecond: 3_000,
  rssBytes: 1024 ** 3,
  lookupP95Ms: 10,
};
const DEFAULT_EVENTS = 100_000;
/** The indexer is killed when it has indexed this share of the history. */
const KILL_AT = 0.4;
const SAMPLES = 200;
/** Linux's `USER_HZ`: /proc reports CPU time in these ticks per second. */
const CLOCK_TICKS = 100;
const NETWORK = "bench";
const SUBGRAPH_NAME = "realdid";

// ------------------------------------------------------------------------------------------------- the indexer

/** One run of the `indexer` command, until it was killed or caught up. */
interface IndexerRun {
  /** Events its handlers ran. */
  events: number;
  seconds: number;
  /** Peak resident memory of the process (VmHWM), its start included. */
  peakRssBytes: number;
  /** CPU time of the process (user + system) when it was stopped: what it cost, whatever else shared the CPUs. */
  cpuSeconds: number;
  /** Largest resident memory seen at a progress line: while it indexed. */
  indexingRssBytes: number;
}

/** A `/proc/<pid>/status` field in bytes. */
function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** CPU seconds (user + system) the process used so far, from `/proc/<pid>/stat` (clock ticks of 1/100 s). */
function procCpuSeconds(pid: number): number {
  // The fields after the command name (which may hold spaces) start after its closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Bytes of the files under `dir`. */
function sizeOnDisk(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

// --------------------------------------------------------------------------------------------------- queries

/** An identity's DID state: what dApps ask most. */
const IDENTITY_QUERY = `query ($id: ID!, $now: BigInt!) {
  identity(id: $id) {
    id owner deactivated changed eventCount delegateCount serviceCount
    delegates(where: { validTo_gte: $now }, orderBy: since) { delegateType delegate validTo ordinal since }
    attributes(where: { validTo_gte: $now }, orderBy: since) { name value validTo ordinal since }
  }
}`;

/** A filtered page: an issuer's latest current attestations. */
const PAGE_QUERY = `query ($issuer: String!) {
  attestations(where: { issuer: $issuer, current: true }, orderBy: createdAtBlock, orderDirection: desc, first: 100) {
    id level expiry statusIndex identity { id }
  }
}`;

/** Identities spread over the whole history, the same every run. */
function sampleIdentities(history: SyntheticHistory, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(((i * 7_919) % count) * (history.identities / count)));
}

async function timed(samples: number[], work: (n: number) => Promise<void>): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (const n of samples) {
    const started = performance.now();
    await work(n);
    latencies.push(performance.now() - started);
  }
  return summarize(latencies);
}

// ------------------------------------------------------------------------------------------------------- run

interface Results {
  history: { events: number; identities: number; blocks: number };
  runs: IndexerRun[];
  /** Identities whose event count was checked, beside the attestation total. */
  checkedIdentities: number;
  rssAfterBytes: number;
  databaseBytes: number;
  identity: LatencySummary;
  page: LatencySummary;
  resolution: LatencySummary;
  /** Load average (1 min) at the start and at the end of the catch-up. */
  load: [number, number];
}

const sustained = (runs: readonly IndexerRun[]) =>
  runs.reduce((sum, run) => sum + run.events, 0) / runs.reduce((sum, run) => sum + run.seconds, 0);
/** The most memory the indexer held while indexing. */
const indexingRss = (runs: readonly IndexerRun[]) => Math.max(...runs.map((run) => run.indexingRssBytes));
const mib = (bytes: number) => `${formatCount(bytes / 1024 ** 2)} MiB`;

/** Identities checked after the catch-up: 500 around the one the indexer was killed at, and 500 spread out. */
function checkedIdentities(history: SyntheticHistory, killedAt: number): number[] {
  const start = Math.max(0, Math.min(history.identities - 500, killedAt - 250));
  return [...Array.from({ length: 500 }, (_, i) => start + i), ...sampleIdentities(history, 500)];
}

/** Where the indexer stores entities: file-backed PGlite (the default) or a Postgres server of its own. */
type StoreKind = "pglite" | "postgres";

/** The store of one benchmark run: what the indexer gets in its environment, and the database's size. */
interface BenchStore {
  env: Record<string, string>;
  databaseBytes(): Promise<number>;
  stop(): Promise<void>;
}

async function openBenchStore(kind: StoreKind, pgliteDir: string): Promise<BenchStore> {
  if (kind === "pglite") {
    return { env: {}, databaseBytes: async () => sizeOnDisk(pgliteDir), stop: async () => undefined };
  }
  const server = await startPostgres();
  return {
    env: { DATABASE_URL: server.databaseUrl },
    async databaseBytes() {
      const client = new pg.Client(server.databaseUrl);
      await client.connect();
      try {
        const { rows } = await client.query<{ size: string }>("SELECT pg_database_size(current_database()) AS size");
        return Number(rows[0].size);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}

async function run(events: number, workDir: string, store: BenchStore): Promise<Results> {
  const deployment = syntheticDeployment(NETWORK);
  const history = new SyntheticHistory(events, deployment, await realDIDInterfaces());
  say(
    `history: ${formatCount(history.events)} events, ${formatCount(history.identities)} identities, ` +
      `${formatCount(history.head)} blocks; building the subgraph ...`,
  );
  const subgraph = await buildSubgraph(deployment);
  const chain = await serveHistory(history);
  const options = { subgraph, rpc: chain.url, db: join(workDir, "pglite"), name: SUBGRAPH_NAME, env: store.env };
  const killAt = Math.floor(history.events * KILL_AT);
  const load = loadavg()[0];
  const runs: IndexerRun[] = [];
  let peak = 0;
  let indexing = 0;
  let cpu = 0;
  /** Samples the process's memory and CPU time at a progress line. */
  const sample = (pid: number) => {
    indexing = Math.max(indexing, procStatus(pid, "VmRSS"));
    peak = procStatus(pid, "VmHWM");
    cpu = procCpuSeconds(pid);
  };
  try {
    say(`indexing; killing the indexer at ${formatCount(killAt)} events ...`);
    const first = await runIndexer(options, ({ events }, child) => {
      sample(child.pid!);
      return events < killAt ? null : "SIGKILL";
    });
    await exited(first.child);
    runs.push({
      events: first.events,
      seconds: first.seconds,
      peakRssBytes: peak,
      indexingRssBytes: indexing,
      cpuSeconds: cpu,
    });
    indexing = 0;
    say(`killed at ${formatCount(first.events)} events after ${first.seconds.toFixed(1)} s; restarting ...`);
    let reported = 0;
    const second = await runIndexer(options, ({ head, target, events }, child) => {
      if (performance.now() - reported > 10_000) {
        reported = performance.now();
        say(`  block ${head}/${target}, ${formatCount(events)} events`);
      }
      sample(child.pid!);
      return head < target ? null : "keep";
    });
    runs.push({
      events: second.events,
      seconds: second.seconds,
      peakRssBytes: peak,
      indexingRssBytes: indexing,
      cpuSeconds: cpu,
    });
    const endLoad = loadavg()[0];
    say(
      `caught up: ${formatCount(sustained(runs))} events/s, RSS while indexing up to ${mib(indexingRss(runs))}; querying ...`,
    );
    try {
      const query = httpGraphQL(second.graphqlUrl);
      const checked = checkedIdentities(history, Math.floor((killAt - 20) / EVENTS_PER_IDENTITY));
      await checkIndexedHistory((text, variables) => graphqlData(query, { query: text, variables }), history, checked);
      const now = String(Math.floor(Date.now() / 1000));
      const samples = sampleIdentities(history, SAMPLES);
      const identity = await timed(samples, async (n) => {
        const data = await graphqlData<{ identity: unknown }>(query, {
          query: IDENTITY_QUERY,
          variables: { id: identityAddress(n), now },
        });
        if (data.identity === null) throw new Error(`identity ${n} is missing`);
      });
      const page = await timed(samples, async (n) => {
        const data = await graphqlData<{ attestations: unknown[] }>(query, {
          query: PAGE_QUERY,
          variables: { issuer: issuerOf(n) },
        });
        if (data.attestations.length === 0) throw new Error(`no attestations of ${issuerOf(n)}`);
      });
      const resolver = new Resolver(
        getResolver({ networks: [networkFromDeployment(deployment, { graphqlUrl: second.graphqlUrl })] }),
      );
      const resolution = await timed(samples, async (n) => {
        const { didDocument, didResolutionMetadata } = await resolver.resolve(
          `did:ethr:${NETWORK}:${identityAddress(n)}`,
        );
        if (didDocument === null) throw new Error(`identity ${n}: ${JSON.stringify(didResolutionMetadata)}`);
      });
      const rssAfterBytes = procStatus(second.child.pid!, "VmRSS");
      return {
        history: { events: history.events, identities: history.identities, blocks: history.head },
        runs,
        checkedIdentities: checked.length,
        rssAfterBytes,
        databaseBytes: await store.databaseBytes(),
        identity,
        page,
        resolution,
        load: [load, endLoad],
      };
    } finally {
      second.child.kill("SIGTERM");
      await exited(second.child);
    }
  } finally {
    await chain.close();
  }
}

// ---------------------------------------------------------------------------------------------------- report

const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");

const STORE_TEXT: Record<StoreKind, { into: string; goal: string }> = {
  pglite: { into: "file-backed PGlite as in the default setup", goal: "" },
  postgres: {
    into: "a Postgres server of its own (`DATABASE_URL`, fsync off), as a production index node would",
    goal: ", Postgres server",
  },
};

function report(results: Results, kind: StoreKind): string {
  const { history, runs } = results;
  const rate = sustained(runs);
  const runTable = markdownTable(
    [
      "run",
      "store at start",
      "events",
      "time",
      "events/s",
      "indexer CPU",
      "events per CPU second",
      "RSS while indexing",
      "peak RSS (VmHWM)",
    ],
    runs.map((run, i) => [
      i === 0 ? "1 (killed with SIGKILL)" : "2 (restarted, to the head)",
      i === 0 ? "empty" : "as run 1 left it",
      formatCount(run.events),
      `${run.seconds.toFixed(1)} s`,
      formatCount(run.events / run.seconds),
      `${run.cpuSeconds.toFixed(1)} s`,
      formatCount(run.events / run.cpuSeconds),
      mib(run.indexingRssBytes),
      mib(run.peakRssBytes),
    ]),
    ["left", "left", "right", "right", "right", "right", "right", "right", "right"],
  );
  const latency = (name: string, summary: LatencySummary) => [
    name,
    String(summary.samples),
    formatMs(summary.p50),
    formatMs(summary.p95),
    formatMs(summary.max),
  ];
  const queries = markdownTable(
    ["query", "samples", "p50", "p95", "max"],
    [
      latency("identity lookup (DID state: valid delegates and attributes)", results.identity),
      latency("filtered page: an issuer's 100 latest current attestations", results.page),
      latency("DID resolution through the SDK resolver (GraphQL)", results.resolution),
    ],
    ["left", "right", "right", "right", "right"],
  );
  return [
    "# Indexer at scale",
    generatedBy("bench/indexer-scale.ts", "a generated history served over HTTP JSON-RPC"),
    `A generated history of ${formatCount(history.events)} events in ${formatCount(history.blocks)} blocks of ` +
      `50–500 events: ${formatCount(history.identities)} identities, each with a delegate, a public key, a ` +
      "real-name attestation by one of 20 issuers and one more change (a service, an owner change, a revocation " +
      "of the attestation or a second delegate), interleaved over windows of 2,000 identities. It is computed and " +
      "served over HTTP JSON-RPC by the benchmark (testkit/src/synthetic-chain.ts), `eth_getLogs` capped at 10,000 " +
      `logs as hosted providers cap it; the \`indexer\` command indexes it into ${STORE_TEXT[kind].into}.`,
    `The indexer was killed with SIGKILL at ${Math.round(KILL_AT * 100)}% of the history and restarted on the ` +
      "same database. Afterwards every issuer's attestation count was checked (their sum equals the history's " +
      `attestations: none lost or indexed twice) and the DID change count of ${formatCount(results.checkedIdentities)} ` +
      "identities, around the kill and across the history.",
    runTable,
    "Indexer CPU is the user and system time of the indexer's process (from `/proc`) when it was stopped, its " +
      "start included: what indexing cost whatever else shared the two cores, where events/s counts wall-clock " +
      "time. " +
      "RSS while indexing is the largest resident memory read at the indexer's progress lines (after each block " +
      "range, or block near the head); the peak includes the start" +
      (kind === "pglite"
        ? ", where creating a new PGlite database (`initdb`, run 1) briefly takes about 1 GiB and opening an " +
          "existing one (run 2) about 350 MiB."
        : ". The Postgres server's own memory (its processes, shared buffers) is not counted."),
    `Database on disk after the catch-up: ${mib(results.databaseBytes)}; resident memory of the indexer after ` +
      `the catch-up: ${mib(results.rssAfterBytes)}. Load average (1 min) ${results.load[0].toFixed(1)} at the ` +
      `start and ${results.load[1].toFixed(1)} at the end of the catch-up, on ${environment().cpus} cores.`,
    "GraphQL at that size, one query at a time over HTTP, identities spread over the history:",
    queries,
    "Goals:",
    [
      `- ${pass(rate >= GOALS.eventsPerSecond)}: ≥ ${formatCount(GOALS.eventsPerSecond)} events/s sustained ` +
        `(measured ${formatCount(rate)} over both runs, start-up included)`,
      `- ${pass(indexingRss(runs) <= GOALS.rssBytes)}: indexer RSS ≤ ${mib(GOALS.rssBytes)} while indexing and after ` +
        `(measured up to ${mib(indexingRss(runs))}; ${mib(results.rssAfterBytes)} after the catch-up)`,
      `- ${pass(results.identity.p95 <= GOALS.lookupP95Ms)}: identity lookup p95 ≤ ${formatMs(GOALS.lookupP95Ms)} ` +
        `(measured ${formatMs(results.identity.p95)})`,
    ].join("\n"),
  ].join("\n\n");
}

function goals(results: Results, kind: StoreKind): GoalResult[] {
  const size = `${formatCount(results.history.events)} events${STORE_TEXT[kind].goal}`;
  const rate = sustained(results.runs);
  const rss = Math.max(indexingRss(results.runs), results.rssAfterBytes);
  return [
    {
      goal: `indexing throughput at ${size}, killed and resumed once`,
      target: `≥ ${formatCount(GOALS.eventsPerSecond)} events/s`,
      unit: "events/s",
      ours: rate,
      reference: null,
      met: rate >= GOALS.eventsPerSecond,
    },
    {
      goal: `indexer RSS while indexing and after, at ${size}`,
      target: `≤ ${formatCount(GOALS.rssBytes / 1024 ** 2)} MiB`,
      unit: "MiB",
      ours: rss / 1024 ** 2,
      reference: null,
      met: rss <= GOALS.rssBytes,
    },
    {
      goal: `identity lookup p95 at ${size}`,
      target: `≤ ${formatMs(GOALS.lookupP95Ms)}`,
      unit: "ms",
      ours: results.identity.p95,
      reference: null,
      met: results.identity.p95 <= GOALS.lookupP95Ms,
    },
  ];
}

const events = Number(process.env.INDEXER_SCALE_EVENTS ?? DEFAULT_EVENTS);
if (!Number.isSafeInteger(events) || events < 1_000) {
  throw new Error(
    `INDEXER_SCALE_EVENTS must be a whole number of at least 1,000, got ${process.env.INDEXER_SCALE_EVENTS}`,
  );
}
const storeKind = process.env.INDEXER_SCALE_STORE ?? "pglite";
if (storeKind !== "pglite" && storeKind !== "postgres") {
  throw new Error(`INDEXER_SCALE_STORE must be pglite or postgres, got ${storeKind}`);
}
const workDir = mkdtempSync(join(tmpdir(), "realdid-bench-scale-"));
const store = await openBenchStore(storeKind, join(workDir, "pglite"));
process.once("exit", () => rmSync(workDir, { recursive: true, force: true }));
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void store.stop().finally(() => process.exit(130)));
try {
  const results = await run(events, workDir, store);
  const name = storeKind === "pglite" ? "indexer-scale" : "indexer-scale-postgres";
  writeResults(name, report(results, storeKind), { environment: environment(), goals: goals(results, storeKind) });
} finally {
  await store.stop();
}
