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
 * written later, many blocks in one transaction ({@link CachedEntityStore.flush}), which is how catch-up writes final
 * blocks. Staged changes stay in memory until written, whatever the bound on entries.
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

/** Entries kept by default: enough for the working set of a busy subgraph, a few hundred MB at most. */
export const DEFAULT_CACHE_ENTRIES = 200_000;

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
    const staged = this.#stagedState.get(key);
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

  /** Writes the staged blocks in one transaction; if that fails they are discarded (see {@link discard}). */
  async flush(): Promise<void> {
    if (this.#staged.length === 0) return;
    try {
      await this.store.commitBlocks(this.#staged);
    } catch (error) {
      this.discard();
      throw error;
    }
    for (const [key, data] of this.#stagedState) this.#remember(key, data);
    this.#unstage();
  }

  /** Forgets the staged blocks without writing them; the store's head is where the last flush left it. */
  discard(): void {
    this.#unstage();
    this.#lastBlock = null;
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
    this.discard();
    this.#entries.clear();
    await this.store.revertTo(number);
  }

  async blockHash(number: number): Promise<string | null> {
    if (this.#lastBlock?.number === number) return this.#lastBlock.hash;
    const staged = this.#staged.find((changes) => changes.block.number === number);
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
  close(): Promise<void> {
    this.discard();
    this.#entries.clear();
    return this.store.close();
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
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}

function cacheKey(entity: string, id: string): string {
  return `${entity}\u0000${id}`;
}
