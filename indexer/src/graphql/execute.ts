import {
  buildSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

import type { EntityData, IndexingStatus, SqlEntityStore } from "../store/index.js";
import { buildApiSchema, type ApiSchema } from "./api-schema.js";
import { parseSubgraphSchema, type EntityModel, type FieldModel, type SubgraphModel } from "./model.js";
import { installScalars } from "./scalars.js";
import { QueryBuilder, QueryError, type CollectionArgs, type Filter } from "./sql.js";

/** Limits on queries; graph-node's hosted defaults. */
export interface QueryLimits {
  /** Largest `first` argument. */
  maxFirst: number;
  /** Largest `skip` argument. */
  maxSkip: number;
  /** Deepest nesting of selection sets (the root selection set is depth 0). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxFirst: 1000, maxSkip: 5000, maxDepth: 10 };

export interface QueryExecutorOptions {
  store: SqlEntityStore;
  /** The subgraph's `schema.graphql`. */
  schemaSdl: string;
  subgraphName: string;
  /** Deployment id reported by `_meta` and in errors; defaults to the subgraph name. */
  deployment?: string;
  limits?: Partial<QueryLimits>;
}

/** A compiled query API for one subgraph; run queries on it with {@link executeQuery}. */
export interface QueryExecutor {
  readonly store: SqlEntityStore;
  readonly subgraphName: string;
  readonly deployment: string;
  readonly limits: QueryLimits;
  readonly model: SubgraphModel;
  readonly api: ApiSchema;
  readonly schema: GraphQLSchema;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphQLResponseError {
  message: string;
  locations?: { line: number; column: number }[];
}

/** The JSON graph-node answers with: `data` and/or `errors`. */
export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLResponseError[];
}

/** Builds the query API graph-node would serve for a subgraph schema. */
export function createQueryExecutor(options: QueryExecutorOptions): QueryExecutor {
  const model = parseSubgraphSchema(options.schemaSdl);
  const api = buildApiSchema(model);
  const schema = buildSchema(api.sdl);
  installScalars(schema);
  return {
    store: options.store,
    subgraphName: options.subgraphName,
    deployment: options.deployment ?? options.subgraphName,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    model,
    api,
    schema,
  };
}

/** An entity as resolvers pass it around: its concrete type, the block it was read at, and its fields. */
interface EntityValue {
  type: string;
  block: number | null;
  data: EntityData;
}

type Row = { entity: string; data: EntityData };

/**
 * Collects the loads resolvers make while graphql-js walks one level of the result and runs each group as
 * one query: sibling entities' references and children are fetched together instead of one query each.
 */
class Batcher {
  private readonly batches = new Map<
    string,
    { payloads: Map<string, unknown>; result: Promise<Map<string, unknown>> }
  >();

  load<V>(
    group: string,
    key: string,
    payload: unknown,
    run: (payloads: Map<string, unknown>) => Promise<Map<string, V>>,
  ): Promise<V | undefined> {
    let batch = this.batches.get(group);
    if (batch === undefined) {
      const payloads = new Map<string, unknown>();
      // Run after every pending promise job, like DataLoader: by then all siblings have asked.
      const result = Promise.resolve()
        .then(() => new Promise<void>((resolve) => process.nextTick(resolve)))
        .then(() => {
          this.batches.delete(group);
          return run(payloads) as Promise<Map<string, unknown>>;
        });
      batch = { payloads, result };
      this.batches.set(group, batch);
    }
    batch.payloads.set(key, payload);
    return batch.result.then((results) => results.get(key) as V | undefined);
  }
}

interface Context {
  executor: QueryExecutor;
  status: IndexingStatus;
  batcher: Batcher;
  /** Error policy of every root field that reads subgraph data. */
  policies: string[];
}

interface BlockHeight {
  number?: number | null;
  hash?: string | null;
  number_gte?: number | null;
}

/** Block number a root field reads at (null: nothing indexed yet), as graph-node resolves `block:`. */
async function resolveBlock(ctx: Context, block: BlockHeight | null | undefined): Promise<number | null> {
  const { executor, status } = ctx;
  const head = status.head?.number ?? null;
  const unavailable = (argument: string, number: number) =>
    new QueryError(
      `Failed to decode \`${argument}\` value: \`subgraph ${executor.deployment} has ` +
        (head === null ? "not indexed any block yet" : `only indexed up to block number ${head}`) +
        ` and data for block number ${number} is therefore not yet available\``,
    );
  if (block === null || block === undefined) return head;
  if (block.hash !== undefined && block.hash !== null) {
    const number = await executor.store.blockNumber(block.hash);
    if (number === null) throw new QueryError("Failed to decode `block.hash` value: `no block with that hash found`");
    return number;
  }
  if (block.number !== undefined && block.number !== null) {
    if (head === null || block.number > head) throw unavailable("block.number", block.number);
    return block.number;
  }
  if (block.number_gte !== undefined && block.number_gte !== null) {
    if (head === null || block.number_gte > head) throw unavailable("block.number_gte", block.number_gte);
    return head;
  }
  throw new QueryError(`Invalid value provided for argument \`block\`: ${JSON.stringify(block)}`);
}

function collectionArgs(limits: QueryLimits, args: Record<string, unknown>): CollectionArgs {
  const first = (args.first as number | null | undefined) ?? 100;
  const skip = (args.skip as number | null | undefined) ?? 0;
  if (first <= 0 || first > limits.maxFirst) {
    throw new QueryError(`The \`first\` argument must be between 0 and ${limits.maxFirst}, but is ${first}`);
  }
  if (skip < 0 || skip > limits.maxSkip) {
    throw new QueryError(`The \`skip\` argument must be between 0 and ${limits.maxSkip}, but is ${skip}`);
  }
  return {
    first,
    skip,
    where: args.where as Filter | null | undefined,
    orderBy: args.orderBy as string | null | undefined,
    orderDirection: args.orderDirection as "asc" | "desc" | null | undefined,
  };
}

function entityValues(rows: Row[], block: number | null): EntityValue[] {
  return rows.map((row) => ({ type: row.entity, block, data: row.data }));
}

async function resolveRoot(ctx: Context, fieldName: string, args: Record<string, unknown>): Promise<unknown> {
  const { executor } = ctx;
  if (fieldName === "_meta") {
    ctx.policies.push("deny");
    const number = await resolveBlock(ctx, args.block as BlockHeight | null | undefined);
    if (number === null) return null;
    const recorded = await executor.store.block(number);
    const hash = recorded?.hash ?? (number === ctx.status.head?.number ? ctx.status.head.hash : null);
    return {
      block: { number, hash, timestamp: recorded?.timestamp ?? null },
      deployment: executor.deployment,
      hasIndexingErrors: ctx.status.fatalError !== null,
    };
  }
  const root = executor.api.rootFields.get(fieldName);
  if (root === undefined) return null;
  ctx.policies.push(String(args.subgraphError));
  const block = await resolveBlock(ctx, args.block as BlockHeight | null | undefined);
  const builder = new QueryBuilder(executor.model, executor.api, executor.store.tables, block);
  if (!root.collection) {
    const id = String(args.id);
    const sql = builder.byIds(root.entity, [id]);
    const rows = await executor.store.query<Row>(sql, builder.params.values);
    return entityValues(rows, block)[0] ?? null;
  }
  const sql = builder.collection(root.entity, collectionArgs(executor.limits, args));
  return entityValues(await executor.store.query<Row>(sql, builder.params.values), block);
}

function resolveReference(
  ctx: Context,
  parent: EntityValue,
  field: FieldModel & { kind: "entity" },
  target: EntityModel,
) {
  const id = parent.data[field.name];
  if (id === null || id === undefined) return null;
  const { executor } = ctx;
  return ctx.batcher.load(`ref:${target.name}:${parent.block}`, String(id), null, async (payloads) => {
    const builder = new QueryBuilder(executor.model, executor.api, executor.store.tables, parent.block);
    const sql = builder.byIds(target, [...payloads.keys()]);
    const rows = await executor.store.query<Row & { id: string }>(sql, builder.params.values);
    return new Map(rows.map((row) => [row.id, { type: row.entity, block: parent.block, data: row.data }]));
  });
}

async function resolveChildren(
  ctx: Context,
  parent: EntityValue,
  owner: EntityModel,
  field: FieldModel & { kind: "entity" },
  args: CollectionArgs,
): Promise<EntityValue[]> {
  const { executor } = ctx;
  const group = `children:${owner.name}.${field.name}:${parent.block}:${JSON.stringify(args)}`;
  const payload = field.derivedFrom === null ? (parent.data[field.name] ?? []) : null;
  const children = await ctx.batcher.load(group, String(parent.data.id), payload, async (payloads) => {
    const builder = new QueryBuilder(executor.model, executor.api, executor.store.tables, parent.block);
    const sql = builder.children(field, payloads, args);
    const grouped = new Map<string, EntityValue[]>();
    for (const row of await executor.store.query<Row & { parent: string }>(sql, builder.params.values)) {
      const list = grouped.get(row.parent) ?? [];
      list.push({ type: row.entity, block: parent.block, data: row.data });
      grouped.set(row.parent, list);
    }
    return grouped;
  });
  return children ?? [];
}

const fieldResolver: GraphQLFieldResolver<unknown, Context, Record<string, unknown>> = (source, args, ctx, info) => {
  const parentType = info.parentType.name;
  if (parentType === "Query") return resolveRoot(ctx, info.fieldName, args);
  if (parentType === "_Block_" && info.fieldName === "parentHash") {
    const { number } = source as { number: number };
    return number > 0 ? ctx.executor.store.blockHash(number - 1) : null;
  }
  const owner = ctx.executor.model.entity.get(parentType);
  const field = owner?.field.get(info.fieldName);
  if (owner === undefined || field === undefined) {
    return (source as Record<string, unknown>)[info.fieldName] ?? null;
  }
  const parent = source as EntityValue;
  if (field.kind !== "entity") return parent.data[field.name] ?? null;
  const target = ctx.executor.model.entity.get(field.target)!;
  if (field.derivedFrom === null && !field.list) return resolveReference(ctx, parent, field, target);
  if (!field.list) return resolveChildren(ctx, parent, owner, field, { first: 1, skip: 0 }).then((c) => c[0] ?? null);
  return resolveChildren(ctx, parent, owner, field, collectionArgs(ctx.executor.limits, args));
};

const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);

