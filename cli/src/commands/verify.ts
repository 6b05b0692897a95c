/**
 * `realdid verify <did> --level N` (a relying party's check: exit 0 verified, 1 not, with the reason's name) and
 * `realdid disclose <did>` (the holder publishes the real name behind its attestation, or signs it for a relayer).
 */
import { disclosedName, getVerification, sendDisclosure, signDisclosure } from "@realdid/sdk/actions";
import { REASON_NAMES } from "@realdid/sdk";
import type { Command } from "commander";
import { isHexString } from "ethers";

import { contextOf, identityOf, integerOf } from "../command.js";
import { CliError, EXIT, toCliError, usage } from "../errors.js";
import { print, printSent, send, toJson } from "../output.js";

export function verifyCommand(program: Command): void {
  program
    .command("verify <did>")
    .description("whether the DID holds a valid real-name attestation of at least --level (exit 0 yes, 1 no)")
    .requiredOption("--level <n>", "minimum assurance level (1..3)")
    .action(async (didArgument: string, options: { level: string }, command: Command) => {
      const context = contextOf(command);
      const identity = identityOf(context, didArgument);
      const level = integerOf(options.level, "--level", 1, 3);
      const client = await context.reader();
      const [verification, name] = await Promise.all([
        getVerification(client, { identity, minLevel: level }),
        disclosedName(client, { identity }),
      ]).catch((error: unknown) => {
        throw toCliError(error);
      });
      const reasonName = REASON_NAMES[verification.reason] ?? `reason ${verification.reason}`;
      const verified = verification.reason === 0;
      const result = {
        did: didArgument,
        identity,
        level,
        verified,
        reason: reasonName,
        issuer: verification.issuer,
        disclosedName: name,
      };
      print(
        context.options,
        result,
        verified
          ? `verified at level ${level} (issuer ${verification.issuer})${name ? `, disclosed name: ${name}` : ""}`
          : `not verified at level ${level}: ${reasonName}`,
      );
      if (!verified) process.exitCode = EXIT.notVerified;
    });

  program
    .command("disclose <did>")
    .description("publish the real name behind the DID's attestation (name and salt from the issuer); public forever")
    .requiredOption("--name <realName>", "the real name as attested")
    .requiredOption("--salt <salt>", "the 32-byte salt the issuer handed over")
    .option("--deadline <seconds>", "how long a --signed disclosure stays valid", "600")
    .option("--signed", "print the owner's signature for a relayer instead of sending")
    .action(
      async (
        didArgument: string,
        options: { name: string; salt: string; deadline: string; signed?: boolean },
        command: Command,
      ) => {
        const context = contextOf(command);
        const identity = identityOf(context, didArgument);
        if (!isHexString(options.salt, 32)) throw usage(`--salt ${options.salt} is not 32 bytes of hex`);
        const seconds = integerOf(options.deadline, "--deadline", 1);
        const client = await context.writer();
        const block = await client.provider.getBlock("latest");
        if (block === null) throw new CliError("the chain has no latest block", EXIT.connection);
        const signed = await signDisclosure(client, await context.wallet(), {
          identity,
          realName: options.name,
          salt: options.salt,
          deadline: block.timestamp + seconds,
        }).catch((error: unknown) => {
          throw toCliError(error);
        });
        if (options.signed === true) {
          print(context.options, signed, toJson(signed));
          return;
        }
        const sent = await send(context, `disclose the real name of ${identity}`, () => sendDisclosure(client, signed));
        printSent(context.options, "disclosed", sent, { identity, realName: options.name });
      },
    );
}
