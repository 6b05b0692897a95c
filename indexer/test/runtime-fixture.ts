/**
 * Builds the fixture subgraph under test/fixtures/did-subgraph with the repository's graph-cli, exporting the
 * DIDRegistry ABI from the Hardhat artifacts first, so the fixture always matches the contract.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
export const fixtureDir = join(here, "fixtures/did-subgraph");
export const fixtureBuildDir = join(fixtureDir, "build");

let built = false;

export function buildFixtureSubgraph(): string {
  if (built) return fixtureBuildDir;
  const artifact = JSON.parse(
    readFileSync(join(root, "artifacts/contracts/DIDRegistry.sol/DIDRegistry.json"), "utf8"),
  ) as { abi: unknown[] };
  mkdirSync(join(fixtureDir, "abis"), { recursive: true });
  writeFileSync(join(fixtureDir, "abis/DIDRegistry.json"), JSON.stringify(artifact.abi, null, 2));
  const graph = join(root, "node_modules/.bin/graph");
  for (const command of ["codegen", "build"]) {
    execFileSync(graph, [command, "subgraph.yaml"], { cwd: fixtureDir, stdio: "pipe" });
  }
  built = true;
  return fixtureBuildDir;
}
