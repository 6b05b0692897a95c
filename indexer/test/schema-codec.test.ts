import { expect } from "chai";

import { createQueryExecutor, executeQuery, type QueryExecutor } from "../src/graphql/index.ts";
import { Decimal } from "../src/runtime/bignum.ts";
import { BlockState } from "../src/runtime/block-state.ts";
import type { Entity, StoreValue } from "../src/runtime/values.ts";
import { parseSubgraphSchema, type SubgraphModel } from "../src/schema/model.ts";
import { openEntityStore, type SqlEntityStore } from "../src/store/index.ts";

/** One field of every scalar type, lists, an enum, references and a reference followed backwards. */
const SCHEMA = `
  enum Colour { RED GREEN }
  type Sample @entity {
    id: ID!
    text: String!
    big: BigInt!
    decimal: BigDecimal!
    bytes: Bytes!
    int: Int!
    int8: Int8!
    at: Timestamp!
    flag: Boolean!
    colour: Colour!
    tags: [String!]!
    amounts: [BigInt!]!
    target: Target!
    targets: [Target!]!
    missing: BigInt
  }
  type Target @entity(immutable: true) {
    id: Bytes!
    weight: Int8!
    samples: [Sample!]! @derivedFrom(field: "target")
  }
`;

const TARGET = "0xabcdef0123";
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
const upper = (hex: string) => `0x${hex.slice(2).toUpperCase()}`;

/** What a mapping writes, value by value, with the JSON GraphQL answers for it. */
const FIELDS: [field: string, written: StoreValue, read: unknown][] = [
  ["text", { kind: "String", value: '名字 ✓ "quoted"' }, '名字 ✓ "quoted"'],
  ["big", { kind: "BigInt", value: -(2n ** 200n) }, (-(2n ** 200n)).toString()],
  ["decimal", { kind: "BigDecimal", value: Decimal.parse("-1234.000567") }, "-1234.000567"],
  ["bytes", { kind: "Bytes", value: bytes("0xdeadbeef00") }, "0xdeadbeef00"],
  ["int", { kind: "Int", value: -2147483648 }, -2147483648],
  ["int8", { kind: "Int8", value: -(2n ** 63n) }, "-9223372036854775808"],
  ["at", { kind: "Timestamp", value: 1_700_000_000_000_000n }, "1700000000000000"],
  ["flag", { kind: "Bool", value: true }, true],
  ["colour", { kind: "String", value: "GREEN" }, "GREEN"],
  [
    "tags",
    {
      kind: "Array",
      value: [
        { kind: "String", value: "a" },
        { kind: "String", value: "b" },
      ],
    },
    ["a", "b"],
  ],
  [
    "amounts",
    {
      kind: "Array",
      value: [
        { kind: "BigInt", value: 1n },
        { kind: "BigInt", value: 2n ** 70n },
      ],
    },
    ["1", (2n ** 70n).toString()],
  ],
  ["target", { kind: "Bytes", value: bytes(TARGET) }, { id: TARGET }],
  ["targets", { kind: "Array", value: [{ kind: "Bytes", value: bytes(TARGET) }] }, [{ id: TARGET }]],
];

/** A value written by the runtime reads back the same through the runtime and through GraphQL, and filters find it. */
describe("schema model and value codec: runtime writes, GraphQL reads", function () {
  this.timeout(60_000);
  let model: SubgraphModel;
  let store: SqlEntityStore;
  let executor: QueryExecutor;
  const written: Entity = new Map(FIELDS.map(([field, value]) => [field, value]));

  before(async () => {
    model = parseSubgraphSchema(SCHEMA);
    store = await openEntityStore({ subgraphName: "realdid/codec", model });
    const state = new BlockState(store, model);
    await state.set("Target", TARGET, new Map([["weight", { kind: "Int8", value: 7n }]]));
    await state.set("Sample", "s1", written);
    await store.commitBlocks([{ block: { number: 1, hash: "0x01" }, changes: state.changes() }]);
    executor = createQueryExecutor({ store, subgraphName: "realdid/codec" });
  });

  after(async () => {
    await store.close();
  });

  const data = async (query: string, variables?: Record<string, unknown>) => {
    const response = await executeQuery(executor, { query, variables });
    expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
    return response.data!;
  };

  it("reads every value back through the runtime as the mapping wrote it", async () => {
    const read = await new BlockState(store, model).get("Sample", "s1");
    expect(Object.fromEntries(read!)).to.deep.equal({
      id: { kind: "String", value: "s1" },
      ...Object.fromEntries(written),
    });
    const target = await new BlockState(store, model).get("Target", TARGET);
    expect(target?.get("id")).to.deep.equal({ kind: "Bytes", value: bytes(TARGET) });
  });

  it("answers every value through GraphQL in graph-node's JSON form", async () => {
    const selection = FIELDS.map(([field]) => (field.startsWith("target") ? `${field} { id }` : field));
    const { sample } = await data(`{ sample(id: "s1") { id missing ${selection.join(" ")} } }`);
    expect(sample).to.deep.equal({
      id: "s1",
      missing: null,
      ...Object.fromEntries(FIELDS.map(([field, , read]) => [field, read])),
    });
    const { target } = await data(`{ target(id: "${upper(TARGET)}") { id weight samples { id } } }`);
    expect(target).to.deep.equal({ id: TARGET, weight: "7", samples: [{ id: "s1" }] });
  });

  it("finds the entity by each value, given back as GraphQL answered it", async () => {
    const types: Record<string, string> = {
      text: "String",
      big: "BigInt",
      decimal: "BigDecimal",
      bytes: "Bytes",
      int: "Int",
      int8: "Int8",
      at: "Timestamp",
      flag: "Boolean",
      colour: "Colour",
      tags: "[String!]",
      amounts: "[BigInt!]",
      target: "String",
      targets: "[String!]",
    };
    for (const [field, , read] of FIELDS) {
      const value = Array.isArray(read)
        ? read.map((item: unknown) => (typeof item === "object" ? (item as { id: string }).id : item))
        : typeof read === "object"
          ? (read as { id: string }).id
          : read;
      const query = `query ($v: ${types[field]}) { samples(where: { ${field}: $v }) { id } }`;
      expect(await data(query, { v: value }), field).to.deep.equal({ samples: [{ id: "s1" }] });
      const other = `query ($v: ${types[field]}) { samples(where: { ${field}_not: $v }) { id } }`;
      expect(await data(other, { v: value }), `${field}_not`).to.deep.equal({ samples: [] });
    }
  });

  it("finds Bytes values and Bytes ids given in upper case", async () => {
    expect(await data(`{ samples(where: { bytes: "${upper("0xdeadbeef00")}" }) { id } }`)).to.deep.equal({
      samples: [{ id: "s1" }],
    });
    expect(await data(`{ samples(where: { target: "${upper(TARGET)}" }) { id } }`)).to.deep.equal({
      samples: [{ id: "s1" }],
    });
    expect(await data(`{ samples(where: { targets_contains: ["${upper(TARGET)}"] }) { id } }`)).to.deep.equal({
      samples: [{ id: "s1" }],
    });
  });
});
