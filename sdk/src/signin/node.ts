/**
 * Sign-in handlers for Node's `http` server and Express-style frameworks (`(request, response)` with Node's
 * request and response objects): `GET` a challenge, `POST` `{ message, signature }` to verify it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import { SignInError } from "../errors/base.js";
import { createChallenge, defaultNonceStore } from "./challenge.js";
import { verifySignIn, type SignInResult, type VerifySignInOptions } from "./verify.js";

/** Options of {@link signInHandlers}: those of `verifySignIn`, plus the challenges' lifetime and statement. */
export interface SignInHandlerOptions extends VerifySignInOptions {
  /** Seconds a challenge's nonce stays usable (default 300). */
  ttl?: number;
  statement?: string;
  /** Called with each successful sign-in, e.g. to open a session; its return value is sent as JSON. */
  onSignIn?: (result: SignInResult, request: IncomingMessage) => unknown;
}

type Handler = (request: IncomingMessage & { body?: unknown }, response: ServerResponse) => Promise<void>;

function send(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader("content-type", "application/json");
  response.setHeader("cache-control", "no-store");
  response.end(JSON.stringify(body));
}

/** The request's JSON body: Express's parsed `body` if present, otherwise read (at most 32 KiB). */
async function jsonBody(request: IncomingMessage & { body?: unknown }): Promise<unknown> {
  if (request.body !== undefined) return request.body;
  let text = "";
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > 32_768) throw new SignInError("malformedMessage", "request body too large");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new SignInError("malformedMessage", "request body is not JSON");
  }
}

/**
 * A `challenge` handler (answers a fresh {@link createChallenge} as JSON) and a `verify` handler (reads
 * `{ message, signature }`, answers 200 with the sign-in — or `onSignIn`'s value — or 401 `{ error, reason }`,
 * or 503 when the chain cannot be asked).
 *
 * @example
 * import { createServer } from "node:http";
 * import { signInHandlers } from "@realdid/sdk/signin/node";
 *
 * const signIn = signInHandlers({ domain: "example.com", uri: "https://example.com", client });
 * createServer((request, response) => {
 *   if (request.url === "/signin/challenge") return signIn.challenge(request, response);
 *   if (request.url === "/signin/verify" && request.method === "POST") return signIn.verify(request, response);
 * }).listen(3000);
 * // Express: app.get("/signin/challenge", signIn.challenge); app.post("/signin/verify", express.json(), signIn.verify);
 */
export function signInHandlers(options: SignInHandlerOptions): { challenge: Handler; verify: Handler } {
  const nonceStore = options.nonceStore ?? defaultNonceStore;
  const verifyOptions = { ...options, nonceStore };
  return {
    async challenge(_request, response) {
      const challenge = await createChallenge({
        domain: options.domain,
        uri: options.uri,
        chainId: Number(options.client.chainId),
        ttl: options.ttl,
        statement: options.statement,
        nonceStore,
      });
      send(response, 200, challenge);
    },
    async verify(request, response) {
      try {
        const body = (await jsonBody(request)) as { message?: unknown; signature?: unknown };
        if (typeof body?.message !== "string" || typeof body.signature !== "string") {
          throw new SignInError("malformedMessage", "expected { message, signature } strings");
        }
        const result = await verifySignIn(body.message, body.signature, { ...verifyOptions, now: undefined });
        send(response, 200, options.onSignIn === undefined ? result : await options.onSignIn(result, request));
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        send(response, error.reason === "unavailable" ? 503 : 401, { error: error.message, reason: error.reason });
      }
    },
  };
}
