import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { AbiCoder, getBytes, id, keccak256, ParamType, toUtf8Bytes } from "ethers";

import { AscHeap, TypeId, type AscExports } from "../src/runtime/asc.ts";
import { bigIntToBytes, bytesToBigInt, Decimal } from "../src/runtime/bignum.ts";
import { BlockState } from "../src/runtime/block-state.ts";
import { DeterministicError, ManifestError } from "../src/runtime/errors.ts";
import { bool, bytes, result, string, type HostFunction, type WasmValue } from "../src/runtime/host/abi.ts";
import type { HostContext } from "../src/runtime/host/context.ts";
import { callFragment } from "../src/runtime/host/chain.ts";
import { parseJson, parseYamlValue } from "../src/runtime/host/data.ts";
import { bigIntToHex, bytesToString, stringToH160 } from "../src/runtime/host/numbers.ts";
import { buildImports, hostFunctions } from "../src/runtime/imports.ts";
import { canonicalEventSignature, loadSubgraph, type Subgraph } from "../src/runtime/manifest.ts";
import { silentLogger } from "../src/runtime/logger.ts";
import { encodeEntity } from "../src/schema/codec.ts";
import { decodeAbi } from "../src/runtime/abi-decoder.ts";
import {
  abiEncode,
  readBigDecimal,
  readBigInt,
  readEntity,
  readEthereumValue,
  readStoreValue,
  writeBigDecimal,
  writeBigInt,
  writeEntity,
  writeEthereumValue,
  writeStoreValue,
  writeTree,
  JSON_TYPE_IDS,
  type Entity,
  type EthereumValue,
  type StoreValue,
} from "../src/runtime/values.ts";
import { buildFixtureSubgraph } from "./runtime-fixture.ts";
import { MemoryEntityStore } from "./runtime-memory-store.ts";

const GRAPH_TS = join(import.meta.dirname, "../../node_modules/@graphprotocol/graph-ts");

function testContext(subgraph: Subgraph): HostContext {
  return {
    dataSource: subgraph.dataSources[0],
    block: { number: 1, hash: "0x" },
    state: new BlockState(new MemoryEntityStore(), subgraph.schema),
    rpc: { request: () => Promise.reject(new Error("no chain in this test")) },
    logger: silentLogger,
  };
}

/** A started instance of the fixture mapping, for layout tests against a real graph-ts module. */
async function freshHeap(subgraph: Subgraph): Promise<AscHeap> {
  const { module } = subgraph.dataSources[0];
  const instantiated: { heap?: AscHeap } = {};
  const imports = buildImports(module, testContext(subgraph), () => instantiated.heap!);
  const exports = (await WebAssembly.instantiate(module, imports)).exports as unknown as AscExports & {
    _start(): void;
  };
  instantiated.heap = new AscHeap(exports);
  exports._start();
  return instantiated.heap;
}

/** Calls a host function the way the mapping would: raw pointers in, raw pointer out. */
function call(fn: HostFunction, heap: AscHeap, ...raw: WasmValue[]): WasmValue {
  const out = fn.bind(() => heap)(...raw);
  if (out instanceof Promise) throw new Error("expected a synchronous host function");
  return out;
}

