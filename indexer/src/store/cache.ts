/**
 * A read-through cache in front of an {@link EntityStore} for the one process that writes it: the indexer.
 *
 * Mapping handlers read far more than they write, and most reads ask for entities that do not exist yet (an
 * identity's first event, an attestation's first status). The cache keeps the latest stored state of recently
 * used entities — absence included — so those reads cost no SQL query. It stays exact because every write goes
 * through {@link CachedEntityStore.commitBlocks} or {@link CachedEntityStore.stageBlock}, which update it, and {@link CachedEntityStore.revertTo}, which
 * empties it. Reads at a past block (`get(entity, id, block)`) bypass it.
 *
 * Blocks can also be staged ({@link CachedEntityStore.stageBlock}): their changes are seen by reads at once and
 * written later, many blocks in one transaction, which is how catch-up writes final blocks. The write can go on
 * while the indexer works on the next blocks ({@link CachedEntityStore.startFlush}; one write at a time): with a
 * Postgres server the database works on its own cores meanwhile. Staged changes and those being written stay in
 * memory until written, whatever the bound on entries.
 *
 * Beside the entries, bounded by count, a {@link KeyFilter} of every key ever stored (loaded from the store at
 * the first read or commit, then fed by every commit) answers reads of entities that were never stored without a
 * query, whatever was evicted: on a store of millions of entities, and after a restart, new entities cost no
 * SQL. The filter only grows, so it stays a superset of the stored keys through reverts and removals.
 */
import { KeyFilter } from "./key-filter.ts";
import type {
  BlockChanges,
  BlockPointer,
  EntityData,
  EntityKey,
  EntityStore,
  IndexingStatus,
  SubgraphFailure,
} from "./types.ts";

/** Entries kept by default: enough for the working set of a busy subgraph (recent identities), about 100 MB. */
export const DEFAULT_CACHE_ENTRIES = 100_000;
/** Share of the entry bound that is kept when the bound is passed. */
const EVICTED_TO = 0.9;

export class CachedEntityStore implements EntityStore {
  /** `entity \u0000 id` → latest stored state (null: no such entity); Map order is least recently used first. */
  readonly #entries = new Map<string, EntityData | null>();
  /** Every key the store held when the cache started, and every key committed since. */
  #known: Promise<KeyFilter> | undefined;
  /** Blocks staged and not yet written, in order. */
  #staged: BlockChanges[] = [];
  /** Changes in {@link #staged}. */
  #stagedChanges = 0;
  /** Latest state of every entity the staged blocks change (null: removed). */
  readonly #stagedState = new Map<string, EntityData | null>();
  /** Blocks being written and their entities' latest state, until the write is done; null when none is. */
  #writing: { blocks: BlockChanges[]; state: Map<string, EntityData | null>; done: Promise<void> } | null = null;
  /** The block committed or staged last: the indexer asks for its hash before every next block. */
  #lastBlock: BlockPointer | null = null;

  constructor(
    private readonly store: EntityStore,
    private readonly maxEntries = DEFAULT_CACHE_ENTRIES,
  ) {}

  init(): Promise<void> {
    return this.store.init();
  }

