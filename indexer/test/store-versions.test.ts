/** The store's versions: commits and batches, reads at a block, reverts, status, on every backend. */
import { expect } from "chai";

import { EntityStoreError } from "../src/store/index.ts";
import { describeOnEveryBackend, HASH } from "./store-backends.ts";

describeOnEveryBackend("EntityStore versions", (ctx) => {
  it("starts empty, and init() is idempotent", async () => {
    const store = await ctx.newStore();
    await store.init();
    expect(await store.status()).to.deep.equal({ head: null, fatalError: null, synced: false });
    expect(await store.get("Identity", "0x01")).to.equal(null);
    expect(await store.blockHash(1)).to.equal(null);
  });

  it("commits versions and reads them at the latest block and back in time", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([
      {
        block: { number: 10, hash: HASH(10) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa", changed: "10" } },
          { entity: "Identity", id: "0x02", data: { id: "0x02", owner: "0xbb", changed: "10" } },
        ],
      },
    ]);
    await store.commitBlocks([
      {
        block: { number: 12, hash: HASH(12) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xcc", changed: "12" } },
          { entity: "Identity", id: "0x02", data: null },
        ],
      },
    ]);

    expect(await store.get("Identity", "0x01")).to.deep.equal({ id: "0x01", owner: "0xcc", changed: "12" });
    expect(await store.get("Identity", "0x02")).to.equal(null);
    expect(await store.get("Identity", "0x01", 9)).to.equal(null);
    expect(await store.get("Identity", "0x01", 10)).to.deep.equal({ id: "0x01", owner: "0xaa", changed: "10" });
    expect(await store.get("Identity", "0x01", 11)).to.deep.equal({ id: "0x01", owner: "0xaa", changed: "10" });
    expect(await store.get("Identity", "0x01", 12)).to.deep.equal({ id: "0x01", owner: "0xcc", changed: "12" });
    expect(await store.get("Identity", "0x02", 11)).to.deep.equal({ id: "0x02", owner: "0xbb", changed: "10" });
    expect(await store.get("Identity", "0x02", 12)).to.equal(null);
    expect(await store.get("Delegate", "0x01")).to.equal(null);
    expect(await store.blockHash(10)).to.equal(HASH(10));
    expect(await store.blockHash(11)).to.equal(null);
    expect(await store.status()).to.deep.equal({
      head: { number: 12, hash: HASH(12) },
      fatalError: null,
      synced: false,
    });
  });

  it("answers typed entity queries: by id (Bytes ids in any case), a filtered and ordered page, at a past block", async () => {
    const store = await ctx.newStore();
    const identity = (id: string, changed: string) => ({
      entity: "Identity",
      id,
      data: { id, owner: "0xaa", changed },
    });
    await store.commitBlocks([
      {
        block: { number: 1, hash: HASH(1) },
        changes: [identity("0x0a", "10"), identity("0x0b", "9"), identity("0x0c", "11")],
      },
    ]);
    await store.commitBlocks([{ block: { number: 2, hash: HASH(2) }, changes: [identity("0x0a", "1")] }]);
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
    const byId = await store.find({ kind: "ids", entity: "Identity", ids: ["0x0A", "0x0d"], block: null });
    expect(byId).to.deep.equal([{ entity: "Identity", id: "0x0a", data: { id: "0x0a", owner: "0xaa", changed: "1" } }]);
    const page = (block: number | null) =>
      store.find({
        kind: "page",
        entity: "Identity",
        block,
        page: {
          where: { kind: "compare", field: "changed", op: "gte", value: "5" },
          orderBy: { field: "changed" },
          direction: "desc",
          first: 10,
          skip: 0,
        },
      });
    expect(ids(await page(null))).to.deep.equal(["0x0c", "0x0b"]);
    expect(ids(await page(1))).to.deep.equal(["0x0c", "0x0a", "0x0b"]);
    const unknown = await store
      .find({ kind: "ids", entity: "Nothing", ids: ["x"], block: null })
      .catch((e: unknown) => e);
    expect(unknown).to.be.instanceOf(EntityStoreError);
  });

  it("lists the keys of the current entities in pages, removed ones left out", async () => {
    const store = await ctx.newStore();
    const ids = Array.from({ length: 7 }, (_, i) => `0x0${i}`);
    await store.commitBlocks([
      {
        block: { number: 1, hash: HASH(1) },
        changes: ids.map((id) => ({ entity: "Identity", id, data: { id } })),
      },
    ]);
    await store.commitBlocks([
      {
        block: { number: 2, hash: HASH(2) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } },
          { entity: "Identity", id: "0x02", data: null },
          { entity: "Delegate", id: "0x01", data: { id: "0x01" } },
        ],
      },
    ]);
    const pages = [];
    for await (const page of store.entityKeys(3)) pages.push(page);
    expect(pages.map((page) => page.length)).to.deep.equal([3, 3, 1]);
    const keys = pages.flat().map(({ entity, id }) => `${entity} ${id}`);
    expect(keys.sort()).to.deep.equal([
      "Delegate 0x01",
      ...ids.filter((id) => id !== "0x02").map((id) => `Identity ${id}`),
    ]);
  });

  it("keeps every JSON value kind intact", async () => {
    const store = await ctx.newStore();
    const data = { id: "a", n: 7, ok: false, none: null, list: ["0x01", "0x02"], nested: [[1], []], big: "-123" };
    await store.commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [{ entity: "Thing", id: "a", data }] }]);
    expect(await store.get("Thing", "a")).to.deep.equal(data);
  });

  it("rejects a block that is not after the head, and a block that changes an entity twice", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([{ block: { number: 5, hash: HASH(5) }, changes: [] }]);
    for (const number of [5, 4]) {
      const error = await store
        .commitBlocks([{ block: { number, hash: HASH(number, "b") }, changes: [] }])
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(EntityStoreError);
      expect((error as Error).message).to.equal(`block ${number} is not after the head block 5`);
    }
    const twice = await store
      .commitBlocks([
        {
          block: { number: 6, hash: HASH(6) },
          changes: [
            { entity: "Identity", id: "0x01", data: { id: "0x01" } },
            { entity: "Identity", id: "0x01", data: null },
          ],
        },
      ])
      .catch((e: unknown) => e);
    expect(twice).to.be.instanceOf(EntityStoreError);
    expect((twice as Error).message).to.equal("block 6 changes Identity 0x01 more than once");
    expect(await store.status()).to.deep.equal({
      head: { number: 5, hash: HASH(5) },
      fatalError: null,
      synced: false,
    });
    expect(await store.blockHash(6)).to.equal(null);
  });

  it("writes several blocks in one batch: an entity changed in several of them gets each version's range", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([
      {
        block: { number: 1, hash: HASH(1) },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } }],
      },
    ]);
    await store.commitBlocks([
      {
        block: { number: 2, hash: HASH(2) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xbb" } },
          { entity: "Identity", id: "0x02", data: { id: "0x02", owner: "0x22" } },
        ],
      },
      { block: { number: 3, hash: HASH(3) }, changes: [{ entity: "Identity", id: "0x02", data: null }] },
      {
        block: { number: 5, hash: HASH(5) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xcc" } },
          { entity: "Identity", id: "0x02", data: { id: "0x02", owner: "0x55" } },
        ],
      },
    ]);
    const at = (block?: number) =>
      Promise.all([store.get("Identity", "0x01", block), store.get("Identity", "0x02", block)]);
    expect(await at(1)).to.deep.equal([{ id: "0x01", owner: "0xaa" }, null]);
    expect(await at(2)).to.deep.equal([
      { id: "0x01", owner: "0xbb" },
      { id: "0x02", owner: "0x22" },
    ]);
    expect(await at(4)).to.deep.equal([{ id: "0x01", owner: "0xbb" }, null]);
    expect(await at()).to.deep.equal([
      { id: "0x01", owner: "0xcc" },
      { id: "0x02", owner: "0x55" },
    ]);
    expect(await store.blockHash(3)).to.equal(HASH(3));
    expect((await store.status()).head).to.deep.equal({ number: 5, hash: HASH(5) });
    // The batch's versions revert like any others.
    await store.revertTo(2);
    expect(await at()).to.deep.equal([
      { id: "0x01", owner: "0xbb" },
      { id: "0x02", owner: "0x22" },
    ]);
  });

  it("writes a batch atomically: a block out of order or a failing write leaves nothing of the batch", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [] }]);
    const changes = [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }];
    const outOfOrder = await store
      .commitBlocks([
        { block: { number: 3, hash: HASH(3) }, changes },
        { block: { number: 2, hash: HASH(2) }, changes: [] },
      ])
      .catch((e: unknown) => e);
    expect((outOfOrder as Error).message).to.equal("block 2 is not after the head block 3");
    const failing = await store
      .commitBlocks([
        { block: { number: 2, hash: HASH(2) }, changes },
        {
          block: { number: 3, hash: HASH(3) },
          changes: [{ entity: "Identity", id: "0x02", data: { id: "0x02", owner: "\u0000" } }],
        },
      ])
      .catch((e: unknown) => e);
    expect(failing).to.be.instanceOf(Error);
    expect(await store.get("Identity", "0x01")).to.equal(null);
    expect(await store.blockHash(2)).to.equal(null);
    expect((await store.status()).head).to.deep.equal({ number: 1, hash: HASH(1) });
  });

  it("applies a block atomically: a failing write leaves the previous state untouched", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([
      {
        block: { number: 1, hash: HASH(1) },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } }],
      },
    ]);
    // Postgres rejects NUL characters in jsonb, so the insert of the second entity fails after the first
    // entity's version was already closed inside the transaction.
    const error = await store
      .commitBlocks([
        {
          block: { number: 2, hash: HASH(2) },
          changes: [
            { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xbb" } },
            { entity: "Identity", id: "0x02", data: { id: "0x02", owner: "\u0000" } },
          ],
        },
      ])
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect(await store.get("Identity", "0x01")).to.deep.equal({ id: "0x01", owner: "0xaa" });
    expect(await store.get("Identity", "0x02")).to.equal(null);
    expect(await store.status()).to.deep.equal({
      head: { number: 1, hash: HASH(1) },
      fatalError: null,
      synced: false,
    });
    expect(await store.blockHash(2)).to.equal(null);
  });

  it("reverts to a fork point: newer versions go, closed versions reopen, block hashes and head follow", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([
      {
        block: { number: 1, hash: HASH(1) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } },
          { entity: "Identity", id: "0x02", data: { id: "0x02", owner: "0xbb" } },
        ],
      },
    ]);
    await store.commitBlocks([
      {
        block: { number: 2, hash: HASH(2) },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xa2" } }],
      },
    ]);
    await store.commitBlocks([
      {
        block: { number: 3, hash: HASH(3) },
        changes: [
          { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xa3" } },
          { entity: "Identity", id: "0x02", data: null },
          { entity: "Identity", id: "0x03", data: { id: "0x03", owner: "0xcc" } },
        ],
      },
    ]);

    await store.revertTo(2);
    expect(await store.get("Identity", "0x01")).to.deep.equal({ id: "0x01", owner: "0xa2" });
    expect(await store.get("Identity", "0x02")).to.deep.equal({ id: "0x02", owner: "0xbb" });
    expect(await store.get("Identity", "0x03")).to.equal(null);
    expect(await store.get("Identity", "0x01", 1)).to.deep.equal({ id: "0x01", owner: "0xaa" });
    expect(await store.blockHash(3)).to.equal(null);
    expect(await store.blockHash(2)).to.equal(HASH(2));
    expect(await store.status()).to.deep.equal({
      head: { number: 2, hash: HASH(2) },
      fatalError: null,
      synced: false,
    });

    // The other branch of the fork can now be indexed.
    await store.commitBlocks([
      {
        block: { number: 3, hash: HASH(3, "b") },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xb3" } }],
      },
    ]);
    expect(await store.get("Identity", "0x01")).to.deep.equal({ id: "0x01", owner: "0xb3" });
    expect(await store.get("Identity", "0x01", 2)).to.deep.equal({ id: "0x01", owner: "0xa2" });
    expect(await store.blockHash(3)).to.equal(HASH(3, "b"));
  });

  it("reverting below recorded blocks lands on the latest remaining block, or on no head at all", async () => {
    const store = await ctx.newStore();
    await store.commitBlocks([
      {
        block: { number: 5, hash: HASH(5) },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }],
      },
    ]);
    await store.commitBlocks([{ block: { number: 9, hash: HASH(9) }, changes: [] }]);
    await store.revertTo(7);
    expect((await store.status()).head).to.deep.equal({ number: 5, hash: HASH(5) });
    await store.revertTo(4);
    expect((await store.status()).head).to.equal(null);
    expect(await store.get("Identity", "0x01")).to.equal(null);
    await store.commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [] }]);
    expect((await store.status()).head).to.deep.equal({ number: 1, hash: HASH(1) });
  });

  it("records and clears a fatal indexing error with its block and handler", async () => {
    const store = await ctx.newStore();
    const failure = { message: "boom", block: { number: 7, hash: HASH(7) }, handler: "handleOwnerChanged" };
    await store.setFatalError(failure);
    expect(await store.status()).to.deep.equal({ head: null, fatalError: failure, synced: false });
    await store.setFatalError({ message: "no context", block: null, handler: null });
    expect((await store.status()).fatalError).to.deep.equal({ message: "no context", block: null, handler: null });
    await store.setFatalError(null);
    expect((await store.status()).fatalError).to.equal(null);
  });

  it("records that indexing reached the chain head, once and for good", async () => {
    const store = await ctx.newStore();
    await store.markSynced();
    await store.markSynced();
    expect((await store.status()).synced).to.equal(true);
  });

  it("keeps the entity count in the status row through creations, updates, removals, batches and reverts", async () => {
    const store = await ctx.newStore();
    const scanned = async () => {
      const [row] = await ctx.driver.query<{ n: string | number }>(`SELECT ${store.layout.countCurrent()} AS n`);
      return Number(row.n);
    };
    const expectCount = async (n: number) => {
      expect(await store.entityCount()).to.equal(n);
      expect(await scanned()).to.equal(n);
    };
    await expectCount(0);
    const identity = (owner: string) => ({ entity: "Identity", id: "0x01", data: { id: "0x01", owner } });
    const event = (id: string) => ({ entity: "OwnerChanged", id, data: { id, identity: "0x01", owner: "0xaa" } });
    await store.commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [identity("0xaa"), event("e1")] }]);
    await expectCount(2);
    // An update, a removal of something never stored, and in a batch: created then removed, removed then created.
    await store.commitBlocks([
      {
        block: { number: 2, hash: HASH(2) },
        changes: [identity("0xbb"), { entity: "Delegate", id: "none", data: null }, event("e2")],
      },
      { block: { number: 3, hash: HASH(3) }, changes: [{ entity: "Thing", id: "t", data: { id: "t" } }] },
      {
        block: { number: 4, hash: HASH(4) },
        changes: [
          { entity: "Thing", id: "t", data: null },
          { entity: "Identity", id: "0x01", data: null },
        ],
      },
      { block: { number: 5, hash: HASH(5) }, changes: [identity("0xcc")] },
    ]);
    await expectCount(3);
    await store.commitBlocks([{ block: { number: 6, hash: HASH(6) }, changes: [{ ...identity("0xcc"), data: null }] }]);
    await expectCount(2);
    await store.revertTo(1);
    await expectCount(2);
    await store.revertTo(0);
    await expectCount(0);
  });

  it("records the chain head it is given, for status APIs that answer from the database", async () => {
    const store = await ctx.newStore();
    expect(await store.chainHead()).to.equal(null);
    await store.recordChainHead({ number: 9, hash: HASH(9) });
    await store.recordChainHead({ number: 12, hash: HASH(12) });
    expect(await store.chainHead()).to.deep.equal({ number: 12, hash: HASH(12) });
  });
});
