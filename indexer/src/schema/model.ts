/**
 * The one model of a subgraph's `schema.graphql`: entity types (with `@entity`), interfaces and enums, each field
 * with its kind, list-ness, nullability and the graph-ts value kind it holds. Parsed once; the runtime checks and
 * decodes the entities mappings write with it, the GraphQL layer builds its API and queries from it, and the store's
 * query module reads its field types.
 */
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from "graphql";

import { isScalar, SCALARS, type ScalarName, type ValueKind } from "./scalars.ts";

export type IdType = "String" | "Bytes" | "Int8";

export type FieldKind =
  | { kind: "scalar"; scalar: ScalarName }
  | { kind: "enum"; values: string[] }
  | { kind: "entity"; target: string; derivedFrom: string | null };

export type FieldModel = FieldKind & {
  name: string;
  list: boolean;
  /** Non-null (`!` on the outer type). */
  required: boolean;
  /** The graph-ts value kind of the field's items: a reference holds its target's id kind, an enum a string. */
  valueKind: ValueKind;
  /** The field's type as written in the schema, e.g. `[Delegate!]!`. */
  typeText: string;
};

export interface EntityModel {
  name: string;
  isInterface: boolean;
  /** Concrete entity types whose rows this type covers: itself, or every implementation of an interface. */
  concreteTypes: string[];
  /** Interfaces this type implements. */
  interfaces: string[];
  fields: FieldModel[];
  field: ReadonlyMap<string, FieldModel>;
  /** The fields a stored entity holds: all but `@derivedFrom` ones. */
  stored: ReadonlyMap<string, FieldModel>;
  idType: IdType;
  /** `@entity(immutable: true)`: written once, never updated or removed. */
  immutable: boolean;
}

export interface SubgraphModel {
  /** Object entity types first, then interfaces, each in schema order. */
  entities: EntityModel[];
  entity: ReadonlyMap<string, EntityModel>;
  enums: ReadonlyMap<string, string[]>;
}

/** Thrown when a subgraph schema cannot be served. */
export class SubgraphSchemaError extends Error {
  override readonly name = "SubgraphSchemaError";
}

function unwrap(type: TypeNode): { named: string; list: boolean } {
  if (type.kind === Kind.NON_NULL_TYPE) return unwrap(type.type);
  if (type.kind === Kind.LIST_TYPE) return { named: unwrap(type.type).named, list: true };
  return { named: type.name.value, list: false };
}

function typeText(type: TypeNode): string {
  if (type.kind === Kind.NON_NULL_TYPE) return `${typeText(type.type)}!`;
  if (type.kind === Kind.LIST_TYPE) return `[${typeText(type.type)}]`;
  return type.name.value;
}

function immutable(node: ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode): boolean {
  const entity = node.directives?.find((d) => d.name.value === "entity");
  const argument = entity?.arguments?.find((a) => a.name.value === "immutable");
  return argument?.value.kind === Kind.BOOLEAN && argument.value.value;
}

function derivedFrom(directives: readonly ConstDirectiveNode[] | undefined): string | null {
  const directive = directives?.find((d) => d.name.value === "derivedFrom");
  const arg = directive?.arguments?.find((a) => a.name.value === "field");
  if (directive === undefined) return null;
  if (arg?.value.kind !== Kind.STRING) throw new SubgraphSchemaError("@derivedFrom needs a `field` string argument");
  return arg.value.value;
}

type EntityNode = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode;

/** Reads a subgraph's `schema.graphql` (entity types with `@entity`, interfaces, enums) into a model. */
export function parseSubgraphSchema(sdl: string): SubgraphModel {
  const document = parse(sdl);
  const objects: ObjectTypeDefinitionNode[] = [];
  const interfaces: InterfaceTypeDefinitionNode[] = [];
  const enums = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION &&
      definition.directives?.some((d) => d.name.value === "entity")
    ) {
      objects.push(definition);
    } else if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      interfaces.push(definition);
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(definition.name.value, definition.values?.map((v) => v.name.value) ?? []);
    }
  }
  const entityNames = new Set([...objects, ...interfaces].map((d) => d.name.value));
  const implementations = new Map<string, string[]>(interfaces.map((i) => [i.name.value, []]));
  for (const object of objects) {
    for (const implemented of object.interfaces ?? [])
      implementations.get(implemented.name.value)?.push(object.name.value);
  }

  function fieldModel(owner: string, node: FieldDefinitionNode): FieldModel {
    const { named, list } = unwrap(node.type);
    const required = node.type.kind === Kind.NON_NULL_TYPE;
    // A reference's value kind is settled below, once every entity's id type is known.
    const base = { name: node.name.value, list, required, typeText: typeText(node.type), valueKind: "String" as const };
    if (entityNames.has(named))
      return { ...base, kind: "entity", target: named, derivedFrom: derivedFrom(node.directives) };
    const values = enums.get(named);
    if (values !== undefined) return { ...base, kind: "enum", values };
    if (isScalar(named)) return { ...base, kind: "scalar", scalar: named, valueKind: SCALARS[named].valueKind };
    throw new SubgraphSchemaError(`${owner}.${node.name.value} has unknown type ${named}`);
  }

  function entityModel(node: EntityNode, isInterface: boolean, concreteTypes: string[]): EntityModel {
    const name = node.name.value;
    const fields = (node.fields ?? []).map((f) => fieldModel(name, f));
    const id = fields.find((f) => f.name === "id");
    const idType = id?.kind === "scalar" && !id.list ? id.scalar : undefined;
    return {
      name,
      isInterface,
      concreteTypes,
      interfaces: (node.interfaces ?? []).map((i) => i.name.value),
      fields,
      field: new Map(fields.map((f) => [f.name, f])),
      stored: new Map(fields.filter((f) => f.kind !== "entity" || f.derivedFrom === null).map((f) => [f.name, f])),
      idType: idType === "Bytes" || idType === "Int8" ? idType : "String",
      immutable: !isInterface && immutable(node),
    };
  }

  const objectModels = objects.map((o) => entityModel(o, false, [o.name.value]));
  const interfaceModels = interfaces.map((i) => entityModel(i, true, implementations.get(i.name.value) ?? []));
  for (const model of objectModels) {
    const id = model.field.get("id");
    if (id?.kind !== "scalar" || id.list || !["ID", "String", "Bytes", "Int8"].includes(id.scalar)) {
      throw new SubgraphSchemaError(`${model.name} needs an \`id\` field of type ID, String, Bytes or Int8`);
    }
  }
  // An interface's id type is the one of its first implementation, as graph-node does.
  for (const model of interfaceModels) {
    const first = objectModels.find((o) => o.name === model.concreteTypes[0]);
    if (first !== undefined) model.idType = first.idType;
  }
  const entities = [...objectModels, ...interfaceModels];
  const byName = new Map(entities.map((e) => [e.name, e]));
  for (const entity of entities) {
    for (const field of entity.fields) {
      if (field.kind !== "entity") continue;
      field.valueKind = SCALARS[byName.get(field.target)!.idType].valueKind;
      if (field.derivedFrom === null) continue;
      const back = byName.get(field.target)?.field.get(field.derivedFrom);
      if (back?.kind !== "entity") {
        throw new SubgraphSchemaError(
          `${entity.name}.${field.name} is derived from ${field.target}.${field.derivedFrom}, which is not a reference`,
        );
      }
    }
  }
  return { entities, entity: byName, enums };
}
