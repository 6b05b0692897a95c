import type { SubgraphModel } from "../schema/model.ts";
import { EntityStoreError } from "./errors.ts";
import { StoreLayout } from "./layout.ts";
import { versionWrites } from "./versions.ts";
import { entityQuerySql, visibleAt, type EntityQuery, type FoundEntity } from "./queries.ts";
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

/** An {@link EntityStore} that also answers the GraphQL layer's reads of entities and blocks. */
export interface SqlEntityStore extends EntityStore {
  /** The subgraph schema the store keeps entities of. */
  readonly model: SubgraphModel;
  /** Runs a read of the GraphQL layer (see queries.ts) on the read connection (never ahead of the writer). */
  find(query: EntityQuery): Promise<FoundEntity[]>;
  /** An indexed block by number, with its timestamp when known, or null. */
  block(number: number): Promise<BlockPointer | null>;
  /** The number of the indexed block with this hash, or null. */
  blockNumber(hash: string): Promise<number | null>;
  /** How many entities exist at the head (graph-node's `entityCount`), kept by every commit: nothing is counted. */
  entityCount(): Promise<number>;
  /** Records the chain's head block as the indexer last saw it, for status APIs that answer from the database. */
  recordChainHead(head: BlockPointer): Promise<void>;
  /** The chain head last recorded, or null before the first. */
  chainHead(): Promise<BlockPointer | null>;
}

/** The entity store over any {@link SqlDriver}; one instance per subgraph, with a table per entity type (layout.ts). */
export class PostgresEntityStore implements SqlEntityStore {
  readonly layout: StoreLayout;

  constructor(
    private readonly driver: SqlDriver,
    subgraphName: string,
    readonly model: SubgraphModel,
  ) {
    this.layout = new StoreLayout(model, subgraphName);
  }

  /**
   * Creates the schema, tables and indexes the subgraph needs (new entity types included); refuses a schema that
   * holds the earlier single-table layout, which this store does not read.
   */
  async init(): Promise<void> {
    await this.checkLayout();
    await this.driver.transaction(async (tx) => {
      for (const statement of this.layout.ddl()) await tx.query(statement);
    });
  }

  /** Throws when the subgraph's schema holds the earlier layout (every version in one `entity_versions` table). */
  async checkLayout(): Promise<void> {
    const { schema } = this.layout;
    const [row] = await this.driver.query<{ old: string | null }>(`SELECT to_regclass($1) AS old`, [
      `"${schema}".entity_versions`,
    ]);
    if (row?.old !== null && row?.old !== undefined) {
      throw new EntityStoreError(
        `the database holds this subgraph in an earlier layout (one table "${schema}".entity_versions for every ` +
          `entity type), which this indexer does not read: index it again into a fresh database — delete the ` +
          `PGlite data directory (--db), or on a Postgres server run DROP SCHEMA "${schema}" CASCADE`,
      );
    }
  }

  writing<R>(work: () => Promise<R>): Promise<R> {
    return this.driver.exclusive(work);
  }

  async get(entity: string, id: string, block?: number): Promise<EntityData | null> {
    const rows = await this.driver.query<{ data: EntityData }>(
      `SELECT v.data FROM ${this.layout.table(entity).qualified} v WHERE v.id = $1 AND ${visibleAt("v", block ?? null)}`,
      [id],
    );
    return rows[0]?.data ?? null;
  }

  async commitBlocks(batch: readonly BlockChanges[]): Promise<void> {
    if (batch.length === 0) return;
    const { blocks, status } = this.layout;
    await this.driver.transaction(async (tx) => {
      const [row] = await tx.query<{ head_number: number | null }>(`SELECT head_number FROM ${status} FOR UPDATE`);
      const head = row?.head_number == null ? null : Number(row.head_number);
      const { closes, rows, blocks: written } = versionWrites(batch, head);
      const tables = new Map<string, { closes: typeof closes; rows: typeof rows }>();
      const of = (entity: string) => {
        let writes = tables.get(entity);
        if (writes === undefined) tables.set(entity, (writes = { closes: [], rows: [] }));
        return writes;
      };
      for (const close of closes) of(close.entity).closes.push(close);
      for (const version of rows) of(version.entity).rows.push(version);
      // Entities at the head after the batch minus before: new current versions, less the current ones closed.
      let counted = rows.filter((version) => version.blockTo === null).length;
      for (const [entity, writes] of tables) {
        const table = this.layout.table(entity);
        // An immutable entity is written once and never closed.
        if (writes.closes.length > 0 && !table.entity.immutable) {
          const [closed] = await tx.query<{ n: number }>(
            `WITH closed AS (UPDATE ${table.qualified} v SET block_to = c.block
             FROM jsonb_to_recordset($1::jsonb) AS c(id text, block integer)
             WHERE v.id = c.id AND v.block_to IS NULL RETURNING 1) SELECT count(*)::int AS n FROM closed`,
            [JSON.stringify(writes.closes.map(({ id, block }) => ({ id, block })))],
          );
          counted -= closed.n;
        }
        if (writes.rows.length > 0) {
          await tx.query(
            `INSERT INTO ${table.qualified} (id, block_from, block_to, data)
             SELECT c.id, c."blockFrom", c."blockTo", c.data
             FROM jsonb_to_recordset($1::jsonb) AS c(id text, "blockFrom" integer, "blockTo" integer, data jsonb)`,
            [JSON.stringify(writes.rows.map(({ id, blockFrom, blockTo, data }) => ({ id, blockFrom, blockTo, data })))],
          );
        }
      }
      await tx.query(
        `INSERT INTO ${blocks} (number, hash, timestamp)
         SELECT b.number, b.hash, b.timestamp FROM jsonb_to_recordset($1::jsonb) AS b(number integer, hash text, timestamp bigint)
         ON CONFLICT (number) DO UPDATE SET hash = EXCLUDED.hash, timestamp = EXCLUDED.timestamp`,
        [JSON.stringify(written)],
      );
      const last = written[written.length - 1];
      await tx.query(`UPDATE ${status} SET head_number = $1, head_hash = $2, entity_count = entity_count + $3`, [
        last.number,
        last.hash,
        counted,
      ]);
    });
  }

