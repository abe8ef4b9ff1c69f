/**
 * Settlement plans in exact integers: fixed-point discount factors (scale 10^18), installments that sum to
 * the total, the plan document and its hash (see ../mediation.ts, "Money in plans").
 */
import { addMonths, formatDay, parseDay } from "../dates.js";
import { canonicalHash } from "../canonical.js";
import { ValidationError } from "../errors.js";
import type { MediationFacts, MediationModel, OfferType, SettlementPlan } from "./types.js";

// Fixed-point present values

/** Scale of the fixed-point discount factors. */
export const S = 10n ** 18n;

/** floor(n^(1/k)) for n ≥ 0 (Newton from above). */
function iroot(n: bigint, k: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << (BigInt(n.toString(2).length) / k + 1n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * Discount factors `v(m) = (1 + r)^(-m/12)` for m = 0..months, scaled by 10^18 (integers).
 * @param rateBps annual effective rate, bps
 */
export function discountFactors(rateBps: number, months: number): bigint[] {
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 100_000) throw new ValidationError("discountRateBps", "integer 0..100000");
  const monthly = iroot(S ** 13n / (S + (S * BigInt(rateBps)) / 10_000n), 12n);
  const out = [S];
  for (let m = 1; m <= months; m++) out.push((out[m - 1]! * monthly) / S);
  return out;
}

/** Present value of `amount` fen at factor `v` (scaled), rounded half up. */
export function pvOf(amount: bigint, v: bigint): bigint {
  return (amount * v + S / 2n) / S;
}

// ---------------------------------------------------------------------------------------------
// Plans

/**
 * Splits `total` fen into `n` installments that sum to it exactly: whole yuan each, the last carrying the
 * remainder (so it is at most n−1 yuan and 99 fen more than the others); whole fen when the total is
 * under one yuan per installment.
 * @throws ValidationError when n is not a positive integer or the total is under one fen per installment
 */
export function splitInstallments(total: bigint, n: number): bigint[] {
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new ValidationError("installments", "integer 1..600");
  const count = BigInt(n);
  if (total < count) throw new ValidationError("total", "at-least-one-fen-per-installment");
  const unit = total >= 100n * count ? 100n : 1n;
  const each = (total / count / unit) * unit;
  const out = new Array<bigint>(n).fill(each);
  out[n - 1] = total - each * (count - 1n);
  return out;
}

/** keccak256 of the plan's canonical JSON (RFC 8785), `0x` + 64 lowercase hex. */
export function planHashOf(plan: SettlementPlan): string {
  return canonicalHash(plan);
}

export function buildPlan(f: MediationFacts, type: OfferType, discountBps: number, n: number, model: MediationModel): SettlementPlan {
  const issued = parseDay(f.asOfDate, "asOfDate");
  const total = f.outstanding - (f.outstanding * BigInt(discountBps)) / 10_000n;
  const amounts = splitInstallments(total, n);
  const dueDays = type === "lump-sum" ? [issued + model.lumpSumDueDays] : amounts.map((_, k) => addMonths(issued, k + 1));
  return {
    version: 1,
    claimId: f.claimId.toLowerCase(),
    type,
    currency: f.currency ?? "CNY",
    outstanding: f.outstanding.toString(),
    discountBps,
    total: total.toString(),
    forgiven: (f.outstanding - total).toString(),
    installments: amounts.map((a, k) => ({ n: k + 1, dueDate: formatDay(dueDays[k]!), amount: a.toString() })),
    issuedOn: formatDay(issued),
    validUntil: formatDay(issued + model.validityDays),
    onDefault: "original-claim-less-payments",
  };
}