  async get(entity: string, id: string, block?: number): Promise<EntityData | null> {
    if (block !== undefined) return this.store.get(entity, id, block);
    const key = cacheKey(entity, id);
    const staged = this.#stagedState.get(key) ?? this.#writing?.state.get(key);
    if (staged !== undefined) return staged === null ? null : structuredClone(staged);
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      this.#remember(key, cached);
      return cached === null ? null : structuredClone(cached);
    }
    if (!(await this.#keys()).mayHave(key)) return null;
    const stored = await this.store.get(entity, id);
    this.#remember(key, stored);
    return stored === null ? null : structuredClone(stored);
  }

  writing<R>(work: () => Promise<R>): Promise<R> {
    return this.store.writing(work);
  }

  /** Writes `batch` after any staged blocks, in one transaction. */
  async commitBlocks(batch: readonly BlockChanges[]): Promise<void> {
    for (const block of batch) await this.stageBlock(block);
    await this.flush();
  }

  /** Adds a block's changes to the staged ones: reads see them now; {@link flush} writes them. */
  async stageBlock(block: BlockChanges): Promise<void> {
    const known = await this.#keys();
    this.#staged.push(block);
    this.#stagedChanges += block.changes.length;
    this.#lastBlock = block.block;
    for (const { entity, id, data } of block.changes) {
      const key = cacheKey(entity, id);
      if (data !== null) known.add(key);
      this.#stagedState.set(key, data);
    }
  }

  /** Changes staged and not yet written. */
  get stagedChanges(): number {
    return this.#stagedChanges;
  }

  /** Writes the staged blocks in one transaction and waits for it; if a write fails, see {@link startFlush}. */
  async flush(): Promise<void> {
    await this.startFlush();
    await this.#settle();
  }

  /**
   * Starts writing the staged blocks in one transaction, once the previous write is done, and returns without
   * waiting for it. When a write fails, the next `startFlush`, `flush` or {@link discard} throws its error, and the
   * blocks staged since are discarded: indexing resumes from the store's head.
   */
  async startFlush(): Promise<void> {
    await this.#settle();
    if (this.#staged.length === 0) return;
    const blocks = this.#staged;
    const done = this.store.commitBlocks(blocks);
    done.catch(() => undefined); // its error is thrown by #settle
    this.#writing = { blocks, state: new Map(this.#stagedState), done };
    this.#unstage();
  }

  /** Waits for the write under way; moves its entities into the cache, or on failure forgets everything staged. */
  async #settle(): Promise<void> {
    const writing = this.#writing;
    if (writing === null) return;
    try {
      await writing.done;
    } catch (error) {
      this.#writing = null;
      this.#unstage();
      this.#lastBlock = null;
      throw error;
    }
    this.#writing = null;
    for (const [key, data] of writing.state) this.#remember(key, data);
  }

  /**
   * Forgets the staged blocks without writing them, once the write under way (if any) is done: the store's head is
   * then where the last write left it. Throws that write's error if it failed.
   */
  async discard(): Promise<void> {
    try {
      await this.#settle();
    } finally {
      this.#unstage();
      this.#lastBlock = null;
    }
  }

  #unstage(): void {
    this.#staged = [];
    this.#stagedChanges = 0;
    this.#stagedState.clear();
  }

  entityKeys(pageSize?: number): AsyncGenerator<EntityKey[]> {
    return this.store.entityKeys(pageSize);
  }

  async revertTo(number: number): Promise<void> {
    await this.discard();
    this.#entries.clear();
    await this.store.revertTo(number);
  }

  async blockHash(number: number): Promise<string | null> {
    if (this.#lastBlock?.number === number) return this.#lastBlock.hash;
    const staged = [...this.#staged, ...(this.#writing?.blocks ?? [])].find(
      (changes) => changes.block.number === number,
    );
    return staged?.block.hash ?? this.store.blockHash(number);
  }

  status(): Promise<IndexingStatus> {
    return this.store.status();
  }

  setFatalError(failure: SubgraphFailure | null): Promise<void> {
    return this.store.setFatalError(failure);
  }

  markSynced(): Promise<void> {
    return this.store.markSynced();
  }

  /** Closes the store; staged blocks not flushed are dropped (indexing resumes from the last written block). */
  async close(): Promise<void> {
    try {
      await this.discard();
    } finally {
      this.#entries.clear();
      await this.store.close();
    }
  }

  #keys(): Promise<KeyFilter> {
    this.#known ??= (async () => {
      const filter = new KeyFilter();
      for await (const page of this.store.entityKeys())
        for (const { entity, id } of page) filter.add(cacheKey(entity, id));
      return filter;
    })();
    return this.#known;
  }

  #remember(key: string, data: EntityData | null): void {
    this.#entries.delete(key);
    this.#entries.set(key, data);
    if (this.#entries.size <= this.maxEntries) return;
    // Evicts the least recently used tenth at once: a Map keeps deleted entries in its table until it is rebuilt, so
    // finding the oldest entry one eviction at a time walks every entry deleted before it, again and again.
    let excess = this.#entries.size - Math.floor(this.maxEntries * EVICTED_TO);
    for (const oldest of this.#entries.keys()) {
      if (excess-- <= 0) break;
      this.#entries.delete(oldest);
    }
  }
}

function cacheKey(entity: string, id: string): string {
  return `${entity}\u0000${id}`;
}
