/**
 * graph-node's collection arguments (`where`, `orderBy`, `orderDirection`, `first`, `skip`) checked against the
 * query API and turned into the store's typed {@link Page}, with graph-node's error messages. What a page means
 * in SQL is the store's business (store/queries.ts).
 */
import { GraphQLError } from "graphql";

import type { EntityModel, SubgraphModel } from "../schema/model.ts";
import type { Condition, Page } from "../store/index.ts";
import type { ApiSchema } from "./api-schema.ts";

/** A query error graph-node reports with the same message. */
export class QueryError extends GraphQLError {}

/** Collection arguments after GraphQL coercion. */
export interface CollectionArgs {
  where?: Filter | null;
  orderBy?: string | null;
  orderDirection?: "asc" | "desc" | null;
  first: number;
  skip: number;
}

export type Filter = { [key: string]: unknown };

/** The store page a collection field with `args` reads of `entity`. */
export function pageOf(model: SubgraphModel, api: ApiSchema, entity: EntityModel, args: CollectionArgs): Page {
  return {
    where: args.where === undefined || args.where === null ? null : condition(model, api, entity, args.where),
    orderBy: orderOf(model, entity, args.orderBy ?? "id"),
    direction: args.orderDirection === "desc" ? "desc" : "asc",
    first: args.first,
    skip: args.skip,
  };
}

/** The condition a `<Type>_filter` value sets on entities of `entity`. */
function condition(model: SubgraphModel, api: ApiSchema, entity: EntityModel, where: Filter): Condition {
  if (where.or !== undefined && where.or !== null) {
    const columns = Object.keys(where).filter((k) => k !== "or" && k !== "and" && k !== "_change_block");
    if (columns.length > 0) {
      const list = columns.map((c) => `'${c}'`).join(", ");
      throw new QueryError(
        `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${list} alongside 'or' operator.\n\n` +
          `Instead of:\nwhere: { ${list}, or: [...] }\n\nUse:\nwhere: { or: [{ ${list}, ... }, { ${list}, ... }] }`,
      );
    }
  }
  const parts: Condition[] = [];
  const keys = api.filterKeys.get(entity.name);
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === "and" || key === "or") {
      if (value === null) continue;
      const nested = (value as (Filter | null)[]).map((w) => condition(model, api, entity, w ?? {}));
      parts.push({ kind: key, parts: nested });
    } else if (key === "_change_block") {
      if (value === null) continue;
      parts.push({ kind: "changedSince", block: (value as { number_gte: number }).number_gte });
    } else {
      const filterKey = keys?.get(key);
      if (filterKey === undefined) throw new QueryError(`Type \`${entity.name}\` has no field \`${key}\``);
      const { field, op } = filterKey;
      if (op !== "child") parts.push({ kind: "compare", field: field.name, op, value });
      else if (value !== null) {
        if (field.kind !== "entity") throw new QueryError(`\`${entity.name}.${field.name}\` is not a reference`);
        const target = model.entity.get(field.target)!;
        parts.push({ kind: "child", field: field.name, where: condition(model, api, target, value as Filter) });
      }
    }
  }
  return { kind: "and", parts };
}

/** `orderBy` as the store takes it: a field of the entity, or `<reference>__<field>` of the entity it references. */
function orderOf(model: SubgraphModel, entity: EntityModel, orderBy: string): Page["orderBy"] {
  if (orderBy === "id") return null;
  const [name, childName] = orderBy.split("__", 2) as [string, string | undefined];
  const field = entity.field.get(name);
  const unsupported = new QueryError(`Ordering by \`${orderBy}\` is not supported for type \`${entity.name}\``);
  if (field === undefined || field.list) throw unsupported;
  if (childName === undefined) {
    if (field.kind === "entity" && field.derivedFrom !== null) throw unsupported;
    return { field: name };
  }
  if (field.kind !== "entity") throw unsupported;
  const childField = model.entity.get(field.target)!.field.get(childName);
  if (childField === undefined || childField.list || childField.kind === "entity") throw unsupported;
  return { field: name, child: childName };
}
