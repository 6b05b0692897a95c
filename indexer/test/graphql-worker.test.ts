import { readFileSync } from "node:fs";
import { MessageChannel } from "node:worker_threads";

import { expect } from "chai";

import { parseSubgraphSchema, startGraphQLWorker, type GraphQLServer } from "../src/graphql/index.ts";
import type { LogLevel } from "../src/runtime/logger.ts";
import { openEntityStore, RemoteStoreReader, serveStoreReads, type SqlEntityStore } from "../src/store/index.ts";

const SCHEMA = readFileSync(new URL("./fixtures/schema.graphql", import.meta.url), "utf8");
const NAME = "realdid/worker";

const post = async (url: string, query: string) =>
  (
    await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query }),
    })
  ).json() as Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }>;

describe("GraphQL in a worker thread", function () {
  this.timeout(60_000);
  let store: SqlEntityStore;
  let server: GraphQLServer;
  const logged: [LogLevel, string][] = [];

  before(async () => {
    store = await openEntityStore({ subgraphName: NAME });
    await store.commitBlock({
      block: { number: 7, hash: "0x07" },
      changes: [{ entity: "Status", id: "s-1", data: { id: "s-1", revoked: false } }],
    });
    server = await startGraphQLWorker({
      store,
      schemaSdl: SCHEMA,
      subgraphName: NAME,
      port: 0,
      logger: { log: (level, message) => logged.push([level, message]) },
    });
  });

  after(async () => {
    await server?.close();
    await store.close();
  });

  it("answers from the store of this thread, and sees what this thread commits next", async () => {
    expect(await post(server.url, '{ status(id: "s-1") { revoked } _meta { block { number } } }')).to.deep.equal({
      data: { status: { revoked: false }, _meta: { block: { number: 7 } } },
    });
    await store.commitBlock({
      block: { number: 8, hash: "0x08" },
      changes: [{ entity: "Status", id: "s-1", data: { id: "s-1", revoked: true } }],
    });
    expect(await post(server.url, '{ status(id: "s-1") { revoked } }')).to.deep.equal({
      data: { status: { revoked: true } },
    });
  });

  it("answers a failing store read with the generic store error, logged in full here", async () => {
    const find = store.find.bind(store);
    store.find = () => Promise.reject(new Error("relation does not exist"));
    try {
      const reply = await post(server.url, '{ status(id: "s-1") { revoked } }');
      expect(reply.errors?.[0].message).to.match(/^Store error: /);
      const errors = logged.filter(([level]) => level === "error").map(([, message]) => message);
      expect(errors.join("\n")).to.include("relation does not exist");
    } finally {
      store.find = find;
    }
  });

  it("refuses a request for anything but a store read", async () => {
    const channel = new MessageChannel();
    serveStoreReads(store, parseSubgraphSchema(SCHEMA), channel.port1);
    const reply = new Promise((resolve) => channel.port2.once("message", resolve));
    channel.port2.postMessage({ id: 1, method: "commitBlock", args: [] });
    expect(await reply).to.have.nested.property("error.message", "commitBlock is not a store read");
    const reader = new RemoteStoreReader(channel.port2);
    expect((await reader.status()).head).to.deep.include({ number: 8 });
    channel.port1.close();
  });
});
