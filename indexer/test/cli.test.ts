import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { expect } from "chai";
import { encodeBytes32String } from "ethers";
import { network } from "hardhat";

import { deploymentId } from "../src/runtime/deployment.ts";
import { buildFixtureSubgraph } from "./runtime-fixture.ts";

const BIN = resolve(import.meta.dirname, "../bin/indexer.js");
const GAS = { gasLimit: 1_000_000 };

/** Runs the `indexer` command until it exits (or `until` sees its output and it is stopped with SIGTERM). */
function runCli(args: string[], until?: (stderr: string) => Promise<boolean>) {
  return new Promise<{ code: number | null; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let checking = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (until === undefined || checking) return;
      checking = true;
      void until(stderr).then((stop) => {
        checking = false;
        if (stop) child.kill("SIGTERM");
      }, fail);
    });
    child.on("error", fail);
    child.on("exit", (code) => done({ code, stderr }));
  });
}

describe("the indexer command", function () {
  this.timeout(180_000);

  it("serves the deployment id and status API, and exits 1 naming the error when the subgraph fails", async function () {
    const build = buildFixtureSubgraph();
    const { ethers, provider } = await network.create();
    const [alice] = await ethers.getSigners();
    const registry = await ethers.deployContract("DIDRegistry", [], alice);
    await registry.waitForDeployment();
    const rpc = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        provider.request({ method, params }).then(
          (result) => res.end(JSON.stringify({ jsonrpc: "2.0", id, result })),
          (error: { message: string }) =>
            res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message: error.message } })),
        );
      });
    });
    await new Promise<void>((listening) => rpc.listen(0, "127.0.0.1", listening));
    const db = await mkdtemp(join(tmpdir(), "indexer-cli-"));
    const deployment = await deploymentId(join(build, "subgraph.yaml"));
    const args = [
      ...["--subgraph", build, "--rpc", `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`],
      ...["--db", db, "--name", "realdid/cli", "--port", "0", "--status-port", "0", "--poll-interval", "50"],
    ];
    try {
      await registry.setAttribute(alice, encodeBytes32String("kept"), "0x01", 86_400, GAS);
      let meta: unknown;
      let status: unknown;
      const healthy = await runCli(args, async (stderr) => {
        const urls = /serving GraphQL at (\S+) .* indexing status at (\S+);/.exec(stderr);
        if (urls === null || !stderr.includes("indexed block")) return false;
        const post = async (url: string, query: string) =>
          (await (await fetch(url, { method: "POST", body: JSON.stringify({ query }) })).json()) as {
            data: Record<string, unknown>;
          };
        meta = (await post(urls[1], "{ _meta { deployment } }")).data._meta;
        // The block is reported indexed a moment before the indexer records that it reached the head.
        for (let polls = 0; polls < 100; polls += 1) {
          status = (
            await post(
              urls[2],
              '{ indexingStatusForCurrentVersion(subgraphName: "realdid/cli") { subgraph synced health } }',
            )
          ).data.indexingStatusForCurrentVersion;
          if ((status as { synced: boolean }).synced) break;
          await new Promise((wait) => setTimeout(wait, 50));
        }
        return true;
      });
      expect(healthy.code, healthy.stderr).to.equal(0);
      expect(meta).to.deep.equal({ deployment });
      expect(status).to.deep.equal({ subgraph: deployment, synced: true, health: "healthy" });

      await registry.setAttribute(alice, encodeBytes32String("fixture/abort"), "0x", 86_400, GAS);
      const failed = await runCli(args);
      expect(failed.code, failed.stderr).to.equal(1);
      expect(failed.stderr).to.match(
        new RegExp(
          `indexer: subgraph realdid/cli \\(${deployment}\\) failed deterministically: ` +
            "DIDRegistry.handleAttributeChanged failed in block \\d+: critical error logged in mapping: attribute fixture/abort",
        ),
      );
      // Restarted on the failed store, it stops at once with the same message.
      const again = await runCli(args);
      expect(again.code).to.equal(1);
      expect(again.stderr).to.contain(`indexer: subgraph realdid/cli (${deployment}) failed deterministically`);
    } finally {
      await new Promise((closed) => rpc.close(closed));
      await rm(db, { recursive: true, force: true });
    }
  });
});