describe("runtime: BigInt and BigDecimal encodings", function () {
  it("encodes BigInt as minimal little-endian two's complement", function () {
    const cases: [bigint, number[]][] = [
      [0n, [0]],
      [1n, [1]],
      [-1n, [0xff]],
      [127n, [0x7f]],
      [128n, [0x80, 0x00]],
      [-128n, [0x80]],
      [-129n, [0x7f, 0xff]],
      [255n, [0xff, 0x00]],
      [256n, [0x00, 0x01]],
    ];
    for (const [value, expected] of cases) {
      expect([...bigIntToBytes(value)], `${value}`).to.deep.equal(expected);
      expect(bytesToBigInt(Uint8Array.from(expected))).to.equal(value);
    }
    const big = 2n ** 255n - 19n;
    expect(bytesToBigInt(bigIntToBytes(big))).to.equal(big);
    expect(bytesToBigInt(bigIntToBytes(-big))).to.equal(-big);
    expect(bytesToBigInt(new Uint8Array(0))).to.equal(0n);
  });

  it("normalizes, parses and prints BigDecimal like graph-node", function () {
    expect(Decimal.parse("1.500").toString()).to.equal("1.5");
    expect(Decimal.parse("-0.00012").toString()).to.equal("-0.00012");
    expect(Decimal.parse("12e3").toString()).to.equal("12000");
    expect(Decimal.parse("2.5E-3").toString()).to.equal("0.0025");
    expect(Decimal.parse(".5").toString()).to.equal("0.5");
    expect(Decimal.parse("-0").toString()).to.equal("0");
    expect(() => Decimal.parse("1.2.3")).to.throw(DeterministicError, "BigDecimal");
    expect(() => Decimal.parse("")).to.throw(DeterministicError);
    expect(Decimal.parse("0.1").plus(Decimal.parse("0.2")).toString()).to.equal("0.3");
    expect(Decimal.parse("1").minus(Decimal.parse("1.25")).toString()).to.equal("-0.25");
    expect(Decimal.parse("1.5").times(Decimal.parse("-2")).toString()).to.equal("-3");
    expect(Decimal.parse("1").dividedBy(Decimal.parse("3")).toString()).to.equal("0." + "3".repeat(34));
    expect(Decimal.parse("2").dividedBy(Decimal.parse("3")).toString()).to.equal("0." + "6".repeat(33) + "7");
    expect(Decimal.parse("86400").dividedBy(Decimal.parse("86400")).toString()).to.equal("1");
    expect(Decimal.parse("1.0").equals(Decimal.parse("1"))).to.equal(true);
    expect(() => Decimal.parse("1").dividedBy(Decimal.parse("0"))).to.throw(DeterministicError, "divide");
  });

  it("converts like graph-node's typeConversion", function () {
    expect(bigIntToHex(0n)).to.equal("0x0");
    expect(bigIntToHex(255n)).to.equal("0xff");
    expect(bigIntToHex(-255n)).to.equal("0xff");
    expect(bytesToString(Uint8Array.from([...toUtf8Bytes("veriKey"), 0, 0, 0]))).to.equal("veriKey");
    expect(bytesToString(Uint8Array.from([0x61, 0xff]))).to.equal("a\ufffd");
    expect([...stringToH160("0x00000000000000000000000000000000000000ff")].at(-1)).to.equal(0xff);
    expect(() => stringToH160("0x1234")).to.throw(DeterministicError, "Address");
  });

  it("parses JSON keeping number text and YAML with tags", function () {
    const json = parseJson(toUtf8Bytes('{"a":[1,true,null],"big":123456789012345678901234567890,"s":"x"}'));
    expect(json).to.deep.equal({
      kind: "object",
      value: [
        [
          { kind: "string", value: "a" },
          { kind: "array", value: [{ kind: "number", value: "1" }, { kind: "bool", value: true }, { kind: "null" }] },
        ],
        [
          { kind: "string", value: "big" },
          { kind: "number", value: "123456789012345678901234567890" },
        ],
        [
          { kind: "string", value: "s" },
          { kind: "string", value: "x" },
        ],
      ],
    });
    expect(() => parseJson(toUtf8Bytes("{"))).to.throw(DeterministicError, "invalid JSON");
    const yaml = parseYamlValue(toUtf8Bytes("n: 1.50\nt: !custom x\nl: [a, ~]\n"));
    expect(yaml).to.deep.equal({
      kind: "object",
      value: [
        [
          { kind: "string", value: "n" },
          { kind: "number", value: "1.50" },
        ],
        [
          { kind: "string", value: "t" },
          { kind: "tagged", tag: "!custom", value: { kind: "string", value: "x" } },
        ],
        [
          { kind: "string", value: "l" },
          { kind: "array", value: [{ kind: "string", value: "a" }, { kind: "null" }] },
        ],
      ],
    });
    expect(() => parseYamlValue(toUtf8Bytes("a: [1"))).to.throw(DeterministicError, "invalid YAML");
  });

  it("parses graph-cli's contract call signatures", function () {
    const fragment = callFragment("identityOwner(address):(address)");
    expect(fragment.format("full")).to.equal("function identityOwner(address) returns (address)");
    expect(callFragment("version()").outputs).to.have.length(0);
    expect(() => callFragment("broken(:(")).to.throw(DeterministicError, "signature");
  });
});

