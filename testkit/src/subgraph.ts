/**
 * Harness for the subgraph suites: RealDID deployed with its Ignition module on an in-process chain, the real
 * subgraph built for that deployment, and the local subgraph host (runtime, Postgres store, GraphQL) indexing it.
 *
 * The subgraph is built in a temporary directory that links the committed sources (schema, mappings) and holds
 * everything derived (manifest, ABIs, generated types, build output), so a test run never touches the working
 * tree. Deployments are deterministic, so one build per address set serves every suite of a mocha run.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

import hre, { network } from "hardhat";

import {
  createQueryExecutor,
  executeQuery,
  type GraphQLResponse,
  type QueryExecutor,
} from "../../indexer/src/graphql/index.ts";
import {
  Eip1193RpcClient,
  loadSubgraph,
  SubgraphIndexer,
  type Subgraph,
  type SyncResult,
} from "../../indexer/src/runtime/index.ts";
import { openEntityStore, type SqlEntityStore } from "../../indexer/src/store/index.ts";
import RealDIDModule, { CONTRACT_ARTIFACTS } from "../../ignition/modules/RealDID.ts";
import { deploymentOf, type Deployment } from "../../scripts/deployment.ts";
import { generateManifest } from "../../subgraph/scripts/manifest.ts";
import { postgresAvailable, startPostgres } from "./postgres.ts";
import type {
  ChainBoundDeployer,
  DIDRegistry,
  IssuerRegistry,
  RealNameRegistry,
  StatusRegistry,
} from "../../types/ethers-contracts/index.ts";

const run = promisify(execFile);

const REPOSITORY = resolve(import.meta.dirname, "..", "..");
const SUBGRAPH = join(REPOSITORY, "subgraph");
const GRAPH_CLI = join(REPOSITORY, "node_modules", ".bin", "graph");
const NETWORK = "realdid-test";

/** Every temporary directory of this run, removed when the process exits. */
const temporaryDirectories: string[] = [];
process.once("exit", () => {
  for (const dir of temporaryDirectories) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed at exit. */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `realdid-${prefix}-`));
  temporaryDirectories.push(dir);
  return dir;
}

// ------------------------------------------------------------------------------------------------------ chain

/** The in-process chain with RealDID deployed as in production. */
export type RealDIDChain = Awaited<ReturnType<typeof deployRealDID>>;

/** Creates an in-process chain and deploys RealDID on it with the Ignition module (governor: the first account). */
export async function deployRealDID() {
  const connection = await network.create();
  const { ethers } = connection;
  const deployed = await connection.ignition.deploy(RealDIDModule, { displayUi: false });
  const address = (key: keyof typeof CONTRACT_ARTIFACTS) => deployed[key].getAddress();
  const contracts = {
    deployer: (await ethers.getContractAt("ChainBoundDeployer", await address("deployer"))) as ChainBoundDeployer,
    didRegistry: (await ethers.getContractAt("DIDRegistry", await address("didRegistry"))) as DIDRegistry,
    issuerRegistry: (await ethers.getContractAt("IssuerRegistry", await address("issuerRegistry"))) as IssuerRegistry,
    statusRegistry: (await ethers.getContractAt("StatusRegistry", await address("statusRegistry"))) as StatusRegistry,
    realNameRegistry: (await ethers.getContractAt(
      "RealNameRegistry",
      await address("realNameRegistry"),
    )) as RealNameRegistry,
  };
  const deployment = await deploymentOf(NETWORK, connection.ethers.provider, contracts, CONTRACT_ARTIFACTS);
  const { provider, networkHelpers } = connection;
  return { connection, ethers, provider, networkHelpers, ...contracts, deployment };
}

// -------------------------------------------------------------------------------------------------- subgraph

/** Built subgraphs of this run by deployment (addresses and start blocks): path of the built `subgraph.yaml`. */
const builds = new Map<string, Promise<string>>();

/**
 * Builds the subgraph for `deployment` (once per deployment and mocha run) and returns the built manifest:
 * writes the deployment file under a temporary root, generates the manifest from it with the repository's
 * generator, then runs `graph codegen` and `graph build` in a temporary copy of the subgraph directory.
 */
export function buildSubgraph(deployment: Deployment): Promise<string> {
  const key = JSON.stringify(deployment);
  let build = builds.get(key);
  if (build === undefined) {
    build = buildSubgraphOnce(deployment);
    builds.set(key, build);
  }
  return build;
}

