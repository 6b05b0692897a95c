import { readFileSync } from "node:fs";

import { expect } from "chai";
import { getIntrospectionQuery } from "graphql";

import {
  createQueryExecutor,
  executeQuery,
  LIMIT_MESSAGES,
  type GraphQLResponse,
  type QueryLimits,
} from "../src/graphql/index.ts";
import type { LogLevel } from "../src/runtime/logger.ts";
import { parseSubgraphSchema } from "../src/schema/model.ts";
import { openEntityStore, type EntityQuery, type SqlEntityStore } from "../src/store/index.ts";

const SCHEMA = readFileSync(new URL("./fixtures/schema.graphql", import.meta.url), "utf8");
const NAME = "realdid/limits";
const IDENTITIES = ["0xaa01", "0xaa02", "0xaa03"];

/** A store whose GraphQL reads (`find`) can be held back or made to fail, to drive each limit. */
function controlledStore(store: SqlEntityStore) {
  const control = {
    held: null as null | { promise: Promise<void>; release: () => void },
    failure: null as Error | null,
    reads: 0,
    hold() {
      let release = () => {};
      const promise = new Promise<void>((resolve) => (release = resolve));
      control.held = { promise, release };
    },
    release() {
      control.held?.release();
      control.held = null;
    },
  };
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === "find") {
        return async (query: EntityQuery) => {
          control.reads += 1;
          if (control.held !== null) await control.held.promise;
          if (control.failure !== null) throw control.failure;
          return target.find(query);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, control };
}

