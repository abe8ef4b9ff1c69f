import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { JsonRpcProvider } from "ethers";
import { CollectionClauses__factory } from "../../types/ethers-contracts/index.js";
import { startStack, freePort, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { CASE_STATES } from "../../src/core/clauses.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { documentCommitment } from "../../src/core/commitment.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

/**
 * `debtrail serve` and `debtrail oracle` as two real processes on one data dir and one hardhat node (issue
 * 15). The API opens the store first and hosts it; the oracle joins it over the store's socket
 * (src/store/shared.ts). Statuses posted to the API are acted on by the oracle process alone (the API runs
 * no cycles). The oracle is SIGKILLed mid-cycle twice (planning, sending) and restarted; then the API —
 * the store's host — is SIGKILLed right after accepting more statuses: the oracle takes the store over
 * and goes on; the API restarted joins it and serves again. From the chain's events: every claim got
 * exactly one report and exactly its transitions, once; every warning notice is one evidence record.
 */

const FIRST = 200; // statuses posted while both run
const SECOND = 30; // statuses posted just before the API is killed
const ZERO = `0x${"0".repeat(64)}`;

let stack: TestStack;
let provider: JsonRpcProvider;
let port: number;
let deploymentKey: string;
let api: ChildProcess | undefined;
let oracle: ChildProcess | undefined;
let oracleLines: any[] = []; // the current oracle process's stdout, one JSON object a line
const cycles: any[] = []; // every cycle summary printed by any of the oracle processes
let logFd: number;

type Kind = "warned" | "performing" | "repaid";
const kindOf = (i: number): Kind => (i % 10 < 7 ? "warned" : i % 10 < 9 ? "performing" : "repaid");
const EXPECTED: Record<Kind, { transitions: string[]; state: string; notice: boolean }> = {
  warned: { transitions: ["overdue", "warned"], state: "warned", notice: true },
  performing: { transitions: [], state: "performing", notice: false },
  repaid: { transitions: ["closed"], state: "closed", notice: false },
};
const statusOf = (claimId: string, i: number, asOf: string) => ({
  claimId, asOf,
  daysPastDue: kindOf(i) === "warned" ? 5 : 0,
  outstanding: kindOf(i) === "repaid" ? "0" : "85000000",
  collateralValue: "40000000",
});

function processLog(lines = 20): string {
  const text = readFileSync(join(stack.dataDir, "processes.log"), "utf8").trim();
  return text ? `\nprocess log (last ${lines} lines):\n${text.split("\n").slice(-lines).map((l) => l.slice(0, 400)).join("\n")}` : "";
}

const env = () => ({
  ...process.env, DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: stack.chainUrl, DATA_DIR: stack.dataDir, LOG_LEVEL: "warn",
  ORACLE_BATCH_SIZE: "50", ORACLE_INTERVAL_MS: "200",
  // Small evidence batches: the API anchors the oracle's notices mid-cycle with the same service key.
  EVIDENCE_BATCH_SIZE: "16", EVIDENCE_BATCH_AGE_MS: "500",
});

/** `debtrail serve`, with cycles off: the oracle process does them. Waits until it answers for this deployment. */
async function spawnApi(): Promise<ChildProcess> {
  port = await freePort();
  const proc = spawn(process.execPath, [resolve("bin/debtrail.js"), "serve"], {
    env: { ...env(), PORT: String(port), ORACLE_ENABLED: "0" },
    stdio: ["ignore", logFd, logFd],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`API exited with ${proc.exitCode}${processLog()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok && ((await res.json()) as { deployment: string }).deployment === deploymentKey) return proc;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`API did not start${processLog()}`);
}

/** `debtrail oracle --json`; resolves with its status line (the first it prints). */
async function spawnOracle(): Promise<{ proc: ChildProcess; status: any }> {
  oracleLines = [];
  const proc = spawn(process.execPath, [resolve("bin/debtrail.js"), "oracle", "--json", "--lang", "en"], {
    env: env(),
    stdio: ["ignore", "pipe", logFd],
  });
  let buffer = "";
  proc.stdout!.on("data", (d) => {
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl));
      oracleLines.push(line);
      if (line.cycle) cycles.push(line.cycle);
      buffer = buffer.slice(nl + 1);
    }
  });
  const deadline = Date.now() + 30_000;
  while (oracleLines.length === 0) {
    if (proc.exitCode !== null) throw new Error(`oracle exited with ${proc.exitCode}${processLog()}`);
    if (Date.now() > deadline) throw new Error(`the oracle printed no status${processLog()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, status: oracleLines[0] };
}

function kill9(proc: ChildProcess | undefined): Promise<void> {
  return new Promise((ok) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return ok();
    proc.once("exit", () => ok());
    proc.kill("SIGKILL");
  });
}

async function http(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}${processLog()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let ids: string[] = [];
let clauses: ReturnType<typeof CollectionClauses__factory.connect>;
let from = 0;
const appliedOnChain = async () => (await clauses.queryFilter(clauses.filters.ReportApplied(), from)).length;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", LOG_LEVEL: "silent" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  clauses = CollectionClauses__factory.connect(stack.deployment.contracts.CollectionClauses.address, provider);
  from = stack.deployment.contracts.CollectionClauses.blockNumber;
  const claims = Array.from({ length: FIRST + SECOND }, (_, i) => claimRequest(`SIDE-${i}`, {
    debtor: { name: "周九", idNumber: syntheticIdNumber("320101", 50_000 + i), phone: "13800138000", type: "retail", debtorId: `D-SIDE-${i}` },
  }));
  const accepted = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims });
  expect(accepted.status).toBe(202);
  let job: any;
  for (;;) {
    job = (await call(stack, "GET", `/v1/jobs/${accepted.body.jobId}`, "dev-bank")).body;
    if (job.status === "done") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(job.registered).toBe(FIRST + SECOND);
  ids = [...job.results].sort((a: any, b: any) => a.index - b.index).map((r: any) => r.claimId as string);
  deploymentKey = (await call(stack, "GET", "/healthz")).body.deployment;
  await stack.api.close(); // from here on, the API and the oracle are child processes
  logFd = openSync(join(stack.dataDir, "processes.log"), "a");
}, 120_000);

