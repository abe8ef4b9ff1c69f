import { ValidationError } from "./errors.js";
import { addMonths, dayOf, parseDay } from "./dates.js";

/**
 * Days past due (逾期天数) and arrears from a repayment schedule and the payments received.
 *
 * Rules, in order:
 * - Payments are applied first-in-first-out: each payment pays the oldest unpaid installment (principal
 *   and interest together), so a partial payment leaves the rest of that installment overdue.
 * - Only payments made on or before `asOf` count; a payment on day `d` counts on day `d`.
 * - An installment is *late* when it is not fully paid by its due date. Days past due at `asOf` are
 *   `asOf − dueDate` of the oldest installment still unpaid. A contractual grace period (宽限期) does not
 *   change this: it waives default interest, it does not make an unpaid installment current, so it never
 *   lowers the classification (《商业银行金融资产风险分类办法》第九条第一项: the only allowance is a delay of at
 *   most 7 days the bank flags as technical, which the classifier applies, not this module).
 * - Arrears are the unpaid part of installments due on or before `asOf`, split into the buckets
 *   1–30, 31–60, 61–90, 91–180, 181–270, 271–360, >360 days by each installment's own age.
 * - A restructuring's observation period (分类办法第二十条) starts at the first due date after the
 *   restructuring, lasts at least one year and at least two consecutive repayment periods (to the second due
 *   date after its start, whichever is later), and restarts from a payment missed in it (an installment not
 *   paid in full on its due date).
 *
 * Amounts here are safe integers of fen (at most 15 digits per installment or payment: under 10 trillion
 * yuan), so the hot path needs no bigint; outputs are formatted back to decimal strings by the caller.
 */

/** Arrears bucket labels, in order. */
export const ARREARS_BUCKETS = ["1-30", "31-60", "61-90", "91-180", "181-270", "271-360", ">360"] as const;
export type ArrearsBucket = (typeof ARREARS_BUCKETS)[number];

/** Index into {@link ARREARS_BUCKETS} for a positive number of days overdue. */
export function bucketIndex(days: number): number {
  if (days <= 30) return 0;
  if (days <= 60) return 1;
  if (days <= 90) return 2;
  if (days <= 180) return 3;
  if (days <= 270) return 4;
  if (days <= 360) return 5;
  return 6;
}

/** The bucket label of a loan `days` past due, or "current" at 0. */
export function bucketOf(days: number): ArrearsBucket | "current" {
  return days <= 0 ? "current" : ARREARS_BUCKETS[bucketIndex(days)]!;
}

/** A schedule and its payments as day numbers and fen, sorted by day. Reused across loans to avoid allocation. */
export interface ScheduleData {
  count: number;
  dueDays: Float64Array;
  dueAmounts: Float64Array;
  paymentCount: number;
  paidDays: Float64Array;
  paidAmounts: Float64Array;
}

/** Scratch space for {@link parseScheduleInto}; grows as needed. */
export function newScheduleData(capacity = 64): ScheduleData {
  return {
    count: 0,
    dueDays: new Float64Array(capacity),
    dueAmounts: new Float64Array(capacity),
    paymentCount: 0,
    paidDays: new Float64Array(capacity),
    paidAmounts: new Float64Array(capacity),
  };
}

const MAX_AMOUNT_DIGITS = 15;

