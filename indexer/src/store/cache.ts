/**
 * A read-through cache in front of an {@link EntityStore} for the one process that writes it: the indexer.
 *
 * Mapping handlers read far more than they write, and most reads ask for entities that do not exist yet (an
 * identity's first event, an attestation's first status). The cache keeps the latest stored state of recently
 * used entities — absence included — so those reads cost no SQL query. It stays exact because every write goes
 * through {@link CachedEntityStore.commitBlock}, which updates it, and {@link CachedEntityStore.revertTo}, which
 * empties it. Reads at a past block (`get(entity, id, block)`) bypass it.
 *
 * When the store was empty at the first read and nothing has been evicted since, the cache holds every entity
 * there is: a miss is then an answer (the entity does not exist) and costs no query at all. Indexing a chain
 * from its start, the common case, runs entirely from memory until the cache first fills up.
 */
import type { BlockChanges, BlockPointer, EntityData, EntityStore, IndexingStatus, SubgraphFailure } from "./types.ts";

/** Entries kept by default: enough for the working set of a busy subgraph, a few hundred MB at most. */
export const DEFAULT_CACHE_ENTRIES = 200_000;

export class CachedEntityStore implements EntityStore {
  /** `entity \u0000 id` → latest stored state (null: no such entity); Map order is least recently used first. */
  readonly #entries = new Map<string, EntityData | null>();
  /** Whether the cache holds every entity of the store (decided at the first read; lost on eviction). */
  #complete: boolean | undefined;
  /** The block committed last: the indexer asks for its hash before every next block. */
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
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      this.#remember(key, cached);
      return cached === null ? null : structuredClone(cached);
    }
    this.#complete ??= (await this.store.status()).head === null;
    if (this.#complete) return null;
    const stored = await this.store.get(entity, id);
    this.#remember(key, stored);
    return stored === null ? null : structuredClone(stored);
  }

  writing<R>(work: () => Promise<R>): Promise<R> {
    return this.store.writing(work);
  }

  async commitBlock(changes: BlockChanges): Promise<void> {
    await this.store.commitBlock(changes);
    this.#lastBlock = changes.block;
    for (const { entity, id, data } of changes.changes) this.#remember(cacheKey(entity, id), data);
  }

  async revertTo(number: number): Promise<void> {
    this.#entries.clear();
    this.#complete = false;
    this.#lastBlock = null;
    await this.store.revertTo(number);
  }

  async blockHash(number: number): Promise<string | null> {
    if (this.#lastBlock?.number === number) return this.#lastBlock.hash;
    return this.store.blockHash(number);
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

  close(): Promise<void> {
    this.#entries.clear();
    return this.store.close();
  }

  #remember(key: string, data: EntityData | null): void {
    this.#entries.delete(key);
    this.#entries.set(key, data);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
      this.#complete = false;
    }
  }
}

function cacheKey(entity: string, id: string): string {
  return `${entity}\u0000${id}`;
}
