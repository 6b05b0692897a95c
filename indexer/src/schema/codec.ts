/**
 * The one value codec between the three forms a field value takes: the graph-ts `Value` a mapping writes and reads
 * (runtime), the stored JSON form (see store/types.ts), which GraphQL also answers with, and the GraphQL input a
 * query filters by. Every direction of every scalar is here, so a write and a read of the same value cannot
 * disagree.
 */
import { Decimal } from "../runtime/bignum.ts";
import { bytesToHex, hexToBytes, type Entity, type StoreValue } from "../runtime/values.ts";
import type { EntityData, StoredValue } from "../store/types.ts";
import type { EntityModel, FieldModel, IdType } from "./model.ts";
import type { CustomScalarName } from "./scalars.ts";

/** A value that is not of the form its type needs; the message names the type and the value. */
export class ValueCodecError extends Error {
  override readonly name = "ValueCodecError";
}

// ------------------------------------------------------------------------------------- graph-ts ⇄ stored

/** Encodes a mapping's value into its stored form. */
export function encodeValue(value: StoreValue): StoredValue {
  switch (value.kind) {
    case "String":
    case "Int":
    case "Bool":
      return value.value;
    case "Null":
      return null;
    case "Array":
      return value.value.map(encodeValue);
    case "Bytes":
      return bytesToHex(value.value);
    case "BigDecimal":
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return value.value.toString();
  }
}

export function encodeEntity(entity: Entity): EntityData {
  const out: EntityData = {};
  for (const [field, value] of entity) out[field] = encodeValue(value);
  return out;
}

/** Decodes a stored value of `field` into the value the mapping wrote. */
export function decodeValue(field: Pick<FieldModel, "valueKind" | "list">, stored: StoredValue): StoreValue {
  if (stored === null) return { kind: "Null" };
  if (field.list) {
    if (!Array.isArray(stored))
      throw new ValueCodecError(`stored list field is not an array: ${JSON.stringify(stored)}`);
    return { kind: "Array", value: stored.map((item) => decodeValue({ ...field, list: false }, item)) };
  }
  switch (field.valueKind) {
    case "String":
      return { kind: "String", value: String(stored) };
    case "Bytes":
      return { kind: "Bytes", value: hexToBytes(String(stored)) };
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return { kind: field.valueKind, value: BigInt(String(stored)) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: Decimal.parse(String(stored)) };
    case "Int":
      return { kind: "Int", value: Number(stored) };
    case "Bool":
      return { kind: "Bool", value: stored === true };
  }
}

/** Decodes a stored entity of `type` into the values the mapping wrote (fields the schema no longer has are left out). */
export function decodeEntity(type: EntityModel, data: EntityData): Entity {
  const out: Entity = new Map();
  for (const [name, stored] of Object.entries(data)) {
    const field = type.stored.get(name);
    if (field !== undefined) out.set(name, decodeValue(field, stored));
  }
  return out;
}

/** The `id` value the mapping sees for an entity id string (hex ids of `Bytes` entities become bytes). */
export function idValue(type: EntityModel, id: string): StoreValue {
  return type.idType === "Bytes" ? { kind: "Bytes", value: hexToBytes(id) } : { kind: "String", value: id };
}

// ------------------------------------------------------------------------------------ GraphQL input → stored

/** The stored form of an id given in a query: `Bytes` ids are stored in lowercase, whatever case they are asked in. */
export function storedId(idType: IdType, id: string): string {
  return idType === "Bytes" ? id.toLowerCase() : id;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const HEX = /^(0x)?([0-9a-fA-F]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integerText(name: string, value: unknown, range?: [bigint, bigint]): string {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !INTEGER.test(text))
    throw new ValueCodecError(`${name} value must be an integer: ${String(value)}`);
  const parsed = BigInt(text);
  if (range !== undefined && (parsed < range[0] || parsed > range[1])) {
    throw new ValueCodecError(`${name} value is out of range: ${text}`);
  }
  return parsed.toString();
}

/** Input coercions of graph-node's custom scalars (a JSON value or literal text); each returns the stored form. */
export const STORED_FROM_INPUT: Record<CustomScalarName, (value: unknown) => string> = {
  BigInt: (value) => integerText("BigInt", value),
  Int8: (value) => integerText("Int8", value, [INT64_MIN, INT64_MAX]),
  Timestamp: (value) => integerText("Timestamp", value, [INT64_MIN, INT64_MAX]),
  BigDecimal: (value) => {
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== "string" || !DECIMAL.test(text))
      throw new ValueCodecError(`BigDecimal value is invalid: ${String(value)}`);
    return text;
  },
  Bytes: (value) => {
    const match = typeof value === "string" ? HEX.exec(value) : null;
    if (match === null) throw new ValueCodecError(`Bytes value must be a hex string: ${String(value)}`);
    const digits = match[2]!;
    if (digits.length % 2 !== 0) throw new ValueCodecError(`Bytes value has an odd number of digits: ${String(value)}`);
    return `0x${digits.toLowerCase()}`;
  },
};
