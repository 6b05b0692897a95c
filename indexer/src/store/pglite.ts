import { PGlite } from "@electric-sql/pglite";

import type { SqlDriver, SqlExecutor } from "./sql.ts";

function executor(db: Pick<PGlite, "query">): SqlExecutor {
  return {
    async query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await db.query<T>(sql, params)).rows;
    },
  };
}

/**
 * Orders the work of PGlite's one connection so the writer is never stuck behind a crowd of readers: reads enter
 * one at a time, and none while a write — a statement, or a whole block's work through `exclusive` — is waiting
 * or running. Indexing a block then waits for at most one read statement, however many GraphQL queries are
 * queued; queries are answered between blocks.
 */
class WriterFirst {
  #writers = 0;
  #reading = false;
  #waiting: (() => void)[] = [];

  async write<T>(work: () => Promise<T>): Promise<T> {
    this.#writers += 1;
    try {
      return await work();
    } finally {
      this.#writers -= 1;
      this.#wake();
    }
  }

  async read<T>(work: () => Promise<T>): Promise<T> {
    while (this.#writers > 0 || this.#reading) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#reading = true;
    try {
      return await work();
    } finally {
      this.#reading = false;
      this.#wake();
    }
  }

  #wake(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}

/**
 * Embedded Postgres (PGlite, Postgres in WebAssembly). `dataDir` is a directory that keeps the database
 * across restarts; without it the database lives in memory. PGlite has a single connection, so reads
 * (`read`) and the writer share it, the writer first; statements cannot be cancelled once started.
 */
export async function openPgliteDriver(dataDir?: string): Promise<SqlDriver> {
  const db = await PGlite.create(dataDir);
  const order = new WriterFirst();
  const { query } = executor(db);
  return {
    query: (sql, params) => order.write(() => query(sql, params)),
    read: (sql, params) => order.read(() => query(sql, params)),
    exclusive: (work) => order.write(work),
    transaction: (work) => order.write(() => db.transaction((tx) => work(executor(tx)))),
    close: () => db.close(),
  };
}
