/**
 * The `indexer` command (indexer/bin/indexer.js) in a process of its own, followed through its log: its GraphQL
 * URL and its progress lines, on which the caller decides when to stop it (or to let it run).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "..", "..", "indexer", "bin", "indexer.js");

/** What a progress line says: the block indexed last, the chain head, and events handled since the start. */
export interface IndexerProgress {
  head: number;
  target: number;
  events: number;
}

export interface IndexerCommandRun {
  child: ChildProcess;
  /** GraphQL endpoint of the subgraph. */
  graphqlUrl: string;
  /** Events handled when it was stopped, and seconds since it was started. */
  events: number;
  seconds: number;
}

/**
 * Starts the command on the PGlite directory `db` against `rpc` (GraphQL and status API on free ports; `args`
 * adds options) and resolves
 * once `stop` answers a progress line with a signal, which is then sent, or with "keep" (the process runs on: the
 * caller ends it). Rejects if the process exits before that, with the end of its log.
 */
export function runIndexer(
  options: {
    subgraph: string;
    rpc: string;
    db: string;
    name: string;
    args?: readonly string[];
    /** Added to this process's environment, e.g. `DATABASE_URL`. */
    env?: Record<string, string>;
  },
  stop: (progress: IndexerProgress, child: ChildProcess) => NodeJS.Signals | "keep" | null,
): Promise<IndexerCommandRun> {
  const started = performance.now();
  const { subgraph, rpc, db, name } = options;
  const args = [
    ...["--subgraph", subgraph, "--rpc", rpc, "--db", db, "--name", name, "--port", "0", "--status-port", "0"],
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let graphqlUrl = "";
  let log = "";
  let done = false;
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (!done)
        reject(new Error(`the indexer exited (${code ?? signal}) before it was stopped:\n${log.slice(-2_000)}`));
    });
    let pending = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        log += `${line}\n`;
        if (done) continue;
        graphqlUrl ||= /serving GraphQL at (\S+)/.exec(line)?.[1] ?? "";
        const match = /^indexed block (\d+)\/(\d+).*?: \d+ blocks, (\d+) events/.exec(line);
        if (match === null) continue;
        const [head, target, events] = match.slice(1).map(Number);
        const action = stop({ head, target, events }, child);
        if (action === null) continue;
        done = true;
        if (action !== "keep") child.kill(action);
        resolve({ child, graphqlUrl, events, seconds: (performance.now() - started) / 1000 });
      }
    });
  });
}

/** Resolves when `child` has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts the command with `args` (and `env` added to this process's environment) and resolves with the first
 * match of `ready` in its log, the process running on (the caller ends it); rejects if it exits before that.
 */
export function startIndexer(
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  let log = "";
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      reject(new Error(`the indexer exited (${code ?? signal}) before it was ready:\n${log.slice(-2_000)}`)),
    );
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      const match = ready.exec(log);
      if (match !== null) resolve({ child, match });
    });
  });
}
