import { readFileSync } from "node:fs";

import { expect } from "chai";
import {
  buildClientSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type IntrospectionQuery,
} from "graphql";

import {
  createGraphQLServer,
  createQueryExecutor,
  parseSubgraphSchema,
  type GraphQLServer,
} from "../src/graphql/index.ts";
import { openEntityStore, type SqlEntityStore } from "../src/store/index.ts";

const SCHEMA = readFileSync(new URL("./fixtures/schema.graphql", import.meta.url), "utf8");
const NAME = "realdid/tools";

/** What GraphQL tools (GraphiQL, codegen, Apollo, Postman) do first: read the schema, then browse it. */
describe("GraphQL tools: introspection and GraphiQL", function () {
  this.timeout(60_000);
  let store: SqlEntityStore;
  let server: GraphQLServer;

  before(async () => {
    store = await openEntityStore({ subgraphName: NAME, model: parseSubgraphSchema(SCHEMA) });
    server = await createGraphQLServer({ store, subgraphName: NAME, port: 0 });
  });

  after(async () => {
    await server.close();
    await store.close();
  });

  const post = async (query: string) =>
    (await (await fetch(server.url, { method: "POST", body: JSON.stringify({ query }) })).json()) as {
      data?: unknown;
      errors?: { message: string }[];
    };

  it("answers graphql-js's standard introspection query with exactly the served schema", async () => {
    const answer = await post(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }));
    expect(answer.errors).to.equal(undefined);
    const client = buildClientSchema(answer.data as IntrospectionQuery);
    const served = createQueryExecutor({ store, subgraphName: NAME }).schema;
    expect(printSchema(lexicographicSortSchema(client))).to.equal(printSchema(lexicographicSortSchema(served)));
    // graph-node's API shape is there: collections with first/skip/where/block, _meta.
    expect(client.getQueryType()?.getFields()).to.include.keys("_meta");
  });

  it("keeps the depth limit for data queries", async () => {
    const deep = `{ __schema { types { name } } identities { ${"controllers { ".repeat(10)} id ${"} ".repeat(10)} } }`;
    expect((await post(deep)).errors).to.deep.equal([{ message: "query has a depth that exceeds the limit of `10`" }]);
  });

  it("serves GraphiQL at <endpoint>/graphql and redirects a bare GET there, as graph-node does", async () => {
    const page = await fetch(`${server.url}/graphql`);
    expect(page.status).to.equal(200);
    expect(page.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).to.contain("<title>GraphiQL: realdid/tools</title>");
    expect(html).to.match(/GraphiQL\.createFetcher\(\{ url: endpoint \}\)/);

    const bare = await fetch(server.url, { redirect: "manual" });
    expect(bare.status).to.equal(302);
    expect(bare.headers.get("location")).to.equal(`/subgraphs/name/${NAME}/graphql`);
  });
});
