import type { TransactionResponse } from "ethers";

import { markdownTable } from "./table.js";

/** Gas used by a transaction once mined; throws if it reverted, so a failed write is never reported as a cost. */
export async function gasOf(transaction: Promise<TransactionResponse>): Promise<bigint> {
  const sent = await transaction;
  const receipt = await sent.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${sent.hash} did not succeed`);
  return receipt.gasUsed;
}

/** One operation measured on our contract and on the contract we compare with. */
export interface GasRow {
  operation: string;
  ours: bigint;
  baseline: bigint;
}

/** A ceiling on ours / baseline, for the listed operations or, without a list, for every operation. */
export interface GasGoal {
  description: string;
  maxPercent: number;
  operations?: readonly string[];
}

/** One comparison: a table of operations and the goals they are held to. */
export interface GasSection {
  title: string;
  /** Name of the contract we compare with, for the column header. */
  baseline: string;
  rows: GasRow[];
  goals: GasGoal[];
  /** How the numbers were taken, printed under the table. */
  notes: string[];
}

const percent = ({ ours, baseline }: GasRow): number => (Number(ours) / Number(baseline)) * 100;
const gas = (value: bigint): string => value.toLocaleString("en-US");
const appliesTo = (goal: GasGoal, row: GasRow): boolean => goal.operations?.includes(row.operation) ?? true;

/** Whether `goal` holds, with the worst ratio among its operations. */
function check(goal: GasGoal, rows: readonly GasRow[]): { pass: boolean; detail: string } {
  const covered = rows.filter((row) => appliesTo(goal, row));
  if (covered.length === 0) return { pass: false, detail: "no measured operation" };
  const worst = covered.reduce((a, b) => (percent(b) > percent(a) ? b : a));
  return { pass: percent(worst) <= goal.maxPercent, detail: `${worst.operation} at ${percent(worst).toFixed(1)}%` };
}

/** The section as markdown: heading, table (operation, gas, ratio, goal met), one PASS/FAIL line per goal, notes. */
export function renderSection(section: GasSection): string {
  const table = markdownTable(
    ["operation", "RealDID gas", `${section.baseline} gas`, "ratio", "goal met"],
    section.rows.map((row) => {
      const met = section.goals.every((goal) => !appliesTo(goal, row) || percent(row) <= goal.maxPercent);
      return [row.operation, gas(row.ours), gas(row.baseline), `${percent(row).toFixed(1)}%`, met ? "yes" : "NO"];
    }),
    ["left", "right", "right", "right", "center"],
  );
  const goals = section.goals.map((goal) => {
    const { pass, detail } = check(goal, section.rows);
    return `- ${pass ? "PASS" : "FAIL"}: ${goal.description} (≤ ${goal.maxPercent}%; highest: ${detail})`;
  });
  const notes = section.notes.map((note) => `- ${note}`);
  return [`## ${section.title}`, table, "Goals:", goals.join("\n"), "Notes:", notes.join("\n")].join("\n\n");
}
