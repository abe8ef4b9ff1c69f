/**
 * Runs each organisation's processes — `debtrail serve` (the API; it hosts the organisation's store) and
 * `debtrail oracle` (joins the store as its guest) — and starts again whichever exits unexpectedly, after
 * NETWORK_RESTART_DELAY_MS, unless the organisation's dir holds a file named `down` (daemontools' convention:
 * an organisation taken down on purpose stays down until the file is removed). Each process writes its pid
 * to <org>/<kind>.pid and its output to <org>/<kind>.log.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Org } from "./orgs.js";
import { apiNodeFlags } from "../toolchain.mjs";

export type Kind = "serve" | "oracle";

interface Running {
  org: Org;
  kind: Kind;
  env: NodeJS.ProcessEnv;
  child?: ChildProcess;
  restarts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the organisation's API answers /healthz (or throws after `timeoutMs`). */
export async function waitHealthy(api: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`${api} exited before it answered /healthz`);
    const ok = await fetch(`${api}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${api} did not answer /healthz within ${timeoutMs} ms`);
}

export function createSupervisor(opts: { restartDelayMs: number; log: (line: string) => void }) {
  const running: Running[] = [];
  let stopping = false;
  const bin = resolve("bin/debtrail.js");

  function launch(r: Running): ChildProcess {
    const out = openSync(join(r.org.dir, `${r.kind}.log`), "a");
    // `serve` with the API's V8 flags on the command line: the pid written below is the server itself.
    const flags = r.kind === "serve" ? apiNodeFlags(r.env, []) : [];
    const child = spawn(process.execPath, [...flags, bin, r.kind, ...(r.kind === "oracle" ? ["--json"] : [])], { env: r.env, stdio: ["ignore", out, out] });
    closeSync(out);
    r.child = child;
    writeFileSync(join(r.org.dir, `${r.kind}.pid`), `${child.pid}\n`);
    child.once("exit", (code, signal) => void exited(r, child, code, signal));
    return child;
  }

  async function exited(r: Running, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (stopping || r.child !== child) return;
    opts.log(`${r.org.name} ${r.kind} exited (${signal ?? code}) · ${r.org.name} ${r.kind} 进程已退出`);
    await sleep(opts.restartDelayMs);
    while (!stopping && existsSync(join(r.org.dir, "down"))) await sleep(250);
    if (stopping || r.child !== child) return;
    r.restarts++;
    // The API first: it hosts the store; the oracle of a running API is a guest either way.
    launch(r);
    opts.log(`${r.org.name} ${r.kind} started again (pid ${r.child!.pid}) · 已重新启动`);
  }

  return {
    /** Starts the organisation's API, waits for /healthz, then its oracle. */
    async start(org: Org, env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<void> {
      rmSync(join(org.dir, "down"), { force: true });
      const api: Running = { org, kind: "serve", env: { ...env, ORACLE_ENABLED: "0" }, restarts: 0 };
      running.push(api);
      const child = launch(api);
      await waitHealthy(org.api, timeoutMs, () => api.child !== child || child.exitCode === null);
      const oracle: Running = { org, kind: "oracle", env, restarts: 0 };
      running.push(oracle);
      launch(oracle);
    },

    restarts: () => Object.fromEntries(running.map((r) => [`${r.org.name}/${r.kind}`, r.restarts])),

    /** SIGTERM to every process (oracles first: they finish their cycle), SIGKILL after `graceMs`. */
    async stop(graceMs = 15_000): Promise<void> {
      stopping = true;
      const order = [...running.filter((r) => r.kind === "oracle"), ...running.filter((r) => r.kind === "serve")];
      for (const group of [order.filter((r) => r.kind === "oracle"), order.filter((r) => r.kind === "serve")]) {
        await Promise.all(group.map((r) => new Promise<void>((ok) => {
          const c = r.child;
          if (!c || c.exitCode !== null || c.signalCode !== null) return ok();
          const timer = setTimeout(() => c.kill("SIGKILL"), graceMs);
          c.once("exit", () => {
            clearTimeout(timer);
            ok();
          });
          c.kill("SIGTERM");
        })));
      }
      for (const r of running) rmSync(join(r.org.dir, `${r.kind}.pid`), { force: true });
    },
  };
}
