/**
 * `npm run network` from a test: started as its own process group on free ports in a temp dir, with the
 * TEST-ONLY clock offset on (NETWORK_TEST_CLOCK=1: the chain's and the daemons' clocks move together), read
 * from its network.json; one organisation killed and brought back; the network stopped as Ctrl-C would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export type OrgName = "bank" | "amcA" | "amcB" | "court" | "investor";
export interface NetworkJson {
  rpc: string;
  chainId: string;
  contracts: Record<string, string>;
  orgs: Record<OrgName, { api: string; address: string; keys: Record<string, string> }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once("error", () => ok(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => ok(true)));
  });
}

/** The first of four consecutive free ports. */
async function freeBlock(): Promise<number> {
  for (;;) {
    // Below the kernel's ephemeral range (32768–60999): a restart binds the same ports again, and an outgoing
    // connection's local port there could hold one of them (EADDRINUSE).
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await Promise.all([0, 1, 2, 3, 4, 5].map((i) => portFree(base + i)))).every(Boolean)) return base;
  }
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export interface TestNetwork {
  dir: string;
  json: NetworkJson;
  process: ChildProcess;
  /** The supervisor's output and the named organisation's logs (for failure messages). */
  logs(org?: OrgName, lines?: number): string;
  /** Pids of the organisation's `debtrail serve` and `debtrail oracle`. */
  pids(org: OrgName): { serve: number; oracle: number };
  /** SIGKILL of both processes of `org`, held down (its `down` file) until {@link revive}. */
  kill(org: OrgName): Promise<void>;
  /** Lets the supervisor start `org` again; resolves once its API answers and its oracle runs. */
  revive(org: OrgName, timeoutMs?: number): Promise<void>;
  /** Moves the chain's clock (evm_increaseTime, a block mined) and the daemons' (the test clock file) on by `seconds`. */
  advance(seconds: number): Promise<void>;
  /**
   * Stops the network as Ctrl-C does (SIGTERM; SIGKILL to its process group after 30 s); `keep` leaves its dir
   * (and ports) for {@link startNetwork}'s `again`. Resolves with its exit code (null when it had to be killed).
   */
  stop(opts?: { keep?: boolean }): Promise<number | null>;
  /** The variables it was started with (to start it again on the same dir and ports). */
  env: Record<string, string>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `npm run network` in a new temp dir, or `again` on the dir and ports of a stopped one. */
export async function startNetwork(env: Record<string, string> = {}, timeoutMs = 240_000, again?: TestNetwork): Promise<TestNetwork> {
  const dir = again?.dir ?? mkdtempSync(join(tmpdir(), "debtrail-network-"));
  const vars = again?.env ?? {
    NETWORK_DIR: dir,
    ...(await freeBlock().then((base) => ({ NETWORK_BASE_PORT: String(base), CHAIN_PORT: String(base + 5) }))),
    NETWORK_TEST_CLOCK: "1",
    NETWORK_ORACLE_INTERVAL_MS: "1000",
    NETWORK_EVIDENCE_BATCH_AGE_MS: "1500",
    NETWORK_RESTART_DELAY_MS: "200",
    ...env,
  };
  const logFile = join(dir, "network.log");
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", resolve("scripts/network.ts")], {
    detached: true, // its own process group: the organisations and the chain go with it, whatever happens
    stdio: ["ignore", fd, fd],
    env: { ...process.env, ...vars },
  });
  closeSync(fd);
  const tail = (file: string, lines: number) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").slice(-lines).map((l) => l.slice(0, 400)).join("\n") : "");
  const logs = (org?: OrgName, lines = 15) => [
    `--- network.log\n${tail(logFile, lines)}`,
    ...(org ? (["serve", "oracle"] as const).map((k) => `--- ${org}/${k}.log\n${tail(join(dir, org, `${k}.log`), lines)}`) : []),
  ].join("\n");
  const ready = join(dir, "network.json");
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(ready)) {
    if (child.exitCode !== null) throw new Error(`npm run network exited with ${child.exitCode}\n${logs()}\n${(["bank", "amcA", "amcB", "court", "investor"] as const).map((o) => `--- ${o}\n${tail(join(dir, o, "serve.log"), 12)}`).join("\n")}`);
    if (Date.now() > deadline) {
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ }
      throw new Error(`npm run network did not write network.json within ${timeoutMs} ms\n${logs()}`);
    }
    await sleep(250);
  }
  const json = JSON.parse(readFileSync(ready, "utf8")) as NetworkJson;
  const pidOf = (org: OrgName, kind: string) => Number(readFileSync(join(dir, org, `${kind}.pid`), "utf8"));
  const net: TestNetwork = {
    dir,
    env: vars,
    json,
    process: child,
    logs,
    pids: (org) => ({ serve: pidOf(org, "serve"), oracle: pidOf(org, "oracle") }),
    async kill(org) {
      writeFileSync(join(dir, org, "down"), "");
      const { serve, oracle } = net.pids(org);
      for (const pid of [oracle, serve]) if (alive(pid)) process.kill(pid, "SIGKILL");
      while (alive(serve) || alive(oracle)) await sleep(25);
    },
    async revive(org, reviveTimeoutMs = 90_000) {
      const before = net.pids(org);
      rmSync(join(dir, org, "down"), { force: true });
      const until = Date.now() + reviveTimeoutMs;
      for (;;) {
        const now = net.pids(org);
        if (now.serve !== before.serve && now.oracle !== before.oracle && alive(now.oracle)) {
          const ok = await fetch(`${json.orgs[org].api}/healthz`).then((r) => r.ok, () => false);
          if (ok) return;
        }
        if (Date.now() > until) throw new Error(`${org} did not come back\n${logs(org)}`);
        await sleep(200);
      }
    },
    async advance(seconds) {
      await rpc(json.rpc, "evm_increaseTime", [seconds]);
      await rpc(json.rpc, "evm_mine", []);
      const file = join(dir, "test-clock.json");
      const { offsetMs } = JSON.parse(readFileSync(file, "utf8")) as { offsetMs: number };
      writeFileSync(`${file}.tmp`, JSON.stringify({ offsetMs: offsetMs + seconds * 1000 }));
      renameSync(`${file}.tmp`, file);
      await sleep(300); // the daemons look at the file every 200 ms
    },
    async stop(opts = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once("exit", ok));
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(30_000)]);
      }
      const code = child.exitCode;
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* the group is gone */ }
      if (opts.keep) return code;
      const { deploymentId } = JSON.parse(readFileSync(join(dir, "deployment.json"), "utf8")) as { deploymentId: string };
      rmSync(`ignition/deployments/${deploymentId}`, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
  return net;
}
