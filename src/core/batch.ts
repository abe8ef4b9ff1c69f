import { ValidationError } from "./errors.js";
import { parseMinor } from "./money.js";
import { PRODUCTS, DEBTOR_TYPES, type Product, type DebtorType } from "./claim-input.js";
import { addMonths, dayOf, parseDay } from "./dates.js";
import { newRepaymentFacts, newScheduleData, parseScheduleInto, repaymentFacts, smallMinor, type PaymentRow, type ScheduleRow } from "./dpd.js";
import {
  CLASSIFICATIONS, RULE_FLOOR, R_CONTAGION_BANK, R_CONTAGION_CROSS, SUBSTANDARD, crossBankContagion, ownRule,
  type Classification, type LoanStatus,
} from "./classification.js";
import { newRiskResult, scoreLoan, scorePlain, type RiskInput, type RiskSignal } from "./risk.js";

/**
 * The hot path: classify and score a whole portfolio into typed arrays, with no per-loan objects.
 *
 * Money is read as safe-integer fen where it fits (≤ 15 digits) and as bigint otherwise; dates become
 * day numbers; the schedule of a loan is parsed into reused scratch arrays. Contagion needs every loan of
 * a debtor, so it is a second pass over arrays. {@link assessPortfolio} (assess.ts) turns the arrays into
 * the API's response objects.
 */

export { PRODUCTS, DEBTOR_TYPES };
export type { Product, DebtorType };

/** Collateral as the request carries it (money as decimal strings of fen). */
export interface CollateralRequest {
  /** residential | commercial | industrial | land | vehicle | equipment */
  assetType: string;
  region: string;
  /** Floor area in m² (or units for vehicles and equipment). */
  area: number | string;
  /** Age in years at asOf, or the year it was built. */
  ageYears?: number | string;
  builtYear?: number | string;
  occupied?: boolean;
  titleDefect?: boolean;
  seized?: boolean;
  /** An appraisal already on file, in fen; used when no comparable-based valuation is run. */
  appraisedValue?: string;
}

/** One loan of POST /v1/assessments. */
export interface LoanRequest {
  loanId: string;
  product: Product;
  debtorType: DebtorType;
  debtorId: string;
  outstanding: string;
  daysPastDue?: number;
  schedule?: ScheduleRow[];
  payments?: PaymentRow[];
  /** Days after a due date a payment still counts as on time. Default 0. */
  graceDays?: number;
  restructuredAt?: string;
  /** The class before this assessment, if known: an NPL is only upgraded once it has cured. */
  priorClassification?: Classification;
  /** When the arrears of a previously non-performing loan were fully repaid (when no schedule is given). */
  arrearsRepaidAt?: string;
  collateral?: CollateralRequest;
  /** Region of the debtor, for recovery profiles; defaults to the collateral's region. */
  region?: string;
  /** Collection stage, for the checklist of missing steps and documents. */
  stage?: string;
  /** Documents the claim has on file (codes from process.ts). */
  documents?: string[];
}

export interface DebtorRequest {
  debtorId: string;
  /** Share (0–1) of the debtor's debt across all banks that is 90+ days overdue. */
  crossBankOverdue90Share: number;
}

export interface AssessmentRequest {
  asOf: string;
  loans: LoanRequest[];
  debtors?: DebtorRequest[];
}

export interface BatchOptions {
  /** Longest delay treated as technical (default 7 days). */
  technicalDelayDays?: number;
  /** Collateral values in fen by loan index (e.g. from valuation), -1 or NaN for none; overrides appraisedValue. */
  collateralValues?: Float64Array;
  /**
   * Outside-data signals of some loans (e.g. from feeds.ts): each adds a score contribution and/or an urgency
   * boost with its reason. Sparse, so a 10^6-loan batch pays one integer comparison per loan for them.
   */
  signals?: LoanSignals;
}

/** Signals of some loans: loan `index[k]` (ascending, each once) has `signals[k]`. */
export interface LoanSignals {
  index: ArrayLike<number>;
  signals: ReadonlyArray<readonly RiskSignal[]>;
}

/** Per-loan results as columns. */
export interface BatchResult {
  asOf: number;
  count: number;
  daysPastDue: Int32Array;
  classIndex: Uint8Array;
  rule: Uint8Array;
  contagion: Uint8Array;
  inObservation: Uint8Array;
  /** 1 when the loan came with a schedule (so arrears are known). */
  hasSchedule: Uint8Array;
  outstanding: Float64Array;
  collateralValue: Float64Array;
  score: Uint16Array;
  grade: Uint8Array;
  expectedLoss: Float64Array;
  priority: Float64Array;
  urgencyBps: Uint16Array;
  /** 3 per loan: reason ids and points, -1 = none. */
  reasonIds: Int16Array;
  reasonPoints: Int16Array;
  /** 4 per loan: urgency reason ids and boosts (bps), -1 = none. */
  urgencyIds: Int16Array;
  urgencyBoosts: Int16Array;
}