describe("runtime: loading a built subgraph", function () {
  let buildDir: string;

  before(function () {
    this.timeout(60_000);
    buildDir = buildFixtureSubgraph();
  });

  async function loadVariant(edit: (manifest: string) => string): Promise<Subgraph> {
    const manifest = edit(readFileSync(join(buildDir, "subgraph.yaml"), "utf8"));
    const path = join(buildDir, "variant.yaml");
    writeFileSync(path, manifest);
    return loadSubgraph(path);
  }

  it("reads data sources, handlers, topics, context and the schema", async function () {
    const subgraph = await loadSubgraph(buildDir);
    expect(subgraph.specVersion).to.equal("1.3.0");
    const [registry] = subgraph.dataSources;
    expect(registry).to.include({ name: "DIDRegistry", network: "hardhat", startBlock: 1, apiVersion: "0.0.9" });
    expect(registry.address).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(registry.eventHandlers.map((h) => [h.handler, h.receipt])).to.deep.equal([
      ["handleOwnerChanged", true],
      ["handleDelegateChanged", false],
      ["handleAttributeChanged", false],
    ]);
    expect(registry.eventHandlers[0].topic0).to.equal(id("DIDOwnerChanged(address,address,uint256)"));
    expect(registry.context.get("registryName")).to.deep.equal({ kind: "String", value: "fixture registry" });
    expect(registry.context.get("weights")).to.deep.equal({ kind: "Array", value: [{ kind: "BigInt", value: 7n }] });
    expect(subgraph.schema.entity.get("OwnerChange")?.immutable).to.equal(true);
    expect(subgraph.schema.entity.get("Identity")?.stored.has("history")).to.equal(false);
    expect(subgraph.schema.entity.get("Attribute")?.stored.get("identity")).to.deep.include({
      kind: "entity",
      valueKind: "Bytes",
      list: false,
      required: true,
    });
    expect(canonicalEventSignature("Foo(indexed address, (uint256,bytes) )")).to.equal("Foo(address,(uint256,bytes))");
  });

  it("rejects manifests the local host cannot run, naming the problem", async function () {
    const rejects = async (edit: (manifest: string) => string, message: string): Promise<void> => {
      const error = await loadVariant(edit).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ManifestError);
      expect((error as Error).message).to.contain(message);
    };
    await rejects((m) => m.replace("DIDOwnerChanged(indexed", "DIDOwnerMoved(indexed"), "is not in its ABI");
    await rejects((m) => m.replace("kind: ethereum/contract", "kind: file/ipfs"), "kind file/ipfs is not supported");
    await rejects(
      (m) => m.replace("      eventHandlers:", "      blockHandlers:\n        - handler: h\n      eventHandlers:"),
      "block and call handlers",
    );
    await rejects((m) => `${m}templates:\n  - name: T\n`, "templates are not supported");
    await rejects((m) => m.replace("abi: DIDRegistry\n", "abi: Missing\n"), "source ABI Missing");
    await rejects((m) => m.replace("type: String", "type: Colour"), "unknown type Colour");
    const missing = await loadSubgraph(join(buildDir, "nothing-here")).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(ManifestError);
  });
});

