/**
 * What the runtime needs from `schema.graphql`: for each entity type, the store value kind of each stored
 * field, so entities read back from the store become the same graph-ts `Value`s the mapping wrote, and so
 * writes are checked like graph-node checks them (unknown fields, wrong kinds, missing required fields).
 */
import {
  Kind,
  parse,
  type DirectiveNode,
  type FieldDefinitionNode,
  type InterfaceTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from "graphql";

import { Decimal } from "./bignum.js";
import { DeterministicError, ManifestError } from "./errors.js";
import { bytesToHex, hexToBytes, type Entity, type StoreValue, type StoreValueKindName } from "./values.js";
import { isScalar, SCALARS } from "../schema/scalars.js";
import type { EntityData, StoredValue } from "../store/types.js";

/** Scalar value kind of a field (references are the kind of the referenced entity's id). */
type ScalarKind = Exclude<StoreValueKindName, "Array" | "Null">;

export interface FieldType {
  kind: ScalarKind;
  list: boolean;
  required: boolean;
}

export interface EntityType {
  name: string;
  immutable: boolean;
  /** Stored fields (no `@derivedFrom`), including `id`. */
  fields: Map<string, FieldType>;
}

const scalarKind = (name: string): ScalarKind | undefined => (isScalar(name) ? SCALARS[name].valueKind : undefined);

function directive(node: { directives?: readonly DirectiveNode[] }, name: string): DirectiveNode | undefined {
  return node.directives?.find((d) => d.name.value === name);
}

function unwrap(type: TypeNode): { name: string; list: boolean; required: boolean } {
  const required = type.kind === Kind.NON_NULL_TYPE;
  const inner = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (inner.kind === Kind.LIST_TYPE) return { name: unwrap(inner.type).name, list: true, required };
  if (inner.kind === Kind.NAMED_TYPE) return { name: inner.name.value, list: false, required };
  return unwrap(inner);
}

/** Entity types of a subgraph schema, by name. */
export class SubgraphSchema {
  readonly entities = new Map<string, EntityType>();

  constructor(source: string) {
    const document = parse(source);
    const enums = new Set<string>();
    const composite = new Map<string, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION) enums.add(definition.name.value);
      if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
        composite.set(definition.name.value, definition);
      }
    }
    const idKind = (typeName: string): ScalarKind => {
      const id = composite.get(typeName)?.fields?.find((field) => field.name.value === "id");
      return id === undefined ? "String" : (scalarKind(unwrap(id.type).name) ?? "String");
    };
    const fieldType = (field: FieldDefinitionNode): FieldType => {
      const { name, list, required } = unwrap(field.type);
      const scalar = scalarKind(name) ?? (enums.has(name) ? "String" : composite.has(name) ? idKind(name) : undefined);
      if (scalar === undefined) throw new ManifestError(`schema field ${field.name.value} has unknown type ${name}`);
      return { kind: scalar, list, required };
    };
    for (const [name, definition] of composite) {
      const entity = definition.kind === Kind.OBJECT_TYPE_DEFINITION ? directive(definition, "entity") : undefined;
      if (entity === undefined) continue;
      const immutable = entity.arguments?.find((argument) => argument.name.value === "immutable");
      const fields = new Map<string, FieldType>();
      for (const field of definition.fields ?? []) {
        if (directive(field, "derivedFrom") === undefined) fields.set(field.name.value, fieldType(field));
      }
      this.entities.set(name, {
        name,
        immutable: immutable?.value.kind === Kind.BOOLEAN && immutable.value.value,
        fields,
      });
    }
  }

  entity(name: string): EntityType {
    const type = this.entities.get(name);
    if (type === undefined) throw new DeterministicError(`entity type ${name} is not in the subgraph schema`);
    return type;
  }

  /** The `id` value the mapping sees for an entity id string (hex ids of `Bytes` entities become bytes). */
  idValue(entity: string, id: string): StoreValue {
    const kind = this.entity(entity).fields.get("id")?.kind ?? "String";
    return kind === "Bytes" ? { kind: "Bytes", value: hexToBytes(id) } : { kind: "String", value: id };
  }

  /** Checks an entity the mapping wants to store, like graph-node does before writing it. */
  validate(entity: string, id: string, data: Entity): void {
    const type = this.entity(entity);
    const where = `entity ${entity}[${id}]`;
    for (const [field, value] of data) {
      const declared = type.fields.get(field);
      if (declared === undefined)
        throw new DeterministicError(`${where} has field \`${field}\` that is not in the schema`);
      checkKind(where, field, declared, value);
    }
    for (const [field, declared] of type.fields) {
      const value = data.get(field);
      if (declared.required && (value === undefined || value.kind === "Null")) {
        throw new DeterministicError(`${where} is missing a value for the non-nullable field \`${field}\``);
      }
    }
  }

  /** Decodes a stored entity into the values the mapping wrote. */
  decode(entity: string, data: EntityData): Entity {
    const type = this.entity(entity);
    const out: Entity = new Map();
    for (const [field, stored] of Object.entries(data)) {
      const declared = type.fields.get(field);
      if (declared !== undefined) out.set(field, decodeValue(declared, stored));
    }
    return out;
  }
}

function checkKind(where: string, field: string, declared: FieldType, value: StoreValue): void {
  if (value.kind === "Null") return;
  const fail = (): never => {
    const expected = declared.list ? `[${declared.kind}]` : declared.kind;
    throw new DeterministicError(`${where}: field \`${field}\` must be ${expected}, the mapping set ${value.kind}`);
  };
  if (declared.list) {
    if (value.kind !== "Array") fail();
    else for (const item of value.value) checkKind(where, field, { ...declared, list: false }, item);
  } else if (value.kind !== declared.kind) fail();
}

function decodeValue(type: FieldType, stored: StoredValue): StoreValue {
  if (stored === null) return { kind: "Null" };
  if (type.list) {
    if (!Array.isArray(stored))
      throw new DeterministicError(`stored list field is not an array: ${JSON.stringify(stored)}`);
    return { kind: "Array", value: stored.map((item) => decodeValue({ ...type, list: false }, item)) };
  }
  switch (type.kind) {
    case "String":
      return { kind: "String", value: String(stored) };
    case "Bytes":
      return { kind: "Bytes", value: hexToBytes(String(stored)) };
    case "BigInt":
      return { kind: "BigInt", value: BigInt(String(stored)) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: Decimal.parse(String(stored)) };
    case "Int":
      return { kind: "Int", value: Number(stored) };
    case "Int8":
      return { kind: "Int8", value: BigInt(String(stored)) };
    case "Timestamp":
      return { kind: "Timestamp", value: BigInt(String(stored)) };
    case "Bool":
      return { kind: "Bool", value: stored === true };
  }
}

/** Encodes a store value for {@link EntityData} (see store/types.ts). */
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
