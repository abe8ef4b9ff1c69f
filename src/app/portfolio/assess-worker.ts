import { assessPortfolio, type AssessmentResult, type LoanRequest } from "../../core/assess.js";
import { CLASSIFICATIONS } from "../../core/classification.js";
import { DebtrailError } from "../../core/errors.js";
import { PATHS, type PathEstimate } from "../../core/recovery.js";
import { GRADES, REASONS } from "../../core/risk.js";
import type { WorkerAnswer } from "../workers/pool.js";
import { dayOf, parseDay } from "../../core/dates.js";
import { NO_PERIOD, periodOf, type LimitationFacts } from "./limitation.js";

/**
 * The console model's assessments, run in a worker thread (src/app/workers/pool.ts): the scoring core's
 * class, grade, priority, reasons and disposal advice for a slice of the book, answered as columns (typed
 * arrays moved back without a copy). The model sends the claims of one corporate debtor in one slice: the
 * core's contagion rule reads them together.
 */

/** Reasons kept per claim: up to 4 urgency reasons, then up to 3 score reasons (ids into core/risk.ts REASONS; -1 none). */
export const REASONS_PER_ROW = 7;

export interface AssessInput {
  /** YYYY-MM-DD (UTC+8). */
  asOf: string;
  loans: LoanRequest[];
  /** Per loan, what its limitation period reads of its record (claims without evidence records: limitation.ts). */
  limitation?: LimitationFacts[];
}

export interface AssessOutput {
  /** 1: assessed; 0: the core refused the loan (see `refused`), its other columns are empty. */
  ok: Uint8Array;
  classIndex: Uint8Array;
  grade: Uint8Array;
  urgencyBps: Uint16Array;
  priority: BigInt64Array;
  expectedLoss: BigInt64Array;
  reasons: Int16Array;
  /** Index into core/recovery.ts PATHS of the recommended path, -1 for none. */
  path: Int8Array;
  presentValue: BigInt64Array;
  /** The package-sale path's gross recovery (an indicative package price). */
  packagePrice: BigInt64Array;
  /** The limitation period's last day before and after rest days (day numbers; NO_PERIOD: none or not asked). */
  limitationEnds: Int32Array;
  limitationLast: Int32Array;
  refused: Array<{ loanId: string; message: string }>;
}

const REASON_ID = new Map(REASONS.map((r, i) => [r.code, i]));
/** Every claim gets the disposal advice; the list of missing documents the model does not show is skipped. */
const ADVICE = { advice: "all", missing: false } as const;

function assessAll(asOf: string, loans: LoanRequest[], refused: AssessOutput["refused"]): (AssessmentResult | undefined)[] {
  try {
    return assessPortfolio({ asOf, loans }, ADVICE).results;
  } catch (e) {
    if (!(e instanceof DebtrailError)) throw e;
    // One loan the core refuses must not spoil the rest: each alone, the refused ones without an assessment.
    return loans.map((loan) => {
      try {
        return assessPortfolio({ asOf, loans: [loan] }, ADVICE).results[0];
      } catch (err) {
        refused.push({ loanId: loan.loanId, message: (err as Error).message });
        return undefined;
      }
    });
  }
}

export function assessLoans(input: AssessInput): AssessOutput {
  const n = input.loans.length;
  const out: AssessOutput = {
    ok: new Uint8Array(n), classIndex: new Uint8Array(n), grade: new Uint8Array(n), urgencyBps: new Uint16Array(n),
    priority: new BigInt64Array(n), expectedLoss: new BigInt64Array(n), reasons: new Int16Array(n * REASONS_PER_ROW).fill(-1),
    path: new Int8Array(n).fill(-1), presentValue: new BigInt64Array(n), packagePrice: new BigInt64Array(n),
    limitationEnds: new Int32Array(n).fill(NO_PERIOD), limitationLast: new Int32Array(n).fill(NO_PERIOD), refused: [],
  };
  if (n === 0) return out;
  const today = parseDay(input.asOf, "asOf");
  input.limitation?.forEach((facts, i) => {
    const lim = periodOf(facts, [], today);
    if (!lim) return;
    out.limitationEnds[i] = dayOf(lim.expiresAt);
    out.limitationLast[i] = dayOf(lim.lastDay);
  });
  const results = assessAll(input.asOf, input.loans, out.refused);
  results.forEach((res, i) => {
    if (!res) return;
    out.ok[i] = 1;
    out.classIndex[i] = (CLASSIFICATIONS as readonly string[]).indexOf(res.classification);
    out.grade[i] = (GRADES as readonly string[]).indexOf(res.risk.grade);
    out.urgencyBps[i] = res.risk.urgencyBps;
    out.priority[i] = BigInt(res.risk.priority);
    out.expectedLoss[i] = BigInt(res.risk.expectedLoss);
    const codes = [...res.risk.priorityReasons.slice(0, 4), ...res.risk.reasons.slice(0, 3)];
    codes.forEach((r, k) => (out.reasons[i * REASONS_PER_ROW + k] = REASON_ID.get(r.code) ?? -1));
    const paths = res.recovery?.paths ?? [];
    const best = res.recovery ? paths.find((p: PathEstimate) => p.path === res.recovery!.recommended) : undefined;
    if (best) {
      out.path[i] = PATHS.indexOf(best.path);
      out.presentValue[i] = BigInt(best.presentValue);
    }
    const pkg = paths.find((p: PathEstimate) => p.path === "package-sale");
    if (pkg) out.packagePrice[i] = BigInt(pkg.grossRecovery);
  });
  return out;
}

/** The worker's handlers (src/app/workers/pool.ts). */
export const handlers = {
  assessLoans(input: AssessInput): WorkerAnswer<AssessOutput> {
    const result = assessLoans(input);
    const { refused: _, ok, ...columns } = result;
    return { result, transfer: [ok.buffer, ...Object.values(columns).map((c) => (c as { buffer: ArrayBuffer }).buffer)] as ArrayBuffer[] };
  },
};