const PRODUCT_INDEX = new Map<string, number>(PRODUCTS.map((p, i) => [p, i]));
const CLASS_INDEX = new Map<string, number>(CLASSIFICATIONS.map((c, i) => [c, i]));
const CARD = PRODUCT_INDEX.get("credit-card")!;
const SAFE_FOR_X10 = 2 ** 49;

/** Longest loanId / debtorId accepted: ids, not documents (a 1 MB id would be echoed in every result). */
const MAX_ID_LENGTH = 128;

function fail(i: number, field: string, rule: string): never {
  throw new ValidationError(`loans[${i}].${field}`, rule);
}

/**
 * Classifies and scores every loan of a request.
 * @throws ValidationError naming the field path (e.g. "loans[3].outstanding") and the rule broken
 */
export function classifyAndScore(req: AssessmentRequest, options: BatchOptions = {}): BatchResult {
  if (req === null || typeof req !== "object") throw new ValidationError("body", "must be an object");
  const asOf = parseDay(req.asOf, "asOf", true);
  const loans = req.loans;
  if (!Array.isArray(loans)) throw new ValidationError("loans", "must be an array");
  const n = loans.length;
  const technical = options.technicalDelayDays ?? 7;
  const values = options.collateralValues;

  const r: BatchResult = {
    asOf, count: n,
    daysPastDue: new Int32Array(n), classIndex: new Uint8Array(n), rule: new Uint8Array(n),
    contagion: new Uint8Array(n), inObservation: new Uint8Array(n), hasSchedule: new Uint8Array(n),
    outstanding: new Float64Array(n), collateralValue: new Float64Array(n),
    score: new Uint16Array(n), grade: new Uint8Array(n), expectedLoss: new Float64Array(n),
    priority: new Float64Array(n), urgencyBps: new Uint16Array(n),
    reasonIds: new Int16Array(3 * n), reasonPoints: new Int16Array(3 * n),
    urgencyIds: new Int16Array(4 * n), urgencyBoosts: new Int16Array(4 * n),
  };
  const productIndex = new Uint8Array(n);
  // Non-retail debtors: index per debtorId, -1 for retail loans.
  const debtorOf = new Int32Array(n).fill(-1);
  const debtorIds = new Map<string, number>();
  let bigOutstanding: (bigint | undefined)[] | undefined;

  const schedule = newScheduleData();
  const facts = newRepaymentFacts();
  const status: LoanStatus = { daysPastDue: 0, creditCard: false, inObservation: false, nonPerformingBeforeRestructuring: false, upgradePending: false };

  for (let i = 0; i < n; i++) {
    const loan = loans[i];
    if (loan === null || typeof loan !== "object") throw new ValidationError(`loans[${i}]`, "must be an object");
    if (typeof loan.loanId !== "string" || loan.loanId.length === 0 || loan.loanId.length > MAX_ID_LENGTH) fail(i, "loanId", `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
    const p = PRODUCT_INDEX.get(loan.product as string);
    if (p === undefined) fail(i, "product", `must be one of ${PRODUCTS.join(", ")}`);
    productIndex[i] = p;
    const corporate = loan.debtorType === "corporate";
    if (!corporate && loan.debtorType !== "retail") fail(i, "debtorType", "must be retail or corporate");
    if (typeof loan.debtorId !== "string" || loan.debtorId.length === 0 || loan.debtorId.length > MAX_ID_LENGTH) fail(i, "debtorId", `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
    let outstanding = smallMinor(loan.outstanding);
    if (outstanding < 0) {
      const big = parseMinor(loan.outstanding, `loans[${i}].outstanding`);
      (bigOutstanding ??= [])[i] = big;
      outstanding = Number(big);
    }
    r.outstanding[i] = outstanding;

    let restructuredOn = NaN;
    if (loan.restructuredAt !== undefined) {
      restructuredOn = dayOf(loan.restructuredAt);
      if (restructuredOn !== restructuredOn) restructuredOn = parseDay(loan.restructuredAt, `loans[${i}].restructuredAt`);
      if (restructuredOn > asOf) fail(i, "restructuredAt", "must not be after asOf");
    }
    let prior = -1;
    if (loan.priorClassification !== undefined) {
      prior = CLASS_INDEX.get(loan.priorClassification) ?? -1;
      if (prior < 0) fail(i, "priorClassification", `must be one of ${CLASSIFICATIONS.join(", ")}`);
    }
    const priorNpl = prior >= SUBSTANDARD;

    let dpd: number;
    let wasNpl = priorNpl;
    let nplBeforeRestructuring = priorNpl;
    let cureOn = NaN;
    let secondDue = NaN;
    if (loan.schedule !== undefined) {
      const grace = loan.graceDays ?? 0;
      if (!Number.isInteger(grace) || grace < 0 || grace > 90) fail(i, "graceDays", "must be an integer from 0 to 90");
      parseScheduleInto(schedule, loan.schedule, loan.payments, `loans[${i}]`);
      repaymentFacts(schedule, asOf, grace, restructuredOn, facts);
      dpd = facts.daysPastDue;
      if (loan.daysPastDue !== undefined && loan.daysPastDue !== dpd) fail(i, "daysPastDue", `disagrees with the schedule and payments (${dpd} days)`);
      if (facts.maxDaysPastDue > 90) wasNpl = true;
      if (facts.maxDaysPastDueBeforeRestructuring > 90) nplBeforeRestructuring = true;
      cureOn = facts.cureCompleteOn;
      secondDue = facts.secondDueAfterRestructuring;
      r.hasSchedule[i] = 1;
    } else {
      dpd = loan.daysPastDue as number;
      if (!Number.isInteger(dpd) || dpd < 0 || dpd > 36_500) fail(i, "daysPastDue", "must be an integer from 0 to 36500, or give schedule and payments");
      if (loan.arrearsRepaidAt !== undefined) {
        const repaid = parseDay(loan.arrearsRepaidAt, `loans[${i}].arrearsRepaidAt`);
        cureOn = addMonths(repaid, 6);
      }
    }

    // Observation: at least two repayment periods and no less than one year from restructuring.
    const inObservation = restructuredOn === restructuredOn
      && asOf < (secondDue === secondDue ? Math.max(addMonths(restructuredOn, 12), secondDue) : addMonths(restructuredOn, 12));
    status.daysPastDue = dpd;
    status.creditCard = p === CARD;
    status.inObservation = inObservation;
    status.nonPerformingBeforeRestructuring = nplBeforeRestructuring;
    status.upgradePending = wasNpl && !(dpd === 0 && cureOn === cureOn && asOf >= cureOn);
    const rule = ownRule(status, technical);
    r.daysPastDue[i] = dpd;
    r.rule[i] = rule;
    r.inObservation[i] = inObservation ? 1 : 0;

    let value = values ? values[i]! : NaN;
    if (!(value >= 0)) {
      value = -1;
      const c = loan.collateral;
      if (c !== undefined && c.appraisedValue !== undefined) {
        value = smallMinor(c.appraisedValue);
        if (value < 0) value = Number(parseMinor(c.appraisedValue, `loans[${i}].collateral.appraisedValue`));
      }
    }
    r.collateralValue[i] = value;

    if (corporate) {
      let d = debtorIds.get(loan.debtorId);
      if (d === undefined) { d = debtorIds.size; debtorIds.set(loan.debtorId, d); }
      debtorOf[i] = d;
    }
  }

  // Contagion: sum outstanding per non-retail debtor, overall and non-performing.
  const m = debtorIds.size;
  if (m > 0) {
    const total = new Float64Array(m);
    const bad = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const d = debtorOf[i]!;
      if (d < 0) continue;
      total[d]! += r.outstanding[i]!;
      if (RULE_FLOOR[r.rule[i]!]! >= SUBSTANDARD) bad[d]! += r.outstanding[i]!;
    }
    const triggered = new Uint8Array(m); // 1 = bank, 2 = cross-bank
    for (let d = 0; d < m; d++) if (total[d]! >= SAFE_FOR_X10 || bigOutstanding) total[d] = -1; // recount exactly below
    if (total.some((t) => t < 0)) exactTotals(loans, debtorOf, r, total, bad, bigOutstanding);
    for (let d = 0; d < m; d++) {
      if (total[d]! < 0 ? bad[d] === 1 : bad[d]! * 10 > total[d]!) triggered[d] = 1;
    }
    if (req.debtors !== undefined) {
      if (!Array.isArray(req.debtors)) throw new ValidationError("debtors", "must be an array");
      req.debtors.forEach((x, j) => {
        if (x === null || typeof x !== "object" || typeof x.debtorId !== "string") throw new ValidationError(`debtors[${j}].debtorId`, "must be a string");
        const share = x.crossBankOverdue90Share;
        if (typeof share !== "number" || !(share >= 0 && share <= 1)) throw new ValidationError(`debtors[${j}].crossBankOverdue90Share`, "must be a number from 0 to 1");
        const d = debtorIds.get(x.debtorId);
        if (d !== undefined && crossBankContagion(share)) triggered[d] = triggered[d]! | 2;
      });
    }
    for (let i = 0; i < n; i++) {
      const d = debtorOf[i]!;
      if (d < 0 || triggered[d] === 0) continue;
      r.contagion[i] = 1;
      const t = triggered[d]!;
      // Keep the loan's own rule on a tie: contagion names the result only when it made it worse.
      if (t & 1 && RULE_FLOOR[r.rule[i]!]! < SUBSTANDARD) r.rule[i] = R_CONTAGION_BANK;
      else if (t & 2 && RULE_FLOOR[r.rule[i]!]! < SUBSTANDARD) r.rule[i] = R_CONTAGION_CROSS;
    }
  }

  const sig = options.signals;
  const sigCount = sig ? checkSignals(sig, n) : 0;
  let sk = 0;
  let nextSignalled = sigCount > 0 ? sig!.index[0]! : -1;
  const x: RiskInput = { daysPastDue: 0, classIndex: 0, productIndex: 0, creditCard: false, outstanding: 0, collateralValue: -1, contagion: false, inObservation: false, signals: undefined };
  const out = newRiskResult();
  for (let i = 0; i < n; i++) {
    const cls = RULE_FLOOR[r.rule[i]!]!;
    r.classIndex[i] = cls;
    x.daysPastDue = r.daysPastDue[i]!;
    x.classIndex = cls;
    x.productIndex = productIndex[i]!;
    x.creditCard = productIndex[i] === CARD;
    x.outstanding = r.outstanding[i]!;
    x.collateralValue = r.collateralValue[i]!;
    x.contagion = r.contagion[i] === 1;
    x.inObservation = r.inObservation[i] === 1;
    if (i === nextSignalled) {
      x.signals = sig!.signals[sk];
      nextSignalled = ++sk < sigCount ? sig!.index[sk]! : -1;
      scoreLoan(x, out);
    } else scorePlain(x, out);
    r.score[i] = out.score;
    r.grade[i] = out.grade;
    r.expectedLoss[i] = out.expectedLoss;
    r.priority[i] = out.priority;
    r.urgencyBps[i] = out.urgencyBps;
    r.reasonIds.set(out.reasonIds, 3 * i);
    r.reasonPoints.set(out.reasonPoints, 3 * i);
    r.urgencyIds.set(out.urgencyIds, 4 * i);
    r.urgencyBoosts.set(out.urgencyBoosts, 4 * i);
  }
  return r;
}

