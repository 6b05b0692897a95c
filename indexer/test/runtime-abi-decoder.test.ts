/**
 * The runtime's ABI decoder against ethers, the reference: random ABI types and values, encoded by ethers' AbiCoder,
 * decoded by both, intact and damaged. Both must give the same values, or both must refuse.
 */
import { expect } from "chai";
import {
  AbiCoder,
  EventFragment,
  getBytes,
  hexlify,
  Indexed,
  Interface,
  keccak256,
  ParamType,
  type Result,
} from "ethers";
import fc from "fast-check";

import { AbiDecodeError, decodeAbi, decodeEventLog } from "../src/runtime/abi-decoder.ts";
import type { EthereumValue } from "../src/runtime/values.ts";

const coder = AbiCoder.defaultAbiCoder();

// ------------------------------------------------------------------------------------------------ the reference

/** What ethers decoded, as an `ethereum.Value` (the conversion the runtime made before it decoded by itself). */
function fromEthers(type: ParamType, value: unknown): EthereumValue {
  if (value instanceof Indexed) return { kind: "fixedBytes", value: getBytes(value.hash!) };
  if (type.isTuple()) {
    const items = value as Result;
    return { kind: "tuple", value: type.components.map((component, i) => fromEthers(component, items[i])) };
  }
  if (type.isArray()) {
    const items = [...(value as Result)] as unknown[];
    const kind = type.arrayLength === -1 ? "array" : "fixedArray";
    return { kind, value: items.map((item) => fromEthers(type.arrayChildren, item)) };
  }
  const base = type.baseType;
  if (base === "address") return { kind: "address", value: getBytes(value as string) };
  if (base === "bool") return { kind: "bool", value: value as boolean };
  if (base === "string") return { kind: "string", value: value as string };
  if (base === "bytes") return { kind: "bytes", value: getBytes(value as string) };
  if (base.startsWith("bytes")) return { kind: "fixedBytes", value: getBytes(value as string) };
  return { kind: base.startsWith("uint") ? "uint" : "int", value: value as bigint };
}

/** Values in a comparable form, or "refused". Any error refuses in ethers; ours must be an AbiDecodeError. */
function outcome(decode: () => EthereumValue[], reference: boolean): string {
  let values: EthereumValue[];
  try {
    values = decode();
  } catch (error) {
    if (reference || error instanceof AbiDecodeError) return "refused";
    throw error;
  }
  return JSON.stringify(values, (_, value: unknown) =>
    value instanceof Uint8Array ? hexlify(value) : typeof value === "bigint" ? `${value}n` : value,
  );
}

// ------------------------------------------------------------------------------------- random types and values

const elementaryType = fc.oneof(
  fc.constantFrom("address", "bool", "string", "bytes"),
  fc.integer({ min: 1, max: 32 }).chain((n) => fc.constantFrom(`uint${n * 8}`, `int${n * 8}`, `bytes${n}`)),
);

const { type: abiType } = fc.letrec<{ type: string; array: string; tuple: string }>((tie) => ({
  type: fc.oneof({ depthSize: "small" }, elementaryType, tie("array"), tie("tuple")),
  array: fc
    .tuple(tie("type"), fc.option(fc.integer({ min: 1, max: 3 })))
    .map(([item, length]) => `${item}[${length ?? ""}]`),
  tuple: fc.array(tie("type"), { minLength: 1, maxLength: 4 }).map((items) => `(${items.join(",")})`),
}));

const hex = (length: { minLength?: number; maxLength: number }) => fc.uint8Array(length).map((bytes) => hexlify(bytes));

/** Values ethers encodes as `type`. */
function valueOf(type: ParamType): fc.Arbitrary<unknown> {
  if (type.isArray()) {
    const item = valueOf(type.arrayChildren);
    const length =
      type.arrayLength === -1 ? { maxLength: 3 } : { minLength: type.arrayLength, maxLength: type.arrayLength };
    return fc.array(item, length);
  }
  if (type.isTuple()) return fc.tuple(...type.components.map(valueOf));
  switch (type.baseType) {
    case "address":
      return hex({ minLength: 20, maxLength: 20 });
    case "bool":
      return fc.boolean();
    case "string":
      return fc
        .tuple(fc.constantFrom("", "\uFEFF"), fc.string({ unit: "grapheme", maxLength: 40 }))
        .map(([a, b]) => a + b);
    case "bytes":
      return hex({ maxLength: 70 });
  }
  const int = /^(u?)int(\d+)$/.exec(type.type);
  if (int !== null) {
    const bits = BigInt(int[2]);
    return int[1] === "u"
      ? fc.bigInt({ min: 0n, max: 2n ** bits - 1n })
      : fc.bigInt({ min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n });
  }
  const size = Number(/^bytes(\d+)$/.exec(type.type)![1]);
  return hex({ minLength: size, maxLength: size });
}

