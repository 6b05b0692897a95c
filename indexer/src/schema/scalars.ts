/**
 * The scalars a subgraph schema may use, in one table for every layer: the graph-ts value kind the mapping reads
 * and writes (runtime), the SQL type stored values compare as (GraphQL filters and ordering), and whether it is
 * one of graph-node's custom scalars that every query API declares. Their stored JSON form, written and read
 * through codec.ts, is described in store/types.ts.
 */
import type { StoreValueKindName } from "../runtime/values.ts";

/** The graph-ts value kind of a single (non-list) field value. */
export type ValueKind = Exclude<StoreValueKindName, "Array" | "Null">;

interface Scalar {
  valueKind: ValueKind;
  sql: "text" | "numeric" | "boolean";
  custom: boolean;
}

export const SCALARS = {
  ID: { valueKind: "String", sql: "text", custom: false },
  String: { valueKind: "String", sql: "text", custom: false },
  Bytes: { valueKind: "Bytes", sql: "text", custom: true },
  BigInt: { valueKind: "BigInt", sql: "numeric", custom: true },
  BigDecimal: { valueKind: "BigDecimal", sql: "numeric", custom: true },
  Int: { valueKind: "Int", sql: "numeric", custom: false },
  Int8: { valueKind: "Int8", sql: "numeric", custom: true },
  Timestamp: { valueKind: "Timestamp", sql: "numeric", custom: true },
  Boolean: { valueKind: "Bool", sql: "boolean", custom: false },
} as const satisfies Record<string, Scalar>;

export type ScalarName = keyof typeof SCALARS;

export function isScalar(name: string): name is ScalarName {
  return Object.hasOwn(SCALARS, name);
}

export type CustomScalarName = {
  [K in ScalarName]: (typeof SCALARS)[K]["custom"] extends true ? K : never;
}[ScalarName];

/** graph-node's custom scalars, declared in every API schema. */
export const CUSTOM_SCALARS = (Object.keys(SCALARS) as ScalarName[]).filter(
  (name): name is CustomScalarName => SCALARS[name].custom,
);
