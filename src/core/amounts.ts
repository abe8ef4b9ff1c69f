/**
 * Claim amounts as of a cut-off date (基准日): principal, interest, penalty interest and compound
 * interest, from the contract's rates and the repayment history, with the amount a court would likely
 * allow. Pure: the cut-off is an argument; money is bigint fen; rates are exact fractions.
 *
 * How it counts (each rule with its source; the same texts go out in `method`):
 * - **Days.** A span from day a to day b counts b − a days (算头不算尾): interest runs from the
 *   disbursement day; a payment or a due date on day d takes effect at the start of d; the cut-off day
 *   itself is counted (the amounts are "as of the end of" 基准日).
 * - **Daily rate** = annual rate / 360, as Chinese banks compute it (中国人民银行《关于人民币存贷款计结息
 *   问题的通知》银发〔2005〕129号: 日利率 = 年利率 ÷ 360).
 * - **Rounding.** Half up (四舍五入) to the fen, once per accrual — an accrual is one span over which a
 *   balance and its rate stay the same, ending at the next due date, payment, fee or the cut-off.
 * - **Contract interest** accrues on principal not yet due and falls due with its installment (or the
 *   amount the schedule states for it). **Penalty interest** (罚息) replaces it on overdue principal, at the
 *   contract rate plus the agreed markup of 30%–50% (银发〔2003〕251号第三条); a contract without a markup
 *   gets the contract rate on overdue principal (民法典第六百七十六条). **Compound interest** (复利) accrues
 *   on contract interest due and unpaid, at the penalty rate, where the contract agrees it (same 第三条).
 * - **Payments** go to the costs of enforcing the claim, then interest, then principal (民法典第五百六十一条);
 *   within interest, overdue contract interest first, since it bears compound interest — the heavier burden
 *   (第五百六十条第二款) — then penalty, compound interest and the other charges. What exceeds everything
 *   due is held as a credit and applied at the next due date.
 * - **Court cap.** For a financial loan, interest, compound and penalty interest, liquidated damages and
 *   other fees above 24% a year may be cut down (法发〔2017〕22号第二条), fees that disguise interest
 *   included (九民纪要第51条); the costs of enforcement are outside it. The cap is 24% a year of the
 *   principal outstanding each day, over a calendar year of 365 days, from disbursement to the cut-off.
 *   What the charges exceed it by comes off the unpaid charges, and, where charges already paid exceed
 *   it, off the principal (民法典第六百八十条第一款).
 */
import type { Lang } from "../i18n/messages.js";
import { amountsNote, AMOUNT_RULES } from "../i18n/amounts.js";
import { formatDay } from "./dates.js";
import { formatMinor } from "./money.js";
import { parseAmountsRequest } from "./amounts/input.js";
import { accrue, bpsText, raise, reduce } from "./amounts/rates.js";
import {
  BANK_YEAR_DAYS, COURT_CAP_BPS, COURT_YEAR_DAYS, DISGUISED_INTEREST_FEES,
  type Allocation, type AmountStep, type LoanAmounts, type NormalLoan, type Rate,
} from "./amounts/types.js";

export * from "./amounts/types.js";
export { parseAmountsRequest } from "./amounts/input.js";
export { accrue, bpsText, parseBps, roundHalfUp } from "./amounts/rates.js";

const CAP_RATE: Rate = reduce({ num: BigInt(COURT_CAP_BPS), den: 10_000n });
const ZERO: Allocation = { enforcementFees: 0n, interest: 0n, penaltyInterest: 0n, compoundInterest: 0n, otherFees: 0n, principal: 0n };

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** What is owed at a moment of the computation. */
interface Balances {
  /** Principal not yet due. */
  current: bigint;
  /** Principal due and unpaid. */
  overdue: bigint;
  /** Contract interest accrued in the running period, not yet due. */
  accrued: bigint;
  /** Contract interest due and unpaid. */
  interestDue: bigint;
  penalty: bigint;
  compound: bigint;
  enforcementFees: bigint;
  otherFees: bigint;
  /** Paid ahead of anything due. */
  credit: bigint;
}

/**
 * Applies `amount` to what is due in the order of 民法典第561条 (fees of enforcement, interest, principal);
 * returns what went where and what is left over.
 */
