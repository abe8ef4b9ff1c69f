import type { FastifyInstance } from "fastify";
import { Wallet, type Log } from "ethers";
import { assessPortfolio, type AssessmentResult, type LoanRequest } from "../../core/assess.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH, SPECIAL_MENTION } from "../../core/classification.js";
import { CASE_STATES, CASE_STATES_ZH, noticeDueAt, type CaseStateName } from "../../core/oracle-plan.js";
import { GRADES } from "../../core/risk.js";
import { PATHS_ZH, type DisposalPath, type PathEstimate } from "../../core/recovery.js";
import { PROCESS_ASSET_TYPES } from "../../core/process.js";
import { parseDay, formatDay } from "../../core/dates.js";
import { ForbiddenError, NotFoundError, ValidationError, DebtrailError } from "../../core/errors.js";
import type { ClauseTermsInput } from "../../core/claim-input.js";
import type { Caller } from "../plugins/auth.js";
import type { ClaimRecord } from "./claims.js";
import { inListScope, listScope, mayReadPersonalData } from "../../app/access.js";
import { openEvidenceStore } from "./evidence-store.js";

/**
 * The console's read model (issue 6): every claim this service registered, joined with what the chain
 * says of it now — holder, case state, the last applied oracle report, dispute, resale restriction — and
 * with the scoring core's priority, expected loss and disposal advice.
 *
 * **No RPC per claim.** The chain part is an index built from the contracts' events (ClaimRegistry:
 * Transfer, ClaimRegistered, ResaleRestricted, ResaleRestrictionLifted; CollectionClauses: ReportApplied,
 * CaseStateChanged, ArbitrationStarted, RulingApplied). The first request scans the logs from the deployment block (one
 * eth_getLogs per 10,000 blocks); after that each request asks for the latest block and, only if it moved,
 * for the logs of the new blocks — so a dashboard of a few hundred (or a hundred thousand) claims costs two
 * or three JSON-RPC calls per load. The joined rows and the core's assessment are cached until the index
 * or the day changes. Every {@link FULL_RESCAN_MS} the index is rebuilt from scratch (a safety net for
 * chains without instant finality; QBFT and the dev chain have it).
 *
 * **Scope** (src/app/access.ts listScope): the operator's admin sees every claim; a bank the claims it
 * originated or holds; an AMC the claims it holds; a collector the claims held by the AMC it works for; a
 * court the claims whose case is before it (a dispute); oracle peers and feeds none. Personal data (the
 * debtor's name) only as mayReadPersonalData allows.
 *
 * **Figures.** Outstanding, days past due, class and grade are those of the last applied oracle report
 * (the chain's view); a claim without a report counts at its registered outstanding, 正常 (the contract
 * treats it as performing) and days past due since maturity for the core. Expected recovery per claim:
 * 正常 and 关注 (performing or early arrears) at outstanding − the core's expected loss (PD × LGD);
 * 次级 and worse at the present value of the core's recommended disposal path (recovery.ts). The
 * package price is the core's package-sale path (what an AMC pays for the claim).
 *
 * **Trend.** Daily snapshots per scope in LevelDB (`portfolio-snapshots`): written whenever the summary is
 * computed (the day's live figures), and for each day an oracle report was applied on chain before that,
 * reconstructed from the ReportApplied / CaseStateChanged history of the claims in the scope now (source
 * "reports"), so oracle cycles leave a trend even on days nobody opened the dashboard.
 */

/** Blocks per eth_getLogs call. */
const LOG_CHUNK = 10_000;
/** The event index is rebuilt from scratch this often. */
export const FULL_RESCAN_MS = 10 * 60_000;
const DAY = 86_400;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO32 = `0x${"0".repeat(64)}`;
const TREND_DAYS = 365;

interface ReportFacts {
  asOf: number;
  daysPastDue: number;
  outstanding: bigint;
  collateralValue: bigint;
  classification: number;
  riskGrade: number;
  block: number;
  txHash: string;
}

/** What the events say of one claim. */
interface ChainClaim {
  claimId: string;
  registeredBlock: number;
  originator: string;
  holder: string;
  state: number;
  /** The registry restricted its resale (a retail claim changed hands) and no admin lifted it since. */
  resaleRestricted: boolean;
  disputeId: string | null;
  lastNoticeBlock: number | null;
  report: ReportFacts | null;
  reports: ReportFacts[];
  states: { block: number; to: number; txHash: string }[];
  lastTx: string;
}

export interface PortfolioFilters {
  holder?: string;
  region?: string;
  product?: string;
  classification?: string;
  state?: string;
}

/** One claim as the console shows it. */
export interface PortfolioRow {
  claimId: string;
  contractNo: string;
  product: string;
  region: string | null;
  originator: string;
  holder: string;
  retail: boolean;
  resaleRestricted: boolean;
  outstanding: bigint;
  collateralValue: bigint | null;
  /** The collateral value of the last applied report: what the arbitration clause's coverage test reads. */
  reportedCollateral: bigint | null;
  daysPastDue: number;
  figuresFrom: "report" | "registration";
  reportAsOf: number | null;
  classification: number;
  grade: number;
  state: number;
  disputeId: string | null;
  lastNoticeBlock: number | null;
  /** Block of the last state change (the notice period runs from the later of it and the last notice). */
  stateBlock: number | null;
  clauses: ClauseTermsInput;
  maturityAt: string;
  /** From the scoring core. */
  priority: bigint;
  expectedLoss: bigint;
  urgencyBps: number;
  reasons: { code: string; zh: string; en: string }[];
  recommended: { path: DisposalPath; pathZh: string; presentValue: bigint } | null;
  expectedRecovery: bigint;
  packagePrice: bigint;
  record: ClaimRecord;
}

