import { createHash } from "node:crypto";

import type { SubgraphModel } from "../schema/model.ts";
import { EntityStoreError } from "./errors.ts";
import { entityQuerySql, visibleAt, type EntityQuery, type FoundEntity } from "./queries.ts";
import { versionWrites } from "./versions.ts";
import type {
  BlockChanges,
  BlockPointer,
  EntityData,
  EntityKey,
  EntityStore,
  IndexingStatus,
  SubgraphFailure,
} from "./types.ts";

/** The few things the store needs from a Postgres connection; PGlite and `pg` both provide them. */
export interface SqlDriver {
  /** A statement of the store's one writer (the indexer): its writes and the reads it makes while writing. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A read-only statement of a query client, kept from delaying the writer (a separate connection where possible). */
  read<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs the writer's `work` (several statements) with no `read` in between where reads share the writer's
   * connection; with connections of their own, reads go on meanwhile.
   */
  exclusive<R>(work: () => Promise<R>): Promise<R>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<R>(work: (tx: SqlExecutor) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export type SqlExecutor = Pick<SqlDriver, "query">;

/** Schema-qualified, quoted table names of one subgraph's tables. */
export interface StoreTables {
  /** Postgres schema (unquoted) holding the subgraph's tables. */
  schema: string;
  /** Entity versions: `entity, id, block_from, block_to (NULL = current), data jsonb`. */
  versions: string;
  /** Indexed blocks: `number, hash`. */
  blocks: string;
  /** One row: the head block, the fatal error (message, block, handler) and whether indexing was once synced. */
  status: string;
}

/** An {@link EntityStore} that also answers the GraphQL layer's reads of entities and blocks. */
export interface SqlEntityStore extends EntityStore {
  /**
   * Runs a read of the GraphQL layer (see queries.ts) for a subgraph of schema `model`, on the read connection
   * (never ahead of the writer).
   */
  find(model: SubgraphModel, query: EntityQuery): Promise<FoundEntity[]>;
  /**
   * Indexes `(entity, data->>field)` for each named field, so lookups by that field (references followed
   * backwards by `@derivedFrom`, `where` filters on it) use an index instead of scanning every version.
   */
  indexFields(fields: readonly string[]): Promise<void>;
  /** An indexed block by number, with its timestamp when known, or null. */
  block(number: number): Promise<BlockPointer | null>;
  /** The number of the indexed block with this hash, or null. */
  blockNumber(hash: string): Promise<number | null>;
  /** How many entities exist at the head (graph-node's `entityCount`). */
  entityCount(): Promise<number>;
}

const MAX_IDENTIFIER = 63;

/**
 * Postgres schema name for a subgraph name, e.g. `realdid/did-registry` → `sg_realdid_did_registry_1a2b3c4d`.
 * The readable part is a lowercase slug; the hash suffix keeps names that slug alike (`a/b`, `a_b`) apart.
 */
export function schemaNameFor(subgraphName: string): string {
  if (subgraphName.length === 0) throw new EntityStoreError("subgraph name must not be empty");
  const hash = createHash("sha256").update(subgraphName).digest("hex").slice(0, 8);
  const slug = subgraphName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `sg_${slug}`.slice(0, MAX_IDENTIFIER - hash.length - 1) + `_${hash}`;
}

function tablesFor(schema: string): StoreTables {
  const q = `"${schema}"`;
  return { schema, versions: `${q}.entity_versions`, blocks: `${q}.blocks`, status: `${q}.status` };
}

function ddl({ schema, versions, blocks, status }: StoreTables): string {
  return `
    CREATE SCHEMA IF NOT EXISTS "${schema}";
    CREATE TABLE IF NOT EXISTS ${versions} (
      vid bigserial PRIMARY KEY,
      entity text NOT NULL,
      id text NOT NULL,
      block_from integer NOT NULL,
      block_to integer,
      data jsonb NOT NULL,
      CHECK (block_to IS NULL OR block_to > block_from)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS entity_versions_current ON ${versions} (entity, id) WHERE block_to IS NULL;
    CREATE INDEX IF NOT EXISTS entity_versions_entity_id_range ON ${versions} (entity, id, block_from, block_to);
    CREATE INDEX IF NOT EXISTS entity_versions_block_from ON ${versions} (block_from);
    CREATE INDEX IF NOT EXISTS entity_versions_block_to ON ${versions} (block_to) WHERE block_to IS NOT NULL;
    CREATE TABLE IF NOT EXISTS ${blocks} (
      number integer PRIMARY KEY,
      hash text NOT NULL,
      timestamp bigint
    );
    ALTER TABLE ${blocks} ADD COLUMN IF NOT EXISTS timestamp bigint;
    CREATE INDEX IF NOT EXISTS blocks_hash ON ${blocks} (hash);
    CREATE TABLE IF NOT EXISTS ${status} (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      head_number integer,
      head_hash text,
      fatal_error text
    );
    ALTER TABLE ${status} ADD COLUMN IF NOT EXISTS fatal_block_number integer;
    ALTER TABLE ${status} ADD COLUMN IF NOT EXISTS fatal_block_hash text;
    ALTER TABLE ${status} ADD COLUMN IF NOT EXISTS fatal_handler text;
    ALTER TABLE ${status} ADD COLUMN IF NOT EXISTS synced boolean NOT NULL DEFAULT false;
    INSERT INTO ${status} (singleton) VALUES (true) ON CONFLICT DO NOTHING;
  `;
}

/** The entity store over any {@link SqlDriver}; one instance per subgraph. */
export class PostgresEntityStore implements SqlEntityStore {
  readonly tables: StoreTables;

  constructor(
    private readonly driver: SqlDriver,
    subgraphName: string,
  ) {
    this.tables = tablesFor(schemaNameFor(subgraphName));
  }

  async init(): Promise<void> {
    await this.driver.transaction(async (tx) => {
      for (const statement of ddl(this.tables).split(";")) {
        if (statement.trim() !== "") await tx.query(statement);
      }
    });
  }

  async indexFields(fields: readonly string[]): Promise<void> {
    for (const field of new Set(fields)) {
      if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(field)) throw new EntityStoreError(`invalid field name "${field}"`);
      const name = `entity_versions_field_${field.toLowerCase()}_${createHash("sha256").update(field).digest("hex").slice(0, 6)}`;
      await this.driver.query(
        `CREATE INDEX IF NOT EXISTS ${name} ON ${this.tables.versions} (entity, (data->>'${field}'))`,
      );
    }
  }

  writing<R>(work: () => Promise<R>): Promise<R> {
    return this.driver.exclusive(work);
  }

  async get(entity: string, id: string, block?: number): Promise<EntityData | null> {
    const rows = await this.driver.query<{ data: EntityData }>(
      `SELECT v.data FROM ${this.tables.versions} v WHERE v.entity = $1 AND v.id = $2 AND ${visibleAt("v", block ?? null)}`,
      [entity, id],
    );
    return rows[0]?.data ?? null;
  }

  async commitBlocks(batch: readonly BlockChanges[]): Promise<void> {
    if (batch.length === 0) return;
    const { versions, blocks, status } = this.tables;
    await this.driver.transaction(async (tx) => {
      const [row] = await tx.query<{ head_number: number | null }>(`SELECT head_number FROM ${status} FOR UPDATE`);
      const head = row?.head_number == null ? null : Number(row.head_number);
      const { closes, rows, blocks: written } = versionWrites(batch, head);
      if (closes.length > 0) {
        await tx.query(
          `UPDATE ${versions} v SET block_to = c.block
           FROM jsonb_to_recordset($1::jsonb) AS c(entity text, id text, block integer)
           WHERE v.entity = c.entity AND v.id = c.id AND v.block_to IS NULL`,
          [JSON.stringify(closes)],
        );
      }
      if (rows.length > 0) {
        await tx.query(
          `INSERT INTO ${versions} (entity, id, block_from, block_to, data)
           SELECT c.entity, c.id, c."blockFrom", c."blockTo", c.data
           FROM jsonb_to_recordset($1::jsonb) AS c(entity text, id text, "blockFrom" integer, "blockTo" integer, data jsonb)`,
          [JSON.stringify(rows)],
        );
      }
      await tx.query(
        `INSERT INTO ${blocks} (number, hash, timestamp)
         SELECT b.number, b.hash, b.timestamp FROM jsonb_to_recordset($1::jsonb) AS b(number integer, hash text, timestamp bigint)
         ON CONFLICT (number) DO UPDATE SET hash = EXCLUDED.hash, timestamp = EXCLUDED.timestamp`,
        [JSON.stringify(written)],
      );
      const last = written[written.length - 1];
      await tx.query(`UPDATE ${status} SET head_number = $1, head_hash = $2`, [last.number, last.hash]);
    });
  }

  async *entityKeys(pageSize = 50_000): AsyncGenerator<EntityKey[]> {
    // Pages by vid, the primary key: each page is one index range, however many entities there are.
    let after = "0";
    for (;;) {
      const rows = await this.driver.query<{ vid: string | number | bigint; entity: string; id: string }>(
        `SELECT vid, entity, id FROM ${this.tables.versions} WHERE block_to IS NULL AND vid > $1 ORDER BY vid LIMIT $2`,
        [after, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map(({ entity, id }) => ({ entity, id }));
      after = String(rows[rows.length - 1].vid);
    }
  }

  async blockHash(number: number): Promise<string | null> {
    return (await this.block(number))?.hash ?? null;
  }

  async block(number: number): Promise<BlockPointer | null> {
    const rows = await this.driver.query<{ hash: string; timestamp: string | number | null }>(
      `SELECT hash, timestamp FROM ${this.tables.blocks} WHERE number = $1`,
      [number],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return row.timestamp === null
      ? { number, hash: row.hash }
      : { number, hash: row.hash, timestamp: Number(row.timestamp) };
  }

  async blockNumber(hash: string): Promise<number | null> {
    const rows = await this.driver.query<{ number: number | string }>(
      `SELECT number FROM ${this.tables.blocks} WHERE hash = $1`,
      [hash],
    );
    return rows[0] === undefined ? null : Number(rows[0].number);
  }

  /**
   * Undoes every block after `number`. The head becomes the latest recorded block at or below `number`
   * (that is `number` itself when every block was committed), or null when none is left.
   */
  async revertTo(number: number): Promise<void> {
    const { versions, blocks, status } = this.tables;
    await this.driver.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM ${status} FOR UPDATE`);
      await tx.query(`DELETE FROM ${versions} WHERE block_from > $1`, [number]);
      await tx.query(`UPDATE ${versions} SET block_to = NULL WHERE block_to > $1`, [number]);
      await tx.query(`DELETE FROM ${blocks} WHERE number > $1`, [number]);
      await tx.query(
        `UPDATE ${status} SET head_number = (SELECT max(number) FROM ${blocks}),
           head_hash = (SELECT hash FROM ${blocks} ORDER BY number DESC LIMIT 1)`,
      );
    });
  }

  async status(): Promise<IndexingStatus> {
    const [row] = await this.driver.query<{
      head_number: number | string | null;
      head_hash: string | null;
      fatal_error: string | null;
      fatal_block_number: number | string | null;
      fatal_block_hash: string | null;
      fatal_handler: string | null;
      synced: boolean;
    }>(
      `SELECT head_number, head_hash, fatal_error, fatal_block_number, fatal_block_hash, fatal_handler, synced
         FROM ${this.tables.status}`,
    );
    if (row === undefined) throw new EntityStoreError("store is not initialised: call init() first");
    const pointer = (number: number | string | null, hash: string | null) =>
      number === null || hash === null ? null : { number: Number(number), hash };
    const fatalError =
      row.fatal_error === null
        ? null
        : {
            message: row.fatal_error,
            block: pointer(row.fatal_block_number, row.fatal_block_hash),
            handler: row.fatal_handler,
          };
    return { head: pointer(row.head_number, row.head_hash), fatalError, synced: row.synced };
  }

  async setFatalError(failure: SubgraphFailure | null): Promise<void> {
    await this.driver.query(
      `UPDATE ${this.tables.status} SET fatal_error = $1, fatal_block_number = $2, fatal_block_hash = $3,
         fatal_handler = $4`,
      [
        failure?.message ?? null,
        failure?.block?.number ?? null,
        failure?.block?.hash ?? null,
        failure?.handler ?? null,
      ],
    );
  }

  async markSynced(): Promise<void> {
    await this.driver.query(`UPDATE ${this.tables.status} SET synced = true WHERE NOT synced`);
  }

  async entityCount(): Promise<number> {
    const [row] = await this.driver.read<{ count: number | string }>(
      `SELECT count(*) AS count FROM ${this.tables.versions} WHERE block_to IS NULL`,
    );
    return Number(row.count);
  }

  async find(model: SubgraphModel, query: EntityQuery): Promise<FoundEntity[]> {
    const { sql, params } = entityQuerySql(model, this.tables, query);
    return this.driver.read<{ entity: string; id: string; data: EntityData; parent?: string }>(sql, params);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
