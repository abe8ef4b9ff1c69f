import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { JsonRpcProvider } from "ethers";
import { CollectionClauses__factory } from "../../types/ethers-contracts/index.js";
import { startStack, freePort, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { CASE_STATES } from "../../src/core/oracle-plan.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { documentCommitment } from "../../src/core/commitment.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

/**
 * Kill -9 during an oracle cycle: 1,000 claims whose statuses each cause a known change, a cycle, and
 * SIGKILL at 20 random (seeded) points spread over the cycle — 14 while it plans (notices recorded as
 * evidence, reports signed and written), 6 while it sends (transactions in flight, receipts) — with a
 * restart after each; then cycles run to the end. From the chain's events: every claim got exactly one
 * report (nonce 0) and exactly the expected transitions, once; every warning notice is one evidence
 * record whose hash is the one on chain; nothing failed and nothing is left pending.
 */

const CLAIMS = 1000;
const KILLS = 20;
const PLAN_KILLS = 14;
const SEED = 0x5eed_0a5c;
const ZERO = `0x${"0".repeat(64)}`;

let stack: TestStack;
let provider: JsonRpcProvider;
let port: number;
let child: ChildProcess | undefined;
let deploymentKey: string; // what /healthz names: tells this test's API from any other on the machine
let logFd: number; // the API processes' log (warnings and errors), appended across restarts

/** The last lines of the API processes' log, for the message of a failed expectation. */
function apiLog(lines = 15): string {
  const text = readFileSync(join(stack.dataDir, "api.log"), "utf8").trim();
  return text ? `\nAPI log (last ${lines} lines):\n${text.split("\n").slice(-lines).map((l) => l.slice(0, 600)).join("\n")}` : "";
}

/** mulberry32: the kill points are random but the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What each claim's status does: 7 in 10 go overdue and are warned (a notice), 2 stay performing, 1 is repaid. */
type Kind = "warned" | "performing" | "repaid";
const kindOf = (i: number): Kind => (i % 10 < 7 ? "warned" : i % 10 < 9 ? "performing" : "repaid");
const EXPECTED: Record<Kind, { transitions: string[]; state: string; notice: boolean }> = {
  warned: { transitions: ["overdue", "warned"], state: "warned", notice: true },
  performing: { transitions: [], state: "performing", notice: false },
  repaid: { transitions: ["closed"], state: "closed", notice: false },
};
function statusOf(claimId: string, i: number, asOf: string) {
  const kind = kindOf(i);
  return {
    claimId, asOf,
    daysPastDue: kind === "warned" ? 5 : 0,
    outstanding: kind === "repaid" ? "0" : "85000000",
    collateralValue: "40000000",
  };
}

/**
 * Starts the API on a fresh port and waits until it answers for this test's deployment (a port freed
 * by a kill could meanwhile be taken by another process on the machine).
 */
async function spawnApi(): Promise<ChildProcess> {
  port = await freePort();
  // node itself (not the tsx wrapper, which would leave an orphan on SIGKILL) with tsx as a loader.
  const proc = spawn(process.execPath, ["--import", "tsx", resolve("src/api/server.ts")], {
    env: {
      ...process.env, DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: stack.chainUrl, DATA_DIR: stack.dataDir, PORT: String(port),
      LOG_LEVEL: "warn", // to a file: its tail goes into the message of a failed expectation
      ORACLE_ENABLED: "0", ORACLE_BATCH_SIZE: "100",
      // Notices fill evidence batches mid-cycle: anchors and reports share the service key's nonces.
      EVIDENCE_BATCH_SIZE: "256", EVIDENCE_BATCH_AGE_MS: "3600000",
    },
    stdio: ["ignore", logFd, "inherit"],
  });
  const deadline = Date.now() + 90_000; // a loaded machine starts tsx slowly
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`API exited with ${proc.exitCode}${apiLog()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok && ((await res.json()) as { deployment: string }).deployment === deploymentKey && proc.exitCode === null) return proc;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`API did not start${apiLog()}`);
}

function kill9(proc: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return ok();
    proc.once("exit", () => ok());
    proc.kill("SIGKILL");
  });
}

async function api(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Runs `fn` over `items`, `width` at a time (the node batches concurrent JSON-RPC calls). */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** Feeds every claim its status, 100 per request, 10 requests at a time; returns the asOf (unix seconds). */
async function feed(ids: string[]): Promise<number> {
  const asOfUnix = (await provider.getBlock("latest"))!.timestamp;
  const asOf = new Date(asOfUnix * 1000).toISOString();
  const starts: number[] = [];
  for (let i = 0; i < ids.length; i += 100) starts.push(i);
  await pool(starts, 10, async (start) => {
    const chunk = ids.slice(start, start + 100);
    const r = await api("POST", "/v1/loan-status/batch", "dev-bank", { statuses: chunk.map((id, k) => statusOf(id, start + k, asOf)) });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(202);
  });
  return asOfUnix;
}

let ids: string[] = []; // the claims of the cycle, in registration order

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", LOG_LEVEL: "silent" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  // Registration through the in-process API (one batch job), before the API moves to a child process.
  const claims = Array.from({ length: CLAIMS }, (_, i) => claimRequest(`ORA-CRASH-${i}`, {
    debtor: { name: "孙八", idNumber: syntheticIdNumber("320101", i), phone: "13800138000", type: "retail", debtorId: `D-ORA-CRASH-${i}` },
  }));
  const accepted = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims });
  expect(accepted.status).toBe(202);
  let job: any;
  for (;;) {
    job = (await call(stack, "GET", `/v1/jobs/${accepted.body.jobId}`, "dev-bank")).body;
    if (job.status === "done") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(job.registered).toBe(CLAIMS);
  ids = [...job.results].sort((a: any, b: any) => a.index - b.index).map((r: any) => r.claimId as string);
  deploymentKey = (await call(stack, "GET", "/healthz")).body.deployment;
  await stack.api.close(); // the API now runs as a separate process this test can kill
  logFd = openSync(join(stack.dataDir, "api.log"), "a");
}, 120_000);
afterAll(async () => {
  if (child) await kill9(child);
  if (logFd !== undefined) closeSync(logFd);
  provider?.destroy();
  await stack?.stop();
});

describe("oracle daemon under kill -9", () => {
  it(`SIGKILL at ${KILLS} random points during a cycle of ${CLAIMS} changing claims: every expected transition happens exactly once`, async () => {
    const t0 = performance.now();
    child = await spawnApi();
    const asOf = await feed(ids);
    expect((await api("GET", "/v1/oracle/status", "dev-admin")).body.waitingClaims).toBe(CLAIMS);

    // Kill points: random points spread over the cycle's work, found by its progress (claims planned,
    // reports applied) plus a random delay: PLAN_KILLS in planning (notices recorded as evidence,
    // reports signed and written, evidence anchors interleaved), the rest in sending (estimates,
    // transactions in flight, receipts, marking applied). Between two, the API restarts and the cycle
    // is started again: it must resume from what the store and the chain say, and keep moving.
    const random = prng(SEED);
    const points = [
      ...Array.from({ length: PLAN_KILLS }, (_, k) => ({ phase: "plan" as const, at: Math.floor(((k + random()) / PLAN_KILLS) * CLAIMS), delayMs: random() * 100 })),
      ...Array.from({ length: KILLS - PLAN_KILLS }, (_, k) => ({ phase: "send" as const, at: Math.floor(((k + random()) / (KILLS - PLAN_KILLS)) * CLAIMS), delayMs: random() * 700 })),
    ];
    const clauses = CollectionClauses__factory.connect(stack.deployment.contracts.CollectionClauses.address, provider);
    const from = stack.deployment.contracts.CollectionClauses.blockNumber;
    const log: string[] = [];
    let inFlight = 0; // kills that left reports applied on chain but not yet recorded by the daemon
    for (const [k, point] of points.entries()) {
      const started = performance.now();
      void api("POST", "/v1/oracle/run", "dev-admin").catch(() => undefined); // dies with the process
      let s: any;
      for (;;) {
        s = (await api("GET", "/v1/oracle/status", "dev-admin")).body;
        const planned = CLAIMS - s.waitingClaims;
        const applied = CLAIMS - s.waitingClaims - s.pendingReports;
        if (point.phase === "plan" ? planned >= point.at : s.waitingClaims === 0 && applied >= point.at) break;
        expect(performance.now() - started, `no progress towards kill ${k + 1} (${point.phase} ${point.at}): ${JSON.stringify(s)}${apiLog()}`).toBeLessThan(60_000);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, point.delayMs));
      await kill9(child);
      const after = ((performance.now() - started) / 1000).toFixed(1);
      child = await spawnApi();
      // What the kill left: the store's view (before any recovery cycle) against the chain's.
      s = (await api("GET", "/v1/oracle/status", "dev-admin")).body;
      const onChain = (await clauses.queryFilter(clauses.filters.ReportApplied(), from)).length;
      const unrecorded = s.pendingReports - (CLAIMS - s.waitingClaims - onChain);
      if (unrecorded > 0) inFlight++;
      log.push(`kill ${String(k + 1).padStart(2)} (${point.phase} ≥ ${String(point.at).padStart(3)}, +${String(Math.round(point.delayMs)).padStart(3)} ms, ${after} s after the restart): ` +
        `${s.waitingClaims} to plan, ${s.pendingReports} pending, ${onChain} applied on chain${unrecorded > 0 ? `, ${unrecorded} of them not yet recorded as applied` : ""}`);
    }
    const killPhase = performance.now();

    // Then cycles run to the end: nothing waits, nothing is pending.
    let rounds = 0;
    for (;;) {
      const r = await api("POST", "/v1/oracle/run", "dev-admin");
      expect(r.status, JSON.stringify(r.body) + apiLog()).toBe(200);
      expect(r.body.failed, apiLog()).toBe(0);
      rounds++;
      const s = (await api("GET", "/v1/oracle/status", "dev-admin")).body;
      if (s.waitingClaims === 0 && s.pendingReports === 0) {
        expect(s.recentFailures, apiLog()).toEqual([]);
        break;
      }
      expect(rounds, `still waiting or pending: ${JSON.stringify(s)}${apiLog()}`).toBeLessThan(5);
    }
    const last = await api("POST", "/v1/oracle/run", "dev-admin"); // and once more: nothing left to do
    expect(last.body).toMatchObject({ considered: 0, planned: 0, submitted: 0, failed: 0 });
    console.log(`oracle crash test:\n  ${log.join("\n  ")}\n` +
      `  ${inFlight} kill(s) with reports applied on chain but not yet recorded; kill phase ${((killPhase - t0) / 1000).toFixed(1)} s, then ${rounds} cycle(s) to the end, ${((performance.now() - killPhase) / 1000).toFixed(1)} s`);

    // The chain: one report per claim (nonce 0), exactly the expected transitions, each once.
    const [reports, changes, closures] = await Promise.all([
      clauses.queryFilter(clauses.filters.ReportApplied(), from),
      clauses.queryFilter(clauses.filters.CaseStateChanged(), from),
      clauses.queryFilter(clauses.filters.CaseClosed(), from),
    ]);
    const digests = new Set(reports.map((e) => e.args.digest));
    expect(digests.size).toBe(reports.length);
    expect(reports).toHaveLength(CLAIMS);
    const reportsOf = new Map<string, typeof reports>();
    for (const e of reports) reportsOf.set(e.args.claimId, [...(reportsOf.get(e.args.claimId) ?? []), e]);
    const changesOf = new Map<string, typeof changes>();
    for (const e of changes) changesOf.set(e.args.claimId, [...(changesOf.get(e.args.claimId) ?? []), e]);
    const closuresOf = new Map<string, number>();
    for (const e of closures) closuresOf.set(e.args.claimId, (closuresOf.get(e.args.claimId) ?? 0) + 1);
    const noticeHashOf = new Map<string, string>();
    for (const [i, id] of ids.entries()) {
      const want = EXPECTED[kindOf(i)];
      const mine = reportsOf.get(id) ?? [];
      expect(mine.map((e) => Number(e.args.nonce)), `reports of claim ${i}`).toEqual([0]);
      expect(Number(mine[0].args.asOf)).toBe(asOf);
      expect(Number(mine[0].args.daysPastDue)).toBe(statusOf(id, i, "").daysPastDue);
      const path = (changesOf.get(id) ?? []).map((e) => CASE_STATES[Number(e.args.to)]);
      expect(path, `transitions of claim ${i}`).toEqual(want.transitions);
      expect(closuresOf.get(id) ?? 0).toBe(want.state === "closed" ? 1 : 0);
      const warned = (changesOf.get(id) ?? []).find((e) => CASE_STATES[Number(e.args.to)] === "warned");
      if (want.notice) {
        expect(warned!.args.noticeHash).not.toBe(ZERO);
        noticeHashOf.set(id, warned!.args.noticeHash);
      }
    }
    // The case view agrees (a sample across the kinds).
    for (const i of [0, 7, 9, 500, 777, 999]) {
      const c = await api("GET", `/v1/cases/${ids[i]}`, "dev-court");
      expect(c.body).toMatchObject({ state: EXPECTED[kindOf(i)].state, nonce: 1 });
    }

    // The evidence: exactly one notice record per warned claim, none for the others; its hash is the chain's.
    await pool(ids.map((id, i) => ({ id, i })), 16, async ({ id, i }) => {
      const r = await api("GET", `/v1/claims/${id}/evidence`, "dev-bank");
      expect(r.status).toBe(200);
      expect(r.body.complete).toBe(true);
      const notices = r.body.records.filter((x: any) => x.record.kind === "notice");
      if (EXPECTED[kindOf(i)].notice) {
        expect(notices, `notices of claim ${i}`).toHaveLength(1);
        // On chain a salted commitment to the letter (core/commitment.ts), the salt kept with the record.
        expect(notices[0].document.commitment).toBe(noticeHashOf.get(id));
        expect(documentCommitment(notices[0].document.salt, contentHashOf(notices[0].content))).toBe(noticeHashOf.get(id));
        expect(notices[0].record.contentHash).toBe(contentHashOf(notices[0].content));
      } else {
        expect(notices, `notices of claim ${i}`).toHaveLength(0);
      }
    });
    // What the API processes logged (warnings: e.g. a cycle cut short by a restart's RPC hiccup).
    const logged = readFileSync(join(stack.dataDir, "api.log"), "utf8").split("\n").filter(Boolean).map((l) => {
      try {
        const j = JSON.parse(l);
        return `${j.level >= 50 ? "error" : "warn"}: ${j.msg}${j.err?.message ? ` (${String(j.err.message).slice(0, 120)})` : ""}`;
      } catch {
        return l.slice(0, 160);
      }
    });
    const counts = new Map<string, number>();
    for (const m of logged) counts.set(m, (counts.get(m) ?? 0) + 1);
    console.log(`oracle crash test: ${((performance.now() - t0) / 1000).toFixed(1)} s in the test body; API log: ` +
      (counts.size ? [...counts].map(([m, n]) => `${n} × ${m}`).join("; ") : "nothing at warn or above"));
  }, 900_000);
});
