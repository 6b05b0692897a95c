/**
 * Runs the built `realdid` as a user would: a child process on the system Node (>= 20), against an in-process
 * Hardhat chain served over HTTP, with a deployments directory of its own.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { HDNodeWallet, Mnemonic } from "ethers";
import { network } from "hardhat";

import { serveJsonRpc, type RequestProvider } from "@realdid/testkit/json-rpc";
import { deployTrustStack, deploymentOfStack, type TrustStack } from "@realdid/testkit/trust";

/** The repository's root: where deployer commands run. */
export const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "cli", "bin", "realdid.js");
/** The system Node the CLI must run on; the toolchain's Node where there is none. */
const NODE = existsSync("/usr/bin/node") ? "/usr/bin/node" : process.execPath;

/** Hardhat's development accounts: the same keys as `ethers.getSigners()`. */
export function devKey(index: number): string {
  const phrase = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
  return HDNodeWallet.fromMnemonic(phrase, `m/44'/60'/0'/0/${index}`).privateKey;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = Record<string, unknown>>(): T;
}

/** A chain with the trust stack, served at `rpcUrl`, and a directory holding `deployments/test.json`. */
export interface CliChain {
  stack: TrustStack;
  /** The chain's EIP-1193 provider (to serve it at another URL too). */
  provider: RequestProvider;
  rpcUrl: string;
  dir: string;
  /** Runs `realdid --network test --rpc <rpcUrl> ...args` in `dir`. */
  realdid(args: string[], options?: RunOptions): Promise<Run>;
  close(): Promise<void>;
}

/** Builds the CLI (and the SDK it imports) when its `dist/` is missing: `npm run lint` normally has. */
export function ensureBuilt(): void {
  for (const pkg of ["sdk", "cli"]) {
    if (existsSync(join(ROOT, pkg, "dist"))) continue;
    const { status } = spawnSync(process.execPath, [join(ROOT, pkg, "scripts", "build.ts")], { stdio: "inherit" });
    if (status !== 0) throw new Error(`building ${pkg} failed`);
  }
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  /** Sends SIGINT (Ctrl-C) once stderr matches. */
  interruptOn?: RegExp;
  /** Runs `then` once stderr matches `stderr` (e.g. to cut the connection in the middle of a batch). */
  when?: { stderr: RegExp; then: () => unknown };
}

/** Runs the CLI with a clean environment (no key variables unless given) in `cwd`. */
export function runCli(cwd: string, args: string[], options: RunOptions = {}): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: cwd, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const triggers = [
      ...(options.interruptOn === undefined ? [] : [{ stderr: options.interruptOn, then: () => child.kill("SIGINT") }]),
      ...(options.when === undefined ? [] : [options.when]),
    ];
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const trigger of triggers.filter((t) => t.stderr.test(stderr))) {
        triggers.splice(triggers.indexOf(trigger), 1);
        trigger.then();
      }
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`not JSON on stdout (exit ${code}): ${stdout}\nstderr: ${stderr}`);
          }
        },
      }),
    );
    child.stdin.end(options.input ?? "");
  });
}

/** Deploys the trust stack on a fresh chain, serves it over HTTP and writes `deployments/test.json` for it. */
export async function startCliChain(): Promise<CliChain> {
  ensureBuilt();
  const { ethers, provider } = await network.create();
  const stack = await deployTrustStack(ethers);
  const server = await serveJsonRpc(provider);
  const dir = mkdtempSync(join(tmpdir(), "realdid-cli-"));
  mkdirSync(join(dir, "deployments"));
  writeFileSync(join(dir, "deployments", "test.json"), JSON.stringify(await deploymentOfStack(stack, "test")));
  return {
    stack,
    provider,
    rpcUrl: server.url,
    dir,
    realdid: (args, options) => runCli(dir, ["--network", "test", "--rpc", server.url, ...args], options),
    close: server.close,
  };
}
