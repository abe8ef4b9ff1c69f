import type { LoanRequest } from "../../core/assess.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH, SPECIAL_MENTION } from "../../core/classification.js";
import { CASE_STATES, type CaseStateName } from "../../core/oracle-plan.js";
import { REASONS, type ReasonInfo } from "../../core/risk.js";
import { PATHS, PATHS_ZH, type DisposalPath } from "../../core/recovery.js";
import { PROCESS_ASSET_TYPES } from "../../core/process.js";
import { formatDay, parseDay } from "../../core/dates.js";
import { ValidationError } from "../../core/errors.js";
import { canonicalRegion, keysWithin, resolveRegion, scoringRegion, type Region } from "../../core/regions.js";
import type { CaseRow, ClaimRow, ClauseTermsRow } from "../../store/repos/chain-index.js";
import type { CellFilter } from "./aggregate.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import { REASONS_PER_ROW, type AssessOutput } from "./assess-worker.js";
import { NO_PERIOD, type LimitationFacts, type PeriodDays } from "./limitation.js";
import { EXPIRING_WITHIN_DAYS } from "../../core/limitation/types.js";

/**
 * One claim as the console shows it: the chain index's facts (holder, case, last applied report), what the
 * console needs of the claim's off-chain record ({@link RecordFacts}) and the scoring core's assessment as
 * of a day. Kept compact (about a kilobyte): the model holds one per claim of the book — a million for a
 * large AMC — so no record, no copies of reason texts (the core's frozen REASONS), interned keys.
 *
 * **Figures.** Outstanding, days past due, class and grade are those of the last applied oracle report
 * (the chain's view); a claim without a report counts at its registered outstanding, 正常 (the contract
 * treats it as performing) and days past due since maturity for the core. Expected recovery: 正常 and 关注
 * at outstanding − the core's expected loss (PD × LGD); 次级 and worse at the present value of the core's
 * recommended disposal path. The package price is the core's package-sale path.
 */
export interface PortfolioRow {
  claimId: string;
  registeredBlock: number;
  contractNo: string;
  product: string;
  region: string | null;
  originator: string;
  holder: string;
  /** Lower-case originator and holder (interned): what scopes compare. */
  originatorKey: string;
  holderKey: string;
  retail: boolean;
  resaleRestricted: boolean;
  /** The outstanding the registration emitted. */
  registeredOutstanding: bigint;
  outstanding: bigint;
  collateralValue: bigint | null;
  /** The collateral value of the last applied report: what the arbitration clause's coverage test reads. */
  reportedCollateral: bigint | null;
  daysPastDue: number;
  figuresFrom: "report" | "registration";
  /** Unix seconds of the last applied report's asOf. */
  reportAsOf: number | null;
  /** The last applied report's class and grade (-1 without a report: the core's are shown). */
  reportClass: number;
  reportGrade: number;
  classification: number;
  grade: number;
  state: CaseStateName;
  disputeId: string | null;
  /** Block times (unix seconds) of the last notice and the last state change: the notice period runs from the later. */
  lastNoticeAt: number | null;
  stateSince: number | null;
  clauses: ClauseTermsRow;
  priority: bigint;
  expectedLoss: bigint;
  urgencyBps: number;
  reasons: readonly ReasonInfo[];
  recommended: { path: DisposalPath; pathZh: string; presentValue: bigint } | null;
  expectedRecovery: bigint;
  packagePrice: bigint;
  /** A corporate debtor's id: its claims are assessed together (contagion); null for retail. */
  corporateDebtor: string | null;
  /** The 诉讼时效's last day before and after rest days (day numbers; limitation.ts NO_PERIOD: none), as of the model's day, from the record alone. */
  limitation: PeriodDays;
  /** {@link limitation}'s status as of the model's day: 0 none or running, 1 ends within 90 days, 2 ended (what the aggregates count). */
  limitationStatus: 0 | 1 | 2;
  facts: RecordFacts;
}

