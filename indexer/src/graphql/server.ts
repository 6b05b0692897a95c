import type { IncomingMessage, ServerResponse } from "node:http";

import type { SqlEntityStore } from "../store/index.ts";
import { createQueryExecutor, executeQuery } from "./execute.ts";
import type { QueryLimits } from "./limits.ts";
import type { Logger } from "../runtime/logger.ts";
import { graphiqlPage } from "./graphiql.ts";
import { listen, parseRequest, readBody, send } from "./http.ts";

export interface GraphQLServerOptions {
  /** The store to read, which holds the subgraph's schema. */
  store: SqlEntityStore;
  /** Served at `/subgraphs/name/<subgraphName>`. */
  subgraphName: string;
  /** Also served at `/subgraphs/id/<deployment>`; defaults to the subgraph name. */
  deployment?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  limits?: Partial<QueryLimits>;
  /** Where database failures are logged in full. */
  logger?: Logger;
}

export interface GraphQLServer {
  /** Query endpoint, e.g. `http://127.0.0.1:8000/subgraphs/name/realdid/did-registry`. */
  url: string;
  close(): Promise<void>;
}

/** Serves one subgraph's GraphQL API over HTTP the way graph-node does. */
export async function createGraphQLServer(options: GraphQLServerOptions): Promise<GraphQLServer> {
  const executor = createQueryExecutor(options);
  const paths = new Set(
    [`/subgraphs/name/${options.subgraphName}`, `/subgraphs/id/${executor.deployment}`].flatMap((p) => [
      p,
      `${p}/graphql`,
    ]),
  );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    if (method === "OPTIONS") return send(res, 200, "");
    if (!paths.has(path)) {
      const name = path.replace(/^\/subgraphs\/(name|id)\//, "");
      return send(res, 404, { errors: [{ message: `deployment \`${name}\` does not exist` }] });
    }
    if (method !== "GET" && method !== "POST")
      return send(res, 405, { errors: [{ message: `Method ${method} not allowed` }] });
    if (method === "GET" && !url.searchParams.has("query")) {
      // graph-node: GraphiQL at <endpoint>/graphql, and a bare GET of the endpoint redirects there.
      if (path.endsWith("/graphql")) {
        return send(res, 200, graphiqlPage(options.subgraphName), { "Content-Type": "text/html; charset=utf-8" });
      }
      return send(res, 302, "Redirecting...", { Location: `${path}/graphql`, "Content-Type": "text/plain" });
    }
    const request = parseRequest(method, url, method === "POST" ? await readBody(req) : "");
    if (typeof request === "string") return send(res, 400, { errors: [{ message: request }] });
    send(res, 200, await executeQuery(executor, request));
  };

  const server = await listen(handle, options.host ?? "127.0.0.1", options.port ?? 8000, executor.logger);
  return { url: `${server.origin}/subgraphs/name/${options.subgraphName}`, close: server.close };
}