/** Depth of the deepest selection set, counted as graph-node does (fragments add a level). */
function exceedsDepth(document: DocumentNode, operationName: string | null | undefined, maxDepth: number): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (operationName == null || d.name?.value === operationName),
  );
  const tooDeep = (set: SelectionSetNode, depth: number): boolean => {
    if (depth >= maxDepth) return true;
    return set.selections.some((s) => {
      // Introspection (GraphiQL, codegen and other tools ask for `__schema` first) reads no data: not limited.
      if (s.kind === Kind.FIELD && depth === 0 && INTROSPECTION_ROOTS.has(s.name.value)) return false;
      if (s.kind === Kind.FIELD) return s.selectionSet !== undefined && tooDeep(s.selectionSet, depth + 1);
      if (s.kind === Kind.INLINE_FRAGMENT) return tooDeep(s.selectionSet, depth + 1);
      const fragment = fragments.get(s.name.value);
      return fragment !== undefined && tooDeep(fragment.selectionSet, depth + 1);
    });
  };
  return operation?.kind === Kind.OPERATION_DEFINITION && tooDeep(operation.selectionSet, 0);
}

function responseError(error: GraphQLError): GraphQLResponseError {
  const message =
    error.originalError === undefined || error.originalError instanceof GraphQLError
      ? error.message
      : `Store error: ${error.message}`;
  return error.locations === undefined ? { message } : { message, locations: [...error.locations] };
}

