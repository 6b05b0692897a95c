import { readFileSync } from "node:fs";

import { expect } from "chai";
import { GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType } from "graphql";

import {
  createQueryExecutor,
  executeQuery,
  queryFieldNames,
  SubgraphSchemaError,
  type GraphQLResponse,
  type QueryExecutor,
} from "../src/graphql/index.js";
import { openEntityStore, type BlockChanges, type EntityData, type SqlEntityStore } from "../src/store/index.js";
import { postgresAvailable, startPostgres, type PostgresServer } from "../../test/subgraph/postgres.js";

const SCHEMA = readFileSync(new URL("./fixtures/schema.graphql", import.meta.url), "utf8");
const HASH = (n: number): string => `0x${n.toString(16).padStart(64, "0")}`;

const A = "0xaa01";
const B = "0xaa02";
const C = "0xaa03";
const ISSUER = "0x1550";

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

const SUBGRAPH = "realdid/graphql-test";
type Backend = [name: string, open: () => Promise<SqlEntityStore>];
const BACKENDS: Backend[] = [["PGlite", () => openEntityStore({ subgraphName: SUBGRAPH })]];
if (postgresAvailable()) {
  // A throwaway cluster, started by the suite and stopped once the run is over.
  let server: PostgresServer | undefined;
  BACKENDS.push([
    "a Postgres server",
    async () => {
      server = await startPostgres();
      return openEntityStore({ subgraphName: SUBGRAPH, databaseUrl: server.databaseUrl });
    },
  ]);
  after(() => server?.stop());
}

