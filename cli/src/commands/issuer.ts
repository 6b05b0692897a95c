/**
 * `realdid issuer accredit | update | suspend | reinstate | remove | show | list`: a governor's work on the
 * IssuerRegistry, and anyone's view of it.
 */
import {
  accreditIssuer,
  changeIssuerStanding,
  getIssuer,
  listIssuers,
  updateIssuer,
  type IssuerStandingChange,
} from "@realdid/sdk/actions";
import type { Command } from "commander";

import { addressOf, contextOf, integerOf } from "../command.js";
import { toCliError } from "../errors.js";
import { print, printSent, send, table } from "../output.js";

interface ProfileOptions {
  level: string;
  name: string;
  uri: string;
}

const date = (seconds: number) => (seconds === 0 ? "" : new Date(seconds * 1000).toISOString());

export function issuerCommand(program: Command): void {
  const issuer = program
    .command("issuer")
    .description("real-name issuers: accredit and govern (governors), show and list");

  for (const [verb, action] of [
    ["accredit", accreditIssuer],
    ["update", updateIssuer],
  ] as const) {
    issuer
      .command(`${verb} <address>`)
      .description(
        verb === "accredit" ? "accredit a new issuer (governor)" : "change an issuer's level, name and URI (governor)",
      )
      .requiredOption("--level <n>", "highest assurance level it may attest (1..3)")
      .requiredOption("--name <name>", "the issuer's name")
      .requiredOption("--uri <uri>", "a URI describing the issuer")
      .action(async (address: string, options: ProfileOptions, command: Command) => {
        const context = contextOf(command);
        const profile = {
          issuer: addressOf(address, "issuer"),
          maxLevel: integerOf(options.level, "--level", 1, 3),
          name: options.name,
          uri: options.uri,
        };
        const client = await context.writer();
        const sent = await send(context, `${verb} issuer ${profile.issuer}`, () => action(client, profile));
        printSent(context.options, `${verb} ${profile.issuer}`, sent, profile);
      });
  }

  for (const change of ["suspend", "reinstate", "remove"] as const satisfies readonly IssuerStandingChange[]) {
    const sub = issuer.command(`${change} <address>`).description(
      {
        suspend: "suspend an issuer: its attestations stop verifying until reinstated (governor)",
        reinstate: "reinstate a suspended issuer (governor)",
        remove: "remove an issuer for good (governor)",
      }[change],
    );
    if (change !== "reinstate") sub.requiredOption("--reason <text>", "why (recorded on chain)");
    sub.action(async (address: string, options: { reason?: string }, command: Command) => {
      const context = contextOf(command);
      const target = addressOf(address, "issuer");
      const client = await context.writer();
      const sent = await send(context, `${change} issuer ${target}`, () =>
        changeIssuerStanding(client, { issuer: target, change, reason: options.reason }),
      );
      printSent(context.options, `${change} ${target}`, sent, { issuer: target, change });
    });
  }

  issuer
    .command("show <address>")
    .description("an issuer's record")
    .action(async (address: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const record = await getIssuer(await context.reader(), { issuer: addressOf(address, "issuer") }).catch(
        (error: unknown) => {
          throw toCliError(error);
        },
      );
      print(context.options, record, [
        `${record.issuer}: ${record.status}, level up to ${record.maxLevel}`,
        `  accredited ${date(record.accreditedAt)}, updated ${date(record.updatedAt)}, longest attestation ${record.maxLifetime / 86_400} days`,
      ]);
    });

  issuer
    .command("list")
    .description("every issuer accredited on this deployment, with its standing")
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const fromBlock = context.deployment.contracts.IssuerRegistry?.startBlock ?? 0;
      const issuers = await listIssuers(await context.reader(), { fromBlock }).catch((error: unknown) => {
        throw toCliError(error);
      });
      print(
        context.options,
        issuers,
        table(
          issuers.map(({ issuer: address, status, maxLevel, name }) => ({
            issuer: address,
            status,
            level: maxLevel,
            name,
          })),
        ),
      );
    });
}
