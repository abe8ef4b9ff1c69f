/**
 * Checks a claim-amount request and normalises it: dates to China calendar days, money to bigint fen,
 * rates to exact fractions. Every refusal is a {@link ValidationError} naming the field
 * (`loans[2].schedule[0].dueDate`) and a rule code.
 */
import { ValidationError } from "../errors.js";
import { parseMinor } from "../money.js";
import { array, chinaDay, flag, known, object, oneOf, opaqueId } from "../input-fields.js";
import { parseBps } from "./rates.js";
import {
  FEE_KINDS, MAX_FEES, MAX_LOANS, MAX_PAYMENTS, MAX_RATE_BPS, MAX_SCHEDULE, PENALTY_MARKUP_MAX_BPS, PENALTY_MARKUP_MIN_BPS,
  type FeeKind, type NormalAmountsRequest, type NormalFee, type NormalInstallment, type NormalLoan, type NormalPayment,
} from "./types.js";

function money(v: unknown, field: string, positive: boolean): bigint {
  let amount: bigint;
  try {
    amount = parseMinor(v, field);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(field, "fen", `${field}: must be a decimal string of fen (e.g. "1250000" for 12,500.00 yuan)`);
    throw e;
  }
  if (positive && amount === 0n) throw new ValidationError(field, "positive", `${field}: must be greater than zero`);
  return amount;
}

function parseSchedule(raw: unknown, field: string, disbursed: number): NormalInstallment[] {
  const rows = array(raw, field, MAX_SCHEDULE);
  if (rows.length === 0) throw new ValidationError(field, "non-empty", `${field}: at least one installment (a bullet loan has one)`);
  let last = disbursed;
  return rows.map((r, k) => {
    const f = `${field}[${k}]`;
    const row = object(r, f);
    known(row, ["dueDate", "principal", "interest"], f);
    const day = chinaDay(row.dueDate, `${f}.dueDate`);
    if (day <= last) {
      throw new ValidationError(`${f}.dueDate`, k === 0 ? "after-disbursement" : "ascending",
        k === 0 ? `${f}.dueDate: must be after disbursedAt` : `${f}.dueDate: must be after the previous installment's due date`);
    }
    last = day;
    const inst: NormalInstallment = { ref: `schedule[${k}]`, day, principal: money(row.principal, `${f}.principal`, false) };
    if (row.interest !== undefined) inst.interest = money(row.interest, `${f}.interest`, false);
    return inst;
  });
}

