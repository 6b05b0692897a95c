#!/usr/bin/env node
// The `realdid` command: runs the built CLI (cli/dist, made by `npm run lint` or `node cli/scripts/build.ts`).
import { existsSync } from "node:fs";

const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("realdid is not built: run `npm run lint` (or `node scripts/bootstrap.mjs node cli/scripts/build.ts`)");
  process.exit(3);
}
await import(main.href);
