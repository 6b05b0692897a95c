/**
 * ABI decoding straight into `ethereum.Value`s, as graph-node decodes with ethabi into plain tokens: event logs,
 * `ethereum.decode` and contract call results. ethers parses the ABI into `ParamType`s; this module reads the words
 * of the data with them, without ethers' `Result` objects and without checksumming addresses the mapping receives
 * as bytes anyway (ethers spent about 140 µs an event on both).
 *
 * It decodes and refuses exactly what ethers' `AbiCoder` does (indexer/test/runtime-abi-decoder.test.ts compares
 * the two on random types and values, intact and damaged):
 * - integers are cut to their declared width (two's complement for `intN`), a boolean is true for any non-zero word,
 *   `bytesN` ignores the rest of its word, data after the last value is ignored;
 * - refused: reading past the data, an offset or length above 2^53 - 1, a dynamic array longer than the data after
 *   it could hold, an address word with any of its 12 high bytes set, text that is not UTF-8, and a decoding that
 *   reads more than 1,024 times the data's size (offsets pointing many values at the same data);
 * - event data is read loosely, as ethers' `Interface.decodeEventLog` does: a `bytes` or `string` value at the end of
 *   the data may lack its padding (an old Solidity encoding).
 */
import type { EventFragment, ParamType } from "ethers";

import { bytesToHex, type EthereumValue } from "./values.ts";

/** Data that does not decode as the ABI types say; ethers refuses it too. */
export class AbiDecodeError extends Error {
  override readonly name = "AbiDecodeError";
}

const WORD = 32;
/** ethers' bound on the bytes a decoding may read per byte of data. */
const MAX_INFLATION = 1024;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes being decoded and the count of bytes read from them, shared by all readers of one decoding. */
interface Source {
  readonly bytes: Uint8Array;
  /** The same memory, for its hex conversion. */
  readonly buffer: Buffer;
  /** Whether the last `bytes` or `string` may lack its padding. */
  readonly loose: boolean;
  read: number;
}

/** Reads the words of the part of the data from `start` on (ethers' `Reader` over a slice of the data). */
class Reader {
  readonly source: Source;
  readonly start: number;
  /** Bytes from `start` to the end of the data. */
  readonly length: number;
  pos = 0;

  constructor(source: Source, start: number) {
    this.source = source;
    this.start = start;
    this.length = Math.max(0, source.bytes.length - start);
  }

  /** The next `length` bytes; the reader moves on by whole words. */
  bytes(length: number, loose = false): Uint8Array {
    let size = Math.ceil(length / WORD) * WORD;
    if (this.pos + size > this.length) {
      if (!(loose && this.source.loose && this.pos + length <= this.length)) {
        throw new AbiDecodeError(
          `data too short: ${length} bytes at ${this.start + this.pos} of ${this.source.bytes.length}`,
        );
      }
      size = length;
    }
    this.source.read += length;
    if (this.source.read > MAX_INFLATION * this.source.bytes.length) {
      throw new AbiDecodeError(
        `decoding reads more than ${MAX_INFLATION} times the ${this.source.bytes.length} bytes of data`,
      );
    }
    const from = this.start + this.pos;
    this.pos += size;
    return this.source.bytes.subarray(from, from + length);
  }

  /** The next word as an unsigned integer. */
  word(): bigint {
    const from = this.start + this.pos;
    this.bytes(WORD);
    return BigInt(`0x${this.source.buffer.toString("hex", from, from + WORD)}`);
  }

  /** The next word as an offset or a length. */
  index(): number {
    const value = this.word();
    if (value > MAX_SAFE) throw new AbiDecodeError(`offset or length ${value} is too large`);
    return Number(value);
  }
}

/** Decodes one ABI type. `dynamic` types are found through an offset in their parent's head. */
interface Coder {
  readonly dynamic: boolean;
  decode(reader: Reader): EthereumValue;
}

/** Decodes consecutive values: static ones in place, dynamic ones at offsets counted from the first value's word. */
function unpack(reader: Reader, coders: readonly Coder[]): EthereumValue[] {
  const base = reader.start + reader.pos;
  return coders.map((coder) =>
    coder.dynamic ? coder.decode(new Reader(reader.source, base + reader.index())) : coder.decode(reader),
  );
}

function integer(bits: number, signed: boolean): Coder {
  return {
    dynamic: false,
    decode: (reader) =>
      signed
        ? { kind: "int", value: BigInt.asIntN(bits, reader.word()) }
        : { kind: "uint", value: BigInt.asUintN(bits, reader.word()) },
  };
}

const address: Coder = {
  dynamic: false,
  decode(reader) {
    const word = reader.bytes(WORD);
    for (let i = 0; i < WORD - 20; i++) {
      if (word[i] !== 0) throw new AbiDecodeError(`address word ${bytesToHex(word)} has high bytes set`);
    }
    return { kind: "address", value: word.subarray(WORD - 20) };
  },
};

const bool: Coder = { dynamic: false, decode: (reader) => ({ kind: "bool", value: reader.word() !== 0n }) };

function fixedBytes(size: number): Coder {
  return { dynamic: false, decode: (reader) => ({ kind: "fixedBytes", value: reader.bytes(size) }) };
}

const bytes: Coder = {
  dynamic: true,
  decode: (reader) => ({ kind: "bytes", value: reader.bytes(reader.index(), true) }),
};

