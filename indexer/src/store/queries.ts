/**
 * The store's read queries: typed descriptions of the entity reads the GraphQL layer makes (entities by id, a page
 * of a type with filters and ordering, a page of children for many parents at once), translated into SQL over the
 * store's tables. Only the store knows its table layout; this module reads field types from the schema model.
 * Field names are checked against the model and inlined as literals; every value is a bound parameter.
 */
import { storedId } from "../schema/codec.ts";
import type { EntityModel, FieldModel, SubgraphModel } from "../schema/model.ts";
import { SCALARS } from "../schema/scalars.ts";
import { EntityStoreError } from "./errors.ts";
import type { StoreLayout } from "./layout.ts";
import type { EntityData } from "./types.ts";

/**
 * How a filter compares a field with a value: equal (`""`), `not`, `gt`, `lt`, `gte`, `lte`, `in`, `not_in`, and
 * for text, bytes and lists `contains`, `starts_with`, `ends_with`, each also negated and (text) without case.
 */
export type FilterOp =
  | ""
  | "not"
  | "gt"
  | "lt"
  | "gte"
  | "lte"
  | "in"
  | "not_in"
  | `${"" | "not_"}${"contains" | "starts_with" | "ends_with"}${"" | "_nocase"}`;

/** What the entities a query reads must satisfy. */
export type Condition =
  | { kind: "and" | "or"; parts: Condition[] }
  /** A field of the entity compared with a value given in its stored form (reference ids in any case). */
  | { kind: "compare"; field: string; op: FilterOp; value: unknown }
  /** Some entity the field references (or that references it, for `@derivedFrom`) satisfies `where`. */
  | { kind: "child"; field: string; where: Condition }
  /** The entity's version was written at `block` or later. */
  | { kind: "changedSince"; block: number };

/** Which entities of a type, in what order, how many. */
export interface Page {
  where: Condition | null;
  /** Field to order by (null: the id), or a field (`child`) of the entity it references; ties go by id. */
  orderBy: { field: string; child?: string } | null;
  direction: "asc" | "desc";
  first: number;
  skip: number;
}

/** An entity read; `block` selects the versions visible at that block (null: the latest). */
export type EntityQuery = { block: number | null } & (
  | { kind: "ids"; entity: string; ids: readonly string[] }
  | { kind: "page"; entity: string; page: Page }
  /**
   * One page of children per parent, for a list or `@derivedFrom` field of `entity`: `parents` maps each parent id to
   * the ids its list field holds (ignored for derived fields).
   */
  | { kind: "children"; entity: string; field: string; parents: ReadonlyMap<string, unknown>; page: Page }
);

/** An entity a query found: its concrete type, id and data, and for children the parent it belongs to. */
export interface FoundEntity {
  entity: string;
  id: string;
  data: EntityData;
  parent?: string;
}

/**
 * SQL condition selecting the versions of table alias `alias` visible at `block` (null: the latest block).
 * The block is inlined as an integer literal. The open end is one `coalesce` rather than `block_to IS NULL OR
 * block_to > block`: with the `OR` the planner ANDs the lookup's own index with a bitmap of every current version
 * of the table (milliseconds at 100,000 entities), where filtering the lookup's few rows costs nothing.
 */
export function visibleAt(alias: string, block: number | null): string {
  if (block === null) return `${alias}.block_to IS NULL`;
  if (!Number.isSafeInteger(block)) throw new EntityStoreError(`invalid block number ${block}`);
  return `${alias}.block_from <= ${block} AND coalesce(${alias}.block_to, 2147483647) > ${block}`;
}

/** The SQL statement and parameters of `query`, returning rows of {@link FoundEntity}. */
export function entityQuerySql(layout: StoreLayout, query: EntityQuery): { sql: string; params: unknown[] } {
  const builder = new QueryBuilder(layout, query.block);
  const entity = builder.entity(query.entity);
  let sql: string;
  if (query.kind === "ids") sql = builder.byIds(entity, query.ids);
  else if (query.kind === "page") sql = builder.page(entity, builder.alias(), query.page, "TRUE");
  else sql = builder.children(builder.reference(entity, query.field), query.parents, query.page);
  return { sql, params: builder.params };
}

type Cast = "numeric" | "boolean" | "text";

/** `subject` equal (`""`) or not equal (`not`) to a value: `IS [NOT] NULL` for null, else `=` / `<>` the parameter. */
function equality(subject: string, op: "" | "not", value: unknown, param: () => string): string {
  if (value === null) return op === "" ? `${subject} IS NULL` : `${subject} IS NOT NULL`;
  return `${subject} ${op === "" ? "=" : "<>"} ${param()}`;
}
type Reference = FieldModel & { kind: "entity" };

