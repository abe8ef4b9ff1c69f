#!/usr/bin/env node
// The toolchain bootstrap behind `npm start`, `npm test` and the `debtrail` command, so that a fresh clone
// needs nothing but the system's Node (any version npm runs on, e.g. Debian's Node 20):
//  1. Node >= 22 (Hardhat 3 and its native runtime need it): the running Node if it is new enough, else the
//     one installed earlier in .tools/, else `node@22` from the npm registry installed into .tools/ (once);
//  2. the dependencies: `npm ci` under that Node when node_modules is missing or stale — a package of
//     package-lock.json for this platform missing or at another version (an install under Node 20 skips
//     Hardhat's native runtime, so it counts as stale too);
//  3. `node scripts/toolchain.mjs run <command> [args…]` then runs the command under that Node, with
//     .tools/ and node_modules/.bin first on PATH (so `npx`, `hardhat` and `tsx` in children use it too).
// Each step says what it does on stderr. Plain JavaScript without dependencies: it runs before any install.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MIN_NODE_MAJOR = 22;
const TOOLS = join(ROOT, ".tools");
const TOOLS_NODE = join(TOOLS, "node_modules", "node", "bin", "node");
const STAMP = join(ROOT, "node_modules", ".debtrail-install.json");

const say = (line) => process.stderr.write(`debtrail: ${line}\n`);
const majorOf = (version) => Number(String(version).replace(/^v/, "").split(".")[0]) || 0;