const typedValues = fc
  .array(abiType, { minLength: 1, maxLength: 4 })
  .map((types) => types.map((type) => ParamType.from(type)))
  .chain((types) => fc.tuple(fc.constant(types), fc.tuple(...types.map(valueOf))));

// ------------------------------------------------------------------------------------------------ damage

type Damage = (bytes: Uint8Array) => Uint8Array;

/** Changes that make the data wrong in the ways that matter: lengths, offsets, padding, high bits, the end. */
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.nat().map(
    (n): Damage =>
      (bytes) =>
        bytes.slice(0, n % (bytes.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]): Damage => (bytes) => {
    const out = bytes.slice();
    if (out.length > 0) out[at % out.length] = byte;
    return out;
  }),
  fc
    .tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 512 }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n })))
    .map(([at, value]): Damage => (bytes) => {
      const out = bytes.slice();
      const words = Math.floor(out.length / 32);
      if (words > 0) out.set(getBytes(coder.encode(["uint256"], [value])), (at % words) * 32);
      return out;
    }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map(
    (tail): Damage =>
      (bytes) =>
        Uint8Array.from([...bytes, ...tail]),
  ),
  // A last `bytes` or `string` without its padding, which event data may have.
  fc.integer({ min: 1, max: 31 }).map((n): Damage => (bytes) => {
    let end = bytes.length;
    while (end > bytes.length - n && end > 0 && bytes[end - 1] === 0) end--;
    return bytes.slice(0, end);
  }),
);

const damages = fc.array(damage, { minLength: 1, maxLength: 3 });
const apply = (bytes: Uint8Array, changes: readonly Damage[]): Uint8Array =>
  changes.reduce((out, change) => change(out), bytes);

// ------------------------------------------------------------------------------------------------ data

function compareData(types: ParamType[], data: Uint8Array): string {
  const ours = outcome(() => decodeAbi(types, data), false);
  const theirs = outcome(() => {
    const result = coder.decode(types, data);
    return types.map((type, i) => fromEthers(type, result[i]));
  }, true);
  expect(ours, `${types.map((type) => type.format()).join(",")} ${hexlify(data)}`).to.equal(theirs);
  return ours;
}

describe("runtime: ABI decoding matches ethers", function () {
  this.timeout(120_000);

  it("decodes every value ethers encodes, of random types", function () {
    fc.assert(
      fc.property(typedValues, ([types, values]) => {
        const data = getBytes(coder.encode(types, values));
        expect(compareData(types, data)).to.not.equal("refused");
      }),
      { numRuns: 1_000 },
    );
  });

  it("refuses exactly the damaged data ethers refuses, and decodes the rest as ethers does", function () {
    const seen = { refused: 0, decoded: 0 };
    fc.assert(
      fc.property(typedValues, damages, ([types, values], changes) => {
        const data = apply(getBytes(coder.encode(types, values)), changes);
        seen[compareData(types, data) === "refused" ? "refused" : "decoded"] += 1;
      }),
      { numRuns: 3_000 },
    );
    // Both outcomes must be common for the comparison to mean something.
    expect(seen.refused).to.be.above(300);
    expect(seen.decoded).to.be.above(300);
  });

  it("refuses text that is not UTF-8 and keeps a byte order mark, as ethers does", function () {
    const types = [ParamType.from("string")];
    const cases = ["c3", "ed a0 80", "f4 90 80 80", "c0 80", "e0 80 80", "80", "ef bb bf 41", "f0 9f 98 80"];
    const outcomes = cases.map((bytes) => {
      const text = Buffer.from(bytes.replaceAll(" ", ""), "hex");
      return compareData(types, getBytes(coder.encode(["bytes"], [text])));
    });
    expect(outcomes.slice(0, 6)).to.deep.equal(Array(6).fill("refused"));
    expect(JSON.parse(outcomes[6])[0].value).to.equal("\uFEFFA");
  });

  it("refuses a dynamic array longer than the data after its length could hold", function () {
    const array = (type: string, count: bigint, words: number): string =>
      compareData(
        [ParamType.from(type)],
        getBytes(
          coder.encode(Array<string>(words + 2).fill("uint256"), [32n, count, ...Array<bigint>(words).fill(0n)]),
        ),
      );
    expect(array("uint256[]", 2n, 2)).to.not.equal("refused");
    expect(array("uint256[]", 3n, 2)).to.equal("refused");
    expect(array("uint256[]", 2n ** 40n, 2)).to.equal("refused");
    // Items of no size read nothing: only the bound refuses them.
    expect(array("uint8[0][]", 1n, 0)).to.not.equal("refused");
    expect(array("uint8[0][]", 2n, 0)).to.equal("refused");
  });

  it("refuses data whose offsets make it decode to more than 1,024 times its size", function () {
    // `uint256[][][]` whose arrays of `n` items all point at one array of the level below.
    const nested = (n: number): Uint8Array => {
      const level = (offset: bigint) => [BigInt(n), ...Array<bigint>(n).fill(offset)];
      const words = [32n, ...level(BigInt(32 * n)), ...level(BigInt(32 * n)), ...level(7n)];
      return getBytes(coder.encode(Array<string>(words.length).fill("uint256"), words));
    };
    const types = [ParamType.from("uint256[][][]")];
    expect(compareData(types, nested(40))).to.not.equal("refused");
    expect(compareData(types, nested(64))).to.equal("refused");
  });
});

