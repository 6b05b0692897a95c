/**
 * A small in-memory {@link EntityStore} with block-range versions, for runtime tests that should not depend
 * on the SQL store. Same semantics as the SQL store: commits must advance the head, `revertTo` leaves the
 * latest recorded block at or below the fork as the head.
 */
import type {
  BlockChanges,
  EntityData,
  EntityKey,
  EntityStore,
  IndexingStatus,
  SubgraphFailure,
} from "../src/store/types.ts";

interface Version {
  from: number;
  to: number | null;
  data: EntityData;
}

export class MemoryEntityStore implements EntityStore {
  readonly versions = new Map<string, Version[]>();
  readonly hashes = new Map<number, string>();
  readonly commits: BlockChanges[] = [];
  fatalError: SubgraphFailure | null = null;
  synced = false;

  async init(): Promise<void> {}

  writing<R>(work: () => Promise<R>): Promise<R> {
    return work();
  }

  async get(entity: string, id: string, block?: number): Promise<EntityData | null> {
    const versions = this.versions.get(`${entity}:${id}`) ?? [];
    const version = versions.find((v) =>
      block === undefined ? v.to === null : v.from <= block && (v.to === null || block < v.to),
    );
    return version === undefined ? null : structuredClone(version.data);
  }

  /** Current entities of one type, by id. */
  all(entity: string): Map<string, EntityData> {
    const out = new Map<string, EntityData>();
    for (const [key, versions] of this.versions) {
      const current = versions.find((v) => v.to === null);
      if (key.startsWith(`${entity}:`) && current !== undefined) out.set(key.slice(entity.length + 1), current.data);
    }
    return out;
  }

  async commitBlocks(batch: readonly BlockChanges[]): Promise<void> {
    for (const { block, changes } of batch) {
      const head = (await this.status()).head;
      if (head !== null && block.number <= head.number) {
        throw new Error(`block ${block.number} is not after the head block ${head.number}`);
      }
      for (const { entity, id, data } of changes) {
        const versions = this.versions.get(`${entity}:${id}`) ?? [];
        const current = versions.find((v) => v.to === null);
        if (current !== undefined) current.to = block.number;
        if (data !== null) versions.push({ from: block.number, to: null, data: structuredClone(data) });
        this.versions.set(`${entity}:${id}`, versions);
      }
      this.hashes.set(block.number, block.hash);
      this.commits.push({ block, changes });
    }
  }

  async *entityKeys(): AsyncGenerator<EntityKey[]> {
    const keys: EntityKey[] = [];
    for (const [key, versions] of this.versions) {
      const separator = key.indexOf(":");
      if (versions.some((v) => v.to === null))
        keys.push({ entity: key.slice(0, separator), id: key.slice(separator + 1) });
    }
    yield keys;
  }

  async blockHash(number: number): Promise<string | null> {
    return this.hashes.get(number) ?? null;
  }

  async revertTo(number: number): Promise<void> {
    for (const [key, versions] of this.versions) {
      const kept = versions.filter((v) => v.from <= number);
      for (const v of kept) if (v.to !== null && v.to > number) v.to = null;
      this.versions.set(key, kept);
    }
    for (const recorded of [...this.hashes.keys()]) if (recorded > number) this.hashes.delete(recorded);
  }

  async status(): Promise<IndexingStatus> {
    const numbers = [...this.hashes.keys()];
    const { fatalError, synced } = this;
    if (numbers.length === 0) return { head: null, fatalError, synced };
    const number = Math.max(...numbers);
    return { head: { number, hash: this.hashes.get(number)! }, fatalError, synced };
  }

  async setFatalError(failure: SubgraphFailure | null): Promise<void> {
    this.fatalError = failure;
  }

  async markSynced(): Promise<void> {
    this.synced = true;
  }

  /** How many entities exist at the head. */
  async entityCount(): Promise<number> {
    return [...this.versions.values()].filter((versions) => versions.some((v) => v.to === null)).length;
  }

  async close(): Promise<void> {}
}
