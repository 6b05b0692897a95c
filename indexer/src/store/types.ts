/**
 * The contract between the subgraph runtime (which writes entities while it runs mapping handlers)
 * and the GraphQL layer (which reads them). Two implementations share one SQL layout (layout.ts: a table per entity
 * type): PGlite (embedded Postgres, the default) and a Postgres server (`DATABASE_URL`).
 *
 * Versioning follows graph-node: every entity version lives in a block range
 * [blockFrom, blockTo); `blockTo === null` marks the current version. Time travel reads the version whose
 * range contains the requested block; a reorg deletes versions that start after the fork point and
 * reopens the ones that were closed after it.
 *
 * Values are stored as JSON, one key per entity field, encoded by GraphQL type:
 * String/ID → string; Bytes → lowercase 0x-hex string; BigInt, BigDecimal, Int8, Timestamp → decimal string;
 * Int → number; Boolean → boolean; a reference to another entity → that entity's id (string);
 * lists → JSON arrays of the encoded items; null → null.
 */
export type StoredValue = string | number | boolean | null | StoredValue[];

/** One entity's fields (including `id`), JSON-encoded as described above. */
export type EntityData = Record<string, StoredValue>;

export interface BlockPointer {
  number: number;
  hash: string;
  /** Unix time of the block, when known (served as `_meta { block { timestamp } }`). */
  timestamp?: number;
}

/** A deterministic failure of the subgraph: what failed, and where when known (graph-node's `SubgraphError`). */
export interface SubgraphFailure {
  message: string;
  /** The block being indexed when it failed. */
  block: BlockPointer | null;
  /** The mapping handler that failed, e.g. `handleOwnerChanged`. */
  handler: string | null;
}

export interface IndexingStatus {
  /** Last fully indexed block, or null before the first block. */
  head: BlockPointer | null;
  /** Set when a handler failed deterministically; indexing stops until the subgraph changes. */
  fatalError: SubgraphFailure | null;
  /** Whether indexing has once reached the chain head; like graph-node's, it stays set across restarts. */
  synced: boolean;
}

/** Which entity: its type and id. */
export interface EntityKey {
  entity: string;
  id: string;
}

/** Writes of one block, applied by {@link EntityStore.commitBlocks}. */
export interface BlockChanges {
  block: BlockPointer;
  /** Final state of every entity touched in the block; `null` data removes the entity. */
  changes: { entity: string; id: string; data: EntityData | null }[];
}

export interface EntityStore {
  /** Creates the tables of the subgraph's entity types if needed. */
  init(): Promise<void>;
  /** Current version of an entity as seen at `block` (default: latest), or null. */
  get(entity: string, id: string, block?: number): Promise<EntityData | null>;
  /**
   * Runs the indexer's work on one block (its reads, handlers and commit) with the GraphQL layer's reads held
   * back where they share a connection with the writer, so indexing never waits behind a queue of queries.
   */
  writing<R>(work: () => Promise<R>): Promise<R>;
  /**
   * Applies the changes of consecutive blocks (in ascending order, each after the head) and advances the head to
   * the last one, all in one transaction: after a crash the store holds all of them or none. Catch-up writes many
   * final blocks at once; blocks near the chain head, which may still be reorganised, go one at a time.
   */
  commitBlocks(batch: readonly BlockChanges[]): Promise<void>;
  /**
   * Every entity stored now (current versions), in pages of at most `pageSize` (default 50,000) keys, in no
   * particular order: what the indexer's cache loads at start.
   */
  entityKeys(pageSize?: number): AsyncGenerator<EntityKey[]>;
  /** Hash recorded for an indexed block (for reorg detection), or null. */
  blockHash(number: number): Promise<string | null>;
  /** Undoes every block after `number` (entities and recorded block hashes); head becomes `number`. */
  revertTo(number: number): Promise<void>;
  status(): Promise<IndexingStatus>;
  setFatalError(failure: SubgraphFailure | null): Promise<void>;
  /** Records that indexing reached the chain head (see {@link IndexingStatus.synced}). */
  markSynced(): Promise<void>;
  close(): Promise<void>;
}
