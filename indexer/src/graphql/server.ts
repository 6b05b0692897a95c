import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { SqlEntityStore } from "../store/index.js";
import { createQueryExecutor, executeQuery, type GraphQLRequest, type GraphQLResponse } from "./execute.js";
import type { QueryLimits } from "./limits.js";
import type { Logger } from "../runtime/logger.js";
import { graphiqlPage } from "./graphiql.js";

export interface GraphQLServerOptions {
  store: SqlEntityStore;
  /** The subgraph's `schema.graphql`. */
  schemaSdl: string;
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

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Content-Type, User-Agent, Authorization",
  "Access-Control-Allow-Methods": "GET, OPTIONS, POST",
};

const MAX_BODY_BYTES = 1 << 20;

function send(
  res: ServerResponse,
  status: number,
  body: GraphQLResponse | string,
  headers: Record<string, string> = { "Content-Type": "text/plain; charset=utf-8" },
): void {
  const json = typeof body !== "string";
  res.writeHead(status, {
    ...CORS_HEADERS,
    ...(json ? { "Content-Type": "application/json; charset=utf-8" } : headers),
  });
  res.end(json ? JSON.stringify(body) : body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads `{ query, variables, operationName }` from a POST body or GET query string; a string is an error. */
function parseRequest(method: string, url: URL, body: string): GraphQLRequest | string {
  let raw: Record<string, unknown>;
  if (method === "GET") {
    const variables = url.searchParams.get("variables");
    try {
      raw = {
        query: url.searchParams.get("query"),
        variables: variables === null || variables === "" ? null : JSON.parse(variables),
        operationName: url.searchParams.get("operationName"),
      };
    } catch {
      return "The `variables` parameter is not valid JSON";
    }
  } else {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        return "The request body must be a JSON object";
      raw = parsed as Record<string, unknown>;
    } catch {
      return "The request body is not valid JSON";
    }
  }
  const { query, variables, operationName } = raw;
  if (typeof query !== "string") return "The request needs a `query` string";
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    return "`variables` must be an object";
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return "`operationName` must be a string";
  }
  return {
    query,
    variables: (variables ?? null) as Record<string, unknown> | null,
    operationName: operationName ?? null,
  };
}

/** Serves one subgraph's GraphQL API over HTTP the way graph-node does. */
export async function createGraphQLServer(options: GraphQLServerOptions): Promise<GraphQLServer> {
  const executor = createQueryExecutor(options);
  // Every stored reference is looked up backwards by some `@derivedFrom` field or `where` filter: index them.
  const references = executor.model.entities.flatMap((entity) =>
    entity.fields.filter((field) => field.kind === "entity" && field.derivedFrom === null).map((field) => field.name),
  );
  await options.store.indexFields(references);
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

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const tooLarge = error instanceof RangeError;
      if (!tooLarge) executor.logger.log("error", `GraphQL request failed: ${(error as Error).stack ?? String(error)}`);
      const message = tooLarge ? error.message : "Internal server error";
      if (!res.headersSent) send(res, tooLarge ? 413 : 500, { errors: [{ message }] });
      else res.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/subgraphs/name/${options.subgraphName}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
