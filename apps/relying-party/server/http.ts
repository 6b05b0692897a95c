/** Small HTTP helpers of the site's server: JSON in and out, errors with a status, static files of the front end. */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";

/** An error the client caused or must know about, with the HTTP status to answer. */
export class HttpError extends Error {
  readonly status: number;
  readonly reason?: string;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader("content-type", "application/json");
  response.setHeader("cache-control", "no-store");
  response.end(JSON.stringify(body, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)));
}

/** The request's JSON body (at most 64 KiB); a 400 when it is not JSON. */
export async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > 65_536) throw new HttpError(413, "request body too large (64 KiB at most)");
  }
  try {
    return JSON.parse(text === "" ? "{}" : text);
  } catch (error) {
    throw new HttpError(400, `request body is not JSON: ${(error as Error).message}`);
  }
}

/** The request's JSON object body, or a 400. */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(request);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** A string field of a body, or a 400 naming it. */
export function stringField(body: Record<string, unknown>, name: string, maxLength = 200): string {
  const value = body[name];
  if (typeof value !== "string" || value.trim() === "")
    throw new HttpError(400, `"${name}" must be a non-empty string`);
  if (value.length > maxLength) throw new HttpError(400, `"${name}" is longer than ${maxLength} characters`);
  return value.trim();
}

/** An integer field of a body within [min, max], or a 400 naming it. */
export function integerField(body: Record<string, unknown>, name: string, min: number, max: number): number {
  const value = Number(body[name]);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new HttpError(400, `"${name}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

/** Serves `path` from the built front end in `dir` (`/` is index.html); false when there is no such file. */
export function serveStatic(dir: string, path: string, response: ServerResponse): boolean {
  const file = normalize(join(dir, path === "/" ? "index.html" : decodeURIComponent(path)));
  if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return false;
  response.statusCode = 200;
  response.setHeader("content-type", TYPES[extname(file)] ?? "application/octet-stream");
  response.setHeader("cache-control", path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  createReadStream(file).pipe(response);
  return true;
}
