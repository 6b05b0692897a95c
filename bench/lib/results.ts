/**
 * What a benchmark leaves behind: its markdown report for readers and the same figures as JSON
 * (bench/results/<name>.json) from which bench/report.ts writes bench/RESULTS.md and the charts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";

export const RESULTS_DIR = join(import.meta.dirname, "..", "results");
const ROOT = join(import.meta.dirname, "..", "..");

/** One goal as the headline table shows it: our figure, the figure it is compared with, and whether it was met. */
export interface GoalResult {
  /** What is measured, e.g. "single attestation (gas)". */
  goal: string;
  /** The goal itself, e.g. "≤ 40% of EAS". */
  target: string;
  /** Unit of `ours` and `reference.value`: "gas", "ms", "events/s", … */
  unit: string;
  ours: number;
  /** The figure measured on the reference in the same run, or null where there is none to compare with. */
  reference: { name: string; value: number } | null;
  met: boolean;
}

/** Gas of one operation on our contract and on the reference (null where it has no counterpart). */
export interface GasPoint {
  operation: string;
  ours: number;
  reference: number | null;
}

/** One series of a latency chart: p50 latency in ms at each history length. */
export interface LatencySeries {
  name: string;
  points: { changes: number; p50: number }[];
}

/** Where and with what a benchmark ran. */
export interface Environment {
  cpus: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  /** Load average over 1, 5 and 15 minutes when the benchmark finished. */
  load: number[];
  versions: Record<string, string>;
}

export interface BenchResult {
  bench: string;
  /** ISO time at which the benchmark finished. */
  generated: string;
  environment: Environment;
  goals: GoalResult[];
  /** Gas per operation, one group per comparison (gas benchmark). */
  gas?: { title: string; reference: string; points: GasPoint[] }[];
  /** Resolution latency against history length (SDK benchmark). */
  latency?: LatencySeries[];
}

/** Packages whose versions a reader needs to reproduce the figures, looked up in the workspaces' node_modules. */
const PACKAGES = [
  "hardhat",
  "solc",
  "ethers",
  "ethr-did-registry",
  "@ethereum-attestation-service/eas-contracts",
  "ethr-did-resolver",
  "@electric-sql/pglite",
];

function installedVersion(name: string): string | null {
  for (const dir of ["", "indexer", "sdk"]) {
    const manifest = join(ROOT, dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  }
  return null;
}

/** This machine, its load now, Node's version and the compared packages' installed versions. */
export function environment(): Environment {
  const versions: Record<string, string> = { node: process.version };
  for (const name of PACKAGES) {
    const version = installedVersion(name);
    if (version !== null) versions[name] = version;
  }
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    load: loadavg().map((value) => Math.round(value * 100) / 100),
    versions,
  };
}

/** Prints `markdown` and writes it to bench/results/<name>.md, and `result` to bench/results/<name>.json. */
export function writeResults(name: string, markdown: string, result: Omit<BenchResult, "bench" | "generated">): void {
  console.log(markdown);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.md`), `${markdown}\n`);
  const json: BenchResult = { bench: name, generated: new Date().toISOString(), ...result };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nwritten to ${join("bench", "results", `${name}.md`)} and ${name}.json`);
}