/** What the console keeps of a claim's off-chain record (fixed for the claim's life). */
export interface RecordFacts {
  contractNo: string;
  product: ClaimRecord["product"];
  debtorType: ClaimRecord["debtor"]["type"];
  debtorId: string;
  /** Personal data: shown only as src/app/access.ts allows. */
  debtorName: string;
  /** Day number (core/dates.ts) of maturity. */
  maturityDay: number;
  /** The record's maturityAt, when it is a date-time (else formatDay(maturityDay)). */
  maturityAt?: string;
  /** The record's installment due dates, when it has them. */
  installments?: readonly string[];
  /** The record's region, normalised. */
  region: string | null;
  collateral: { type: string; region: string | null; areaSqm: number; appraisal: bigint | null } | null;
}

export interface PortfolioFilters {
  holder?: string;
  region?: string;
  product?: string;
  classification?: string;
  state?: string;
}

const lower = (a: string | null | undefined) => (a ?? "").toLowerCase();

export function normRegion(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const r = value.trim().toLowerCase();
  return r || undefined;
}

/**
 * The region filter: a region however it is named (key, code, Chinese or English name, path), matching the claims
 * of that region and of every division within it (广东: its cities' and districts' claims too). A value in no list
 * matches a stored region as written (claims registered before regions were checked).
 * @throws ValidationError region-ambiguous naming `field` when the name is several divisions'
 */
