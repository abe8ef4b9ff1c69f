import { describe, it, expect, afterEach } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { apiEnv, apiNodeFlags, staleReason, toolEnv } from "../../scripts/toolchain.mjs";

/**
 * The bootstrap behind npm start / npm test / debtrail decides when `npm ci` must run: a package this platform
 * needs missing or at another version — an install under Node 20 leaves out Hardhat's native runtime.
 */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const here = { os: [process.platform], cpu: [process.arch] };
const lock = {
  packages: {
    "": { name: "x" },
    "node_modules/a": { version: "1.0.0", integrity: "sha512-a" },
    "node_modules/native-here": { version: "2.0.0", integrity: "sha512-n", optional: true, ...here, ...(process.platform === "linux" ? { libc: ["glibc", "musl"] } : {}) },
    "node_modules/native-elsewhere": { version: "2.0.0", optional: true, os: ["win32-never"], cpu: ["x64"] },
    "node_modules/optional-wasm-dep": { version: "3.0.0", integrity: "sha512-w", optional: true },
  },
};

function project(installed?: Record<string, { version: string }>, stamp?: object): string {
  const root = mkdtempSync(join(tmpdir(), "toolchain-"));
  dirs.push(root);
  writeFileSync(join(root, "package-lock.json"), JSON.stringify(lock));
  if (installed) {
    mkdirSync(join(root, "node_modules"));
    writeFileSync(join(root, "node_modules", ".package-lock.json"), JSON.stringify({ packages: installed }));
    if (stamp) writeFileSync(join(root, "node_modules", ".debtrail-install.json"), JSON.stringify(stamp));
  }
  return root;
}

describe("toolchain bootstrap", () => {
  it("asks for npm ci when node_modules is missing, a package is missing or at another version", () => {
    expect(staleReason(project()).reason).toBe("node_modules is missing");
    expect(staleReason(project({ "node_modules/a": { version: "1.0.0" } })).reason).toBe("native-here is not installed"); // Node 20 skipped it
    expect(staleReason(project({ "node_modules/a": { version: "0.9.0" }, "node_modules/native-here": { version: "2.0.0" } })).reason).toBe("a is 0.9.0, package-lock.json wants 1.0.0");
  });

  it("counts an install current when every package this platform needs is there, other platforms' and optional extras aside", () => {
    expect(staleReason(project({ "node_modules/a": { version: "1.0.0" }, "node_modules/native-here": { version: "2.0.0" } })).reason).toBeNull();
  });

  it("trusts its own stamp only for the same lock file under Node >= 22", () => {
    const root = project({ "node_modules/a": { version: "1.0.0" } });
    const lockHash = createHash("sha256").update(JSON.stringify(lock)).digest("hex");
    writeFileSync(join(root, "node_modules", ".debtrail-install.json"), JSON.stringify({ lockHash, node: "v20.20.2" }));
    expect(staleReason(root).reason).not.toBeNull();
    writeFileSync(join(root, "node_modules", ".debtrail-install.json"), JSON.stringify({ lockHash, node: "v22.1.0" }));
    expect(staleReason(root).reason).toBeNull();
    writeFileSync(join(root, "node_modules", ".debtrail-install.json"), JSON.stringify({ lockHash: "other", node: "v22.1.0" }));
    expect(staleReason(root).reason).not.toBeNull();
  });

  it("runs children with the chosen Node first on PATH and without the calling npm's settings for the old Node", () => {
    const env = toolEnv("/opt/node22/bin/node", { PATH: "/usr/bin:/bin", npm_config_nodedir: "/usr", npm_config_registry: "https://r.example/", npm_node_execpath: "/usr/bin/node", npm_config_allow_scripts: "", HOME: "/root" });
    expect(env.PATH.split(":").slice(0, 1)).toEqual(["/opt/node22/bin"]);
    expect(env.PATH.split(":").at(-2)).toBe("/usr/bin");
    expect(env).toMatchObject({ npm_config_registry: "https://r.example/", HOME: "/root" });
    expect(env).not.toHaveProperty("npm_config_nodedir");
    expect(env).not.toHaveProperty("npm_node_execpath");
    expect(env).not.toHaveProperty("npm_config_allow_scripts");
  });

  it("gives the API's process a 64 MiB young generation, unless the operator's NODE_OPTIONS or the process already set one", () => {
    const semi = (flags: string[]) => flags.filter((f) => f.startsWith("--max-semi-space-size"));
    expect(semi(apiNodeFlags({}, []))).toEqual(["--max-semi-space-size=64"]);
    expect(semi(apiNodeFlags({ NODE_OPTIONS: "--max-old-space-size=4096" }, ["--import", "tsx"]))).toEqual(["--max-semi-space-size=64"]);
    expect(semi(apiNodeFlags({ NODE_OPTIONS: "--max-old-space-size=4096 --max-semi-space-size=16" }, []))).toEqual([]);
    // A process started with it: nothing to add.
    expect(semi(apiNodeFlags({}, ["--max-semi-space-size=64"]))).toEqual([]);
  });

  it("turns V8's memory reducer off for the API's process, unless its command line already says either way", () => {
    expect(apiNodeFlags({}, [])).toEqual(["--max-semi-space-size=64", "--no-memory-reducer"]);
    expect(apiNodeFlags({}, ["--memory-reducer"])).toEqual(["--max-semi-space-size=64"]);
    expect(apiNodeFlags({}, ["--max-semi-space-size=32", "--no-memory-reducer"])).toEqual([]);
  });

  it("gives the API's process 16 libuv threads, unless the operator set the pool's size", () => {
    expect(apiEnv({ PATH: "/bin" })).toEqual({ PATH: "/bin", UV_THREADPOOL_SIZE: "16" });
    expect(apiEnv({ UV_THREADPOOL_SIZE: "64" }).UV_THREADPOOL_SIZE).toBe("64");
  });

  it("`serve` (npm start) runs the script with more than 4 libuv threads; a plain tsx run has 4", () => {
    const probe = (args: string[]) => JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", timeout: 30_000, env: { ...process.env, UV_THREADPOOL_SIZE: "" } }).trim().split("\n").at(-1)!);
    expect(probe(["scripts/toolchain.mjs", "serve", "test/scripts/fixtures/threadpool-probe.ts"])).toEqual({ moreThan8: true, env: "16" });
    expect(probe(["--import", "tsx", "test/scripts/fixtures/threadpool-probe.ts"]).moreThan8).toBe(false);
  }, 60_000);
});
