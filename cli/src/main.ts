/**
 * `realdid`: the RealDID command line, a thin layer over `@realdid/sdk`. Global options choose the deployment
 * (`--network`), the endpoints (`--rpc`, `--graphql`), the output (`--json`) and non-interactive use (`--yes`).
 * Every failure prints one line on stderr and exits with a code of its own (see `errors.ts`).
 */
import { readFileSync } from "node:fs";

import { Command, CommanderError, Option } from "commander";

import { attestCommand } from "./commands/attest.js";
import { deployCommand } from "./commands/deploy.js";
import { deploymentsCommand } from "./commands/deployments.js";
import { didCommand } from "./commands/did.js";
import { governanceCommand } from "./commands/governance.js";
import { issuerCommand } from "./commands/issuer.js";
import { keysCommand } from "./commands/keys.js";
import { claimCommand, merkleCommand } from "./commands/merkle.js";
import { signinCommand } from "./commands/signin.js";
import { statusCommand } from "./commands/status.js";
import { verifyCommand } from "./commands/verify.js";
import { EXIT, toCliError } from "./errors.js";
import { refuseKeyArguments } from "./keys.js";

/** Options whose value may be 32 bytes of hex (a salt, a Merkle root: not a private key). */
const HEX_OPTIONS = new Set(["--salt", "--root"]);

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command("realdid")
    .description("RealDID from the terminal: deploy and govern, accredit issuers, attest, hold and verify DIDs")
    .version(version)
    .addOption(
      new Option("--network <name>", "deployment to use: reads deployments/<name>.json")
        .default("localhost")
        .env("REALDID_NETWORK"),
    )
    .option("--rpc <url>", "JSON-RPC URL of the chain (default: REALDID_RPC_URL; http://127.0.0.1:8545 for localhost)")
    .option("--graphql <url>", "GraphQL URL of the subgraph (DID resolution's fast path)")
    .option("--keystore <file>", "signing key: a Web3 Secret Storage file (password: REALDID_PASSWORD or a prompt)")
    .option("--json", "machine output: one JSON value on stdout", false)
    .option("--yes", "do not ask for confirmation before sending transactions", false)
    .showHelpAfterError()
    .exitOverride();
  keysCommand(program);
  didCommand(program);
  verifyCommand(program);
  signinCommand(program);
  issuerCommand(program);
  attestCommand(program);
  claimCommand(program);
  merkleCommand(program);
  statusCommand(program);
  governanceCommand(program);
  deployCommand(program);
  deploymentsCommand(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    refuseKeyArguments(argv.slice(2), HEX_OPTIONS);
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const failure = toCliError(error);
    console.error(`realdid: ${failure.message}`);
    process.exitCode = failure.code;
  }
}

await main(process.argv);
