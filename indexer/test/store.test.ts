import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import {
  EntityStoreError,
  openEntityStore,
  openPgliteDriver,
  openPostgresDriver,
  PostgresEntityStore,
  schemaNameFor,
  type SqlDriver,
} from "../src/store/index.ts";
import { parseSubgraphSchema } from "../src/schema/model.ts";
import { postgresAvailable, startPostgres } from "@realdid/testkit/postgres";

const HASH = (n: number, fork = "a"): string => `0x${fork.repeat(2)}${n.toString(16).padStart(62, "0")}`;

/** The entity types the store tests write: mutable ones, immutable events behind an interface, every value kind. */
const MODEL = parseSubgraphSchema(`
  type Identity @entity {
    id: Bytes!
    owner: Bytes
    changed: BigInt
    events: [IdentityEvent!]! @derivedFrom(field: "identity")
  }
  type Delegate @entity { id: ID! identity: Identity }
  interface IdentityEvent { id: ID! identity: Identity! }
  type OwnerChanged implements IdentityEvent @entity(immutable: true) { id: ID! identity: Identity! owner: Bytes! }
  type DelegateAdded implements IdentityEvent @entity(immutable: true) { id: ID! identity: Identity! delegate: Bytes! }
  type Thing @entity { id: ID! n: Int ok: Boolean none: String list: [Bytes!] nested: [String!] big: BigInt }
`);

interface Backend {
  /** Opens a connection to the same database every time it is called. */
  openDriver(): Promise<SqlDriver>;
  cleanup(): Promise<void>;
}

