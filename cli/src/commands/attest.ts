/**
 * `realdid attest <did> --level N --name <real name>` and `realdid revoke | suspend | reinstate <did>`: an issuer's
 * single attestations and their status bits. The salt is generated here and printed: hand it to the holder (it
 * opens the on-chain commitment; the name itself never reaches the chain).
 */
import { attestRealName, setAttestationStatus } from "@realdid/sdk/actions";
import { liftCredentialSuspension, revokeCredential, suspendCredential } from "@realdid/sdk/credentials";
import type { Command } from "commander";

import { addressOf, contextOf, identityOf, integerOf } from "../command.js";
import type { Context } from "../context.js";
import { usage } from "../errors.js";
import { printSent, send } from "../output.js";
import { attestCsv } from "./batch.js";
import { attestMerkle } from "./merkle.js";

/** An expiry given as an ISO 8601 date or Unix seconds, which must lie in the future. */
export function expiryOf(value: string, now: number): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.floor(Date.parse(value) / 1000);
  if (!Number.isFinite(seconds)) throw usage(`expiry ${value} is not a date (ISO 8601) or Unix seconds`);
  if (seconds <= now) throw usage(`expiry ${value} is not in the future`);
  return seconds;
}

/** The latest block's timestamp: "the future" as the chain sees it. */
export async function chainNow(context: Context): Promise<number> {
  const block = await context.provider.getBlock("latest");
  return block?.timestamp ?? Math.floor(Date.now() / 1000);
}

/** The issuer an attestation is for: `--issuer`, else the signing key itself. */
export async function issuerOf(context: Context, issuer: string | undefined): Promise<string> {
  return issuer === undefined ? (await context.wallet()).address : addressOf(issuer, "--issuer");
}

interface AttestOptions {
  level?: string;
  name?: string;
  expiry?: string;
  batch?: string;
  merkle?: string;
  out?: string;
  uri?: string;
  issuer?: string;
}

export function attestCommand(program: Command): void {
  program
    .command("attest [did]")
    .description(
      "attest a DID's real name, every row of --batch people.csv, or all rows under one --merkle root (issuer or its veriKey delegate); prints the salts or writes the proofs to hand the holders",
    )
    .option("--level <n>", "assurance level (1..3, at most the issuer's)")
    .option("--name <realName>", "the verified real name (only its salted commitment goes on chain)")
    .option("--expiry <date>", "when the attestation ends: ISO 8601 date or Unix seconds (default: one year)")
    .option("--batch <people.csv>", "attest every row of a CSV with the header did,name,level,expiry (resumable)")
    .option("--merkle <people.csv>", "anchor one Merkle root for every row (one level and expiry) and write proofs")
    .option("--out <dir>", "with --merkle: an empty directory for the proof files, one per holder")
    .option("--uri <uri>", "with --merkle: where holders find their proofs, recorded with the root")
    .option("--issuer <address>", "the issuer acted for (default: the signing key)")
    .action(async (didArgument: string | undefined, options: AttestOptions, command: Command) => {
      const context = contextOf(command);
      if (options.merkle !== undefined) {
        if (didArgument !== undefined || options.level !== undefined || options.name !== undefined)
          throw usage("--merkle takes the DIDs, names, level and expiry from the file: give no DID, --level or --name");
        if (options.batch !== undefined) throw usage("give --batch or --merkle, not both");
        if (options.out === undefined) throw usage("--merkle needs --out <dir> for the holders' proof files");
        await context.checkChain();
        await attestMerkle(context, {
          file: options.merkle,
          out: options.out,
          issuer: await issuerOf(context, options.issuer),
          now: await chainNow(context),
          uri: options.uri,
        });
        return;
      }
      if (options.batch !== undefined) {
        if (didArgument !== undefined || options.level !== undefined || options.name !== undefined)
          throw usage(
            "--batch takes the DIDs, names, levels and expiries from the file: give no DID, --level or --name",
          );
        await context.checkChain();
        await attestCsv(context, options.batch, await issuerOf(context, options.issuer), await chainNow(context));
        return;
      }
      if (didArgument === undefined) throw usage("attest: give a DID (or --batch or --merkle <people.csv>)");
      if (options.level === undefined || options.name === undefined)
        throw usage("attest <did> needs --level and --name");
      const identity = identityOf(context, didArgument);
      const level = integerOf(options.level, "--level", 1, 3);
      if (options.name.trim() === "") throw usage("--name is empty");
      const client = await context.writer();
      const now = await chainNow(context);
      const expiry = options.expiry === undefined ? now + 365 * 86_400 : expiryOf(options.expiry, now);
      const issuer = await issuerOf(context, options.issuer);
      let opened: { salt: string; commitment: string } | undefined;
      const sent = await send(context, `attest ${identity} at level ${level}`, async () => {
        const { tx, salt, commitment } = await attestRealName(client, {
          issuer,
          identity,
          level,
          expiry,
          realName: options.name!,
        });
        opened = { salt, commitment };
        return tx;
      });
      printSent(context.options, `attested ${identity}; give the holder the salt ${opened!.salt}`, sent, {
        identity,
        issuer,
        level,
        expiry,
        ...opened,
      });
    });

  const byIndex = { revoke: revokeCredential, suspend: suspendCredential, reinstate: liftCredentialSuspension };
  for (const [verb, status, value] of [
    ["revoke", "revoked", true],
    ["suspend", "suspended", true],
    ["reinstate", "suspended", false],
  ] as const) {
    program
      .command(`${verb} <did-or-index>`)
      .description(
        {
          revoke: "revoke an attestation (of a DID, or by status index) for good (its issuer or veriKey delegate)",
          suspend: "suspend an attestation (of a DID, or by status index) until reinstated",
          reinstate: "lift a suspension (of a DID's attestation, or by status index)",
        }[verb],
      )
      .option("--list <list>", "with an index: attestation (an on-chain attestation) or credential", "attestation")
      .option("--issuer <address>", "with an index: the issuer whose list it is (default: the signing key)")
      .action(async (target: string, options: { list: string; issuer?: string }, command: Command) => {
        const context = contextOf(command);
        if (/^\d+$/.test(target)) {
          if (options.list !== "attestation" && options.list !== "credential")
            throw usage(`--list ${options.list}: attestation or credential`);
          const reference = {
            issuer: await issuerOf(context, options.issuer),
            list: options.list as "attestation" | "credential",
            index: integerOf(target, "status index", 0),
          };
          const client = await context.writer();
          const sent = await send(
            context,
            `${verb} ${reference.list} status ${reference.index} of ${reference.issuer}`,
            () => byIndex[verb](client, reference),
          );
          printSent(context.options, `${verb} ${reference.list} status ${reference.index}`, sent, {
            ...reference,
            action: verb,
          });
          return;
        }
        const identity = identityOf(context, target);
        const client = await context.writer();
        const sent = await send(context, `${verb} the attestation of ${identity}`, () =>
          setAttestationStatus(client, { identity, status, value }),
        );
        printSent(context.options, `${verb} ${identity}`, sent, { identity, action: verb });
      });
  }
}
