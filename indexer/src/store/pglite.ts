import { PGlite } from "@electric-sql/pglite";

import type { SqlDriver, SqlExecutor } from "./sql.js";

function executor(db: Pick<PGlite, "query">): SqlExecutor {
  return {
    async query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await db.query<T>(sql, params)).rows;
    },
  };
}

/**
 * Embedded Postgres (PGlite, Postgres in WebAssembly). `dataDir` is a directory that keeps the database
 * across restarts; without it the database lives in memory.
 */
export async function openPgliteDriver(dataDir?: string): Promise<SqlDriver> {
  const db = await PGlite.create(dataDir);
  return {
    ...executor(db),
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    close: () => db.close(),
  };
}
