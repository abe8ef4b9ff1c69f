import type { RelistClaim } from "../../core/market/relist.js";
import type { Party } from "../access.js";
import { tapeSources, type SourceDeps } from "../market-room/sources.js";

/**
 * The claims of an unsold package as the relist advice reads them (src/core/market/relist.ts), from the same
 * sources as a data room's tape (../market-room/sources.ts: the console's figures, the disposal model, the
 * limitation periods, the collateral valuations) plus the read model's present values of the recommended path
 * and of a package sale. A claim's value range is the claim's — P50 its expected recovery (at most its balance),
 * P10 and P90 at its collateral valuation's relative spread — as the matching reads a tape (loan-tape.ts
 * tapeSummary). A claim this node has no record of counts unvalued.
 */
export async function relistClaims(deps: SourceDeps, seller: Party, claimIds: readonly string[], today: string): Promise<RelistClaim[]> {
  const { sources } = await tapeSources(deps, seller, claimIds, today);
  const rows = (await deps.model.sync()).rows;
  const byId = new Map(sources.map((s) => [s.claimId.toLowerCase(), s]));
  return claimIds.map((raw) => {
    const id = raw.toLowerCase();
    const s = byId.get(id);
    const row = rows.get(id);
    if (!s || !row) return { claimId: id, balance: row?.outstanding ?? 0n, value: null, disposal: null, limitation: null, region: row?.region ?? null, collateralType: "unsecured", personal: row?.retail ?? false };
    const balance = s.figures.outstanding;
    const col = s.valuation;
    let p50 = s.disposal ? s.disposal.expectedRecovery : col ? col.p50 : 0n;
    if (p50 > balance) p50 = balance;
    const scale = (x: bigint) => (col && col.p50 > 0n ? (p50 * x) / col.p50 : p50);
    const p10 = scale(col?.p10 ?? 0n);
    let p90 = scale(col?.p90 ?? 0n);
    p90 = p90 > balance ? balance : p90 < p50 ? p50 : p90;
    const type = typeof s.record.collateral?.type === "string" ? String(s.record.collateral.type).toLowerCase() : "unsecured";
    return {
      claimId: id, balance, value: { p10: p10 > p50 ? p50 : p10, p50, p90 },
      disposal: row.recommended ? { path: row.recommended.path, presentValue: row.recommended.presentValue, saleValue: row.packagePrice } : null,
      limitation: s.limitation?.status ?? null, region: row.region ?? row.facts.collateral?.region ?? null,
      collateralType: row.facts.collateral ? type || "unsecured" : "unsecured", personal: row.retail,
    };
  });
}