async function buildSubgraphOnce(deployment: Deployment): Promise<string> {
  const root = temporaryDirectory("subgraph");
  mkdirSync(join(root, "deployments", "abis"), { recursive: true });
  for (const name of Object.keys(deployment.contracts)) {
    const { abi } = await hre.artifacts.readArtifact(name);
    writeFileSync(join(root, "deployments", deployment.contracts[name].abi), JSON.stringify(abi, null, 2));
  }
  writeFileSync(join(root, "deployments", `${NETWORK}.json`), JSON.stringify(deployment, null, 2));

  const work = join(root, "subgraph");
  mkdirSync(work);
  generateManifest({ network: NETWORK, root, outDir: work });
  symlinkSync(join(SUBGRAPH, "schema.graphql"), join(work, "schema.graphql"));
  symlinkSync(join(SUBGRAPH, "src"), join(work, "src"));
  symlinkSync(join(REPOSITORY, "node_modules"), join(work, "node_modules"));

  const output = join(root, "build");
  for (const args of [
    ["codegen", "--output-dir", "generated"],
    ["build", "--output-dir", output],
  ]) {
    try {
      await run(GRAPH_CLI, args, { cwd: work, env: { ...process.env, FORCE_COLOR: "0" } });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`graph ${args[0]} failed:\n${stdout ?? ""}${stderr ?? ""}`);
    }
  }
  return join(output, "subgraph.yaml");
}

// --------------------------------------------------------------------------------------------------- indexer

export interface StoreLocation {
  /** Postgres server (a `postgres://` URL); without it the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory (kept across reopenings); ignored with `databaseUrl`. */
  dataDir?: string;
}

/** A place for entity stores: embedded PGlite, or a throwaway Postgres server. */
export interface StoreBackend {
  name: string;
  /** A fresh location for the stores of one suite, and how to dispose of it. */
  open(): Promise<StoreLocation & { stop(): Promise<void> }>;
}

/**
 * The store backends suites run on: PGlite always, a Postgres server when its binaries are installed (required
 * under CI, see {@link postgresAvailable}).
 */
export function storeBackends(): StoreBackend[] {
  const backends: StoreBackend[] = [
    { name: "PGlite", open: async () => ({ dataDir: temporaryDirectory("store"), stop: async () => {} }) },
  ];
  if (postgresAvailable()) {
    backends.push({
      name: "a Postgres server",
      open: async () => {
        const server = await startPostgres();
        return { databaseUrl: server.databaseUrl, stop: server.stop };
      },
    });
  }
  return backends;
}

export interface IndexerOptions extends StoreLocation {
  /** Subgraph name, hence the store's Postgres schema (default: a fresh one). */
  subgraphName?: string;
  /** Overrides every data source's start block (to index from later than the deployment). */
  startBlock?: number;
}

/** The local subgraph host indexing a chain, with helpers to sync and query it. */
export interface IndexedSubgraph {
  subgraph: Subgraph;
  subgraphName: string;
  store: SqlEntityStore;
  indexer: SubgraphIndexer;
  executor: QueryExecutor;
  /** Indexes up to the chain's current head. */
  sync(): Promise<SyncResult>;
  /** Runs a GraphQL query and returns its data; throws when the answer has errors. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs a GraphQL query and returns the whole answer. */
  request(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

let subgraphCounter = 0;

/** A fresh subgraph name, so suites sharing one Postgres database never see each other's entities. */
export function freshSubgraphName(): string {
  subgraphCounter += 1;
  return `realdid/test-${process.pid}-${subgraphCounter}`;
}

/** Starts the local subgraph host over `chain` (nothing indexed until {@link IndexedSubgraph.sync}). */
export async function startIndexer(chain: RealDIDChain, options: IndexerOptions = {}): Promise<IndexedSubgraph> {
  const built = await loadSubgraph(await buildSubgraph(chain.deployment));
  const subgraph =
    options.startBlock === undefined
      ? built
      : { ...built, dataSources: built.dataSources.map((ds) => ({ ...ds, startBlock: options.startBlock! })) };
  const subgraphName = options.subgraphName ?? freshSubgraphName();
  const store = await openEntityStore({
    subgraphName,
    model: subgraph.schema,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
  });
  const rpc = new Eip1193RpcClient(chain.provider);
  const indexer = new SubgraphIndexer({ subgraph, store, rpc });
  const executor = createQueryExecutor({ store, subgraphName });
  const request = (query: string, variables?: Record<string, unknown>) => executeQuery(executor, { query, variables });
  return {
    subgraph,
    subgraphName,
    store,
    indexer,
    executor,
    sync: () => indexer.syncOnce(),
    request,
    async query<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const response = await request(query, variables);
      if (response.errors !== undefined && response.errors.length > 0) {
        throw new Error(`GraphQL errors: ${response.errors.map((error) => error.message).join("; ")}`);
      }
      return response.data as T;
    },
    close: () => store.close(),
  };
}
