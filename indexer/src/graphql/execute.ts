import { setTimeout as sleep } from "node:timers/promises";

import {
  buildSchema,
  execute,
  GraphQLError,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";

import {
  readPriority,
  type EntityData,
  type EntityQuery,
  type FoundEntity,
  type IndexingStatus,
  type SqlEntityStore,
} from "../store/index.ts";
import { buildApiSchema, type ApiSchema } from "./api-schema.ts";
import type { EntityModel, FieldModel, SubgraphModel } from "../schema/model.ts";
import { silentLogger, type Logger } from "../runtime/logger.ts";
import {
  DEFAULT_LIMITS,
  exceedsDepth,
  LIMIT_MESSAGES,
  QueryGate,
  queryComplexity,
  type QueryLimits,
} from "./limits.ts";
import { installScalars } from "./scalars.ts";
import { DocumentCache, type CheckedDocument } from "./documents.ts";
import { pageOf, QueryError, type CollectionArgs, type Filter } from "./collections.ts";

export interface QueryExecutorOptions {
  /** The store to read; the API is built from the subgraph schema it holds. */
  store: SqlEntityStore;
  subgraphName: string;
  /** Deployment id reported by `_meta` and in errors; defaults to the subgraph name. */
  deployment?: string;
  limits?: Partial<QueryLimits>;
  /** Where database failures are logged in full (clients get a generic message). */
  logger?: Logger;
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
  readonly logger: Logger;
  /** Turns to run: at most `limits.maxConcurrent` queries at once. */
  readonly gate: QueryGate;
  /** Query texts parsed and validated earlier. */
  readonly documents: DocumentCache;
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
  const { model } = options.store;
  const api = buildApiSchema(model);
  const schema = buildSchema(api.sdl);
  installScalars(schema);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < (name === "maxQueued" ? 0 : 1)) {
      throw new RangeError(
        `query limit ${name} must be a ${name === "maxQueued" ? "non-negative" : "positive"} integer, got ${value}`,
      );
    }
  }
  return {
    store: options.store,
    subgraphName: options.subgraphName,
    deployment: options.deployment ?? options.subgraphName,
    limits,
    model,
    api,
    schema,
    logger: options.logger ?? silentLogger,
    gate: new QueryGate(limits.maxConcurrent, limits.maxQueued),
    documents: new DocumentCache(schema),
  };
}

/** An entity as resolvers pass it around: its concrete type, the block it was read at, and its fields. */
interface EntityValue {
  type: string;
  block: number | null;
  data: EntityData;
}

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
  /** `performance.now()` after which the query reads nothing more. */
  deadline: number;
}

