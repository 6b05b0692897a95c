/**
 * `npm start`: the whole local stack in one process tree — a Hardhat chain on 127.0.0.1:8545, the RealDID
 * contracts deployed to it (`deployments/localhost.json`) with demo data (scripts/seed.ts), the subgraph built from
 * that deployment, the local subgraph host indexing the chain and serving GraphQL on 127.0.0.1:8000 (its indexing
 * status on 127.0.0.1:8030), and the relying-party web site (apps/relying-party) on 127.0.0.1:3000. Stops everything
 * on Ctrl-C.
 *
 *   npm start [-- --chain-port 8545 --graphql-port 8000 --status-port 8030 --site-port 3000 --threshold 500000]
 *   (or CHAIN_PORT, GRAPHQL_PORT, STATUS_PORT, SITE_PORT, RP_FOLLOWER_THRESHOLD in the environment)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { readDeployment } from "./deployment.ts";
import { portInUse } from "./ports.ts";

const root = join(import.meta.dirname, "..");
const { values: options } = parseArgs({
  options: {
    "chain-port": { type: "string", default: process.env.CHAIN_PORT ?? "8545" },
    "graphql-port": { type: "string", default: process.env.GRAPHQL_PORT ?? "8000" },
    "site-port": { type: "string", default: process.env.SITE_PORT ?? "3000" },
    "status-port": { type: "string", default: process.env.STATUS_PORT ?? "8030" },
    threshold: { type: "string", default: process.env.RP_FOLLOWER_THRESHOLD ?? "500000" },
  },
});
const ports = { chain: 0, graphql: 0, site: 0, status: 0 };
for (const [name, flag] of [
  ["chain", "chain-port"],
  ["graphql", "graphql-port"],
  ["site", "site-port"],
  ["status", "status-port"],
] as const) {
  const port = Number(options[flag]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`--${flag} must be a TCP port (1-65535), got "${options[flag]}"`);
    process.exit(2);
  }
  if (await portInUse(port)) {
    console.error(
      `Port ${port} on 127.0.0.1 (${name}) is in use: stop what listens there or choose another with --${flag}.`,
    );
    process.exit(1);
  }
  ports[name] = port;
}
const rpcUrl = `http://127.0.0.1:${ports.chain}`;
const graphqlUrl = `http://127.0.0.1:${ports.graphql}/subgraphs/name/realdid`;
const siteUrl = `http://127.0.0.1:${ports.site}`;
/** The chain starts empty every time, so the indexer's database starts empty too (one per chain port). */
const indexerDb = join(root, ".data", `indexer-localhost-${ports.chain}`);
const children: ChildProcess[] = [];
/** The scripts that deploy to and seed the chain find it through the `localhost` network's RPC_URL. */
const env = { ...process.env, RPC_URL: rpcUrl };

function start(name: string, command: string, args: string[], cwd = root): ChildProcess {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  // The chain logs every JSON-RPC method it serves; keep its other output only.
  const quiet = name === "chain" ? /^(\x1b\[[0-9;]*m)?(eth|net|web3|evm|hardhat)_\w+/ : null;
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter((line) => line.trim().length > 0 && !quiet?.test(line))
      .map((line) => `[${name}] ${line}\n`)
      .join("");
  child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  children.push(child);
  return child;
}

function stop(code: number): never {
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}

async function rpcReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function finished(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

const chain = start("chain", "hardhat", ["node", "--hostname", "127.0.0.1", "--port", String(ports.chain)]);
chain.on("exit", (code) => {
  console.error(`[chain] exited with code ${code}`);
  stop(1);
});
await waitFor("the local chain", () => rpcReady(rpcUrl));

/** Runs one setup step to completion; stops the stack when it fails. */
async function step(name: string, command: string, args: string[], cwd = root): Promise<void> {
  const code = await finished(start(name, command, args, cwd));
  if (code !== 0) {
    console.error(`${name} failed (exit code ${code})`);
    stop(1);
  }
}

await step("deploy", "hardhat", ["run", "scripts/deploy.ts", "--network", "localhost"]);
await step("seed", "hardhat", ["run", "scripts/seed.ts", "--network", "localhost"]);
await step("subgraph", "node", ["subgraph/scripts/manifest.ts", "--network", "localhost"]);
await step("subgraph", "graph", ["codegen"], join(root, "subgraph"));
await step("subgraph", "graph", ["build"], join(root, "subgraph"));
await step("sdk", "node", ["sdk/scripts/build.ts"]);
await step("cli", "node", ["cli/scripts/build.ts"]);
await step("site", "vite", ["build", "apps/relying-party"]);

rmSync(indexerDb, { recursive: true, force: true });
mkdirSync(indexerDb, { recursive: true });
const indexer = start("indexer", "node", [
  "indexer/bin/indexer.js",
  "--subgraph",
  "subgraph",
  "--rpc",
  rpcUrl,
  "--db",
  indexerDb,
  "--port",
  String(ports.graphql),
  "--status-port",
  String(ports.status),
]);
indexer.on("exit", (code) => {
  console.error(`[indexer] exited with code ${code}`);
  stop(1);
});
await waitFor("the GraphQL endpoint", async () => {
  try {
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _meta { block { number } } }" }),
    });
    return response.ok;
  } catch {
    return false;
  }
});

const site = start("site", "node", [
  "apps/relying-party/server/main.ts",
  "--port",
  String(ports.site),
  "--rpc",
  rpcUrl,
  "--graphql",
  graphqlUrl,
  "--threshold",
  options.threshold,
]);
site.on("exit", (code) => {
  console.error(`[site] exited with code ${code}`);
  stop(1);
});
await waitFor("the web site", async () => {
  try {
    return (await fetch(`${siteUrl}/api/status`)).ok;
  } catch {
    return false;
  }
});

const deployment = readDeployment(root, "localhost");
console.log("\nRealDID local stack is up:");
console.log(`  web site          ${siteUrl}`);
console.log(`  chain (JSON-RPC)  ${rpcUrl}`);
console.log(`  GraphQL           ${graphqlUrl}`);
console.log(`  indexing status   http://127.0.0.1:${ports.status}/graphql`);
for (const [name, { address }] of Object.entries(deployment.contracts)) console.log(`  ${name.padEnd(17)} ${address}`);
console.log("Press Ctrl-C to stop.");
