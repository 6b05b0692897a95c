/** Progress lines of the benchmarks, on stderr (stdout stays free for results). */

/** Prints one progress line. */
export const say = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/** Prints at most once per `ms`; `flush` prints the last message if it was held back. */
export function throttled(ms = 1_000) {
  let last = 0;
  let pending: string | null = null;
  return {
    update(message: string) {
      pending = message;
      if (performance.now() - last < ms) return;
      last = performance.now();
      say(message);
      pending = null;
    },
    flush() {
      if (pending !== null) say(pending);
      pending = null;
    },
  };
}