function parseLoan(raw: unknown, index: number, cutoff: number): NormalLoan {
  const field = `loans[${index}]`;
  const l = object(raw, field);
  known(l, ["id", "principal", "disbursedAt", "annualRateBps", "penaltyMarkupBps", "compound", "schedule", "payments", "fees"], field);
  const id = opaqueId(l.id, `${field}.id`);
  const principal = money(l.principal, `${field}.principal`, true);
  const disbursed = chinaDay(l.disbursedAt, `${field}.disbursedAt`);
  if (disbursed > cutoff) throw new ValidationError(`${field}.disbursedAt`, "after-cutoff", `${field}.disbursedAt: must not be after the cutoff`);
  if (l.annualRateBps === undefined) throw new ValidationError(`${field}.annualRateBps`, "required", `${field}.annualRateBps: the contract's annual rate in basis points is required`);
  const rate = parseBps(l.annualRateBps, `${field}.annualRateBps`, MAX_RATE_BPS);
  const loan: NormalLoan = {
    id, index, principal, disbursed, rate, compound: false, schedule: [], payments: [], fees: [], notCounted: [],
  };
  if (l.penaltyMarkupBps !== undefined) {
    const f = `${field}.penaltyMarkupBps`;
    const markup = parseBps(l.penaltyMarkupBps, f, MAX_RATE_BPS);
    // 银发〔2003〕251号第三条: 逾期贷款罚息利率为在借款合同载明的贷款利率水平上加收30%-50%.
    if (markup.num * 10_000n < BigInt(PENALTY_MARKUP_MIN_BPS) * markup.den || markup.num * 10_000n > BigInt(PENALTY_MARKUP_MAX_BPS) * markup.den) {
      throw new ValidationError(f, "pboc-30-50",
        `${f}: the penalty markup must be 3000–5000 basis points (30%–50% of the contract rate, 银发〔2003〕251号第三条); a contract outside the band is not computed`);
    }
    loan.markup = markup;
  }
  if (l.compound !== undefined) loan.compound = flag(l.compound, `${field}.compound`);
  loan.schedule = parseSchedule(l.schedule, `${field}.schedule`, disbursed);
  const scheduled = loan.schedule.reduce((s, i) => s + i.principal, 0n);
  if (scheduled !== principal) {
    throw new ValidationError(`${field}.schedule`, "principal-sum", `${field}.schedule: the installments' principal adds up to ${scheduled}, not the loan's principal ${principal}`);
  }

  const payments: NormalPayment[] = [];
  (l.payments === undefined ? [] : array(l.payments, `${field}.payments`, MAX_PAYMENTS)).forEach((r, k) => {
    const f = `${field}.payments[${k}]`;
    const p = object(r, f);
    known(p, ["paidAt", "amount"], f);
    const day = chinaDay(p.paidAt, `${f}.paidAt`);
    const amount = money(p.amount, `${f}.amount`, true);
    if (day < disbursed) throw new ValidationError(`${f}.paidAt`, "before-disbursement", `${f}.paidAt: must not be before disbursedAt`);
    if (day > cutoff) loan.notCounted.push({ field: `payments[${k}]`, reason: "after-cutoff" });
    else payments.push({ ref: `payments[${k}]`, day, amount });
  });
  const fees: NormalFee[] = [];
  (l.fees === undefined ? [] : array(l.fees, `${field}.fees`, MAX_FEES)).forEach((r, k) => {
    const f = `${field}.fees[${k}]`;
    const fee = object(r, f);
    known(fee, ["at", "amount", "kind"], f);
    const day = chinaDay(fee.at, `${f}.at`);
    const amount = money(fee.amount, `${f}.amount`, true);
    const kind = oneOf<FeeKind>(fee.kind, FEE_KINDS, `${f}.kind`);
    if (day < disbursed) throw new ValidationError(`${f}.at`, "before-disbursement", `${f}.at: must not be before disbursedAt`);
    if (day > cutoff) loan.notCounted.push({ field: `fees[${k}]`, reason: "after-cutoff" });
    else fees.push({ ref: `fees[${k}]`, day, amount, kind });
  });
  // Stable sort: the request's order within a day.
  loan.payments = payments.sort((a, b) => a.day - b.day);
  loan.fees = fees.sort((a, b) => a.day - b.day);
  return loan;
}

/**
 * Validates a claim-amount request (any JSON) and normalises it.
 * @throws ValidationError naming the field and the rule
 */
export function parseAmountsRequest(body: unknown): NormalAmountsRequest {
  const b = object(body, "body");
  known(b, ["cutoff", "steps", "loans"], "");
  const cutoff = chinaDay(b.cutoff, "cutoff");
  if (b.steps !== undefined) flag(b.steps, "steps");
  const raw = array(b.loans, "loans", MAX_LOANS);
  if (raw.length === 0) throw new ValidationError("loans", "non-empty", "loans: at least one loan");
  const seen = new Set<string>();
  const loans = raw.map((r, i) => {
    const loan = parseLoan(r, i, cutoff);
    if (seen.has(loan.id)) throw new ValidationError(`loans[${i}].id`, "unique", `loans[${i}].id: ${loan.id} appears twice`);
    seen.add(loan.id);
    return loan;
  });
  return { cutoff, steps: b.steps === true, loans };
}
