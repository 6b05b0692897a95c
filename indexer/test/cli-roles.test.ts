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

      // Before an index node created the subgraph's tables there is nothing to serve, and the query node creates none.
      const early = await runToExit(args("query"), postgres.databaseUrl);
      expect(early.code, early.stderr).to.equal(1);
      expect(early.stderr).to.contain(`subgraph ${NAME} has no tables in this database yet`);
      expect(early.stderr).to.contain("start its index node first");

      const env = { DATABASE_URL: postgres.databaseUrl };
      const index = await startIndexer([...COMMON, ...args("index")], env, /serving (.*)indexing status at/);
      indexNode = index.child;
      expect(index.match[1], "an index node serves no GraphQL").to.equal("");
      const query = await startIndexer([...COMMON, ...args("query")], env, /serving GraphQL at (\S+)/);
      queryNode = query.child;
      const graphql = query.match[1];

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
