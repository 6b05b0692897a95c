/**
 * Conversions between module memory and host values: graph-ts `Value` (entity fields), `Entity`
 * (`TypedMap<string, Value>`), `BigInt`, `BigDecimal`, `ethereum.Value` and `JSONValue`/`YAMLValue` trees.
 */
import { AbiCoder } from "ethers";

import { AscHeap, payloadPointer, TypeId, type TypeIdIndex } from "./asc.ts";
import { bigIntToBytes, bytesToBigInt, Decimal } from "./bignum.ts";
import { DeterministicError } from "./errors.ts";

// ---------------------------------------------------------------------------------------------- numbers

export function readBigInt(heap: AscHeap, ptr: number): bigint {
  return bytesToBigInt(heap.readUint8Array(ptr));
}

export function writeBigInt(heap: AscHeap, value: bigint): number {
  return heap.writeUint8Array(bigIntToBytes(value));
}

export function readBigDecimal(heap: AscHeap, ptr: number): Decimal {
  const exp = readBigInt(heap, heap.field(ptr, 1));
  return new Decimal(readBigInt(heap, heap.field(ptr, 0)), Number(exp));
}

export function writeBigDecimal(heap: AscHeap, value: Decimal): number {
  const digits = writeBigInt(heap, value.digits);
  const exp = writeBigInt(heap, BigInt(value.exp));
  return heap.writeObject(TypeId.BigDecimal, [digits, exp]);
}

// ---------------------------------------------------------------------------------------- store values

/** graph-ts `ValueKind` (common/value.ts). */
export const StoreValueKind = {
  String: 0,
  Int: 1,
  BigDecimal: 2,
  Bool: 3,
  Array: 4,
  Null: 5,
  Bytes: 6,
  BigInt: 7,
  Int8: 8,
  Timestamp: 9,
} as const;

/** A graph-ts `Value` on the host side. */
export type StoreValue =
  | { kind: "String"; value: string }
  | { kind: "Int"; value: number }
  | { kind: "BigDecimal"; value: Decimal }
  | { kind: "Bool"; value: boolean }
  | { kind: "Array"; value: StoreValue[] }
  | { kind: "Null" }
  | { kind: "Bytes"; value: Uint8Array }
  | { kind: "BigInt"; value: bigint }
  | { kind: "Int8"; value: bigint }
  | { kind: "Timestamp"; value: bigint };

export type StoreValueKindName = StoreValue["kind"];

/** Entity fields by name, in insertion order. */
export type Entity = Map<string, StoreValue>;

export function readStoreValue(heap: AscHeap, ptr: number): StoreValue {
  const { kind, payload } = heap.readEnum(ptr);
  const pointer = payloadPointer(payload);
  switch (kind) {
    case StoreValueKind.String:
      return { kind: "String", value: heap.readString(pointer) };
    case StoreValueKind.Int:
      return { kind: "Int", value: Number(BigInt.asIntN(32, payload)) };
    case StoreValueKind.BigDecimal:
      return { kind: "BigDecimal", value: readBigDecimal(heap, pointer) };
    case StoreValueKind.Bool:
      return { kind: "Bool", value: payload !== 0n };
    case StoreValueKind.Array:
      return { kind: "Array", value: heap.readPointerArray(pointer).map((item) => readStoreValue(heap, item)) };
    case StoreValueKind.Null:
      return { kind: "Null" };
    case StoreValueKind.Bytes:
      return { kind: "Bytes", value: heap.readUint8Array(pointer) };
    case StoreValueKind.BigInt:
      return { kind: "BigInt", value: readBigInt(heap, pointer) };
    case StoreValueKind.Int8:
      return { kind: "Int8", value: payload };
    case StoreValueKind.Timestamp:
      return { kind: "Timestamp", value: payload };
    default:
      throw new DeterministicError(`unknown store value kind ${kind}`);
  }
}

export function writeStoreValue(heap: AscHeap, value: StoreValue): number {
  return heap.writeEnum(TypeId.StoreValue, StoreValueKind[value.kind], storeValuePayload(heap, value));
}

/** The payload of a `Value`: the value itself, or a pointer to it written into memory. */
function storeValuePayload(heap: AscHeap, value: StoreValue): bigint {
  switch (value.kind) {
    case "String":
      return BigInt(heap.writeString(value.value));
    case "Int":
      return BigInt(value.value);
    case "BigDecimal":
      return BigInt(writeBigDecimal(heap, value.value));
    case "Bool":
      return value.value ? 1n : 0n;
    case "Array": {
      const items = value.value.map((item) => writeStoreValue(heap, item));
      return BigInt(heap.writePointerArray(items, TypeId.ArrayStoreValue));
    }
    case "Null":
      return 0n;
    case "Bytes":
      return BigInt(heap.writeUint8Array(value.value));
    case "BigInt":
      return BigInt(writeBigInt(heap, value.value));
    case "Int8":
    case "Timestamp":
      return value.value;
  }
}

