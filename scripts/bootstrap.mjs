#!/usr/bin/env node
// Runs a command with a Node >= 24 toolchain and up-to-date npm dependencies.
//
//   node scripts/bootstrap.mjs <command> [args...]
//
// Dependency-free on purpose: it runs on whatever Node the machine has (v20 included). When that Node is too
// old it provisions the npm package `node-<platform>-<arch>@24` into .toolchain/ (git-ignored); when
// node_modules is missing or older than package-lock.json it runs `npm ci`. Both are skipped when nothing
// changed, so re-running costs milliseconds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MIN_NODE = [24, 0];
const TOOLCHAIN_NODE = "24";
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const toolchainDir = join(root, ".toolchain");
const stampFile = join(root, "node_modules", ".realdid-install-stamp");

function say(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? (result.signal ? 128 : 1);
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    say(`\`${command} ${args.join(" ")}\` failed with exit code ${status}`);
    process.exit(status);
  }
}

function versionOk(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/** Directory holding a suitable `node` binary, provisioning one when the running Node is too old. */
function nodeBinDir() {
  if (versionOk(process.versions.node)) return dirname(process.execPath);
  const bin = join(toolchainDir, "node", "bin");
  if (existsSync(join(bin, "node"))) return bin;
  const pkg = `node-${process.platform}-${process.arch}@${TOOLCHAIN_NODE}`;
  say(`Node ${process.versions.node} is older than ${MIN_NODE.join(".")}: provisioning ${pkg} into .toolchain/`);
  const staging = join(toolchainDir, "staging");
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  mustRun("npm", ["pack", pkg, "--silent", "--pack-destination", staging]);
  const tarball = readdirSync(staging).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack ${pkg} produced no tarball`);
  mustRun("tar", ["-xzf", join(staging, tarball), "-C", staging]);
  rmSync(join(toolchainDir, "node"), { recursive: true, force: true });
  renameSync(join(staging, "package"), join(toolchainDir, "node"));
  rmSync(staging, { recursive: true, force: true });
  return bin;
}

/** Hash of everything that decides the installed tree: lockfile, manifests and the Node major version. */
function installFingerprint(nodeVersion) {
  const hash = createHash("sha256");
  for (const file of [
    "package-lock.json",
    "package.json",
    "subgraph/package.json",
    "indexer/package.json",
    "sdk/package.json",
    "cli/package.json",
    "testkit/package.json",
    "apps/relying-party/package.json",
  ]) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  hash.update(nodeVersion.split(".")[0]);
  return hash.digest("hex");
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  say("usage: node scripts/bootstrap.mjs <command> [args...]");
  process.exit(2);
}

const binDir = nodeBinDir();
const env = {
  ...process.env,
  PATH: [binDir, join(root, "node_modules", ".bin"), process.env.PATH].join(":"),
};
const nodeVersion = spawnSync(join(binDir, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();

const fingerprint = installFingerprint(nodeVersion);
const stamp = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
if (stamp !== fingerprint) {
  say(`installing npm dependencies with Node ${nodeVersion} (npm ci) ...`);
  mustRun("npm", ["ci", "--no-audit", "--no-fund"], { env });
  writeFileSync(stampFile, fingerprint + "\n");
}

process.exit(run(command, args, { env }));