/** Runs one store read of a resolver, unless the query's time is up. */
function read(ctx: Context, query: EntityQuery): Promise<FoundEntity[]> {
  if (performance.now() > ctx.deadline) return Promise.reject(new QueryError(LIMIT_MESSAGES.timeout));
  return ctx.executor.store.find(query);
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

function entityValues(rows: FoundEntity[], block: number | null): EntityValue[] {
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
  const entity = root.entity.name;
  if (!root.collection) {
    const rows = await read(ctx, { kind: "ids", entity, ids: [String(args.id)], block });
    return entityValues(rows, block)[0] ?? null;
  }
  const page = pageOf(executor.model, executor.api, root.entity, collectionArgs(executor.limits, args));
  return entityValues(await read(ctx, { kind: "page", entity, page, block }), block);
}

function resolveReference(
  ctx: Context,
  parent: EntityValue,
  field: FieldModel & { kind: "entity" },
  target: EntityModel,
) {
  const id = parent.data[field.name];
  if (id === null || id === undefined) return null;
  const { block } = parent;
  return ctx.batcher.load(`ref:${target.name}:${block}`, String(id), null, async (payloads) => {
    const rows = await read(ctx, { kind: "ids", entity: target.name, ids: [...payloads.keys()], block });
    return new Map(rows.map((row) => [row.id, { type: row.entity, block, data: row.data }]));
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
  const { block } = parent;
  const page = pageOf(executor.model, executor.api, executor.model.entity.get(field.target)!, args);
  const children = await ctx.batcher.load(group, String(parent.data.id), payload, async (parents) => {
    const rows = await read(ctx, { kind: "children", entity: owner.name, field: field.name, parents, page, block });
    const grouped = new Map<string, EntityValue[]>();
    for (const row of rows) {
      const list = grouped.get(row.parent!) ?? [];
      list.push({ type: row.entity, block, data: row.data });
      grouped.set(row.parent!, list);
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

/** What a client is told about an error; a database failure is logged in full and answered generically. */
function responseError(error: GraphQLError, logger: Logger): GraphQLResponseError {
  let message = error.message;
  if (error.originalError !== undefined && !(error.originalError instanceof GraphQLError)) {
    logger.log("error", `query failed in the store: ${error.originalError.stack ?? error.originalError.message}`);
    message = STORE_ERROR;
  }
  return error.locations === undefined ? { message } : { message, locations: [...error.locations] };
}

const STORE_ERROR = "Store error: the database failed to answer the query; the indexer's log has the details";
const KEPT_ON_INDEXING_ERROR = new Set(["_meta", "__schema", "__type"]);
const TIMED_OUT = Symbol("timed out");

/** `work`'s result, or {@link TIMED_OUT} when `deadline` (a `performance.now()` time) comes first. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  const timer = new AbortController();
  const timeout = sleep(Math.max(0, deadline - performance.now()), undefined, { signal: timer.signal })
    .catch(() => undefined)
    .then((): typeof TIMED_OUT => TIMED_OUT);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    timer.abort();
  }
}

/**
 * Runs a GraphQL request against a subgraph the way graph-node answers it, within the executor's limits:
 * depth and complexity are checked before anything is read, the query waits for a turn among
 * `maxConcurrent`, and it is answered "Query timed out" once `timeoutMs` since its arrival have passed
 * (a store read already running finishes, nothing more is read).
 */
export async function executeQuery(executor: QueryExecutor, request: GraphQLRequest): Promise<GraphQLResponse> {
  const { limits } = executor;
  const deadline = performance.now() + limits.timeoutMs;
  let checked: CheckedDocument;
  try {
    checked = executor.documents.get(request.query);
  } catch (error) {
    return { errors: [responseError(error as GraphQLError, executor.logger)] };
  }
  const { document, errors: validationErrors } = checked;
  if (validationErrors.length > 0) {
    // graph-node's validator names the problem without graphql-js's "Did you mean ...?" suggestions.
    return {
      errors: validationErrors.map((e) => ({
        ...responseError(e, executor.logger),
        message: e.message.replace(/ Did you mean .*\?$/, ""),
      })),
    };
  }
  if (exceedsDepth(document, request.operationName, limits.maxDepth)) {
    return { errors: [{ message: LIMIT_MESSAGES.tooDeep(limits.maxDepth) }] };
  }
  let complexity: number;
  try {
    complexity = queryComplexity(executor.schema, document, request.variables, request.operationName);
  } catch (error) {
    return { errors: [{ message: (error as Error).message }] };
  }
  if (complexity > limits.maxComplexity) {
    return { errors: [{ message: LIMIT_MESSAGES.tooComplex(complexity, limits.maxComplexity) }] };
  }

  const turn = executor.gate.acquire(complexity);
  const release = await beforeDeadline(turn, deadline);
  if (release === TIMED_OUT) {
    void turn.then((late) => late?.());
    return { errors: [{ message: LIMIT_MESSAGES.timeout }] };
  }
  if (release === null) return { errors: [{ message: LIMIT_MESSAGES.throttled }] };
  // Its reads, where they wait for a shared connection, go before those of costlier queries too.
  const running = readPriority.run(complexity, () => run(executor, request, document, deadline)).finally(release);
  const response = await beforeDeadline(running, deadline);
  if (response === TIMED_OUT) return { errors: [{ message: LIMIT_MESSAGES.timeout }] };
  if (response.data !== undefined && response.data !== null) {
    const size = Buffer.byteLength(JSON.stringify(response.data));
    if (size > limits.maxResultBytes) {
      return { errors: [{ message: LIMIT_MESSAGES.resultTooBig(size, limits.maxResultBytes) }] };
    }
  }
  return response;
}

async function run(
  executor: QueryExecutor,
  request: GraphQLRequest,
  document: DocumentNode,
  deadline: number,
): Promise<GraphQLResponse> {
  let status: IndexingStatus;
  try {
    status = await executor.store.status();
  } catch (error) {
    return { errors: [responseError(new GraphQLError("store", { originalError: error as Error }), executor.logger)] };
  }
  const ctx: Context = { executor, status, batcher: new Batcher(), policies: [], deadline };
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
    return { errors: result.errors.map((e) => ({ message: responseError(e, executor.logger).message })) };
  }
  const data = (result.data ?? null) as Record<string, unknown> | null;
  if (ctx.status.fatalError === null || data === null || Object.keys(data).every((k) => k === "_meta")) return { data };

  // The subgraph failed: graph-node adds `indexing_error`, and under `deny` only keeps `_meta` and introspection.
  const errors = [{ message: "indexing_error" }];
  if (ctx.policies.length > 0 && ctx.policies.every((p) => p === "allow")) return { data, errors };
  const kept = Object.entries(data).filter(([key]) => KEPT_ON_INDEXING_ERROR.has(key));
  return kept.length > 0 ? { data: Object.fromEntries(kept), errors } : { errors };
}