/** Parses a decimal fen string of at most 15 digits to a number, or returns -1. Allocation-free. */
export function smallMinor(value: unknown): number {
  if (typeof value !== "string") return -1;
  const n = value.length;
  if (n === 0 || n > MAX_AMOUNT_DIGITS || (n > 1 && value.charCodeAt(0) === 48)) return -1;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

function amountOf(value: unknown, field: string): number {
  const x = smallMinor(value);
  if (x < 0) throw new ValidationError(field, "must be a decimal string of fen with at most 15 digits");
  return x;
}

function grow(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export interface ScheduleRow { dueDate: string; principal: string; interest?: string }
export interface PaymentRow { paidAt: string; amount: string }

/**
 * Validates a schedule and payments (wire shape) into `out`, sorted by day.
 * @param prefix field path of the loan, e.g. "loans[3]"
 * @throws ValidationError naming e.g. "loans[3].schedule[2].dueDate"
 */
export function parseScheduleInto(out: ScheduleData, schedule: unknown, payments: unknown, prefix: string): ScheduleData {
  if (!Array.isArray(schedule) || schedule.length === 0) throw new ValidationError(`${prefix}.schedule`, "must be a non-empty array of installments");
  if (payments !== undefined && !Array.isArray(payments)) throw new ValidationError(`${prefix}.payments`, "must be an array");
  const n = schedule.length;
  const m = payments ? (payments as unknown[]).length : 0;
  out.dueDays = grow(out.dueDays, n);
  out.dueAmounts = grow(out.dueAmounts, n);
  out.paidDays = grow(out.paidDays, m);
  out.paidAmounts = grow(out.paidAmounts, m);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const row = schedule[i] as ScheduleRow;
    if (row === null || typeof row !== "object") throw new ValidationError(`${prefix}.schedule[${i}]`, "must be an object");
    let day = dayOf(row.dueDate);
    if (day !== day) day = parseDay(row.dueDate, `${prefix}.schedule[${i}].dueDate`);
    const amount = amountOf(row.principal, `${prefix}.schedule[${i}].principal`)
      + (row.interest === undefined ? 0 : amountOf(row.interest, `${prefix}.schedule[${i}].interest`));
    if (i > 0 && day < out.dueDays[i - 1]!) sorted = false;
    out.dueDays[i] = day;
    out.dueAmounts[i] = amount;
  }
  if (!sorted) sortPairs(out.dueDays, out.dueAmounts, n);
  let paidSorted = true;
  for (let i = 0; i < m; i++) {
    const row = (payments as PaymentRow[])[i]!;
    if (row === null || typeof row !== "object") throw new ValidationError(`${prefix}.payments[${i}]`, "must be an object");
    let day = dayOf(row.paidAt);
    if (day !== day) day = parseDay(row.paidAt, `${prefix}.payments[${i}].paidAt`, true);
    const amount = amountOf(row.amount, `${prefix}.payments[${i}].amount`);
    if (i > 0 && day < out.paidDays[i - 1]!) paidSorted = false;
    out.paidDays[i] = day;
    out.paidAmounts[i] = amount;
  }
  if (!paidSorted) sortPairs(out.paidDays, out.paidAmounts, m);
  out.count = n;
  out.paymentCount = m;
  return out;
}

/** Insertion sort of (day, amount) pairs by day; schedules are short and usually sorted already. */
function sortPairs(days: Float64Array, amounts: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const d = days[i]!, a = amounts[i]!;
    let j = i - 1;
    while (j >= 0 && days[j]! > d) { days[j + 1] = days[j]!; amounts[j + 1] = amounts[j]!; j--; }
    days[j + 1] = d;
    amounts[j + 1] = a;
  }
}

/** What the schedule says about a loan at `asOf`. Reused across loans (see {@link newRepaymentFacts}). */
export interface RepaymentFacts {
  /** Days past due at asOf (0 when current or within grace). */
  daysPastDue: number;
  /** Worst days past due ever reached up to asOf. */
  maxDaysPastDue: number;
  /** Worst days past due reached before the restructuring day (0 when not restructured). */
  maxDaysPastDueBeforeRestructuring: number;
  /** Unpaid fen of installments due on or before asOf. */
  arrears: number;
  /** Arrears per bucket of {@link ARREARS_BUCKETS}. */
  buckets: Float64Array;
  /** Day the last late installment was finally paid (arrears fully repaid), or NaN if never late. */
  arrearsRepaidOn: number;
  /**
   * First day on which an NPL may be upgraded: the later of six months after `arrearsRepaidOn` and the
   * second due date after it (two repayment periods, the longer of the two). NaN if never late.
   */
  cureCompleteOn: number;
  /**
   * Restructuring observation (分类办法第二十条): its start (the first due date strictly after the restructuring
   * day, or the missed due date it last restarted from), NaN when the schedule has no due date after the
   * restructuring (or none was given).
   */
  observationStartsOn: number;
  /** First day after the observation period (in observation while asOf < this), NaN when not known from the schedule. */
  observationEndsOn: number;
  /** An installment due in the observation period was not paid in full on its due date (so the period restarted). */
  missedInObservation: boolean;
}

export function newRepaymentFacts(): RepaymentFacts {
  return {
    daysPastDue: 0, maxDaysPastDue: 0, maxDaysPastDueBeforeRestructuring: 0, arrears: 0,
    buckets: new Float64Array(ARREARS_BUCKETS.length), arrearsRepaidOn: NaN, cureCompleteOn: NaN,
    observationStartsOn: NaN, observationEndsOn: NaN, missedInObservation: false,
  };
}

