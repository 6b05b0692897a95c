import { EntityStoreError, SubgraphNotCreatedError } from "./errors.ts";
import { openPgliteDriver } from "./pglite.ts";
import { openPostgresDriver, type PostgresDriverOptions } from "./postgres.ts";
import type { SubgraphModel } from "../schema/model.ts";
import { PostgresEntityStore, type SqlEntityStore } from "./sql.ts";

export type * from "./types.ts";
export { EntityStoreError, SubgraphNotCreatedError } from "./errors.ts";
export type { Condition, EntityQuery, FilterOp, FoundEntity, Page } from "./queries.ts";
export { PostgresEntityStore, type SqlDriver, type SqlEntityStore, type SqlExecutor } from "./sql.ts";
export { schemaNameFor, StoreLayout, tableNameFor, type EntityTable } from "./layout.ts";
export { CachedEntityStore, DEFAULT_CACHE_ENTRIES } from "./cache.ts";
export { openPgliteDriver } from "./pglite.ts";
export { readPriority } from "./cheapest-first.ts";
export { openPostgresDriver, type PostgresDriverOptions } from "./postgres.ts";

/** `readConnections` and `readStatementTimeoutMs` apply to a Postgres server; PGlite has one connection, whose reads take turns with the writer. */
export interface OpenStoreOptions extends PostgresDriverOptions {
  /** Subgraph name; its tables live in their own Postgres schema, so subgraphs can share a database. */
  subgraphName: string;
  /** The subgraph's schema (`parseSubgraphSchema`): the store keeps a table per entity type. */
  model: SubgraphModel;
  /** Postgres server to use (e.g. from `DATABASE_URL`); when absent or empty the embedded PGlite database is used. */
  databaseUrl?: string;
  /** PGlite data directory, kept across restarts; without it (and without `databaseUrl`) the data lives in memory. */
  dataDir?: string;
}

/**
 * Opens and initialises the entity store of one subgraph; with `readOnly` (a Postgres server only) it creates
 * nothing and checks that the subgraph's tables exist, which the store that writes them created, in this layout.
 */
export async function openEntityStore({
  subgraphName,
  model,
  databaseUrl,
  dataDir,
  ...readOptions
}: OpenStoreOptions): Promise<SqlEntityStore> {
  const server = databaseUrl !== undefined && databaseUrl !== "";
  if (readOptions.readOnly === true && !server)
    throw new EntityStoreError("a read-only store needs a Postgres server (databaseUrl): PGlite has one process");
  const driver = server ? openPostgresDriver(databaseUrl, readOptions) : await openPgliteDriver(dataDir);
  const store = new PostgresEntityStore(driver, subgraphName, model);
  try {
    if (readOptions.readOnly !== true) await store.init();
    else {
      await store.checkLayout();
      await store.status().catch((error: Error) => {
        throw new SubgraphNotCreatedError(
          `subgraph ${subgraphName} has no tables in this database yet (${error.message}): start its index node first`,
        );
      });
    }
  } catch (error) {
    await driver.close();
    throw error;
  }
  return store;
}