/** Behaviour every store backend must show; each test works in its own subgraph schema of one database. */
function shouldBehaveLikeEntityStore(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`EntityStore on ${name}`, function () {
    this.timeout(60_000);
    let backend: Backend;
    let driver: SqlDriver;
    let counter = 0;
    const subgraphNames: string[] = [];

    async function newStore(subgraphName = `realdid/test-${process.pid}-${++counter}`): Promise<PostgresEntityStore> {
      subgraphNames.push(subgraphName);
      const store = new PostgresEntityStore(driver, subgraphName, MODEL);
      await store.init();
      return store;
    }

    before(async () => {
      backend = await makeBackend();
      driver = await backend.openDriver();
    });

    after(async () => {
      for (const subgraphName of subgraphNames) {
        await driver.query(`DROP SCHEMA IF EXISTS "${schemaNameFor(subgraphName)}" CASCADE`);
      }
      await driver.close();
      await backend.cleanup();
    });

    it("starts empty, and init() is idempotent", async () => {
      const store = await newStore();
      await store.init();
      expect(await store.status()).to.deep.equal({ head: null, fatalError: null, synced: false });
      expect(await store.get("Identity", "0x01")).to.equal(null);
      expect(await store.blockHash(1)).to.equal(null);
    });

    it("commits versions and reads them at the latest block and back in time", async () => {
      const store = await newStore();
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
      const store = await newStore();
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
      expect(byId).to.deep.equal([
        { entity: "Identity", id: "0x0a", data: { id: "0x0a", owner: "0xaa", changed: "1" } },
      ]);
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
      const store = await newStore();
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
      const store = await newStore();
      const data = { id: "a", n: 7, ok: false, none: null, list: ["0x01", "0x02"], nested: [[1], []], big: "-123" };
      await store.commitBlocks([
        { block: { number: 1, hash: HASH(1) }, changes: [{ entity: "Thing", id: "a", data }] },
      ]);
      expect(await store.get("Thing", "a")).to.deep.equal(data);
    });

    it("rejects a block that is not after the head, and a block that changes an entity twice", async () => {
      const store = await newStore();
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
      const store = await newStore();
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
      const store = await newStore();
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
      const store = await newStore();
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
      const store = await newStore();
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
      const store = await newStore();
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
      const store = await newStore();
      const failure = { message: "boom", block: { number: 7, hash: HASH(7) }, handler: "handleOwnerChanged" };
      await store.setFatalError(failure);
      expect(await store.status()).to.deep.equal({ head: null, fatalError: failure, synced: false });
      await store.setFatalError({ message: "no context", block: null, handler: null });
      expect((await store.status()).fatalError).to.deep.equal({ message: "no context", block: null, handler: null });
      await store.setFatalError(null);
      expect((await store.status()).fatalError).to.equal(null);
    });

    it("records that indexing reached the chain head, once and for good", async () => {
      const store = await newStore();
      await store.markSynced();
      await store.markSynced();
      expect((await store.status()).synced).to.equal(true);
    });

    it("keeps the entity count in the status row through creations, updates, removals, batches and reverts", async () => {
      const store = await newStore();
      const scanned = async () => {
        const [row] = await driver.query<{ n: string | number }>(`SELECT ${store.layout.countCurrent()} AS n`);
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
      await store.commitBlocks([
        { block: { number: 6, hash: HASH(6) }, changes: [{ ...identity("0xcc"), data: null }] },
      ]);
      await expectCount(2);
      await store.revertTo(1);
      await expectCount(2);
      await store.revertTo(0);
      await expectCount(0);
    });

    it("records the chain head it is given, for status APIs that answer from the database", async () => {
      const store = await newStore();
      expect(await store.chainHead()).to.equal(null);
      await store.recordChainHead({ number: 9, hash: HASH(9) });
      await store.recordChainHead({ number: 12, hash: HASH(12) });
      expect(await store.chainHead()).to.deep.equal({ number: 12, hash: HASH(12) });
    });

    it("keeps a table per entity type with the indexes its kind needs; interfaces have none", async () => {
      const store = await newStore();
      const tables = await driver.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename",
        [store.layout.schema],
      );
      expect(tables.map((row) => row.tablename)).to.deep.equal([
        "blocks$",
        "delegate",
        "delegate_added",
        "identity",
        "owner_changed",
        "status$",
        "thing",
      ]);
      const indexes = async (table: string) =>
        (
          await driver.query<{ indexname: string }>(
            "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname",
            [store.layout.schema, table],
          )
        ).map((row) => row.indexname.replace(/_[0-9a-f]{6}$/, "_<hash>"));
      // Mutable: the current version by id, versions by id and block for time travel, closed versions for reverts.
      expect(await indexes("delegate")).to.deep.equal([
        "delegate_block_from",
        "delegate_block_to",
        "delegate_id_current",
        "delegate_id_range",
        "delegate_identity_<hash>",
        "delegate_pkey",
      ]);
      // Immutable: written once, never closed.
      expect(await indexes("owner_changed")).to.deep.equal([
        "owner_changed_block_from",
        "owner_changed_id",
        "owner_changed_identity_<hash>",
        "owner_changed_pkey",
      ]);
    });

    it("reads an interface across its implementations' tables, as children too, and back in time", async () => {
      const store = await newStore();
      const identity = (id: string) => ({ entity: "Identity", id, data: { id } });
      const event = (entity: string, id: string, of: string) => ({
        entity,
        id,
        data: { id, identity: of, ...(entity === "OwnerChanged" ? { owner: "0xaa" } : { delegate: "0xbb" }) },
      });
      await store.commitBlocks([
        {
          block: { number: 1, hash: HASH(1) },
          changes: [identity("0x01"), identity("0x02"), event("OwnerChanged", "e1", "0x01")],
        },
      ]);
      await store.commitBlocks([
        {
          block: { number: 2, hash: HASH(2) },
          changes: [event("DelegateAdded", "e2", "0x01"), event("OwnerChanged", "e3", "0x02")],
        },
      ]);
      const page = { where: null, orderBy: null, direction: "asc", first: 10, skip: 0 } as const;
      const found = (rows: { entity: string; id: string; parent?: string }[]) =>
        rows.map(({ entity, id, parent }) => (parent === undefined ? `${entity} ${id}` : `${parent}: ${entity} ${id}`));
      expect(found(await store.find({ kind: "page", entity: "IdentityEvent", page, block: null }))).to.deep.equal([
        "OwnerChanged e1",
        "DelegateAdded e2",
        "OwnerChanged e3",
      ]);
      expect(found(await store.find({ kind: "page", entity: "IdentityEvent", page, block: 1 }))).to.deep.equal([
        "OwnerChanged e1",
      ]);
      const filtered = await store.find({
        kind: "page",
        entity: "IdentityEvent",
        page: { ...page, where: { kind: "compare", field: "identity", op: "", value: "0x01" }, direction: "desc" },
        block: null,
      });
      expect(found(filtered)).to.deep.equal(["DelegateAdded e2", "OwnerChanged e1"]);
      const parents = new Map<string, unknown>([
        ["0x01", null],
        ["0x02", null],
      ]);
      const children = await store.find({
        kind: "children",
        entity: "Identity",
        field: "events",
        parents,
        page,
        block: null,
      });
      expect(found(children)).to.deep.equal([
        "0x01: OwnerChanged e1",
        "0x01: DelegateAdded e2",
        "0x02: OwnerChanged e3",
      ]);
      expect(await store.entityCount()).to.equal(5);
    });

    it("reverts every entity type in one step: mutable versions reopen, immutable events go", async () => {
      const store = await newStore();
      await store.commitBlocks([
        {
          block: { number: 1, hash: HASH(1) },
          changes: [
            { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } },
            { entity: "Delegate", id: "d1", data: { id: "d1", identity: "0x01" } },
            { entity: "OwnerChanged", id: "e1", data: { id: "e1", identity: "0x01", owner: "0xaa" } },
          ],
        },
      ]);
      await store.commitBlocks([
        {
          block: { number: 2, hash: HASH(2) },
          changes: [
            { entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xbb" } },
            { entity: "Delegate", id: "d1", data: null },
            { entity: "Delegate", id: "d2", data: { id: "d2", identity: "0x01" } },
            { entity: "OwnerChanged", id: "e2", data: { id: "e2", identity: "0x01", owner: "0xbb" } },
            { entity: "Thing", id: "t", data: { id: "t", n: 1 } },
          ],
        },
      ]);
      await store.revertTo(1);
      expect(await store.get("Identity", "0x01")).to.deep.equal({ id: "0x01", owner: "0xaa" });
      expect(await store.get("Delegate", "d1")).to.deep.equal({ id: "d1", identity: "0x01" });
      expect(await store.get("Delegate", "d2")).to.equal(null);
      expect(await store.get("OwnerChanged", "e1")).to.deep.equal({ id: "e1", identity: "0x01", owner: "0xaa" });
      expect(await store.get("OwnerChanged", "e2")).to.equal(null);
      expect(await store.get("Thing", "t")).to.equal(null);
      const keys = [];
      for await (const page of store.entityKeys()) keys.push(...page.map(({ entity, id }) => `${entity} ${id}`));
      expect(keys.sort()).to.deep.equal(["Delegate d1", "Identity 0x01", "OwnerChanged e1"]);
      expect((await store.status()).head).to.deep.equal({ number: 1, hash: HASH(1) });
    });

    it("refuses a database holding the earlier one-table layout, naming what to do, and changes nothing", async () => {
      const subgraphName = `realdid/old-layout-${process.pid}`;
      subgraphNames.push(subgraphName);
      const schema = schemaNameFor(subgraphName);
      await driver.query(`CREATE SCHEMA "${schema}"`);
      await driver.query(`CREATE TABLE "${schema}".entity_versions (vid bigserial PRIMARY KEY, data jsonb)`);
      const store = new PostgresEntityStore(driver, subgraphName, MODEL);
      const refused = await store.init().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(EntityStoreError);
      expect((refused as Error).message).to.equal(
        `the database holds this subgraph in an earlier layout (one table "${schema}".entity_versions for every ` +
          `entity type), which this indexer does not read: index it again into a fresh database — delete the ` +
          `PGlite data directory (--db), or on a Postgres server run DROP SCHEMA "${schema}" CASCADE`,
      );
      const tables = await driver.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = $1",
        [schema],
      );
      expect(tables.map((row) => row.tablename)).to.deep.equal(["entity_versions"]);
    });

    it("refuses entities of a type the subgraph schema does not have, and interfaces as written types", async () => {
      const store = await newStore();
      for (const [entity, message] of [
        ["Nothing", "entity type Nothing is not in the subgraph schema"],
        ["IdentityEvent", "IdentityEvent is an interface: its entities are stored as one of its implementations"],
      ]) {
        const refused = await store
          .commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [{ entity, id: "x", data: { id: "x" } }] }])
          .catch((e: unknown) => e);
        expect(refused).to.be.instanceOf(EntityStoreError);
        expect((refused as Error).message).to.equal(message);
      }
      expect((await store.status()).head).to.equal(null);
    });

    it("keeps two subgraphs in one database apart", async () => {
      const first = await newStore();
      const second = await newStore();
      expect(first.layout.schema).to.not.equal(second.layout.schema);
      await first.commitBlocks([
        {
          block: { number: 1, hash: HASH(1) },
          changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }],
        },
      ]);
      expect(await second.get("Identity", "0x01")).to.equal(null);
      expect((await second.status()).head).to.equal(null);
      const rows = await driver.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM ${first.layout.table("Identity").qualified}`,
      );
      expect(Number(rows[0]?.n)).to.equal(1);
    });

    it("survives a restart: reopening the database finds the data, head and error", async () => {
      const subgraphName = `realdid/restart-${process.pid}`;
      const store = await newStore(subgraphName);
      await store.commitBlocks([
        {
          block: { number: 3, hash: HASH(3) },
          changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } }],
        },
      ]);
      await store.setFatalError({ message: "stopped", block: null, handler: null });
      await store.markSynced();
      await driver.close();

      driver = await backend.openDriver();
      const reopened = new PostgresEntityStore(driver, subgraphName, MODEL);
      await reopened.init();
      expect(await reopened.get("Identity", "0x01")).to.deep.equal({ id: "0x01", owner: "0xaa" });
      expect(await reopened.status()).to.deep.equal({
        head: { number: 3, hash: HASH(3) },
        fatalError: { message: "stopped", block: null, handler: null },
        synced: true,
      });
      expect(await reopened.blockHash(3)).to.equal(HASH(3));
    });
  });
}

shouldBehaveLikeEntityStore("PGlite (data directory)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "realdid-store-"));
  return { openDriver: () => openPgliteDriver(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

if (postgresAvailable()) {
  shouldBehaveLikeEntityStore("a Postgres server (throwaway cluster)", async () => {
    const server = await startPostgres();
    return { openDriver: async () => openPostgresDriver(server.databaseUrl), cleanup: server.stop };
  });
}

describe("schemaNameFor", () => {
  it("derives a valid, distinct Postgres identifier per subgraph name", () => {
    const names = ["realdid/did-registry", "realdid_did/registry", "RealDID/DID-Registry", "x".repeat(200)];
    const schemas = names.map(schemaNameFor);
    expect(new Set(schemas).size).to.equal(names.length);
    for (const schema of schemas) expect(schema).to.match(/^sg_[a-z0-9_]{1,56}_[0-9a-f]{8}$/);
    expect(schemas[0]).to.match(/^sg_realdid_did_registry_[0-9a-f]{8}$/);
    expect(schemaNameFor("realdid/did-registry")).to.equal(schemas[0]);
  });

  it("rejects an empty subgraph name", () => {
    expect(() => schemaNameFor("")).to.throw(EntityStoreError, "subgraph name must not be empty");
  });
});

describe("openEntityStore", function () {
  this.timeout(60_000);

  it("opens an initialised in-memory PGlite store when given neither a URL nor a directory", async () => {
    const store = await openEntityStore({ subgraphName: "realdid/memory", model: MODEL });
    try {
      expect(await store.status()).to.deep.equal({ head: null, fatalError: null, synced: false });
      expect((store as PostgresEntityStore).layout.schema).to.equal(schemaNameFor("realdid/memory"));
    } finally {
      await store.close();
    }
  });

  it("creates a PGlite database in a new directory (apart, in a child process), and names a directory it cannot use", async () => {
    const dir = await mkdtemp(join(tmpdir(), "realdid-store-"));
    try {
      const dataDir = join(dir, "db");
      const store = await openEntityStore({ subgraphName: "realdid/created", model: MODEL, dataDir });
      await store.commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [] }]);
      await store.close();
      const reopened = await openEntityStore({ subgraphName: "realdid/created", model: MODEL, dataDir });
      expect((await reopened.status()).head).to.deep.equal({ number: 1, hash: HASH(1) });
      await reopened.close();

      const file = join(dir, "not-a-directory");
      await writeFile(file, "x");
      const error = await openEntityStore({ subgraphName: "realdid/file", model: MODEL, dataDir: file }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).to.contain(`creating the PGlite database in ${file} failed`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a read-only store without a Postgres server (PGlite has one process)", async () => {
    const refused = await openEntityStore({ subgraphName: "realdid/read-only", model: MODEL, readOnly: true }).then(
      () => null,
      (error: Error) => error,
    );
    expect(refused).to.be.instanceOf(EntityStoreError);
    expect(refused?.message).to.equal(
      "a read-only store needs a Postgres server (databaseUrl): PGlite has one process",
    );
  });

  it("opens a read-only store on a Postgres server: it creates nothing, writes nothing, reads the writer's head", async function () {
    if (!postgresAvailable()) this.skip();
    const server = await startPostgres();
    const options = { subgraphName: "realdid/read-only", model: MODEL, databaseUrl: server.databaseUrl };
    try {
      const early = await openEntityStore({ ...options, readOnly: true }).then(
        () => null,
        (error: Error) => error,
      );
      expect(early?.message).to.match(
        /^subgraph realdid\/read-only has no tables in this database yet \(.*\): start its index node first$/,
      );

      const writer = await openEntityStore(options);
      const reader = await openEntityStore({ ...options, readOnly: true });
      try {
        await writer.commitBlocks([{ block: { number: 1, hash: HASH(1) }, changes: [] }]);
        expect((await reader.status()).head).to.deep.equal({ number: 1, hash: HASH(1) });
        for (const write of [
          () => reader.commitBlocks([{ block: { number: 2, hash: HASH(2) }, changes: [] }]),
          () => reader.markSynced(),
          () => reader.init(),
        ]) {
          const refused = await write().then(
            () => null,
            (error: Error) => error,
          );
          expect(refused?.message).to.match(/read-only transaction/);
        }
        expect(await writer.status()).to.deep.equal({
          head: { number: 1, hash: HASH(1) },
          fatalError: null,
          synced: false,
        });
      } finally {
        await reader.close();
        await writer.close();
      }
    } finally {
      await server.stop();
    }
  });
});
