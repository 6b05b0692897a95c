/** GraphQL transport: requests to a graph-node-compatible endpoint (graph-node or the local indexer). */
import { UnavailableError } from "../errors/base.js";

/** A GraphQL request as graph-node (and the local indexer) take it. */
export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** A GraphQL answer: `data` and/or `errors`. */
export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string }[];
}

/** Sends a GraphQL request, e.g. over HTTP with {@link httpGraphQL} or to an in-process executor. */
export type GraphQLFetch = (request: GraphQLRequest) => Promise<GraphQLResult>;

/**
 * A {@link GraphQLFetch} posting to a graph-node-compatible endpoint. A network failure or an HTTP error throws
 * an {@link UnavailableError} (`backend: "graphql"`).
 *
 * @example
 * const query = httpGraphQL("http://127.0.0.1:8000/subgraphs/name/realdid");
 * const { data } = await query({ query: "{ _meta { block { number } } }" });
 */
export function httpGraphQL(url: string, fetchFunction: typeof fetch = fetch): GraphQLFetch {
  return async (request) => {
    let response: Response;
    try {
      response = await fetchFunction(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw new UnavailableError("graphql", `${url}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw new UnavailableError("graphql", `${url} answered HTTP ${response.status}`);
    try {
      return (await response.json()) as GraphQLResult;
    } catch (error) {
      throw new UnavailableError("graphql", `${url} answered with invalid JSON`, { cause: error });
    }
  };
}

/**
 * The `data` of a GraphQL request; GraphQL errors, a missing `data` or a failing transport throw an
 * {@link UnavailableError}.
 *
 * @example
 * const data = await graphqlData<{ _meta: { block: { number: number } } }>(query, { query: "{ _meta { block { number } } }" });
 */
export async function graphqlData<T>(query: GraphQLFetch, request: GraphQLRequest): Promise<T> {
  let result: GraphQLResult;
  try {
    result = await query(request);
  } catch (error) {
    if (error instanceof UnavailableError) throw error;
    throw new UnavailableError("graphql", (error as Error).message, { cause: error });
  }
  if (result.errors !== undefined && result.errors.length > 0) {
    throw new UnavailableError("graphql", `query failed: ${result.errors.map((error) => error.message).join("; ")}`);
  }
  if (result.data === undefined || result.data === null) throw new UnavailableError("graphql", "answer without data");
  return result.data as T;
}