afterAll(async () => {
  await kill9(oracle);
  await kill9(api);
  if (logFd !== undefined) closeSync(logFd);
  provider?.destroy();
  await stack?.stop();
});

describe("debtrail serve + debtrail oracle on one data dir", () => {
  it("statuses posted to the API are acted on by the oracle process; SIGKILL of the oracle mid-cycle and of the API: every transition exactly once, nothing lost", async () => {
    api = await spawnApi();
    let started = await spawnOracle();
    oracle = started.proc;
    expect(started.status).toMatchObject({ enabled: true, store: "guest", quorum: 1 });

    // Statuses to the API (which runs no cycles); the oracle process plans and sends them.
    const asOfUnix = (await provider.getBlock("latest"))!.timestamp;
    const asOf = new Date(asOfUnix * 1000).toISOString();
    for (let i = 0; i < FIRST; i += 50) {
      const r = await http("POST", "/v1/loan-status/batch", "dev-bank", { statuses: ids.slice(i, i + 50).map((id, k) => statusOf(id, i + k, asOf)) });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
    }

    // SIGKILL the oracle while it plans — as soon as the first notice is recorded as evidence (the reports
    // are written after their notices) — then while it sends (some reports applied, not all).
    await until("the oracle planning", async () => {
      const ev = (await http("GET", `/v1/claims/${ids[0]}/evidence`, "dev-bank")).body;
      return ev.records.some((x: any) => x.record.kind === "notice") ? true : undefined;
    }, 60_000);
    await kill9(oracle);
    const before = oracleLines.filter((l) => l.cycle).map((l) => JSON.stringify(l.cycle));
    const hostView = (await http("GET", "/v1/oracle/status", "dev-admin")).body; // nothing runs cycles meanwhile
    started = await spawnOracle();
    oracle = started.proc;
    const left = started.status;
    // The oracle (a guest of the store) sees what the API (its host) sees.
    expect({ waiting: left.waitingClaims, pending: left.pendingReports }).toEqual({ waiting: hostView.waitingClaims, pending: hostView.pendingReports });
    expect(left.waitingClaims + left.pendingReports).toBeGreaterThan(0);
    console.log(`side by side: cycles before the kill: ${before.join("; ") || "none finished"}`);
    console.log(`side by side: the kill while planning left ${left.waitingClaims} claim(s) to plan, ${left.pendingReports} report(s) pending, ${await appliedOnChain()} applied`);
    // Batches of 50: killed after the first applied (usually while the next ones are in flight).
    const appliedAtKill = await until("reports applying", async () => {
      const n = await appliedOnChain();
      return n >= 20 ? n : undefined;
    });
    await kill9(oracle);
    console.log(`side by side: the kill while sending came with ${appliedAtKill} of ${FIRST} reports applied`);
    started = await spawnOracle();
    oracle = started.proc;
    await until("the first statuses all applied", async () => {
      const s = (await http("GET", "/v1/oracle/status", "dev-admin")).body;
      return s.waitingClaims === 0 && s.pendingReports === 0 && (await appliedOnChain()) === FIRST ? s : undefined;
    });
    // Printed by the oracle processes themselves (a killed one's last cycle prints nothing; a cycle prints when it ends).
    await until("an oracle process printing a cycle that applied reports", async () => (cycles.some((c) => c.applied > 0) ? true : undefined), 30_000);

    // More statuses, then SIGKILL the API — the store's host — at once: the oracle takes the store over and goes on.
    const r = await http("POST", "/v1/loan-status/batch", "dev-bank", { statuses: ids.slice(FIRST).map((id, k) => statusOf(id, FIRST + k, asOf)) });
    expect(r.status).toBe(202);
    await kill9(api);
    await until("the oracle applying the last statuses with the API down", async () => ((await appliedOnChain()) === FIRST + SECOND ? true : undefined));
    expect(oracle.exitCode).toBeNull();

    // The API restarted joins the oracle's store and serves again.
    api = await spawnApi();
    const s = (await http("GET", "/v1/oracle/status", "dev-admin")).body;
    expect(s).toMatchObject({ waitingClaims: 0, pendingReports: 0, recentFailures: [] });
    expect(s.lastCycle.finishedAt).toBeTruthy();

    // The chain: one report per claim (nonce 0), exactly the expected transitions, each once.
    const [reports, changes] = await Promise.all([
      clauses.queryFilter(clauses.filters.ReportApplied(), from),
      clauses.queryFilter(clauses.filters.CaseStateChanged(), from),
    ]);
    expect(new Set(reports.map((e) => e.args.digest)).size).toBe(reports.length);
    expect(reports).toHaveLength(FIRST + SECOND);
    const noticeHashOf = new Map<string, string>();
    for (const [i, id] of ids.entries()) {
      const want = EXPECTED[kindOf(i)];
      expect(reports.filter((e) => e.args.claimId === id).map((e) => Number(e.args.nonce)), `reports of claim ${i}`).toEqual([0]);
      const mine = changes.filter((e) => e.args.claimId === id);
      expect(mine.map((e) => CASE_STATES[Number(e.args.to)]), `transitions of claim ${i}`).toEqual(want.transitions);
      const warned = mine.find((e) => CASE_STATES[Number(e.args.to)] === "warned");
      if (want.notice) {
        expect(warned!.args.noticeHash).not.toBe(ZERO);
        noticeHashOf.set(id, warned!.args.noticeHash);
      }
    }
    // The evidence, read through the restarted API: one notice record per warned claim, the chain's commitment.
    for (const [i, id] of ids.entries()) {
      if (i % 7 !== 0 && i < FIRST) continue; // a sample of the first statuses, every one of the last
      const ev = await http("GET", `/v1/claims/${id}/evidence`, "dev-bank");
      expect(ev.status).toBe(200);
      expect(ev.body.complete).toBe(true);
      const notices = ev.body.records.filter((x: any) => x.record.kind === "notice");
      if (!EXPECTED[kindOf(i)].notice) {
        expect(notices).toHaveLength(0);
        continue;
      }
      expect(notices, `notices of claim ${i}`).toHaveLength(1);
      expect(documentCommitment(notices[0].document.salt, contentHashOf(notices[0].content))).toBe(noticeHashOf.get(id));
    }
    const c = await http("GET", `/v1/cases/${ids[FIRST]}`, "dev-court");
    expect(c.body).toMatchObject({ state: "warned", nonce: 1 });

    // Both stop cleanly on SIGTERM.
    const exits = [oracle, api].map((p) => new Promise<number | null>((ok) => p!.once("exit", (code) => ok(code))));
    oracle.kill("SIGTERM");
    api.kill("SIGTERM");
    expect(await Promise.all(exits)).toEqual([0, 0]);
  }, 300_000);
});
