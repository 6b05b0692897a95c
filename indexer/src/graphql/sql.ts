import { GraphQLError } from "graphql";

import { storedId } from "../schema/codec.ts";
import { SCALARS } from "../schema/scalars.ts";
import { visibleAt, type StoreTables } from "../store/index.ts";
import type { ApiSchema } from "./api-schema.ts";
import type { EntityModel, FieldModel, SubgraphModel } from "../schema/model.ts";

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

/** Bound parameters of one SQL statement. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

type Cast = "numeric" | "boolean" | "text";

/**
 * Translates graph-node collection queries (filters, ordering, paging, block) into SQL over the entity
 * versions table of one subgraph. Field names are GraphQL names checked against the schema, so they are
 * inlined as literals; every value is a bound parameter.
 */
export class QueryBuilder {
  private aliases = 0;
  readonly params = new SqlParams();

  constructor(
    private readonly model: SubgraphModel,
    private readonly api: ApiSchema,
    private readonly tables: StoreTables,
    private readonly block: number | null,
  ) {}

  private alias(): string {
    return `t${++this.aliases}`;
  }

  private entity(name: string): EntityModel {
    const entity = this.model.entity.get(name);
    if (entity === undefined) throw new QueryError(`Type \`${name}\` is not an entity type`);
    return entity;
  }

  private typesParam(entity: EntityModel): string {
    return `${this.params.add(entity.concreteTypes)}::text[]`;
  }

  /** The rows of `entity` visible at the query block, as alias `alias` (without filters). */
  private source(entity: EntityModel, alias: string): string {
    return `${alias}.entity = ANY(${this.typesParam(entity)}) AND ${visibleAt(alias, this.block)}`;
  }

  private cast(entity: EntityModel, field: FieldModel): Cast {
    if (field.name === "id") return entity.idType === "Int8" ? "numeric" : "text";
    if (field.kind === "scalar") return SCALARS[field.scalar].sql;
    if (field.kind === "entity") return this.entity(field.target).idType === "Int8" ? "numeric" : "text";
    return "text";
  }

  /** Typed SQL expression of a single-valued field. */
  private expr(entity: EntityModel, field: FieldModel, alias: string): string {
    const raw = field.name === "id" ? `${alias}.id` : `(${alias}.data->>'${field.name}')`;
    const cast = this.cast(entity, field);
    return cast === "text" ? raw : `${raw}::${cast}`;
  }

  private idOrder(entity: EntityModel, alias: string, direction: string): string {
    const id = entity.idType === "Int8" ? `${alias}.id::numeric` : `${alias}.id COLLATE "C"`;
    return `${id} ${direction}`;
  }

  /** Ids a reference filter compares with, in their stored form. */
  private referenceValue(field: FieldModel, value: unknown): unknown {
    if (field.kind !== "entity") return value;
    const { idType } = this.entity(field.target);
    const stored = (v: unknown) => (typeof v === "string" ? storedId(idType, v) : v);
    return Array.isArray(value) ? value.map(stored) : stored(value);
  }

