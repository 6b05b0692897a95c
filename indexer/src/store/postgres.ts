import pg from "pg";

import type { SqlDriver } from "./sql.js";

/** A Postgres server reached through a connection pool, e.g. `postgres://user:pass@host:5432/db`. */
export function openPostgresDriver(connectionString: string): SqlDriver {
  const pool = new pg.Pool({ connectionString });
  return {
    async query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await pool.query<T>(sql, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({
          query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
            (await client.query<T>(sql, params)).rows,
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
