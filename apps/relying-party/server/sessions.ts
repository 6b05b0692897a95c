/** Server-side sessions behind an HTTP-only cookie: the browser holds a random id, never the session itself. */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { Session } from "@realdid/sdk";

const COOKIE = "rp_session";

/** The cookie's value, if the request carries one. */
function cookieOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE) return value.join("=");
  }
  return undefined;
}

export interface SessionStore {
  /** Stores `session` and sets its cookie on `response`. */
  open(response: ServerResponse, session: Session): void;
  /** The request's session, if any (not yet re-checked). */
  get(request: IncomingMessage): Session | undefined;
  /** Forgets the request's session and clears its cookie. */
  close(request: IncomingMessage, response: ServerResponse): void;
}

export function memorySessions(): SessionStore {
  const sessions = new Map<string, Session>();
  return {
    open(response, session) {
      const id = randomBytes(32).toString("hex");
      sessions.set(id, session);
      const maxAge = Math.max(0, Math.floor((Date.parse(session.expiresAt) - Date.now()) / 1000));
      response.setHeader("set-cookie", `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`);
    },
    get(request) {
      const id = cookieOf(request);
      return id === undefined ? undefined : sessions.get(id);
    },
    close(request, response) {
      const id = cookieOf(request);
      if (id !== undefined) sessions.delete(id);
      response.setHeader("set-cookie", `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    },
  };
}
