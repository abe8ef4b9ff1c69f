#!/usr/bin/env node
// The `debtrail` command: runs src/cli.ts in this process with tsx registered as the loader (no build
// step, no child process: signals such as Ctrl-C reach the command itself).
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(`debtrail needs Node >= 22 (this is ${process.version}); see the README.`);
  process.exit(2);
}
const { register } = await import("tsx/esm/api");
register();
const { main } = await import(pathToFileURL(resolve(root, "src/cli.ts")).href);
process.exitCode = await main(process.argv.slice(2));
