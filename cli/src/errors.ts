/**
 * The CLI's failures and their exit codes: every fault a user can meet gets a message naming what is wrong and a
 * code of its own, so scripts can tell them apart.
 */
import { ContractError, decodeContractError, RealDIDError } from "@realdid/sdk/errors";

/** Exit codes (0 is success; `verify` exits 1 for "not verified"). */
export const EXIT = {
  ok: 0,
  notVerified: 1,
  /** Bad arguments or a bad input file. */
  usage: 2,
  /** Unknown network (no deployment file of that name), not a checkout (deploy), missing key or password. */
  config: 3,
  /** The chain or the subgraph could not be reached, or the connection dropped. */
  connection: 4,
  /** A transaction or call reverted: the contract's custom error, decoded. */
  reverted: 5,
  /** The sender cannot pay the gas. */
  funds: 6,
  /** The chain behind the RPC URL is not the deployment's (its chain id differs). */
  wrongChain: 7,
  /** `deployments verify`: something on chain differs from the build or the parameters. */
  mismatch: 8,
  /** `deploy`: the deployment script failed for another reason (its output says why). */
  deployFailed: 9,
  /** No deployment files at all: the deployments directory is missing (not run from the repository root?). */
  noDeployments: 10,
  /** Interrupted (Ctrl-C): what was sent is summarised, nothing is half-written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports as one line and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usage = (message: string) => new CliError(message, EXIT.usage);
export const config = (message: string) => new CliError(message, EXIT.config);

/** Any thrown value as a {@link CliError}: contract errors decoded, connection and funding faults recognised. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const contractError = error instanceof ContractError ? error : decodeContractError(error);
  if (contractError instanceof ContractError)
    return new CliError(`reverted with ${contractError.message}`, EXIT.reverted);
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  if (code === "INSUFFICIENT_FUNDS" || /insufficient funds|enough funds/i.test(text))
    return new CliError(`insufficient funds to pay for the transaction: ${text.split("\n")[0]}`, EXIT.funds);
  if (
    code === "ECONNREFUSED" ||
    code === "NETWORK_ERROR" ||
    code === "TIMEOUT" ||
    /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up/i.test(text)
  )
    return new CliError(`cannot reach the chain (or lost the connection): ${text.split("\n")[0]}`, EXIT.connection);
  if (code === "CALL_EXCEPTION") return new CliError(`the transaction reverted: ${text.split("\n")[0]}`, EXIT.reverted);
  if (error instanceof RealDIDError) return new CliError(text, EXIT.config);
  return new CliError(text, EXIT.usage);
}
