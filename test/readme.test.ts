import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";

import { createQueryExecutor, executeQuery, parseSubgraphSchema } from "../indexer/src/graphql/index.ts";
import { openEntityStore } from "../indexer/src/store/index.ts";
import { addressTable } from "../scripts/addresses.ts";

const root = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

describe("README", () => {
  const readme = read("README.md");

  it("lists every function and event of the contract interfaces in the v1 ABI table", () => {
    const rows = [...readme.matchAll(/^\| `(I[A-Za-z]+)` \| (.*) \| (.*) \|$/gm)];
    expect(rows.map((row) => row[1])).to.include.members(["IDIDRegistry", "IRealNameRegistry", "IStatusRegistry"]);
    for (const [, name, functions, events] of rows) {
      const { abi } = JSON.parse(read(`artifacts/contracts/interfaces/${name}.sol/${name}.json`)) as {
        abi: { type: string; name?: string }[];
      };
      const names = (type: string) =>
        [...new Set(abi.filter((item) => item.type === type).map((item) => item.name))].sort();
      const listed = (cell: string) => [...cell.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]).sort();
      expect(listed(functions), `${name} functions`).to.deep.equal(names("function"));
      expect(listed(events), `${name} events`).to.deep.equal(names("event"));
    }
  });

  it("shows the address table of deployments/*.json", () => {
    expect(readme).to.include(addressTable());
  });

  it("has GraphQL examples that the subgraph's query API accepts", async () => {
    const examples = [
      ...readme.matchAll(/```graphql\n([\s\S]*?)```/g),
      ...read("subgraph/README.md").matchAll(/```graphql\n([\s\S]*?)```/g),
    ].map((match) => match[1]);
    expect(examples).to.have.length.greaterThan(3);
    const schemaSdl = read("subgraph/schema.graphql");
    const store = await openEntityStore({ subgraphName: "readme", model: parseSubgraphSchema(schemaSdl) });
    try {
      const executor = createQueryExecutor({
        store,
        subgraphName: "readme",
      });
      for (const query of examples) {
        const result = await executeQuery(executor, {
          query: query.replaceAll("0x…", "0x01"),
          variables: { id: "0x01", now: "0" },
        });
        expect(result.errors, query).to.equal(undefined);
      }
    } finally {
      await store.close();
    }
  });
});
