/**
 * `npm run soak`: fault trials against a real `hardhat node` on loopback, bounded in time. Each phase
 * checks that every acknowledged request is present and every on-chain action happened exactly once:
 *
 *  kill-import    SIGKILL during claim batch imports (SOAK_TRIALS, default 20)
 *  kill-evidence  SIGKILL during evidence ingestion and anchoring
 *  kill-oracle    SIGKILL during oracle cycles
 *  rpc-faults     the API behind a proxy that drops, delays and resets JSON-RPC connections
 *  reorg          blocks with anchors and reports reverted (evm_snapshot / evm_revert)
 *  disk-full      the store on a tiny tmpfs: writes fail with 503, nothing half-written (needs root for mount)
 *  privacy        the whole chain scanned for the soak's personal data afterwards
 *  network-kills  `npm run network` under load, SOAK_TRIALS SIGKILLs per organisation (scripts/soak/network.ts;
 *                 its figures and gas per action in docs/benchmarks.md)
 *
 * Results go to docs/soak.md. `SOAK_PHASES=kill-import,reorg npm run soak` runs some phases only.
 */
import { spawn, execSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { JsonRpcProvider } from "ethers";
import { startChain, freePort, claimRequest } from "../../test/helpers/stack.js";
import { scanChain, findPersonalData } from "../../test/helpers/chain-scan.js";
import { loadConfig, deployOptionsFrom } from "../../src/config/config.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import { ClaimRegistry__factory, CollectionClauses__factory, EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { Random } from "../../src/core/synthetic.js";
import { startFaultProxy, type FaultMode } from "./fault-proxy.js";
import { machine } from "../bench/report.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

const TRIALS = Number(process.env.SOAK_TRIALS ?? 20);
const PHASES = (process.env.SOAK_PHASES ?? "kill-import,kill-evidence,kill-oracle,rpc-faults,reorg,disk-full,privacy,network-kills").split(",");
const rng = new Random(Number(process.env.SOAK_SEED ?? 7));
const results: Array<{ phase: string; outcome: "pass" | "FAIL" | "skipped"; detail: string; seconds: number }> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const chain = await startChain();
const provider = new JsonRpcProvider(chain.url, undefined, { cacheTimeout: -1 });
const baseDir = mkdtempSync(join(tmpdir(), "debtrail-soak-"));
const deploymentFile = join(baseDir, "deployment.json");
const deployConfig = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chain.url, DATA_DIR: baseDir, DEPLOYMENT_FILE: deploymentFile, LOG_LEVEL: "silent" });
const deploymentId = `test-debtrail-soak-${randomUUID()}`;
const deployment = await deployDebtrail({ ...deployOptionsFrom(deployConfig, {}), deploymentId });
const registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, provider);
const evidenceLog = EvidenceLog__factory.connect(deployment.contracts.EvidenceLog.address, provider);
const clauses = CollectionClauses__factory.connect(deployment.contracts.CollectionClauses.address, provider);

/** The API as a child process it can kill, on its own data dir. */
const started: Api[] = [];

