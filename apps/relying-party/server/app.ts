/**
 * The relying party's HTTP API. Every route that acts for a signed-in person re-checks the session's authority on
 * chain first (`verifySession`): a deactivated DID, a revoked device key or a changed owner ends the session on the
 * next request. Chain writes (the demo issuer's, and relayed changes signed in the browser) go one after another.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import {
  attestRealName,
  createResolver,
  creatorPolicy,
  displayName,
  fetchIdentityActivity,
  graphqlData,
  memoryNonceStore,
  parseEthrDid,
  RealDIDError,
  sendDisclosure,
  sendSignedChange,
  setAttestationStatus,
  SignInError,
  verifySession,
  type Session,
  type SignedChange,
  type SignedDisclosure,
} from "@realdid/sdk";
import { signInHandlers } from "@realdid/sdk/signin/node";

import { DEMO_IDENTITIES, type Chain } from "./chain.ts";
import type { SiteConfig } from "./config.ts";
import { HttpError, integerField, readBody, readJson, sendJson, stringField } from "./http.ts";
import { memorySessions } from "./sessions.ts";

/** A creator's profile on this platform (kept by the site, not on chain). */
interface Profile {
  followers: number;
  posts: { text: string; at: string }[];
}

/** Read-only JSON-RPC methods the browser's SDK client may send through `/rpc` (nonces, owners, chain id). */
const RPC_READS = new Set(["eth_call", "eth_chainId", "eth_blockNumber", "eth_getCode", "net_version"]);

/** Relayed DIDRegistry changes the site pays gas for: device keys and deactivation. */
const RELAYED = new Set(["addDelegate", "revokeDelegate", "changeOwner"]);

type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

export interface SiteApp {
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
}