/** Reads a `TypedMap<string, V>` with `readValue` for the values. */
export function readTypedMap<V>(heap: AscHeap, ptr: number, readValue: (ptr: number) => V): Map<string, V> {
  const out = new Map<string, V>();
  for (const entry of heap.readPointerArray(heap.field(ptr, 0))) {
    out.set(heap.readString(heap.field(entry, 0)), readValue(heap.field(entry, 1)));
  }
  return out;
}

interface MapTypeIds {
  map: TypeIdIndex;
  entries: TypeIdIndex;
  entry: TypeIdIndex;
}

/** Writes a `TypedMap<K, V>` whose keys and values are already in memory. */
function writeTypedMap(heap: AscHeap, entries: [number, number][], ids: MapTypeIds): number {
  const entryPtrs = entries.map(([key, value]) => heap.writeObject(ids.entry, [key, value]));
  return heap.writeObject(ids.map, [heap.writePointerArray(entryPtrs, ids.entries)]);
}

export function readEntity(heap: AscHeap, ptr: number): Entity {
  return readTypedMap(heap, ptr, (value) => readStoreValue(heap, value));
}

export function writeEntity(heap: AscHeap, entity: Entity): number {
  const entries: [number, number][] = [...entity].map(([key, value]) => [
    heap.writeString(key),
    writeStoreValue(heap, value),
  ]);
  return writeTypedMap(heap, entries, {
    map: TypeId.TypedMapStringStoreValue,
    entries: TypeId.ArrayTypedMapEntryStringStoreValue,
    entry: TypeId.TypedMapEntryStringStoreValue,
  });
}

// ------------------------------------------------------------------------------------- ethereum values

/** graph-ts `ethereum.ValueKind` (chain/ethereum.ts). */
export const EthereumValueKind = {
  address: 0,
  fixedBytes: 1,
  bytes: 2,
  int: 3,
  uint: 4,
  bool: 5,
  string: 6,
  fixedArray: 7,
  array: 8,
  tuple: 9,
} as const;

/** An `ethereum.Value` on the host side (an address is its 20 bytes, as the mapping holds it). */
export type EthereumValue =
  | { kind: "address" | "fixedBytes" | "bytes"; value: Uint8Array }
  | { kind: "int" | "uint"; value: bigint }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "fixedArray" | "array" | "tuple"; value: EthereumValue[] };

/** The Solidity type and ethers value that encode `value` (empty arrays encode the same for any item type). */
export function toEthers(value: EthereumValue): { type: string; value: unknown } {
  switch (value.kind) {
    case "address":
      return { type: "address", value: bytesToHex(value.value) };
    case "bool":
    case "string":
      return { type: value.kind, value: value.value };
    case "bytes":
      return { type: "bytes", value: value.value };
    case "fixedBytes":
      return { type: `bytes${value.value.length}`, value: value.value };
    case "int":
      return { type: "int256", value: value.value };
    case "uint":
      return { type: "uint256", value: value.value };
    case "tuple": {
      const items = value.value.map(toEthers);
      return { type: `(${items.map((item) => item.type).join(",")})`, value: items.map((item) => item.value) };
    }
    case "array":
    case "fixedArray": {
      const items = value.value.map(toEthers);
      const itemType = items[0]?.type ?? "uint256";
      const suffix = value.kind === "array" ? "[]" : `[${items.length}]`;
      return { type: `${itemType}${suffix}`, value: items.map((item) => item.value) };
    }
  }
}

export function abiEncode(value: EthereumValue): Uint8Array {
  const { type, value: raw } = toEthers(value);
  return hexToBytes(AbiCoder.defaultAbiCoder().encode([type], [raw]));
}

export function readEthereumValue(heap: AscHeap, ptr: number): EthereumValue {
  const { kind, payload } = heap.readEnum(ptr);
  const pointer = payloadPointer(payload);
  switch (kind) {
    case EthereumValueKind.address: {
      const address = heap.readUint8Array(pointer);
      if (address.length !== 20)
        throw new DeterministicError(`ethereum.Value address has ${address.length} bytes, not 20`);
      return { kind: "address", value: address };
    }
    case EthereumValueKind.fixedBytes:
      return { kind: "fixedBytes", value: heap.readUint8Array(pointer) };
    case EthereumValueKind.bytes:
      return { kind: "bytes", value: heap.readUint8Array(pointer) };
    case EthereumValueKind.int:
      return { kind: "int", value: readBigInt(heap, pointer) };
    case EthereumValueKind.uint:
      return { kind: "uint", value: readBigInt(heap, pointer) };
    case EthereumValueKind.bool:
      return { kind: "bool", value: payload !== 0n };
    case EthereumValueKind.string:
      return { kind: "string", value: heap.readString(pointer) };
    case EthereumValueKind.fixedArray:
      return { kind: "fixedArray", value: readEthereumValues(heap, pointer) };
    case EthereumValueKind.array:
      return { kind: "array", value: readEthereumValues(heap, pointer) };
    case EthereumValueKind.tuple:
      return { kind: "tuple", value: readEthereumValues(heap, pointer) };
    default:
      throw new DeterministicError(`unknown ethereum value kind ${kind}`);
  }
}