function allocate(b: Balances, amount: bigint): { allocation: Allocation; rest: bigint } {
  let rest = amount;
  const take = (owed: bigint) => {
    const t = min(owed, rest);
    rest -= t;
    return t;
  };
  const allocation: Allocation = {
    enforcementFees: take(b.enforcementFees),
    interest: take(b.interestDue),
    penaltyInterest: take(b.penalty),
    compoundInterest: take(b.compound),
    otherFees: take(b.otherFees),
    principal: take(b.overdue),
  };
  b.enforcementFees -= allocation.enforcementFees;
  b.interestDue -= allocation.interest;
  b.penalty -= allocation.penaltyInterest;
  b.compound -= allocation.compoundInterest;
  b.otherFees -= allocation.otherFees;
  b.overdue -= allocation.principal;
  return { allocation, rest };
}

function addTo(total: Allocation, a: Allocation): void {
  for (const k of Object.keys(total) as Array<keyof Allocation>) total[k] += a[k];
}

/**
 * One loan's amounts as of `cutoff` (a China calendar day number).
 * @param withSteps also return every accrual, due date, fee and payment as it was applied
 */
export function loanAmounts(loan: NormalLoan, cutoff: number, withSteps = false): LoanAmounts {
  const penaltyRate = loan.markup ? raise(loan.rate, loan.markup) : loan.rate;
  const b: Balances = {
    current: loan.principal, overdue: 0n, accrued: 0n, interestDue: 0n, penalty: 0n, compound: 0n, enforcementFees: 0n, otherFees: 0n, credit: 0n,
  };
  const totals = { contractInterest: 0n, penalty: 0n, compound: 0n, feesInCap: 0n, disguisedFees: 0n, capLimit: 0n };
  const paid: Allocation = { ...ZERO };
  const steps: AmountStep[] = [];
  const notes: LoanAmounts["notes"] = [];
  const step = (s: AmountStep) => {
    if (withSteps) steps.push(s);
  };
  step({ at: formatDay(loan.disbursed), kind: "disbursed", principal: loan.principal });

  /** Interest of the days [from, to): one accrual per balance, each rounded half up to the fen. */
  function accrueSpan(from: number, to: number): void {
    const days = to - from;
    if (days <= 0) return;
    const span = (of: Extract<AmountStep, { kind: "accrual" }>["of"], base: bigint, rate: Rate, year: bigint) => {
      const amount = accrue(base, rate, days, year);
      if (base > 0n) step({ kind: "accrual", of, from: formatDay(from), to: formatDay(to - 1), days, base, rateBps: bpsText(rate), amount });
      return amount;
    };
    b.accrued += span("interest", b.current, loan.rate, BANK_YEAR_DAYS);
    const penalty = span("penalty-interest", b.overdue, penaltyRate, BANK_YEAR_DAYS);
    b.penalty += penalty;
    totals.penalty += penalty;
    if (loan.compound) {
      const compound = span("compound-interest", b.interestDue, penaltyRate, BANK_YEAR_DAYS);
      b.compound += compound;
      totals.compound += compound;
    }
    totals.capLimit += span("court-cap", b.current + b.overdue, CAP_RATE, COURT_YEAR_DAYS);
  }

  function applyCredit(day: number, field: string): void {
    if (b.credit === 0n) return;
    const { allocation, rest } = allocate(b, b.credit);
    const used = b.credit - rest;
    if (used === 0n) return;
    b.credit = rest;
    addTo(paid, allocation);
    step({ at: formatDay(day), kind: "credit-applied", field, amount: used, allocation, credit: b.credit });
  }

  // Every day something happens, in order; within a day: installments fall due, fees are charged, a credit
  // held from earlier pays what just fell due, then the day's payments are applied.
  const days = new Set<number>([loan.disbursed]);
  for (const i of loan.schedule) if (i.day <= cutoff) days.add(i.day);
  for (const p of loan.payments) days.add(p.day);
  for (const f of loan.fees) days.add(f.day);
  let si = 0, pi = 0, fi = 0;
  let day = loan.disbursed;
  for (const d of [...days].sort((x, y) => x - y)) {
    accrueSpan(day, d);
    day = d;
    for (; si < loan.schedule.length && loan.schedule[si]!.day === d; si++) {
      const inst = loan.schedule[si]!;
      const computed = b.accrued;
      const interest = inst.interest ?? computed;
      if (inst.interest !== undefined && inst.interest !== computed) {
        notes.push({ key: "stated-interest", vars: { field: inst.ref, stated: formatMinor(inst.interest), computed: formatMinor(computed) } });
      }
      b.current -= inst.principal;
      b.overdue += inst.principal;
      b.interestDue += interest;
      totals.contractInterest += interest;
      b.accrued = 0n;
      step({ at: formatDay(d), kind: "due", field: inst.ref, principal: inst.principal, interest, interestComputed: computed });
    }
    for (; fi < loan.fees.length && loan.fees[fi]!.day === d; fi++) {
      const fee = loan.fees[fi]!;
      const inCap = fee.kind !== "enforcement";
      const disguised = DISGUISED_INTEREST_FEES.includes(fee.kind);
      if (inCap) {
        b.otherFees += fee.amount;
        totals.feesInCap += fee.amount;
        if (disguised) totals.disguisedFees += fee.amount;
      } else {
        b.enforcementFees += fee.amount;
      }
      step({ at: formatDay(d), kind: "fee", field: fee.ref, feeKind: fee.kind, amount: fee.amount, inCap, disguisedInterest: disguised });
    }
    applyCredit(d, "credit");
    for (; pi < loan.payments.length && loan.payments[pi]!.day === d; pi++) {
      const p = loan.payments[pi]!;
      const { allocation, rest } = allocate(b, p.amount);
      addTo(paid, allocation);
      b.credit += rest;
      step({ at: formatDay(d), kind: "payment", field: p.ref, amount: p.amount, allocation, credit: b.credit });
    }
  }
  accrueSpan(day, cutoff + 1);
  totals.contractInterest += b.accrued;

  const principalOutstanding = b.current + b.overdue;
  const interest = b.interestDue + b.accrued;
  const fees = b.enforcementFees + b.otherFees;
  const gross = principalOutstanding + interest + b.penalty + b.compound + fees;
  const credit = min(b.credit, gross);
  const total = gross - credit;

  // 法发〔2017〕22号第二条: the charges above 24% a year come off; the costs of enforcement stay.
  const chargesContractual = totals.contractInterest + totals.penalty + totals.compound + totals.feesInCap;
  const chargesAllowed = min(chargesContractual, totals.capLimit);
  const excess = chargesContractual - chargesAllowed;
  const unpaidCharges = interest + b.penalty + b.compound + b.otherFees;
  const cutFromUnpaid = min(excess, unpaidCharges);
  const rest = excess - cutFromUnpaid;
  const appliedToPrincipal = min(rest, principalOutstanding);
  const courtTotal = total - min(total, cutFromUnpaid + appliedToPrincipal);

  if (!loan.markup && totals.penalty > 0n) notes.push({ key: "no-markup", vars: {} });
  if (totals.disguisedFees > 0n) notes.push({ key: "disguised-fees", vars: { amount: formatMinor(totals.disguisedFees) } });
  notes.push(excess > 0n
    ? { key: "cap-applied", vars: { charges: formatMinor(chargesContractual), cap: formatMinor(totals.capLimit), excess: formatMinor(excess) } }
    : { key: "cap-not-reached", vars: { charges: formatMinor(chargesContractual), cap: formatMinor(totals.capLimit) } });
  if (appliedToPrincipal > 0n) notes.push({ key: "paid-above-cap", vars: { amount: formatMinor(appliedToPrincipal) } });
  if (credit > 0n) notes.push({ key: "credit", vars: { amount: formatMinor(credit) } });

  return {
    id: loan.id,
    asOf: formatDay(cutoff),
    principalOutstanding,
    principalOverdue: b.overdue,
    interest,
    interestDue: b.interestDue,
    penaltyInterest: b.penalty,
    compoundInterest: b.compound,
    fees,
    feesEnforcement: b.enforcementFees,
    credit,
    total,
    paid,
    rates: {
      annualRateBps: bpsText(loan.rate),
      penaltyRateBps: bpsText(penaltyRate),
      penaltyMarkupBps: loan.markup ? bpsText(loan.markup) : null,
      compoundRateBps: loan.compound ? bpsText(penaltyRate) : null,
    },
    court: {
      total: courtTotal,
      cutBy: total - courtTotal,
      chargesContractual,
      chargesAllowed,
      chargesPaid: paid.interest + paid.penaltyInterest + paid.compoundInterest + paid.otherFees,
      cutFromUnpaid,
      appliedToPrincipal,
      overpaid: rest - appliedToPrincipal,
      disguisedFees: totals.disguisedFees,
    },
    notes,
    notCounted: loan.notCounted,
    ...(withSteps ? { steps } : {}),
  };
}