export function createApp(config: SiteConfig, chain: Chain, log: (line: string) => void): SiteApp {
  const origin = `http://${config.host}:${config.port}`;
  const domain = `${config.host}:${config.port}`;
  const chainId = Number(config.deployment.chainId);
  const networkId = `0x${chainId.toString(16)}`;
  const sessions = memorySessions();
  const nonceStore = memoryNonceStore();
  const policy = creatorPolicy({
    thresholds: [config.threshold],
    minLevel: config.minLevel,
    realNameFrom: config.threshold,
  });
  const profiles = new Map<string, Profile>();
  const responses = new WeakMap<IncomingMessage, ServerResponse>();
  const signIn = signInHandlers({
    domain,
    uri: origin,
    client: chain.read,
    nonceStore,
    networkNames: [config.deployment.network],
    statement: "Sign in to the RealDID demo site with your DID. No personal data is shared.",
    onSignIn({ session }, request) {
      sessions.open(responses.get(request)!, session);
      log(`signed in: ${session.did} (key ${session.signer})`);
      return { session };
    },
  });

  const profileOf = (identity: string): Profile => {
    const key = identity.toLowerCase();
    let profile = profiles.get(key);
    if (profile === undefined) profiles.set(key, (profile = { followers: 0, posts: [] }));
    return profile;
  };
  // Demo data beside the seed's: its creator is past the threshold, its viewer is a small account.
  const creator = profileOf(DEMO_IDENTITIES.creator);
  creator.followers = 1_200_000;
  creator.posts.push({
    text: "Hello from a verified creator: my real name is public, my other sites' DIDs are not.",
    at: new Date().toISOString(),
  });
  profileOf(DEMO_IDENTITIES.viewer).followers = 800;

  /** The identity of a DID (or a bare address) on this chain, or a 400. */
  function identityOf(id: string): { did: string; identity: string } {
    const did = id.startsWith("did:") ? id : `did:ethr:${networkId}:${id}`;
    const parsed = parseEthrDid(did);
    if (parsed === null) throw new HttpError(400, `${id} is neither a did:ethr nor an address`);
    if (parsed.network !== networkId && parsed.network !== config.deployment.network) {
      throw new HttpError(400, `${did} is on network ${parsed.network}, this site is on chain ${chainId}`);
    }
    return { did, identity: parsed.identity };
  }

  /** The session after an on-chain re-check; ends it (401) when its authority is gone. */
  async function requireSession(request: IncomingMessage, response: ServerResponse): Promise<Session> {
    const session = sessions.get(request);
    if (session === undefined) throw new HttpError(401, "Not signed in: sign in with your DID first.", "signedOut");
    try {
      return await verifySession(session, { client: chain.read });
    } catch (error) {
      if (error instanceof SignInError && error.reason !== "unavailable") {
        sessions.close(request, response);
        log(`session of ${session.did} ended: ${error.message}`);
        throw new HttpError(401, `Your session ended: ${error.message}`, error.reason);
      }
      throw new HttpError(503, await chain.explain((error as Error).cause ?? error), "unavailable");
    }
  }

  /** Whether the creator may publish now, and if not, why (the platform's real-name rule). */
  async function publishing(did: string, identity: string, followers: number) {
    const requirement = policy.requirementFor(followers);
    if (!requirement.required) return { allowed: true, requirement, reason: null };
    const shown = await displayName(chain.read, did, { minLevel: config.minLevel });
    if (shown.ok) return { allowed: true, requirement, reason: null };
    const count = config.threshold.toLocaleString("en-US");
    const reason =
      shown.reason === "notDisclosed"
        ? `With ${followers.toLocaleString("en-US")} followers (threshold ${count}) the platform requires a public real-name disclosure before you publish: disclose your verified name on the Account page.`
        : `With ${followers.toLocaleString("en-US")} followers (threshold ${count}) the platform requires a valid real-name verification at level ${config.minLevel} or higher and its public disclosure: ${(await chain.badge(identity)).text}.`;
    return { allowed: false, requirement, reason };
  }

  /** Everything public about an identity: badge, disclosed name (only while its attestation holds), profile. */
  async function publicProfile(did: string, identity: string) {
    const [badge, shown] = await Promise.all([
      chain.badge(identity),
      displayName(chain.read, did, { minLevel: config.minLevel }),
    ]);
    const profile = profileOf(identity);
    const realName = shown.ok
      ? { name: shown.name, issuer: badge.issuer?.name ?? shown.issuer, issuerAddress: shown.issuer }
      : null;
    return { did, identity, badge, realName, followers: profile.followers, posts: profile.posts };
  }

  const routes: Record<string, Route> = {
    "GET /api/status": async (_request, response) => {
      const [block, indexed] = await Promise.all([
        chain.read.provider.getBlockNumber().then(
          (number) => ({ ok: true, block: number }),
          async (error: unknown) => ({ ok: false, error: await chain.explain(error) }),
        ),
        graphqlData<{ _meta: { block: { number: number }; hasIndexingErrors: boolean } }>(chain.graphql, {
          query: "{ _meta { block { number } hasIndexingErrors } }",
        }).then(
          ({ _meta }) => ({ ok: !_meta.hasIndexingErrors, block: _meta.block.number }),
          (error: Error) => ({ ok: false, error: error.message }),
        ),
      ]);
      sendJson(response, 200, {
        chainId,
        network: networkId,
        rpc: `${origin}/rpc`,
        graphqlUrl: config.graphqlUrl,
        didRegistry: chain.network.registry,
        realNameRegistry: chain.network.realNameRegistry,
        threshold: config.threshold,
        minLevel: config.minLevel,
        issuer: chain.issuerAddress,
        chain: block,
        indexer: indexed,
      });
    },
    "GET /api/signin/challenge": (request, response) => signIn.challenge(request, response),
    "POST /api/signin/verify": async (request, response) => {
      responses.set(request, response);
      const end = response.end.bind(response);
      // Log every refusal with the SDK's reason; the body the browser gets is the same.
      response.end = ((chunk: unknown, ...rest: never[]) => {
        if (response.statusCode !== 200 && typeof chunk === "string")
          log(`sign-in refused: ${JSON.parse(chunk).error}`);
        return end(chunk as string, ...rest);
      }) as typeof response.end;
      await signIn.verify(request, response);
    },
    "POST /api/signout": async (request, response) => {
      sessions.close(request, response);
      sendJson(response, 200, { signedOut: true });
    },
    "GET /api/account": async (request, response) => {
      const session = await requireSession(request, response);
      const profile = await publicProfile(session.did, session.identity);
      const right = await publishing(session.did, session.identity, profile.followers);
      const role = session.signer.toLowerCase() === session.identity.toLowerCase() ? "owner" : "sigAuth delegate";
      sendJson(response, 200, { session, role, ...profile, publishing: right });
    },
    "POST /api/creator/followers": async (request, response) => {
      const session = await requireSession(request, response);
      const followers = integerField(await readJson(request), "followers", 0, 10_000_000_000);
      profileOf(session.identity).followers = followers;
      log(`${session.did} now has ${followers} followers`);
      sendJson(response, 200, { followers, publishing: await publishing(session.did, session.identity, followers) });
    },
    "POST /api/creator/posts": async (request, response) => {
      const session = await requireSession(request, response);
      const text = stringField(await readJson(request), "text", 280);
      const profile = profileOf(session.identity);
      const right = await publishing(session.did, session.identity, profile.followers);
      if (!right.allowed) {
        log(`publishing refused for ${session.did}: ${right.reason}`);
        throw new HttpError(403, right.reason!, "disclosureRequired");
      }
      profile.posts.unshift({ text, at: new Date().toISOString() });
      sendJson(response, 200, { posts: profile.posts });
    },
    "GET /api/profile": async (_request, response, url) => {
      const { did, identity } = identityOf(url.searchParams.get("id") ?? "");
      sendJson(response, 200, await publicProfile(did, identity));
    },
    "GET /api/creators": async (_request, response) => {
      const list = [...profiles.entries()]
        .filter(([, profile]) => profile.followers > 0 || profile.posts.length > 0)
        .sort((a, b) => b[1].followers - a[1].followers)
        .map(([identity, profile]) => ({ did: `did:ethr:${networkId}:${identity}`, followers: profile.followers }));
      sendJson(response, 200, { creators: list, threshold: config.threshold });
    },
    "POST /api/relay/change": async (request, response) => {
      const session = await requireSession(request, response);
      const signed = (await readJson(request)) as unknown as SignedChange;
      if (!RELAYED.has(signed.change?.action))
        throw new HttpError(400, `the site relays only ${[...RELAYED].join(", ")}`);
      if (signed.change.identity?.toLowerCase() !== session.identity.toLowerCase()) {
        throw new HttpError(403, `you are signed in as ${session.did}, not ${signed.change.identity}`);
      }
      const receipt = await chain.serial(async () => (await sendSignedChange(chain.relayer, signed)).wait());
      log(`relayed ${signed.change.action} for ${session.did} (tx ${receipt?.hash})`);
      sendJson(response, 200, { transaction: receipt?.hash });
    },
    "POST /api/relay/disclose": async (request, response) => {
      const session = await requireSession(request, response);
      const signed = (await readJson(request)) as unknown as SignedDisclosure;
      if (signed.identity?.toLowerCase() !== session.identity.toLowerCase()) {
        throw new HttpError(403, `you are signed in as ${session.did}, not ${signed.identity}`);
      }
      const receipt = await chain.serial(async () => (await sendDisclosure(chain.relayer, signed)).wait());
      log(`relayed the public real-name disclosure of ${session.did} (tx ${receipt?.hash})`);
      sendJson(response, 200, { transaction: receipt?.hash });
    },
    "POST /api/issuer/attest": async (request, response) => {
      const body = await readJson(request);
      const { did, identity } = identityOf(stringField(body, "did", 200));
      const level = integerField(body, "level", 1, 3);
      const realName = stringField(body, "realName", 100);
      const latest = await chain.read.provider.getBlock("latest");
      const expiry = (latest?.timestamp ?? Math.floor(Date.now() / 1000)) + 365 * 86_400;
      const { salt, receipt } = await chain.serial(async () => {
        const { tx, salt } = await attestRealName(chain.issuer, {
          issuer: chain.issuerAddress,
          identity,
          level,
          expiry,
          realName,
        });
        return { salt, receipt: await tx.wait() };
      });
      log(`demo issuer attested ${did} at level ${level} (tx ${receipt?.hash})`);
      // Demo only: the issuer hands the holder the salt that opens the commitment (normally off chain, in person).
      sendJson(response, 200, { did, level, expiry, salt, transaction: receipt?.hash });
    },
    "POST /api/issuer/status": async (request, response) => {
      const body = await readJson(request);
      const { did, identity } = identityOf(stringField(body, "did", 200));
      const status = body.status === "revoked" || body.status === "suspended" ? body.status : null;
      if (status === null) throw new HttpError(400, `"status" must be "revoked" or "suspended"`);
      const value = body.value !== false;
      const receipt = await chain.serial(async () =>
        (await setAttestationStatus(chain.issuer, { identity, status, value })).wait(),
      );
      log(`demo issuer ${value ? "set" : "cleared"} ${status} for ${did} (tx ${receipt?.hash})`);
      sendJson(response, 200, { did, status, value, transaction: receipt?.hash });
    },
    "GET /api/explorer": async (_request, response, url) => {
      const { did, identity } = identityOf(url.searchParams.get("id") ?? "");
      try {
        const history = await fetchIdentityActivity(chain.graphql, identity);
        sendJson(response, 200, { did, source: "graphql", history });
      } catch (error) {
        if (!(error instanceof RealDIDError) || error.name !== "UnavailableError") throw error;
        log(`explorer: GraphQL unavailable, resolving ${did} on chain (${error.message})`);
        const onChain = createResolver({ networks: [{ ...chain.network, graphqlUrl: undefined }] });
        const { didDocument, didDocumentMetadata } = await onChain.resolve(did);
        sendJson(response, 200, {
          did,
          source: "chain",
          notice: `The indexer (GraphQL) is not answering (${error.message}): the history needs it, so only the current DID document is shown, resolved from the chain.`,
          document: didDocument,
          metadata: didDocumentMetadata,
        });
      }
    },
    "POST /rpc": async (request, response) => {
      const body = await readBody(request);
      const calls = Array.isArray(body) ? body : [body];
      for (const call of calls as { method?: unknown }[]) {
        if (!RPC_READS.has(String(call?.method)))
          throw new HttpError(403, `${String(call?.method)} is not a read this site relays`);
      }
      const answer = await fetch(config.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      sendJson(response, answer.status, await answer.json());
    },
  };

  return {
    async handle(request, response, url) {
      const route = routes[`${request.method} ${url.pathname}`];
      if (route === undefined) return false;
      try {
        await route(request, response, url);
      } catch (error) {
        if (error instanceof HttpError) {
          if (error.status >= 500) log(`${request.method} ${url.pathname}: ${error.message}`);
          sendJson(response, error.status, { error: error.message, reason: error.reason });
        } else if (error instanceof RealDIDError && error.name !== "UnavailableError") {
          log(`${request.method} ${url.pathname} refused: ${error.message}`);
          sendJson(response, 422, { error: error.message, reason: error.name });
        } else {
          const message = await chain.explain(error);
          log(`${request.method} ${url.pathname} failed: ${message}`);
          sendJson(response, 503, { error: message, reason: "unavailable" });
        }
      }
      return true;
    },
  };
}
