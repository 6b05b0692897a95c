/**
 * `realdid signin challenge | sign | verify`: sign in with a DID (EIP-4361) from a terminal. `verify` checks one
 * message against the challenge file it was issued for; replay protection across sign-ins is the relying party's
 * nonce store, which a one-shot command does not keep.
 */
import { readFileSync } from "node:fs";

import {
  createChallenge,
  memoryNonceStore,
  signInWithDid,
  SignInError,
  verifySignIn,
  type Challenge,
} from "@realdid/sdk/signin";
import type { Command } from "commander";

import { contextOf, identityOf, integerOf } from "../command.js";
import { EXIT, toCliError, usage } from "../errors.js";
import { print, toJson } from "../output.js";

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw usage(`${what} ${file}: ${(error as Error).message}`);
  }
}

function readChallenge(file: string): Challenge {
  const challenge = readJson<Challenge>(file, "challenge");
  for (const field of ["domain", "uri", "nonce", "expirationTime"] as const)
    if (typeof challenge[field] !== "string") throw usage(`challenge ${file}: "${field}" is missing`);
  if (typeof challenge.chainId !== "number") throw usage(`challenge ${file}: "chainId" is missing`);
  return challenge;
}

export function signinCommand(program: Command): void {
  const signin = program.command("signin").description("sign in with a DID (EIP-4361)");

  signin
    .command("challenge")
    .description("issue a challenge (relying party)")
    .requiredOption("--domain <host>", "the relying party's domain, e.g. example.com")
    .requiredOption("--uri <uri>", "a URI on its origin, e.g. https://example.com/login")
    .option("--ttl <seconds>", "how long the nonce stays valid", "300")
    .action(async (options: { domain: string; uri: string; ttl: string }, command: Command) => {
      const context = contextOf(command);
      const challenge = await createChallenge({
        domain: options.domain,
        uri: options.uri,
        chainId: context.deployment.chainId,
        ttl: integerOf(options.ttl, "--ttl", 1),
        nonceStore: memoryNonceStore(),
      });
      print(context.options, challenge, toJson(challenge));
    });

  signin
    .command("sign <challenge.json>")
    .description("sign a challenge as a DID with the signing key (its owner or a sigAuth delegate)")
    .requiredOption("--did <did>", "the DID to sign in as")
    .action(async (file: string, options: { did: string }, command: Command) => {
      const context = contextOf(command);
      identityOf(context, options.did);
      const signed = await signInWithDid(readChallenge(file), { did: options.did, signer: await context.wallet() });
      print(context.options, signed, toJson(signed));
    });

  signin
    .command("verify <challenge.json> <signed.json>")
    .description("check a signed sign-in message against its challenge (exit 0 accepted, 1 refused with the reason)")
    .option("--level <n>", "also require a real-name attestation of this level")
    .action(async (challengeFile: string, signedFile: string, options: { level?: string }, command: Command) => {
      const context = contextOf(command);
      const challenge = readChallenge(challengeFile);
      const signed = readJson<{ message?: unknown; signature?: unknown }>(signedFile, "signed message");
      if (typeof signed.message !== "string" || typeof signed.signature !== "string")
        throw usage(`${signedFile}: expected {"message", "signature"} as printed by \`realdid signin sign\``);
      const nonceStore = memoryNonceStore();
      await nonceStore.issue(challenge.nonce, Date.parse(challenge.expirationTime));
      try {
        const { session, verification } = await verifySignIn(signed.message, signed.signature, {
          domain: challenge.domain,
          uri: challenge.uri,
          client: await context.reader(),
          nonceStore,
          networkNames: [context.deployment.network],
          ...(options.level === undefined
            ? {}
            : { requireVerified: { minLevel: integerOf(options.level, "--level", 1, 3) } }),
        });
        print(
          context.options,
          { accepted: true, session, verification },
          `accepted: ${session.did} signed by ${session.signer}`,
        );
      } catch (error: unknown) {
        if (!(error instanceof SignInError) || error.reason === "unavailable") throw toCliError(error);
        print(
          context.options,
          { accepted: false, reason: error.reason, message: error.message },
          `refused: ${error.message}`,
        );
        process.exitCode = EXIT.notVerified;
      }
    });
}
