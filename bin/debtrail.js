#!/usr/bin/env node
// The `debtrail` command: runs src/cli.ts with tsx as the loader (no build step).
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`debtrail needs Node >= 22 (this is ${process.version}); see the README.`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ["--import", "tsx", resolve(root, "src/cli.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
