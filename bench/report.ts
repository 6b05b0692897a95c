/**
 * bench/RESULTS.md, the page a reader opens first: every goal with our figure, the reference's figure from the
 * same run and their ratio, the machine and versions, and SVG charts (bench/results/*.svg). Written from the JSON
 * the benchmarks leave in bench/results/ alone, so a partial run (`npm run bench gas`) updates its part:
 *
 *   node bench/report.ts
 *
 * `bench/run.ts` calls it after the benchmarks.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { RESULTS_DIR, type BenchResult, type GoalResult } from "./lib/results.ts";
import { formatCount, formatMs } from "./lib/stats.ts";
import { barChart, logLogChart } from "./lib/svg.ts";
import { markdownTable } from "./lib/table.ts";

/** The benchmarks in the order the report shows them. */
export const BENCHMARKS: readonly string[] = ["gas", "indexer", "indexer-scale", "indexer-scale-postgres", "sdk"];

export const REPORT_FILE = join(import.meta.dirname, "RESULTS.md");

/** The results of the benchmarks that have written theirs to `dir`, in {@link BENCHMARKS} order. */
export function readResults(dir: string = RESULTS_DIR): BenchResult[] {
  return BENCHMARKS.map((name) => join(dir, `${name}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")) as BenchResult);
}

/** Ours ÷ the reference's figure, or null without a reference. */
export const ratioOf = (goal: GoalResult): number | null =>
  goal.reference === null ? null : goal.ours / goal.reference.value;

/** A ratio as a percentage: one decimal, or two significant digits below 0.1%. */
export function formatRatio(ratio: number): string {
  const percent = ratio * 100;
  return `${percent < 0.1 ? percent.toPrecision(2) : percent.toFixed(1)}%`;
}

/** A figure in its unit: gas and rates as counts, milliseconds as ms or s. */
export function formatFigure(value: number, unit: string): string {
  if (unit === "ms") return formatMs(value);
  return `${formatCount(value)} ${unit}`;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, "-")
    .replaceAll(/^-|-$/g, "");

function headline(results: readonly BenchResult[]): string {
  const rows = results.flatMap(({ bench, goals }) =>
    goals.map((goal) => {
      const ratio = ratioOf(goal);
      return [
        bench,
        goal.goal,
        goal.target,
        formatFigure(goal.ours, goal.unit),
        goal.reference === null ? "—" : `${goal.reference.name}: ${formatFigure(goal.reference.value, goal.unit)}`,
        ratio === null ? "—" : formatRatio(ratio),
        goal.met ? "PASS" : "**FAIL**",
      ];
    }),
  );
  return markdownTable(
    ["bench", "goal", "target", "RealDID", "reference (same run)", "RealDID ÷ reference", "met"],
    rows,
    ["left", "left", "left", "right", "right", "right", "center"],
  );
}

function machine(results: readonly BenchResult[]): string[] {
  const runs = markdownTable(
    ["bench", "finished (UTC)", "machine", "memory", "OS", "load average (1, 5, 15 min)"],
    results.map(({ bench, generated, environment: env }) => [
      bench,
      generated.replace("T", " ").replace(/\.\d+Z$/, ""),
      `${env.cpus} × ${env.cpu}`,
      `${env.memoryGiB} GiB`,
      env.os,
      env.load.map((load) => load.toFixed(2)).join(", "),
    ]),
  );
  const packages = [...new Set(results.flatMap(({ environment: env }) => Object.keys(env.versions)))];
  const versions = markdownTable(
    ["package", ...results.map(({ bench }) => bench)],
    packages.map((name) => [name, ...results.map(({ environment: env }) => env.versions[name] ?? "")]),
  );
  const loaded = results.filter(({ environment: env }) => env.load[0] > env.cpus);
  const caveat =
    loaded.length === 0
      ? []
      : [
          `**Measured under load.** ${loaded
            .map(({ bench, environment: env }) => `${bench}: load ${env.load[0].toFixed(2)} on ${env.cpus} cores`)
            .join("; ")} when the benchmark finished: other jobs shared the CPUs, so every timing (latency, ` +
            "throughput, verifications/s) is pessimistic, and more so where the comparison is a single figure " +
            "rather than a ratio measured side by side. Gas does not depend on load.",
        ];
  return ["## Machine and versions", runs, versions, ...caveat];
}

/** The report's markdown and its charts by file name (relative to bench/results/). */
export function buildReport(results: readonly BenchResult[]): { markdown: string; charts: Map<string, string> } {
  const charts = new Map<string, string>();
  const sections: string[] = [];
  for (const group of results.flatMap((result) => result.gas ?? [])) {
    const compared = group.points.filter((point) => point.reference !== null);
    const file = `gas-${slug(group.reference)}.svg`;
    charts.set(
      file,
      barChart({
        title: `Gas per operation: ${group.title}`,
        series: ["RealDID", group.reference],
        groups: compared.map((point) => ({ label: point.operation, values: [point.ours, point.reference] })),
        axisLabel: "gas (receipt gasUsed)",
        format: (value) => formatCount(value),
      }),
    );
    sections.push(`### ${group.title}`, `![${group.title}](results/${file})`);
  }
  for (const result of results.filter(({ latency }) => latency !== undefined && latency.length > 0)) {
    const file = "resolution-latency.svg";
    charts.set(
      file,
      logLogChart({
        title: "DID resolution p50 latency against history length",
        series: result.latency!.map(({ name, points }) => ({
          name,
          points: points.map(({ changes, p50 }) => ({ x: changes, y: p50 })),
        })),
        xLabel: "changes in the DID's history (log scale)",
        yLabel: "p50 latency (log scale)",
        formatX: (value) => formatCount(value),
        formatY: formatMs,
      }),
    );
    sections.unshift("### DID resolution latency against history length", `![DID resolution](results/${file})`);
  }
  const markdown = [
    "# Benchmark results",
    "Generated by `npm run bench` (`bench/report.ts`, from `bench/results/*.json`); do not edit by hand. " +
      "Each figure and the reference's figure beside it were measured in the same run, on the same chain: " +
      "ERC-1056 `ethr-did-registry` and EAS bytecode deployed unchanged beside ours, `ethr-did-resolver` against " +
      "the same node as the SDK. Full tables and method notes: " +
      results.map(({ bench }) => `[${bench}](results/${bench}.md)`).join(", ") +
      ".",
    "## Goals",
    headline(results),
    `${results.reduce((n, r) => n + r.goals.filter((g) => g.met).length, 0)} of ` +
      `${results.reduce((n, r) => n + r.goals.length, 0)} goals met. RealDID ÷ reference compares the two figures ` +
      "of a row whatever the goal's direction: below 100% is cheaper or faster for gas and latency.",
    ...machine(results),
    "## Charts",
    ...sections,
  ].join("\n\n");
  return { markdown: `${markdown}\n`, charts };
}

/** Writes bench/RESULTS.md and its charts from the JSON in bench/results/. */
export function writeReport(): void {
  const results = readResults();
  if (results.length === 0) throw new Error(`no benchmark results in ${RESULTS_DIR}: run npm run bench first`);
  const { markdown, charts } = buildReport(results);
  writeFileSync(REPORT_FILE, markdown);
  for (const [file, svg] of charts) writeFileSync(join(RESULTS_DIR, file), svg);
  console.log(`written to bench/RESULTS.md and ${[...charts.keys()].map((f) => `bench/results/${f}`).join(", ")}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeReport();
