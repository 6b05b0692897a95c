/** Base class of the generated contract error classes (see `contract.generated.ts`). */
import { RealDIDError } from "./base.js";

/** A custom error a RealDID contract reverted with, decoded: its literal `name` and its named arguments. */
export abstract class ContractError<Args extends Record<string, unknown>> extends RealDIDError {
  constructor(
    readonly args: Args,
    options?: { cause?: unknown },
  ) {
    super("", options);
    const shown = Object.entries(args).map(([key, value]) => `${key}=${String(value)}`);
    Object.defineProperty(this, "message", { value: `${new.target.name}(${shown.join(", ")})` });
  }
}
