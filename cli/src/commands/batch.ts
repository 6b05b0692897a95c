/**
 * `realdid attest --batch people.csv`: attests every row of a CSV (`did,name,level,expiry`). Every row is checked
 * before anything is sent (DID of this chain, level 1..3, expiry in the future, no DID twice); a bad row stops the
 * run with its line number. Rows are grouped by level and expiry and sent in chunks of `MAX_BATCH_SIZE`. The salts
 * and commitments are made here and appended to the receipts file (`<csv>.receipts.jsonl`) before each chunk is
 * sent: what each holder must receive. A rerun skips the identities this issuer already attested and reuses the
 * salts on file, so a lost connection or a Ctrl-C (which finishes the chunk in flight, then stops) loses nothing.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";

import { attestBatch, getVerification, maxBatchSize, type Client } from "@realdid/sdk/actions";
import { commitmentOf, randomSalt } from "@realdid/sdk";
import { parseEthrDid } from "@realdid/sdk/signin";

import { identityOf } from "../command.js";
import type { Context } from "../context.js";
import { readCsv } from "../csv.js";
import { CliError, EXIT, toCliError, usage } from "../errors.js";
import { confirm, print, table } from "../output.js";
import { expiryOf } from "./attest.js";

/** A checked row of a people CSV. */
export interface Person {
  line: number;
  did: string;
  identity: string;
  realName: string;
  level: number;
  expiry: number;
}

/** What the receipts file holds per identity: enough for the holder to disclose, and where it went on chain. */
interface Receipt {
  did: string;
  identity: string;
  salt: string;
  commitment: string;
  level: number;
  expiry: number;
}

/** Checks every row; the first bad one stops everything with its line number. */
export function checkRows(context: Context, file: string, now: number): Person[] {
  const seen = new Map<string, number>();
  return readCsv(file, ["did", "name", "level", "expiry"]).map(({ line, fields }) => {
    const where = `${file} line ${line}`;
    if (parseEthrDid(fields.did) === null) throw usage(`${where}: ${fields.did} is not a did:ethr DID`);
    let identity: string;
    try {
      identity = identityOf(context, fields.did);
    } catch (error) {
      throw usage(`${where}: ${(error as Error).message}`);
    }
    if (fields.name === "") throw usage(`${where}: the name is empty`);
    if (!/^[1-3]$/.test(fields.level)) throw usage(`${where}: level ${fields.level} is not 1, 2 or 3`);
    let expiry: number;
    try {
      expiry = expiryOf(fields.expiry, now);
    } catch (error) {
      throw usage(`${where}: ${(error as Error).message}`);
    }
    const first = seen.get(identity);
    if (first !== undefined) throw usage(`${where}: ${fields.did} is already on line ${first}`);
    seen.set(identity, line);
    return { line, did: fields.did, identity, realName: fields.name, level: Number(fields.level), expiry };
  });
}

function readReceipts(file: string): Map<string, Receipt> {
  const receipts = new Map<string, Receipt>();
  if (!existsSync(file)) return receipts;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const receipt = JSON.parse(line) as Receipt;
    receipts.set(receipt.identity, receipt);
  }
  return receipts;
}

/** Whether `issuer` already attested `identity` (a rerun skips it). */
async function attestedBy(client: Client, identity: string, issuer: string): Promise<boolean> {
  const { issuer: current } = await getVerification(client, { identity, minLevel: 0 });
  return current.toLowerCase() === issuer.toLowerCase();
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

export async function attestCsv(context: Context, file: string, issuer: string, now: number): Promise<void> {
  const people = checkRows(context, file, now);
  const receiptsFile = `${file}.receipts.jsonl`;
  const receipts = readReceipts(receiptsFile);
  const client = await context.writer();
  const size = await maxBatchSize(client);

  const pending: Person[] = [];
  for (const person of people) if (!(await attestedBy(client, person.identity, issuer))) pending.push(person);
  const skipped = people.length - pending.length;
  const groups = new Map<string, Person[]>();
  for (const person of pending) {
    const key = `${person.level}/${person.expiry}`;
    groups.set(key, [...(groups.get(key) ?? []), person]);
  }
  const chunks = [...groups.values()].flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / size) }, (_, i) => group.slice(i * size, (i + 1) * size)),
  );
  if (chunks.length > 0)
    await confirm(
      context.options,
      `attest ${pending.length} identities in ${chunks.length} transactions on ${context.options.network}`,
    );

  let interrupted = false;
  const stop = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write("\ninterrupted: finishing the transaction in flight, then stopping\n");
  };
  process.on("SIGINT", stop);
  const sent: { chunk: number; identities: number; level: number; hash: string; block: number; gasUsed: string }[] = [];
  const started = Date.now();
  let done = 0;
  try {
    for (const [i, chunk] of chunks.entries()) {
      if (interrupted) break;
      const { level, expiry } = chunk[0];
      // Salts go to disk before the transaction is sent (whole lines only), so none is ever lost.
      const fresh = chunk
        .filter((person) => !receipts.has(person.identity))
        .map((person) => {
          const salt = randomSalt();
          const commitment = commitmentOf(person.identity, person.realName, salt);
          const receipt = { did: person.did, identity: person.identity, salt, commitment, level, expiry };
          receipts.set(person.identity, receipt);
          return JSON.stringify(receipt) + "\n";
        });
      if (fresh.length > 0) appendFileSync(receiptsFile, fresh.join(""));
      const { tx } = await attestBatch(client, {
        issuer,
        level,
        expiry,
        entries: chunk.map((person) => ({
          identity: person.identity,
          realName: person.realName,
          salt: receipts.get(person.identity)!.salt,
        })),
      }).catch((error: unknown) => {
        throw toCliError(error);
      });
      const receipt = await tx.wait().catch((error: unknown) => {
        throw toCliError(error);
      });
      if (receipt === null || receipt.status !== 1)
        throw new CliError(`chunk ${i + 1}: transaction ${tx.hash} failed`, EXIT.reverted);
      done += chunk.length;
      sent.push({
        chunk: i + 1,
        identities: chunk.length,
        level,
        hash: tx.hash,
        block: receipt.blockNumber,
        gasUsed: receipt.gasUsed.toString(),
      });
      const elapsed = Date.now() - started;
      const rate = done / Math.max(elapsed / 1000, 0.001);
      process.stderr.write(
        `[${i + 1}/${chunks.length}] ${done}/${pending.length} attested, ${rate.toFixed(1)}/s, ETA ${seconds(((pending.length - done) / rate) * 1000)}\n`,
      );
    }
  } finally {
    process.off("SIGINT", stop);
  }
  const summary = {
    rows: people.length,
    skipped,
    attested: done,
    remaining: pending.length - done,
    interrupted,
    receipts: receiptsFile,
    transactions: sent,
  };
  print(context.options, summary, [
    table(sent),
    `${people.length} rows: ${done} attested now, ${skipped} already attested, ${pending.length - done} left${interrupted ? " (interrupted: rerun to resume)" : ""}`,
    `salts for the holders: ${receiptsFile}`,
  ]);
  if (interrupted) process.exitCode = EXIT.interrupted;
}
