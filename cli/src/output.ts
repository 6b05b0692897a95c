/** Output: `--json` prints one JSON value on stdout; otherwise human text. Transactions are confirmed and awaited. */
import { createInterface } from "node:readline";

import type { ContractTransactionResponse } from "ethers";

import type { Context, GlobalOptions } from "./context.js";
import { CliError, EXIT, toCliError } from "./errors.js";

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Prints `value` as JSON with `--json`, else the human `text` (a string or lines). */
export function print(options: Pick<GlobalOptions, "json">, value: unknown, text: string | string[]): void {
  console.log(options.json ? toJson(value) : Array.isArray(text) ? text.join("\n") : text);
}

/** Rows as an aligned text table. */
export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)";
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? "")));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Asks yes/no on the terminal; `--yes` answers yes, and without a terminal `--yes` is required. */
export async function confirm(options: Pick<GlobalOptions, "yes">, question: string): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY)
    throw new CliError(`${question}: pass --yes to send without a terminal to confirm`, EXIT.usage);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("cancelled: nothing was sent", EXIT.usage);
}

/** What a sent transaction reports. */
export interface Sent {
  hash: string;
  block: number;
  gasUsed: string;
}

/**
 * Confirms (unless `confirmed` already), sends and waits for one transaction; a revert is the decoded contract
 * error.
 */
export async function send(
  context: Context,
  what: string,
  transaction: () => Promise<ContractTransactionResponse>,
  confirmed = false,
): Promise<Sent> {
  await context.checkChain();
  if (!confirmed) await confirm(context.options, `${what} on ${context.options.network}`);
  try {
    const tx = await transaction();
    const receipt = await tx.wait();
    if (receipt === null || receipt.status !== 1)
      throw new CliError(`${what}: transaction ${tx.hash} failed`, EXIT.reverted);
    return { hash: tx.hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() };
  } catch (error) {
    throw toCliError(error);
  }
}

/** Prints a sent transaction. */
export function printSent(options: GlobalOptions, what: string, sent: Sent, extra: Record<string, unknown> = {}): void {
  print(
    options,
    { ...extra, ...sent },
    `${what}: transaction ${sent.hash} in block ${sent.block} (gas ${sent.gasUsed})`,
  );
}