class Api {
  proc?: ChildProcess;
  port = 0;
  constructor(readonly dataDir: string, readonly env: Record<string, string> = {}) {}
  get url() { return `http://127.0.0.1:${this.port}`; }
  async start(rpcUrl = chain.url): Promise<void> {
    if (!started.includes(this)) started.push(this);
    this.port ||= await freePort();
    this.proc = spawn(process.execPath, ["--import", "tsx", resolve("src/api/server.ts")], {
      env: {
        ...process.env, DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: rpcUrl, DATA_DIR: this.dataDir, DEPLOYMENT_FILE: deploymentFile,
        PORT: String(this.port), LOG_LEVEL: process.env.SOAK_API_LOG ? "error" : "silent", ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "500", EVIDENCE_BATCH_SIZE: "64",
        RATE_LIMIT_PER_MINUTE: "1000000", ...this.env,
      },
      stdio: ["ignore", "ignore", process.env.SOAK_API_LOG ? "inherit" : "ignore"],
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await fetch(`${this.url}/healthz`).then((r) => r.ok, () => false)) return;
      await sleep(100);
    }
    throw new Error("API did not start");
  }
  kill(): Promise<void> {
    return new Promise((ok) => {
      if (!this.proc || this.proc.exitCode !== null) return ok();
      this.proc.once("exit", () => ok());
      this.proc.kill("SIGKILL");
    });
  }
  async call(method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.url + path, {
      method, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    try { return { status: res.status, body: JSON.parse(text) }; } catch { return { status: res.status, body: text }; }
  }
}

async function phase(name: string, fn: () => Promise<string>): Promise<void> {
  if (!PHASES.includes(name)) return;
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  try {
    const detail = await fn();
    results.push({ phase: name, outcome: detail.startsWith("skipped") ? "skipped" : "pass", detail, seconds: (Date.now() - t0) / 1000 });
  } catch (e) {
    for (const api of started.splice(0)) await api.kill();
    results.push({ phase: name, outcome: "FAIL", detail: String((e as Error).message ?? e).slice(0, 500), seconds: (Date.now() - t0) / 1000 });
  }
  console.log(`${name}: ${results.at(-1)!.outcome} — ${results.at(-1)!.detail}`);
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const people: Array<{ name: string; idNumber: string; phone: string }> = [];
let loanNo = 0;
function soakClaim() {
  loanNo++;
  const person = { name: `压测${loanNo}号`, idNumber: syntheticIdNumber("110101", loanNo), phone: `139${String(loanNo).padStart(8, "0")}` };
  people.push(person);
  return claimRequest(`SOAK-${loanNo}`, { debtor: { ...person, type: "retail", debtorId: `SOAK-D-${loanNo}` } });
}

async function registeredOnce(claimIds: string[]): Promise<void> {
  const events = await registry.queryFilter(registry.filters.ClaimRegistered(), 0);
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.args.claimId, (counts.get(e.args.claimId) ?? 0) + 1);
  for (const id of claimIds) check(counts.get(id) === 1, `claim ${id} registered ${counts.get(id) ?? 0} times`);
}

async function anchoredRoots(): Promise<Map<string, number>> {
  const roots = new Map<string, number>();
  for (const e of await evidenceLog.queryFilter(evidenceLog.filters.RootAnchored(), 0)) {
    check(!roots.has(e.args.root), `root ${e.args.root} anchored twice`);
    roots.set(e.args.root, Number(e.args.count));
  }
  return roots;
}

/** Claims registered and sold to dev-amc through `api`, for evidence and oracle phases. */
async function heldClaims(api: Api, count: number): Promise<string[]> {
  const job = await api.call("POST", "/v1/claims/batch", "dev-bank", { claims: Array.from({ length: count }, soakClaim) });
  check(job.status === 202, `batch refused ${job.status}`);
  let state;
  do { await sleep(200); state = (await api.call("GET", `/v1/jobs/${job.body.jobId}`, "dev-bank")).body; } while (state.status !== "done");
  const ids = state.results.map((r: any) => r.claimId);
  const amc = (await api.call("GET", "/v1/me", "dev-amc")).body.address;
  for (let i = 0; i < ids.length; i += 200) {
    const r = await api.call("POST", "/v1/assignments", "dev-bank", { claimIds: ids.slice(i, i + 200), to: amc, packageId: `SOAK-${loanNo}-${i}`, price: "1", notice: "通知" });
    check(r.status === 201, `assignment failed ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  return ids;
}

let letterNo = 0;
/** How far the chain's clock runs ahead of this one (the oracle phase moves it): letters are dated "now" as the API counts it. */
let chainAheadMs = 0;
const letter = (claimId: string) => ({
  claimId, kind: "letter", channel: "post", direction: "outbound", actor: "soak",
  // Recorded as they happen: not before the claim's sale, not backdated (EVIDENCE_MAX_BACKDATE_DAYS).
  occurredAt: new Date(Date.now() + chainAheadMs + (++letterNo % 1000)).toISOString(),
  counterparty: { phone: "13800138000", relation: "debtor" }, content: `催收函 soak ${letterNo}`,
});

await phase("kill-import", async () => {
  const api = new Api(join(baseDir, "import"));
  await api.start();
  const all: string[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const job = await api.call("POST", "/v1/claims/batch", "dev-bank", { claims: Array.from({ length: 150 }, soakClaim) });
    check(job.status === 202, `trial ${t}: batch not accepted`);
    await sleep(rng.int(0, 1500));
    await api.kill();
    await api.start();
    let state;
    const deadline = Date.now() + 120_000;
    do { await sleep(200); state = (await api.call("GET", `/v1/jobs/${job.body.jobId}`, "dev-bank")).body; } while (state.status !== "done" && Date.now() < deadline);
    check(state.status === "done" && state.registered === 150, `trial ${t}: job ${state.status}, ${state.registered}/150 registered`);
    all.push(...state.results.map((r: any) => r.claimId));
  }
  await registeredOnce(all);
  await api.kill();
  return `${TRIALS} kills during 150-claim imports; ${all.length} acknowledged claims, each registered exactly once`;
});

await phase("kill-evidence", async () => {
  const api = new Api(join(baseDir, "evidence"));
  await api.start();
  const claims = await heldClaims(api, 10);
  const acknowledged: string[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const until = Date.now() + rng.int(200, 1500);
    const writer = (async () => {
      while (Date.now() < until + 5000) {
        const r = await api.call("POST", "/v1/evidence/batch", "dev-amc", { records: Array.from({ length: rng.int(1, 40) }, () => letter(claims[rng.int(0, claims.length - 1)])) }).catch(() => undefined);
        if (!r) return;
        if (r.status === 201) acknowledged.push(...r.body.results.filter((x: any) => x.recordId).map((x: any) => x.recordId));
      }
    })();
    await sleep(until - Date.now());
    await api.kill();
    await writer;
    await api.start();
  }
  const deadline = Date.now() + 180_000;
  let pending = acknowledged;
  while (pending.length > 0 && Date.now() < deadline) {
    await api.call("POST", "/v1/evidence/flush", "dev-admin");
    const still: string[] = [];
    for (const id of pending) if ((await api.call("GET", `/v1/evidence/${id}/receipt`, "dev-amc")).body.status !== "anchored") still.push(id);
    pending = still;
  }
  check(pending.length === 0, `${pending.length} acknowledged records never anchored`);
  const roots = await anchoredRoots();
  for (const c of claims) check((await api.call("GET", `/v1/claims/${c}/evidence`, "dev-amc")).body.complete, `hash chain of ${c} incomplete`);
  await api.kill();
  return `${TRIALS} kills during ingestion and anchoring; ${acknowledged.length} acknowledged records all anchored; ${roots.size} roots, none twice; every claim's hash chain complete`;
});

await phase("kill-oracle", async () => {
  const api = new Api(join(baseDir, "oracle"));
  await api.start();
  const claims = await heldClaims(api, 100);
  let expectedReports = 0;
  for (let t = 0; t < TRIALS; t++) {
    const asOf = new Date(((await provider.getBlock("latest"))!.timestamp) * 1000).toISOString();
    // Alternate: overdue with a warning (dpd 5) and cured (dpd 0), so every trial moves every claim.
    const dpd = t % 2 === 0 ? 5 : 0;
    const r = await api.call("POST", "/v1/loan-status/batch", "dev-amc", { statuses: claims.map((claimId) => ({ claimId, asOf, daysPastDue: dpd, outstanding: "85000000", collateralValue: "10000000" })) });
    check(r.status === 202, `trial ${t}: statuses refused ${JSON.stringify(r.body).slice(0, 200)}`);
    expectedReports++;
    void api.call("POST", "/v1/oracle/run", "dev-admin").catch(() => undefined);
    await sleep(rng.int(50, 2500));
    await api.kill();
    await api.start();
    for (let k = 0; k < 20; k++) {
      const s = (await api.call("POST", "/v1/oracle/run", "dev-admin")).body;
      if (s.planned === 0 && s.submitted === 0 && s.waitingForSignatures === 0) break;
    }
    await provider.send("evm_increaseTime", [2]);
    await provider.send("evm_mine", []);
    chainAheadMs = Math.max(0, (await provider.getBlock("latest"))!.timestamp * 1000 - Date.now());
  }
  // Each trial's status is one report per claim; trials alternate warned-path and cure.
  for (const c of claims) {
    const reports = await clauses.queryFilter(clauses.filters.ReportApplied(c), 0);
    check(reports.length === expectedReports, `claim ${c}: ${reports.length} reports applied, expected ${expectedReports}`);
    reports.forEach((e, i) => check(Number(e.args.nonce) === i, `claim ${c}: nonce ${e.args.nonce} at position ${i}`));
    const changes = await clauses.queryFilter(clauses.filters.CaseStateChanged(c), 0);
    const warned = changes.filter((e) => Number(e.args.to) === 2).length;
    check(warned === Math.ceil(TRIALS / 2), `claim ${c}: warned ${warned} times, expected once per overdue trial (${Math.ceil(TRIALS / 2)})`);
  }
  await api.kill();
  return `${TRIALS} kills during cycles over ${claims.length} changing claims; every claim has exactly ${expectedReports} reports with consecutive nonces and one warning per overdue period`;
});

await phase("rpc-faults", async () => {
  const target = new URL(chain.url);
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
  const api = new Api(join(baseDir, "rpc"), { REQUEST_TIMEOUT_MS: "30000" });
  await api.start(proxy.url);
  const claims = await heldClaims(api, 5);
  const statuses = new Map<string, number>();
  const acknowledgedClaims: string[] = [];
  const acknowledgedRecords: string[] = [];
  const until = Date.now() + Number(process.env.SOAK_RPC_SECONDS ?? 60) * 1000;
  const flipper = (async () => {
    while (Date.now() < until) {
      proxy.mode = rng.weighted<FaultMode>(["pass", "drop", "delay", "reset"], [0.4, 0.2, 0.2, 0.2]);
      if (proxy.mode === "drop") proxy.cutAll(); // the node goes away: kept-alive connections too
      await sleep(rng.int(1000, 4000));
    }
    proxy.mode = "pass";
  })();
  while (Date.now() < until) {
    const reg = await api.call("POST", "/v1/claims", "dev-bank", soakClaim()).catch(() => ({ status: 0, body: null }));
    statuses.set(String(reg.status), (statuses.get(String(reg.status)) ?? 0) + 1);
    if (reg.status === 201) acknowledgedClaims.push(reg.body.claimId);
    const ev = await api.call("POST", "/v1/evidence", "dev-amc", letter(claims[rng.int(0, claims.length - 1)])).catch(() => ({ status: 0, body: null }));
    statuses.set(String(ev.status), (statuses.get(String(ev.status)) ?? 0) + 1);
    if (ev.status === 201) acknowledgedRecords.push(ev.body.recordId);
  }
  await flipper;
  const bad = [...statuses.entries()].filter(([s]) => s === "500" || s === "0");
  check(bad.length === 0, `unclear failures under RPC faults: ${JSON.stringify(Object.fromEntries(statuses))}`);
  await registeredOnce(acknowledgedClaims);
  const deadline = Date.now() + 120_000;
  let pending = acknowledgedRecords;
  while (pending.length > 0 && Date.now() < deadline) {
    await api.call("POST", "/v1/evidence/flush", "dev-admin");
    const still: string[] = [];
    for (const id of pending) if ((await api.call("GET", `/v1/evidence/${id}/receipt`, "dev-amc")).body.status !== "anchored") still.push(id);
    pending = still;
    if (pending.length) await sleep(500);
  }
  check(pending.length === 0, `${pending.length} acknowledged records not anchored after the faults stopped`);
  await api.kill();
  await proxy.close();
  return `responses by status ${JSON.stringify(Object.fromEntries(statuses))}; proxy connections ${JSON.stringify(proxy.counts)}; ${acknowledgedClaims.length} acknowledged claims registered once, ${acknowledgedRecords.length} acknowledged records anchored after recovery`;
});

await phase("reorg", async () => {
  const api = new Api(join(baseDir, "reorg"));
  await api.start();
  const [claim] = await heldClaims(api, 1);
  let reanchored = 0;
  let resubmitted = 0;
  for (let t = 0; t < Math.min(TRIALS, 10); t++) {
    const id = (await api.call("POST", "/v1/evidence", "dev-amc", letter(claim))).body.recordId;
    const asOf = new Date(((await provider.getBlock("latest"))!.timestamp + 1) * 1000).toISOString();
    await api.call("POST", "/v1/loan-status", "dev-amc", { claimId: claim, asOf, daysPastDue: t % 2 === 0 ? 5 : 0, outstanding: "85000000", collateralValue: "10000000" });
    const snapshot = await provider.send("evm_snapshot", []);
    const flushed = (await api.call("POST", "/v1/evidence/flush", "dev-admin")).body;
    const cycle = (await api.call("POST", "/v1/oracle/run", "dev-admin")).body;
    check(flushed.status === "anchored" && cycle.applied === 1, `trial ${t}: anchor ${flushed.status}, report applied ${cycle.applied}`);
    await provider.send("evm_revert", [snapshot]);
    // The daemon notices: the anchor is re-sent by the batcher, the report by the next cycles.
    const deadline = Date.now() + 30_000;
    let anchored = false, applied = false;
    while (Date.now() < deadline && !(anchored && applied)) {
      const receipt = (await api.call("GET", `/v1/evidence/${id}/receipt`, "dev-court")).body;
      anchored = receipt.status === "anchored" && (await evidenceLog.isAnchored(receipt.root)) && Number((await evidenceLog.anchoredAt(receipt.root)).blockNumber) === receipt.anchor.blockNumber;
      if (!applied) {
        await api.call("POST", "/v1/oracle/run", "dev-admin");
        const reports = await clauses.queryFilter(clauses.filters.ReportApplied(claim), 0);
        applied = reports.length === t + 1;
      }
      await sleep(300);
    }
    check(anchored, `trial ${t}: anchor not re-issued after the reorg`);
    check(applied, `trial ${t}: report not re-submitted after the reorg`);
    reanchored++;
    resubmitted++;
  }
  await api.kill();
  return `${reanchored} anchors and ${resubmitted} reports reverted by evm_revert were re-issued; receipts point at the new anchors`;
});

await phase("disk-full", async () => {
  const mountPoint = join(baseDir, "tiny");
  mkdirSync(mountPoint, { recursive: true });
  try {
    execSync(`mount -t tmpfs -o size=4m tmpfs ${mountPoint}`, { stdio: "ignore" });
  } catch {
    return "skipped: mounting a tmpfs needs root";
  }
  try {
    const api = new Api(mountPoint);
    await api.start();
    const [claim] = await heldClaims(api, 1);
    // Fill the disk, then keep writing: failures must be 503, and nothing acknowledged may be lost.
    // Leave ~256 KiB free: some writes succeed, then the disk is full.
    const free = Number(execSync(`df --output=avail -B1 ${mountPoint} | tail -1`).toString().trim());
    const fill = Math.max(0, Math.floor((free - 256 * 1024) / 4096));
    try { execSync(`dd if=/dev/zero of=${mountPoint}/filler bs=4096 count=${fill}`, { stdio: "ignore" }); } catch { /* full */ }
    const acknowledged: string[] = [];
    const statuses = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const r = await api.call("POST", "/v1/evidence/batch", "dev-amc", { records: Array.from({ length: 20 }, () => ({ ...letter(claim), content: "x".repeat(2000) })) });
      statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
      if (r.status === 201) acknowledged.push(...r.body.results.map((x: any) => x.recordId));
      if ((statuses.get("503") ?? 0) >= 5) break;
    }
    check(acknowledged.length > 0, `no write succeeded before the disk filled: ${JSON.stringify(Object.fromEntries(statuses))}`);
    check((statuses.get("503") ?? 0) > 0, `the disk never filled: ${JSON.stringify(Object.fromEntries(statuses))}`);
    check(![...statuses.keys()].some((s) => s.startsWith("5") && s !== "503"), `other 5xx: ${JSON.stringify(Object.fromEntries(statuses))}`);
    rmSync(`${mountPoint}/filler`, { force: true });
    await api.kill();
    await api.start();
    const list = (await api.call("GET", `/v1/claims/${claim}/evidence`, "dev-amc")).body;
    check(list.complete, "hash chain broken after disk full");
    const present = new Set(list.records.map((r: any) => r.recordId));
    check(acknowledged.every((id) => present.has(id)), "an acknowledged record is missing after disk full");
    const after = await api.call("POST", "/v1/evidence", "dev-amc", letter(claim));
    check(after.status === 201, `writes did not resume after space was freed: ${after.status}`);
    await api.kill();
    return `disk filled: ${JSON.stringify(Object.fromEntries(statuses))}; all ${acknowledged.length} acknowledged records present, chain complete, writes resumed after space was freed`;
  } finally {
    try { execSync(`umount ${mountPoint}`, { stdio: "ignore" }); } catch { /* not mounted */ }
  }
});

await phase("privacy", async () => {
  const scan = await scanChain(chain.url);
  const values = people.flatMap((p) => [p.name, p.idNumber, p.phone]);
  const found = findPersonalData(scan.text, values);
  check(found.length === 0, `personal data on chain: ${found.slice(0, 5).join(", ")}`);
  return `${scan.transactions} transactions, ${scan.slots} storage slots scanned for ${people.length} debtors' names, ID numbers and phones (and their unsalted keccak256/sha256): none found`;
});

await phase("network-kills", async () => (await import("./network.js")).networkCampaign({ trials: TRIALS, rng }));

provider.destroy();
await chain.stop();
rmSync(`ignition/deployments/${deploymentId}`, { recursive: true, force: true });
if (!process.env.SOAK_KEEP) rmSync(baseDir, { recursive: true, force: true });

// A run of some phases (SOAK_PHASES) keeps the other phases' rows of the last full run.
const rows = new Map<string, string>();
if (existsSync("docs/soak.md")) {
  for (const line of readFileSync("docs/soak.md", "utf8").split("\n")) {
    const m = /^\| ([a-z-]+) \| (pass|FAIL|skipped) \|/.exec(line);
    if (m) rows.set(m[1], line.replace(/ \|$/, "") + (line.includes("(earlier run)") ? " |" : " (earlier run) |"));
  }
}
for (const r of results) rows.set(r.phase, `| ${r.phase} | ${r.outcome} | ${r.seconds.toFixed(0)} | ${r.detail.replaceAll("|", "/")} |`);
const order = ["kill-import", "kill-evidence", "kill-oracle", "rpc-faults", "reorg", "disk-full", "privacy", "network-kills"];
const lines = [
  "# Soak and fault runs (`npm run soak`)",
  "",
  `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}; ${TRIALS} trials per kill phase; seed ${process.env.SOAK_SEED ?? 7}. Everything on loopback against a real \`hardhat node\`; the API as a child process killed with SIGKILL.`,
  "",
  "| phase | outcome | seconds | what was checked |",
  "| --- | --- | ---: | --- |",
  ...order.filter((p) => rows.has(p)).map((p) => rows.get(p)!),
  "",
];
console.log(lines.join("\n"));
if (existsSync("docs")) writeFileSync("docs/soak.md", lines.join("\n"));
process.exitCode = results.some((r) => r.outcome === "FAIL") ? 1 : 0;
