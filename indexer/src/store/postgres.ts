import pg from "pg";

import type { SqlDriver } from "./sql.ts";

export interface PostgresDriverOptions {
  /** Connections of the read pool that answers GraphQL queries (default 8). */
  readConnections?: number;
  /** Milliseconds after which the server cancels a read statement (default: no limit). */
  readStatementTimeoutMs?: number;
  /**
   * Every connection read-only (the server refuses writes): a query node beside an index node that owns the
   * database. Default false.
   */
  readOnly?: boolean;
}

/**
 * A Postgres server, e.g. `postgres://user:pass@host:5432/db`, through two connection pools: one for the
 * indexer (writes and its reads) and a separate read-only one for queries, whose statements the server
 * cancels after `readStatementTimeoutMs`. A burst of queries then never takes the writer's connections.
 */
export function openPostgresDriver(connectionString: string, options: PostgresDriverOptions = {}): SqlDriver {
  const readOnly = "-c default_transaction_read_only=on";
  const pool = new pg.Pool({ connectionString, max: 4, ...(options.readOnly === true ? { options: readOnly } : {}) });
  const readers = new pg.Pool({
    connectionString,
    max: options.readConnections ?? 8,
    statement_timeout: options.readStatementTimeoutMs ?? false,
    options: readOnly,
  });
  return {
    async query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await pool.query<T>(sql, params)).rows;
    },
    async read<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      return (await readers.query<T>(sql, params)).rows;
    },
    exclusive: (work) => work(),
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
    close: async () => {
      await Promise.all([pool.end(), readers.end()]);
    },
  };
}
