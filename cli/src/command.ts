/** Plumbing shared by the commands: the global options of a command, its context, argument parsing. */
import { parseEthrDid } from "@realdid/sdk/signin";
import type { Command } from "commander";
import { getAddress, isAddress } from "ethers";

import { Context, type GlobalOptions } from "./context.js";
import { usage } from "./errors.js";

/** The global options as seen from any (sub)command. */
export function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The context of a command (reads the deployment file). */
export function contextOf(command: Command): Context {
  return new Context(globals(command));
}

/** The identity address of a did:ethr of this deployment's chain, or of a plain address. */
export function identityOf(context: Context, didOrAddress: string): string {
  if (isAddress(didOrAddress)) return getAddress(didOrAddress);
  const parsed = parseEthrDid(didOrAddress);
  if (parsed === null) throw usage(`${didOrAddress} is not a did:ethr DID or an address`);
  const sameChain =
    /^0x[0-9a-fA-F]+$/.test(parsed.network) && BigInt(parsed.network) === BigInt(context.deployment.chainId);
  if (!sameChain && parsed.network !== context.deployment.network)
    throw usage(
      `${didOrAddress} is a DID of network ${parsed.network}, not of ${context.options.network} (chain ${context.deployment.chainId})`,
    );
  return getAddress(parsed.identity);
}

/** An address argument, checksummed, or a clear error naming it. */
export function addressOf(value: string, what: string): string {
  if (!isAddress(value)) throw usage(`${what} ${value} is not an address`);
  return getAddress(value);
}

/** A whole number argument within [min, max]. */
export function integerOf(value: string, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw usage(`${what} ${value} is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw usage(`${what} ${value} is out of range (${min}..${max})`);
  return n;
}