const KEPT_ON_INDEXING_ERROR = new Set(["_meta", "__schema", "__type"]);

/** Runs a GraphQL request against a subgraph the way graph-node answers it. */
export async function executeQuery(executor: QueryExecutor, request: GraphQLRequest): Promise<GraphQLResponse> {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { errors: [responseError(error as GraphQLError)] };
  }
  const validationErrors = validate(executor.schema, document, specifiedRules);
  if (validationErrors.length > 0) {
    // graph-node's validator names the problem without graphql-js's "Did you mean ...?" suggestions.
    return {
      errors: validationErrors.map((e) => ({
        ...responseError(e),
        message: e.message.replace(/ Did you mean .*\?$/, ""),
      })),
    };
  }
  if (exceedsDepth(document, request.operationName, executor.limits.maxDepth)) {
    return { errors: [{ message: `query has a depth that exceeds the limit of \`${executor.limits.maxDepth}\`` }] };
  }

  const ctx: Context = { executor, status: await executor.store.status(), batcher: new Batcher(), policies: [] };
  const result = await execute({
    schema: executor.schema,
    document,
    variableValues: request.variables ?? undefined,
    operationName: request.operationName ?? undefined,
    contextValue: ctx,
    fieldResolver,
    typeResolver: (value) => (value as EntityValue).type,
  });
  if (result.errors !== undefined && result.errors.length > 0) {
    // Like graph-node's execution errors, these carry no source locations.
    return { errors: result.errors.map((e) => ({ message: responseError(e).message })) };
  }
  const data = (result.data ?? null) as Record<string, unknown> | null;
  if (ctx.status.fatalError === null || data === null || Object.keys(data).every((k) => k === "_meta")) return { data };

  // The subgraph failed: graph-node adds `indexing_error`, and under `deny` only keeps `_meta` and introspection.
  const errors = [{ message: "indexing_error" }];
  if (ctx.policies.length > 0 && ctx.policies.every((p) => p === "allow")) return { data, errors };
  const kept = Object.entries(data).filter(([key]) => KEPT_ON_INDEXING_ERROR.has(key));
  return kept.length > 0 ? { data: Object.fromEntries(kept), errors } : { errors };
}
