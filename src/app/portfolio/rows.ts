import { assessPortfolio, type AssessmentResult, type LoanRequest } from "../../core/assess.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH, SPECIAL_MENTION } from "../../core/classification.js";
import { CASE_STATES, type CaseStateName } from "../../core/oracle-plan.js";
import { GRADES } from "../../core/risk.js";
import { PATHS_ZH, type DisposalPath, type PathEstimate } from "../../core/recovery.js";
import { PROCESS_ASSET_TYPES } from "../../core/process.js";
import { parseDay } from "../../core/dates.js";
import { DebtrailError, ValidationError } from "../../core/errors.js";
import type { CaseRow, ClaimRow, ClauseTermsRow } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { RecordRef } from "../../core/delivery.js";
import { rowLimitation, type RowLimitation } from "./limitation.js";

/**
 * One claim as the console shows it: the chain index's facts (holder, case, last applied report), the
 * claim's off-chain record (contract number, product, region, collateral, debtor) and the scoring core's
 * assessment as of a day.
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
  retail: boolean;
  resaleRestricted: boolean;
  outstanding: bigint;
  collateralValue: bigint | null;
  /** The collateral value of the last applied report: what the arbitration clause's coverage test reads. */
  reportedCollateral: bigint | null;
  daysPastDue: number;
  figuresFrom: "report" | "registration";
  /** Unix seconds of the last applied report's asOf. */
  reportAsOf: number | null;
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
  reasons: { code: string; zh: string; en: string }[];
  recommended: { path: DisposalPath; pathZh: string; presentValue: bigint } | null;
  expectedRecovery: bigint;
  packagePrice: bigint;
  /** A corporate debtor's id: its claims are assessed together (contagion); null for retail. */
  corporateDebtor: string | null;
  /** The limitation (or enforcement) period from the record and evidence, as of the model's day (./limitation.ts). */
  limitation: RowLimitation | null;
  record: ClaimRecord;
}

/** What a row is built from. */
export interface RowFacts {
  claim: ClaimRow;
  case: CaseRow | null;
  record: ClaimRecord;
  /** The claim's evidence records (hash-chain order), for its limitation period; none when not loaded. */
  evidence?: readonly RecordRef[];
}

export interface PortfolioFilters {
  holder?: string;
  region?: string;
  product?: string;
  classification?: string;
  state?: string;
  /** The limitation period's status: running, expiring (ends within 90 days) or expired (time-barred). */
  limitation?: string;
}

const lower = (a: string | null | undefined) => (a ?? "").toLowerCase();

export function normRegion(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const r = value.trim().toLowerCase();
  return r || undefined;
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
  const region = f.region !== undefined ? normRegion(f.region) ?? "" : undefined;
  const product = f.product;
  const limitation = f.limitation;
  if (limitation !== undefined && !["running", "expiring", "expired"].includes(limitation)) throw new ValidationError(`${prefix}limitation`, "must be one of running, expiring, expired");
  return (r) =>
    (cls === undefined || r.classification === cls)
    && (state === undefined || r.state === state)
    && (holder === undefined || lower(r.holder) === holder)
    && (region === undefined || (r.region ?? "") === region)
    && (product === undefined || r.product === product)
    && (limitation === undefined || r.limitation?.status === limitation);
}

/** Whether the filters leave every row in (the summary then reads the scope's kept aggregates). */
export const noFilters = (f: PortfolioFilters) => Object.values(f).every((v) => v === undefined);

type Base = Omit<PortfolioRow, "priority" | "expectedLoss" | "urgencyBps" | "reasons" | "recommended" | "expectedRecovery" | "packagePrice">;

function baseOf(f: RowFacts, todayDay: number): { base: Base; loan: LoanRequest } {
  const { claim, record } = f;
  const rep = f.case?.lastReport ?? null;
  const daysPastDue = rep
    ? rep.daysPastDue
    : Math.max(0, Math.min(36_500, todayDay - parseDay(record.maturityAt, "maturityAt", true)));
  const outstanding = BigInt(rep ? rep.outstanding : claim.outstanding);
  const reported = rep ? BigInt(rep.collateralValue) : null;
  const col = record.collateral as Record<string, unknown> | undefined;
  const colType = typeof col?.type === "string" ? col.type.trim().toLowerCase() : "";
  const appraisal = typeof col?.appraisedValue === "string" && /^\d+$/.test(col.appraisedValue) ? BigInt(col.appraisedValue) : null;
  const collateralValue = col ? (reported !== null && reported > 0n ? reported : appraisal) : null;
  const region = normRegion(record.region) ?? normRegion(col?.region) ?? null;
  const loan: LoanRequest = {
    loanId: claim.claimId,
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
  const base: Base = {
    claimId: claim.claimId,
    registeredBlock: claim.registeredBlock,
    contractNo: record.contractNo,
    product: record.product,
    region,
    originator: claim.originator,
    holder: claim.holder,
    retail: record.debtor.type === "retail",
    resaleRestricted: claim.resaleRestricted,
    outstanding,
    collateralValue,
    reportedCollateral: reported,
    daysPastDue,
    figuresFrom: rep ? "report" : "registration",
    reportAsOf: rep ? rep.asOf : null,
    classification: rep ? rep.classification : -1,
    grade: rep ? rep.riskGrade : -1,
    state: f.case?.state ?? "performing",
    disputeId: f.case?.disputeId ?? null,
    lastNoticeAt: f.case?.lastNoticeAt ?? null,
    stateSince: f.case?.stateSince ?? null,
    clauses: claim.terms.clauses,
    corporateDebtor: record.debtor.type === "retail" ? null : record.debtor.debtorId,
    limitation: rowLimitation(record, f.evidence ?? [], todayDay),
    record,
  };
  return { base, loan };
}

/**
 * Rows for `facts`, assessed together as of `today` (YYYY-MM-DD, UTC+8). Claims of one corporate debtor
 * must be assessed in one call (the core's contagion rule reads them together); a loan the core refuses
 * is assessed alone so it cannot spoil the rest, and shows no assessment.
 */
export function buildRows(facts: readonly RowFacts[], today: string, warn: (claimId: string, message: string) => void): PortfolioRow[] {
  const todayDay = parseDay(today, "asOf");
  const built = facts.map((f) => baseOf(f, todayDay));
  const results = assessAll(today, built.map((b) => b.loan), warn);
  return built.map(({ base: b }, i) => {
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
}

function assessAll(asOf: string, loans: LoanRequest[], warn: (claimId: string, message: string) => void): (AssessmentResult | undefined)[] {
  if (loans.length === 0) return [];
  try {
    return assessPortfolio({ asOf, loans }, { advice: "all" }).results;
  } catch (e) {
    if (!(e instanceof DebtrailError)) throw e;
    return loans.map((loan) => {
      try {
        return assessPortfolio({ asOf, loans: [loan] }, { advice: "all" }).results[0];
      } catch (err) {
        warn(loan.loanId, (err as Error).message);
        return undefined;
      }
    });
  }
}
