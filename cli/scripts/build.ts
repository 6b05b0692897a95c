/**
 * Builds the CLI into `dist/` (ESM JavaScript for Node >= 20) with `tsc -p cli/tsconfig.json`. Needs the SDK's
 * `dist/` (`sdk/scripts/build.ts`), whose types it compiles against. Run by `npm run lint` (hence `npm test`).
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "..");
rmSync(join(CLI, "dist"), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const { status } = spawnSync(process.execPath, [tsc, "-p", join(CLI, "tsconfig.json")], { stdio: "inherit" });
process.exit(status ?? 1);
