import { expect } from "chai";

import { A, B, C, HASH, describeQueryApi } from "./graphql-fixture.ts";

describeQueryApi("GraphQL query API: time travel, _meta and errors", (api) => {
  const { run, data, ids, errorMessages } = api;

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
    before(() => api.store.setFatalError({ message: "handler failed at block 4", block: null, handler: null }));
    after(() => api.store.setFatalError(null));

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
