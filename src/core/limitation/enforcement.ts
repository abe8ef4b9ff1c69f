import { formatDay } from "../dates.js";
import { runClock, statusOf, type ClockOutcome } from "./clock.js";
import { classifyEvent, effectiveDay } from "./steps.js";
import type { NormalClaim, Period } from "./types.js";

/** 申请执行期间: two years (民事诉讼法（2023年修正）第250条第1款). */
export const ENFORCEMENT_MONTHS = 24;

/**
 * The period to apply for enforcement of a judgment or award (民事诉讼法（2023年修正）第250条): two years
 * from the last day of performance the judgment sets (第2款). Its interruption follows the rules on
 * 诉讼时效 (第1款): a delivered demand, a payment or an acknowledgement by the debtor interrupts it, and an
 * application for enforcement interrupts it until the enforcement proceedings end. Events on or before
 * the last day of performance belong to the proceedings that led to the judgment and are not counted.
 * An acknowledgement after the period ended is not treated as reviving it (no rule says so for
 * enforcement; a buyer should not rely on it).
 */
export function enforcementPeriod(claim: NormalClaim, asOf: number): { period: Period; outcome: ClockOutcome } | undefined {
  if (!claim.judgment) return undefined;
  const performBy = claim.judgment.performBy;
  const steps = claim.events
    .filter((e) => (e.party === "debtor" || e.type === "announcement") && effectiveDay(e) > performBy)
    .map((e) => classifyEvent(e, claim.holder, "enforcement", false));
  const outcome = runClock({ asOf, start: performBy, months: ENFORCEMENT_MONTHS, steps, extend: true });
  return {
    outcome,
    period: {
      kind: "enforcement",
      expiresAt: formatDay(outcome.expiresAt),
      ...(outcome.extendedTo !== undefined ? { extendedTo: formatDay(outcome.extendedTo) } : {}),
      status: outcome.pending ? "running" : statusOf(outcome.lastDay, asOf),
      basis: [{ event: "judgment.performBy", effect: "start", key: "start-enforcement", vars: { date: formatDay(performBy) } }, ...outcome.basis],
      rule: "《民事诉讼法》（2023年修正）第二百五十条",
    },
  };
}
