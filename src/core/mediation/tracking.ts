/** Installment tracking: which installments of an accepted plan are paid, partly paid, missed or upcoming. */
import { formatDay, parseDay } from "../dates.js";
import { ValidationError } from "../errors.js";
import type { InstallmentDue, SettlementPlan } from "./types.js";

// Installment tracking

export type InstallmentState = "paid" | "partly-paid" | "missed" | "upcoming";

export interface TrackedInstallment extends InstallmentDue {
  /** Fen of this installment covered by payments so far. */
  paid: string;
  state: InstallmentState;
  /** Day the payments first covered it in full (when payments are known). */
  paidOn?: string;
}

export interface InstallmentTracking {
  asOfDate: string;
  /** Where the payments came from. */
  source: "payments" | "outstanding" | "none";
  installments: TrackedInstallment[];
  paidTotal: string;
  remaining: string;
  paidCount: number;
  missedCount: number;
  /** The first installment not paid in full, if any. */
  nextDue: InstallmentDue | null;
  completed: boolean;
}

/**
 * Which installments are paid, partly paid, missed or upcoming at `asOfDate`. Payments are applied to
 * the installments in order (the oldest due first), as banks allocate them. Payments before the plan was
 * issued are ignored. Without payments, `paidTotal` (e.g. outstanding at acceptance less outstanding now)
 * is applied the same way. An installment is missed when its due date is before `asOfDate` and it is not
 * paid in full.
 *
 * @throws ValidationError for bad dates or amounts
 */
export function trackInstallments(
  plan: SettlementPlan,
  input: { asOfDate: string; payments?: ReadonlyArray<{ paidAt: string; amount: bigint }>; paidTotal?: bigint },
): InstallmentTracking {
  const asOf = parseDay(input.asOfDate, "asOfDate", true);
  const issued = parseDay(plan.issuedOn, "plan.issuedOn");
  const payments = (input.payments ?? [])
    .map((p, i) => {
      if (typeof p.amount !== "bigint" || p.amount < 0n) throw new ValidationError(`payments[${i}].amount`, "non-negative fen");
      return { day: parseDay(p.paidAt, `payments[${i}].paidAt`, true), amount: p.amount };
    })
    .filter((p) => p.day >= issued && p.day <= asOf)
    .sort((a, b) => a.day - b.day);
  const source: InstallmentTracking["source"] = input.payments && input.payments.length > 0 ? "payments" : input.paidTotal !== undefined ? "outstanding" : "none";
  const paidTotal = source === "payments" ? payments.reduce((s, p) => s + p.amount, 0n) : input.paidTotal !== undefined && input.paidTotal > 0n ? input.paidTotal : 0n;
  const out: TrackedInstallment[] = [];
  let cumDue = 0n;
  let paidCount = 0;
  let missedCount = 0;
  let nextDue: InstallmentDue | null = null;
  for (const due of plan.installments) {
    const a = BigInt(due.amount);
    const covered = paidTotal - cumDue <= 0n ? 0n : paidTotal - cumDue >= a ? a : paidTotal - cumDue;
    cumDue += a;
    const dueDay = parseDay(due.dueDate, "dueDate");
    const state: InstallmentState = covered === a ? "paid" : dueDay < asOf ? "missed" : covered > 0n ? "partly-paid" : "upcoming";
    const row: TrackedInstallment = { ...due, paid: covered.toString(), state };
    if (state === "paid" && source === "payments") {
      let cum = 0n;
      for (const p of payments) {
        cum += p.amount;
        if (cum >= cumDue) {
          row.paidOn = formatDay(p.day);
          break;
        }
      }
    }
    if (state === "paid") paidCount++;
    if (state === "missed") missedCount++;
    if (state !== "paid" && !nextDue) nextDue = due;
    out.push(row);
  }
  const total = BigInt(plan.total);
  return {
    asOfDate: formatDay(asOf),
    source,
    installments: out,
    paidTotal: paidTotal.toString(),
    remaining: (paidTotal >= total ? 0n : total - paidTotal).toString(),
    paidCount,
    missedCount,
    nextDue,
    completed: paidCount === out.length,
  };
}
