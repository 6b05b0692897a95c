/**
 * A read-through cache in front of an {@link EntityStore} for the one process that writes it: the indexer.
 *
 * Mapping handlers read far more than they write, and most reads ask for entities that do not exist yet (an
 * identity's first event, an attestation's first status). The cache keeps the latest stored state of recently
 * used entities — absence included — so those reads cost no SQL query. It stays exact because every write goes
 * through {@link CachedEntityStore.commitBlock}, which updates it, and {@link CachedEntityStore.revertTo}, which
 * empties it. Reads at a past block (`get(entity, id, block)`) bypass it.
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
    if (!(await this.#keys()).mayHave(key)) return null;
    const stored = await this.store.get(entity, id);
    this.#remember(key, stored);
    return stored === null ? null : structuredClone(stored);
  }

  writing<R>(work: () => Promise<R>): Promise<R> {
    return this.store.writing(work);
  }

  async commitBlock(changes: BlockChanges): Promise<void> {
    const known = await this.#keys();
    await this.store.commitBlock(changes);
    this.#lastBlock = changes.block;
    for (const { entity, id, data } of changes.changes) {
      const key = cacheKey(entity, id);
      if (data !== null) known.add(key);
      this.#remember(key, data);
    }
  }

  entityKeys(pageSize?: number): AsyncGenerator<EntityKey[]> {
    return this.store.entityKeys(pageSize);
  }

  async revertTo(number: number): Promise<void> {
    this.#entries.clear();
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