const string: Coder = {
  dynamic: true,
  decode(reader) {
    const raw = reader.bytes(reader.index(), true);
    try {
      return { kind: "string", value: UTF8.decode(raw) };
    } catch {
      throw new AbiDecodeError("string is not UTF-8");
    }
  },
};

function tuple(components: readonly Coder[]): Coder {
  return {
    dynamic: components.some((component) => component.dynamic),
    decode: (reader) => ({ kind: "tuple", value: unpack(reader, components) }),
  };
}

function array(item: Coder, length: number): Coder {
  if (length === -1) {
    return {
      dynamic: true,
      decode(reader) {
        const count = reader.index();
        // ethers' bound: each item takes at least a word, itself or its offset.
        if (count * WORD > reader.length) throw new AbiDecodeError(`array of ${count} items is longer than its data`);
        return { kind: "array", value: unpack(reader, new Array<Coder>(count).fill(item)) };
      },
    };
  }
  const items: readonly Coder[] = new Array<Coder>(length).fill(item);
  return { dynamic: item.dynamic, decode: (reader) => ({ kind: "fixedArray", value: unpack(reader, items) }) };
}

/** The coder of `type`; types ethers cannot decode are refused the same way. */
function coderOf(type: ParamType): Coder {
  if (type.isArray()) return array(coderOf(type.arrayChildren), type.arrayLength);
  if (type.isTuple()) return tuple(type.components.map(coderOf));
  switch (type.baseType) {
    case "address":
      return address;
    case "bool":
      return bool;
    case "string":
      return string;
    case "bytes":
      return bytes;
  }
  const int = /^(u?int)([0-9]*)$/.exec(type.type);
  if (int !== null) {
    const bits = parseInt(int[2] || "256");
    if (bits !== 0 && bits <= 256 && bits % 8 === 0) return integer(bits, int[1] === "int");
  }
  const fixed = /^bytes([0-9]*)$/.exec(type.type);
  if (fixed !== null) {
    const size = parseInt(fixed[1]);
    if (size !== 0 && size <= 32) return fixedBytes(size);
  }
  throw new AbiDecodeError(`unsupported ABI type ${type.format()}`);
}

function decodeWith(coders: readonly Coder[], data: Uint8Array, loose: boolean): EthereumValue[] {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return unpack(new Reader({ bytes, buffer, loose, read: 0 }, 0), coders);
}

/** Decodes ABI-encoded `data` as values of `types` (`AbiCoder.decode`); throws {@link AbiDecodeError}. */
export function decodeAbi(types: readonly ParamType[], data: Uint8Array): EthereumValue[] {
  return decodeWith(types.map(coderOf), data, false);
}

// ---------------------------------------------------------------------------------------------- event logs

/** How one event's logs decode: the coders of its topics and of its data, and which parameter is where. */
interface EventCoder {
  /** topic0 of a non-anonymous event. */
  topic: string | null;
  topics: Coder[];
  data: Coder[];
  indexed: boolean[];
}

const eventCoders = new WeakMap<EventFragment, EventCoder>();

/** An indexed string, bytes, tuple or array exists only as the hash in its topic. */
const hashed = (type: ParamType): boolean =>
  type.type === "string" || type.type === "bytes" || type.isTuple() || type.isArray();

function eventCoder(fragment: EventFragment): EventCoder {
  let coder = eventCoders.get(fragment);
  if (coder === undefined) {
    const inputs = fragment.inputs;
    coder = {
      topic: fragment.anonymous ? null : fragment.topicHash,
      topics: inputs
        .filter((input) => input.indexed)
        .map((input) => (hashed(input) ? fixedBytes(WORD) : coderOf(input))),
      data: inputs.filter((input) => input.indexed !== true).map(coderOf),
      indexed: inputs.map((input) => input.indexed === true),
    };
    eventCoders.set(fragment, coder);
  }
  return coder;
}

/** The bytes of a `0x` hex string; {@link AbiDecodeError} if it is not one. */
export function hexBytes(hex: string): Buffer {
  if (hex.length % 2 !== 0 || !/^0x[0-9a-fA-F]*$/.test(hex)) {
    throw new AbiDecodeError(`invalid hex data ${JSON.stringify(hex)}`);
  }
  return Buffer.from(hex.slice(2), "hex");
}

/**
 * Decodes a log's parameters in the fragment's order (`Interface.decodeEventLog`); an indexed string, bytes, tuple
 * or array is its topic, as `fixedBytes`. Throws {@link AbiDecodeError} for a log that does not fit the fragment.
 */
export function decodeEventLog(fragment: EventFragment, topics: readonly string[], data: string): EthereumValue[] {
  const coder = eventCoder(fragment);
  let first = 0;
  if (coder.topic !== null) {
    if (topics[0]?.toLowerCase() !== coder.topic) throw new AbiDecodeError(`topic0 ${topics[0]} is not ${coder.topic}`);
    first = 1;
  }
  const topicValues = decodeWith(coder.topics, Buffer.concat(topics.slice(first).map(hexBytes)), false);
  const dataValues = decodeWith(coder.data, hexBytes(data), true);
  let topic = 0;
  let word = 0;
  return coder.indexed.map((indexed) => (indexed ? topicValues[topic++] : dataValues[word++]));
}