export function readEthereumValues(heap: AscHeap, ptr: number): EthereumValue[] {
  return heap.readPointerArray(ptr).map((item) => readEthereumValue(heap, item));
}

export function writeEthereumValue(heap: AscHeap, value: EthereumValue): number {
  return heap.writeEnum(TypeId.EthereumValue, EthereumValueKind[value.kind], ethereumValuePayload(heap, value));
}

/** The payload of an `ethereum.Value`: a pointer to the value written into memory, or the boolean. */
function ethereumValuePayload(heap: AscHeap, value: EthereumValue): bigint {
  switch (value.kind) {
    case "address":
    case "fixedBytes":
    case "bytes":
      return BigInt(heap.writeUint8Array(value.value));
    case "int":
    case "uint":
      return BigInt(writeBigInt(heap, value.value));
    case "bool":
      return value.value ? 1n : 0n;
    case "string":
      return BigInt(heap.writeString(value.value));
    case "fixedArray":
    case "array":
    case "tuple":
      return BigInt(writeEthereumValues(heap, value.value));
  }
}

export function writeEthereumValues(heap: AscHeap, values: readonly EthereumValue[]): number {
  const items = values.map((item) => writeEthereumValue(heap, item));
  return heap.writePointerArray(items, TypeId.ArrayEthereumValue);
}

// ------------------------------------------------------------------------------- JSON and YAML trees

/** A parsed JSON or YAML document; numbers keep their source text, as graph-ts expects. */
export type TreeValue =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "number"; value: string }
  | { kind: "string"; value: string }
  | { kind: "array"; value: TreeValue[] }
  | { kind: "object"; value: [TreeValue, TreeValue][] }
  | { kind: "tagged"; tag: string; value: TreeValue };

/** Kind numbers shared by `JSONValueKind` and `YAMLValueKind` (TAGGED exists in YAML only). */
const TreeKind = { null: 0, bool: 1, number: 2, string: 3, array: 4, object: 5, tagged: 6 } as const;

export interface TreeTypeIds {
  value: TypeIdIndex;
  array: TypeIdIndex;
  map: TypeIdIndex;
  entries: TypeIdIndex;
  entry: TypeIdIndex;
  tagged?: TypeIdIndex;
}

export const JSON_TYPE_IDS: TreeTypeIds = {
  value: TypeId.JsonValue,
  array: TypeId.ArrayJsonValue,
  map: TypeId.TypedMapStringJsonValue,
  entries: TypeId.ArrayTypedMapEntryStringJsonValue,
  entry: TypeId.TypedMapEntryStringJsonValue,
};

export const YAML_TYPE_IDS: TreeTypeIds = {
  value: TypeId.YamlValue,
  array: TypeId.YamlArrayValue,
  map: TypeId.YamlTypedMapValueValue,
  entries: TypeId.YamlArrayTypedMapEntryValueValue,
  entry: TypeId.YamlTypedMapEntryValueValue,
  tagged: TypeId.YamlTaggedValue,
};

/**
 * Writes a JSON value (object keys are strings) or a YAML value (object keys are values) into memory.
 * `keysAsValues` selects the YAML shape.
 */
export function writeTree(heap: AscHeap, tree: TreeValue, ids: TreeTypeIds, keysAsValues: boolean): number {
  const write = (payload: number | bigint): number => heap.writeEnum(ids.value, TreeKind[tree.kind], BigInt(payload));
  switch (tree.kind) {
    case "null":
      return write(0);
    case "bool":
      return write(tree.value ? 1 : 0);
    case "number":
    case "string":
      return write(heap.writeString(tree.value));
    case "array": {
      const items = tree.value.map((item) => writeTree(heap, item, ids, keysAsValues));
      return write(heap.writePointerArray(items, ids.array));
    }
    case "object": {
      const entries: [number, number][] = tree.value.map(([key, value]) => [
        keysAsValues || key.kind !== "string" ? writeTree(heap, key, ids, keysAsValues) : heap.writeString(key.value),
        writeTree(heap, value, ids, keysAsValues),
      ]);
      return write(writeTypedMap(heap, entries, ids));
    }
    case "tagged": {
      if (ids.tagged === undefined) throw new DeterministicError("tagged values exist in YAML only");
      const inner = writeTree(heap, tree.value, ids, keysAsValues);
      return write(heap.writeObject(ids.tagged, [heap.writeString(tree.tag), inner]));
    }
  }
}

// ------------------------------------------------------------------------------------------------ bytes

export function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  // Buffer stops at the first pair that is not hex: a shorter result means the text was not hex.
  const bytes = Buffer.from(body, "hex");
  if (body.length % 2 !== 0 || bytes.length * 2 !== body.length) {
    throw new DeterministicError(`invalid hex string ${JSON.stringify(hex)}`);
  }
  return Uint8Array.from(bytes);
}

export function bytesToHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}
