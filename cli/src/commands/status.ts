/**
 * `realdid status export --issuer <address>`: an issuer's on-chain status list as a W3C
 * BitstringStatusListCredential (`@realdid/sdk/credentials`), read at one block; `--sign` signs it as a JWT with the
 * signing key (the issuer or its `veriKey` delegate).
 */
import { exportStatusList } from "@realdid/sdk/credentials";
import type { Command } from "commander";

import { addressOf, contextOf } from "../command.js";
import { toCliError, usage } from "../errors.js";
import { print, toJson } from "../output.js";

/** StatusRegistry purposes by name. */
const PURPOSES = { revocation: 0, suspension: 1, "credential-revocation": 2, "credential-suspension": 3 } as const;

export function statusCommand(program: Command): void {
  const status = program.command("status").description("issuers' status lists (revocation and suspension)");
  status
    .command("export")
    .description("an issuer's status list as a W3C BitstringStatusListCredential (JSON, or a JWT with --sign)")
    .requiredOption("--issuer <address>", "the issuer whose list to export")
    .option("--purpose <name>", `one of ${Object.keys(PURPOSES).join(", ")}`, "revocation")
    .option("--base-url <url>", "HTTPS URL the list is served under (its id)")
    .option("--sign", "sign the list as a JWT with the signing key")
    .action(
      async (options: { issuer: string; purpose: string; baseUrl?: string; sign?: boolean }, command: Command) => {
        const context = contextOf(command);
        const purpose = PURPOSES[options.purpose as keyof typeof PURPOSES];
        if (purpose === undefined)
          throw usage(`--purpose ${options.purpose}: one of ${Object.keys(PURPOSES).join(", ")}`);
        const client = await context.reader();
        const exported = await exportStatusList(client, {
          issuer: addressOf(options.issuer, "--issuer"),
          purpose,
          ...(options.baseUrl === undefined ? {} : { statusListBaseUrl: options.baseUrl }),
          ...(options.sign === true ? { signer: await context.wallet() } : {}),
        }).catch((error: unknown) => {
          throw toCliError(error);
        });
        print(context.options, exported, exported.jwt ?? toJson(exported.credential));
      },
    );
}