describe("GraphQL query limits", function () {
  this.timeout(60_000);
  let base: SqlEntityStore;

  before(async () => {
    base = await openEntityStore({ subgraphName: NAME, model: parseSubgraphSchema(SCHEMA) });
    await base.commitBlocks([
      {
        block: { number: 1, hash: "0x01" },
        changes: IDENTITIES.map((id) => ({
          entity: "Identity",
          id,
          data: { id, owner: "0x1111", changed: "1", deactivated: false, kind: "Person", tags: [], controllers: [] },
        })),
      },
    ]);
  });

  after(() => base.close());

  function executor(limits: Partial<QueryLimits> = {}) {
    const { store, control } = controlledStore(base);
    const logs: { level: LogLevel; message: string }[] = [];
    const logger = { log: (level: LogLevel, message: string) => logs.push({ level, message }) };
    const compiled = createQueryExecutor({ store, subgraphName: NAME, limits, logger });
    const run = (query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> =>
      executeQuery(compiled, { query, variables });
    return { run, control, logs };
  }

  const ids = { data: { identities: IDENTITIES.map((id) => ({ id })) } };

  it("refuses a query that may return more entities than the budget, counting aliases, first and nesting", async () => {
    const { run, control } = executor();
    const aliases = Array.from({ length: 2000 }, (_, i) => `a${i}: identities(first: 1000) { id }`).join(" ");
    expect(await run(`{ ${aliases} }`)).to.deep.equal({
      errors: [{ message: LIMIT_MESSAGES.tooComplex(2_000_000, 1_000_000) }],
    });
    // 1000 identities, each with up to 1000 delegates: 1000 × (1 + 1000) entities.
    expect(await run("{ identities(first: 1000) { id delegates(first: 1000) { id } } }")).to.deep.equal({
      errors: [{ message: LIMIT_MESSAGES.tooComplex(1_001_000, 1_000_000) }],
    });
    expect(control.reads).to.equal(0);
    // Without `first`, a collection counts graph-node's default of 100.
    const { run: small } = executor({ maxComplexity: 100 });
    expect((await small("{ identities { id } }")).errors).to.equal(undefined);
    expect(await small("{ identities { id owner controllers { id } } }")).to.deep.equal({
      errors: [{ message: LIMIT_MESSAGES.tooComplex(10_100, 100) }],
    });
  });

  it("counts a query text again for other `first` or `@include` variables, not for its other variables", async () => {
    const { run } = executor({ maxComplexity: 1_000 });
    const query = `query ($first: Int, $id: Bytes!, $more: Boolean!) {
      identities(first: $first, where: { id_not: $id }) { id delegates(first: 10) @include(if: $more) { id } }
    }`;
    const answer = (variables: Record<string, unknown>) => run(query, variables);
    const first = await answer({ first: 10, id: IDENTITIES[0], more: true });
    expect(first.errors, JSON.stringify(first.errors)).to.equal(undefined);
    expect((await answer({ first: 10, id: IDENTITIES[1], more: true })).errors).to.equal(undefined);
    expect(await answer({ first: 100, id: IDENTITIES[1], more: true })).to.deep.equal({
      errors: [{ message: LIMIT_MESSAGES.tooComplex(1_100, 1_000) }],
    });
    expect((await answer({ first: 100, id: IDENTITIES[1], more: false })).errors).to.equal(undefined);
    expect(await answer({ first: 100, id: IDENTITIES[2], more: true })).to.deep.equal({
      errors: [{ message: LIMIT_MESSAGES.tooComplex(1_100, 1_000) }],
    });
  });

  it("lets introspection through whatever the budget", async () => {
    const { run } = executor({ maxComplexity: 1, maxDepth: 2 });
    const answer = await run(getIntrospectionQuery());
    expect(answer.errors).to.equal(undefined);
    expect(answer.data).to.have.key("__schema");
  });

  it("answers `Query timed out` when a query outlives its time, and goes on serving", async () => {
    const { run, control } = executor({ timeoutMs: 200 });
    control.hold();
    const slow = run("{ identities { id } }");
    expect(await slow).to.deep.equal({ errors: [{ message: LIMIT_MESSAGES.timeout }] });
    // The indexer keeps committing while the timed-out read is still stuck.
    await base.commitBlocks([{ block: { number: 2, hash: "0x02" }, changes: [] }]);
    control.release();
    expect(await run("{ identities { id } _meta { block { number } } }")).to.deep.equal({
      data: { ...ids.data, _meta: { block: { number: 2 } } },
    });
  });

  it("refuses an answer larger than the result-size cap", async () => {
    const { run } = executor({ maxResultBytes: 60 });
    const size = Buffer.byteLength(JSON.stringify(ids.data));
    expect(size).to.be.greaterThan(60);
    expect(await run("{ identities { id } }")).to.deep.equal({
      errors: [{ message: LIMIT_MESSAGES.resultTooBig(size, 60) }],
    });
    expect(await run(`{ identity(id: "${IDENTITIES[0]}") { id } }`)).to.deep.equal({
      data: { identity: { id: IDENTITIES[0] } },
    });
  });

  it("runs at most maxConcurrent queries, queues maxQueued more and refuses the rest", async () => {
    const { run, control } = executor({ maxConcurrent: 1, maxQueued: 1 });
    control.hold();
    const first = run("{ identities { id } }");
    const second = run("{ identities { id } }");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(control.reads).to.equal(1);
    expect(await run("{ identities { id } }")).to.deep.equal({ errors: [{ message: LIMIT_MESSAGES.throttled }] });
    control.release();
    expect(await first).to.deep.equal(ids);
    expect(await second).to.deep.equal(ids);
    expect(await run("{ identities { id } }")).to.deep.equal(ids);
  });

  it("gives waiting queries their turn cheapest first", async () => {
    const { run, control } = executor({ maxConcurrent: 1 });
    control.hold();
    const running = run("{ identities { id } }");
    const order: string[] = [];
    const page = run("{ identities(first: 1000) { id } }").then((answer) => (order.push("page"), answer));
    const lookup = run(`{ identity(id: "${IDENTITIES[0]}") { id } }`).then((answer) => (order.push("lookup"), answer));
    control.release();
    await Promise.all([running, page, lookup]);
    expect(order).to.deep.equal(["lookup", "page"]);
  });

  it("times out a query still waiting for its turn and gives the turn on", async () => {
    const { run, control } = executor({ maxConcurrent: 1, timeoutMs: 200 });
    control.hold();
    const running = run("{ identities { id } }");
    expect(await run("{ identities { id } }")).to.deep.equal({ errors: [{ message: LIMIT_MESSAGES.timeout }] });
    control.release();
    await running;
    expect(await run("{ identities { id } }")).to.deep.equal(ids);
  });

  it("logs a database failure in full and answers a generic store error", async () => {
    const { run, control, logs } = executor();
    control.failure = new Error('relation "sg_secret.identity" does not exist');
    const answer = await run("{ identities { id } }");
    expect(answer).to.deep.equal({
      errors: [{ message: "Store error: the database failed to answer the query; the indexer's log has the details" }],
    });
    expect(JSON.stringify(answer)).not.to.contain("sg_secret");
    expect(logs.some((l) => l.level === "error" && l.message.includes('"sg_secret.identity"'))).to.equal(true);
    control.failure = null;
    expect(await run("{ identities { id } }")).to.deep.equal(ids);
  });

  it("on PGlite, holds queries' reads back while the indexer works on a block", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const block = base.writing(async () => {
      await gate;
      await base.commitBlocks([{ block: { number: 10, hash: "0x0a" }, changes: [] }]);
    });
    let answered = false;
    const query = { kind: "ids", entity: "Identity", ids: [IDENTITIES[0]], block: null } as const;
    const read = base.find(query).then((rows) => ((answered = true), rows));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).to.equal(false);
    release();
    await block;
    expect((await read).map((row) => row.id)).to.deep.equal([IDENTITIES[0]]);
    expect((await base.status()).head?.number).to.equal(10);
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => executor({ maxConcurrent: 0 })).to.throw(
      "query limit maxConcurrent must be a positive integer, got 0",
    );
    expect(() => executor({ timeoutMs: 1.5 })).to.throw("query limit timeoutMs must be a positive integer, got 1.5");
  });
});
