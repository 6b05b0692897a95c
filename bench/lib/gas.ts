import type { TransactionResponse } from "ethers";

import type { GasPoint, GoalResult } from "./results.ts";
import { markdownTable } from "./table.ts";

/** Gas used by a transaction once mined; throws if it reverted, so a failed write is never reported as a cost. */
export async function gasOf(transaction: Promise<TransactionResponse>): Promise<bigint> {
  const sent = await transaction;
  const receipt = await sent.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${sent.hash} did not succeed`);
  return receipt.gasUsed;
}

/** One operation measured on our contract and, where there is one, on the contract we compare with. */
export interface GasRow {
  operation: string;
  ours: bigint;
  baseline: bigint | null;
}

/**
 * A goal for the listed operations (or, without a list, every operation): a ceiling on ours / baseline in
 * percent, or on our gas itself.
 */
export type GasGoal = { description: string; operations?: readonly string[] } & (
  { maxPercent: number } | { maxGas: bigint }
);

/** A further table of a section (e.g. a projection), already formatted. */
export interface ExtraTable {
  title: string;
  header: string[];
  rows: string[][];
}

/** One comparison: a table of operations and the goals they are held to. */
export interface GasSection {
  title: string;
  /** Name of the contract we compare with, for the column header. */
  baseline: string;
  rows: GasRow[];
  goals: GasGoal[];
  tables?: ExtraTable[];
  /** How the numbers were taken, printed under the tables. */
  notes: string[];
}

export const formatGas = (value: bigint): string => value.toLocaleString("en-US");
const percent = (row: GasRow): number | null =>
  row.baseline === null ? null : (Number(row.ours) / Number(row.baseline)) * 100;
const appliesTo = (goal: GasGoal, row: GasRow): boolean => goal.operations?.includes(row.operation) ?? true;

/** Whether `row` meets `goal`, and the measure compared. */
function measure(goal: GasGoal, row: GasRow): { met: boolean; shown: string; value: number } {
  if ("maxGas" in goal) return { met: row.ours <= goal.maxGas, shown: formatGas(row.ours), value: Number(row.ours) };
  const ratio = percent(row);
  if (ratio === null) throw new Error(`goal "${goal.description}" needs a baseline for ${row.operation}`);
  return { met: ratio <= goal.maxPercent, shown: `${ratio.toFixed(1)}%`, value: ratio };
}

const limit = (goal: GasGoal): string =>
  "maxGas" in goal ? `≤ ${formatGas(goal.maxGas)} gas` : `≤ ${goal.maxPercent}%`;

/** The worst of the operations `goal` covers, or null if none was measured. */
function worstOf(goal: GasGoal, rows: readonly GasRow[]): GasRow | null {
  const covered = rows.filter((row) => appliesTo(goal, row));
  if (covered.length === 0) return null;
  return covered.reduce((a, b) => (measure(goal, b).value > measure(goal, a).value ? b : a));
}

/** Whether `goal` holds, with the worst of its operations. */
function check(goal: GasGoal, rows: readonly GasRow[]): { pass: boolean; detail: string } {
  const worst = worstOf(goal, rows);
  if (worst === null) return { pass: false, detail: "no measured operation" };
  const { met, shown } = measure(goal, worst);
  return { pass: met, detail: `${limit(goal)}; worst: ${worst.operation} at ${shown}` };
}

/** The section's goals for the headline table, each by the worst operation it covers. */
export function sectionGoals(section: GasSection): GoalResult[] {
  return section.goals.map((goal) => {
    const worst = worstOf(goal, section.rows);
    if (worst === null) throw new Error(`goal "${goal.description}" covers no measured operation`);
    const ofReference = "maxPercent" in goal ? ` of ${section.baseline}` : "";
    return {
      goal: goal.operations?.length === 1 ? goal.description : `${goal.description} (worst: ${worst.operation})`,
      target: `${limit(goal)}${ofReference}`,
      unit: "gas",
      ours: Number(worst.ours),
      reference: worst.baseline === null ? null : { name: section.baseline, value: Number(worst.baseline) },
      met: measure(goal, worst).met,
    };
  });
}

/** The section's operations as chart points. */
export const sectionPoints = (section: GasSection): GasPoint[] =>
  section.rows.map((row) => ({
    operation: row.operation,
    ours: Number(row.ours),
    reference: row.baseline === null ? null : Number(row.baseline),
  }));

/** The section as markdown: heading, table (operation, gas, ratio, goal met), one PASS/FAIL line per goal, notes. */
export function renderSection(section: GasSection): string {
  const table = markdownTable(
    ["operation", "RealDID gas", `${section.baseline} gas`, "ratio", "goal met"],
    section.rows.map((row) => {
      const goals = section.goals.filter((goal) => appliesTo(goal, row));
      const met = goals.length === 0 ? "—" : goals.every((goal) => measure(goal, row).met) ? "yes" : "NO";
      const ratio = percent(row);
      return [
        row.operation,
        formatGas(row.ours),
        row.baseline === null ? "—" : formatGas(row.baseline),
        ratio === null ? "—" : `${ratio.toFixed(1)}%`,
        met,
      ];
    }),
    ["left", "right", "right", "right", "center"],
  );
  const goals = section.goals.map((goal) => {
    const { pass, detail } = check(goal, section.rows);
    return `- ${pass ? "PASS" : "FAIL"}: ${goal.description} (${detail})`;
  });
  const extra = (section.tables ?? []).flatMap(({ title, header, rows }) => [
    `### ${title}`,
    markdownTable(
      header,
      rows,
      header.map((_, i) => (i === 0 ? "left" : "right")),
    ),
  ]);
  const notes = section.notes.map((note) => `- ${note}`);
  return [`## ${section.title}`, table, "Goals:", goals.join("\n"), ...extra, "Notes:", notes.join("\n")].join("\n\n");
}
