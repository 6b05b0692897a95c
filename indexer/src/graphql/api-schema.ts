import type { EntityModel, FieldModel, SubgraphModel } from "../schema/model.ts";
import type { FilterOp } from "../store/index.ts";
import { queryFieldNames } from "./inflect.ts";

/** One key of a `<Type>_filter` input: which field it constrains and how. */
export interface FilterKey {
  field: FieldModel;
  /** How it compares the field, or `child` for `<field>_` nested filters. */
  op: FilterOp | "child";
}

/** The query API graph-node serves for a subgraph, plus the lookups the resolvers need. */
export interface ApiSchema {
  /** SDL of the query schema. */
  sdl: string;
  /** Per entity type: filter key name → meaning. */
  filterKeys: ReadonlyMap<string, ReadonlyMap<string, FilterKey>>;
  /** Root query field name → what it reads. */
  rootFields: ReadonlyMap<string, { entity: EntityModel; collection: boolean }>;
}

const NUMERIC_OPS: FilterOp[] = ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"];
const STRING_OPS: FilterOp[] = [
  ...NUMERIC_OPS,
  "contains",
  "contains_nocase",
  "not_contains",
  "not_contains_nocase",
  "starts_with",
  "starts_with_nocase",
  "not_starts_with",
  "not_starts_with_nocase",
  "ends_with",
  "ends_with_nocase",
  "not_ends_with",
  "not_ends_with_nocase",
];
const SCALAR_OPS: Record<string, FilterOp[]> = {
  Boolean: ["", "not", "in", "not_in"],
  Bytes: [...NUMERIC_OPS, "contains", "not_contains"],
  ID: NUMERIC_OPS,
  BigInt: NUMERIC_OPS,
  BigDecimal: NUMERIC_OPS,
  Int: NUMERIC_OPS,
  Int8: NUMERIC_OPS,
  Timestamp: NUMERIC_OPS,
  String: STRING_OPS,
};
const ENUM_OPS: FilterOp[] = ["", "not", "in", "not_in"];

const META_SDL = `
scalar BigDecimal
scalar BigInt
scalar Bytes
"8 bytes signed integer"
scalar Int8
"A string representation of microseconds UNIX timestamp (16 digits)"
scalar Timestamp

"The type for the top-level _meta field"
type _Meta_ {
  block: _Block_!
  "The deployment ID"
  deployment: String!
  "If \`true\`, the subgraph encountered indexing errors at some past block"
  hasIndexingErrors: Boolean!
}

type _Block_ {
  "The hash of the block"
  hash: Bytes
  "The block number"
  number: Int!
  "Integer representation of the timestamp stored in blocks for the chain"
  timestamp: Int
  "The hash of the parent block"
  parentHash: Bytes
}

input BlockChangedFilter {
  number_gte: Int!
}

"The block at which the query should be executed."
input Block_height {
  "Value containing a block hash"
  hash: Bytes
  "Value containing a block number"
  number: Int
  "Value containing the minimum block number; the query runs on the latest block once the subgraph reached it"
  number_gte: Int
}

enum _SubgraphErrorPolicy_ {
  "Data will be returned even if the subgraph has indexing errors"
  allow
  "If the subgraph has indexing errors, data will be omitted. The default."
  deny
}

"Defines the order direction, either ascending or descending"
enum OrderDirection {
  asc
  desc
}
`;

/** The scalar used for filters on references to `target`: its id type, as graph-node does. */
function referenceScalar(model: SubgraphModel, target: string): string {
  return model.entity.get(target)?.idType === "Int8" ? "Int" : "String";
}

function filterInputs(
  model: SubgraphModel,
  field: FieldModel,
): ({ key: string; type: string } & Pick<FilterKey, "op">)[] {
  const inputs: ({ key: string; type: string } & Pick<FilterKey, "op">)[] = [];
  const add = (ops: FilterOp[], type: string, listValued: boolean) => {
    for (const op of ops) {
      const valueType = listValued || op === "in" || op === "not_in" ? `[${type}!]` : type;
      inputs.push({ key: op === "" ? field.name : `${field.name}_${op}`, op, type: valueType });
    }
  };
  const elementType =
    field.kind === "scalar"
      ? field.scalar
      : field.kind === "enum"
        ? field.typeText.replace(/[[\]!]/g, "")
        : field.derivedFrom === null
          ? referenceScalar(model, field.target)
          : null;
  if (elementType !== null) {
    if (field.list) {
      const nocase = elementType === "String";
      const ops: FilterOp[] = nocase
        ? ["", "not", "contains", "contains_nocase", "not_contains", "not_contains_nocase"]
        : ["", "not", "contains", "not_contains"];
      add(ops, elementType, true);
    } else {
      add(field.kind === "enum" ? ENUM_OPS : (SCALAR_OPS[elementType] ?? []), elementType, false);
    }
  }
  if (field.kind === "entity") inputs.push({ key: `${field.name}_`, op: "child", type: `${field.target}_filter` });
  return inputs;
}