export function regionMatcher(value: string, field = "region"): (region: string | null) => boolean {
  const found = resolveRegion(value);
  if (found && "candidates" in found) canonicalRegion(value, field);
  if (!found) {
    const exact = normRegion(value) ?? "";
    return (r) => (r ?? "") === exact;
  }
  const keys = keysWithin((found as { region: Region }).region.key);
  return (r) => r !== null && keys.has(r);
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

export function stateOf(value: string, field = "state"): CaseStateName {
  const v = value.trim().toLowerCase();
  if (!(CASE_STATES as readonly string[]).includes(v)) throw new ValidationError(field, `must be one of ${CASE_STATES.join(", ")}`);
  return v as CaseStateName;
}

/** A predicate for the filters; bad values → ValidationError naming the field (with `prefix`). */
export function matcher(f: PortfolioFilters, prefix = ""): (row: PortfolioRow) => boolean {
  const cls = f.classification !== undefined ? classIndexOf(f.classification, `${prefix}classification`) : undefined;
  const state = f.state !== undefined ? stateOf(f.state, `${prefix}state`) : undefined;
  const holder = f.holder !== undefined ? lower(f.holder) : undefined;
  const region = f.region !== undefined ? regionMatcher(f.region, `${prefix}region`) : undefined;
  const product = f.product;
  return (r) =>
    (cls === undefined || r.classification === cls)
    && (state === undefined || r.state === state)
    && (holder === undefined || r.holderKey === holder)
    && (region === undefined || region(r.region))
    && (product === undefined || r.product === product);
}

/** The filters as the model's aggregate cells are keyed (validated: a bad value names its field, with `prefix`). */
export function cellFilter(f: PortfolioFilters, prefix = ""): CellFilter {
  return {
    ...(f.region !== undefined ? { region: regionMatcher(f.region, `${prefix}region`) } : {}),
    ...(f.product !== undefined ? { product: f.product } : {}),
    ...(f.classification !== undefined ? { classification: classIndexOf(f.classification, `${prefix}classification`) } : {}),
    ...(f.state !== undefined ? { state: stateOf(f.state, `${prefix}state`) } : {}),
  };
}

/** Whether the filters leave every row in (the summary then reads the scope's kept aggregates). */
export const noFilters = (f: PortfolioFilters) => Object.values(f).every((v) => v === undefined);

/** One shared copy of each repeated string (addresses, products, regions): a million rows share a handful. */
const pool = new Map<string, string>();
export function intern(s: string): string {
  let v = pool.get(s);
  if (v === undefined) pool.set(s, (v = s));
  return v;
}
const clausePool = new Map<string, ClauseTermsRow>();
const internClauses = (c: ClauseTermsRow) => {
  const k = `${c.warnDays}|${c.demandDays}|${c.arbitrationDays}|${c.coverageBps}|${c.noticeDays}`;
  let v = clausePool.get(k);
  if (!v) clausePool.set(k, (v = Object.freeze({ ...c })));
  return v;
};

/** What the console keeps of a claim's record. */
export function factsOf(record: ClaimRecord): RecordFacts {
  const col = record.collateral as Record<string, unknown> | undefined;
  return {
    contractNo: record.contractNo,
    product: intern(record.product) as ClaimRecord["product"],
    debtorType: record.debtor.type,
    debtorId: record.debtor.type === "retail" ? "" : record.debtor.debtorId,
    debtorName: record.debtor.name,
    maturityDay: parseDay(record.maturityAt, "maturityAt", true),
    ...(record.maturityAt.length !== 10 ? { maturityAt: record.maturityAt } : {}),
    ...(record.legal?.installments ? { installments: record.legal.installments } : {}),
    region: nullable(normRegion(record.region)),
    collateral: col ? {
      type: intern(typeof col.type === "string" ? col.type.trim().toLowerCase() : ""),
      region: nullable(normRegion(col.region)),
      areaSqm: typeof col.areaSqm === "number" ? col.areaSqm : 0,
      appraisal: typeof col.appraisedValue === "string" && /^\d+$/.test(col.appraisedValue) ? BigInt(col.appraisedValue) : null,
    } : null,
  };
}

const nullable = (v: string | undefined) => (v === undefined ? null : intern(v));

/**
 * A row of `claim` and its case, not assessed yet (see model-load.ts assessRows): the chain's figures and
 * the record's facts.
 */
export function baseRow(claim: ClaimRow, c: CaseRow | null, facts: RecordFacts): PortfolioRow {
  const r: PortfolioRow = {
    claimId: claim.claimId, registeredBlock: 0, contractNo: facts.contractNo, product: facts.product,
    region: facts.region ?? facts.collateral?.region ?? null,
    originator: "", holder: "", originatorKey: "", holderKey: "", retail: facts.debtorType === "retail", resaleRestricted: false,
    registeredOutstanding: 0n, outstanding: 0n, collateralValue: null, reportedCollateral: null, daysPastDue: 0, figuresFrom: "registration",
    reportAsOf: null, reportClass: -1, reportGrade: -1, classification: 0, grade: 0, state: "performing", disputeId: null,
    lastNoticeAt: null, stateSince: null, clauses: claim.terms.clauses, priority: 0n, expectedLoss: 0n, urgencyBps: 10_000, reasons: [],
    recommended: null, expectedRecovery: 0n, packagePrice: 0n, corporateDebtor: facts.debtorType === "retail" ? null : facts.debtorId,
    limitation: { expires: NO_PERIOD, last: NO_PERIOD }, limitationStatus: 0, facts,
  };
  setClaim(r, claim);
  setCase(r, c);
  return r;
}

/** Takes a claim row's facts (holder, resale restriction, …) into `r`; its case figures follow with {@link setCase}. */
export function setClaim(r: PortfolioRow, claim: ClaimRow): void {
  r.registeredBlock = claim.registeredBlock;
  r.originator = intern(claim.originator);
  r.holder = intern(claim.holder);
  r.originatorKey = intern(claim.originator.toLowerCase());
  r.holderKey = intern(claim.holder.toLowerCase());
  r.resaleRestricted = claim.resaleRestricted;
  r.registeredOutstanding = BigInt(claim.outstanding);
  r.clauses = internClauses(claim.terms.clauses);
}

/** Takes a case row (state, last applied report) into `r`. */
export function setCase(r: PortfolioRow, c: CaseRow | null): void {
  const rep = c?.lastReport ?? null;
  const reported = rep ? BigInt(rep.collateralValue) : null;
  const col = r.facts.collateral;
  r.outstanding = rep ? BigInt(rep.outstanding) : r.registeredOutstanding;
  r.collateralValue = col ? (reported !== null && reported > 0n ? reported : col.appraisal) : null;
  r.reportedCollateral = reported;
  r.daysPastDue = rep ? rep.daysPastDue : 0;
  r.figuresFrom = rep ? "report" : "registration";
  r.reportAsOf = rep ? rep.asOf : null;
  r.reportClass = rep ? rep.classification : -1;
  r.reportGrade = rep ? rep.riskGrade : -1;
  r.state = c?.state ?? "performing";
  r.disputeId = c?.disputeId ?? null;
  r.lastNoticeAt = c?.lastNoticeAt ?? null;
  r.stateSince = c?.stateSince ?? null;
}

/** What the core assesses of a row as of day number `today` (days past due run on after maturity without a report). */
export function loanOf(r: PortfolioRow, today: number): LoanRequest {
  if (r.figuresFrom === "registration") r.daysPastDue = Math.max(0, Math.min(36_500, today - r.facts.maturityDay));
  const loan: LoanRequest = {
    loanId: r.claimId,
    product: r.product as LoanRequest["product"],
    debtorType: r.facts.debtorType,
    debtorId: r.corporateDebtor ?? r.claimId,
    outstanding: r.outstanding.toString(),
    daysPastDue: r.daysPastDue,
    ...(r.region ? { region: r.region } : {}),
  };
  const col = r.facts.collateral;
  if (col && r.collateralValue !== null && (PROCESS_ASSET_TYPES as readonly string[]).includes(col.type) && col.type !== "unsecured") {
    loan.collateral = { assetType: col.type, region: scoringRegion(col.region ?? r.region ?? ""), area: col.areaSqm, appraisedValue: r.collateralValue.toString() };
  }
  return loan;
}

/** What the limitation period reads of a row's record (limitation.ts periodOf). */
export function limitationFacts(r: PortfolioRow): LimitationFacts {
  const f = r.facts;
  return { claimId: r.claimId, maturityAt: f.maturityAt ?? formatDay(f.maturityDay), collateral: f.collateral !== null, ...(f.installments ? { installments: f.installments } : {}) };
}

/** Sets row `r`'s assessment from answer `i` of the worker (a refused loan: no assessment, as the core's 正常/A). */
export function applyAssessment(r: PortfolioRow, out: AssessOutput, i: number, day: number): void {
  const ok = out.ok[i] === 1;
  r.classification = r.reportClass >= 0 ? r.reportClass : ok ? out.classIndex[i]! : 0;
  r.grade = r.reportGrade >= 0 ? r.reportGrade : ok ? out.grade[i]! : 0;
  r.priority = ok ? out.priority[i]! : 0n;
  r.expectedLoss = ok ? out.expectedLoss[i]! : 0n;
  r.urgencyBps = ok ? out.urgencyBps[i]! : 10_000;
  const reasons: ReasonInfo[] = [];
  for (let k = 0; ok && k < REASONS_PER_ROW; k++) {
    const id = out.reasons[i * REASONS_PER_ROW + k]!;
    if (id >= 0) reasons.push(REASONS[id]!);
  }
  r.reasons = reasons;
  const path = ok ? out.path[i]! : -1;
  r.recommended = path >= 0 ? { path: PATHS[path]!, pathZh: PATHS_ZH[PATHS[path]!], presentValue: out.presentValue[i]! } : null;
  let expectedRecovery = r.classification <= SPECIAL_MENTION ? r.outstanding - r.expectedLoss : r.recommended?.presentValue ?? 0n;
  if (expectedRecovery < 0n) expectedRecovery = 0n;
  if (expectedRecovery > r.outstanding) expectedRecovery = r.outstanding;
  r.expectedRecovery = expectedRecovery;
  r.packagePrice = ok ? out.packagePrice[i]! : 0n;
  r.limitation.expires = out.limitationEnds[i]!;
  r.limitation.last = out.limitationLast[i]!;
  const last = r.limitation.last;
  r.limitationStatus = last === NO_PERIOD ? 0 : last < day ? 2 : last - day <= EXPIRING_WITHIN_DAYS ? 1 : 0;
}
