import { documentCommitment, newSalt } from "../core/commitment.js";
import { planReport, type CaseView, type ReportFigures, type ReportPlan } from "../core/clauses.js";
import { ValidationError } from "../core/errors.js";
import { reportHash, type Report } from "../chain/reports.js";
import { TypedBatch } from "../store/db.js";
import { mayPropose } from "../app/access.js";
import { clearMarks, dirtyMarks } from "./dirty.js";
import { caseView, fail, noticeText, score, termsOf } from "./figures.js";
import { limitationDemands } from "./limitation.js";
import { PLAN_CHUNK, ZERO_HASH, fromReport, isoNow, type CycleSummary, type OracleDeps, type PendingReport, type StoredStatus } from "./types.js";

/** The transitions that escalate collection: each sends a notice or starts arbitration. */
const ESCALATIONS: ReadonlySet<string> = new Set(["warned", "demanded", "in-arbitration"]);

/** Whether the holder recorded the debtor's bankruptcy or a pending objection in the claim's record here. */
async function collectionPaused(deps: OracleDeps, claimId: string): Promise<boolean> {
  const record = await deps.claims.get(claimId);
  return Boolean(record?.legal?.bankruptcy || record?.legal?.objection);
}

const skip = (summary: CycleSummary, reason: string) => (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1);

/**
 * Plans the reports of the dirty claims; each is written (with its notice's evidence record) before anything
 * else happens. Nothing is signed here: the quorum signs whole batches when they are sent (peers.ts). Returns the claims planned now (their case was read in this cycle).
 */
