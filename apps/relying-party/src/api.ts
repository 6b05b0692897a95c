/** Calls to the site's API: JSON in and out; a refusal throws an ApiError with the server's message and reason. */

export class ApiError extends Error {
  readonly status: number;
  readonly reason?: string;
  constructor(message: string, status: number, reason?: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    throw new ApiError(`The site's server is not answering (${(error as Error).message}).`, 0);
  }
  const data = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
  if (!response.ok) throw new ApiError(data.error ?? `HTTP ${response.status}`, response.status, data.reason);
  return data as T;
}

/** What the server tells every page about the deployment and the services. */
export interface SiteStatus {
  chainId: number;
  network: string;
  rpc: string;
  graphqlUrl: string;
  didRegistry: string;
  realNameRegistry: string;
  threshold: number;
  minLevel: number;
  issuer: string;
  chain: { ok: boolean; block?: number; error?: string };
  indexer: { ok: boolean; block?: number; error?: string };
}

/** Badge, disclosed name and profile of an identity (see server/app.ts). */
export interface PublicProfile {
  did: string;
  identity: string;
  badge: {
    verified: boolean;
    level: number | null;
    issuer: { address: string; name: string | null } | null;
    text: string;
    reason: number;
    source: string;
    notice?: string;
  };
  realName: { name: string; issuer: string; issuerAddress: string } | null;
  followers: number;
  posts: { text: string; at: string }[];
}

export interface Publishing {
  allowed: boolean;
  reason: string | null;
  requirement: { required: boolean; show?: string; threshold?: number };
}

export interface Account extends PublicProfile {
  session: { did: string; identity: string; signer: string; expiresAt: string };
  role: string;
  publishing: Publishing;
}
