/**
 * The store's table layout, graph-node's relational layout in outline: in the subgraph's own Postgres schema, one
 * table per entity type (`Identity` → `identity`, `IdentityEvent` → `identity_event`) holding every version of
 * that type's entities, with the indexes that type needs, and two tables of the indexer's own (`blocks$`, `status$`;
 * `$` never occurs in a GraphQL name, so no entity table can take theirs). Interfaces have no table: they read
 * the `UNION ALL` of their implementations' tables.
 *
 * A version row is `vid, id, block_from, block_to, data jsonb` (see types.ts for the JSON form): it is visible
 * in the blocks [block_from, block_to), `block_to IS NULL` for the current version. Immutable types are written
 * once and never closed, so they need neither the index on closed versions nor one for time travel by id.
 */
import { createHash } from "node:crypto";

import type { EntityModel, SubgraphModel } from "../schema/model.ts";
import { EntityStoreError } from "./errors.ts";

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

/** graph-node's table name of an entity type: its name in snake case (`AttestationEvent` → `attestation_event`). */
export function tableNameFor(entity: string): string {
  return entity
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/** The table of one concrete entity type. */
export interface EntityTable {
  entity: EntityModel;
  /** Table name without the schema, unquoted. */
  name: string;
  /** Schema-qualified, quoted: what statements name. */
  qualified: string;
  /** The stored fields that reference another entity by id (single-valued), each with an index. */
  references: string[];
}

/** The subgraph's tables and the SQL that reads an entity type's rows from them. */
export class StoreLayout {
  /** Postgres schema (unquoted) holding the subgraph's tables. */
  readonly schema: string;
  /** Indexed blocks: `number, hash, timestamp`. */
  readonly blocks: string;
  /** One row: the head block, the fatal error (message, block, handler) and whether indexing was once synced. */
  readonly status: string;
  /** The table of every concrete entity type, in schema order. */
  readonly tables: ReadonlyMap<string, EntityTable>;

  constructor(
    readonly model: SubgraphModel,
    subgraphName: string,
  ) {
    this.schema = schemaNameFor(subgraphName);
    const q = `"${this.schema}"`;
    this.blocks = `${q}."blocks$"`;
    this.status = `${q}."status$"`;
    const tables = new Map<string, EntityTable>();
    const owners = new Map<string, string>();
    for (const entity of model.entities) {
      if (entity.isInterface) continue;
      const name = tableNameFor(entity.name);
      const other = owners.get(name);
      if (other !== undefined)
        throw new EntityStoreError(`entity types ${other} and ${entity.name} would share the table ${name}`);
      if (name.length > MAX_IDENTIFIER - 12)
        throw new EntityStoreError(`entity type ${entity.name} has a name too long for a Postgres table`);
      owners.set(name, entity.name);
      const references = [...entity.stored.values()]
        .filter((field) => field.kind === "entity" && !field.list)
        .map((field) => field.name);
      tables.set(entity.name, { entity, name, qualified: `${q}."${name}"`, references });
    }
    this.tables = tables;
  }

  /** The table of a concrete entity type; an unknown type or an interface is a caller's error. */
  table(entity: string): EntityTable {
    const table = this.tables.get(entity);
    if (table === undefined) {
      const known = this.model.entity.get(entity);
      throw new EntityStoreError(
        known === undefined
          ? `entity type ${entity} is not in the subgraph schema`
          : `${entity} is an interface: its entities are stored as one of its implementations`,
      );
    }
    return table;
  }

  /**
   * A relation of the rows `(entity, id, block_from, block_to, data)` of `entity` — its table, or for an interface
   * the `UNION ALL` of its implementations' tables — to put in a `FROM` clause. Postgres pulls the subqueries up,
   * so conditions on the rows reach each table's indexes.
   */
  rows(entity: EntityModel): string {
    const parts = entity.concreteTypes.map(
      (type) => `SELECT '${type}'::text AS entity, id, block_from, block_to, data FROM ${this.table(type).qualified}`,
    );
    if (parts.length === 0)
      return "(SELECT NULL::text AS entity, NULL::text AS id, 0 AS block_from, NULL::integer AS block_to, NULL::jsonb AS data WHERE FALSE)";
    return `(${parts.join(" UNION ALL ")})`;
  }

  /** The statements that create the schema, its tables and their indexes (each idempotent). */
  ddl(): string[] {
    const q = `"${this.schema}"`;
    const statements = [
      `CREATE SCHEMA IF NOT EXISTS ${q}`,
      `CREATE TABLE IF NOT EXISTS ${this.blocks} (number integer PRIMARY KEY, hash text NOT NULL, timestamp bigint)`,
      `CREATE INDEX IF NOT EXISTS "blocks$_hash" ON ${this.blocks} (hash)`,
      `CREATE TABLE IF NOT EXISTS ${this.status} (
         singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
         head_number integer,
         head_hash text,
         fatal_error text,
         fatal_block_number integer,
         fatal_block_hash text,
         fatal_handler text,
         synced boolean NOT NULL DEFAULT false,
         chain_head_number integer,
         chain_head_hash text,
         entity_count bigint
       )`,
      // Status tables created before these columns.
      ...["chain_head_number integer", "chain_head_hash text", "entity_count bigint"].map(
        (column) => `ALTER TABLE ${this.status} ADD COLUMN IF NOT EXISTS ${column}`,
      ),
      `INSERT INTO ${this.status} (singleton) VALUES (true) ON CONFLICT DO NOTHING`,
    ];
    for (const { entity, name, qualified, references } of this.tables.values()) {
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${qualified} (
           vid bigserial PRIMARY KEY,
           id text NOT NULL,
           block_from integer NOT NULL,
           block_to integer,
           data jsonb NOT NULL,
           CHECK (block_to IS NULL OR block_to > block_from)
         )`,
        // Reverts and `_change_block` select by block_from, which grows with vid: a block-range index is enough.
        `CREATE INDEX IF NOT EXISTS "${name}_block_from" ON ${qualified} USING brin (block_from)`,
      );
      if (entity.immutable) {
        statements.push(`CREATE UNIQUE INDEX IF NOT EXISTS "${name}_id" ON ${qualified} (id)`);
      } else {
        statements.push(
          `CREATE UNIQUE INDEX IF NOT EXISTS "${name}_id_current" ON ${qualified} (id) WHERE block_to IS NULL`,
          `CREATE INDEX IF NOT EXISTS "${name}_id_range" ON ${qualified} (id, block_from)`,
          `CREATE INDEX IF NOT EXISTS "${name}_block_to" ON ${qualified} (block_to) WHERE block_to IS NOT NULL`,
        );
      }
      // Lookups by reference: `@derivedFrom` fields followed backwards, `where` filters on the reference.
      for (const field of references) {
        const index = `${name}_${field.toLowerCase()}`.slice(0, MAX_IDENTIFIER - 7);
        const suffix = createHash("sha256").update(field).digest("hex").slice(0, 6);
        statements.push(`CREATE INDEX IF NOT EXISTS "${index}_${suffix}" ON ${qualified} ((data->>'${field}'))`);
      }
    }
    // The entity counter starts from a count of what is stored (nothing, in a new database); commits keep it.
    statements.push(`UPDATE ${this.status} SET entity_count = ${this.countCurrent()} WHERE entity_count IS NULL`);
    return statements;
  }

  /** SQL that counts the current versions of every entity type (graph-node's `entityCount`) by scanning them. */
  countCurrent(): string {
    const counts = [...this.tables.values()].map(
      ({ qualified }) => `(SELECT count(*) FROM ${qualified} WHERE block_to IS NULL)`,
    );
    return counts.length === 0 ? "0" : counts.join(" + ");
  }
}
