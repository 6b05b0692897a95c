/** `npm run lint`: formatting (prettier + solidity plugin), Solidity (solhint), TypeScript (eslint, tsc). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const checks: [string, string, string[]][] = [
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
