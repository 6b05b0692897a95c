import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

import { PGlite } from "@electric-sql/pglite";

import { CheapestFirst, readPriority } from "./cheapest-first.ts";
import type { SqlDriver, SqlExecutor } from "./sql.ts";

const run = promisify(execFile);

function executor(db: Pick<PGlite, "query">): SqlExecutor {
  return {
    async query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await db.query<T>(sql, params)).rows;
    },
  };
}

/**
 * Creates a PGlite database in `dataDir` in a child process. Creating one (`initdb`) takes about 1 GiB of
 * WebAssembly memory, which never shrinks while its process lives (a worker thread gives back only half of it):
 * created apart, it goes back to the system with the child, and this process opens the new database as any
 * existing one (about 350 MiB).
 */
async function createApart(dataDir: string): Promise<void> {
  const pglite = import.meta.resolve("@electric-sql/pglite");
  const source = `const { PGlite } = await import(${JSON.stringify(pglite)});
    const db = await PGlite.create(${JSON.stringify(dataDir)});
    await db.close();`;
  try {
    await run(process.execPath, ["--input-type=module", "--eval", source]);
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`creating the PGlite database in ${dataDir} failed: ${stderr || (error as Error).message}`);
  }
}

/**
 * Orders the work of PGlite's one connection so the writer is never stuck behind a crowd of readers: reads enter
 * one at a time, and none while a write — a statement, or a whole block's work through `exclusive` — is waiting
 * or running. Indexing a block then waits for at most one read statement, however many GraphQL queries are
 * queued; queries are answered between blocks.
 *
 * PGlite runs each statement synchronously on the JavaScript thread, and a chain of reads would otherwise run
 * back to back in promise jobs, leaving the event loop no turn for I/O: the writer's JSON-RPC answers and new
 * HTTP requests would wait until every queued read had run. So each read gets its turn on a later event-loop
 * turn (`setImmediate`), one read per turn, the cheapest waiting one first (see {@link readPriority}), then in
 * arrival order.
 */
class WriterFirst {
  #writers = 0;
  #reading = false;
  #scheduled = false;
  readonly #readers = new CheapestFirst();

  async write<T>(work: () => Promise<T>): Promise<T> {
    this.#writers += 1;
    try {
      return await work();
    } finally {
      this.#writers -= 1;
      this.#schedule();
    }
  }

  async read<T>(work: () => Promise<T>): Promise<T> {
    const cost = readPriority.getStore() ?? 0;
    await new Promise<void>((start) => {
      this.#readers.push(cost, start);
      this.#schedule();
    });
    try {
      return await work();
    } finally {
      this.#reading = false;
      this.#schedule();
    }
  }

  #free(): boolean {
    return !this.#reading && this.#writers === 0 && this.#readers.length > 0;
  }

  #schedule(): void {
    if (this.#scheduled || !this.#free()) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      // A writer that arrived meanwhile goes first; its end schedules the next read.
      if (!this.#free()) return;
      this.#reading = true;
      this.#readers.next();
    });
  }
}

/**
 * Embedded Postgres (PGlite, Postgres in WebAssembly). `dataDir` is a directory that keeps the database
 * across restarts; without it the database lives in memory. PGlite has a single connection, so reads
 * (`read`) and the writer share it, the writer first; statements cannot be cancelled once started.
 */
export async function openPgliteDriver(dataDir?: string): Promise<SqlDriver> {
  if (dataDir !== undefined && !existsSync(join(dataDir, "PG_VERSION"))) await createApart(dataDir);
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
