/**
 * `npx tsx scripts/bench/scale-model.ts`: the console's read model alone, in this process, over a synthetic
 * book (scripts/bench/scale-book.ts) — what `npm run bench:scale` measures through the API, in minutes
 * instead of an hour, for the model's own share: how long the event loop is held while the book loads
 * (every step, with the garbage collector's pauses apart), the package preview by filter, and an import's
 * commits (BENCH_COMMITS × BENCH_COMMIT_CLAIMS claims of the book changed, a queue read after each).
 *
 * BENCH_BOOK (default 200,000) claims; BENCH_BOOK_DIR keeps the book's store between runs (written once).
 * The assessments run in a worker thread, as in the API.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type { Deployment } from "../../src/chain/deployment.js";
import { openStore } from "../../src/store/db.js";
import { openRepos } from "../../src/store/repos/index.js";
import { openChainIndex } from "../../src/store/repos/chain-index.js";
import { createStoreMemo } from "../../src/store/memo.js";
import { createPortfolio } from "../../src/app/portfolio/index.js";
import { createWorkerPool } from "../../src/app/workers/pool.js";
import type { AssessOutput } from "../../src/app/portfolio/assess-worker.js";
import type { TxChain } from "../../src/app/portfolio/tx.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { writeSyntheticBook } from "./scale-book.js";

const COUNT = Number(process.env.BENCH_BOOK ?? 200_000);
const log = (line: string) => console.log(`[bench:model ${new Date().toISOString().slice(11, 19)}] ${line}`);

const address = (i: number) => `0x${(0x1000 + i).toString(16).padStart(40, "0")}`;
const deployment: Deployment = {
  chainId: "31337", genesisHash: `0x${"ab".repeat(32)}`, deploymentId: "bench-model",
  contracts: { ClaimRegistry: { address: address(1), blockNumber: 10 }, EvidenceLog: { address: address(2), blockNumber: 10 }, CollectionClauses: { address: address(3), blockNumber: 10 }, Arbitrator: { address: address(4), blockNumber: 10 } },
};
const bank = devWallet(1).address;
const amc = devWallet(2).address;
const dir = process.env.BENCH_BOOK_DIR ?? mkdtempSync(join(tmpdir(), "debtrail-model-"));
const ready = join(dir, `book-${COUNT}.done`);

if (!existsSync(ready)) {
  const store = await openStore(dir, "bench-model");
  const book = await writeSyntheticBook({ store, deployment, count: COUNT, bank, amc, loanRefSecret: "bench-secret-0123456789", piiSecret: "bench-pii-0123456789", now: Math.floor(Date.now() / 1000), log });
  await store.close();
  writeFileSync(ready, "");
  log(`book of ${COUNT} claims written in ${book.seconds.toFixed(0)} s`);
}

const store = await openStore(dir, "bench-model");
const repos = openRepos(store);
const index = openChainIndex(store);
const workers = createWorkerPool(new URL("../../src/app/portfolio/assess-worker.ts", import.meta.url));
const listeners: Array<Parameters<Parameters<typeof createPortfolio>[0]["feed"]["subscribe"]>[0]> = [];
const portfolio = createPortfolio({
  repos: { index, records: repos.claims, snapshots: repos.snapshots, evidence: repos.evidence, offers: repos.offers },
  feed: { subscribe: (l) => (listeners.push(l), () => undefined) },
  chain: { contracts: [] } as unknown as TxChain,
  clock: { now: () => Date.now() },
  log: { warn: (m) => log(m) },
  accounts: new Map([[amc.toLowerCase(), { address: amc, name: "AMC", role: "amc" }]]),
  memo: createStoreMemo(store),
  assess: (input) => workers.run<AssessOutput>("assessLoans", input),
});

// The event loop's delay, in 10 ms probes: the longest stall and the step of the load it fell in.
const GC_KINDS: Record<number, string> = { 1: "minor", 2: "major", 4: "incremental", 8: "weakcb" };
const gcs: Array<{ kind: string; ms: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = GC_KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "other";
    gcs.push({ kind, ms: e.duration });
  }
}).observe({ entryTypes: ["gc"] });
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let step = "start";
const stalls = new Map<string, { max: number; over100: number }>();
let last = performance.now();
const stallTimes: Array<[number, number]> = [];
const probe = setInterval(() => {
  const now = performance.now();
  const lag = now - last - 10;
  last = now;
  const s = stalls.get(step) ?? { max: 0, over100: 0 };
  s.max = Math.max(s.max, lag);
  if (lag > 100) {
    s.over100++;
    // For a CPU profile's timestamps (monotonic microseconds): where the loop was held.
    if (process.env.BENCH_STALLS) stallTimes.push([Number(process.hrtime.bigint() / 1000n) - Math.round(lag * 1000), Number(process.hrtime.bigint() / 1000n)]);
  }
  stalls.set(step, s);
}, 10);

const t0 = performance.now();
for (;;) {
  try {
    await portfolio.model.read(500);
    break;
  } catch (e) {
    const l = (e as { details?: { loading?: { step: string } | null } }).details?.loading;
    step = l?.step ?? "starting";
  }
}
step = "loaded";
const loadSeconds = (performance.now() - t0) / 1000;
const mem = process.memoryUsage();
log(`model loaded: ${COUNT} claims in ${loadSeconds.toFixed(1)} s; heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
for (const [s, v] of stalls) log(`  event loop while ${s}: longest stall ${v.max.toFixed(0)} ms, ${v.over100} stalls over 100 ms`);
if (process.env.BENCH_STALLS) writeFileSync(process.env.BENCH_STALLS, JSON.stringify(stallTimes));
const bigGc = gcs.filter((g) => g.ms > 50);
log(`  garbage collection: ${gcs.length} pauses, ${bigGc.length} over 50 ms (longest ${Math.max(0, ...gcs.map((g) => g.ms)).toFixed(0)} ms: ${bigGc.map((g) => `${g.kind} ${g.ms.toFixed(0)}`).slice(0, 12).join(", ")})`);
log(`  event-loop delay (perf_hooks): p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms, max ${(histogram.max / 1e6).toFixed(1)} ms`);

// The package preview by filter, the model changing between two reads (a commit: the memo starts afresh).
const party = { role: "amc" as const, address: amc };
const some = (await portfolio.list(party, {}, 1)).claims[0]!.claimId;
const claimRow = (await index.tables.claims.get(some))!;
const caseRow = (await index.tables.cases.get(some)) ?? null;
const time = async (what: string, f: () => Promise<unknown>, bump: boolean) => {
  const ms: number[] = [];
  for (let i = 0; i < 20; i++) {
    if (bump) for (const l of listeners) l.committed({ cursor: { number: 1_000 + i, hash: `0x${"0".repeat(64)}`, timestamp: Math.floor(Date.now() / 1000) }, rows: ((t: string) => (t === "claims" ? [[some, claimRow]] : t === "cases" ? [[some, caseRow]] : [])) as never });
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  log(`${what}: p50 ${ms[10]!.toFixed(1)} ms, p95 ${ms[18]!.toFixed(1)} ms, max ${ms[19]!.toFixed(1)} ms`);
};
await time("preview by filter (model unchanged)", () => portfolio.previewPackage(party, { filter: { region: "wuhan", classification: "doubtful" } }), false);
await time("preview by filter (a commit before each)", () => portfolio.previewPackage(party, { filter: { region: "wuhan", classification: "doubtful" } }), true);
const ids = (await portfolio.list(party, {}, 50)).claims.map((c) => c.claimId);
await time("preview by 50 ids (a commit before each)", () => portfolio.previewPackage(party, { claimIds: ids }), true);
await time("portfolio summary (a commit before each)", () => portfolio.summary(party, {}), true);

// An import's commits (BENCH_COMMITS of BENCH_COMMIT_CLAIMS claims each; default 100 × 1,000): each changes
// claims of the book, which leave both aggregates and the queue order and come back in, re-assessed. The
// event loop's stalls and the collections over that time, and a read between commits.
const COMMITS = Number(process.env.BENCH_COMMITS ?? 100);
const PER_COMMIT = Number(process.env.BENCH_COMMIT_CLAIMS ?? 1_000);
const changed: Array<[string, unknown, unknown]> = [];
for await (const [id, row] of index.tables.claims.iterator({ limit: COMMITS * PER_COMMIT })) changed.push([id, row, (await index.tables.cases.get(id)) ?? null]);
step = "commits";
stalls.delete(step);
gcs.length = 0;
histogram.reset();
const tc = performance.now();
const reads: number[] = [];
for (let c = 0; c * PER_COMMIT < changed.length; c++) {
  const part = changed.slice(c * PER_COMMIT, (c + 1) * PER_COMMIT);
  for (const l of listeners) l.committed({ cursor: { number: 2_000 + c, hash: `0x${"0".repeat(64)}`, timestamp: Math.floor(Date.now() / 1000) }, rows: ((t: string) => (t === "claims" ? part.map(([id, row]) => [id, row]) : t === "cases" ? part.map(([id, , cs]) => [id, cs]) : [])) as never });
  const t = performance.now();
  await portfolio.queue(party, {}, 50, 0);
  reads.push(performance.now() - t);
}
const commitSeconds = (performance.now() - tc) / 1000;
reads.sort((a, b) => a - b);
const st = stalls.get("commits") ?? { max: 0, over100: 0 };
const majors = gcs.filter((g) => g.kind === "major");
log(`${COMMITS} commits of ${PER_COMMIT} claims applied (a queue read after each) in ${commitSeconds.toFixed(1)} s; queue read p50 ${reads[Math.floor(reads.length / 2)]!.toFixed(0)} ms, max ${reads.at(-1)!.toFixed(0)} ms`);
log(`  event loop meanwhile: longest stall ${st.max.toFixed(0)} ms, ${st.over100} stalls over 100 ms; p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms`);
log(`  garbage collection meanwhile: ${gcs.length} pauses (${(gcs.reduce((n, g) => n + g.ms, 0) / 1000).toFixed(1)} s), ${majors.length} major (${(majors.reduce((n, g) => n + g.ms, 0) / 1000).toFixed(1)} s, longest ${Math.max(0, ...majors.map((g) => g.ms)).toFixed(0)} ms); heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
clearInterval(probe);
await workers.close();
await store.close();
if (!process.env.BENCH_BOOK_DIR) rmSync(dir, { recursive: true, force: true });