describe("runtime: AssemblyScript memory layout", function () {
  let subgraph: Subgraph;
  let heap: AscHeap;

  before(async function () {
    this.timeout(60_000);
    subgraph = await loadSubgraph(buildFixtureSubgraph());
  });
  beforeEach(async function () {
    heap = await freshHeap(subgraph);
  });

  it("round-trips strings, including surrogate pairs and the empty string", function () {
    const long = "实名认证 ✓ 🎉 ".repeat(40);
    for (const text of ["", "did:ethr:0xabc", "实名认证 ✓ 🎉", long]) {
      const ptr = heap.writeString(text);
      expect(heap.size(ptr)).to.equal(text.length * 2);
      expect(heap.readString(ptr)).to.equal(text);
    }
    // A lone surrogate reads as U+FFFD, in short and long strings alike.
    for (const text of ["a\uD800b", `${long}\uDC00`]) {
      expect(heap.readString(heap.writeString(text))).to.equal(text.replace(/[\uD800-\uDFFF]$|\uD800/, "\uFFFD"));
    }
  });

  it("writes objects with the module's own class ids", function () {
    const ptr = heap.writeString("x");
    expect(heap.view.getUint32(ptr - 8, true)).to.equal(heap.rtId(TypeId.String));
    expect(heap.rtId(TypeId.String)).to.not.equal(heap.rtId(TypeId.Uint8Array));
  });

  it("round-trips bytes and BigInts, negative and 256-bit", function () {
    const data = Uint8Array.from([0, 1, 2, 250, 255]);
    expect([...heap.readUint8Array(heap.writeUint8Array(data))]).to.deep.equal([...data]);
    expect(heap.readUint8Array(heap.writeUint8Array(new Uint8Array(0)))).to.have.length(0);
    for (const value of [0n, 1n, -1n, 128n, -129n, 2n ** 256n - 1n, -(2n ** 255n)]) {
      expect(readBigInt(heap, writeBigInt(heap, value))).to.equal(value);
    }
    const decimal = Decimal.parse("-1234.5678");
    expect(readBigDecimal(heap, writeBigDecimal(heap, decimal)).toString()).to.equal("-1234.5678");
  });

  it("round-trips every store value kind and entities", function () {
    const values: StoreValue[] = [
      { kind: "String", value: "hello" },
      { kind: "Int", value: -42 },
      { kind: "BigDecimal", value: Decimal.parse("3.25") },
      { kind: "Bool", value: true },
      { kind: "Bool", value: false },
      { kind: "Null" },
      { kind: "Bytes", value: Uint8Array.from([0xde, 0xad]) },
      { kind: "BigInt", value: -(10n ** 30n) },
      { kind: "Int8", value: -(2n ** 62n) },
      { kind: "Timestamp", value: 1_700_000_000_000_000n },
      {
        kind: "Array",
        value: [
          { kind: "String", value: "a" },
          { kind: "Array", value: [{ kind: "Int", value: 1 }] },
        ],
      },
    ];
    for (const value of values) {
      expect(readStoreValue(heap, writeStoreValue(heap, value)), value.kind).to.deep.equal(value);
    }
    const entity: Entity = new Map(values.map((value, i) => [`f${i}`, value]));
    expect(readEntity(heap, writeEntity(heap, entity))).to.deep.equal(entity);
  });

  it("round-trips ethereum values, nested arrays and tuples", function () {
    const value: EthereumValue = {
      kind: "tuple",
      value: [
        { kind: "address", value: getBytes("0x5FbDB2315678afecb367f032d93F642f64180aa3") },
        { kind: "fixedBytes", value: new Uint8Array(32).fill(7) },
        { kind: "bytes", value: Uint8Array.from([1, 2, 3]) },
        { kind: "int", value: -5n },
        { kind: "uint", value: 2n ** 256n - 1n },
        { kind: "bool", value: true },
        { kind: "string", value: "veriKey" },
        {
          kind: "array",
          value: [
            { kind: "uint", value: 1n },
            { kind: "uint", value: 2n },
          ],
        },
        { kind: "fixedArray", value: [{ kind: "bool", value: false }] },
      ],
    };
    expect(readEthereumValue(heap, writeEthereumValue(heap, value))).to.deep.equal(value);
  });

  it("converts decoded ABI values and encodes them back identically", function () {
    const type = ParamType.from("(address,bytes32,bytes,int8,uint256[],string)");
    const raw = ["0x5FbDB2315678afecb367f032d93F642f64180aa3", `0x${"11".repeat(32)}`, "0x0102", -3, [1, 2], "x"];
    const encoded = AbiCoder.defaultAbiCoder().encode([type], [raw]);
    const [decoded] = decodeAbi([type], getBytes(encoded));
    expect(decoded.kind).to.equal("tuple");
    expect(Buffer.from(abiEncode(decoded)).toString("hex")).to.equal(encoded.slice(2));
  });

  it("writes JSON trees and Result values graph-ts can read", function () {
    const ptr = writeTree(heap, { kind: "array", value: [{ kind: "number", value: "1.5" }] }, JSON_TYPE_IDS, false);
    const { kind, payload } = heap.readEnum(ptr);
    expect(kind).to.equal(4);
    const [item] = heap.readPointerArray(Number(payload));
    expect(heap.readString(Number(heap.readEnum(item).payload))).to.equal("1.5");

    const codec = result(string, { result: TypeId.ResultJsonValueBool, wrappedValue: TypeId.WrappedJsonValue });
    const ok = Number(codec.write(heap, "v"));
    expect(heap.readString(heap.field(heap.field(ok, 0), 0))).to.equal("v");
    expect(heap.field(ok, 1)).to.equal(0);
    const failed = Number(codec.write(heap, null));
    expect(heap.field(failed, 0)).to.equal(0);
    expect(heap.u8(heap.field(failed, 1))).to.equal(1);
  });

  it("rejects pointers outside memory as deterministic errors", function () {
    expect(() => heap.readString(heap.view.byteLength + 64)).to.throw(DeterministicError, "invalid pointer");
  });

  describe("host functions", function () {
    let fns: Record<string, HostFunction>;

    beforeEach(function () {
      fns = hostFunctions(testContext(subgraph));
    });

    it("provides every host function graph-ts 0.38 declares", function () {
      const declared: string[] = [];
      const files = [
        "index.ts",
        ...readdirSync(join(GRAPH_TS, "common")).map((f) => `common/${f}`),
        "chain/ethereum.ts",
      ];
      for (const file of files) {
        const source = readFileSync(join(GRAPH_TS, file), "utf8");
        for (const block of source.matchAll(/export declare namespace (\w+) \{([\s\S]*?)\n\}/g)) {
          for (const fn of block[2].matchAll(/^\s*function (\w+)\(/gm)) declared.push(`${block[1]}.${fn[1]}`);
        }
        if (source.includes("export declare function log(")) declared.push("log.log");
      }
      expect(declared).to.have.length(53);
      expect(Object.keys(fns).sort()).to.deep.equal([...new Set(declared)].sort());
    });

    it("computes BigInt arithmetic through module memory", function () {
      const big = (value: bigint): number => writeBigInt(heap, value);
      const read = (ptr: WasmValue): bigint => readBigInt(heap, Number(ptr));
      expect(read(call(fns["bigInt.plus"], heap, big(2n ** 200n), big(-1n)))).to.equal(2n ** 200n - 1n);
      expect(read(call(fns["bigInt.minus"], heap, big(5n), big(7n)))).to.equal(-2n);
      expect(read(call(fns["bigInt.times"], heap, big(-3n), big(4n)))).to.equal(-12n);
      expect(read(call(fns["bigInt.dividedBy"], heap, big(-7n), big(2n)))).to.equal(-3n);
      expect(read(call(fns["bigInt.mod"], heap, big(-7n), big(2n)))).to.equal(-1n);
      expect(read(call(fns["bigInt.pow"], heap, big(2n), 100))).to.equal(2n ** 100n);
      expect(read(call(fns["bigInt.bitOr"], heap, big(0b1010n), big(0b0101n)))).to.equal(0b1111n);
      expect(read(call(fns["bigInt.bitAnd"], heap, big(0b1110n), big(0b0111n)))).to.equal(0b0110n);
      expect(read(call(fns["bigInt.leftShift"], heap, big(1n), 255))).to.equal(2n ** 255n);
      expect(read(call(fns["bigInt.rightShift"], heap, big(-9n), 1))).to.equal(-5n);
      expect(read(call(fns["bigInt.fromString"], heap, heap.writeString("-123456789012345678901234567890")))).to.equal(
        -123456789012345678901234567890n,
      );
      expect(() => call(fns["bigInt.dividedBy"], heap, big(1n), big(0n))).to.throw(DeterministicError, "zero");
      expect(() => call(fns["bigInt.fromString"], heap, heap.writeString("12a"))).to.throw(DeterministicError);
      const quotient = call(fns["bigInt.dividedByDecimal"], heap, big(1n), writeBigDecimal(heap, Decimal.parse("4")));
      expect(readBigDecimal(heap, Number(quotient)).toString()).to.equal("0.25");
    });

    it("hashes, converts and logs through module memory", function () {
      const data = heap.writeUint8Array(toUtf8Bytes("abc"));
      const hash = heap.readUint8Array(Number(call(fns["crypto.keccak256"], heap, data)));
      expect(Buffer.from(hash).toString("hex")).to.equal(keccak256(toUtf8Bytes("abc")).slice(2));
      expect(heap.readString(Number(call(fns["typeConversion.bytesToHex"], heap, data)))).to.equal("0x616263");
      expect(heap.readString(Number(call(fns["typeConversion.bytesToBase58"], heap, data)))).to.equal("ZiCa");
      expect(
        bool.read(
          heap,
          call(
            fns["bigDecimal.equals"],
            heap,
            writeBigDecimal(heap, Decimal.parse("1")),
            writeBigDecimal(heap, Decimal.parse("1.0")),
          ),
        ),
      ).to.equal(true);
      expect(() => call(fns["log.log"], heap, 0, heap.writeString("boom"))).to.throw(DeterministicError, "boom");
      expect(() => call(fns["ipfs.cat"], heap, heap.writeString("Qm"))).to.throw(DeterministicError, "ipfs.cat");
      expect(call(fns["ens.nameByHash"], heap, heap.writeString("0x00"))).to.equal(0);
      const address = bytes.read(heap, call(fns["dataSource.address"], heap));
      expect(Buffer.from(address).toString("hex")).to.equal("5fbdb2315678afecb367f032d93f642f64180aa3");
      expect(string.read(heap, call(fns["dataSource.network"], heap))).to.equal("hardhat");
    });

    it("encodes and decodes ABI values through ethereum.encode/decode", function () {
      const value: EthereumValue = {
        kind: "tuple",
        value: [
          { kind: "uint", value: 7n },
          { kind: "string", value: "x" },
        ],
      };
      const encoded = bytes.read(heap, call(fns["ethereum.encode"], heap, writeEthereumValue(heap, value)));
      const decoded = call(
        fns["ethereum.decode"],
        heap,
        heap.writeString("(uint256,string)"),
        heap.writeUint8Array(encoded),
      );
      expect(readEthereumValue(heap, Number(decoded))).to.deep.equal(value);
      const garbage = call(
        fns["ethereum.decode"],
        heap,
        heap.writeString("(uint256,string)"),
        heap.writeUint8Array(new Uint8Array(3)),
      );
      expect(garbage).to.equal(0);
    });

    it("validates entities against the schema and merges updates", async function () {
      const store = new MemoryEntityStore();
      const state = new BlockState(store, subgraph.schema);
      const id = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
      const base: Entity = new Map<string, StoreValue>([
        ["owner", { kind: "Bytes", value: Uint8Array.from([1]) }],
        ["ownerChanges", { kind: "BigInt", value: 1n }],
        ["attributeNames", { kind: "Array", value: [] }],
        ["delegateCount", { kind: "Int8", value: 0n }],
        ["updatedAt", { kind: "Timestamp", value: 5n }],
        ["updatedAtBlock", { kind: "Int", value: 1 }],
        ["deactivated", { kind: "Bool", value: false }],
        ["registryVersion", { kind: "String", value: "1" }],
      ]);
      await state.set("Identity", id, base);
      await state.set(
        "Identity",
        id,
        new Map<string, StoreValue>([
          ["registryVersion", { kind: "Null" }],
          ["ownerChanges", { kind: "BigInt", value: 2n }],
        ]),
      );
      const stored = encodeEntity((await state.get("Identity", id))!);
      expect(stored).to.deep.include({ id, ownerChanges: "2", delegateCount: "0", updatedAt: "5", deactivated: false });
      expect(stored).to.not.have.property("registryVersion");
      await expectReject(
        state.set("Identity", "0x01", new Map([["owner", { kind: "Bytes", value: Uint8Array.from([1]) }]])),
        "non-nullable field `ownerChanges`",
      );
      await expectReject(
        state.set("Identity", id, new Map([["owner", { kind: "String", value: "0x01" }]])),
        "must be Bytes",
      );
      await expectReject(
        state.set("Identity", id, new Map([["nope", { kind: "Int", value: 1 }]])),
        "not in the schema",
      );
      await expectReject(state.set("Nope", id, new Map()), "not in the subgraph schema");
      await expectReject(
        state.set("Identity", id, new Map([["id", { kind: "Bytes", value: Uint8Array.from([9]) }]])),
        "differs",
      );
      expect(() => state.remove("OwnerChange", "0x01")).to.throw(DeterministicError, "immutable");
      await store.commitBlocks([
        { block: { number: 1, hash: "0x01" }, changes: [{ entity: "OwnerChange", id: "0x02", data: { id: "0x02" } }] },
      ]);
      await expectReject(
        state.set("OwnerChange", "0x02", new Map()),
        "entity OwnerChange[0x02] is immutable and already stored: it cannot be updated",
      );
      state.remove("Identity", id);
      expect(await state.get("Identity", id)).to.equal(null);
      expect(state.changes()).to.deep.equal([{ entity: "Identity", id, data: null }]);
    });
  });
});

async function expectReject(promise: Promise<unknown>, message: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(DeterministicError);
    expect((error as Error).message).to.contain(message);
    return;
  }
  expect.fail(`expected a rejection containing ${message}`);
}
