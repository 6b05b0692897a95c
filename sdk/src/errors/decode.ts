/** Turns an ethers call or transaction error into the typed error of the custom error the contract reverted with. */
import { Interface, isError } from "ethers";

import { UnknownContractError } from "./base.js";
import { CONTRACT_ERRORS, type KnownContractError } from "./contract.generated.js";

const errorInterface = new Interface(Object.values(CONTRACT_ERRORS).map((entry) => entry.signature));

/** The revert data an ethers error carries (directly or in a nested provider error), if any. */
function revertData(error: unknown): string | null {
  for (let current = error, depth = 0; current !== null && typeof current === "object" && depth < 5; depth++) {
    const { data } = current as { data?: unknown };
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return data;
    if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") {
      return (data as { data: string }).data;
    }
    const next = current as { error?: unknown; info?: { error?: unknown }; cause?: unknown };
    current = next.error ?? next.info?.error ?? next.cause;
  }
  return null;
}

/**
 * Decodes a failed call or transaction into the typed error of the RealDID custom error it reverted with (every
 * custom error of every contract, generated from the ABIs), an {@link UnknownContractError} for revert data the
 * contracts do not define, or `null` when `error` carries no revert data (a network failure, a user rejection).
 *
 * @example
 * try {
 *   await realNameRegistry.attest(issuer, data);
 * } catch (error) {
 *   const decoded = decodeContractError(error);
 *   if (decoded?.name === "RealNameRegistryNullifierUsed") console.log(decoded.args.holder);
 * }
 */
export function decodeContractError(error: unknown): KnownContractError | UnknownContractError | null {
  const data = revertData(error);
  if (data === null)
    return isError(error, "CALL_EXCEPTION") && error.data ? new UnknownContractError(error.data) : null;
  const parsed = errorInterface.parseError(data);
  if (parsed === null) return new UnknownContractError(data, { cause: error });
  const entry = CONTRACT_ERRORS[parsed.name as keyof typeof CONTRACT_ERRORS];
  const args: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, index) => (args[input.name] = parsed.args[index]));
  // Each generated class takes exactly its own named arguments, which the fragment has just decoded.
  return new entry.create(args as never, { cause: error });
}
