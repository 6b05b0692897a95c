/**
 * Merkle-batch issuance from the terminal. `realdid attest --merkle people.csv --out proofs/`: the same CSV and checks
 * as `--batch` (one level and expiry for the whole file: a root has one), salts and commitments made here, one proof
 * file per holder written to `--out` before the root is anchored (so no salt is ever lost), then one transaction
 * anchors the root. `realdid claim <proof.json>`: a holder (or anyone) claims its leaf with its proof file; an
 * altered or foreign file is refused before anything is sent. `realdid merkle show | cancel --root <root>`: an
 * anchored root and its cancellation by the issuer (`--root` is an option: a bare 32-byte hex argument is refused as
 * a possible private key).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import {
  anchorRoot,
  buildMerkleBatch,
  cancelRoot,
  claim,
  getRoot,
  parseProofFile,
  proofFilesOf,
  type ProofFile,
} from "@realdid/sdk/actions";
import { InvalidProofFileError } from "@realdid/sdk/errors";
import type { Command } from "commander";
import { isHexString } from "ethers";

import { contextOf } from "../command.js";
import type { Context } from "../context.js";
import { CliError, config, toCliError, usage } from "../errors.js";
import { confirm, print, printSent, send } from "../output.js";
import { issuerOf } from "./attest.js";
import { checkRows } from "./batch.js";

/** Where the proof files go: created if missing, refused if it already holds JSON files (nothing is overwritten). */
function proofDirectory(out: string): string {
  if (existsSync(out)) {
    const taken = readdirSync(out).filter((name) => name.endsWith(".json"));
    if (taken.length > 0)
      throw usage(`--out ${out} already holds ${taken.length} JSON files (e.g. ${taken[0]}): give an empty directory`);
  } else mkdirSync(out, { recursive: true });
  return out;
}

export async function attestMerkle(
  context: Context,
  p: { file: string; out: string; issuer: string; now: number; uri?: string },
): Promise<void> {
  const people = checkRows(context, p.file, p.now);
  const [first] = people;
  for (const person of people)
    if (person.level !== first.level || person.expiry !== first.expiry)
      throw usage(
        `${p.file} line ${person.line}: level ${person.level} and expiry ${person.expiry} differ from line ${first.line}'s (${first.level}, ${first.expiry}); a Merkle root has one level and expiry: split the file`,
      );
  const out = proofDirectory(p.out);
  const client = await context.writer();
  const batch = await buildMerkleBatch(client, {
    issuer: p.issuer,
    level: first.level,
    expiry: first.expiry,
    entries: people.map((person) => ({ identity: person.identity, realName: person.realName })),
  });
  const what = `anchor a Merkle root of ${people.length} holders at level ${first.level} for ${p.issuer}`;
  await confirm(context.options, `${what} on ${context.options.network}`);
  const files = proofFilesOf(batch).map((proof) => {
    const path = join(out, `${proof.leaf.identity}.json`);
    writeFileSync(path, JSON.stringify(proof, null, 2) + "\n", { mode: 0o600 });
    return path;
  });
  const sent = await send(context, what, () => anchorRoot(client, { batch, uri: p.uri }), true).catch(
    (error: unknown) => {
      const failure = toCliError(error);
      throw new CliError(
        `${failure.message} (the proof files in ${out} are for root ${batch.root}, not anchored unless the connection dropped after sending)`,
        failure.code,
      );
    },
  );
  const result = {
    root: batch.root,
    issuer: p.issuer,
    level: first.level,
    expiry: first.expiry,
    firstStatusIndex: batch.firstStatusIndex,
    count: people.length,
    uri: p.uri ?? "",
    files,
    ...sent,
  };
  print(context.options, result, [
    `anchored root ${batch.root}: ${people.length} holders at level ${first.level}, status indices ${batch.firstStatusIndex}..${batch.firstStatusIndex + people.length - 1}`,
    `transaction ${sent.hash} in block ${sent.block} (gas ${sent.gasUsed})`,
    `give each holder its proof file, which holds its salt: ${join(out, "<address>.json")}`,
  ]);
}

