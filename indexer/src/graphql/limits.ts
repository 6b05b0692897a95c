/**
 * What bounds the cost of one query and of all queries together, with graph-node's error messages: `first`
 * and `skip` ranges, nesting depth, a complexity budget (the number of entities a query may return, counted
 * by graphql-query-complexity over aliases, `first` and nesting), a timeout, a result-size cap and a cap on
 * queries running at once.
 */
import {
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

import { CheapestFirst } from "../store/cheapest-first.ts";

export interface QueryLimits {
  /** Largest `first` argument (graph-node: `GRAPH_GRAPHQL_MAX_FIRST`). */
  maxFirst: number;
  /** Largest `skip` argument (graph-node: `GRAPH_GRAPHQL_MAX_SKIP`). */
  maxSkip: number;
  /** Deepest nesting of selection sets, the root selection set being depth 0; introspection is exempt. */
  maxDepth: number;
  /** Most entities a query may potentially return (graph-node: `GRAPH_GRAPHQL_MAX_COMPLEXITY`). */
  maxComplexity: number;
  /** Milliseconds a query may take from its arrival, waiting for a turn included (graph-node: `GRAPH_GRAPHQL_QUERY_TIMEOUT`). */
  timeoutMs: number;
  /** Largest JSON answer in bytes (graph-node: `GRAPH_GRAPHQL_ERROR_RESULT_SIZE`). */
  maxResultBytes: number;
  /** Queries that run at once; more wait for a turn. */
  maxConcurrent: number;
  /** Queries that may wait for a turn; more are refused at once as graph-node refuses under load. */
  maxQueued: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxFirst: 1000,
  maxSkip: 5000,
  maxDepth: 10,
  maxComplexity: 1_000_000,
  timeoutMs: 10_000,
  maxResultBytes: 10_000_000,
  maxConcurrent: 8,
  maxQueued: 200,
};

/** The messages graph-node answers a query over a limit with. */
export const LIMIT_MESSAGES = {
  tooDeep: (max: number) => `query has a depth that exceeds the limit of \`${max}\``,
  tooComplex: (complexity: number, max: number) =>
    `query potentially returns \`${complexity}\` entities or more and thereby exceeds the limit of \`${max}\` ` +
    "entities. Possible solutions are reducing the depth of the query, querying fewer relationships or using " +
    "`first` to return smaller collections",
  timeout: "Query timed out",
  resultTooBig: (size: number, max: number) => `the result size of ${size} is larger than the allowed limit of ${max}`,
  throttled: "service is overloaded and can not run the query right now. Please try again in a few minutes",
} as const;

const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);
/** The `first` a collection field returns when the query gives none. */
const DEFAULT_FIRST = 100;

/** Depth of the deepest selection set, counted as graph-node does (fragments add a level). */
export function exceedsDepth(
  document: DocumentNode,
  operationName: string | null | undefined,
  maxDepth: number,
): boolean {
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

/**
 * Entities a field may return: a collection `first` (default 100) times each one's own, a single entity one plus
 * its own, a scalar none. Aliases add up, nesting multiplies. Introspection costs nothing.
 */
const entityCount: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (type.name.startsWith("__") || field.name.startsWith("__")) return 0;
  if (field.args.some((arg) => arg.name === "first")) {
    return ((args.first as number | undefined) ?? DEFAULT_FIRST) * (1 + childComplexity);
  }
  return childComplexity > 0 || field.name === "_meta" ? 1 + childComplexity : 0;
};

/** Complexities of a document counted earlier, by operation and the values of the variables they depend on. */
interface CountedComplexities {
  /** The variables given to a `first` argument or to `@skip` / `@include`: the only ones the count reads. */
  inputs: string[];
  byInputs: Map<string, number>;
}

/** Counts kept per document: far more than the `first` values one query text is sent with. */
const COUNTS_PER_DOCUMENT = 64;
const counted = new WeakMap<DocumentNode, CountedComplexities>();

/**
 * The number of entities a valid query may return, as graph-node's complexity counts them. The count of a
 * document (cached by its text, see documents.ts) is kept for the values of the few variables it depends on, so a
 * query sent again with another id is not walked again.
 */
export function queryComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
): number {
  let counts = counted.get(document);
  if (counts === undefined) {
    const inputs = new Set<string>();
    visit(document, {
      Argument(node) {
        if ((node.name.value === "first" || node.name.value === "if") && node.value.kind === Kind.VARIABLE)
          inputs.add(node.value.name.value);
      },
    });
    counts = { inputs: [...inputs], byInputs: new Map() };
    counted.set(document, counts);
  }
  const key = JSON.stringify([operationName ?? null, ...counts.inputs.map((name) => variables?.[name] ?? null)]);
  let complexity = counts.byInputs.get(key);
  if (complexity === undefined) {
    complexity = getComplexity({
      schema,
      query: document,
      variables: variables ?? undefined,
      operationName: operationName ?? undefined,
      estimators: [entityCount],
    });
    if (counts.byInputs.size >= COUNTS_PER_DOCUMENT) counts.byInputs.clear();
    counts.byInputs.set(key, complexity);
  }
  return complexity;
}

/**
 * Lets at most `concurrent` queries run at once and `queued` more wait; beyond that `acquire` answers null.
 * Waiting queries get their turn cheapest first (by complexity, then arrival), so a lookup by id is not stuck
 * behind a queue of large collection pages; the query timeout bounds how long an expensive one can wait.
 */
export class QueryGate {
  #running = 0;
  readonly #waiting = new CheapestFirst();

  constructor(
    private readonly concurrent: number,
    private readonly queued: number,
  ) {}

  /** Waits for a turn; resolves to the function that gives it back, or null when too many already wait. */
  async acquire(cost: number): Promise<(() => void) | null> {
    if (this.#running >= this.concurrent) {
      if (this.#waiting.length >= this.queued) return null;
      await new Promise<void>((start) => this.#waiting.push(cost, start));
    } else {
      this.#running += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The turn passes straight to the cheapest waiter, so `running` stays the same.
      if (!this.#waiting.next()) this.#running -= 1;
    };
  }
}
