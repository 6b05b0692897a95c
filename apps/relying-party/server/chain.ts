/**
 * The site's view of the chain and the subgraph, all through `@realdid/sdk`: read, issuer and relayer clients, the
 * real-name badge (GraphQL for the issuer's name, confirmed on chain with `isVerified`; on-chain reads alone when the
 * indexer does not answer, and the page says so), and plain-language messages for a chain that is down or was
 * restarted without its contracts.
 */
import { HDNodeWallet, isError, JsonRpcProvider, type Signer } from "ethers";

import {
  createClient,
  fetchIndexedIdentity,
  getVerification,
  httpGraphQL,
  isVerified,
  networkFromDeployment,
  type Client,
  type GraphQLFetch,
  type NetworkConfig,
} from "@realdid/sdk";

import type { SiteConfig } from "./config.ts";

/**
 * Hardhat's public development mnemonic: account 1 is the demo issuer the seed accredits ("Demo Public Security
 * Bureau"), account 5 pays gas for relayed changes. Demo only: a real issuer's key never sits in a web server.
 */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const devKey = (index: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

/** The seed's demo identities (scripts/seed.ts): a verified creator with a disclosed name, a revoked viewer. */
export const DEMO_IDENTITIES = { creator: devKey(2).address, viewer: devKey(3).address } as const;

/** `getVerification`'s reason codes (IRealNameRegistry.Reason) in words. */
export const REASONS = [
  "verified",
  "no real-name attestation",
  "the attestation expired",
  "the attestation's level is too low",
  "the issuer is no longer accredited",
  "the issuer is suspended",
  "the issuer may no longer attest this level",
  "the attestation was revoked",
  "the attestation is suspended",
  "the DID is deactivated",
  "the DID's owner changed since the verification",
] as const;

/** A real-name badge: never the person's name, only who verified at which level. */
export interface Badge {
  verified: boolean;
  /** Highest level `isVerified` confirms on chain. */
  level: number | null;
  issuer: { address: string; name: string | null } | null;
  /** One line for the page, e.g. "real-name verified, level 2, by Demo Public Security Bureau". */
  text: string;
  /** The contract's reason code at level 0 (0 = verified). */
  reason: number;
  /** `graphql+chain`: read through GraphQL and confirmed on chain; `chain`: on-chain reads only. */
  source: "graphql+chain" | "chain";
  /** Why the answer is on-chain only, when it is. */
  notice?: string;
}

export interface Chain {
  network: NetworkConfig;
  read: Client;
  issuer: Client & { signer: Signer };
  relayer: Client & { signer: Signer };
  graphql: GraphQLFetch;
  /** The demo issuer's address. */
  issuerAddress: string;
  /** Runs chain writes one after another (one nonce sequence per key). */
  serial<T>(write: () => Promise<T>): Promise<T>;
  badge(identity: string): Promise<Badge>;
  /** A message for a failed chain call that says what is wrong (down, restarted) and what to do. */
  explain(error: unknown): Promise<string>;
}

/** GraphQL requests give up after this long: a stopped indexer must not stall a page. */
const GRAPHQL_TIMEOUT_MS = 2_000;

export function connectChain(config: SiteConfig): Chain {
  const provider = new JsonRpcProvider(config.rpcUrl, config.deployment.chainId, { staticNetwork: true });
  const network = networkFromDeployment(config.deployment, { provider, graphqlUrl: config.graphqlUrl });
  const read = createClient(network);
  const issuerKey = devKey(1).connect(provider);
  const issuer = createClient(network, issuerKey) as Client & { signer: Signer };
  const relayer = createClient(network, devKey(5).connect(provider)) as Client & { signer: Signer };
  const graphql = httpGraphQL(config.graphqlUrl, (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(GRAPHQL_TIMEOUT_MS) }),
  );
  let queue: Promise<unknown> = Promise.resolve();

  async function badge(identity: string): Promise<Badge> {
    const indexed = fetchIndexedIdentity(graphql, identity).catch((error: Error) => error);
    const [verification, ...levels] = await Promise.all([
      getVerification(read, { identity, minLevel: 0 }),
      ...[1, 2, 3].map((minLevel) => isVerified(read, { identity, minLevel })),
    ]);
    const level = levels.lastIndexOf(true) + 1 || null;
    const known = BigInt(verification.issuer) !== 0n;
    const fromGraph = await indexed;
    let name: string | null = null;
    let notice: string | undefined;
    if (fromGraph instanceof Error) {
      notice = `The indexer (GraphQL at ${config.graphqlUrl}) is not answering (${fromGraph.message}): this badge comes from on-chain reads only, so the issuer is shown by address (its name lives in events).`;
    } else if (known && fromGraph.attestation?.issuer.id.toLowerCase() === verification.issuer.toLowerCase()) {
      name = fromGraph.attestation.issuer.name;
    } else if (known) {
      notice = `The indexer has not caught up with this attestation yet (indexed block ${fromGraph.indexedBlock}): the on-chain answer is shown.`;
    }
    const by = known ? (name ?? verification.issuer) : "";
    const text =
      level !== null
        ? `real-name verified, level ${level}, by ${by}`
        : known
          ? `not verified: ${REASONS[verification.reason] ?? `reason ${verification.reason}`} (issuer ${by})`
          : "not real-name verified";
    return {
      verified: level !== null,
      level,
      issuer: known ? { address: verification.issuer, name } : null,
      text,
      reason: verification.reason,
      source: fromGraph instanceof Error || notice !== undefined ? "chain" : "graphql+chain",
      ...(notice === undefined ? {} : { notice }),
    };
  }

  async function explain(error: unknown): Promise<string> {
    const message = error instanceof Error ? error.message : String(error);
    const down =
      isError(error, "NETWORK_ERROR") ||
      isError(error, "TIMEOUT") ||
      /ECONNREFUSED|fetch failed|socket hang up|ECONNRESET/.test(`${message} ${String((error as Error)?.cause)}`);
    if (down) return `The chain at ${config.rpcUrl} is not answering (is npm start still running?): ${message}`;
    const address = network.realNameRegistry ?? network.registry;
    try {
      if ((await provider.getCode(address)) === "0x") {
        return `The chain at ${config.rpcUrl} has no RealDID contracts at ${address}: it was restarted without its deployment. Restart npm start (it deploys and seeds again); sessions of the old chain end.`;
      }
    } catch {
      return `The chain at ${config.rpcUrl} is not answering (is npm start still running?): ${message}`;
    }
    return message;
  }

  return {
    network,
    read,
    issuer,
    relayer,
    graphql,
    issuerAddress: issuerKey.address,
    serial<T>(write: () => Promise<T>): Promise<T> {
      const next = queue.then(write, write);
      queue = next.catch(() => undefined);
      return next;
    },
    badge,
    explain,
  };
}
