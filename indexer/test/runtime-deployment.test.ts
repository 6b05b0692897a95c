import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { deploymentId, ipfsHash } from "../src/runtime/deployment.ts";
import { loadSubgraph } from "../src/runtime/manifest.ts";
import { buildFixtureSubgraph, fixtureDir } from "./runtime-fixture.ts";

const GRAPH = resolve(import.meta.dirname, "../../node_modules/.bin/graph");

/**
 * Enough of kubo's RPC API for `graph build --ipfs`: `add` answers each file's hash as {@link ipfsHash} computes
 * it and keeps what was added; `pin/add` pins nothing.
 */
async function fakeIpfs() {
  const added = new Map<string, string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://ipfs");
        res.setHeader("Content-Type", "application/json");
        if (url.pathname === "/api/v0/add") {
          const request = new Request(url, {
            method: "POST",
            headers: { "content-type": req.headers["content-type"] ?? "" },
            body: Buffer.concat(chunks),
          });
          const files: File[] = [];
          (await request.formData()).forEach((value) => {
            if (typeof value !== "string") files.push(value);
          });
          const lines: string[] = [];
          for (const value of files) {
            const content = new Uint8Array(await value.arrayBuffer());
            const hash = ipfsHash(content);
            added.set(decodeURIComponent(value.name), new TextDecoder().decode(content));
            lines.push(JSON.stringify({ Name: value.name, Hash: hash, Size: String(content.length) }));
          }
          res.end(lines.join("\n") + "\n");
        } else if (url.pathname === "/api/v0/pin/add") {
          res.end(JSON.stringify({ Pins: url.searchParams.getAll("arg") }) + "\n");
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ Message: `no ${url.pathname} here`, Code: 0, Type: "error" }));
        }
      })();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    added,
    close: () => new Promise((done) => server.close(done)),
  };
}

describe("runtime: deployment id", function () {
  this.timeout(120_000);

  it("hashes content as `ipfs add` does (kubo's own test vectors, one and several chunks)", () => {
    expect(ipfsHash(new Uint8Array())).to.equal("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
    expect(ipfsHash(Buffer.from("hello world\n"))).to.equal("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    // kubo core/coreapi tests, "progress1M": 1,000,000 zero bytes in four 256 KiB chunks.
    expect(ipfsHash(new Uint8Array(1_000_000))).to.equal("QmXXNNbwe4zzpdMg62ZXvnX1oU7MwSrQ3vAEtuwFKCm1oD");
  });

  it("equals the hash `graph build --ipfs` reports for the same build, and is what loadSubgraph gives", async () => {
    buildFixtureSubgraph();
    const ipfs = await fakeIpfs();
    const output = await mkdtemp(join(tmpdir(), "deployment-"));
    try {
      const { stdout, stderr } = await promisify(execFile)(
        GRAPH,
        ["build", "--ipfs", ipfs.url, "--output-dir", output, "subgraph.yaml"],
        { cwd: fixtureDir },
      );
      const printed = (stdout + stderr).replaceAll(/\x1b\[[0-9;]*m/g, "");
      const reported = /Build completed: (Qm\w+)/.exec(printed)?.[1];
      expect(reported, printed).to.match(/^Qm/);
      const manifest = join(output, "subgraph.yaml");
      expect(await deploymentId(manifest)).to.equal(reported);
      // The uploaded manifest names every file by its hash.
      expect(ipfs.added.get("subgraph.yaml")).to.match(/file:\n\s+\/: \/ipfs\/Qm\w+\n/);
      expect((await loadSubgraph(manifest)).deployment).to.equal(reported);
    } finally {
      await ipfs.close();
      await rm(output, { recursive: true, force: true });
    }
  });
});
