/**
 * The site's server on its own: bad options and a port in use give messages naming them; a chain that is down or
 * was restarted without its contracts gets a message saying so (on the page and in the log) instead of a stack
 * trace. The full flow runs in Chromium (site.e2e.test.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { freePort } from "../../../scripts/ports.ts";
import { serveJsonRpc } from "@realdid/testkit/json-rpc";

const root = join(import.meta.dirname, "..", "..", "..");
const CREATOR = "did:ethr:0x7a69:0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** Runs `script` with `args` until it exits; its exit code and output. */
async function run(script: string, args: string[]): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number];
  return { code, output };
}

/** Starts the site against `rpc` and waits until it listens. */
async function startSite(rpc: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort();
  const args = [
    "--port",
    `${port}`,
    "--rpc",
    rpc,
    "--graphql",
    `http://127.0.0.1:${await freePort()}/subgraphs/name/x`,
  ];
  const child = spawn(process.execPath, ["apps/relying-party/server/main.ts", ...args], { cwd: root });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes("web site on")) {
    if (child.exitCode !== null) throw new Error(`the site exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, port, output: () => output };
}

describe("web site server", function () {
  this.timeout(60_000);

  it("names a bad option", async () => {
    const { code, output } = await run("apps/relying-party/server/main.ts", ["--threshold", "many"]);
    expect(code).to.equal(2);
    expect(output).to.include('--threshold must be an integer ≥ 1, got "many"');
    const missing = await run("apps/relying-party/server/main.ts", ["--network", "nowhere"]);
    expect(missing.output).to.include("deployments/nowhere.json");
  });

  describe("a port in use", () => {
    let busy: Server;
    let port: number;

    before(async () => {
      port = await freePort();
      busy = createServer().listen(port, "127.0.0.1");
      await once(busy, "listening");
    });
    after(() => busy.close());

    it("stops the site with a message naming the port", async () => {
      const { code, output } = await run("apps/relying-party/server/main.ts", ["--port", `${port}`]);
      expect(code).to.equal(1);
      expect(output).to.include(`Port ${port} on 127.0.0.1 is in use`);
    });

    it("stops npm start before it starts anything, naming the port and its flag", async () => {
      const { code, output } = await run("scripts/stack.ts", [
        "--site-port",
        `${port}`,
        "--chain-port",
        `${await freePort()}`,
      ]);
      expect(code).to.equal(1);
      expect(output).to.include(`Port ${port} on 127.0.0.1 (site) is in use`).and.include("--site-port");
    });
  });

  it("says when the chain is down, and when it was restarted without its contracts", async () => {
    const down = await startSite(`http://127.0.0.1:${await freePort()}`);
    const restartedChain = await serveJsonRpc((await network.create()).provider);
    const restarted = await startSite(restartedChain.url);
    try {
      const ask = async (port: number) => {
        const response = await fetch(`http://127.0.0.1:${port}/api/profile?id=${CREATOR}`);
        return { status: response.status, body: (await response.json()) as { error: string } };
      };
      const answer = await ask(down.port);
      expect(answer.status).to.equal(503);
      expect(answer.body.error).to.include("is not answering");
      expect(down.output()).to.include("GET /api/profile failed: The chain at");

      const empty = await ask(restarted.port);
      expect(empty.status).to.equal(503);
      expect(empty.body.error).to.include("was restarted without its deployment").and.include("Restart npm start");
    } finally {
      down.child.kill();
      restarted.child.kill();
      await restartedChain.close();
    }
  });
});