for (const [backend, open] of BACKENDS)
  describe(`GraphQL query API (graph-node compatible) on ${backend}`, function () {
    this.timeout(60_000);
    let store: SqlEntityStore;
    let executor: QueryExecutor;
    let statements: string[];

    async function run(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
      return executeQuery(executor, { query, variables: variables ?? null });
    }

    async function data(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
      const response = await run(query, variables);
      expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
      return response.data!;
    }

    async function ids(collection: string, args: string): Promise<string[]> {
      const result = await data(`{ ${collection}${args === "" ? "" : `(${args})`} { id } }`);
      return (result[collection] as { id: string }[]).map((e) => e.id);
    }

    async function errorMessages(query: string): Promise<string[]> {
      const response = await run(query);
      expect(response.data).to.equal(undefined);
      return (response.errors ?? []).map((e) => e.message);
    }

    before(async () => {
      const opened = await open();
      // Start from an empty store: a Postgres server keeps the previous run's data.
      await opened.revertTo(-1);
      await opened.setFatalError(null);
      statements = [];
      // Count the SQL statements the GraphQL layer issues, to check that relations are batched.
      store = new Proxy(opened, {
        get(target, property, receiver) {
          if (property === "query") {
            return (sql: string, params?: unknown[]) => {
              statements.push(sql);
              return target.query(sql, params);
            };
          }
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      for (const block of BLOCKS) await store.commitBlock(block);
      executor = createQueryExecutor({ store, schemaSdl: SCHEMA, subgraphName: SUBGRAPH, deployment: "QmTest" });
    });

    after(async () => {
      await store.close();
    });

    describe("schema", () => {
      it("names root fields like graph-node (Inflector camel case and plural)", () => {
        expect(queryFieldNames("Identity")).to.deep.equal({ singular: "identity", plural: "identities" });
        expect(queryFieldNames("Attestation")).to.deep.equal({ singular: "attestation", plural: "attestations" });
        expect(queryFieldNames("Status")).to.deep.equal({ singular: "status", plural: "statuses" });
        expect(queryFieldNames("Delegate")).to.deep.equal({ singular: "delegate", plural: "delegates" });
        expect(queryFieldNames("DelegateChanged")).to.deep.equal({
          singular: "delegateChanged",
          plural: "delegateChangeds",
        });
        expect(queryFieldNames("DIDOwnerChanged")).to.deep.equal({
          singular: "didownerChanged",
          plural: "didownerChangeds",
        });
        expect(queryFieldNames("Address")).to.deep.equal({ singular: "address", plural: "addresses" });
        expect(queryFieldNames("Stats")).to.deep.equal({ singular: "stats", plural: "stats_collection" });
        // Inflector's rules are case-sensitive: `Person` misses the lowercase `person` → `people` rule.
        expect(queryFieldNames("Person")).to.deep.equal({ singular: "person", plural: "persons" });
        expect(queryFieldNames("Box")).to.deep.equal({ singular: "box", plural: "boxes" });
        expect(queryFieldNames("Registry")).to.deep.equal({ singular: "registry", plural: "registries" });
        expect(queryFieldNames("Key")).to.deep.equal({ singular: "key", plural: "keys" });
      });

      it("generates root fields with graph-node's arguments and defaults", () => {
        const query = executor.schema.getQueryType()!;
        const fields = query.getFields();
        expect(Object.keys(fields)).to.include.members([
          "identity",
          "identities",
          "statuses",
          "ownerChangeds",
          "identityEvent",
          "identityEvents",
          "_meta",
        ]);
        const identities = fields.identities!;
        expect(String(identities.type)).to.equal("[Identity!]!");
        expect(
          identities.args.map(
            (a) => `${a.name}: ${String(a.type)}${a.defaultValue === undefined ? "" : ` = ${String(a.defaultValue)}`}`,
          ),
        ).to.deep.equal([
          "skip: Int = 0",
          "first: Int = 100",
          "orderBy: Identity_orderBy",
          "orderDirection: OrderDirection",
          "where: Identity_filter",
          "block: Block_height",
          "subgraphError: _SubgraphErrorPolicy_! = deny",
        ]);
        expect(fields.identity!.args.map((a) => `${a.name}: ${String(a.type)}`)).to.deep.equal([
          "id: ID!",
          "block: Block_height",
          "subgraphError: _SubgraphErrorPolicy_!",
        ]);
        const delegates = (executor.schema.getType("Identity") as GraphQLObjectType).getFields().delegates!;
        expect(delegates.args.map((a) => a.name)).to.deep.equal([
          "skip",
          "first",
          "orderBy",
          "orderDirection",
          "where",
        ]);
      });

      it("generates filter inputs per field type and orderBy enums with child fields", () => {
        const filter = (executor.schema.getType("Identity_filter") as GraphQLInputObjectType).getFields();
        const keys = Object.keys(filter);
        expect(keys.filter((k) => k.startsWith("owner"))).to.deep.equal([
          "owner",
          "owner_not",
          "owner_gt",
          "owner_lt",
          "owner_gte",
          "owner_lte",
          "owner_in",
          "owner_not_in",
          "owner_contains",
          "owner_not_contains",
        ]);
        expect(keys.filter((k) => k.startsWith("name"))).to.have.length(20);
        expect(keys.filter((k) => k.startsWith("deactivated"))).to.deep.equal([
          "deactivated",
          "deactivated_not",
          "deactivated_in",
          "deactivated_not_in",
        ]);
        expect(keys.filter((k) => k.startsWith("kind"))).to.deep.equal(["kind", "kind_not", "kind_in", "kind_not_in"]);
        expect(keys.filter((k) => k.startsWith("tags"))).to.deep.equal([
          "tags",
          "tags_not",
          "tags_contains",
          "tags_contains_nocase",
          "tags_not_contains",
          "tags_not_contains_nocase",
        ]);
        expect(keys.filter((k) => k.startsWith("delegates"))).to.deep.equal(["delegates_"]);
        expect(String(filter.owner_in!.type)).to.equal("[Bytes!]");
        expect(String(filter.controllers!.type)).to.equal("[String!]");
        expect(keys.slice(-3)).to.deep.equal(["_change_block", "and", "or"]);

        const orderBy = (executor.schema.getType("Delegate_orderBy") as GraphQLEnumType).getValues().map((v) => v.name);
        expect(orderBy).to.include.members(["id", "identity", "identity__owner", "identity__changed", "validTo"]);
        expect(orderBy).to.not.include("identity__delegates");
        expect(orderBy).to.not.include("identity__controllers");
      });

      it("rejects schemas it cannot serve", () => {
        const bad = (sdl: string) => () => createQueryExecutor({ store, schemaSdl: sdl, subgraphName: "x" });
        expect(bad("type A @entity { name: String }")).to.throw(SubgraphSchemaError, "A needs an `id` field");
        expect(bad("type A @entity { id: ID!, when: Date }")).to.throw(
          SubgraphSchemaError,
          "A.when has unknown type Date",
        );
        expect(
          bad('type A @entity { id: ID!, bs: [B!]! @derivedFrom(field: "nope") }\ntype B @entity { id: ID! }'),
        ).to.throw(SubgraphSchemaError, "A.bs is derived from B.nope, which is not a reference");
      });
    });

    describe("single entities and collections", () => {
      it("reads an entity by id, Bytes ids case-insensitively, and null for unknown ids", async () => {
        expect(
          await data(`{ identity(id: "0xAA01") { id owner changed deactivated name level trust tags kind } }`),
        ).to.deep.equal({
          identity: {
            id: A,
            owner: "0x4444",
            changed: "1000",
            deactivated: false,
            name: "Alice",
            level: 2,
            trust: "1.5",
            tags: ["kyc", "Gold"],
            kind: "Person",
          },
        });
        expect(await data(`{ identity(id: "0xdead") { id } status(id: "s-1") { id revoked } }`)).to.deep.equal({
          identity: null,
          status: { id: "s-1", revoked: true },
        });
      });

      it("lists a collection ordered by id, paged with first and skip", async () => {
        expect(await ids("identities", "")).to.deep.equal([A, B]);
        expect(await ids("identities", "first: 1")).to.deep.equal([A]);
        expect(await ids("identities", "first: 1, skip: 1")).to.deep.equal([B]);
        expect(await ids("identities", "skip: 2")).to.deep.equal([]);
        expect(await ids("delegates", "orderDirection: desc")).to.deep.equal(["d3", "d2", "d1"]);
      });

      it("passes variables through", async () => {
        const result = await data(
          `query($who: ID!, $n: Int) { identity(id: $who) { id } identities(first: $n) { id } }`,
          {
            who: B,
            n: 1,
          },
        );
        expect(result).to.deep.equal({ identity: { id: B }, identities: [{ id: A }] });
      });
    });

    describe("filters", () => {
      // At the latest block: A (changed 1000, Alice, level 2, trust 1.5, tags kyc+Gold, Person, no controllers),
      // B (changed 20, bob, level 1, trust 0.25, tags kyc, Organisation, controllers [A]). C is removed.
      const cases: [string, string[]][] = [
        [`{ owner: "0x2222" }`, [B]],
        [`{ id: "0xAA02" }`, [B]],
        [`{ owner_not: "0x2222" }`, [A]],
        [`{ owner_gt: "0x3000" }`, [A]],
        [`{ owner_lt: "0x3000" }`, [B]],
        [`{ owner_gte: "0x4444" }`, [A]],
        [`{ owner_lte: "0x2222" }`, [B]],
        [`{ owner_in: ["0x4444", "0x9999"] }`, [A]],
        [`{ owner_not_in: ["0x4444"] }`, [B]],
        [`{ owner_contains: "0x44" }`, [A]],
        [`{ owner_contains: "0x22" }`, [B]],
        [`{ id_contains: "0xa0" }`, []],
        [`{ owner_not_contains: "0x44" }`, [B]],
        [`{ id: "${A}" }`, [A]],
        [`{ changed: "20" }`, [B]],
        [`{ changed_gt: "100" }`, [A]],
        [`{ changed_gt: 3 }`, [A, B]],
        [`{ changed_lt: "100" }`, [B]],
        [`{ changed_gte: "20" }`, [A, B]],
        [`{ changed_lte: "20" }`, [B]],
        [`{ changed_in: ["20", "1000"] }`, [A, B]],
        [`{ changed_not_in: ["20"] }`, [A]],
        [`{ changed_not: "20" }`, [A]],
        [`{ trust_gt: "0.3" }`, [A]],
        [`{ trust_lte: "0.25" }`, [B]],
        [`{ level: 1 }`, [B]],
        [`{ level_gte: 2 }`, [A]],
        [`{ level_in: [1, 2] }`, [A, B]],
        [`{ deactivated: false }`, [A, B]],
        [`{ deactivated_not: false }`, []],
        [`{ deactivated_in: [true] }`, []],
        [`{ kind: Organisation }`, [B]],
        [`{ kind_not: Organisation }`, [A]],
        [`{ kind_in: [Person, Organisation] }`, [A, B]],
        [`{ kind_not_in: [Person] }`, [B]],
        [`{ name: "bob" }`, [B]],
        [`{ name_not: "bob" }`, [A]],
        [`{ name_gt: "B" }`, [B]],
        [`{ name_lt: "B" }`, [A]],
        [`{ name_contains: "lic" }`, [A]],
        [`{ name_contains: "LIC" }`, []],
        [`{ name_contains_nocase: "LIC" }`, [A]],
        [`{ name_not_contains: "o" }`, [A]],
        [`{ name_not_contains_nocase: "A" }`, [B]],
        [`{ name_starts_with: "Al" }`, [A]],
        [`{ name_starts_with: "al" }`, []],
        [`{ name_starts_with_nocase: "al" }`, [A]],
        [`{ name_not_starts_with: "Al" }`, [B]],
        [`{ name_not_starts_with_nocase: "B" }`, [A]],
        [`{ name_ends_with: "ob" }`, [B]],
        [`{ name_ends_with_nocase: "CE" }`, [A]],
        [`{ name_not_ends_with: "ce" }`, [B]],
        [`{ name_not_ends_with_nocase: "OB" }`, [A]],
        [`{ name_in: ["bob", "carol"] }`, [B]],
        [`{ name_not_in: ["bob"] }`, [A]],
        [`{ name: null }`, []],
        [`{ name_not: null }`, [A, B]],
        [`{ tags: ["kyc"] }`, [B]],
        [`{ tags_not: ["kyc"] }`, [A]],
        [`{ tags_contains: ["Gold"] }`, [A]],
        [`{ tags_contains: ["kyc"] }`, [A, B]],
        [`{ tags_contains_nocase: ["gold"] }`, [A]],
        [`{ tags_not_contains: ["Gold"] }`, [B]],
        [`{ tags_not_contains_nocase: ["GOLD"] }`, [B]],
        [`{ controllers: ["${A}"] }`, [B]],
        [`{ controllers_contains: ["0xAA01"] }`, [B]],
        [`{ controllers_not_contains: ["${A}"] }`, []],
        [`{ controllers_: { name: "Alice" } }`, [B]],
        [`{ delegates_: { validTo_gt: "650" } }`, [A]],
        [`{ delegates_: { delegateType: "0x01" } }`, [A, B]],
        [`{ attestations_: { issuer_: { name_starts_with: "Public" } } }`, [A]],
        [`{ events_: { blockNumber: "1" } }`, [A]],
        [`{ and: [{ tags_contains: ["kyc"] }, { level_lt: 2 }] }`, [B]],
        [`{ or: [{ name: "bob" }, { changed: "1000" }] }`, [A, B]],
        [`{ or: [{ name: "bob" }, { name: "carol" }] }`, [B]],
        [`{ and: [{ or: [{ level: 1 }, { level: 2 }] }, { kind: Person }] }`, [A]],
        [`{ _change_block: { number_gte: 2 } }`, [A]],
        [`{ _change_block: { number_gte: 4 } }`, []],
      ];
      for (const [where, expected] of cases) {
        it(`where: ${where}`, async () => {
          expect(await ids("identities", `where: ${where}`)).to.deep.equal(expected);
        });
      }

      it("filters references by id, case-insensitively for Bytes ids, and through nested filters", async () => {
        expect(await ids("delegates", `where: { identity: "0xAA02" }`)).to.deep.equal(["d3"]);
        expect(await ids("delegates", `where: { identity_in: ["${A}"] }`)).to.deep.equal(["d1", "d2"]);
        expect(await ids("delegates", `where: { identity_: { owner: "0x4444" } }`)).to.deep.equal(["d1", "d2"]);
        expect(await ids("attestations", `where: { status_: { revoked: true } }`)).to.deep.equal(["0xa7"]);
      });

      it("refuses column filters mixed with `or` at one level, as graph-node does", async () => {
        const [message] = await errorMessages(`{ identities(where: { name: "bob", or: [{ level: 1 }] }) { id } }`);
        expect(message).to.equal(
          "Cannot mix column filters with 'or' operator at the same level. Found column filter(s) 'name' alongside 'or' operator.\n\n" +
            "Instead of:\nwhere: { 'name', or: [...] }\n\nUse:\nwhere: { or: [{ 'name', ... }, { 'name', ... }] }",
        );
      });
    });

    describe("ordering", () => {
      it("orders BigInt numerically, not as text", async () => {
        expect(await ids("identities", "orderBy: changed")).to.deep.equal([B, A]);
        expect(await ids("identities", "orderBy: changed, orderDirection: desc")).to.deep.equal([A, B]);
        expect(await ids("identities", "orderBy: changed, block: { number: 1 }")).to.deep.equal([C, B, A]);
        expect(await ids("delegates", "orderBy: validTo, orderDirection: desc")).to.deep.equal(["d2", "d3", "d1"]);
      });

      it("orders strings, BigDecimals, enums by declaration, and child fields", async () => {
        expect(await ids("identities", "orderBy: name")).to.deep.equal([A, B]);
        expect(await ids("identities", "orderBy: trust")).to.deep.equal([B, A]);
        expect(await ids("identities", "orderBy: kind, orderDirection: desc")).to.deep.equal([B, A]);
        expect(await ids("delegates", "orderBy: identity__changed")).to.deep.equal(["d3", "d1", "d2"]);
        expect(await ids("delegates", "orderBy: identity__owner, orderDirection: desc")).to.deep.equal([
          "d2",
          "d1",
          "d3",
        ]);
      });

      it("refuses ordering by a list field", async () => {
        expect(await errorMessages("{ identities(orderBy: delegates) { id } }")).to.deep.equal([
          "Ordering by `delegates` is not supported for type `Identity`",
        ]);
      });
    });

    describe("relationships", () => {
      it("resolves references, list references and derived fields with their own arguments", async () => {
        expect(
          await data(`{
          attestation(id: "0xa7") { level subject { id owner } issuer { name attestations { id } } status { revoked } }
          identity(id: "${A}") {
            delegates(orderBy: validTo, orderDirection: desc) { id validTo identity { id } }
            firstDelegate: delegates(first: 1, where: { validTo_lt: "600" }) { id }
            attestations { id }
          }
          identities(where: { controllers_contains: ["${A}"] }) { id controllers { id name } }
        }`),
        ).to.deep.equal({
          attestation: {
            level: 3,
            subject: { id: A, owner: "0x4444" },
            issuer: { name: "Public Security Bureau", attestations: [{ id: "0xa7" }] },
            status: { revoked: true },
          },
          identity: {
            delegates: [
              { id: "d2", validTo: "700", identity: { id: A } },
              { id: "d1", validTo: "500", identity: { id: A } },
            ],
            firstDelegate: [{ id: "d1" }],
            attestations: [{ id: "0xa7" }],
          },
          identities: [{ id: B, controllers: [{ id: A, name: "Alice" }] }],
        });
      });

      it("fetches a level of relations with one statement instead of one per parent", async () => {
        statements.length = 0;
        const result = await data(`{ delegates { identity { id delegates { id } } } }`);
        expect((result.delegates as unknown[]).length).to.equal(3);
        // One for the delegates, one for all their identities, one for all those identities' delegates.
        expect(statements).to.have.length(3);
      });
    });

    describe("interfaces", () => {
      it("queries every implementing type through the interface, with type conditions", async () => {
        expect(
          await data(`{
          identityEvents(orderBy: blockNumber) {
            __typename id blockNumber
            ... on OwnerChanged { owner }
            ... on DelegateChanged { delegate validTo }
          }
          identityEvent(id: "0xe2") { __typename identity { id } }
        }`),
        ).to.deep.equal({
          identityEvents: [
            { __typename: "OwnerChanged", id: "0xe1", blockNumber: "1", owner: "0x1111" },
            { __typename: "DelegateChanged", id: "0xe2", blockNumber: "2", delegate: "0xd1", validTo: "500" },
            { __typename: "OwnerChanged", id: "0xe3", blockNumber: "2", owner: "0x4444" },
          ],
          identityEvent: { __typename: "DelegateChanged", identity: { id: A } },
        });
      });

      it("resolves derived fields whose type is an interface", async () => {
        expect(
          await data(
            `{ identity(id: "${A}") { events(where: { blockNumber: "2" }, orderDirection: desc) { __typename id } } }`,
          ),
        ).to.deep.equal({
          identity: {
            events: [
              { __typename: "OwnerChanged", id: "0xe3" },
              { __typename: "DelegateChanged", id: "0xe2" },
            ],
          },
        });
      });
    });

    describe("time travel", () => {
      it("reads the versions valid at a block number, for nested fields too", async () => {
        expect(
          await data(`{
          identity(id: "${A}", block: { number: 1 }) { owner changed delegates { id } events { id } }
          identities(block: { number: 2 }) { id }
          status(id: "s-1", block: { number: 2 }) { revoked }
        }`),
        ).to.deep.equal({
          identity: { owner: "0x1111", changed: "100", delegates: [], events: [{ id: "0xe1" }] },
          identities: [{ id: A }, { id: B }, { id: C }],
          status: { revoked: false },
        });
      });

      it("reads at a block hash and at the latest block once `number_gte` is reached", async () => {
        expect(await data(`{ identity(id: "${A}", block: { hash: "${HASH(1)}" }) { owner } }`)).to.deep.equal({
          identity: { owner: "0x1111" },
        });
        expect(await ids("identities", "block: { number_gte: 3 }")).to.deep.equal([A, B]);
      });

      it("refuses blocks that are not indexed", async () => {
        expect(await errorMessages(`{ identities(block: { number: 9 }) { id } }`)).to.deep.equal([
          "Failed to decode `block.number` value: `subgraph QmTest has only indexed up to block number 3 and data for block number 9 is therefore not yet available`",
        ]);
        expect(await errorMessages(`{ identities(block: { number_gte: 4 }) { id } }`)).to.deep.equal([
          "Failed to decode `block.number_gte` value: `subgraph QmTest has only indexed up to block number 3 and data for block number 4 is therefore not yet available`",
        ]);
        expect(await errorMessages(`{ identities(block: { hash: "${HASH(99)}" }) { id } }`)).to.deep.equal([
          "Failed to decode `block.hash` value: `no block with that hash found`",
        ]);
      });
    });

    describe("_meta", () => {
      it("reports the head block, deployment and error state", async () => {
        expect(
          await data(`{ _meta { block { number hash parentHash timestamp } deployment hasIndexingErrors } }`),
        ).to.deep.equal({
          _meta: {
            block: { number: 3, hash: HASH(3), parentHash: HASH(2), timestamp: 1_700_000_003 },
            deployment: "QmTest",
            hasIndexingErrors: false,
          },
        });
        expect(
          await data(`{ _meta(block: { number: 1 }) { block { number hash parentHash timestamp } } }`),
        ).to.deep.equal({
          _meta: { block: { number: 1, hash: HASH(1), parentHash: null, timestamp: null } },
        });
      });
    });

    describe("errors", () => {
      it("enforces the first and skip ranges with graph-node's messages", async () => {
        expect(await errorMessages("{ identities(first: 5000) { id } }")).to.deep.equal([
          "The `first` argument must be between 0 and 1000, but is 5000",
        ]);
        expect(await errorMessages("{ identities(first: 0) { id } }")).to.deep.equal([
          "The `first` argument must be between 0 and 1000, but is 0",
        ]);
        expect(await errorMessages("{ identities(skip: 6000) { id } }")).to.deep.equal([
          "The `skip` argument must be between 0 and 5000, but is 6000",
        ]);
        expect(await errorMessages(`{ identity(id: "${A}") { delegates(first: 1001) { id } } }`)).to.deep.equal([
          "The `first` argument must be between 0 and 1000, but is 1001",
        ]);
      });

      it("limits the query depth", async () => {
        const nested = "identity { delegates { ".repeat(5);
        const query = `{ delegates { ${nested} id ${"} } ".repeat(5)} } }`;
        expect(await errorMessages(query)).to.deep.equal(["query has a depth that exceeds the limit of `10`"]);
        const shallow = `{ delegates(first: 2) { ${"identity { delegates(first: 2) { ".repeat(4)} id ${"} } ".repeat(4)} } }`;
        expect((await run(shallow)).errors).to.equal(undefined);
      });

      it("reports unknown fields, bad filters and bad scalar values as validation errors", async () => {
        const unknownField = await run("{ identities { id nickname } }");
        expect(unknownField.errors?.[0]?.message).to.equal('Cannot query field "nickname" on type "Identity".');
        expect(unknownField.errors?.[0]?.locations).to.deep.equal([{ line: 1, column: 19 }]);
        expect((await run("{ identities(where: { nickname: 1 }) { id } }")).errors?.[0]?.message).to.match(
          /^Field "nickname" is not defined by type "Identity_filter"\./,
        );
        expect((await run("{ identities(where: { delegates_contains: [] }) { id } }")).errors?.[0]?.message).to.match(
          /delegates_contains/,
        );
        expect((await run(`{ identities(where: { changed_gt: "ten" }) { id } }`)).errors?.[0]?.message).to.contain(
          "BigInt value must be an integer: ten",
        );
        expect((await run(`{ identities(where: { owner: "0x123" }) { id } }`)).errors?.[0]?.message).to.contain(
          "odd number of digits",
        );
        expect((await run("{ identities(orderBy: nickname) { id } }")).errors?.[0]?.message).to.contain(
          'Value "nickname" does not exist in "Identity_orderBy" enum.',
        );
        expect((await run("{ identities { id")).errors?.[0]?.message).to.match(/^Syntax Error/);
      });
    });

    describe("indexing errors", () => {
      before(() => store.setFatalError("handler failed at block 4"));
      after(() => store.setFatalError(null));

      it("denies data by default but still answers _meta, like graph-node", async () => {
        expect(await run(`{ identity(id: "${A}") { id } }`)).to.deep.equal({ errors: [{ message: "indexing_error" }] });
        expect(await run(`{ identity(id: "${A}") { id } _meta { hasIndexingErrors } }`)).to.deep.equal({
          data: { _meta: { hasIndexingErrors: true } },
          errors: [{ message: "indexing_error" }],
        });
        expect(await run(`{ _meta { hasIndexingErrors } }`)).to.deep.equal({
          data: { _meta: { hasIndexingErrors: true } },
        });
      });

      it("returns data with the error under subgraphError: allow", async () => {
        expect(await run(`{ identity(id: "${A}", subgraphError: allow) { id } }`)).to.deep.equal({
          data: { identity: { id: A } },
          errors: [{ message: "indexing_error" }],
        });
      });
    });
  });