export async function plan(deps: OracleDeps, summary: CycleSummary): Promise<Set<string>> {
  const { repos, chain } = deps;
  const plannedNow = new Set<string>();
  const marks = await dirtyMarks(repos);
  summary.considered = marks.size;
  if (marks.size === 0) return plannedNow;
  const items: StoredStatus[] = [];
  for (const id of marks.keys()) {
    const p = await repos.pending.get(id);
    if (p?.status === "submitted") continue; // its transaction decides first
    const s = await repos.statuses.get(id);
    if (s) items.push(s);
  }
  let scored: Map<string, ReportFigures>;
  try {
    scored = await score(deps, items);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    // One bad status must not stop the others: score one by one to find it.
    scored = new Map();
    for (const s of items) {
      try {
        for (const [k, v] of await score(deps, [s])) scored.set(k, v);
      } catch (err) {
        await fail(deps, s.claimId, "invalid-status", (err as Error).message);
        const batch = new TypedBatch();
        clearMarks(batch, repos, marks.get(s.claimId)!);
        await batch.write(repos.store);
      }
    }
  }
  const chainTime = (await chain.provider.getBlock("latest"))!.timestamp;
  const ready = items.filter((s) => scored.has(s.claimId));
  // The chain is read a chunk at a time: concurrent calls travel as one JSON-RPC batch, where one
  // call after another paid a round trip (and ethers' batch stall) per claim.
  for (let i = 0; i < ready.length; i += PLAN_CHUNK) {
    const chunk = ready.slice(i, i + PLAN_CHUNK);
    const [cases, lasts, holders] = await Promise.all([
      Promise.all(chunk.map((s) => caseView(deps, s.claimId))),
      Promise.all(chunk.map((s) => repos.applied.get(s.claimId))),
      Promise.all(chunk.map((s) => chain.registry.holderOf(s.claimId))),
    ]);
    const terms = await Promise.all(chunk.map((s, k) => (cases[k].warnDays === 0 ? termsOf(deps, s.claimId) : cases[k])));
    const batch = new TypedBatch();
    let plannedHere = 0;
    const reporting: Array<{ s: StoredStatus; k: number; figures: ReportFigures; c: CaseView; decision: ReportPlan }> = [];
    for (const [k, s] of chunk.entries()) {
      // Proposed only from a status of the claim's holder now (or the servicer it named): not from one the
      // seller posted before a sale, nor from anyone else's. Checked here, as the holder may have changed
      // since the status was accepted.
      if (!s.source || !mayPropose(s.source, holders[k])) {
        skip(summary, "not-from-holder");
        clearMarks(batch, repos, marks.get(s.claimId)!);
        continue;
      }
      const figures = scored.get(s.claimId)!;
      const c = cases[k];
      const lastApplied = lasts[k];
      const last = lastApplied
        ? { ...lastApplied.figures, outstanding: BigInt(lastApplied.figures.outstanding), collateralValue: BigInt(lastApplied.figures.collateralValue) }
        : undefined;
      const decision = planReport(figures, c, terms[k], last, chainTime);
      if ("skip" in decision) {
        skip(summary, decision.skip);
        clearMarks(batch, repos, marks.get(s.claimId)!);
        batch.del(repos.pending, s.claimId);
        continue;
      }
      // A debtor in bankruptcy (企业破产法第16、19、21条: no individual collection, claims only filed with the
      // administrator) or with a pending 异议: the ladder does not move on — no notice, no arbitration — until the
      // holder records that it ended (PUT /v1/claims/:id/legal-status). Figures alone still go on chain.
      if (decision.transitions.some((t) => ESCALATIONS.has(t)) && (await collectionPaused(deps, s.claimId))) {
        skip(summary, "collection-paused");
        clearMarks(batch, repos, marks.get(s.claimId)!);
        batch.del(repos.pending, s.claimId);
        continue;
      }
      reporting.push({ s, k, figures, c, decision });
    }
    // The chunk's notices are rendered and recorded as evidence in one batch, before the reports are
    // written: a crash in between plans them again, and each notice is found (not recorded twice) by
    // its content.
    const noticed = reporting.filter((r) => r.decision.notice);
    const rendered = await Promise.all(noticed.map(async ({ s, k, figures, decision }) => {
      const [text, record] = await Promise.all([
        noticeText(deps, decision.notice!, s.claimId, figures, terms[k].noticeDays),
        deps.claims.get(s.claimId),
      ]);
      return { text, record };
    }));
    const recorded = noticed.length === 0 ? [] : await deps.evidence.recordSystemMany(noticed.map(({ s, figures }, k) => ({
      claimId: s.claimId,
      kind: "notice",
      channel: "post",
      direction: "outbound",
      occurredAt: new Date(figures.asOf * 1000).toISOString(),
      actor: "oracle",
      counterparty: rendered[k].record ? { name: rendered[k].record!.debtor.name, relation: "debtor" } : { name: `debtor-of-${s.claimId}`, relation: "debtor" },
      content: rendered[k].text.text,
      // A fresh salt; a notice found already recorded (a re-plan after a crash) keeps the salt it has.
      documentSalt: newSalt(),
    })));
    const notices = new Map<string, NonNullable<PendingReport["notice"]>>();
    noticed.forEach(({ s, decision }, k) => {
      if (recorded[k].created) summary.notices++;
      const { contentHash } = rendered[k].text;
      // Recorded before notices were salted: one now (kept with the pending report only).
      const document = recorded[k].document ?? (() => {
        const salt = newSalt();
        return { salt, commitment: documentCommitment(salt, contentHash) };
      })();
      notices.set(s.claimId, {
        type: decision.notice!, text: rendered[k].text.text, contentHash, salt: document.salt, commitment: document.commitment, recordId: recorded[k].recordId,
      });
    });
    for (const { s, figures, c, decision } of reporting) {
      const noticeInfo = notices.get(s.claimId);
      const report: Report = {
        claimId: s.claimId,
        asOf: BigInt(figures.asOf),
        daysPastDue: figures.daysPastDue,
        outstanding: figures.outstanding,
        collateralValue: figures.collateralValue,
        classification: figures.classification as Report["classification"],
        riskGrade: figures.riskGrade as Report["riskGrade"],
        noticeHash: noticeInfo?.commitment ?? ZERO_HASH,
        nonce: c.nonce,
      };
      const entry: PendingReport = {
        claimId: s.claimId,
        report: fromReport(report),
        digest: reportHash(report),
        notice: noticeInfo,
        transitions: decision.transitions,
        status: "signed",
        createdAt: isoNow(deps),
        statusReceivedAt: s.receivedAt,
        source: s.source,
      };
      batch.put(repos.pending, s.claimId, entry);
      clearMarks(batch, repos, marks.get(s.claimId)!);
      plannedNow.add(s.claimId);
      plannedHere++;
    }
    await batch.write(repos.store);
    summary.planned += plannedHere;
    // Claims reported by their holder whose 诉讼时效 ends soon: a demand letter to post with proof of delivery.
    await limitationDemands(deps, chunk.filter((s, k) => s.source && mayPropose(s.source, holders[k])).map((s) => ({ claimId: s.claimId, figures: scored.get(s.claimId)! })), summary);
  }
  return plannedNow;
}
