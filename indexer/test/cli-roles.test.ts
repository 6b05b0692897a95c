import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";

import { postgresAvailable, startPostgres, type PostgresServer } from "@realdid/testkit/postgres";
import { startIndexer } from "@realdid/testkit/indexer-command";
import { serveJsonRpc } from "@realdid/testkit/json-rpc";
import { expect } from "chai";
import { network } from "hardhat";

import { buildFixtureSubgraph } from "./runtime-fixture.ts";

const BIN = resolve(import.meta.dirname, "../bin/indexer.js");
const GAS = { gasLimit: 1_000_000 };
const NAME = "realdid/roles";

const COMMON = ["--name", NAME, "--port", "0", "--status-port", "0", "--poll-interval", "50"];

/** Resolves with the first match of `pattern` in what `child` logs from now on. */
function logged(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let log = "";
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`exited (${code}) before logging ${pattern}:\n${log}`)));
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const match = pattern.exec(log);
      if (match !== null) resolve(match);
    });
  });
}

/** POSTs a GraphQL query and answers the response's JSON. */
async function post<T>(url: string, query: string): Promise<T> {
  const response = await fetch(url, { method: "POST", body: JSON.stringify({ query }) });
  return (await response.json()) as T;
}

const STATUS_QUERY = `{ indexingStatusForCurrentVersion(subgraphName: "${NAME}") {
  synced health fatalError { message } entityCount chains { chainHeadBlock { number hash } latestBlock { number hash } } } }`;

interface StatusAnswer {
  data: {
    indexingStatusForCurrentVersion: {
      synced: boolean;
      health: string;
      fatalError: unknown;
      entityCount: string;
      chains: { chainHeadBlock: { number: string; hash: string } | null; latestBlock: { number: string } | null }[];
    };
  };
}

/** Runs the command to its end: its exit code and log. */
async function runToExit(args: string[], databaseUrl?: string): Promise<{ code: number | null; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: databaseUrl ?? "" };
  const child = spawn(process.execPath, [BIN, ...COMMON, ...args], { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stderr };
}

async function stop(child: ChildProcess | undefined): Promise<number | null> {
  if (child === undefined || child.exitCode !== null) return child?.exitCode ?? null;
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

describe("the indexer command's roles", function () {
  this.timeout(180_000);

  it("refuses an unknown role, and split roles without DATABASE_URL (PGlite has one process)", async function () {
    const subgraph = ["--subgraph", buildFixtureSubgraph()];
    const unknown = await runToExit([...subgraph, "--role", "reader"]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.contain("argument 'reader' is invalid. Allowed choices are all, index, query.");
    for (const role of ["index", "query"]) {
      const refused = await runToExit([...subgraph, "--role", role]);
      expect(refused.code, refused.stderr).to.equal(1);
      expect(refused.stderr).to.contain(`indexer: --role ${role} needs DATABASE_URL`);
      expect(refused.stderr).to.contain("use --role all");
    }
  });

  it("serves through a query node what an index node writes to one Postgres database", async function () {
    if (!postgresAvailable()) this.skip();
    const build = buildFixtureSubgraph();
    const { ethers, provider } = await network.create();
    const [alice, bob] = await ethers.getSigners();
    const registry = await ethers.deployContract("DIDRegistry", [], alice);
    await registry.waitForDeployment();
    const rpc = await serveJsonRpc(provider);
    let postgres: PostgresServer | undefined;
    let indexNode: ChildProcess | undefined;
    let queryNode: ChildProcess | undefined;
    try {
      postgres = await startPostgres();
      const args = (role: string) => ["--subgraph", build, "--rpc", rpc.url, "--role", role];

      // Started before the index node created the subgraph's tables, a query node creates none and waits for them.
      const env = { DATABASE_URL: postgres.databaseUrl };
      const early = await startIndexer([...COMMON, ...args("query")], env, /WARNING waiting for the index node: (.*)/);
      queryNode = early.child;
      expect(early.match[1]).to.contain(`subgraph ${NAME} has no tables in this database yet`);
      expect(early.match[1]).to.contain("start its index node first (retrying every 2 s)");
      const serving = logged(queryNode, /serving GraphQL at (\S+) .* and indexing status at (\S+)/);

      const index = await startIndexer([...COMMON, ...args("index")], env, /serving (.*)indexing status at/);
      indexNode = index.child;
      expect(index.match[1], "an index node serves no GraphQL").to.equal("");
      const [, graphql, status] = await serving;

      // Without --status-port, a query node serves no status API (8030 is the index node's on the same host).
      const quiet = await startIndexer(
        ["--name", NAME, "--port", "0", ...args("query")],
        env,
        /serving GraphQL at \S+ \(deployment \S+\)( and indexing status at)?/,
      );
      await stop(quiet.child);
      expect(quiet.match[1]).to.equal(undefined);

      const receipt = await (await registry.changeOwner(alice, bob, GAS)).wait();
      const id = alice.address.toLowerCase();
      const request = `{ identity(id: "${id}") { owner ownerChanges } _meta { block { number } hasIndexingErrors } }`;
      let answer: { data: { identity: unknown; _meta: { block: { number: number } } } } | undefined;
      for (let polls = 0; polls < 400; polls += 1) {
        const response = await fetch(graphql, { method: "POST", body: JSON.stringify({ query: request }) });
        answer = (await response.json()) as typeof answer;
        if (answer!.data.identity !== null) break;
        await new Promise((wait) => setTimeout(wait, 50));
      }
      expect(answer!.data.identity).to.deep.equal({ owner: bob.address.toLowerCase(), ownerChanges: "1" });
      // `_meta` is the index node's head as stored, not anything the query node tracks itself.
      expect(answer!.data._meta).to.deep.include({ hasIndexingErrors: false });
      expect(answer!.data._meta.block.number).to.be.at.least(receipt!.blockNumber);

      // The query node's status API answers from the database what the index node recorded there.
      const head = await provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
      const chainHead = {
        number: String(Number((head as { number: string }).number)),
        hash: (head as { hash: string }).hash,
      };
      let reported: StatusAnswer["data"]["indexingStatusForCurrentVersion"] | undefined;
      for (let polls = 0; polls < 400; polls += 1) {
        reported = (await post<StatusAnswer>(status, STATUS_QUERY)).data.indexingStatusForCurrentVersion;
        if (reported.synced && reported.chains[0].chainHeadBlock?.hash === chainHead.hash) break;
        await new Promise((wait) => setTimeout(wait, 50));
      }
      expect(reported).to.deep.include({ synced: true, health: "healthy", fatalError: null });
      expect(reported!.chains[0].chainHeadBlock).to.deep.equal(chainHead);
      expect(Number(reported!.chains[0].latestBlock!.number)).to.be.at.least(receipt!.blockNumber);
      expect(Number(reported!.entityCount)).to.be.greaterThan(0);

      expect(await stop(queryNode)).to.equal(0);
      expect(await stop(indexNode)).to.equal(0);
    } finally {
      await stop(queryNode);
      await stop(indexNode);
      await postgres?.stop();
      await rpc.close();
    }
  });
});
