import { CASE_STATES } from "../core/clauses.js";
import { UnavailableError } from "../core/errors.js";
import { ChainRevertError } from "../chain/errors.js";
import { encodeReports } from "../chain/reports.js";
import { collectionClausesWrites } from "../chain/contracts/CollectionClauses.js";
import { waitTx } from "../chain/contracts/tx.js";
import { DURABLE, TypedBatch } from "../store/db.js";
import { mayPropose } from "../app/access.js";
import { markDirty } from "./dirty.js";
import { noteDisputes, tendDisputes } from "./disputes.js";
import { caseView, fail } from "./figures.js";
import { agreeBatches, type QuorumBatch } from "./peers.js";
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
 * took away, plans the dirty claims, gets the quorum to sign batches of them (one signature set per batch),
 * submits them, links evidence to new disputes. Every step writes before it acts, and the chain's per-claim
 * nonce and its set of applied batches make each report apply at most once: a crash anywhere is followed
 * by a cycle that asks the chain what happened first.
 */
export async function runCycle(deps: OracleDeps): Promise<CycleSummary> {
  const { repos, chain } = deps;
  const run: Run = {
    deps,
    latencies: [],
    summary: {
      startedAt: isoNow(deps), finishedAt: "", considered: 0, planned: 0, skipped: {}, submitted: 0, applied: 0,
      failed: 0, transactions: [], notices: 0, waitingForSignatures: 0, refusedByPeers: {}, reverted: 0,
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
  // A batch the chain refuses for one report's sake is sent again without it, signed anew.
  let toSend = ready;
  for (let attempt = 0; attempt < 3 && toSend.length > 0; attempt++) {
    const { batches, waiting } = await agreeBatches(deps, toSend, quorum, summary);
    summary.waitingForSignatures += waiting.length;
    toSend = [];
    for (const batch of batches) toSend.push(...await submit(run, batch));
  }
  summary.waitingForSignatures += toSend.length;
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
    if (blockNumber > 0) {
      batch.put(repos.recent, recentKey(blockNumber, p.claimId), { claimId: p.claimId, digest: p.digest, blockNumber, nonce: p.report.nonce, txHash });
    }
  }
  await batch.write(repos.store);
  for (const p of ps) run.latencies.push(clock.now() - Date.parse(p.statusReceivedAt));
}

/**
 * What the chain says of a report: applied already (the claim's nonce moved past it, with this report's
 * figures in the ReportApplied of its nonce), superseded (plan again), or still to send.
 */
async function settle(run: Run, p: PendingReport): Promise<"applied" | "superseded" | "open"> {
  const { repos, chain } = run.deps;
  const c = await caseView(run.deps, p.claimId);
  if (c.nonce > p.report.nonce) {
    const from = chain.deployment.contracts.CollectionClauses.blockNumber;
    const logs = await chain.clauses.queryFilter(chain.clauses.filters.ReportApplied(p.claimId), from);
    const r = p.report;
    const mine = logs.find((l) => Number(l.args.nonce) === r.nonce && l.args.asOf.toString() === r.asOf && Number(l.args.daysPastDue) === r.daysPastDue
      && l.args.outstanding.toString() === r.outstanding && l.args.collateralValue.toString() === r.collateralValue
      && Number(l.args.classification) === r.classification && Number(l.args.riskGrade) === r.riskGrade);
    if (mine) {
      await markApplied(run, [p], mine.transactionHash, mine.blockNumber);
      return "applied";
    }
  }
  if (c.nonce !== p.report.nonce || c.lastAsOf >= Number(p.report.asOf) || CASE_STATES[c.state] === "closed") {
    const batch = new TypedBatch().del(repos.pending, p.claimId);
    markDirty(batch, repos, p.claimId);
    await batch.write(repos.store);
    return "superseded";
  }
  return "open";
}

/**
 * Sends a quorum-signed batch. A revert that names one of its reports (every per-report error carries the
 * claim id) settles that report — reported as failed unless the chain shows it applied or superseded — and
 * returns the others, to be signed again as a batch without it; any other revert leaves them all waiting.
 */
async function submit(run: Run, batch: QuorumBatch): Promise<PendingReport[]> {
  const { deps, summary } = run;
  const { repos, signer } = deps;
  const reports = batch.reports;
  const clauses = collectionClausesWrites(deps);
  let entry;
  try {
    entry = (await clauses.submitReports(signer, { reports: encodeReports(reports.map((p) => toReport(p.report))), signatures: batch.signatures },
      `reports:${reports[0].claimId}:${reports.length}`)).entry;
  } catch (e) {
    if (!(e instanceof ChainRevertError)) throw e;
    if (e.errorName === "BatchAlreadyApplied") {
      for (const p of reports) if ((await settle(run, p)) === "applied") summary.applied++;
      return [];
    }
    const named = typeof e.args[0] === "string" ? e.args[0].toLowerCase() : undefined;
    const bad = reports.find((p) => p.claimId.toLowerCase() === named);
    if (!bad) {
      deps.log.warn({ error: e.errorName, reports: reports.length }, "the chain refused a quorum-signed batch; its reports wait for the next cycle");
      return [];
    }
    if ((await settle(run, bad)) === "open") {
      await fail(deps, bad.claimId, e.errorName, e.message);
      summary.failed++;
      await repos.pending.del(bad.claimId, DURABLE);
    }
    return reports.filter((p) => p !== bad);
  }
  const sent = reports.map((p) => ({ ...p, status: "submitted" as const, txHash: entry.hash }));
  const written = new TypedBatch();
  for (const p of sent) written.put(repos.pending, p.claimId, p);
  await written.write(repos.store);
  summary.transactions.push(entry.hash);
  summary.submitted += reports.length;
  await waitSubmitted(run, sent);
  return [];
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
