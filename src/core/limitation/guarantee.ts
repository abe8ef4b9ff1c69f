import { addMonths, formatDay } from "../dates.js";
import { runClock, statusOf, type Step } from "./clock.js";
import { classifyEvent, effectiveDay } from "./steps.js";
import type { BasisEntry, ClaimEvent, NormalClaim, Period } from "./types.js";

/** 保证期间 when none is agreed: six months from the main debt's due date (民法典第692条第2款). */
export const GUARANTEE_DEFAULT_MONTHS = 6;
/** The guarantee debt's 诉讼时效: three years (第188条, as for any claim). */
const GUARANTEE_LITIGATION_MONTHS = 36;

/**
 * The guarantee (保证) of a claim: first its 保证期间, then — once the creditor used that period — the
 * guarantee debt's own 诉讼时效.
 *
 * - 保证期间 (民法典第692条): as agreed, but an agreed end on or before the main debt's due date counts as
 *   none; none agreed → six months from the due date. It is not suspended, interrupted or extended
 *   (第1款) — nor moved past rest days here: whether 第203条 applies to it is disputed, and a buyer should
 *   not rely on it.
 * - The creditor keeps the guarantee only by acting within that period (第693条): for a joint guarantee
 *   (连带责任保证, 第688条) by asking the guarantor to perform (a demand **delivered** to the guarantor, or a
 *   suit against it); for a general guarantee (一般保证, 第687条) only by suing the debtor or applying for
 *   arbitration — suing the general guarantor alone is dismissed (担保制度解释第26条第1款). Once the
 *   period passed unused, a guarantor's later signature does not revive it (担保制度解释第34条第2款).
 * - Then (第694条): for a joint guarantee the guarantee debt's three-year 诉讼时效 runs from the request, and
 *   is interrupted by the guarantor's own events (and, for an AMC's claim, by its announcement, which
 *   法〔2005〕62号 gives the same effect on the guarantee); for a general guarantee it runs only from
 *   when the guarantor's 先诉抗辩权 ends (第687条第2款; 担保制度解释第28条: enforcement against the debtor
 *   terminated, or one year after the court received the application) — facts this request does not
 *   carry, so the result gives the earliest end possible and says so.
 *
 * When the guarantee was claimed in time the result is the `guarantee-litigation` period (the guarantee
 * period no longer matters); otherwise the `guarantee-period`.
 */
export function guaranteePeriod(claim: NormalClaim, asOf: number, main: Period | undefined): Period | undefined {
  if (!claim.guarantee || !claim.due) return undefined;
  const { type, periodEndsAt } = claim.guarantee;
  const due = claim.due.day;
  const joint = type === "joint";
  const basis: BasisEntry[] = [];
  let end: number;
  if (periodEndsAt !== undefined && periodEndsAt > due) {
    end = periodEndsAt;
    basis.push({ event: "guarantee.periodEndsAt", effect: "start", key: "guarantee-agreed", vars: { date: formatDay(end), due: formatDay(due) } });
  } else {
    if (periodEndsAt !== undefined) {
      basis.push({ event: "guarantee.periodEndsAt", effect: "note", key: "guarantee-agreed-ignored", vars: { agreed: formatDay(periodEndsAt), due: formatDay(due) } });
    }
    end = addMonths(due, GUARANTEE_DEFAULT_MONTHS);
    basis.push({ event: claim.due.ref, effect: "start", key: "guarantee-default", vars: { due: formatDay(due), date: formatDay(end) } });
  }

  const relevant = claim.events
    .filter((e) => e.party === "guarantor" || e.type === "announcement" || (!joint && e.type === "suit"))
    .sort((a, b) => effectiveDay(a) - effectiveDay(b) || a.index - b.index);
  let preservedBy: ClaimEvent | undefined;
  const later: ClaimEvent[] = [];
  for (const e of relevant) {
    if (preservedBy) { later.push(e); continue; }
    const d = effectiveDay(e);
    const vars = { type: e.type, party: e.party, date: formatDay(d) };
    const entry = (key: string, extra: Record<string, string> = {}) =>
      basis.push({ event: e.ref, effect: "no-effect", key, vars: { ...vars, ...extra } });
    if (d > asOf) { entry("after-as-of", { asOf: formatDay(asOf) }); continue; }
    if (d > end) { entry("guarantee-after-period", { end: formatDay(end) }); continue; }
    if (d <= due) { entry("guarantee-before-period", { due: formatDay(due) }); continue; }
    const asks = joint
      ? e.party === "guarantor" && ((e.type === "demand" && e.deliveredAt !== undefined) || e.type === "suit")
      : e.party === "debtor" && e.type === "suit";
    if (asks) {
      preservedBy = e;
      basis.push({ event: e.ref, effect: "preserved", key: joint ? "guarantee-joint-preserved" : "guarantee-general-preserved", vars: { ...vars, end: formatDay(end) } });
    } else if (e.type === "demand" && e.deliveredAt === undefined) entry("guarantee-undelivered");
    else if (e.type === "announcement") entry("guarantee-announcement");
    else if (joint) entry("guarantee-joint-needs-request");
    else if (e.type === "suit") entry("guarantee-general-suit-guarantor");
    else entry("guarantee-general-needs-suit");
  }

  if (!preservedBy) {
    basis.push({ event: "guarantee", effect: "note", key: "guarantee-no-interruption", vars: {} });
    return {
      kind: "guarantee-period",
      expiresAt: formatDay(end),
      status: statusOf(end, asOf),
      basis,
      rule: joint ? "《民法典》第六百九十二条、第六百九十三条第二款" : "《民法典》第六百九十二条、第六百九十三条第一款",
    };
  }

  if (!joint) {
    const earliest = addMonths(asOf, GUARANTEE_LITIGATION_MONTHS);
    basis.push({ event: "guarantee", effect: "note", key: "guarantee-general-not-started", vars: { asOf: formatDay(asOf), earliest: formatDay(earliest) } });
    return {
      kind: "guarantee-litigation",
      expiresAt: formatDay(earliest),
      status: "running",
      basis,
      rule: "《民法典》第六百八十七条第二款、第六百九十三条第一款、第六百九十四条第一款",
    };
  }

  const p = effectiveDay(preservedBy);
  const steps: Step[] = [];
  if (preservedBy.type === "suit") steps.push(classifyEvent(preservedBy, claim.holder, "court", true));
  for (const e of later) steps.push(classifyEvent(e, claim.holder, "court", true));
  const outcome = runClock({ asOf, start: p, months: GUARANTEE_LITIGATION_MONTHS, steps, extend: true });
  basis.push(...outcome.basis);
  if (main?.kind === "litigation" && main.status === "expired") {
    basis.push({ event: "litigation", effect: "note", key: "guarantee-debtor-defence", vars: { date: main.extendedTo ?? main.expiresAt } });
  }
  return {
    kind: "guarantee-litigation",
    expiresAt: formatDay(outcome.expiresAt),
    ...(outcome.extendedTo !== undefined ? { extendedTo: formatDay(outcome.extendedTo) } : {}),
    status: outcome.pending ? "running" : statusOf(outcome.lastDay, asOf),
    basis,
    rule: "《民法典》第六百九十三条第二款、第六百九十四条第二款",
  };
}
