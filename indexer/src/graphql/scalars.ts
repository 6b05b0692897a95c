import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from "graphql";

import { CUSTOM_SCALARS, type CustomScalarName } from "../schema/scalars.js";

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const HEX = /^(0x)?([0-9a-fA-F]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integerText(name: string, value: unknown, range?: [bigint, bigint]): string {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !INTEGER.test(text))
    throw new GraphQLError(`${name} value must be an integer: ${String(value)}`);
  const parsed = BigInt(text);
  if (range !== undefined && (parsed < range[0] || parsed > range[1])) {
    throw new GraphQLError(`${name} value is out of range: ${text}`);
  }
  return parsed.toString();
}

/** Input coercions of graph-node's scalars; every result is the stored text form (see store/types.ts). */
export const PARSERS: Record<CustomScalarName, (value: unknown) => string> = {
  BigInt: (value) => integerText("BigInt", value),
  Int8: (value) => integerText("Int8", value, [INT64_MIN, INT64_MAX]),
  Timestamp: (value) => integerText("Timestamp", value, [INT64_MIN, INT64_MAX]),
  BigDecimal: (value) => {
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== "string" || !DECIMAL.test(text))
      throw new GraphQLError(`BigDecimal value is invalid: ${String(value)}`);
    return text;
  },
  Bytes: (value) => {
    const match = typeof value === "string" ? HEX.exec(value) : null;
    if (match === null) throw new GraphQLError(`Bytes value must be a hex string: ${String(value)}`);
    const digits = match[2]!;
    if (digits.length % 2 !== 0) throw new GraphQLError(`Bytes value has an odd number of digits: ${String(value)}`);
    return `0x${digits.toLowerCase()}`;
  },
};

function literal(node: ValueNode): unknown {
  if (node.kind === Kind.STRING || node.kind === Kind.FLOAT) return node.value;
  if (node.kind === Kind.INT) return node.value;
  throw new GraphQLError(`Expected a string or number literal, found ${node.kind}`);
}

/** Gives the custom scalars of a schema built from SDL their graph-node input coercions. */
export function installScalars(schema: GraphQLSchema): void {
  for (const name of CUSTOM_SCALARS) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    const parse = PARSERS[name];
    type.parseValue = parse;
    type.parseLiteral = (node) => parse(literal(node));
    type.serialize = (value) => value;
  }
}