interface Aggregate {
  count: number;
  outstanding: bigint;
  expectedRecovery: bigint;
  classCount: number[];
  classOutstanding: bigint[];
  stateCount: Record<string, number>;
}

export interface Snapshot {
  day: string;
  source: "live" | "reports";
  count: number;
  outstanding: string;
  expectedRecovery: string | null;
  classCount: number[];
  classOutstanding: string[];
  stateCount: Record<string, number>;
  writtenAt: string;
}

type Scope = { kind: "all" | "court" | "none"; key: string } | { kind: "holder" | "bank"; key: string; address: string };

const lower = (a: string | null | undefined) => (a ?? "").toLowerCase();

function claimIdOfToken(tokenId: bigint): string {
  return `0x${tokenId.toString(16).padStart(64, "0")}`;
}

function dayOfUnix(unix: number): string {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

function normRegion(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const r = value.trim().toLowerCase();
  return r || undefined;
}

/** The caller's list scope (src/app/access.ts), with the key its trend snapshots are kept under. */
export function scopeOf(caller: Caller): Scope {
  const scope = listScope(caller);
  return scope.kind === "holder" || scope.kind === "bank" ? { ...scope, key: `${scope.kind}:${scope.address}` } : { kind: scope.kind, key: scope.kind };
}

function inScope(row: PortfolioRow, scope: Scope): boolean {
  return inListScope(row, scope);
}

/** The classification filter: a class name (pass … loss), its Chinese name, or 0–4. */
export function classIndexOf(value: string, field = "classification"): number {
  const v = value.trim().toLowerCase();
  let i = (CLASSIFICATIONS as readonly string[]).indexOf(v);
  if (i < 0) i = (CLASSIFICATIONS_ZH as readonly string[]).indexOf(value.trim());
  if (i < 0 && /^[0-4]$/.test(v)) i = Number(v);
  if (i < 0) throw new ValidationError(field, `must be one of ${CLASSIFICATIONS.join(", ")} (or ${CLASSIFICATIONS_ZH.join("/")}, or 0–4)`);
  return i;
}

export function stateIndexOf(value: string, field = "state"): number {
  const i = (CASE_STATES as readonly string[]).indexOf(value.trim().toLowerCase());
  if (i < 0) throw new ValidationError(field, `must be one of ${CASE_STATES.join(", ")}`);
  return i;
}

/** A predicate for the filters; bad values → ValidationError naming the field (with `prefix`). */
export function matcher(f: PortfolioFilters, prefix = ""): (row: PortfolioRow) => boolean {
  const cls = f.classification !== undefined ? classIndexOf(f.classification, `${prefix}classification`) : undefined;
  const state = f.state !== undefined ? stateIndexOf(f.state, `${prefix}state`) : undefined;
  const holder = f.holder !== undefined ? lower(f.holder) : undefined;
  const region = f.region !== undefined ? normRegion(f.region) ?? "" : undefined;
  const product = f.product;
  return (r) =>
    (cls === undefined || r.classification === cls)
    && (state === undefined || r.state === state)
    && (holder === undefined || lower(r.holder) === holder)
    && (region === undefined || (r.region ?? "") === region)
    && (product === undefined || r.product === product);
}

function emptyAggregate(): Aggregate {
  return { count: 0, outstanding: 0n, expectedRecovery: 0n, classCount: [0, 0, 0, 0, 0], classOutstanding: [0n, 0n, 0n, 0n, 0n], stateCount: {} };
}

function aggregate(rows: readonly PortfolioRow[]): Aggregate {
  const a = emptyAggregate();
  for (const r of rows) {
    a.count++;
    a.outstanding += r.outstanding;
    a.expectedRecovery += r.expectedRecovery;
    a.classCount[r.classification]!++;
    a.classOutstanding[r.classification]! += r.outstanding;
    const s = CASE_STATES[r.state] ?? String(r.state);
    a.stateCount[s] = (a.stateCount[s] ?? 0) + 1;
  }
  return a;
}

function groupBy(rows: readonly PortfolioRow[], keyOf: (r: PortfolioRow) => string) {
  const m = new Map<string, { count: number; outstanding: bigint; expectedRecovery: bigint }>();
  for (const r of rows) {
    const k = keyOf(r);
    const g = m.get(k) ?? { count: 0, outstanding: 0n, expectedRecovery: 0n };
    g.count++;
    g.outstanding += r.outstanding;
    g.expectedRecovery += r.expectedRecovery;
    m.set(k, g);
  }
  return [...m.entries()]
    .sort((x, y) => (y[1].outstanding > x[1].outstanding ? 1 : y[1].outstanding < x[1].outstanding ? -1 : x[0].localeCompare(y[0])))
    .map(([key, g]) => ({ key, count: g.count, outstanding: g.outstanding.toString(), expectedRecovery: g.expectedRecovery.toString() }));
}

const CONTACT_KINDS = new Set(["call", "sms", "visit", "letter", "notice"]);

const CLAUSE_ZH: Record<string, string> = { warn: "逾期提醒", demand: "正式催告", arbitration: "申请仲裁" };

/** The work queue's reasons of its own (besides the core's), in both languages. */
const QUEUE_REASONS = {
  deadlineSoon: (days: number) => ({ code: "clause-deadline-soon", zh: `${days}天内到达下一条款期限`, en: `Next clause deadline within ${days} days` }),
  deadlinePassed: () => ({ code: "clause-deadline-passed", zh: "已到条款期限，待下次预言机报告执行", en: "Clause deadline reached; the next oracle report acts on it" }),
  neverContacted: () => ({ code: "never-contacted", zh: "尚无催收联系记录", en: "No collection contact on record" }),
  staleContact: (days: number) => ({ code: "no-recent-contact", zh: `已${days}天未联系`, en: `No contact for ${days} days` }),
};

export function createPortfolioService(fastify: FastifyInstance) {
  const { chain, store, config } = fastify;
  const snapshots = store.sub<Snapshot>("portfolio-snapshots");
  const evidence = openEvidenceStore(store);
  // The mediation offers (services/offers.ts), read directly: the queue only needs each claim's latest status.
  const offerStore = store.sub<QueueStoredOffer>("offers");
  const offersByClaim = store.sub<string>("offers-by-claim");
  const registryAddress = lower(chain.deployment.contracts.ClaimRegistry.address);
  const clausesAddress = lower(chain.deployment.contracts.CollectionClauses.address);
  const firstBlock = Math.min(chain.deployment.contracts.ClaimRegistry.blockNumber, chain.deployment.contracts.CollectionClauses.blockNumber);
  const registryIface = chain.registry.interface;
  const clausesIface = chain.clauses.interface;

  /** Names of the accounts this deployment knows (configured API keys), for people. */
  const accountNames = new Map<string, { address: string; name: string; role: string }>();
  for (const k of config.apiKeys) {
    if (!k.privateKey) continue;
    try {
      const address = new Wallet(k.privateKey).address;
      accountNames.set(lower(address), { address, name: k.name ?? k.role, role: k.role });
    } catch {
      /* a bad key is refused elsewhere */
    }
  }

  let index = new Map<string, ChainClaim>();
  let scannedTo = firstBlock - 1;
  let lastFullScan = 0;
  let version = 0;
  let head = { number: 0, timestamp: 0 };
  let refreshing: Promise<void> | null = null;
  const records = new Map<string, ClaimRecord>();
  const blockTimes = new Map<number, number>();
  let rowsCache: { version: number; day: string; rows: PortfolioRow[] } | null = null;
  const trendFilled = new Map<string, string>();
  const metrics = { rpcCalls: 0, refreshes: 0, fullScans: 0 };

  function entry(target: Map<string, ChainClaim>, claimId: string, block: number): ChainClaim {
    let c = target.get(claimId);
    if (!c) {
      c = {
        claimId, registeredBlock: block, originator: ZERO_ADDRESS, holder: ZERO_ADDRESS, state: 0, resaleRestricted: false,
        disputeId: null, lastNoticeBlock: null, report: null, reports: [], states: [], lastTx: "",
      };
      target.set(claimId, c);
    }
    return c;
  }

  function apply(target: Map<string, ChainClaim>, log: Log): void {
    const address = lower(log.address);
    const get = (id: string) => entry(target, id, log.blockNumber);
    if (address === registryAddress) {
      const ev = registryIface.parseLog({ topics: [...log.topics], data: log.data });
      if (!ev) return;
      switch (ev.name) {
        case "Transfer": {
          const id = claimIdOfToken(ev.args.tokenId as bigint);
          const c = get(id);
          if (lower(ev.args.from) === ZERO_ADDRESS) c.registeredBlock = log.blockNumber;
          c.holder = ev.args.to as string;
          c.lastTx = log.transactionHash;
          if (lower(ev.args.to) === ZERO_ADDRESS) target.delete(id);
          break;
        }
        case "ClaimRegistered": {
          const c = get(lower(ev.args.claimId));
          c.originator = ev.args.originator as string;
          c.registeredBlock = log.blockNumber;
          break;
        }
        case "ResaleRestricted":
          get(lower(ev.args.claimId)).resaleRestricted = true;
          break;
        case "ResaleRestrictionLifted":
          get(lower(ev.args.claimId)).resaleRestricted = false;
          break;
      }
    } else if (address === clausesAddress) {
      const ev = clausesIface.parseLog({ topics: [...log.topics], data: log.data });
      if (!ev) return;
      switch (ev.name) {
        case "ReportApplied": {
          const c = get(lower(ev.args.claimId));
          const r: ReportFacts = {
            asOf: Number(ev.args.asOf), daysPastDue: Number(ev.args.daysPastDue), outstanding: ev.args.outstanding as bigint,
            collateralValue: ev.args.collateralValue as bigint, classification: Number(ev.args.classification), riskGrade: Number(ev.args.riskGrade),
            block: log.blockNumber, txHash: log.transactionHash,
          };
          c.report = r;
          c.reports.push(r);
          break;
        }
        case "CaseStateChanged": {
          const c = get(lower(ev.args.claimId));
          c.state = Number(ev.args.to);
          c.states.push({ block: log.blockNumber, to: c.state, txHash: log.transactionHash });
          if (ev.args.noticeHash !== ZERO32) c.lastNoticeBlock = log.blockNumber;
          break;
        }
        case "ArbitrationStarted":
          get(lower(ev.args.claimId)).disputeId = (ev.args.disputeId as bigint).toString();
          break;
        case "RulingApplied":
          // A refused ruling (0) clears the dispute: the case is back at the demand.
          if ((ev.args.ruling as bigint) === 0n) get(lower(ev.args.claimId)).disputeId = null;
          break;
      }
    }
  }

  async function scan(target: Map<string, ChainClaim>, from: number, to: number): Promise<void> {
    for (let start = from; start <= to; start += LOG_CHUNK) {
      const end = Math.min(to, start + LOG_CHUNK - 1);
      metrics.rpcCalls++;
      const logs = await chain.provider.getLogs({ address: [chain.deployment.contracts.ClaimRegistry.address, chain.deployment.contracts.CollectionClauses.address], fromBlock: start, toBlock: end });
      logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
      for (const log of logs) apply(target, log);
    }
  }

  /** Brings the index up to the latest block: one call when nothing happened, two when something did. */
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        metrics.rpcCalls++;
        const latest = await chain.provider.getBlock("latest");
        if (!latest) return;
        if (Date.now() - lastFullScan > FULL_RESCAN_MS) {
          const fresh = new Map<string, ChainClaim>();
          await scan(fresh, firstBlock, latest.number);
          index = fresh;
          scannedTo = latest.number;
          lastFullScan = Date.now();
          metrics.fullScans++;
          version++;
        } else if (latest.number > scannedTo) {
          await scan(index, scannedTo + 1, latest.number);
          scannedTo = latest.number;
          version++;
        }
        metrics.refreshes++;
        head = { number: latest.number, timestamp: latest.timestamp };
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function blockTime(n: number): Promise<number> {
    let t = blockTimes.get(n);
    if (t === undefined) {
      metrics.rpcCalls++;
      t = (await chain.provider.getBlock(n))?.timestamp ?? 0;
      blockTimes.set(n, t);
    }
    return t;
  }

  /** "Now": the later of this clock and the chain's (a dev chain may run ahead of the wall clock). */
  const nowUnix = () => Math.max(Math.floor(Date.now() / 1000), head.timestamp);

  async function recordOf(claimId: string): Promise<ClaimRecord | undefined> {
    let r = records.get(claimId);
    if (!r) {
      r = await fastify.claims.claims.get(claimId);
      if (r) records.set(claimId, r);
    }
    return r;
  }

  /** Every claim of this service with the chain's figures and the core's assessment. */
  async function rows(): Promise<PortfolioRow[]> {
    await refresh();
    const today = dayOfUnix(nowUnix());
    if (rowsCache && rowsCache.version === version && rowsCache.day === today) return rowsCache.rows;
    const v = version;
    const todayDay = parseDay(today, "asOf");
    const base: Omit<PortfolioRow, "priority" | "expectedLoss" | "urgencyBps" | "reasons" | "recommended" | "expectedRecovery" | "packagePrice">[] = [];
    const loans: LoanRequest[] = [];
    // The entries as of this version; records are read first, so nothing below waits (and the index cannot move meanwhile).
    const entries = [...index.values()];
    const recordsOf = new Map<string, ClaimRecord | undefined>();
    for (const c of entries) recordsOf.set(c.claimId, await recordOf(c.claimId));
    if (version !== v) return rows();
    for (const c of entries) {
      const record = recordsOf.get(c.claimId);
      if (!record || lower(c.holder) === ZERO_ADDRESS) continue; // another organisation's claim: no terms here
      const rep = c.report;
      let daysPastDue: number;
      if (rep) daysPastDue = rep.daysPastDue;
      else {
        const maturity = parseDay(record.maturityAt, "maturityAt", true);
        daysPastDue = Math.max(0, Math.min(36_500, todayDay - maturity));
      }
      const outstanding = rep ? rep.outstanding : BigInt(record.outstanding);
      const col = record.collateral as Record<string, unknown> | undefined;
      const colType = typeof col?.type === "string" ? col.type.trim().toLowerCase() : "";
      const appraisal = typeof col?.appraisedValue === "string" && /^\d+$/.test(col.appraisedValue) ? BigInt(col.appraisedValue) : null;
      const collateralValue = col ? (rep && rep.collateralValue > 0n ? rep.collateralValue : appraisal) : null;
      const region = normRegion(record.region) ?? normRegion(col?.region) ?? null;
      const loan: LoanRequest = {
        loanId: c.claimId,
        product: record.product,
        debtorType: record.debtor.type,
        debtorId: record.debtor.debtorId,
        outstanding: outstanding.toString(),
        daysPastDue,
        ...(region ? { region } : {}),
      };
      if (col && collateralValue !== null && (PROCESS_ASSET_TYPES as readonly string[]).includes(colType) && colType !== "unsecured") {
        loan.collateral = {
          assetType: colType,
          region: normRegion(col.region) ?? region ?? "",
          area: typeof col.areaSqm === "number" ? col.areaSqm : 0,
          appraisedValue: collateralValue.toString(),
        };
      }
      loans.push(loan);
      base.push({
        claimId: c.claimId,
        contractNo: record.contractNo,
        product: record.product,
        region,
        originator: c.originator !== ZERO_ADDRESS ? c.originator : record.originator,
        holder: c.holder,
        retail: record.debtor.type === "retail",
        resaleRestricted: c.resaleRestricted,
        outstanding,
        collateralValue,
        reportedCollateral: rep ? rep.collateralValue : null,
        daysPastDue,
        figuresFrom: rep ? "report" : "registration",
        reportAsOf: rep ? rep.asOf : null,
        classification: rep ? rep.classification : -1,
        grade: rep ? rep.riskGrade : -1,
        state: c.state,
        disputeId: c.disputeId,
        lastNoticeBlock: c.lastNoticeBlock,
        stateBlock: c.states.length > 0 ? c.states[c.states.length - 1]!.block : null,
        clauses: record.clauses,
        maturityAt: record.maturityAt,
        record,
      });
    }
    const results = assessAll(today, loans);
    const out: PortfolioRow[] = base.map((b, i) => {
      const res = results[i];
      const cls = b.classification >= 0 ? b.classification : res ? (CLASSIFICATIONS as readonly string[]).indexOf(res.classification) : 0;
      const grade = b.grade >= 0 ? b.grade : res ? (GRADES as readonly string[]).indexOf(res.risk.grade) : 0;
      const expectedLoss = res ? BigInt(res.risk.expectedLoss) : 0n;
      const paths = res?.recovery?.paths ?? [];
      const best = res?.recovery ? paths.find((p: PathEstimate) => p.path === res.recovery!.recommended) : undefined;
      const pv = best ? BigInt(best.presentValue) : 0n;
      let expectedRecovery = cls <= SPECIAL_MENTION ? b.outstanding - expectedLoss : pv;
      if (expectedRecovery < 0n) expectedRecovery = 0n;
      if (expectedRecovery > b.outstanding) expectedRecovery = b.outstanding;
      const pkg = paths.find((p: PathEstimate) => p.path === "package-sale");
      return {
        ...b,
        classification: cls,
        grade,
        priority: res ? BigInt(res.risk.priority) : 0n,
        expectedLoss,
        urgencyBps: res?.risk.urgencyBps ?? 10_000,
        reasons: res ? [...res.risk.priorityReasons, ...res.risk.reasons].map(({ code, zh, en }) => ({ code, zh, en })) : [],
        recommended: best ? { path: best.path, pathZh: PATHS_ZH[best.path], presentValue: BigInt(best.presentValue) } : null,
        expectedRecovery,
        packagePrice: pkg ? BigInt(pkg.grossRecovery) : 0n,
      };
    });
    if (version === v) rowsCache = { version: v, day: today, rows: out };
    return out;
  }

  /** The core on all loans at once; a loan the core refuses is assessed alone so it cannot spoil the rest. */
  function assessAll(asOf: string, loans: LoanRequest[]): (AssessmentResult | undefined)[] {
    if (loans.length === 0) return [];
    try {
      return assessPortfolio({ asOf, loans }, { advice: "all" }).results;
    } catch (e) {
      if (!(e instanceof DebtrailError)) throw e;
      return loans.map((loan) => {
        try {
          return assessPortfolio({ asOf, loans: [loan] }, { advice: "all" }).results[0];
        } catch (err) {
          fastify.log.warn({ claimId: loan.loanId, err: (err as Error).message }, "portfolio: the scoring core refused a claim");
          return undefined;
        }
      });
    }
  }

  function snapshotOf(day: string, source: Snapshot["source"], a: Aggregate, withRecovery: boolean): Snapshot {
    return {
      day, source, count: a.count, outstanding: a.outstanding.toString(), expectedRecovery: withRecovery ? a.expectedRecovery.toString() : null,
      classCount: a.classCount, classOutstanding: a.classOutstanding.map(String), stateCount: a.stateCount, writtenAt: new Date().toISOString(),
    };
  }

  const same = (a: Snapshot | undefined, b: Snapshot) =>
    !!a && a.source === b.source && a.count === b.count && a.outstanding === b.outstanding && a.expectedRecovery === b.expectedRecovery
    && JSON.stringify([a.classCount, a.classOutstanding, a.stateCount]) === JSON.stringify([b.classCount, b.classOutstanding, b.stateCount]);

  /**
   * Writes today's live snapshot of the scope, fills the days with oracle reports that have none (from the
   * chain's history), and returns the scope's trend, oldest first.
   */
  async function trend(scope: Scope, scoped: PortfolioRow[]): Promise<Snapshot[]> {
    const today = dayOfUnix(nowUnix());
    const live = snapshotOf(today, "live", aggregate(scoped), true);
    const key = (day: string) => `${scope.key}!${day}`;
    if (!same(await snapshots.get(key(today)), live)) await snapshots.put(key(today), live);

    const marker = `${version}:${today}`;
    if (trendFilled.get(scope.key) !== marker) {
      // Days on which reports were applied, and the last block of each such day.
      const cutOfDay = new Map<string, number>();
      for (const c of index.values()) {
        for (const r of c.reports) {
          const d = dayOfUnix(r.asOf);
          if (d >= today) continue;
          if ((cutOfDay.get(d) ?? -1) < r.block) cutOfDay.set(d, r.block);
        }
      }
      const days = [...cutOfDay.keys()].sort();
      let cut = -1;
      for (const day of days) {
        cut = Math.max(cut, cutOfDay.get(day)!); // reports of earlier days are in by then too
        if (await snapshots.get(key(day))) continue;
        const a = emptyAggregate();
        for (const r of scoped) {
          const c = index.get(r.claimId);
          if (!c || c.registeredBlock > cut) continue;
          let rep: ReportFacts | undefined;
          for (const x of c.reports) if (x.block <= cut) rep = x;
          let state = 0;
          for (const s of c.states) if (s.block <= cut) state = s.to;
          const cls = rep ? rep.classification : 0;
          const outstanding = rep ? rep.outstanding : BigInt(r.record.outstanding);
          a.count++;
          a.outstanding += outstanding;
          a.classCount[cls]!++;
          a.classOutstanding[cls]! += outstanding;
          const name = CASE_STATES[state] ?? String(state);
          a.stateCount[name] = (a.stateCount[name] ?? 0) + 1;
        }
        await snapshots.put(key(day), snapshotOf(day, "reports", a, false));
      }
      trendFilled.set(scope.key, marker);
    }
    const since = formatDay(parseDay(today, "today") - TREND_DAYS);
    const out: Snapshot[] = [];
    for await (const s of snapshots.values({ gte: key(since), lte: key(today) })) out.push(s);
    return out;
  }

  function holderView(address: string) {
    const known = accountNames.get(lower(address));
    return { holder: address, name: known?.name ?? null };
  }

  /** When the notice period of the case's current step ends: the core's noticeDueAt over block times. */
  async function noticePeriodEnd(r: PortfolioRow): Promise<number> {
    const lastNoticeAt = r.lastNoticeBlock !== null ? await blockTime(r.lastNoticeBlock) : 0;
    const stateSince = r.stateBlock !== null ? await blockTime(r.stateBlock) : 0;
    return noticeDueAt({ lastNoticeAt, stateSince }, r.clauses.noticeDays);
  }

  /** The next clause of the case and when it falls due (days past due keep running after the last report). */
  async function nextDeadline(r: PortfolioRow) {
    const state = CASE_STATES[r.state] as CaseStateName;
    if (r.reportAsOf === null || r.daysPastDue === 0) return null;
    const t = r.clauses;
    const dueAt = (threshold: number) => r.reportAsOf! + Math.max(0, threshold - r.daysPastDue) * DAY;
    let clause: "warn" | "demand" | "arbitration";
    let at: number;
    if (state === "overdue") {
      clause = "warn";
      at = dueAt(t.warnDays);
    } else if (state === "warned") {
      // The demand also waits the warning's notice period in block time (CaseLadder's _noticeDueAt).
      clause = "demand";
      at = Math.max(dueAt(t.demandDays), await noticePeriodEnd(r));
    } else if (state === "demanded") {
      // Arbitration also needs collateral coverage below the clause's threshold and the notice period over.
      const collateral = r.reportedCollateral ?? 0n;
      if (collateral * 10_000n >= BigInt(t.coverageBps) * r.outstanding) return null;
      clause = "arbitration";
      at = Math.max(dueAt(t.arbitrationDays), await noticePeriodEnd(r));
    } else {
      return null;
    }
    const now = nowUnix();
    return { clause, clauseZh: CLAUSE_ZH[clause]!, at: new Date(at * 1000).toISOString(), reached: at <= now, daysLeft: Math.ceil((at - now) / DAY) };
  }

  /** The claim's latest contact with a person (its most recent evidence record that is not internal). */
  /** The queue's offer status of a claim: its latest offer that was not superseded (cheap: the store only). */
  async function offerOf(claimId: string, state: CaseStateName, nowMs: number): Promise<QueueOffer | null> {
    let latest: QueueStoredOffer | undefined;
    for await (const id of offersByClaim.values({ gt: `${claimId}!`, lt: `${claimId}!~` })) {
      const o = await offerStore.get(id);
      if (!o || o.status === "superseded") continue;
      if (!latest || o.proposedAt >= latest.proposedAt) latest = o;
    }
    if (!latest) return null;
    const today = new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
    let status: QueueOffer["status"];
    switch (latest.status) {
      case "pending-approval":
      case "proposed":
        status = latest.offer.plan.validUntil < today ? "expired" : latest.status;
        break;
      case "accepting":
        status = "accepting";
        break;
      case "accepted":
        status = state === "restructured" ? "in-installments" : state === "closed" ? "completed" : "defaulted";
        break;
      default:
        status = "expired";
    }
    return { offerId: latest.offerId, status, type: latest.offer.type };
  }

  async function lastContact(claimId: string) {
    for await (const [, recordId] of evidence.byClaim.iterator({ gt: `${claimId}!`, lt: `${claimId}!~`, reverse: true, limit: 50 })) {
      const stored = await evidence.records.get(recordId);
      if (!stored || stored.record.direction === "internal" || !CONTACT_KINDS.has(stored.record.kind)) continue;
      return { recordId: stored.recordId, kind: stored.record.kind, channel: stored.record.channel, direction: stored.record.direction, occurredAt: stored.record.occurredAt };
    }
    return null;
  }

  function rowView(caller: Caller, r: PortfolioRow) {
    const personal = mayReadPersonalData(caller, { claimId: r.claimId, registered: true, holder: r.holder, originator: r.originator, beforeCourt: r.disputeId !== null });
    return {
      claimId: r.claimId,
      contractNo: r.contractNo,
      product: r.product,
      region: r.region,
      holder: r.holder,
      holderName: accountNames.get(lower(r.holder))?.name ?? null,
      outstanding: r.outstanding.toString(),
      collateralValue: r.collateralValue === null ? null : r.collateralValue.toString(),
      daysPastDue: r.daysPastDue,
      figuresFrom: r.figuresFrom,
      classification: CLASSIFICATIONS[r.classification]!,
      classificationZh: CLASSIFICATIONS_ZH[r.classification]!,
      grade: GRADES[r.grade]!,
      state: CASE_STATES[r.state]!,
      stateZh: CASE_STATES_ZH[CASE_STATES[r.state]!],
      resaleRestricted: r.resaleRestricted,
      disputeId: r.disputeId,
      ...(personal ? { debtorName: r.record.debtor.name } : {}),
      personalDataRedacted: !personal,
    };
  }

  const contracts = [
    { name: "ClaimRegistry", address: lower(chain.deployment.contracts.ClaimRegistry.address), iface: chain.registry.interface },
    { name: "CollectionClauses", address: lower(chain.deployment.contracts.CollectionClauses.address), iface: chain.clauses.interface },
    { name: "EvidenceLog", address: lower(chain.deployment.contracts.EvidenceLog.address), iface: chain.evidenceLog.interface },
    { name: "Arbitrator", address: lower(chain.deployment.contracts.Arbitrator.address), iface: chain.arbitrator.interface },
  ];

  /** Event arguments as JSON: bigints as decimal strings, nested results as arrays. */
  function plain(value: unknown): unknown {
    if (typeof value === "bigint") return value.toString();
    if (Array.isArray(value)) return value.map(plain);
    return value;
  }

  return {
    /** GET /v1/tx/:txHash: a transaction of this deployment, its status and its events decoded. */
    async tx(txHash: string) {
      const receipt = await chain.provider.getTransactionReceipt(txHash);
      if (!receipt) throw new NotFoundError("transaction", txHash);
      const to = lower(receipt.to);
      const target = contracts.find((c) => c.address === to);
      const events = [];
      for (const log of receipt.logs) {
        const c = contracts.find((x) => x.address === lower(log.address));
        const parsed = c?.iface.parseLog({ topics: [...log.topics], data: log.data });
        if (!c || !parsed) {
          events.push({ contract: c?.name ?? log.address, name: null, args: {} });
          continue;
        }
        const args: Record<string, unknown> = {};
        parsed.fragment.inputs.forEach((input, i) => {
          args[input.name || String(i)] = plain(parsed.args[i]);
        });
        events.push({ contract: c.name, name: parsed.name, args });
      }
      return {
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        timestamp: new Date((await blockTime(receipt.blockNumber)) * 1000).toISOString(),
        from: receipt.from,
        to: receipt.to,
        contract: target?.name ?? null,
        status: receipt.status === 1 ? ("success" as const) : ("reverted" as const),
        gasUsed: receipt.gasUsed.toString(),
        chainId: chain.deployment.chainId,
        events,
      };
    },

    /** Counters for tests and /metrics-like checks: JSON-RPC calls made by this service. */
    metrics,
    rows,
    scopeOf,

    /** GET /v1/portfolio */
    async summary(caller: Caller, filters: PortfolioFilters) {
      const match = matcher(filters);
      const all = await rows();
      const scope = scopeOf(caller);
      const scoped = all.filter((r) => inScope(r, scope));
      const selected = scoped.filter(match);
      const a = aggregate(selected);
      const classes = CLASSIFICATIONS.map((c, i) => ({ classification: c, classificationZh: CLASSIFICATIONS_ZH[i]!, count: a.classCount[i]!, outstanding: a.classOutstanding[i]!.toString() }));
      const byState = CASE_STATES.map((s) => {
        const rowsOf = selected.filter((r) => CASE_STATES[r.state] === s);
        return { state: s, stateZh: CASE_STATES_ZH[s], count: rowsOf.length, outstanding: rowsOf.reduce((x, r) => x + r.outstanding, 0n).toString() };
      });
      const trendList = await trend(scope, scoped);
      return {
        asOf: new Date(nowUnix() * 1000).toISOString(),
        block: head.number,
        scope: { kind: scope.kind, address: "address" in scope ? scope.address : null },
        filters,
        count: a.count,
        outstanding: a.outstanding.toString(),
        expectedRecovery: a.expectedRecovery.toString(),
        recoveryBps: a.outstanding > 0n ? Number((a.expectedRecovery * 10_000n) / a.outstanding) : 0,
        collateralValue: selected.reduce((x, r) => x + (r.collateralValue ?? 0n), 0n).toString(),
        byClass: classes,
        byState,
        byRegion: groupBy(selected, (r) => r.region ?? "").map(({ key, ...g }) => ({ region: key, ...g })),
        byProduct: groupBy(selected, (r) => r.product).map(({ key, ...g }) => ({ product: key, ...g })),
        byHolder: groupBy(selected, (r) => r.holder).map(({ key, ...g }) => ({ ...holderView(key), ...g })),
        trend: trendList.map((s) => ({
          day: s.day, source: s.source, count: s.count, outstanding: s.outstanding, expectedRecovery: s.expectedRecovery,
          classCount: s.classCount, classOutstanding: s.classOutstanding, stateCount: s.stateCount,
        })),
      };
    },

    /** GET /v1/claims: the caller's claims, filtered, in contract-number order, a page at a time. */
    async list(caller: Caller, filters: PortfolioFilters, limit: number, cursor?: string) {
      const match = matcher(filters);
      let after: [string, string] | undefined;
      if (cursor !== undefined) {
        try {
          const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
          if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((x) => typeof x === "string")) throw new Error("shape");
          after = parsed as [string, string];
        } catch {
          throw new ValidationError("cursor", "is not a cursor this route gave out (use nextCursor of the previous page)");
        }
      }
      const scope = scopeOf(caller);
      const all = (await rows()).filter((r) => inScope(r, scope) && match(r));
      const cmp = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
      all.sort((x, y) => cmp([x.contractNo, x.claimId], [y.contractNo, y.claimId]));
      const start = after ? all.findIndex((r) => cmp([r.contractNo, r.claimId], after!) > 0) : 0;
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const last = page[page.length - 1];
      const more = start >= 0 && start + limit < all.length;
      return {
        total: all.length,
        claims: page.map((r) => ({ ...rowView(caller, r), expectedRecovery: r.expectedRecovery.toString(), recommended: r.recommended?.path ?? null })),
        nextCursor: more && last ? Buffer.from(JSON.stringify([last.contractNo, last.claimId])).toString("base64url") : null,
      };
    },

    /** GET /v1/queue: open cases of the caller's holder, by the core's priority (expected loss × urgency). */
    async queue(caller: Caller, filters: PortfolioFilters, limit: number, offset: number) {
      const match = matcher(filters);
      let scope = scopeOf(caller);
      // A bank works the claims it still holds; what it sold is the buyer's work.
      if (scope.kind === "bank") scope = { kind: "holder", key: `holder:${scope.address}`, address: scope.address };
      if (caller.role !== "admin" && scope.kind === "all") throw new ForbiddenError(`role ${caller.role} has no work queue`);
      const open = (await rows()).filter((r) => {
        const s = CASE_STATES[r.state];
        if (s === "closed") return false;
        if (r.daysPastDue === 0 && r.classification === 0 && (s === "performing" || s === "restructured")) return false;
        return inScope(r, scope) && match(r);
      });
      open.sort((a, b) => (b.priority > a.priority ? 1 : b.priority < a.priority ? -1 : b.outstanding > a.outstanding ? 1 : b.outstanding < a.outstanding ? -1 : a.claimId.localeCompare(b.claimId)));
      const page = open.slice(offset, offset + limit);
      const now = nowUnix();
      const items = [];
      for (const [k, r] of page.entries()) {
        const deadline = await nextDeadline(r);
        const contact = await lastContact(r.claimId);
        const offer = await offerOf(r.claimId, CASE_STATES[r.state]!, now * 1000);
        const reasons = [...r.reasons];
        if (deadline?.reached) reasons.unshift(QUEUE_REASONS.deadlinePassed());
        else if (deadline && deadline.daysLeft <= 7) reasons.unshift(QUEUE_REASONS.deadlineSoon(Math.max(1, deadline.daysLeft)));
        if (!contact) reasons.push(QUEUE_REASONS.neverContacted());
        else {
          const days = Math.floor((now - Date.parse(contact.occurredAt) / 1000) / DAY);
          if (days >= 14) reasons.push(QUEUE_REASONS.staleContact(days));
        }
        items.push({
          rank: offset + k + 1,
          ...rowView(caller, r),
          priority: r.priority.toString(),
          expectedLoss: r.expectedLoss.toString(),
          urgencyBps: r.urgencyBps,
          reasons,
          nextDeadline: deadline,
          lastContact: contact,
          offer,
          recommended: r.recommended ? { path: r.recommended.path, pathZh: r.recommended.pathZh, presentValue: r.recommended.presentValue.toString() } : null,
        });
      }
      return {
        asOf: new Date(now * 1000).toISOString(),
        total: open.length,
        items,
        nextCursor: offset + limit < open.length ? String(offset + limit) : null,
      };
    },

    /** POST /v1/packages/preview: what a package of the caller's claims holds and is worth. */
    async previewPackage(caller: Caller, body: { filter?: PortfolioFilters; claimIds?: string[] }) {
      if ((body.filter === undefined) === (body.claimIds === undefined)) {
        throw new ValidationError(body.filter === undefined ? "filter" : "claimIds", "give exactly one of filter or claimIds");
      }
      const me = lower(caller.address);
      const scope = scopeOf(caller);
      // Only claims the caller may list: another holder's claim id gives nothing away (contract number, figures).
      const all = (await rows()).filter((r) => inScope(r, scope));
      let chosen: PortfolioRow[];
      if (body.claimIds) {
        const byId = new Map(all.map((r) => [r.claimId, r]));
        const seen = new Set<string>();
        chosen = body.claimIds.map((raw, i) => {
          const id = raw.toLowerCase();
          if (seen.has(id)) throw new ValidationError(`claimIds[${i}]`, "must not repeat a claim");
          seen.add(id);
          const r = byId.get(id);
          if (!r) throw new ValidationError(`claimIds[${i}]`, "is not a registered claim of this service that the caller holds or originated");
          return r;
        });
      } else {
        const match = matcher(body.filter!, "filter.");
        chosen = all.filter((r) => lower(r.holder) === me && CASE_STATES[r.state] !== "closed" && match(r));
        chosen.sort((a, b) => a.contractNo.localeCompare(b.contractNo) || a.claimId.localeCompare(b.claimId));
      }
      const claims = chosen.map((r) => {
        const reason: "not-holder" | "resale-restricted" | null = lower(r.holder) !== me ? "not-holder" : r.resaleRestricted ? "resale-restricted" : null;
        return {
          ...rowView(caller, r),
          expectedRecovery: r.expectedRecovery.toString(),
          packagePrice: r.packagePrice.toString(),
          recommended: r.recommended?.path ?? null,
          assignable: reason === null,
          ...(reason ? { reason } : {}),
        };
      });
      const ok = chosen.filter((r) => lower(r.holder) === me && !r.resaleRestricted);
      const total = (list: PortfolioRow[]) => ({
        count: list.length,
        outstanding: list.reduce((x, r) => x + r.outstanding, 0n).toString(),
        collateralValue: list.reduce((x, r) => x + (r.collateralValue ?? 0n), 0n).toString(),
        expectedRecovery: list.reduce((x, r) => x + r.expectedRecovery, 0n).toString(),
        indicativePrice: list.reduce((x, r) => x + r.packagePrice, 0n).toString(),
      });
      const a = aggregate(ok);
      return {
        all: total(chosen),
        assignable: total(ok),
        byClass: CLASSIFICATIONS.map((c, i) => ({ classification: c, classificationZh: CLASSIFICATIONS_ZH[i]!, count: a.classCount[i]!, outstanding: a.classOutstanding[i]!.toString() })),
        maxPerAssignment: 500,
        knownHolders: [...accountNames.values()].filter((k) => k.role === "amc" && lower(k.address) !== me).map((k) => ({ address: k.address, name: k.name })),
        claims,
      };
    },
  };
}

/** What the queue reads of a stored offer (services/offers.ts StoredOffer). */
interface QueueStoredOffer {
  offerId: string;
  claimId: string;
  status: string;
  proposedAt: string;
  offer: { type: string; plan: { validUntil: string } };
}

/** A queue row's offer: pending-approval | proposed | accepting | in-installments | defaulted | completed | expired. */
export interface QueueOffer {
  offerId: string;
  status: "pending-approval" | "proposed" | "accepting" | "in-installments" | "defaulted" | "completed" | "expired";
  type: string;
}

export type PortfolioService = ReturnType<typeof createPortfolioService>;

declare module "fastify" {
  interface FastifyInstance {
    portfolio: PortfolioService;
  }
}
