import { DURABLE, TypedBatch } from "../../store/db.js";
import type { OutboundHandover } from "../../store/repos/handover.js";
import type { HandoverDeps } from "./deps.js";

export interface RetentionRun {
  asOf: string;
  /** Claims whose personal data this node deleted, per sale. */
  erased: Array<{ handoverId: string; claimId: string; erased: string[] }>;
  /** Sales past their retention period that keep their copy, and why. */
  kept: Array<{ handoverId: string; claimId?: string; reason: "not-delivered" | "held-here-again" }>;
}

/**
 * The seller's copy of a sold claim's personal data is deleted once its retention period ended
 * (PIPL 第47条; HANDOVER_RETENTION_DAYS from the sale's block time): the loan record, the evidence
 * bodies and counterparties (the records' hashes stay, so the evidence chain and its anchors still
 * verify), the handed-over copy, the files this node had received for the claim, and the text of the
 * sale's assignment notice (its commitment on chain stays). Time is an argument: the job runs as of `nowMs`.
 *
 * A copy is kept when the buyer never acknowledged the files (it would be the only one) or when an
 * account of this node holds the claim again (bought back: the data is needed again). A buyer this node
 * serves itself (`local`) shares the record: nothing is deleted.
 */
export async function runRetention(deps: HandoverDeps, nowMs: number): Promise<RetentionRun> {
  const { repos } = deps;
  const out: RetentionRun = { asOf: new Date(nowMs).toISOString(), erased: [], kept: [] };
  const due: OutboundHandover[] = [];
  for await (const h of repos.outbound.values()) {
    if (h.retainUntil === undefined || Date.parse(h.retainUntil) > nowMs) continue;
    if (h.status === "delivered") due.push(h);
    else if (h.status === "sending") out.kept.push({ handoverId: h.id, reason: "not-delivered" });
  }
  for (const h of due) {
    const at = new Date(nowMs).toISOString();
    for (const claimId of h.claimIds) {
      const { claim } = await deps.index.claim(claimId);
      if (claim && deps.accounts.has(claim.holder.toLowerCase())) {
        out.kept.push({ handoverId: h.id, claimId, reason: "held-here-again" });
        continue;
      }
      const erased: string[] = [];
      // Each step is idempotent: a run cut short is finished by the next (the sale stays due until marked).
      const bodies = await deps.evidence.eraseBodies(claimId);
      if (bodies > 0) erased.push(`evidence-bodies:${bodies}`);
      const batch = new TypedBatch();
      if (await deps.claims.get(claimId)) {
        batch.del(deps.claims, claimId);
        erased.push("loan-record");
      }
      batch.del(repos.outFiles, `${h.id}!${claimId}`);
      erased.push("handover-copy");
      for await (const [key] of repos.inFiles.iterator({ gt: `${claimId}!`, lt: `${claimId}!~` })) {
        batch.del(repos.inFiles, key);
        erased.push(`received-file:${key.split("!")[1]}`);
      }
      batch.del(repos.inLatest, claimId);
      batch.put(repos.erasures, `${at}!${claimId}`, { handoverId: h.id, claimId, at, retainUntil: h.retainUntil!, erased });
      await batch.write(deps.store);
      out.erased.push({ handoverId: h.id, claimId, erased });
    }
    await deps.eraseNotice(h.id);
    await repos.outbound.put(h.id, { ...h, status: "erased", erasedAt: at }, DURABLE);
  }
  if (out.erased.length > 0) deps.onImported(out.erased.map((e) => e.claimId));
  return out;
}
