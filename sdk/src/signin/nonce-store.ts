/** Server-issued sign-in nonces: single use, with an expiry. Pluggable (a shared store for several servers). */

/** What consuming a nonce found. */
export type NonceStatus = "consumed" | "replayed" | "unknown" | "expired";

/** Where a relying party keeps the nonces it issued. Implementations must make `consume` atomic. */
export interface NonceStore {
  /** Records `nonce` as issued and usable until `expiresAt` (Unix milliseconds). */
  issue(nonce: string, expiresAt: number): Promise<void> | void;
  /**
   * Marks `nonce` used, atomically: `"consumed"` for exactly one caller, `"replayed"` for every later one;
   * `"unknown"` if never issued (or forgotten), `"expired"` past its expiry.
   */
  consume(nonce: string, now: number): Promise<NonceStatus> | NonceStatus;
}

/**
 * The default {@link NonceStore}: in memory, for one server process. Used nonces are remembered until they expire
 * (so a replay says `replayed`), then forgotten.
 *
 * @example
 * const nonceStore = memoryNonceStore();
 * const challenge = await createChallenge({ domain: "example.com", uri: "https://example.com", chainId: 31337, nonceStore });
 */
export function memoryNonceStore(): NonceStore {
  const nonces = new Map<string, { expiresAt: number; used: boolean }>();
  const prune = (now: number) => {
    for (const [nonce, entry] of nonces) if (entry.expiresAt < now) nonces.delete(nonce);
  };
  let issued = 0;
  return {
    issue(nonce, expiresAt) {
      if (++issued % 1024 === 0) prune(Date.now());
      nonces.set(nonce, { expiresAt, used: false });
    },
    consume(nonce, now) {
      const entry = nonces.get(nonce);
      if (entry === undefined) return "unknown";
      if (entry.expiresAt < now) return "expired";
      if (entry.used) return "replayed";
      entry.used = true;
      return "consumed";
    },
  };
}
