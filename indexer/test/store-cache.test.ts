import { expect } from "chai";

import { CachedEntityStore } from "../src/store/cache.ts";
import type { BlockChanges, EntityData, EntityStore } from "../src/store/types.ts";

import { MemoryEntityStore } from "./runtime-memory-store.ts";

/** Counts the reads that reach the store behind the cache. */
class CountingStore extends MemoryEntityStore implements EntityStore {
  reads = 0;
  override async get(entity: string, id: string, block?: number): Promise<EntityData | null> {
    this.reads++;
    return super.get(entity, id, block);
  }
}

const block = (number: number) => ({ number, hash: `0x${number.toString(16).padStart(64, "0")}` });

/** A store that already indexed block 0 (with no entities). */
async function indexedStore(): Promise<CountingStore> {
  const store = new CountingStore();
  await store.commitBlocks([{ block: block(0), changes: [] }]);
  return store;
}

describe("CachedEntityStore", () => {
  it("answers repeated reads without asking the store again, and removals from memory", async () => {
    const store = await indexedStore();
    await store.commitBlocks([
      { block: block(1), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }] },
    ]);
    const cached = new CachedEntityStore(store);
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01" });
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01" });
    await cached.commitBlocks([{ block: block(2), changes: [{ entity: "Identity", id: "0x01", data: null }] }]);
    expect(await cached.get("Identity", "0x01")).to.equal(null);
    expect(store.reads).to.equal(1);
  });

  it("sees committed blocks and hands out copies", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store);
    await cached.get("Identity", "0x01");
    await cached.commitBlocks([
      {
        block: block(1),
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", n: 1 } }],
      },
    ]);
    const first = await cached.get("Identity", "0x01");
    expect(first).to.deep.equal({ id: "0x01", n: 1 });
    first!.n = 99;
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01", n: 1 });
    expect(store.reads).to.equal(0);
  });

  it("keeps its old answer when a commit fails, and forgets everything on a revert", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store);
    await cached.commitBlocks([
      {
        block: block(2),
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", n: 2 } }],
      },
    ]);
    // A commit that does not advance the head is refused by the store: the cache must not take it either.
    const refused = await cached
      .commitBlocks([{ block: block(2), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", n: 3 } }] }])
      .then(
        () => null,
        (error: Error) => error,
      );
    expect(refused?.message).to.match(/not after the head/);
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01", n: 2 });
    await cached.revertTo(1);
    expect(await cached.get("Identity", "0x01")).to.equal(null);
    expect(store.reads).to.equal(1);
  });

  it("answers reads of entities never stored from memory, however much it evicted, and asks for evicted ones", async () => {
    const store = new CountingStore();
    const cached = new CachedEntityStore(store, 2);
    expect(await cached.get("Identity", "0x01")).to.equal(null);
    await cached.commitBlocks([
      { block: block(1), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }] },
    ]);
    await cached.commitBlocks([
      {
        block: block(2),
        changes: [
          { entity: "Identity", id: "0x02", data: { id: "0x02" } },
          { entity: "Identity", id: "0x03", data: { id: "0x03" } },
        ],
      },
    ]);
    for (let i = 4; i < 100; i += 1) expect(await cached.get("Identity", `0x${i.toString(16)}`)).to.equal(null);
    expect(store.reads).to.equal(0);
    // 0x01 was evicted: the cache asks the store.
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01" });
    expect(store.reads).to.equal(1);
  });

  it("knows after a restart which entities the store holds: it reads those, and no others", async () => {
    const store = await indexedStore();
    const stored = Array.from({ length: 50 }, (_, i) => ({ entity: "Identity", id: `0x${i}`, data: { id: `0x${i}` } }));
    await store.commitBlocks([{ block: block(1), changes: stored }]);
    const restarted = new CachedEntityStore(store);
    for (const { id } of stored) expect(await restarted.get("Identity", id)).to.deep.equal({ id });
    for (const { id } of stored) expect(await restarted.get("Attestation", id)).to.equal(null);
    expect(store.reads).to.equal(stored.length);
  });

  it("reads past blocks from the store, and past its bound evicts the least recently used tenth", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store, 10);
    const ids = Array.from({ length: 11 }, (_, i) => `0x${i.toString(16).padStart(2, "0")}`);
    const identity = (id: string) => ({ entity: "Identity", id, data: { id } });
    await cached.commitBlocks([{ block: block(1), changes: ids.slice(0, 10).map(identity) }]);
    expect(await cached.get("Identity", "0x00", 1)).to.deep.equal({ id: "0x00" });
    expect(store.reads).to.equal(1);
    // 0x00 becomes the most recently used; the eleventh entry brings the cache down to 9: 0x01 and 0x02 go.
    await cached.get("Identity", "0x00");
    await cached.commitBlocks([{ block: block(2), changes: [identity(ids[10])] }]);
    for (const id of [ids[0], ...ids.slice(3)]) expect(await cached.get("Identity", id)).to.deep.equal({ id });
    expect(store.reads).to.equal(1);
    for (const id of ids.slice(1, 3)) expect(await cached.get("Identity", id)).to.deep.equal({ id });
    expect(store.reads).to.equal(3);
  });

  it("stages blocks: reads see them at once, the store only after flush, in one write of the batch", async () => {
    const store = await indexedStore();
    // An entry bound of 1 cannot push staged changes out: they stay until written.
    const cached = new CachedEntityStore(store, 1);
    await cached.stageBlock({
      block: block(1),
      changes: ["0x01", "0x02"].map((id) => ({ entity: "Identity", id, data: { id } })),
    });
    await cached.stageBlock({ block: block(2), changes: [{ entity: "Identity", id: "0x01", data: null }] });
    expect(cached.stagedChanges).to.equal(3);
    expect(await cached.get("Identity", "0x01")).to.equal(null);
    expect(await cached.get("Identity", "0x02")).to.deep.equal({ id: "0x02" });
    expect(await cached.blockHash(1)).to.equal(block(1).hash);
    expect(await store.get("Identity", "0x02")).to.equal(null);
    expect(store.commits).to.have.length(1);

    await cached.flush();
    expect(cached.stagedChanges).to.equal(0);
    expect(store.commits.map((commit) => commit.block.number)).to.deep.equal([0, 1, 2]);
    expect(await store.get("Identity", "0x01", 1)).to.deep.equal({ id: "0x01" });
    expect(await store.get("Identity", "0x01")).to.equal(null);
    expect((await store.status()).head).to.deep.equal(block(2));
  });

  it("discards staged blocks: reads and block hashes fall back to what the store holds", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store);
    await cached.stageBlock({ block: block(1), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }] });
    await cached.discard();
    expect(cached.stagedChanges).to.equal(0);
    expect(await cached.get("Identity", "0x01")).to.equal(null);
    expect(await cached.blockHash(1)).to.equal(null);
    await cached.flush();
    expect(store.commits).to.have.length(1);
  });

  describe("writing in the background (startFlush)", () => {
    /** A store whose writes wait until `release` is called, or fail with `fail`. */
    class HeldStore extends MemoryEntityStore {
      #gate = HeldStore.#newGate();
      release = () => this.#gate.resolve();
      fail = (error: Error) => this.#gate.reject(error);
      override async commitBlocks(batch: readonly BlockChanges[]): Promise<void> {
        await this.#gate.promise;
        this.#gate = HeldStore.#newGate();
        return super.commitBlocks(batch);
      }
      static #newGate() {
        let resolve!: () => void;
        let reject!: (error: Error) => void;
        const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
        return { promise, resolve, reject };
      }
    }
    const identity = (id: string, n: number) => ({ entity: "Identity", id, data: { id, n } });

    it("answers reads and block hashes from the blocks being written, and waits for the write before the next", async () => {
      const store = new HeldStore();
      const cached = new CachedEntityStore(store, 1);
      await cached.stageBlock({ block: block(1), changes: [identity("0x01", 1), identity("0x02", 1)] });
      await cached.startFlush();
      await cached.stageBlock({ block: block(2), changes: [identity("0x02", 2)] });
      expect(cached.stagedChanges).to.equal(1);
      expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01", n: 1 });
      expect(await cached.get("Identity", "0x02")).to.deep.equal({ id: "0x02", n: 2 });
      expect(await cached.blockHash(1)).to.equal(block(1).hash);
      expect(store.commits).to.have.length(0);

      const second = cached.startFlush();
      store.release();
      await second;
      expect(store.commits.map((commit) => commit.block.number)).to.deep.equal([1]);
      store.release();
      await cached.flush();
      expect(store.commits.map((commit) => commit.block.number)).to.deep.equal([1, 2]);
      expect(await store.get("Identity", "0x02")).to.deep.equal({ id: "0x02", n: 2 });
    });

    it("throws a failed write's error at the next flush and forgets what was staged since", async () => {
      const store = new HeldStore();
      const cached = new CachedEntityStore(store);
      await cached.stageBlock({ block: block(1), changes: [identity("0x01", 1)] });
      await cached.startFlush();
      await cached.stageBlock({ block: block(2), changes: [identity("0x02", 2)] });
      store.fail(new Error("disk full"));
      const error = await cached.flush().catch((e: unknown) => e);
      expect((error as Error).message).to.equal("disk full");
      expect(cached.stagedChanges).to.equal(0);
      expect(await cached.get("Identity", "0x01")).to.equal(null);
      expect(await cached.get("Identity", "0x02")).to.equal(null);
      expect(await cached.blockHash(1)).to.equal(null);
      expect(store.commits).to.have.length(0);
    });
  });
});
