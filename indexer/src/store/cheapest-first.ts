/**
 * Turns handed out cheapest first: the GraphQL layer's queries waiting to run, and their reads waiting for a
 * connection they share with the writer (PGlite's one connection). A lookup by id is then not stuck behind a queue
 * of large collection pages.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The cost of the query a read serves: a read made inside `readPriority.run(cost, …)` waits behind cheaper reads
 * only. Outside any `run`, a read costs 0.
 */
export const readPriority = new AsyncLocalStorage<number>();

/** Waiters, each with a cost; {@link CheapestFirst.next} takes the cheapest, the earliest among equals. */
export class CheapestFirst {
  #arrivals = 0;
  readonly #waiting: { cost: number; arrival: number; start: () => void }[] = [];

  get length(): number {
    return this.#waiting.length;
  }

  /** Queues `start`, to be called when the waiter's turn comes. */
  push(cost: number, start: () => void): void {
    this.#waiting.push({ cost, arrival: this.#arrivals++, start });
  }

  /** Removes the cheapest waiter and gives it its turn; false when none waits. */
  next(): boolean {
    if (this.#waiting.length === 0) return false;
    let next = 0;
    for (let i = 1; i < this.#waiting.length; i++) {
      const [a, b] = [this.#waiting[i], this.#waiting[next]];
      if (a.cost < b.cost || (a.cost === b.cost && a.arrival < b.arrival)) next = i;
    }
    this.#waiting.splice(next, 1)[0].start();
    return true;
  }
}
