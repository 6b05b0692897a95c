/**
 * Builds the SDK into `dist/` (ESM + `.d.ts`): regenerates the contract error classes and ABIs
 * from `deployments/abis/*.json`, then compiles with `tsc -p sdk/tsconfig.json`. Run by `npm run lint` (hence
 * `npm test`) and before packing.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { regenerate } from "./generate.ts";

const SDK = join(import.meta.dirname, "..");
regenerate(true);
rmSync(join(SDK, "dist"), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const { status } = spawnSync(process.execPath, [tsc, "-p", join(SDK, "tsconfig.json")], { stdio: "inherit" });
process.exit(status ?? 1);
