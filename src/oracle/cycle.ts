import { CASE_STATES } from "../core/clauses.js";
import { UnavailableError } from "../core/errors.js";
import { ChainRevertError, decodeChainError } from "../chain/errors.js";
import type { SignedReport } from "../chain/reports.js";
import { collectionClausesWrites } from "../chain/contracts/CollectionClauses.js";
import { waitTx } from "../chain/contracts/tx.js";
import { DURABLE, TypedBatch } from "../store/db.js";
import { mayPropose } from "../app/access.js";
import { markDirty } from "./dirty.js";
import { noteDisputes, tendDisputes } from "./disputes.js";
import { caseView, fail } from "./figures.js";
import { collectSignatures } from "./peers.js";
import { plan } from "./plan.js";
import { reconcileApplied } from "./reconcile.js";
import {
  LATENCY_SAMPLES, SETTLE_CONCURRENCY, isoNow, toReport,
  type AppliedReport, type CycleSummary, type OracleDeps, type PendingReport,
} from "./types.js";

/** One cycle's state: its summary and the latencies of the reports it saw applied. */
interface Run {
  deps: OracleDeps;
  summary: CycleSummary;
  latencies: number[];
}

const recentKey = (blockNumber: number, claimId: string) => `${String(blockNumber).padStart(12, "0")}!${claimId}`;

/**
 * One oracle cycle: settles reports in flight from before (a crash, a timeout), re-plans reports a reorg
 * took away, plans the dirty claims, collects the quorum's signatures, submits complete reports in
 * batches, links evidence to new disputes. Every step writes before it acts, and the chain's nonce and
 * digest set make each report apply at most once: a crash anywhere is followed by a cycle that asks the
 * chain what happened first.
 */
export async function runCycle(deps: OracleDeps): Promise<CycleSummary> {
  const { repos, chain, settings } = deps;
  const run: Run = {
    deps,
    latencies: [],
    summary: {
      startedAt: isoNow(deps), finishedAt: "", considered: 0, planned: 0, skipped: {}, submitted: 0, applied: 0,
      failed: 0, transactions: [], notices: 0, waitingForSignatures: 0, reverted: 0,
    },
  };
  const { summary } = run;
  const inFlight = new Map<string, PendingReport[]>();
  for await (const p of repos.pending.values()) {
    if (p.status === "submitted" && p.txHash) inFlight.set(p.txHash, [...(inFlight.get(p.txHash) ?? []), p]);
  }
  for (const batch of inFlight.values()) await waitSubmitted(run, batch);
  summary.reverted = await reconcileApplied(deps);

  const plannedNow = await plan(deps, summary);

  const quorum = Number(await chain.clauses.quorum());
  const open: PendingReport[] = [];
  for await (const p of repos.pending.values()) if (p.status === "signed") open.push(p);
  // A signed report may have gone through before a crash (its transaction re-broadcast by the outbox).
  // Asked of the chain many at a time: one by one, a restart had to re-check every open report
  // (two round trips each) before sending any, so restarts closer together than that kept them all pending.
  // Reports planned in this cycle were planned from the chain's current case: nothing to settle.
  const ready: PendingReport[] = open.filter((p) => plannedNow.has(p.claimId));
  const carried = open.filter((p) => !plannedNow.has(p.claimId));
  for (let i = 0; i < carried.length; i += SETTLE_CONCURRENCY) {
    const chunk = carried.slice(i, i + SETTLE_CONCURRENCY);
    const [states, holders] = await Promise.all([
      Promise.all(chunk.map((p) => settle(run, p))),
      Promise.all(chunk.map((p) => chain.registry.holderOf(p.claimId))),
    ]);
    const dropped = new TypedBatch();
    chunk.forEach((p, k) => {
      if (states[k] !== "open") return;
      // Planned from a status of the holder of then: after a sale it is not sent (nor signed further).
      if (!p.source || !mayPropose(p.source, holders[k])) {
        summary.skipped["not-from-holder"] = (summary.skipped["not-from-holder"] ?? 0) + 1;
        dropped.del(repos.pending, p.claimId);
        return;
      }
      ready.push(p);
    });
    await dropped.write(repos.store);
  }
  await collectSignatures(deps, ready, quorum);
  const complete = ready.filter((p) => Object.keys(p.signatures).length >= quorum);
  summary.waitingForSignatures = ready.length - complete.length;
  for (let i = 0; i < complete.length; i += settings.batchSize) {
    await submit(run, complete.slice(i, i + settings.batchSize));
  }
  await tendDisputes(deps);
  summary.finishedAt = isoNow(deps);
  const before = (await repos.meta.get("latency")) as number[] | undefined;
  const latency = [...(before ?? []), ...run.latencies].slice(-LATENCY_SAMPLES);
  await new TypedBatch().put(repos.meta, "lastCycle", summary).put(repos.meta, "latency", latency).write(repos.store);
  return summary;
}

