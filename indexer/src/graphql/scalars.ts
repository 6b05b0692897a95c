import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from "graphql";

import { STORED_FROM_INPUT, ValueCodecError } from "../schema/codec.ts";
import { CUSTOM_SCALARS } from "../schema/scalars.ts";

function literal(node: ValueNode): unknown {
  if (node.kind === Kind.STRING || node.kind === Kind.FLOAT) return node.value;
  if (node.kind === Kind.INT) return node.value;
  throw new GraphQLError(`Expected a string or number literal, found ${node.kind}`);
}

/**
 * Gives the custom scalars of a schema built from SDL graph-node's input coercions, which turn a value into its
 * stored form (the codec's), and output as stored.
 */
export function installScalars(schema: GraphQLSchema): void {
  for (const name of CUSTOM_SCALARS) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    const parse = (value: unknown) => {
      try {
        return STORED_FROM_INPUT[name](value);
      } catch (error) {
        throw error instanceof ValueCodecError ? new GraphQLError(error.message) : error;
      }
    };
    type.parseValue = parse;
    type.parseLiteral = (node) => parse(literal(node));
    type.serialize = (value) => value;
  }
}
