import { TypedBatch } from "../store/db.js";
import type { ReportFigures } from "../core/clauses.js";
import type { OracleDeps, StoredReport } from "./types.js";

/**
 * A refusal between oracle operators, kept so that each operator's status shows where the organisations'
 * data disagree (issue 16): `peer-refused` — a peer would not co-sign this daemon's report; `refused-peer` —
 * this daemon would not co-sign a peer's. `no-matching-status` (the operator holds no data of that claim and
 * day) is kept as `no-data`, every other reason as `disagrees`.
 */
export interface Disagreement {
  claimId: string;
  side: "peer-refused" | "refused-peer";
  /** The peer's URL (peer-refused) or the asking key's name (refused-peer). */
  party: string;
  reason: string;
  kind: "no-data" | "disagrees";
  /** The report in question: its nonce, asOf (unix seconds) and figures. */
  report: { nonce: number; asOf: string; daysPastDue: number; outstanding: string; collateralValue: string; classification: number };
  /** This operator's own figures for the same claim and day, where it had some (refused-peer, figures-differ). */
  ours?: { daysPastDue: number; outstanding: string; collateralValue: string; classification: number };
  /** When this refusal (this report, this reason) was first seen. */
  at: string;
}

export const disagreementKey = (d: Pick<Disagreement, "claimId" | "side" | "party">) => `${d.claimId.toLowerCase()}!${d.side}!${d.party}`;

const reportOf = (r: StoredReport): Disagreement["report"] => ({
  nonce: r.nonce, asOf: r.asOf, daysPastDue: r.daysPastDue, outstanding: r.outstanding, collateralValue: r.collateralValue, classification: r.classification,
});

const oursOf = (f: ReportFigures): NonNullable<Disagreement["ours"]> => ({
  daysPastDue: f.daysPastDue, outstanding: f.outstanding.toString(), collateralValue: f.collateralValue.toString(), classification: f.classification,
});

/** Collects refusals and writes the new ones in one batch (a refusal repeated cycle after cycle is written once). */
export function disagreementWriter(deps: Pick<OracleDeps, "repos" | "clock">) {
  const found: Disagreement[] = [];
  return {
    add(claimId: string, side: Disagreement["side"], party: string, reason: string, report: StoredReport, ours?: ReportFigures) {
      found.push({
        claimId: claimId.toLowerCase(), side, party, reason, kind: reason === "no-matching-status" ? "no-data" : "disagrees",
        report: reportOf(report), ...(ours ? { ours: oursOf(ours) } : {}), at: new Date(deps.clock.now()).toISOString(),
      });
    },
    async write(): Promise<void> {
      if (found.length === 0) return;
      const { repos } = deps;
      const before = await Promise.all(found.map((d) => repos.disagreements.get(disagreementKey(d))));
      const batch = new TypedBatch();
      found.forEach((d, i) => {
        const b = before[i];
        if (b && b.reason === d.reason && b.report.nonce === d.report.nonce && b.report.asOf === d.report.asOf) return;
        batch.put(repos.disagreements, disagreementKey(d), d);
      });
      found.length = 0;
      await batch.write(repos.store);
    },
  };
}

/** What the oracle status shows: counts and the most recent refusals, disagreements first. */
export async function disagreementsView(deps: Pick<OracleDeps, "repos">, limit = 20) {
  const all: Disagreement[] = [];
  for await (const d of deps.repos.disagreements.values()) all.push(d);
  all.sort((a, b) => (a.kind === b.kind ? b.at.localeCompare(a.at) : a.kind === "disagrees" ? -1 : 1));
  return {
    disagrees: all.filter((d) => d.kind === "disagrees").length,
    noData: all.filter((d) => d.kind === "no-data").length,
    recent: all.slice(0, limit),
  };
}
