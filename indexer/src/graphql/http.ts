/** The HTTP side of the GraphQL servers (subgraph queries, index-node status): requests, answers, listening. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { Logger } from "../runtime/logger.ts";
import type { GraphQLRequest, GraphQLResponse } from "./execute.ts";

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Content-Type, User-Agent, Authorization",
  "Access-Control-Allow-Methods": "GET, OPTIONS, POST",
};

const MAX_BODY_BYTES = 1 << 20;

export function send(
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

export async function readBody(req: IncomingMessage): Promise<string> {
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
export function parseRequest(method: string, url: URL, body: string): GraphQLRequest | string {
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

export interface HttpServer {
  /** `http://<host>:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `handle` on `host:port` (0 picks a free port). A request whose handling fails is answered 413 when its
 * body is too large, else 500 with a generic message, the error being logged in full.
 */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  host: string,
  port: number,
  logger: Logger,
): Promise<HttpServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const tooLarge = error instanceof RangeError;
      if (!tooLarge) logger.log("error", `HTTP request failed: ${(error as Error).stack ?? String(error)}`);
      const message = tooLarge ? error.message : "Internal server error";
      if (!res.headersSent) send(res, tooLarge ? 413 : 500, { errors: [{ message }] });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    origin: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
