import { ValidationError } from "./errors.js";
import { parseMinor } from "./money.js";
import { PRODUCTS, DEBTOR_TYPES, type Product, type DebtorType } from "./claim-input.js";
import { addMonths, dayOf, parseDay } from "./dates.js";
import { newRepaymentFacts, newScheduleData, parseScheduleInto, repaymentFacts, smallMinor } from "./dpd.js";
import {
  CLASSIFICATIONS, MAX_TECHNICAL_DELAY_DAYS, RULE_FLOOR, R_CONTAGION_BANK, R_CONTAGION_CROSS, R_NON_RETAIL_NPL, R_NPL_OTHER_IMPAIRED,
  SPECIAL_MENTION, SUBSTANDARD, crossBankContagion, ownRule, retailForClassification,
  type LoanStatus,
} from "./classification.js";
import { newRiskResult, scoreLoan, scorePlain, type RiskInput } from "./risk.js";
import type { AssessmentRequest, BatchOptions, BatchResult, LoanRequest, LoanSignals } from "./batch-types.js";

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
export type * from "./batch-types.js";

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
  const technical = options.technicalDelayDays ?? MAX_TECHNICAL_DELAY_DAYS;
  if (!Number.isInteger(technical) || technical < 0 || technical > MAX_TECHNICAL_DELAY_DAYS) {
    throw new ValidationError("technicalDelayDays", `must be an integer from 0 to ${MAX_TECHNICAL_DELAY_DAYS} (分类办法第九条第一项: 7天内)`);
  }
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
  // Non-retail loans (分类办法第八条: sme and card loans are retail): index per debtorId, -1 for retail loans.
  const debtorOf = new Int32Array(n).fill(-1);
  const debtorIds = new Map<string, number>();
  // Non-retail debtors with any debt (retail or not) of theirs non-performing here (分类办法第九条第四项).
  let corporateNpl: Set<string> | undefined;
  // Loans that were non-performing and have cured (分类办法第十三条 then asks about the debtor's other assets).
  let cured: number[] | undefined;
  let bigOutstanding: (bigint | undefined)[] | undefined;

  const schedule = newScheduleData();
  const facts = newRepaymentFacts();
  const status: LoanStatus = {
    daysPastDue: 0, creditCard: false, technicalDelay: false, cardFraud: false, inObservation: false,
    nonPerformingBeforeRestructuring: false, missedInObservation: false, upgradePending: false,
  };

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
    if (loan.technicalDelay !== undefined && typeof loan.technicalDelay !== "boolean") fail(i, "technicalDelay", "must be a boolean");
    if (loan.cardFraud !== undefined && typeof loan.cardFraud !== "boolean") fail(i, "cardFraud", "must be a boolean");
    if (loan.cardFraud === true && p !== CARD) fail(i, "cardFraud", "applies to credit-card loans only (信用卡办法第九十三条)");

    let restructuredOn = NaN;
    if (loan.restructuredAt !== undefined) {
      restructuredOn = dayOf(loan.restructuredAt);
      if (restructuredOn !== restructuredOn) restructuredOn = parseDay(loan.restructuredAt, `loans[${i}].restructuredAt`);
      if (restructuredOn > asOf) fail(i, "restructuredAt", "must not be after asOf");
    }
    let firstDueOn = NaN;
    if (loan.restructuredFirstDueAt !== undefined) {
      if (restructuredOn !== restructuredOn) fail(i, "restructuredFirstDueAt", "needs restructuredAt");
      firstDueOn = parseDay(loan.restructuredFirstDueAt, `loans[${i}].restructuredFirstDueAt`);
      if (firstDueOn <= restructuredOn) fail(i, "restructuredFirstDueAt", "must be after restructuredAt");
    }
    let prior = -1;
    if (loan.priorClassification !== undefined) {
      prior = CLASS_INDEX.get(loan.priorClassification) ?? -1;
      if (prior < 0) fail(i, "priorClassification", `must be one of ${CLASSIFICATIONS.join(", ")}`);
    }
    const priorNpl = prior >= SUBSTANDARD;
    if (loan.graceDays !== undefined) {
      const grace = loan.graceDays;
      if (!Number.isInteger(grace) || grace < 0 || grace > 90) fail(i, "graceDays", "must be an integer from 0 to 90");
    }

    let dpd: number;
    let wasNpl = priorNpl;
    let nplBeforeRestructuring = priorNpl;
    let cureOn = NaN;
    let observationEnds = NaN;
    let missed = false;
    if (loan.schedule !== undefined) {
      parseScheduleInto(schedule, loan.schedule, loan.payments, `loans[${i}]`);
      repaymentFacts(schedule, asOf, restructuredOn, facts);
      dpd = facts.daysPastDue;
      if (loan.daysPastDue !== undefined && loan.daysPastDue !== dpd) fail(i, "daysPastDue", `disagrees with the schedule and payments (${dpd} days)`);
      if (facts.maxDaysPastDue > 90) wasNpl = true;
      if (facts.maxDaysPastDueBeforeRestructuring > 90) nplBeforeRestructuring = true;
      cureOn = facts.cureCompleteOn;
      observationEnds = facts.observationEndsOn;
      missed = facts.missedInObservation;
      r.hasSchedule[i] = 1;
    } else {
      dpd = loan.daysPastDue as number;
      if (!Number.isInteger(dpd) || dpd < 0 || dpd > 36_500) fail(i, "daysPastDue", "must be an integer from 0 to 36500, or give schedule and payments");
      if (loan.arrearsRepaidAt !== undefined) {
        const repaid = parseDay(loan.arrearsRepaidAt, `loans[${i}].arrearsRepaidAt`);
        cureOn = addMonths(repaid, 6);
      }
    }

    // Observation (分类办法第二十条): from the first due date after restructuring, at least a year and two
    // repayment periods, restarted by a missed payment. Without the restructured schedule: from
    // restructuredFirstDueAt (else one month after restructuring), a year; an overdue loan restarted it.
    let inObservation = false;
    if (restructuredOn === restructuredOn) {
      if (observationEnds !== observationEnds) {
        const start = firstDueOn === firstDueOn ? firstDueOn : addMonths(restructuredOn, 1);
        observationEnds = addMonths(start, 12);
        if (dpd > 0) {
          missed = true;
          observationEnds = Math.max(observationEnds, addMonths(asOf - dpd, 12));
        }
      }
      inObservation = asOf < observationEnds;
    }
    status.daysPastDue = dpd;
    status.creditCard = p === CARD;
    status.technicalDelay = loan.technicalDelay === true;
    status.cardFraud = loan.cardFraud === true;
    status.inObservation = inObservation;
    status.nonPerformingBeforeRestructuring = nplBeforeRestructuring;
    status.missedInObservation = missed;
    status.upgradePending = wasNpl && !(dpd === 0 && cureOn === cureOn && asOf >= cureOn);
    const rule = ownRule(status, technical);
    r.daysPastDue[i] = dpd;
    r.rule[i] = rule;
    r.inObservation[i] = inObservation ? 1 : 0;
    if (wasNpl && !status.upgradePending && RULE_FLOOR[rule]! < SUBSTANDARD) (cured ??= []).push(i);
    if (corporate && RULE_FLOOR[rule]! >= SUBSTANDARD) (corporateNpl ??= new Set()).add(loan.debtorId);

    let value = values ? values[i]! : NaN;
    if (!(value >= 0)) {
      value = -1;
      const c = loan.collateral;
      if (c !== undefined && c.appraisedValue !== undefined) {
        value = smallMinor(c.appraisedValue);
        if (value < 0) value = Number(parseMinor(c.appraisedValue, `loans[${i}].collateral.appraisedValue`));
        if (c.registration === "none") value = 0; // secures nothing against third parties (民法典第四百零二、四百零三条)
      }
    }
    r.collateralValue[i] = value;

    if (corporate && !retailForClassification(loan.debtorType, loan.product)) {
      let d = debtorIds.get(loan.debtorId);
      if (d === undefined) { d = debtorIds.size; debtorIds.set(loan.debtorId, d); }
      debtorOf[i] = d;
    }
  }

  // The debtors' own statements (other banks, assets not in the request).
  let otherImpaired: Set<string> | undefined;
  const m = debtorIds.size;
  const triggered = new Uint8Array(m); // 1 = bank 10%, 2 = cross-bank 20%, 4 = non-performing debt anywhere
  if (req.debtors !== undefined) {
    if (!Array.isArray(req.debtors)) throw new ValidationError("debtors", "must be an array");
    req.debtors.forEach((x, j) => {
      if (x === null || typeof x !== "object" || typeof x.debtorId !== "string") throw new ValidationError(`debtors[${j}].debtorId`, "must be a string");
      const share = x.crossBankOverdue90Share;
      if (share !== undefined && (typeof share !== "number" || !(share >= 0 && share <= 1))) throw new ValidationError(`debtors[${j}].crossBankOverdue90Share`, "must be a number from 0 to 1");
      if (x.nonPerformingElsewhere !== undefined && typeof x.nonPerformingElsewhere !== "boolean") throw new ValidationError(`debtors[${j}].nonPerformingElsewhere`, "must be a boolean");
      if (x.otherCreditImpairedAtBank !== undefined && typeof x.otherCreditImpairedAtBank !== "boolean") throw new ValidationError(`debtors[${j}].otherCreditImpairedAtBank`, "must be a boolean");
      if (x.otherCreditImpairedAtBank === true) (otherImpaired ??= new Set()).add(x.debtorId);
      const d = debtorIds.get(x.debtorId);
      if (d === undefined) return;
      if (share !== undefined && crossBankContagion(share)) triggered[d] = triggered[d]! | 2;
      // Any of its debt elsewhere overdue more than 90 days is a non-performing debt elsewhere (第十条第一项);
      // a credit-impaired asset here is a non-performing one here (第十条第二项).
      if (x.nonPerformingElsewhere === true || x.otherCreditImpairedAtBank === true || (share !== undefined && share > 0)) triggered[d] = triggered[d]! | 4;
    });
  }

  // Upgrade of a cured NPL only if the debtor has no other credit-impaired asset here (分类办法第十三条).
  if (cured !== undefined) {
    const impaired = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (RULE_FLOOR[r.rule[i]!]! < SUBSTANDARD) continue;
      const id = loans[i]!.debtorId;
      impaired.set(id, (impaired.get(id) ?? 0) + 1);
    }
    for (const i of cured) {
      const id = loans[i]!.debtorId;
      if ((impaired.get(id) ?? 0) > 0 || otherImpaired?.has(id)) r.rule[i] = R_NPL_OTHER_IMPAIRED;
    }
  }

  // Non-retail debtor-level rules: sum outstanding per debtor, overall and non-performing.
  if (m > 0) {
    const total = new Float64Array(m);
    const bad = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const d = debtorOf[i]!;
      if (d < 0) continue;
      total[d]! += r.outstanding[i]!;
      if (RULE_FLOOR[r.rule[i]!]! >= SUBSTANDARD) bad[d]! += r.outstanding[i]!;
    }
    for (let d = 0; d < m; d++) if (total[d]! >= SAFE_FOR_X10 || bigOutstanding) total[d] = -1; // recount exactly below
    if (total.some((t) => t < 0)) exactTotals(loans, debtorOf, r, total, bad, bigOutstanding);
    for (let d = 0; d < m; d++) {
      if (total[d]! < 0 ? bad[d] === 1 : bad[d]! * 10 > total[d]!) triggered[d] = triggered[d]! | 1;
    }
    if (corporateNpl !== undefined) for (const [id, d] of debtorIds) if (corporateNpl.has(id)) triggered[d] = triggered[d]! | 4;
    for (let i = 0; i < n; i++) {
      const d = debtorOf[i]!;
      if (d < 0 || triggered[d] === 0) continue;
      const t = triggered[d]!;
      const floor = RULE_FLOOR[r.rule[i]!]!;
      // Keep the loan's own rule on a tie: a debtor-level rule names the result only when it made it worse.
      if (t & 1 && floor < SUBSTANDARD) r.rule[i] = R_CONTAGION_BANK;
      else if (t & 2 && floor < SUBSTANDARD) r.rule[i] = R_CONTAGION_CROSS;
      else if (t & 4 && floor < SPECIAL_MENTION) r.rule[i] = R_NON_RETAIL_NPL;
      if (t & 3 || floor < SPECIAL_MENTION) r.contagion[i] = 1;
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
