/**
 * Errors of the subgraph runtime, classed like graph-node's: a caller narrows on `name`.
 *
 * - deterministic: the mapping itself failed (abort, trap, bad host call, invalid entity). Re-running the
 *   same block gives the same failure, so the subgraph stops with a fatal error.
 * - transient: the chain's RPC failed or timed out. Retrying later may succeed.
 * - reorg: the chain no longer contains a block the runtime was working on.
 */
export class DeterministicError extends Error {
  override readonly name = "DeterministicError";
}

export class TransientError extends Error {
  override readonly name = "TransientError";
}

export class ReorgError extends Error {
  override readonly name = "ReorgError";
  constructor(
    message: string,
    /** Block number whose hash no longer matches. */
    readonly blockNumber: number,
  ) {
    super(message);
  }
}

/** An error in the subgraph's files (manifest, schema, ABIs): the subgraph cannot run at all. */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
}

export type RuntimeError = DeterministicError | TransientError | ReorgError;

/** Error for a host function graph-ts declares but this host does not provide. */
export function unsupported(hostFunction: string, why: string): DeterministicError {
  return new DeterministicError(`host function ${hostFunction} is not supported by the local subgraph host: ${why}`);
}