class QueryBuilder {
  #aliases = 0;
  readonly params: unknown[] = [];

  private readonly model: SubgraphModel;

  constructor(
    private readonly layout: StoreLayout,
    private readonly block: number | null,
  ) {
    this.model = layout.model;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  alias(): string {
    return `t${++this.#aliases}`;
  }

  entity(name: string): EntityModel {
    const entity = this.model.entity.get(name);
    if (entity === undefined) throw new EntityStoreError(`entity type ${name} is not in the subgraph schema`);
    return entity;
  }

  field(entity: EntityModel, name: string): FieldModel {
    const field = entity.field.get(name);
    if (field === undefined) throw new EntityStoreError(`${entity.name} has no field ${name}`);
    return field;
  }

  reference(entity: EntityModel, name: string): Reference {
    const field = this.field(entity, name);
    if (field.kind !== "entity") throw new EntityStoreError(`${entity.name}.${name} is not a reference`);
    return field;
  }

  /** The rows of `entity` (its table, or its implementations' tables) as alias `alias`. */
  private from(entity: EntityModel, alias: string): string {
    return `${this.layout.rows(entity)} ${alias}`;
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

  /** Ids a reference is compared with, in their stored form. */
  private referenceValue(field: FieldModel, value: unknown): unknown {
    if (field.kind !== "entity") return value;
    const { idType } = this.entity(field.target);
    const stored = (v: unknown) => (typeof v === "string" ? storedId(idType, v) : v);
    return Array.isArray(value) ? value.map(stored) : stored(value);
  }

  /** SQL condition for `where` on rows of `entity` aliased `alias`. */
  private condition(entity: EntityModel, alias: string, where: Condition): string {
    switch (where.kind) {
      case "and":
      case "or":
        if (where.parts.length === 0) return where.kind === "and" ? "TRUE" : "FALSE";
        return `(${where.parts.map((part) => this.condition(entity, alias, part)).join(where.kind === "and" ? " AND " : " OR ")})`;
      case "changedSince":
        return `${alias}.block_from >= ${this.param(where.block)}::integer`;
      case "child":
        return this.childCondition(alias, this.reference(entity, where.field), where.where);
      case "compare": {
        const field = this.field(entity, where.field);
        const value = this.referenceValue(field, where.value);
        return field.list
          ? this.listCondition(alias, field, where.op, value)
          : this.scalarCondition(entity, alias, field, where.op, value);
      }
    }
  }

  private scalarCondition(entity: EntityModel, alias: string, field: FieldModel, op: FilterOp, value: unknown): string {
    const expr = this.expr(entity, field, alias);
    const cast = this.cast(entity, field);
    const param = () => `${this.param(value)}::${cast}`;
    const ordered = cast === "text" ? `${expr} COLLATE "C"` : expr;
    const isBytes = field.kind === "scalar" && field.scalar === "Bytes";
    switch (op) {
      case "":
      case "not":
        return equality(expr, op, value, param);
      case "gt":
        return `${ordered} > ${param()}`;
      case "lt":
        return `${ordered} < ${param()}`;
      case "gte":
        return `${ordered} >= ${param()}`;
      case "lte":
        return `${ordered} <= ${param()}`;
      case "in":
        return `${expr} = ANY(${this.param(value)}::${cast}[])`;
      case "not_in":
        return `NOT (${expr} = ANY(${this.param(value)}::${cast}[]))`;
    }
    const negated = op.startsWith("not_");
    const base = negated ? op.slice(4) : op;
    const nocase = base.endsWith("_nocase");
    const test = nocase ? base.slice(0, -7) : base;
    const p = this.param(value);
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
      throw new EntityStoreError(`filter ${op} is not supported on ${entity.name}.${field.name}`);
    }
    return negated ? `NOT (${condition})` : condition;
  }

  private listCondition(alias: string, field: FieldModel, op: FilterOp, value: unknown): string {
    const list = `nullif(${alias}.data->'${field.name}', 'null'::jsonb)`;
    const param = () => `${this.param(JSON.stringify(value))}::jsonb`;
    switch (op) {
      case "":
      case "not":
        return equality(list, op, value, param);
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
    throw new EntityStoreError(`filter ${op} is not supported on the list field ${field.name}`);
  }

  /** SQL linking rows `child` of the field's target type to the row `parent` that holds the field. */
  private link(parent: string, field: Reference, child: string, parentId = `${parent}.id`): string {
    if (field.derivedFrom !== null) {
      const back = this.field(this.entity(field.target), field.derivedFrom);
      return back.list
        ? `${child}.data->'${back.name}' @> jsonb_build_array(${parentId})`
        : `${child}.data->>'${back.name}' = ${parentId}`;
    }
    return field.list
      ? `${child}.id IN (SELECT jsonb_array_elements_text(nullif(${parent}.data->'${field.name}', 'null'::jsonb)))`
      : `${child}.id = ${parent}.data->>'${field.name}'`;
  }

  private childCondition(alias: string, field: Reference, where: Condition): string {
    const target = this.entity(field.target);
    const child = this.alias();
    return (
      `EXISTS (SELECT 1 FROM ${this.from(target, child)} WHERE ${visibleAt(child, this.block)} ` +
      `AND ${this.link(alias, field, child)} AND ${this.condition(target, child, where)})`
    );
  }

  /** ORDER BY clause (and the join it needs) of `page` on rows of `entity` aliased `alias`. */
  private order(entity: EntityModel, alias: string, page: Page): { join: string; orderBy: string } {
    const direction = page.direction === "desc" ? "DESC" : "ASC";
    const idOrder = this.idOrder(entity, alias, direction);
    if (page.orderBy === null || page.orderBy.field === "id") return { join: "", orderBy: idOrder };
    const { field: name, child: childName } = page.orderBy;
    if (childName === undefined) {
      return {
        join: "",
        orderBy: `${this.sortExpr(entity, this.field(entity, name), alias)} ${direction}, ${idOrder}`,
      };
    }
    const field = this.reference(entity, name);
    const target = this.entity(field.target);
    const child = this.alias();
    const join =
      ` LEFT JOIN LATERAL (SELECT ${child}.id, ${child}.data FROM ${this.from(target, child)} ` +
      `WHERE ${visibleAt(child, this.block)} AND ${this.link(alias, field, child)} LIMIT 1) ${child} ON TRUE`;
    const sort = this.sortExpr(target, this.field(target, childName), child);
    return { join, orderBy: `${sort} ${direction}, ${idOrder}` };
  }

  private sortExpr(entity: EntityModel, field: FieldModel, alias: string): string {
    if (field.kind === "enum") {
      return `array_position(${this.param(field.values)}::text[], ${alias}.data->>'${field.name}')`;
    }
    const expr = this.expr(entity, field, alias);
    return this.cast(entity, field) === "text" ? `${expr} COLLATE "C"` : expr;
  }

  /** One page of `entity` rows aliased `t` that satisfy `link`, in order. */
  page(entity: EntityModel, t: string, page: Page, link: string): string {
    const { join, orderBy } = this.order(entity, t, page);
    const where = page.where === null ? "TRUE" : this.condition(entity, t, page.where);
    return (
      `SELECT ${t}.entity, ${t}.id, ${t}.data, row_number() OVER (ORDER BY ${orderBy}) AS ord ` +
      `FROM ${this.from(entity, t)}${join} WHERE ${visibleAt(t, this.block)} AND ${link} AND ${where} ` +
      `ORDER BY ${orderBy} LIMIT ${page.first} OFFSET ${page.skip}`
    );
  }

  /** One page of the children of many parents at once: rows `(parent, entity, id, data)`. */
  children(field: Reference, parents: ReadonlyMap<string, unknown>, page: Page): string {
    const target = this.entity(field.target);
    const input = [...parents].map(([key, ids]) => ({ key, ids: ids ?? null }));
    const p = "p";
    const t = this.alias();
    const link =
      field.derivedFrom !== null
        ? this.link(p, field, t, `${p}.key`)
        : `${t}.id IN (SELECT jsonb_array_elements_text(${p}.ids))`;
    return (
      `SELECT ${p}.key AS parent, c.entity, c.id, c.data FROM jsonb_to_recordset(${this.param(JSON.stringify(input))}::jsonb) ` +
      `AS ${p}(key text, ids jsonb) CROSS JOIN LATERAL (${this.page(target, t, page, link)}) c ORDER BY ${p}.key, c.ord`
    );
  }

  /** Rows `(entity, id, data)` of `entity` with the given ids (Bytes ids in any case). */
  byIds(entity: EntityModel, ids: readonly string[]): string {
    const t = this.alias();
    const stored = ids.map((id) => storedId(entity.idType, id));
    return (
      `SELECT ${t}.entity, ${t}.id, ${t}.data FROM ${this.from(entity, t)} ` +
      `WHERE ${visibleAt(t, this.block)} AND ${t}.id = ANY(${this.param(stored)}::text[])`
    );
  }
}