const s = formatMinor;

/** The court cap's basis, in Chinese: the articles that apply to this result. */
function capBasis(r: LoanAmounts): string {
  const parts = ["法发〔2017〕22号第二条"];
  if (r.court.disguisedFees > 0n) parts.push("《全国法院民商事审判工作会议纪要》第五十一条");
  if (r.court.appliedToPrincipal > 0n) parts.push("《民法典》第六百八十条第一款");
  return parts.join("；");
}

/** A type as it goes out on the wire: bigint fen as decimal strings. */
type Wire<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] extends Allocation ? Record<keyof Allocation, string> : T[K] };
/** A step as it goes out on the wire. */
export type AmountStepOut = AmountStep extends infer S ? (S extends AmountStep ? Wire<S> : never) : never;

function stepOut(st: AmountStep): AmountStepOut {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(st)) {
    if (typeof v === "bigint") out[k] = s(v);
    else if (v && typeof v === "object") out[k] = Object.fromEntries(Object.entries(v).map(([kk, vv]) => [kk, typeof vv === "bigint" ? s(vv) : vv]));
    else out[k] = v;
  }
  return out as AmountStepOut;
}

const allocationOut = (a: Allocation) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, s(v)])) as Record<keyof Allocation, string>;

/** One loan's result on the wire: money as decimal strings of fen, notes in `lang`. */
export function renderLoanAmounts(r: LoanAmounts, lang: Lang) {
  return {
    id: r.id,
    asOf: r.asOf,
    principalOutstanding: s(r.principalOutstanding),
    principalOverdue: s(r.principalOverdue),
    interest: s(r.interest),
    interestDue: s(r.interestDue),
    penaltyInterest: s(r.penaltyInterest),
    compoundInterest: s(r.compoundInterest),
    fees: s(r.fees),
    feesEnforcement: s(r.feesEnforcement),
    credit: s(r.credit),
    total: s(r.total),
    paid: allocationOut(r.paid),
    rates: r.rates,
    courtCapped: {
      total: s(r.court.total),
      cutBy: s(r.court.cutBy),
      capRateBps: String(COURT_CAP_BPS),
      chargesContractual: s(r.court.chargesContractual),
      chargesAllowed: s(r.court.chargesAllowed),
      chargesPaid: s(r.court.chargesPaid),
      cutFromUnpaid: s(r.court.cutFromUnpaid),
      appliedToPrincipal: s(r.court.appliedToPrincipal),
      overpaid: s(r.court.overpaid),
      basis: capBasis(r),
    },
    notes: r.notes.map((n) => ({ code: n.key, text: amountsNote(lang, n.key, n.vars) })),
    notCounted: r.notCounted.map((n) => ({ field: n.field, reason: n.reason })),
    ...(r.steps ? { steps: r.steps.map(stepOut) } : {}),
  };
}

/** The rules the computation follows, as the response's `method` states them. */
export function amountsMethod() {
  return { ...AMOUNT_RULES, allocation: [...AMOUNT_RULES.allocation] as string[], rules: { ...AMOUNT_RULES.rules } };
}

export type ClaimAmountsReport = { method: ReturnType<typeof amountsMethod>; results: Array<ReturnType<typeof renderLoanAmounts>> };

/**
 * POST /v1/claim-amounts in one call: checks the request (any JSON) and computes every loan as of its cutoff.
 * @throws ValidationError naming the field and the rule
 */
export function claimAmountsReport(body: unknown, lang: Lang): ClaimAmountsReport {
  const req = parseAmountsRequest(body);
  return { method: amountsMethod(), results: req.loans.map((l) => renderLoanAmounts(loanAmounts(l, req.cutoff, req.steps), lang)) };
}
