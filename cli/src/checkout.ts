/**
 * What deployer commands need of the repository they run in: the checkout itself (Hardhat config and the Ignition
 * module), its build artifacts and its Ignition parameters. `realdid deploy` and `deployments verify` run from the
 * root of a RealDID checkout; every other command needs only a deployment file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import type { BuildArtifact } from "@realdid/sdk/deployment";

import { config } from "./errors.js";

/** The RealDID checkout in the current directory, or a configuration error saying what `purpose` needs it for. */
export function checkoutRoot(purpose: string): string {
  const root = process.cwd();
  const missing = ["hardhat.config.ts", join("ignition", "modules", "RealDID.ts")].filter(
    (file) => !existsSync(join(root, file)),
  );
  if (missing.length > 0)
    throw config(`${purpose}: run it from the root of a RealDID checkout (${root} has no ${missing.join(" and no ")})`);
  return root;
}

/** The Ignition directory (parameters, journals): `REALDID_IGNITION_DIR`, else `ignition/`, as hardhat.config.ts. */
export function ignitionDir(root: string): string {
  return resolve(root, process.env.REALDID_IGNITION_DIR || "ignition");
}

/** A JSON file's contents, or a configuration error naming the file. */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw config(`${file}: ${(error as Error).message}`);
  }
}

/** The Ignition parameters of `network` (`ignition/parameters/<network>.json`, or `file`); none: `{}`. */
export function readParameters(root: string, network: string, file?: string): unknown {
  const path = file === undefined ? join(ignitionDir(root), "parameters", `${network}.json`) : resolve(file);
  if (!existsSync(path)) {
    if (file !== undefined) throw config(`--parameters ${file} does not exist`);
    return {};
  }
  return readJson(path);
}

/** The build artifacts (runtime code and immutable ranges) of `names`, from the checkout's `artifacts/`. */
export function readArtifacts(root: string, names: readonly string[]): Record<string, BuildArtifact> {
  const artifacts: Record<string, BuildArtifact> = {};
  for (const name of names) {
    const file = join(root, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
    if (!existsSync(file)) throw config(`${file} does not exist: build the contracts first (npx hardhat build)`);
    artifacts[name] = readJson(file) as BuildArtifact;
  }
  return artifacts;
}
