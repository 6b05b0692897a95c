/**
 * Prints the README's address table from `deployments/*.json`:
 *
 *   node scripts/addresses.ts
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

import { readDeployment } from "./deployment.ts";

const root = join(import.meta.dirname, "..");

/** The markdown address table of every deployment in `deployments/`, one row per contract. */
export function addressTable(): string {
  const rows = ["| network | chain id | contract | address | start block |", "|---|---:|---|---|---:|"];
  const networks = readdirSync(join(root, "deployments"))
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
  for (const network of networks) {
    const { chainId, contracts } = readDeployment(root, network);
    for (const [name, { address, startBlock }] of Object.entries(contracts))
      rows.push(`| ${network} | ${chainId} | ${name} | \`${address}\` | ${startBlock} |`);
  }
  return rows.join("\n");
}

if (import.meta.main) console.log(addressTable());
