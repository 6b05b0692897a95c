/** The store's layout (a table per entity type, interfaces, subgraphs apart, restarts) and how stores are opened. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { EntityStoreError, openEntityStore, PostgresEntityStore, schemaNameFor } from "../src/store/index.ts";
import { postgresAvailable, startPostgres } from "@realdid/testkit/postgres";
import { describeOnEveryBackend, HASH, MODEL } from "./store-backends.ts";

describeOnEveryBackend("EntityStore layout", (ctx) => {
  it("keeps a table per entity type with the indexes its kind needs; interfaces have none", async () => {
    const store = await ctx.newStore();
    const tables = await ctx.driver.query<{ tablename: string }>(
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
        await ctx.driver.query<{ indexname: string }>(
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
    const store = await ctx.newStore();
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
    expect(found(children)).to.deep.equal(["0x01: OwnerChanged e1", "0x01: DelegateAdded e2", "0x02: OwnerChanged e3"]);
    expect(await store.entityCount()).to.equal(5);
  });

  it("reverts every entity type in one step: mutable versions reopen, immutable events go", async () => {
    const store = await ctx.newStore();
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
    ctx.subgraphNames.push(subgraphName);
    const schema = schemaNameFor(subgraphName);
    await ctx.driver.query(`CREATE SCHEMA "${schema}"`);
    await ctx.driver.query(`CREATE TABLE "${schema}".entity_versions (vid bigserial PRIMARY KEY, data jsonb)`);
    const store = new PostgresEntityStore(ctx.driver, subgraphName, MODEL);
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
    const tables = await ctx.driver.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = $1",
      [schema],
    );
    expect(tables.map((row) => row.tablename)).to.deep.equal(["entity_versions"]);
  });

  it("refuses entities of a type the subgraph schema does not have, and interfaces as written types", async () => {
    const store = await ctx.newStore();
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
    const first = await ctx.newStore();
    const second = await ctx.newStore();
    expect(first.layout.schema).to.not.equal(second.layout.schema);
    await first.commitBlocks([
      {
        block: { number: 1, hash: HASH(1) },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01" } }],
      },
    ]);
    expect(await second.get("Identity", "0x01")).to.equal(null);
    expect((await second.status()).head).to.equal(null);
    const rows = await ctx.driver.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${first.layout.table("Identity").qualified}`,
    );
    expect(Number(rows[0]?.n)).to.equal(1);
  });

  it("survives a restart: reopening the database finds the data, head and error", async () => {
    const subgraphName = `realdid/restart-${process.pid}`;
    const store = await ctx.newStore(subgraphName);
    await store.commitBlocks([
      {
        block: { number: 3, hash: HASH(3) },
        changes: [{ entity: "Identity", id: "0x01", data: { id: "0x01", owner: "0xaa" } }],
      },
    ]);
    await store.setFatalError({ message: "stopped", block: null, handler: null });
    await store.markSynced();
    await ctx.driver.close();

    ctx.driver = await ctx.backend.openDriver();
    const reopened = new PostgresEntityStore(ctx.driver, subgraphName, MODEL);
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