/** `node --version` of a binary, or null when it does not run. */
function versionOf(bin) {
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** npm run by `node`: the npm that started us (npm start / npm test / npx), else `npm` on the environment's PATH. */
function npmCommand(node) {
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.js$/.test(cli) && existsSync(cli) ? { cmd: node, pre: [cli] } : { cmd: "npm", pre: [] };
}

function runNpm(node, args, env, cwd = ROOT) {
  const { cmd, pre } = npmCommand(node);
  const r = spawnSync(cmd, [...pre, ...args], { cwd, env, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
}

/** Is the process that took `lock` still running? (A killed install leaves its lock behind.) */
function holderAlive(lock) {
  let pid;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // Taken a moment ago and its pid not written yet, or left by a crash before: old enough means left.
    return existsSync(lock) && Date.now() - statSync(lock).mtimeMs < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Holds .tools/.lock while `fn` runs, so two commands started at once do not install over each other. */
function withLock(fn) {
  mkdirSync(TOOLS, { recursive: true });
  const lock = join(TOOLS, ".lock");
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another install (pid ${readFileSync(join(lock, "pid"), "utf8")}); remove it if none runs`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A Node >= 22: this one, the one in .tools/, or node@22 installed there from the npm registry. */
export function ensureNode() {
  if (majorOf(process.version) >= MIN_NODE_MAJOR) return { node: process.execPath, version: process.version, provisioned: false };
  const have = versionOf(TOOLS_NODE);
  if (have && majorOf(have) >= MIN_NODE_MAJOR) return { node: TOOLS_NODE, version: have, provisioned: true };
  return withLock(() => {
    const again = versionOf(TOOLS_NODE);
    if (again && majorOf(again) >= MIN_NODE_MAJOR) return { node: TOOLS_NODE, version: again, provisioned: true };
    say(`this Node is ${process.version}; Debtrail needs Node >= ${MIN_NODE_MAJOR}. Installing node@${MIN_NODE_MAJOR} from the npm registry into .tools/ (once, about 30 MB) · 正在安装 Node ${MIN_NODE_MAJOR}`);
    if (!existsSync(join(TOOLS, "package.json"))) writeFileSync(join(TOOLS, "package.json"), '{"name":"debtrail-tools","private":true}\n');
    runNpm(process.execPath, ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", `node@${MIN_NODE_MAJOR}`], toolEnv(process.execPath), TOOLS);
    const installed = versionOf(TOOLS_NODE);
    if (!installed || majorOf(installed) < MIN_NODE_MAJOR) throw new Error(`node@${MIN_NODE_MAJOR} did not install into .tools/`);
    say(`installed Node ${installed} in .tools/`);
    return { node: TOOLS_NODE, version: installed, provisioned: true };
  });
}

let libc;
function libcOf() {
  // musl systems (Alpine) have their loader in /lib as ld-musl-<arch>.so.1; process.report is much slower to ask.
  if (libc === undefined) libc = process.platform !== "linux" ? null : readdirSync("/lib").some((f) => f.startsWith("ld-musl-")) ? "musl" : "glibc";
  return libc;
}

/** Does a lock entry restricted to some platforms (os, cpu, libc) apply to this machine? */
function forThisPlatform(entry) {
  if (entry.os && !entry.os.includes(process.platform)) return false;
  if (entry.cpu && !entry.cpu.includes(process.arch)) return false;
  if (entry.libc && !entry.libc.includes(libcOf())) return false;
  return true;
}

/**
 * Why node_modules needs `npm ci`, or null when it is current: every package of package-lock.json that
 * this platform needs (optional ones only where they name this os and cpu, as Hardhat's native runtime
 * does) must be in npm's record of the install (node_modules/.package-lock.json) at the same version. An
 * install this bootstrap made from the same lock file under Node >= 22 counts as current, whatever it skipped.
 */
export function staleReason(root = ROOT) {
  const stampFile = join(root, "node_modules", ".debtrail-install.json");
  const lockFile = join(root, "package-lock.json");
  const lockText = readFileSync(lockFile, "utf8");
  const lockHash = createHash("sha256").update(lockText).digest("hex");
  if (!existsSync(join(root, "node_modules"))) return { reason: "node_modules is missing", lockHash };
  try {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
    if (stamp.lockHash === lockHash && majorOf(stamp.node) >= MIN_NODE_MAJOR) return { reason: null, lockHash, stamped: true };
  } catch {
    /* no stamp: check the install itself */
  }
  let installed;
  try {
    installed = JSON.parse(readFileSync(join(root, "node_modules", ".package-lock.json"), "utf8")).packages ?? {};
  } catch {
    return { reason: "node_modules has no record of its install", lockHash };
  }
  const wanted = JSON.parse(lockText).packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (!path.startsWith("node_modules/") || entry.link) continue;
    if (entry.optional && !(entry.os && entry.cpu && entry.integrity && forThisPlatform(entry))) continue;
    if (!forThisPlatform(entry)) continue;
    const have = installed[path];
    if (!have) return { reason: `${path.slice("node_modules/".length)} is not installed`, lockHash };
    if (have.version !== entry.version) return { reason: `${path.slice("node_modules/".length)} is ${have.version}, package-lock.json wants ${entry.version}`, lockHash };
  }
  return { reason: null, lockHash };
}

// What a calling `npm run`/`npx` under the system's Node puts in the environment describes that Node (its
// headers in npm_config_nodedir, its path in npm_node_execpath, an empty allow-scripts…): dropped, but for
// the user's own registry, cache and proxy settings.
const KEEP_NPM_CONFIG = new Set(["registry", "cache", "userconfig", "cafile", "proxy", "https_proxy", "noproxy", "strict_ssl"]);

/** The environment to run under `node`: PATH with its directory and node_modules/.bin first, no calling npm's settings. */
export function toolEnv(node, env = process.env) {
  const dirs = [dirname(node), join(ROOT, "node_modules", ".bin")];
  const clean = Object.fromEntries(Object.entries(env).filter(([k, v]) => {
    const lower = k.toLowerCase();
    if (lower.startsWith("npm_config_")) return v !== "" && KEEP_NPM_CONFIG.has(lower.slice("npm_config_".length));
    return !/^npm_(lifecycle_|package_|node_execpath$|execpath$|command$)/.test(lower);
  }));
  return { ...clean, PATH: [...dirs, ...(env.PATH ?? "").split(delimiter).filter((d) => d && !dirs.includes(d))].join(delimiter) };
}

/** Runs `npm ci` under `node` when the install is missing or stale. */
export function ensureInstall(node, version) {
  const { reason, lockHash, stamped } = staleReason();
  if (!reason) {
    // Checked in full and current: remember it, so the next start only hashes the lock file.
    if (!stamped) writeFileSync(STAMP, JSON.stringify({ lockHash, node: version, at: new Date().toISOString() }) + "\n");
    return false;
  }
  return withLock(() => {
    const again = staleReason();
    if (!again.reason) return false;
    say(`installing the dependencies (npm ci) under Node ${version}: ${again.reason} · 正在安装依赖`);
    runNpm(node, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], toolEnv(node));
    writeFileSync(STAMP, JSON.stringify({ lockHash: again.lockHash, node: version, at: new Date().toISOString() }) + "\n");
    say("dependencies installed");
    return true;
  });
}

/** Node >= 22 and a current install: what `npm start`, `npm test` and `debtrail` need before they run. */
export function ensureToolchain({ quiet = false } = {}) {
  const { node, version, provisioned } = ensureNode();
  if (provisioned && !quiet) say(`using Node ${version} from .tools/ (this shell's Node is ${process.version})`);
  ensureInstall(node, version);
  return { node, version };
}

/**
 * V8 flags for a process that serves the API (`npm start`; `debtrail serve`; `npm run network`'s nodes) and
 * are not yet in `execArgv`, both for a book of a million claims held in the console's model (docs/benchmarks.md
 * "Scale"):
 * - a young generation of 64 MiB semi-spaces instead of V8's 16: a large book's requests and imports allocate
 *   megabytes that die within a request; in the small default they are promoted and collected with the
 *   million-row model in multi-second pauses. None when NODE_OPTIONS sets the semi-space: an operator's choice wins.
 * - no memory reducer: V8's memory reducer collects the whole heap 100 s after the last full collection, busy
 *   or not (a watchdog), and leaves the next collection's limit close to the live heap, so another full
 *   collection follows within seconds; each holds the main thread for about a second while it marks the model,
 *   which is live and cannot shrink. (A V8 flag Node refuses in NODE_OPTIONS: it must be on the command line.)
 */
export function apiNodeFlags(env = process.env, execArgv = process.execArgv) {
  const semiSpace = (arg) => arg.startsWith("--max-semi-space-size");
  const reducer = (arg) => /^--(no-)?memory[-_]reducer$/.test(arg);
  return [
    ...((env.NODE_OPTIONS ?? "").split(/\s+/).some(semiSpace) || execArgv.some(semiSpace) ? [] : ["--max-semi-space-size=64"]),
    ...(execArgv.some(reducer) ? [] : ["--no-memory-reducer"]),
  ];
}

/** libuv's thread pool for a process that serves the API, unless the environment sets it: see {@link apiEnv}. */
export const API_THREADPOOL_SIZE = 16;

/**
 * Environment for a process that serves the API: libuv's thread pool at 16 threads instead of 4. Every
 * LevelDB read and write runs on it; with 4, an import's synced batches (each holding a thread while it
 * syncs) kept a claim read's personal-data log entry waiting for a free thread. Measured apart from
 * Debtrail (six writers of 3 MB synced batches, a small synced write every 50 ms to another LevelDB):
 * p50 / p99 91.5 / 1,756 ms with 4 threads, 0.6 / 42.3 ms with 16. libuv reads it when the pool starts,
 * before any of the process's own code under tsx: it must be in the environment the process starts with.
 */
export function apiEnv(env = process.env) {
  return { ...env, UV_THREADPOOL_SIZE: env.UV_THREADPOOL_SIZE || String(API_THREADPOOL_SIZE) };
}

/** Runs `command args…` under the toolchain's Node; resolves with the exit code to use. */
export function runUnder(node, command, args, env = toolEnv(node)) {
  const local = join(ROOT, "node_modules", ".bin", command);
  const [cmd, cmdArgs] = command === "node" ? [node, args] : existsSync(local) ? [node, [local, ...args]] : [command, args];
  const child = spawn(cmd, cmdArgs, { stdio: "inherit", env });
  // Ctrl-C reaches the whole process group, the child included: only what is sent to this process is passed on.
  const forward = (signal) => child.exitCode === null && child.kill(signal);
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => forward("SIGTERM"));
  process.on("SIGHUP", () => forward("SIGHUP"));
  return new Promise((ok) => {
    child.on("error", (e) => {
      say(`cannot run ${command}: ${e.message}`);
      ok(127);
    });
    child.on("exit", (code, signal) => ok(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1)));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [verb, command, ...args] = process.argv.slice(2);
  if ((verb !== "run" && verb !== "serve") || !command) {
    process.stderr.write(
      "usage: node scripts/toolchain.mjs run <command> [args…]   (Node >= 22 and npm ci when needed, then the command)\n" +
        "       node scripts/toolchain.mjs serve <script.ts> [args…]   (the same, the script under Node with the API's flags: apiNodeFlags)\n",
    );
    process.exit(2);
  }
  let node;
  try {
    ({ node } = ensureToolchain());
  } catch (e) {
    say(`could not prepare the toolchain: ${e.message}`);
    process.exit(1);
  }
  process.exitCode = verb === "serve"
    ? await runUnder(node, "node", [...apiNodeFlags(), "--import", "tsx", command, ...args], apiEnv(toolEnv(node)))
    : await runUnder(node, command, args);
}
