import { addMonths, formatDay } from "../dates.js";
import { runClock, statusOf, type ClockOutcome, type Step } from "./clock.js";
import { classifyEvent, effectiveDay } from "./steps.js";
import type { BasisEntry, NormalClaim, Period } from "./types.js";

/** 诉讼时效: three years (民法典第188条第1款). */
export const LITIGATION_MONTHS = 36;
/** 第188条第2款: no protection more than twenty years after the right was harmed (unless a court extends it). */
const LONGSTOP_MONTHS = 240;

/**
 * The main claim's 诉讼时效 (民法典第188条): three years from the day after the debt fell due — for a debt
 * paid in installments, from the last installment's due date (第189条; 诉讼时效规定第4条) — interrupted by
 * the debtor's events (see steps.ts), its last day moved past rest days (第203条). An acknowledgement
 * after the period ended takes the limitation defence away (第192条第2款; 规定第19条) and a new period runs
 * from it; a mere payment after it ended cannot be reclaimed but revives nothing.
 *
 * Events directed at a guarantor do not interrupt the debtor's period. Not computed when a judgment or
 * award is given: the enforcement period replaces it (see enforcement.ts).
 */
export function litigationPeriod(claim: NormalClaim, asOf: number): { period: Period; outcome: ClockOutcome } | undefined {
  if (claim.judgment || !claim.due) return undefined;
  const due = claim.due;
  const start: BasisEntry = due.installments
    ? { event: due.ref, effect: "start", key: "start-installments", vars: { date: formatDay(due.day) } }
    : { event: "maturityAt", effect: "start", key: "start-maturity", vars: { date: formatDay(due.day) } };
  const steps: Step[] = claim.events.map((e) =>
    e.party === "guarantor" && e.type !== "announcement"
      ? { ref: e.ref, order: e.index, day: effectiveDay(e), type: e.type, act: "none", key: "other-party", vars: { type: e.type, party: e.party } }
      : classifyEvent(e, claim.holder, "court", true),
  );
  const outcome = runClock({ asOf, start: due.day, months: LITIGATION_MONTHS, steps, extend: true });
  const basis = [start, ...outcome.basis];
  const longstop = addMonths(due.day, LONGSTOP_MONTHS);
  if (outcome.expiresAt > longstop) {
    basis.push({ event: due.ref, effect: "note", key: "twenty-years", vars: { date: formatDay(due.day), cap: formatDay(longstop) } });
  }
  const rule = due.installments ? "《民法典》第一百八十八条、第一百八十九条、第一百九十五条" : "《民法典》第一百八十八条、第一百九十五条";
  return {
    outcome,
    period: {
      kind: "litigation",
      expiresAt: formatDay(outcome.expiresAt),
      ...(outcome.extendedTo !== undefined ? { extendedTo: formatDay(outcome.extendedTo) } : {}),
      status: outcome.pending ? "running" : statusOf(outcome.lastDay, asOf),
      basis,
      rule,
    },
  };
}
