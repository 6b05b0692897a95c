import { expect } from "chai";

import { CachedEntityStore } from "../src/store/cache.ts";
import type { EntityData, EntityStore } from "../src/store/types.ts";

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
  await store.commitBlock({ block: block(0), changes: [] });
  return store;
}

describe("CachedEntityStore", () => {
  it("answers repeated reads without asking the store again, and removals from memory", async () => {
    const store = await indexedStore();
    await store.commitBlock({ block: block(1), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }] });
    const cached = new CachedEntityStore(store);
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01" });
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01" });
    await cached.commitBlock({ block: block(2), changes: [{ entity: "Identity", id: "0x01", data: null }] });
    expect(await cached.get("Identity", "0x01")).to.equal(null);
    expect(store.reads).to.equal(1);
  });

  it("sees committed blocks and hands out copies", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store);
    await cached.get("Identity", "0x01");
    await cached.commitBlock({
      block: block(1),
      changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", n: 1 } }],
    });
    const first = await cached.get("Identity", "0x01");
    expect(first).to.deep.equal({ id: "0x01", n: 1 });
    first!.n = 99;
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01", n: 1 });
    expect(store.reads).to.equal(0);
  });

  it("keeps its old answer when a commit fails, and forgets everything on a revert", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store);
    await cached.commitBlock({
      block: block(2),
      changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", n: 2 } }],
    });
    // A commit that does not advance the head is refused by the store: the cache must not take it either.
    const refused = await cached
      .commitBlock({ block: block(2), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", n: 3 } }] })
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
    await cached.commitBlock({ block: block(1), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }] });
    await cached.commitBlock({
      block: block(2),
      changes: [
        { entity: "Identity", id: "0x02", data: { id: "0x02" } },
        { entity: "Identity", id: "0x03", data: { id: "0x03" } },
      ],
    });
    for (let i = 4; i < 100; i += 1) expect(await cached.get("Identity", `0x${i.toString(16)}`)).to.equal(null);
    expect(store.reads).to.equal(0);
    // 0x01 was evicted: the cache asks the store.
    expect(await cached.get("Identity", "0x01")).to.deep.equal({ id: "0x01" });
    expect(store.reads).to.equal(1);
  });

  it("knows after a restart which entities the store holds: it reads those, and no others", async () => {
    const store = await indexedStore();
    const stored = Array.from({ length: 50 }, (_, i) => ({ entity: "Identity", id: `0x${i}`, data: { id: `0x${i}` } }));
    await store.commitBlock({ block: block(1), changes: stored });
    const restarted = new CachedEntityStore(store);
    for (const { id } of stored) expect(await restarted.get("Identity", id)).to.deep.equal({ id });
    for (const { id } of stored) expect(await restarted.get("Attestation", id)).to.equal(null);
    expect(store.reads).to.equal(stored.length);
  });

  it("reads past blocks from the store and evicts the least recently used entry", async () => {
    const store = await indexedStore();
    const cached = new CachedEntityStore(store, 2);
    await cached.commitBlock({ block: block(1), changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }] });
    await cached.commitBlock({
      block: block(2),
      changes: ["0x02", "0x03"].map((id) => ({ entity: "Identity", id, data: { id } })),
    });
    expect(await cached.get("Identity", "0x01", 1)).to.deep.equal({ id: "0x01" });
    expect(store.reads).to.equal(1);
    await cached.get("Identity", "0x02");
    await cached.get("Identity", "0x03");
    await cached.get("Identity", "0x01");
    expect(store.reads).to.equal(2);
  });
});