// ------------------------------------------------------------------------------------------------ event logs

interface LogCase {
  fragment: EventFragment;
  values: unknown[];
}

const eventInputs = fc.array(fc.tuple(abiType, fc.boolean()), { maxLength: 5 });

const logCases: fc.Arbitrary<LogCase> = fc
  .tuple(eventInputs, fc.boolean())
  .map(([inputs, anonymous]) => {
    let indexedLeft = anonymous ? 4 : 3;
    const params = inputs.map(([type, indexed], i) => {
      const isIndexed = indexed && indexedLeft-- > 0;
      return `${type}${isIndexed ? " indexed" : ""} p${i}`;
    });
    const fragment = EventFragment.from(`event E(${params.join(", ")})`);
    return anonymous ? EventFragment.from({ ...JSON.parse(fragment.format("json")), anonymous }) : fragment;
  })
  .chain((fragment) =>
    fc.record({ fragment: fc.constant(fragment), values: fc.tuple(...fragment.inputs.map(valueOf)) }),
  );

/** The log ethers' `encodeEventLog` writes; an indexed string, bytes, tuple or array is a hash in its topic. */
function encodeLog({ fragment, values }: LogCase): { topics: string[]; data: Uint8Array } {
  const topics = fragment.anonymous ? [] : [fragment.topicHash];
  const dataTypes: ParamType[] = [];
  const dataValues: unknown[] = [];
  fragment.inputs.forEach((input, i) => {
    if (!input.indexed) {
      dataTypes.push(input);
      dataValues.push(values[i]);
    } else if (input.type === "string" || input.type === "bytes" || input.isTuple() || input.isArray()) {
      topics.push(keccak256(coder.encode([input], [values[i]])));
    } else topics.push(coder.encode([input], [values[i]]));
  });
  return { topics, data: getBytes(coder.encode(dataTypes, dataValues)) };
}

type TopicDamage = (topics: string[]) => string[];

const topicDamage: fc.Arbitrary<TopicDamage> = fc.oneof(
  fc.constant<TopicDamage>((topics) => topics.slice(0, -1)),
  fc.constant<TopicDamage>((topics) => [...topics, `0x${"ab".repeat(32)}`]),
  fc.nat().map(
    (at): TopicDamage =>
      (topics) =>
        topics.map((topic, i) => (i === at % topics.length ? `0x${"ff".repeat(12)}${topic.slice(26)}` : topic)),
  ),
);

function compareLog(fragment: EventFragment, topics: string[], data: Uint8Array): string {
  const ours = outcome(() => decodeEventLog(fragment, topics, hexlify(data)), false);
  const theirs = outcome(() => {
    const result = new Interface([fragment]).decodeEventLog(fragment, data, topics);
    return fragment.inputs.map((input, i) => fromEthers(input, result[i]));
  }, true);
  expect(ours, `${fragment.format("full")} ${JSON.stringify(topics)} ${hexlify(data)}`).to.equal(theirs);
  return ours;
}

describe("runtime: event log decoding matches ethers", function () {
  this.timeout(120_000);

  it("decodes every log ethers encodes, indexed dynamic values as their topic", function () {
    fc.assert(
      fc.property(logCases, (log) => {
        const { topics, data } = encodeLog(log);
        expect(compareLog(log.fragment, topics, data)).to.not.equal("refused");
      }),
      { numRuns: 1_000 },
    );
  });

  it("refuses exactly the damaged logs ethers refuses, reading event data loosely as ethers does", function () {
    const seen = { refused: 0, decoded: 0 };
    fc.assert(
      fc.property(logCases, damages, fc.option(topicDamage), (log, changes, topicChange) => {
        const { topics, data } = encodeLog(log);
        const outcome = compareLog(
          log.fragment,
          topicChange === null ? topics : topicChange(topics),
          apply(data, changes),
        );
        seen[outcome === "refused" ? "refused" : "decoded"] += 1;
      }),
      { numRuns: 3_000 },
    );
    expect(seen.refused).to.be.above(300);
    expect(seen.decoded).to.be.above(300);
  });

  it("refuses a log of another event", function () {
    const fragment = EventFragment.from("event E(uint256 a)");
    const data = getBytes(coder.encode(["uint256"], [1n]));
    expect(compareLog(fragment, [fragment.topicHash], data)).to.not.equal("refused");
    expect(compareLog(fragment, [EventFragment.from("event F(uint256 a)").topicHash], data)).to.equal("refused");
    expect(compareLog(fragment, [], data)).to.equal("refused");
  });
});
