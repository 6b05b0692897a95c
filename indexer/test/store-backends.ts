/**
 * What the store tests share: the schema they write, and a harness that runs a suite on every store backend (PGlite
 * with a data directory, and a throwaway Postgres server where one is installed), each test in its own subgraph
 * schema of one database.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { postgresAvailable, startPostgres } from "@realdid/testkit/postgres";

import {
  openPgliteDriver,
  openPostgresDriver,
  PostgresEntityStore,
  schemaNameFor,
  type SqlDriver,
} from "../src/store/index.ts";
import { parseSubgraphSchema } from "../src/schema/model.ts";

export const HASH = (n: number, fork = "a"): string => `0x${fork.repeat(2)}${n.toString(16).padStart(62, "0")}`;

/** The entity types the store tests write: mutable ones, immutable events behind an interface, every value kind. */
export const MODEL = parseSubgraphSchema(`
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

export interface Backend {
  /** Opens a connection to the same database every time it is called. */
  openDriver(): Promise<SqlDriver>;
  cleanup(): Promise<void>;
}

/** What a suite's tests use: the backend, its open connection (a test may reopen it) and fresh stores. */
export interface StoreContext {
  backend: Backend;
  driver: SqlDriver;
  /** A store in a subgraph schema of its own (dropped after the suite). */
  newStore(subgraphName?: string): Promise<PostgresEntityStore>;
  /** Subgraphs whose schemas are dropped after the suite. */
  subgraphNames: string[];
}

const BACKENDS: [string, () => Promise<Backend>][] = [
  [
    "PGlite (data directory)",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "realdid-store-"));
      return { openDriver: () => openPgliteDriver(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
];
if (postgresAvailable()) {
  BACKENDS.push([
    "a Postgres server (throwaway cluster)",
    async () => {
      const server = await startPostgres();
      return { openDriver: async () => openPostgresDriver(server.databaseUrl), cleanup: server.stop };
    },
  ]);
}

/** Registers `tests` as a suite `title` on every backend. */
export function describeOnEveryBackend(title: string, tests: (ctx: StoreContext) => void): void {
  for (const [name, makeBackend] of BACKENDS) {
    describe(`${title} on ${name}`, function () {
      this.timeout(60_000);
      let counter = 0;
      const ctx = {
        subgraphNames: [] as string[],
        async newStore(subgraphName = `realdid/test-${process.pid}-${++counter}`): Promise<PostgresEntityStore> {
          ctx.subgraphNames.push(subgraphName);
          const store = new PostgresEntityStore(ctx.driver, subgraphName, MODEL);
          await store.init();
          return store;
        },
      } as StoreContext;

      before(async () => {
        ctx.backend = await makeBackend();
        ctx.driver = await ctx.backend.openDriver();
      });

      after(async () => {
        for (const subgraphName of ctx.subgraphNames) {
          await ctx.driver.query(`DROP SCHEMA IF EXISTS "${schemaNameFor(subgraphName)}" CASCADE`);
        }
        await ctx.driver.close();
        await ctx.backend.cleanup();
      });

      tests(ctx);
    });
  }
}
