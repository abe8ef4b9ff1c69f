import { CLASSIFICATIONS } from "../../core/classification.js";
import { dayOf } from "../../core/dates.js";
import type { TapeSource } from "../../core/market/loan-tape.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { PortfolioRow } from "../portfolio/rows.js";
import type { Party } from "../access.js";

/** What the tape's sources are read from at the seller's node: its records, the console's model, periods, valuations. */
export interface SourceDeps {
  records: { get(claimId: string): Promise<ClaimRecord | undefined> };
  /** The console's read model (src/app/portfolio/model.ts): the chain's figures and the core's assessment per claim. */
  model: { sync(): Promise<{ asOfBlock: number | null; rows: ReadonlyMap<string, PortfolioRow> }> };
  /** The console's limitation periods (src/app/portfolio/limitation.ts). */
  limitations: {
    ensure(ids: Iterable<string>, today: number): Promise<void>;
    of(id: string, today: number): { status: "running" | "expiring" | "expired"; lastDay: string } | null;
  };
  /** A claim's assessment as of a day (GET /v1/claims/:id/assessment): its collateral's valuation, where one runs. */
  assess(caller: Party, claimId: string, q: { asOf: string; collateralAgeYears?: string }): Promise<{
    result: { valuation?: { value: string; p10: string; p90: string }; collateralValue?: string };
  }>;
}

/**
 * Each claim's record and figures for the tape (src/core/market/loan-tape.ts takes of them only what it names):
 * balance, days past due and class as the console shows them (the chain's last applied report, else the
 * registration; the core's class without a report), the disposal model's path and expected recovery, the
 * limitation period at the cut-off, and the collateral's value range — P10–P90 from the comparables where the
 * collateral's facts allow a valuation, else its appraisal (a point).
 */
export async function tapeSources(deps: SourceDeps, seller: Party, claimIds: readonly string[], cutOff: string): Promise<{ sources: TapeSource[]; asOfBlock: number | null; missing: string[] }> {
  const view = await deps.model.sync();
  const cut = dayOf(cutOff);
  await deps.limitations.ensure(claimIds, cut);
  const sources: TapeSource[] = [];
  const missing: string[] = [];
  for (const id of claimIds) {
    const [record, row] = [await deps.records.get(id), view.rows.get(id)];
    if (!record || !row) {
      missing.push(id);
      continue;
    }
    const col = record.collateral as Record<string, unknown> | undefined;
    const age = typeof col?.ageYears === "number" ? String(col.ageYears) : undefined;
    let valuation: TapeSource["valuation"] = null;
    if (col) {
      const a = await deps.assess(seller, id, { asOf: cutOff, ...(age ? { collateralAgeYears: age } : {}) });
      const v = a.result.valuation;
      if (v) valuation = { p10: BigInt(v.p10), p50: BigInt(v.value), p90: BigInt(v.p90), method: "comparables" };
      else if (a.result.collateralValue) {
        const x = BigInt(a.result.collateralValue);
        valuation = { p10: x, p50: x, p90: x, method: "appraisal" };
      }
    }
    const lim = deps.limitations.of(id, cut);
    sources.push({
      claimId: id,
      record: record as unknown as TapeSource["record"],
      figures: { outstanding: row.outstanding, daysPastDue: row.daysPastDue, classification: Math.min(row.classification, CLASSIFICATIONS.length - 1), from: row.figuresFrom },
      valuation,
      disposal: row.recommended ? { path: row.recommended.path, expectedRecovery: row.expectedRecovery } : null,
      limitation: lim ? { status: lim.status, lastDay: lim.lastDay } : null,
    });
  }
  return { sources, asOfBlock: view.asOfBlock, missing };
}
