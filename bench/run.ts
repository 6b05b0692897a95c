/**
 * `npm run bench`: every benchmark, one after the other, each in its own Hardhat process; results go to
 * bench/results/<name>.md and <name>.json, then bench/report.ts writes bench/RESULTS.md and its charts from all
 * the JSON there. Name some to run only those (the report keeps the others' last results):
 *
 *   node bench/run.ts [gas] [indexer]
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

import { BENCHMARKS, writeReport } from "./report.ts";

const ROOT = join(import.meta.dirname, "..");
const HARDHAT_CLI = join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(", ")}; choose from ${BENCHMARKS.join(", ")}`);
  process.exit(2);
}

/** Benchmarks that run another's script with settings of their own. */
const VARIANTS: Record<string, { script: string; env: Record<string, string> }> = {
  "indexer-scale-postgres": { script: "indexer-scale", env: { INDEXER_SCALE_STORE: "postgres" } },
};

function run(name: string): Promise<number> {
  const { script, env } = VARIANTS[name] ?? { script: name, env: {} };
  console.log(
    `\n=== bench/${script}.ts ${Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join(" ")}`,
  );
  const child = spawn(process.execPath, [HARDHAT_CLI, "run", join("bench", `${script}.ts`)], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return new Promise((resolve) => {
    child.on("error", () => resolve(1));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const failed: string[] = [];
for (const name of requested.length > 0 ? requested : BENCHMARKS) {
  if ((await run(name)) !== 0) failed.push(name);
}
writeReport();
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