/** Checks that the signals' loan indices ascend within [0, n); returns how many there are. */
function checkSignals(s: LoanSignals, n: number): number {
  const m = s.index.length;
  if (s.signals.length !== m) throw new ValidationError("signals", "one list of signals per index");
  let prev = -1;
  for (let k = 0; k < m; k++) {
    const i = s.index[k]!;
    if (!Number.isInteger(i) || i <= prev || i >= n) throw new ValidationError(`signals.index[${k}]`, "ascending loan indices below the number of loans");
    prev = i;
  }
  return m;
}

/**
 * Exact bigint recount for debtors whose sums are too large for exact float arithmetic.
 * Marks such debtors with total = -1 and bad = 1 (triggered) or 0.
 */
function exactTotals(loans: LoanRequest[], debtorOf: Int32Array, r: BatchResult, total: Float64Array, bad: Float64Array, big: (bigint | undefined)[] | undefined): void {
  const m = total.length;
  const t = new Array<bigint>(m).fill(0n);
  const b = new Array<bigint>(m).fill(0n);
  for (let i = 0; i < debtorOf.length; i++) {
    const d = debtorOf[i]!;
    if (d < 0 || total[d]! >= 0) continue;
    const amount = big?.[i] ?? BigInt(loans[i]!.outstanding);
    t[d] = t[d]! + amount;
    if (RULE_FLOOR[r.rule[i]!]! >= SUBSTANDARD) b[d] = b[d]! + amount;
  }
  for (let d = 0; d < m; d++) if (total[d]! < 0) bad[d] = b[d]! * 10n > t[d]! ? 1 : 0;
}