/** Reads and checks a proof file, and that it belongs to this deployment. */
function readProofFile(context: Context, path: string): ProofFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw usage(`cannot read ${path}: ${(error as Error).message}`);
  }
  let file: ProofFile;
  try {
    file = parseProofFile(text);
  } catch (error) {
    if (error instanceof InvalidProofFileError) throw usage(`${path}: ${error.message}`);
    throw error;
  }
  if (file.chainId !== context.deployment.chainId)
    throw config(
      `${path} is for chain ${file.chainId}; network ${context.options.network} is chain ${context.deployment.chainId}`,
    );
  const registry = context.address("RealNameRegistry");
  if (file.registry !== registry)
    throw config(
      `${path} is for RealNameRegistry ${file.registry}; network ${context.options.network} has ${registry}`,
    );
  return file;
}

export function claimCommand(program: Command): void {
  program
    .command("claim <proof.json>")
    .description("claim a Merkle-batch attestation with its proof file (the holder, or anyone, sends)")
    .action(async (path: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const file = readProofFile(context, path);
      const client = await context.writer();
      const { identity, statusIndex } = file.leaf;
      const sent = await send(context, `claim the attestation of ${identity} (status index ${statusIndex})`, () =>
        claim(client, file),
      );
      print(
        context.options,
        {
          identity,
          issuer: file.issuer,
          root: file.root,
          statusIndex,
          level: file.level,
          expiry: file.expiry,
          ...sent,
        },
        [
          `claimed: ${identity} is attested at level ${file.level} by ${file.issuer} (transaction ${sent.hash} in block ${sent.block})`,
          `keep ${path}: its salt opens your commitment (needed to disclose your name)`,
        ],
      );
    });
}

/** The `--root` option: 32 bytes of hex. */
function rootOf(value: string | undefined): string {
  if (value === undefined) throw usage("give the root with --root <0x…>");
  if (!isHexString(value, 32)) throw usage(`--root ${value} is not 32 bytes of hex`);
  return value.toLowerCase();
}

export function merkleCommand(program: Command): void {
  const merkle = program.command("merkle").description("an issuer's anchored Merkle roots");

  merkle
    .command("show")
    .option("--root <root>", "the Merkle root (32 bytes of hex)")
    .description("who anchored a root, its level, expiry, status indices and whether it is cancelled")
    .option("--issuer <address>", "the issuer whose root it is (default: the signing key)")
    .action(async (options: { root?: string; issuer?: string }, command: Command) => {
      const context = contextOf(command);
      const target = { issuer: await issuerOf(context, options.issuer), root: rootOf(options.root) };
      const record = await getRoot(await context.reader(), target).catch((error: unknown) => {
        throw toCliError(error);
      });
      if (record.count === 0) throw usage(`${target.issuer} never anchored root ${target.root}`);
      const last = record.firstStatusIndex + record.count - 1;
      print(context.options, { ...target, ...record }, [
        `root ${target.root} of ${target.issuer}${record.cancelled ? " (cancelled)" : ""}`,
        `anchored by ${record.anchoredBy}: ${record.count} leaves at level ${record.level} until ${new Date(record.expiry * 1000).toISOString()}, status indices ${record.firstStatusIndex}..${last}`,
      ]);
    });

  merkle
    .command("cancel")
    .option("--root <root>", "the Merkle root (32 bytes of hex)")
    .description("cancel a root: none of its unclaimed leaves can be claimed (issuer or its veriKey delegate)")
    .option("--issuer <address>", "the issuer whose root it is (default: the signing key)")
    .action(async (options: { root?: string; issuer?: string }, command: Command) => {
      const context = contextOf(command);
      const target = { issuer: await issuerOf(context, options.issuer), root: rootOf(options.root) };
      const client = await context.writer();
      const sent = await send(context, `cancel root ${target.root} of ${target.issuer}`, () =>
        cancelRoot(client, target),
      );
      printSent(context.options, `cancelled root ${target.root}`, sent, { ...target, cancelled: true });
    });
}
