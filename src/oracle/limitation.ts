/**
 * Demands before a claim's 诉讼时效 ends: for a claim this organisation holds and reports on, whose limitation period
 * (from its record and evidence: src/app/limitation/of-claim.ts) ends within ORACLE_LIMITATION_DEMAND_DAYS, the
 * oracle records a demand letter (催收通知书) as evidence, once per claim and period end — for the holder to post
 * with proof of delivery: only a delivered demand interrupts the period (民法典第一百九十五条第一项; 诉讼时效规定第八条),
 * so the letter says its period and the interruption run from delivery. Nothing goes on chain: the letter is no
 * step of the clause ladder. A period that has already ended is not rescued by a demand (only the debtor's
 * acknowledgement revives it, 民法典第一百九十二条), nor is a debtor in bankruptcy or disputing the debt written to.
 */
import { chinaDayOfMs } from "../core/input-fields.js";
import { dayOf } from "../core/dates.js";
import { DEFAULT_CLAUSES } from "../core/claim-input.js";
import type { ReportFigures } from "../core/clauses.js";
import { TypedBatch } from "../store/db.js";
import { noticeText } from "./figures.js";
import { isoNow, type CycleSummary, type OracleDeps } from "./types.js";

/** ORACLE_LIMITATION_DEMAND_DAYS' default. */
export const LIMITATION_DEMAND_DAYS = 60;

/** Records the demand letters due among `items` (claims planned in this cycle from their holder's status). */
export async function limitationDemands(deps: OracleDeps, items: ReadonlyArray<{ claimId: string; figures: ReportFigures }>, summary: CycleSummary): Promise<void> {
  const within = deps.settings.limitationDemandDays ?? LIMITATION_DEMAND_DAYS;
  if (!deps.limitationOf || within === 0 || items.length === 0) return;
  const today = chinaDayOfMs(deps.clock.now());
  for (const { claimId, figures } of items) {
    const lim = await deps.limitationOf(claimId, today);
    if (!lim || lim.status === "expired" || dayOf(lim.lastDay) - today > within) continue;
    const key = `${claimId}!${lim.lastDay}`;
    if (await deps.repos.limitationDemands.get(key)) continue;
    const record = await deps.claims.get(claimId);
    if (!record || record.legal?.bankruptcy || record.legal?.objection) continue;
    const text = await noticeText(deps, "demand", claimId, figures, record.clauses?.noticeDays ?? DEFAULT_CLAUSES.noticeDays);
    const [recorded] = await deps.evidence.recordSystemMany([{
      claimId, kind: "letter", channel: "post", direction: "outbound", occurredAt: isoNow(deps), actor: "oracle",
      counterparty: { name: record.debtor.name, relation: "debtor" }, content: text.text,
    }]);
    await new TypedBatch().put(deps.repos.limitationDemands, key, { recordId: recorded!.recordId, lastDay: lim.lastDay, recordedAt: isoNow(deps) }).write(deps.repos.store);
    summary.limitationDemands = (summary.limitationDemands ?? 0) + 1;
    deps.log.info({ claimId, lastDay: lim.lastDay, recordId: recorded!.recordId }, "limitation demand recorded");
  }
}
