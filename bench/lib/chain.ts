/**
 * A throw-away Hardhat chain for benchmarks: `hardhat node` as a child process on a free local port, and a
 * JSON-RPC client that sends many calls in one HTTP request (JSON-RPC batches).
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { freePort } from "../../scripts/ports.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const HARDHAT_CLI = join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

/** One JSON-RPC call. */
export interface RpcCall {
  method: string;
  params: readonly unknown[];
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** JSON-RPC over HTTP with batches; an error response of any call in a batch throws, naming the call. */
export class BatchRpc {
  #id = 0;

  constructor(readonly url: string) {}

  async request<T>(method: string, params: readonly unknown[] = []): Promise<T> {
    const [result] = await this.batch<T>([{ method, params }]);
    return result;
  }

  async batch<T>(calls: readonly RpcCall[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const first = this.#id + 1;
    this.#id += calls.length;
    const body = calls.map((call, index) => ({ jsonrpc: "2.0", id: first + index, ...call }));
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${this.url}: HTTP ${response.status} ${response.statusText}`);
    const replies = (await response.json()) as RpcResponse[];
    const byId = new Map(replies.map((reply) => [reply.id, reply]));
    return calls.map((call, index) => {
      const reply = byId.get(first + index);
      if (reply === undefined) throw new Error(`${call.method}: no reply`);
      if (reply.error !== undefined) throw new Error(`${call.method}: ${reply.error.message}`);
      return reply.result as T;
    });
  }
}

/** A running `hardhat node`; {@link DevChain.stop} ends it (it also ends when this process exits). */
export interface DevChain {
  url: string;
  rpc: BatchRpc;
  /** The node's funded, unlocked accounts (lowercase). */
  accounts: string[];
  stop(): void;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGTERM");
});

/**
 * Starts `hardhat node` (on `network` of the Hardhat config, if given) on a free port and waits until it answers. Its JSON-RPC log goes nowhere; the last lines of
 * its error output are kept for the error message if it dies.
 */
export async function startDevChain({
  timeoutMs = 60_000,
  network,
}: { timeoutMs?: number; network?: string } = {}): Promise<DevChain> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const networkArgs = network === undefined ? [] : ["--network", network];
  const args = [HARDHAT_CLI, ...networkArgs, "node", "--hostname", "127.0.0.1", "--port", String(port)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  // Never what keeps this process alive: a failing benchmark must still exit (and kill the node on exit).
  child.unref();
  (child.stderr as Socket | null)?.unref();
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2_000)));
  let exited = false;
  let stopping = false;
  child.once("exit", (code, signal) => {
    exited = true;
    running.delete(child);
    if (!stopping) process.stderr.write(`hardhat node exited (${signal ?? `code ${code}`}):\n${errors}\n`);
  });
  const stop = () => {
    stopping = true;
    if (!exited) child.kill("SIGTERM");
  };

  const rpc = new BatchRpc(url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`hardhat node exited before answering:\n${errors}`);
    try {
      const accounts = await rpc.request<string[]>("eth_accounts");
      return { url, rpc, accounts: accounts.map((a) => a.toLowerCase()), stop };
    } catch {
      if (Date.now() > deadline) {
        stop();
        throw new Error(`hardhat node did not answer on ${url} within ${timeoutMs / 1000} s`);
      }
      await sleep(200);
    }
  }
}