function orderByValues(model: SubgraphModel, entity: EntityModel): string[] {
  const values: string[] = [];
  for (const field of entity.fields) {
    values.push(field.name);
    if (field.kind === "entity" && !field.list) {
      for (const child of model.entity.get(field.target)?.fields ?? []) {
        if (!child.list && child.kind !== "entity") values.push(`${field.name}__${child.name}`);
      }
    }
  }
  return values;
}

const COLLECTION_ARGS = (type: string) =>
  `skip: Int = 0, first: Int = 100, orderBy: ${type}_orderBy, orderDirection: OrderDirection, where: ${type}_filter`;
const BLOCK_ARG = "block: Block_height";
const ERROR_POLICY_ARG = "subgraphError: _SubgraphErrorPolicy_! = deny";

function typeSdl(entity: EntityModel): string {
  const implementsClause = entity.interfaces.length > 0 ? ` implements ${entity.interfaces.join(" & ")}` : "";
  const fields = entity.fields.map((f) => {
    const args = f.kind === "entity" && f.list ? `(${COLLECTION_ARGS(f.target)})` : "";
    return `  ${f.name}${args}: ${f.typeText}`;
  });
  const keyword = entity.isInterface ? "interface" : "type";
  return `${keyword} ${entity.name}${implementsClause} {\n${fields.join("\n")}\n}`;
}

/**
 * Builds the query schema graph-node generates for a subgraph: entity types with collection arguments on list
 * fields, `<Type>_filter` inputs, `<Type>_orderBy` enums, and a `Query` type with `<type>`, `<types>` and `_meta`.
 */
export function buildApiSchema(model: SubgraphModel): ApiSchema {
  const parts: string[] = [META_SDL];
  const filterKeys = new Map<string, Map<string, FilterKey>>();
  const rootFields = new Map<string, { entity: EntityModel; collection: boolean }>();
  const queryFields: string[] = [];

  for (const [name, values] of model.enums) parts.push(`enum ${name} {\n${values.map((v) => `  ${v}`).join("\n")}\n}`);
  for (const entity of model.entities) {
    parts.push(typeSdl(entity));

    const keys = new Map<string, FilterKey>();
    const inputs: string[] = [];
    for (const field of entity.fields) {
      for (const input of filterInputs(model, field)) {
        keys.set(input.key, { field, op: input.op });
        inputs.push(`  ${input.key}: ${input.type}`);
      }
    }
    filterKeys.set(entity.name, keys);
    inputs.push(
      '  "Filter for the block changed event."',
      "  _change_block: BlockChangedFilter",
      `  and: [${entity.name}_filter]`,
      `  or: [${entity.name}_filter]`,
    );
    parts.push(`input ${entity.name}_filter {\n${inputs.join("\n")}\n}`);
    parts.push(
      `enum ${entity.name}_orderBy {\n${orderByValues(model, entity)
        .map((v) => `  ${v}`)
        .join("\n")}\n}`,
    );

    const { singular, plural } = queryFieldNames(entity.name);
    rootFields.set(singular, { entity, collection: false });
    rootFields.set(plural, { entity, collection: true });
    queryFields.push(
      `  ${singular}(id: ID!, ${BLOCK_ARG}, ${ERROR_POLICY_ARG}): ${entity.name}`,
      `  ${plural}(${COLLECTION_ARGS(entity.name)}, ${BLOCK_ARG}, ${ERROR_POLICY_ARG}): [${entity.name}!]!`,
    );
  }
  queryFields.push('  "Access to subgraph metadata"', `  _meta(${BLOCK_ARG}): _Meta_`);
  parts.push(`type Query {\n${queryFields.join("\n")}\n}`);
  return { sdl: parts.join("\n\n") + "\n", filterKeys, rootFields };
}
