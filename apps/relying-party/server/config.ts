/**
 * The site's configuration: command-line flags, then environment variables, then defaults for the local stack.
 *
 *   node apps/relying-party/server/main.ts [--port 3000] [--rpc http://127.0.0.1:8545]
 *     [--graphql http://127.0.0.1:8000/subgraphs/name/realdid] [--network localhost] [--threshold 500000] [--min-level 2]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

import type { DeploymentFile } from "@realdid/sdk";

export interface SiteConfig {
  host: string;
  port: number;
  rpcUrl: string;
  graphqlUrl: string;
  deployment: DeploymentFile;
  /** Followers from which a creator must show a disclosed real name before publishing. */
  threshold: number;
  /** Assurance level the badge, the creator rule and publishing require. */
  minLevel: number;
  /** Where the built front end is (`vite build`). */
  staticDir: string;
}

const root = join(import.meta.dirname, "..", "..", "..");

/** A positive integer option, or an error naming it. */
function integer(name: string, value: string, min: number): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return parsed;
}

/** The configuration from `argv` and `env`; throws an error naming a bad option. */
export function readConfig(argv: string[] = process.argv.slice(2), env = process.env): SiteConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      rpc: { type: "string" },
      graphql: { type: "string" },
      network: { type: "string" },
      threshold: { type: "string" },
      "min-level": { type: "string" },
    },
  });
  const network = values.network ?? env.RP_NETWORK ?? "localhost";
  const deploymentPath = join(root, "deployments", `${network}.json`);
  let deployment: DeploymentFile;
  try {
    deployment = JSON.parse(readFileSync(deploymentPath, "utf8")) as DeploymentFile;
  } catch (error) {
    throw new Error(`cannot read the deployment ${deploymentPath}: ${(error as Error).message}`, { cause: error });
  }
  return {
    host: values.host ?? env.RP_HOST ?? "127.0.0.1",
    port: integer("port", values.port ?? env.RP_PORT ?? "3000", 0),
    rpcUrl: values.rpc ?? env.RPC_URL ?? "http://127.0.0.1:8545",
    graphqlUrl: values.graphql ?? env.GRAPHQL_URL ?? "http://127.0.0.1:8000/subgraphs/name/realdid",
    deployment,
    threshold: integer("threshold", values.threshold ?? env.RP_FOLLOWER_THRESHOLD ?? "500000", 1),
    minLevel: integer("min-level", values["min-level"] ?? env.RP_MIN_LEVEL ?? "2", 1),
    staticDir: join(import.meta.dirname, "..", "dist"),
  };
}
