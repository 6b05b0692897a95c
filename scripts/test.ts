/**
 * `npm test`: every check of the repository in one run, ending with one line `N passed, N failed`.
 *
 * Steps: lint, Solidity tests (fuzz, invariants, gas snapshot check), then every mocha suite (contracts,
 * interoperability, subgraph build and mappings through the local host, indexer, SDK, CLI). Test counts come from each
 * runner's own summary; a step that fails without running tests (lint, a crash) counts as one failure.
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");

interface Step {
  name: string;
  command: string;
  args: string[];
  /** Whether the output carries mocha-style `N passing` / `N failing` lines to add up. */
  counted: boolean;
}

/** Test files below `dir` whose names end in `suffix`, sorted. */
function findFiles(dir: string, suffix: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "fixtures") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findFiles(path, suffix));
    else if (name.endsWith(suffix)) found.push(relative(root, path));
  }
  return found.sort();
}

const mochaFiles = [
  ...findFiles(join(root, "test"), ".test.ts"),
  ...findFiles(join(root, "indexer", "test"), ".test.ts"),
  ...findFiles(join(root, "sdk", "test"), ".test.ts"),
  ...findFiles(join(root, "cli", "test"), ".test.ts"),
  ...findFiles(join(root, "apps", "relying-party", "test"), ".test.ts"),
];

const steps: Step[] = [
  { name: "lint", command: "node", args: ["scripts/lint.ts"], counted: false },
  { name: "solidity", command: "hardhat", args: ["test", "solidity", "--snapshot-check"], counted: true },
  { name: "mocha", command: "hardhat", args: ["test", "mocha", "--no-compile", ...mochaFiles], counted: true },
];

function runStep(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    console.log(`\n=== ${step.name}: ${step.command} ${step.args.join(" ")}`);
    const child = spawn(step.command, step.args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", collect(process.stdout));
    child.stderr.on("data", collect(process.stderr));
    child.on("error", (error) => resolve({ code: 1, output: `${output}\n${error.message}` }));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The last `N passing` and `N failing` of a runner's output (Hardhat prints a combined summary last). */
function counts(output: string): { passed: number; failed: number } {
  const last = (pattern: RegExp) => {
    const all = [...output.replaceAll(/\x1b\[[0-9;]*m/g, "").matchAll(pattern)];
    return all.length > 0 ? Number(all[all.length - 1][1]) : 0;
  };
  return { passed: last(/^\s*(\d+) passing/gm), failed: last(/^\s*(\d+) failing/gm) };
}

let passed = 0;
let failed = 0;
const summary: string[] = [];
for (const step of steps) {
  const { code, output } = await runStep(step);
  let result = step.counted ? counts(output) : { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
  if (code !== 0 && result.failed === 0) result = { ...result, failed: 1 };
  if (step.counted && code === 0 && result.passed === 0) result = { passed: 0, failed: 1 };
  passed += result.passed;
  failed += result.failed;
  summary.push(`${step.name}: ${result.passed} passed, ${result.failed} failed (exit ${code})`);
}

console.log(`\n${summary.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