  async *entityKeys(pageSize = 50_000): AsyncGenerator<EntityKey[]> {
    // Pages by vid, each table's primary key: each page is one index range, however many entities there are.
    for (const { entity, qualified } of this.layout.tables.values()) {
      let after = "0";
      for (;;) {
        const rows = await this.driver.query<{ vid: string | number | bigint; id: string }>(
          `SELECT vid, id FROM ${qualified} WHERE block_to IS NULL AND vid > $1 ORDER BY vid LIMIT $2`,
          [after, pageSize],
        );
        if (rows.length === 0) break;
        yield rows.map(({ id }) => ({ entity: entity.name, id }));
        after = String(rows[rows.length - 1].vid);
      }
    }
  }

  async blockHash(number: number): Promise<string | null> {
    return (await this.block(number))?.hash ?? null;
  }

  async block(number: number): Promise<BlockPointer | null> {
    const rows = await this.driver.query<{ hash: string; timestamp: string | number | null }>(
      `SELECT hash, timestamp FROM ${this.layout.blocks} WHERE number = $1`,
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
      `SELECT number FROM ${this.layout.blocks} WHERE hash = $1`,
      [hash],
    );
    return rows[0] === undefined ? null : Number(rows[0].number);
  }

  /**
   * Undoes every block after `number`. The head becomes the latest recorded block at or below `number`
   * (that is `number` itself when every block was committed), or null when none is left.
   */
  async revertTo(number: number): Promise<void> {
    const { blocks, status } = this.layout;
    await this.driver.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM ${status} FOR UPDATE`);
      for (const { entity, qualified } of this.layout.tables.values()) {
        await tx.query(`DELETE FROM ${qualified} WHERE block_from > $1`, [number]);
        if (!entity.immutable) await tx.query(`UPDATE ${qualified} SET block_to = NULL WHERE block_to > $1`, [number]);
      }
      await tx.query(`DELETE FROM ${blocks} WHERE number > $1`, [number]);
      await tx.query(
        `UPDATE ${status} SET head_number = (SELECT max(number) FROM ${blocks}),
           head_hash = (SELECT hash FROM ${blocks} ORDER BY number DESC LIMIT 1),
           entity_count = ${this.layout.countCurrent()}`,
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
         FROM ${this.layout.status}`,
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
      `UPDATE ${this.layout.status} SET fatal_error = $1, fatal_block_number = $2, fatal_block_hash = $3,
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
    await this.driver.query(`UPDATE ${this.layout.status} SET synced = true WHERE NOT synced`);
  }

  async recordChainHead(head: BlockPointer): Promise<void> {
    await this.driver.query(`UPDATE ${this.layout.status} SET chain_head_number = $1, chain_head_hash = $2`, [
      head.number,
      head.hash,
    ]);
  }

  async chainHead(): Promise<BlockPointer | null> {
    const [row] = await this.driver.read<{ chain_head_number: number | null; chain_head_hash: string | null }>(
      `SELECT chain_head_number, chain_head_hash FROM ${this.layout.status}`,
    );
    if (row?.chain_head_number == null || row.chain_head_hash === null) return null;
    return { number: Number(row.chain_head_number), hash: row.chain_head_hash };
  }

  async entityCount(): Promise<number> {
    const [row] = await this.driver.read<{ entity_count: number | string }>(
      `SELECT entity_count FROM ${this.layout.status}`,
    );
    return Number(row.entity_count);
  }

  async find(query: EntityQuery): Promise<FoundEntity[]> {
    const { sql, params } = entityQuerySql(this.layout, query);
    return this.driver.read<{ entity: string; id: string; data: EntityData; parent?: string }>(sql, params);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