  /** SQL condition for a `<Type>_filter` value on rows of `entity` aliased `alias`. */
  filter(entity: EntityModel, alias: string, where: Filter): string {
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
    const conditions: string[] = [];
    const keys = this.api.filterKeys.get(entity.name);
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === "and" || key === "or") {
        if (value === null) continue;
        const parts = (value as (Filter | null)[]).map((w) => this.filter(entity, alias, w ?? {}));
        conditions.push(
          parts.length === 0 ? (key === "and" ? "TRUE" : "FALSE") : `(${parts.join(key === "and" ? " AND " : " OR ")})`,
        );
      } else if (key === "_change_block") {
        if (value === null) continue;
        conditions.push(
          `${alias}.block_from >= ${this.params.add((value as { number_gte: number }).number_gte)}::integer`,
        );
      } else {
        const filterKey = keys?.get(key);
        if (filterKey === undefined) throw new QueryError(`Type \`${entity.name}\` has no field \`${key}\``);
        conditions.push(this.condition(entity, alias, filterKey.field, filterKey.op, value));
      }
    }
    return conditions.length === 0 ? "TRUE" : conditions.join(" AND ");
  }

  private condition(entity: EntityModel, alias: string, field: FieldModel, op: string, value: unknown): string {
    if (op === "child") return value === null ? "TRUE" : this.childCondition(entity, alias, field, value as Filter);
    const normalized = this.referenceValue(field, value);
    return field.list
      ? this.listCondition(alias, field, op, normalized)
      : this.scalarCondition(entity, alias, field, op, normalized);
  }

  private scalarCondition(entity: EntityModel, alias: string, field: FieldModel, op: string, value: unknown): string {
    const expr = this.expr(entity, field, alias);
    const cast = this.cast(entity, field);
    const param = () => `${this.params.add(value)}::${cast}`;
    const ordered = cast === "text" ? `${expr} COLLATE "C"` : expr;
    const isBytes = field.kind === "scalar" && field.scalar === "Bytes";
    switch (op) {
      case "":
        return value === null ? `${expr} IS NULL` : `${expr} = ${param()}`;
      case "not":
        return value === null ? `${expr} IS NOT NULL` : `${expr} <> ${param()}`;
      case "gt":
        return `${ordered} > ${param()}`;
      case "lt":
        return `${ordered} < ${param()}`;
      case "gte":
        return `${ordered} >= ${param()}`;
      case "lte":
        return `${ordered} <= ${param()}`;
      case "in":
        return `${expr} = ANY(${this.params.add(value)}::${cast}[])`;
      case "not_in":
        return `NOT (${expr} = ANY(${this.params.add(value)}::${cast}[]))`;
    }
    const negated = op.startsWith("not_");
    const base = negated ? op.slice(4) : op;
    const nocase = base.endsWith("_nocase");
    const test = nocase ? base.slice(0, -7) : base;
    const p = this.params.add(value);
    const [subject, needle] = nocase ? [`lower(${expr})`, `lower(${p}::text)`] : [expr, `${p}::text`];
    let condition: string;
    if (test === "contains" && isBytes) {
      // Byte-aligned containment: compare the decoded bytes, not the hex text.
      condition = `position(decode(substr(${p}::text, 3), 'hex') in decode(substr(${expr}, 3), 'hex')) > 0`;
    } else if (test === "contains") {
      condition = `strpos(${subject}, ${needle}) > 0`;
    } else if (test === "starts_with") {
      condition = `starts_with(${subject}, ${needle})`;
    } else if (test === "ends_with") {
      condition = `right(${subject}, length(${needle})) = ${needle}`;
    } else {
      throw new QueryError(`Filter not supported by value \`${JSON.stringify(value)}\`: \`${field.name}_${op}\``);
    }
    return negated ? `NOT (${condition})` : condition;
  }

  private listCondition(alias: string, field: FieldModel, op: string, value: unknown): string {
    const list = `nullif(${alias}.data->'${field.name}', 'null'::jsonb)`;
    const param = () => `${this.params.add(JSON.stringify(value))}::jsonb`;
    switch (op) {
      case "":
        return value === null ? `${list} IS NULL` : `${list} = ${param()}`;
      case "not":
        return value === null ? `${list} IS NOT NULL` : `${list} <> ${param()}`;
      case "contains":
        return `${list} @> ${param()}`;
      case "not_contains":
        return `NOT (${list} @> ${param()})`;
    }
    const containsNocase =
      `NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(${param()}) AS wanted(v) WHERE NOT EXISTS ` +
      `(SELECT 1 FROM jsonb_array_elements_text(${list}) AS present(v) WHERE lower(present.v) = lower(wanted.v)))`;
    if (op === "contains_nocase") return `${list} IS NOT NULL AND ${containsNocase}`;
    if (op === "not_contains_nocase") return `${list} IS NOT NULL AND NOT (${containsNocase})`;
    throw new QueryError(`Filter not supported by value \`${JSON.stringify(value)}\`: \`${field.name}_${op}\``);
  }

  /** SQL linking rows `child` of the field's target type to the row `parent` that holds the field. */
  private link(
    parent: string,
    field: FieldModel & { kind: "entity" },
    child: string,
    parentId = `${parent}.id`,
  ): string {
    if (field.derivedFrom !== null) {
      const back = this.entity(field.target).field.get(field.derivedFrom)!;
      return back.list
        ? `${child}.data->'${back.name}' @> jsonb_build_array(${parentId})`
        : `${child}.data->>'${back.name}' = ${parentId}`;
    }
    return field.list
      ? `${child}.id IN (SELECT jsonb_array_elements_text(nullif(${parent}.data->'${field.name}', 'null'::jsonb)))`
      : `${child}.id = ${parent}.data->>'${field.name}'`;
  }

  private childCondition(entity: EntityModel, alias: string, field: FieldModel, where: Filter): string {
    if (field.kind !== "entity") throw new QueryError(`\`${entity.name}.${field.name}\` is not a reference`);
    const target = this.entity(field.target);
    const child = this.alias();
    return (
      `EXISTS (SELECT 1 FROM ${this.tables.versions} ${child} WHERE ${this.source(target, child)} ` +
      `AND ${this.link(alias, field, child)} AND ${this.filter(target, child, where)})`
    );
  }

  /** ORDER BY clause (and the join it needs) for `orderBy` / `orderDirection` on rows aliased `alias`. */
  private order(entity: EntityModel, alias: string, args: CollectionArgs): { join: string; orderBy: string } {
    const direction = args.orderDirection === "desc" ? "DESC" : "ASC";
    const idOrder = this.idOrder(entity, alias, direction);
    const orderBy = args.orderBy ?? "id";
    if (orderBy === "id") return { join: "", orderBy: idOrder };
    const [name, childName] = orderBy.split("__", 2) as [string, string | undefined];
    const field = entity.field.get(name);
    const unsupported = new QueryError(`Ordering by \`${orderBy}\` is not supported for type \`${entity.name}\``);
    if (field === undefined || field.list) throw unsupported;
    if (childName === undefined) {
      if (field.kind === "entity" && field.derivedFrom !== null) throw unsupported;
      return { join: "", orderBy: `${this.sortExpr(entity, field, alias)} ${direction}, ${idOrder}` };
    }
    if (field.kind !== "entity") throw unsupported;
    const target = this.entity(field.target);
    const childField = target.field.get(childName);
    if (childField === undefined || childField.list || childField.kind === "entity") throw unsupported;
    const child = this.alias();
    const join =
      ` LEFT JOIN LATERAL (SELECT ${child}.id, ${child}.data FROM ${this.tables.versions} ${child} ` +
      `WHERE ${this.source(target, child)} AND ${this.link(alias, field, child)} LIMIT 1) ${child} ON TRUE`;
    return { join, orderBy: `${this.sortExpr(target, childField, child)} ${direction}, ${idOrder}` };
  }

  private sortExpr(entity: EntityModel, field: FieldModel, alias: string): string {
    if (field.kind === "enum") {
      return `array_position(${this.params.add(field.values)}::text[], ${alias}.data->>'${field.name}')`;
    }
    const expr = this.expr(entity, field, alias);
    return this.cast(entity, field) === "text" ? `${expr} COLLATE "C"` : expr;
  }

  /** `SELECT entity, data` of one page of `entity` rows, in order. */
  collection(entity: EntityModel, args: CollectionArgs): string {
    const t = this.alias();
    return this.page(entity, t, args, "TRUE");
  }

  private page(entity: EntityModel, t: string, args: CollectionArgs, link: string): string {
    const { join, orderBy } = this.order(entity, t, args);
    const where = this.filter(entity, t, args.where ?? {});
    return (
      `SELECT ${t}.entity, ${t}.data, row_number() OVER (ORDER BY ${orderBy}) AS ord ` +
      `FROM ${this.tables.versions} ${t}${join} WHERE ${this.source(entity, t)} AND ${link} AND ${where} ` +
      `ORDER BY ${orderBy} LIMIT ${args.first} OFFSET ${args.skip}`
    );
  }

  /**
   * One page of the children of many parents at once: rows `(parent, entity, data)` for a list or derived
   * field. `parents` maps each parent id to the ids its list field holds (ignored for derived fields).
   */
  children(field: FieldModel & { kind: "entity" }, parents: Map<string, unknown>, args: CollectionArgs): string {
    const target = this.entity(field.target);
    const input = [...parents].map(([key, ids]) => ({ key, ids: ids ?? null }));
    const p = "p";
    const t = this.alias();
    const link =
      field.derivedFrom !== null
        ? this.link(p, field, t, `${p}.key`)
        : `${t}.id IN (SELECT jsonb_array_elements_text(${p}.ids))`;
    return (
      `SELECT ${p}.key AS parent, c.entity, c.data FROM jsonb_to_recordset(${this.params.add(JSON.stringify(input))}::jsonb) ` +
      `AS ${p}(key text, ids jsonb) CROSS JOIN LATERAL (${this.page(target, t, args, link)}) c ORDER BY ${p}.key, c.ord`
    );
  }

  /** Rows `(entity, id, data)` of `entity` with the given ids (Bytes ids in any case). */
  byIds(entity: EntityModel, ids: string[]): string {
    const t = this.alias();
    const stored = ids.map((id) => storedId(entity.idType, id));
    return (
      `SELECT ${t}.entity, ${t}.id, ${t}.data FROM ${this.tables.versions} ${t} ` +
      `WHERE ${this.source(entity, t)} AND ${t}.id = ANY(${this.params.add(stored)}::text[])`
    );
  }
}
