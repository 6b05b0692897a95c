/**
 * The fixture the GraphQL query API suites share: a subgraph schema, three blocks of DID registry history, and
 * {@link describeQueryApi}, which runs a suite against that history in each store backend (PGlite, and a
 * throwaway Postgres server when one can be started).
 */
import { readFileSync } from "node:fs";

import { expect } from "chai";

import { createQueryExecutor, executeQuery, type GraphQLResponse, type QueryExecutor } from "../src/graphql/index.ts";
import { parseSubgraphSchema } from "../src/schema/model.ts";
import {
  openEntityStore,
  type BlockChanges,
  type EntityData,
  type EntityQuery,
  type SqlEntityStore,
} from "../src/store/index.ts";
import { postgresAvailable, startPostgres, type PostgresServer } from "@realdid/testkit/postgres";

export const SCHEMA = readFileSync(new URL("./fixtures/schema.graphql", import.meta.url), "utf8");
export const MODEL = parseSubgraphSchema(SCHEMA);
export const HASH = (n: number): string => `0x${n.toString(16).padStart(64, "0")}`;

export const A = "0xaa01";
export const B = "0xaa02";
export const C = "0xaa03";
export const ISSUER = "0x1550";

function identity(id: string, fields: Partial<EntityData>): BlockChanges["changes"][number] {
  return {
    entity: "Identity",
    id,
    data: {
      id,
      owner: "0x1111",
      changed: "0",
      deactivated: false,
      name: null,
      level: null,
      trust: null,
      tags: [],
      kind: "Person",
      controllers: null,
      ...fields,
    },
  };
}

const change = (entity: string, data: EntityData): BlockChanges["changes"][number] => ({
  entity,
  id: String(data.id),
  data,
});

/** Three blocks of DID registry history. */
const BLOCKS: BlockChanges[] = [
  {
    block: { number: 1, hash: HASH(1) },
    changes: [
      identity(A, { owner: "0x1111", changed: "100", name: "Alice", level: 2, trust: "1.5", tags: ["kyc", "Gold"] }),
      identity(B, {
        owner: "0x2222",
        changed: "20",
        name: "bob",
        level: 1,
        trust: "0.25",
        tags: ["kyc"],
        kind: "Organisation",
        controllers: [A],
      }),
      identity(C, { owner: "0x3333", changed: "3", deactivated: true, controllers: [A, B] }),
      change("OwnerChanged", { id: "0xe1", identity: A, owner: "0x1111", blockNumber: "1", transactionHash: "0xf1" }),
      change("Issuer", { id: ISSUER, name: "Public Security Bureau" }),
    ],
  },
  {
    block: { number: 2, hash: HASH(2) },
    changes: [
      identity(A, { owner: "0x4444", changed: "1000", name: "Alice", level: 2, trust: "1.5", tags: ["kyc", "Gold"] }),
      change("Delegate", { id: "d1", identity: A, delegateType: "0x01", delegate: "0xd1", validTo: "500" }),
      change("Delegate", { id: "d2", identity: A, delegateType: "0x02", delegate: "0xd2", validTo: "700" }),
      change("Delegate", { id: "d3", identity: B, delegateType: "0x01", delegate: "0xd3", validTo: "600" }),
      change("DelegateChanged", {
        id: "0xe2",
        identity: A,
        delegate: "0xd1",
        validTo: "500",
        blockNumber: "2",
        transactionHash: "0xf2",
      }),
      change("OwnerChanged", { id: "0xe3", identity: A, owner: "0x4444", blockNumber: "2", transactionHash: "0xf2" }),
      change("Attestation", { id: "0xa7", subject: A, issuer: ISSUER, level: 3, status: "s-1" }),
      change("Status", { id: "s-1", revoked: false }),
    ],
  },
  {
    block: { number: 3, hash: HASH(3), timestamp: 1_700_000_003 },
    changes: [{ entity: "Identity", id: C, data: null }, change("Status", { id: "s-1", revoked: true })],
  },
];

export const SUBGRAPH = "realdid/graphql-test";
type Backend = [name: string, open: () => Promise<SqlEntityStore>];
const BACKENDS: Backend[] = [["PGlite", () => openEntityStore({ subgraphName: SUBGRAPH, model: MODEL })]];
if (postgresAvailable()) {
  // One throwaway cluster for every suite, started when first needed and stopped once the run is over.
  let server: Promise<PostgresServer> | undefined;
  BACKENDS.push([
    "a Postgres server",
    async () => {
      server ??= startPostgres();
      return openEntityStore({ subgraphName: SUBGRAPH, model: MODEL, databaseUrl: (await server).databaseUrl });
    },
  ]);
  after(async () => (await server)?.stop());
}

/** What a suite gets: the executor and store over the fixture's history, and ways to query it. */
export interface QueryApi {
  readonly executor: QueryExecutor;
  readonly store: SqlEntityStore;
  /** Reads the GraphQL layer asked of the store, one statement each (to check batching); empty it before a query. */
  readonly statements: EntityQuery[];
  run(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** The data of a query that must succeed. */
  data(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The ids a collection query answers. */
  ids(collection: string, args: string): Promise<string[]>;
  /** The messages of a query that must fail without data. */
  errorMessages(query: string): Promise<string[]>;
}

/** Declares `body`'s tests once per store backend, over the fixture's history committed to a fresh store. */
export function describeQueryApi(title: string, body: (api: QueryApi) => void): void {
  for (const [backend, open] of BACKENDS)
    describe(`${title} (${backend})`, function () {
      this.timeout(60_000);
      let store: SqlEntityStore | undefined;
      let executor: QueryExecutor | undefined;
      const statements: EntityQuery[] = [];
      const run = (query: string, variables?: Record<string, unknown>) =>
        executeQuery(executor!, { query, variables: variables ?? null });
      const data = async (query: string, variables?: Record<string, unknown>) => {
        const response = await run(query, variables);
        expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
        return response.data!;
      };
      const api: QueryApi = {
        get executor() {
          return executor!;
        },
        get store() {
          return store!;
        },
        statements,
        run,
        data,
        async ids(collection, args) {
          const result = await data(`{ ${collection}${args === "" ? "" : `(${args})`} { id } }`);
          return (result[collection] as { id: string }[]).map((e) => e.id);
        },
        async errorMessages(query) {
          const response = await run(query);
          expect(response.data).to.equal(undefined);
          return (response.errors ?? []).map((e) => e.message);
        },
      };

      before(async () => {
        const opened = await open();
        // Start from an empty store: a Postgres server keeps the previous run's data.
        await opened.revertTo(-1);
        await opened.setFatalError(null);
        // Count the reads the GraphQL layer makes, to check that relations are batched.
        store = new Proxy(opened, {
          get(target, property, receiver) {
            if (property === "find") {
              return (query: EntityQuery) => {
                statements.push(query);
                return target.find(query);
              };
            }
            const value: unknown = Reflect.get(target, property, receiver);
            return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
          },
        });
        for (const block of BLOCKS) await store.commitBlocks([block]);
        executor = createQueryExecutor({ store, subgraphName: SUBGRAPH, deployment: "QmTest" });
      });

      after(async () => {
        await store?.close();
      });

      body(api);
    });
}
