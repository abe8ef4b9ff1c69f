#!/usr/bin/env node
// The `debtrail` command: runs src/cli.ts in this process with tsx registered as the loader (no build
// step, no child process: signals such as Ctrl-C reach the command itself). Under a Node older than 22, or
// with node_modules missing or stale, scripts/toolchain.mjs first brings Node 22 into .tools/ and runs
// `npm ci` (saying so on stderr); the command then runs again under that Node.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { ensureToolchain, toolEnv, apiEnv } = await import(pathToFileURL(resolve(root, "scripts/toolchain.mjs")).href);
let node;
try {
  ({ node } = ensureToolchain({ quiet: true }));
} catch (e) {
  console.error(`debtrail: could not prepare Node >= 22 and the dependencies: ${e.message}`);
  process.exit(4);
}
if (node !== process.execPath) {
  const env = process.argv[2] === "serve" ? apiEnv(toolEnv(node)) : toolEnv(node);
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit", env });
  process.on("SIGINT", () => undefined); // the child has it too (same process group)
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
} else {
  // `debtrail serve`: libuv's thread pool as scripts/toolchain.mjs apiEnv sets it (it starts with tsx, just below).
  if (process.argv[2] === "serve") process.env.UV_THREADPOOL_SIZE = apiEnv(process.env).UV_THREADPOOL_SIZE;
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import(pathToFileURL(resolve(root, "src/cli.ts")).href);
  process.exitCode = await main(process.argv.slice(2));
}
