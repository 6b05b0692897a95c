import { readFileSync } from "node:fs";

import { expect } from "chai";

import { createGraphQLServer, parseSubgraphSchema, type GraphQLServer } from "../src/graphql/index.ts";
import { openEntityStore, type SqlEntityStore } from "../src/store/index.ts";

const SCHEMA = readFileSync(new URL("./fixtures/schema.graphql", import.meta.url), "utf8");
const NAME = "realdid/did-registry";

describe("GraphQL HTTP server", function () {
  this.timeout(60_000);
  let store: SqlEntityStore;
  let server: GraphQLServer;

  before(async () => {
    store = await openEntityStore({ subgraphName: NAME, model: parseSubgraphSchema(SCHEMA) });
    await store.commitBlocks([
      {
        block: { number: 7, hash: "0x07" },
        changes: [{ entity: "Status", id: "s-1", data: { id: "s-1", revoked: false } }],
      },
    ]);
    server = await createGraphQLServer({
      store,
      subgraphName: NAME,
      deployment: "QmDeployment",
      port: 0,
    });
  });

  after(async () => {
    await server.close();
    await store.close();
  });

  const post = (url: string, body: string) =>
    fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });

  it("listens on 127.0.0.1 at /subgraphs/name/<name>", () => {
    expect(server.url).to.match(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/subgraphs/name/${NAME}$`));
  });

  it("answers POSTed queries with variables and operation names, with CORS headers", async () => {
    const response = await post(
      server.url,
      JSON.stringify({
        query: "query A { _meta { deployment } } query B($id: ID!) { status(id: $id) { revoked } }",
        variables: { id: "s-1" },
        operationName: "B",
      }),
    );
    expect(response.status).to.equal(200);
    expect(response.headers.get("access-control-allow-origin")).to.equal("*");
    expect(response.headers.get("content-type")).to.equal("application/json; charset=utf-8");
    expect(await response.json()).to.deep.equal({ data: { status: { revoked: false } } });
  });

  it("serves the deployment id route and the /graphql suffix too", async () => {
    const base = server.url.replace(`/subgraphs/name/${NAME}`, "");
    for (const path of ["/subgraphs/id/QmDeployment", `/subgraphs/name/${NAME}/graphql`]) {
      const response = await post(base + path, JSON.stringify({ query: "{ _meta { block { number } deployment } }" }));
      expect(await response.json()).to.deep.equal({
        data: { _meta: { block: { number: 7 }, deployment: "QmDeployment" } },
      });
    }
  });

  it("answers GET queries", async () => {
    const query = encodeURIComponent("{ statuses { id } }");
    expect(await (await fetch(`${server.url}?query=${query}`)).json()).to.deep.equal({
      data: { statuses: [{ id: "s-1" }] },
    });
  });

  it("answers CORS preflight requests", async () => {
    const response = await fetch(server.url, { method: "OPTIONS" });
    expect(response.status).to.equal(200);
    expect(response.headers.get("access-control-allow-methods")).to.equal("GET, OPTIONS, POST");
    expect(response.headers.get("access-control-allow-headers")).to.contain("Content-Type");
  });

  it("returns GraphQL errors with status 200 and request errors with 400, 404 and 405", async () => {
    const invalid = await post(server.url, JSON.stringify({ query: "{ statuses(first: 5000) { id } }" }));
    expect(invalid.status).to.equal(200);
    expect(await invalid.json()).to.deep.equal({
      errors: [{ message: "The `first` argument must be between 0 and 1000, but is 5000" }],
    });

    const cases: [string, RequestInit, number, string][] = [
      [server.url, { method: "POST", body: "{not json" }, 400, "The request body is not valid JSON"],
      [server.url, { method: "POST", body: "[]" }, 400, "The request body must be a JSON object"],
      [server.url, { method: "POST", body: '{"query": 1}' }, 400, "The request needs a `query` string"],
      [
        server.url,
        { method: "POST", body: '{"query": "{ a }", "variables": [1]}' },
        400,
        "`variables` must be an object",
      ],
      [`${server.url}?query=x&variables=%7B`, {}, 400, "The `variables` parameter is not valid JSON"],
      [
        server.url.replace(NAME, "other/subgraph"),
        { method: "POST", body: "{}" },
        404,
        "deployment `other/subgraph` does not exist",
      ],
      [server.url, { method: "PUT", body: "{}" }, 405, "Method PUT not allowed"],
    ];
    for (const [url, init, status, message] of cases) {
      const response = await fetch(url, init);
      expect(response.status, message).to.equal(status);
      expect(await response.json()).to.deep.equal({ errors: [{ message }] });
    }
  });
});