/** Records reports as applied (one write for all of a transaction's reports). */
async function markApplied(run: Run, ps: PendingReport[], txHash: string, blockNumber: number): Promise<void> {
  const { repos, clock } = run.deps;
  const batch = new TypedBatch();
  for (const p of ps) {
    const r = toReport(p.report);
    const value: AppliedReport = {
      figures: {
        asOf: Number(r.asOf), daysPastDue: r.daysPastDue, outstanding: r.outstanding.toString(), collateralValue: r.collateralValue.toString(),
        classification: r.classification, riskGrade: r.riskGrade,
      },
      digest: p.digest,
      txHash,
      blockNumber,
      appliedAt: isoNow(run.deps),
      statusReceivedAt: p.statusReceivedAt,
    };
    batch.put(repos.applied, p.claimId, value).del(repos.pending, p.claimId);
    if (blockNumber > 0) batch.put(repos.recent, recentKey(blockNumber, p.claimId), { claimId: p.claimId, digest: p.digest, blockNumber });
  }
  await batch.write(repos.store);
  for (const p of ps) run.latencies.push(clock.now() - Date.parse(p.statusReceivedAt));
}

/** What the chain says of a report: applied already, superseded (plan again), or still to send. */
async function settle(run: Run, p: PendingReport): Promise<"applied" | "superseded" | "open"> {
  const { repos, chain } = run.deps;
  if (await chain.clauses.isReportApplied(p.digest)) {
    await markApplied(run, [p], p.txHash ?? "", 0);
    return "applied";
  }
  const c = await caseView(run.deps, p.claimId);
  if (c.nonce !== p.report.nonce || c.lastAsOf >= Number(p.report.asOf) || CASE_STATES[c.state] === "closed") {
    const batch = new TypedBatch().del(repos.pending, p.claimId);
    markDirty(batch, repos, p.claimId);
    await batch.write(repos.store);
    return "superseded";
  }
  return "open";
}

/** Sends a batch; a revert is diagnosed report by report: the bad ones are reported, the rest re-sent. */
async function submit(run: Run, batch: PendingReport[]): Promise<void> {
  const { deps, summary } = run;
  const { repos, chain, signer } = deps;
  const clauses = collectionClausesWrites(deps);
  const signed = (ps: PendingReport[]) => ps.map((p): SignedReport => ({ report: toReport(p.report), signatures: Object.values(p.signatures) }));
  let entry;
  try {
    entry = (await clauses.submitReports(signer, signed(batch), `reports:${batch[0].claimId}:${batch.length}`)).entry;
  } catch (e) {
    if (!(e instanceof ChainRevertError) || batch.length === 0) throw e;
    const good: PendingReport[] = [];
    for (const p of batch) {
      try {
        await chain.provider.estimateGas({ from: signer.address, to: clauses.address, data: clauses.encodeReports(signed([p])) });
        good.push(p);
      } catch (err) {
        const decoded = decodeChainError(err, chain.errors);
        if (!(decoded instanceof ChainRevertError)) throw decoded;
        if (decoded.errorName === "ReportAlreadyApplied") {
          await markApplied(run, [p], "", 0);
          continue;
        }
        await fail(deps, p.claimId, decoded.errorName, decoded.message);
        summary.failed++;
        await repos.pending.del(p.claimId, DURABLE);
      }
    }
    if (good.length > 0 && good.length < batch.length) await submit(run, good);
    return;
  }
  const sent = batch.map((p) => ({ ...p, status: "submitted" as const, txHash: entry.hash }));
  const written = new TypedBatch();
  for (const p of sent) written.put(repos.pending, p.claimId, p);
  await written.write(repos.store);
  summary.transactions.push(entry.hash);
  summary.submitted += batch.length;
  await waitSubmitted(run, sent);
}

/** Waits for the transaction of submitted reports; records what applied; returns the rest to "signed". */
async function waitSubmitted(run: Run, batch: PendingReport[]): Promise<void> {
  const { deps, summary } = run;
  const { repos, chain } = deps;
  const entry = await chain.outbox.get(batch[0].txHash!);
  try {
    if (!entry) throw new ChainRevertError("TransactionUnknown", []);
    const receipt = await waitTx(deps, "reports", entry);
    await markApplied(run, batch, receipt.hash, receipt.blockNumber);
    summary.applied += batch.length;
    await noteDisputes(deps, receipt.logs);
  } catch (e) {
    if (!(e instanceof ChainRevertError) && !(e instanceof UnavailableError && /dropped/.test(e.message))) throw e;
    // Reverted or dropped: each report is settled against the chain and, if still open, re-sent next cycle.
    for (const p of batch) {
      const state = await settle(run, p);
      if (state === "applied") summary.applied++;
      else if (state === "open") await repos.pending.put(p.claimId, { ...p, status: "signed", txHash: undefined }, DURABLE);
    }
  }
}