/** The second due date strictly after `day` (two consecutive repayment periods from it), or NaN. */
function secondDueAfter(s: ScheduleData, day: number): number {
  let seen = 0;
  for (let i = 0; i < s.count; i++) if (s.dueDays[i]! > day && ++seen === 2) return s.dueDays[i]!;
  return NaN;
}

/** End (exclusive) of an observation period starting on `start`: one year, or two repayment periods if longer. */
function observationEnd(s: ScheduleData, start: number): number {
  const year = addMonths(start, 12);
  const periods = secondDueAfter(s, start);
  return periods === periods && periods > year ? periods : year;
}

/**
 * Applies payments to the schedule (FIFO) and derives the facts the classification needs.
 * @param asOf day number of the assessment
 * @param restructuredOn day number of a restructuring, or NaN
 */
export function repaymentFacts(s: ScheduleData, asOf: number, restructuredOn: number, out: RepaymentFacts = newRepaymentFacts()): RepaymentFacts {
  out.daysPastDue = 0;
  out.maxDaysPastDue = 0;
  out.maxDaysPastDueBeforeRestructuring = 0;
  out.arrears = 0;
  out.buckets.fill(0);
  out.arrearsRepaidOn = NaN;
  out.cureCompleteOn = NaN;
  out.observationStartsOn = NaN;
  out.observationEndsOn = NaN;
  out.missedInObservation = false;

  let p = 0; // next payment
  let paid = 0; // cumulative fen paid by payments[0..p)
  let due = 0; // cumulative fen due through installment i
  let repaidOn = -Infinity;
  for (let i = 0; i < s.count; i++) {
    const dueDay = s.dueDays[i]!;
    const amount = s.dueAmounts[i]!;
    const before = due;
    due += amount;
    // Observation starts at the first due date after the restructuring (分类办法第二十条).
    if (dueDay > restructuredOn && out.observationStartsOn !== out.observationStartsOn) {
      out.observationStartsOn = dueDay;
      out.observationEndsOn = observationEnd(s, dueDay);
    }
    if (dueDay > asOf) continue;
    // Advance payments until this installment is covered (or payments up to asOf run out).
    while (paid < due && p < s.paymentCount && s.paidDays[p]! <= asOf) paid += s.paidAmounts[p++]!;
    const payoff = paid >= due ? (amount === 0 || p === 0 ? -Infinity : s.paidDays[p - 1]!) : Infinity;
    // A payment made before the due date still pays on the due date for lateness purposes.
    const lateness = (payoff === Infinity ? asOf : Math.max(payoff, dueDay)) - dueDay;
    if (lateness > out.maxDaysPastDue) out.maxDaysPastDue = lateness;
    if (restructuredOn === restructuredOn && dueDay < restructuredOn) {
      const before = Math.min(payoff === Infinity ? asOf : Math.max(payoff, dueDay), restructuredOn) - dueDay;
      if (before > out.maxDaysPastDueBeforeRestructuring) out.maxDaysPastDueBeforeRestructuring = before;
    }
    if (payoff === Infinity) {
      const unpaid = due - Math.max(paid, before);
      out.arrears += unpaid;
      if (lateness > 0) out.buckets[bucketIndex(lateness)]! += unpaid;
      if (out.daysPastDue === 0 && lateness > 0) out.daysPastDue = lateness;
    } else if (lateness > 0 && payoff > repaidOn) {
      repaidOn = payoff;
    }
    // A payment missed in the observation period restarts it from the missed due date.
    if (lateness > 0 && dueDay >= out.observationStartsOn && dueDay < out.observationEndsOn) {
      out.missedInObservation = true;
      out.observationStartsOn = dueDay;
      out.observationEndsOn = observationEnd(s, dueDay);
    }
  }
  if (repaidOn !== -Infinity) {
    out.arrearsRepaidOn = repaidOn;
    let second = NaN;
    let seen = 0;
    for (let i = 0; i < s.count; i++) {
      if (s.dueDays[i]! > repaidOn && ++seen === 2) { second = s.dueDays[i]!; break; }
    }
    const sixMonths = addMonths(repaidOn, 6);
    out.cureCompleteOn = second === second ? Math.max(sixMonths, second) : sixMonths;
  }
  return out;
}
