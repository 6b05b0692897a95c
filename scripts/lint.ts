/**
 * `npm run lint`: formatting (prettier + solidity plugin), Solidity (solhint), TypeScript (eslint, tsc). The
 * contracts are built first: tsc checks the code against the TypeChain types the build generates. The SDK is built
 * too (`sdk/dist`, ESM + `.d.ts`): that checks it compiles as the published package, whose `.d.ts` the pack test
 * installs. The CLI is built after it (`cli/dist`, JavaScript for Node >= 20, compiled against the SDK's `.d.ts`). Code of the repository imports the SDK's sources (`sdk/src`) and needs no build.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const checks: [string, string, string[]][] = [
  ["build", "hardhat", ["build", "--quiet"]],
  ["sdk", "node", ["sdk/scripts/build.ts"]],
  ["cli", "node", ["cli/scripts/build.ts"]],
  ["prettier", "prettier", ["--check", "."]],
  ["solhint", "solhint", ["contracts/**/*.sol"]],
  ["eslint", "eslint", ["."]],
  ["tsc", "tsc", ["-p", "tsconfig.json"]],
];

let failures = 0;
for (const [name, command, args] of checks) {
  const { status } = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  console.log(`${name}: ${status === 0 ? "ok" : "FAILED"}`);
  if (status !== 0) failures++;
}
process.exit(failures === 0 ? 0 : 1);
