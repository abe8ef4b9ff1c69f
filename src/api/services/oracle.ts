import type { FastifyInstance } from "fastify";
import { Wallet, getAddress, recoverAddress, type TypedDataDomain } from "ethers";
import { classifyAndScore, type LoanRequest } from "../../core/batch.js";
import type { RiskSignal } from "../../core/risk.js";
import { dayOf } from "../../core/dates.js";
import { parseMinor } from "../../core/money.js";
import { renderNotice, type NoticeType } from "../../core/notices.js";
import { checkDocumentCommitment, contentHashOfText, documentCommitment, newSalt } from "../../core/commitment.js";
import { planReport, CASE_STATES, type CaseView, type ReportPlan, type ReportFigures, type ClauseThresholds } from "../../core/oracle-plan.js";
import { ConflictError, DebtrailError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from "../../core/errors.js";
import { reportDigest, reportDomain, signReport, type Report, type SignedReport } from "../../chain/reports.js";
import { ChainRevertError, decodeChainError } from "../../chain/errors.js";
import { DURABLE, writeBatch, type BatchOp, type SublevelOf } from "../../store/db.js";
import type { Caller } from "../plugins/auth.js";
import type { ApiRole } from "../../config/roles.js";
import { mayPropose, notHolderError, statusStanding } from "../../app/access.js";

/** A loan's status as a bank or servicer reports it (POST /v1/loan-status). */
export interface LoanStatusInput {
  claimId: string;
  /** Date or date-time the figures are valid at. */
  asOf: string;
  daysPastDue?: number;
  schedule?: Array<{ dueDate: string; principal: string; interest?: string }>;
  payments?: Array<{ paidAt: string; amount: string }>;
  /** Fen, decimal string. */
  outstanding: string;
  collateralValue?: string;
  /** Product and debtor type, so a co-signing daemon without the claim's record scores it alike. */
  product?: LoanRequest["product"];
  debtorType?: LoanRequest["debtorType"];
}

/** Who posted a status (its API key): decides whether it may propose a report (src/app/access.ts). */
export interface StatusSource {
  role: ApiRole;
  keyId: string;
  name: string;
  address?: string;
  worksFor?: string;
}

export interface StoredStatus extends LoanStatusInput {
  asOfUnix: number;
  receivedAt: string;
  /** The key id of the source (kept for records written before `source`). */
  by: string;
  /** Absent in records written before sources were kept: such a status proposes nothing. */
  source?: StatusSource;
}

/** A report on its way to the chain: written before it is signed by peers or sent. */
interface PendingReport {
  claimId: string;
  report: { [K in keyof Report]: K extends "asOf" | "outstanding" | "collateralValue" ? string : Report[K] };
  digest: string;
  /**
   * The notice the report's noticeHash commits to: noticeHash = keccak256(abi.encode(salt, contentHash))
   * (core/commitment.ts), never the bare hash of a letter anyone could re-render from a name dictionary.
   */
  notice?: { type: NoticeType; text: string; contentHash: string; salt: string; commitment: string; recordId: string };
  transitions: string[];
  /** signer address → signature */
  signatures: Record<string, string>;
  status: "signed" | "submitted";
  txHash?: string;
  createdAt: string;
  /** When the status that produced it was accepted (latency figures). */
  statusReceivedAt: string;
  /** Who posted that status: the report is sent only while it still acts for the claim's holder. */
  source?: StatusSource;
}

interface AppliedReport {
  figures: { [K in keyof ReportFigures]: K extends "outstanding" | "collateralValue" ? string : ReportFigures[K] };
  digest: string;
  txHash: string;
  blockNumber: number;
  appliedAt: string;
  statusReceivedAt: string;
}

/** A report applied in a recent block, kept until the block is deep enough to be final. */
interface RecentReport {
  claimId: string;
  digest: string;
  blockNumber: number;
}
const recentKey = (blockNumber: number, claimId: string) => `${String(blockNumber).padStart(12, "0")}!${claimId}`;

interface OracleFailure {
  at: string;
  claimId: string;
  reason: string;
  message: string;
}

export interface CycleSummary {
  startedAt: string;
  finishedAt: string;
  considered: number;
  planned: number;
  skipped: Record<string, number>;
  submitted: number;
  applied: number;
  failed: number;
  transactions: string[];
  notices: number;
  waitingForSignatures: number;
  /** Applied reports found gone from the chain (reorg) and planned again. */
  reverted: number;
}

/** Open reports checked against the chain at once (concurrent calls travel as one JSON-RPC batch). */
const SETTLE_CONCURRENCY = 100;
/** Claims planned at once: their case reads go out together; their reports are written in one batch. */
const PLAN_CHUNK = 200;
/** Statuses whose claims are checked on chain at once when accepted. */
const ACCEPT_CHUNK = 200;

const toReport = (p: PendingReport["report"]): Report => ({
  ...p, asOf: BigInt(p.asOf), outstanding: BigInt(p.outstanding), collateralValue: BigInt(p.collateralValue),
});
const fromReport = (r: Report): PendingReport["report"] => ({
  ...r, asOf: r.asOf.toString(), outstanding: r.outstanding.toString(), collateralValue: r.collateralValue.toString(),
});

function unixOf(asOf: string, field: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? Date.parse(`${asOf}T00:00:00+08:00`) : Date.parse(asOf);
  if (Number.isNaN(ms)) throw new ValidationError(field, "date YYYY-MM-DD or ISO 8601 date-time");
  return Math.floor(ms / 1000);
}

/** YYYY-MM-DD of a unix time in China Standard Time (the core's dates are calendar days). */
function dayOfUnix(unix: number): string {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/**
 * The oracle daemon: loan statuses in; each cycle runs the scoring core, plans a report for each
 * claim whose figures or case state change, renders and records due notices as evidence, collects
 * k-of-n signatures (its own and its peers'), and submits reports in batches through the outbox.
 *
 * Durable: a status is on disk before it is acknowledged; a report is written (with its notice's
 * evidence record) before it is signed by peers or sent; the chain's nonce and digest set make every
 * report apply at most once, and recovery after a crash asks the chain what happened before acting.
 */
export function createOracleService(fastify: FastifyInstance) {
  const { chain, config, store } = fastify;
  /** The holder's side's statuses (its own key, a servicer naming it): the daemon proposes reports from them. */
  const statuses = store.sub<StoredStatus>("oracle-status");
  /** This organisation's own observations (`feed` keys) of claims it does not hold: used only to co-sign. */
  const observed = store.sub<StoredStatus>("oracle-observed");
  const dirty = store.sub<number>("oracle-dirty");
  const pending = store.sub<PendingReport>("oracle-pending");
  const applied = store.sub<AppliedReport>("oracle-applied");
  const failures = store.sub<OracleFailure>("oracle-failures");
  const disputes = store.sub<{ disputeId: string; claimId: string; evidenceSubmitted: boolean }>("oracle-disputes");
  const meta = store.sub<CycleSummary>("oracle-meta");
  /** Reports applied in recent blocks (key: block!claimId), re-checked each cycle: a reorg may take them
   * away again. On disk, so a restart after a reorg still finds them. */
  const recent = store.sub<RecentReport>("oracle-recent");
  const wallet = chain.wallet(config.servicePrivateKey);
  let domain: TypedDataDomain | undefined;
  let running: Promise<CycleSummary> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const latencies: number[] = [];
  const REORG_DEPTH = 64;

  /** Reports whose block vanished (reorg, reset dev node) are planned again from their statuses. */
  async function reconcileApplied(): Promise<number> {
    const head = await chain.provider.getBlockNumber();
    // Reports in blocks deep enough to be final are dropped unchecked (a cycle after a first run over a
    // whole book would otherwise re-check every report of it); the rest are asked of the chain.
    const entries: Array<[string, RecentReport]> = [];
    const final: BatchOp[] = [];
    for await (const [key, r] of recent.iterator()) {
      if (r.blockNumber <= head - REORG_DEPTH) final.push({ type: "del", sublevel: recent as SublevelOf<unknown>, key });
      else entries.push([key, r]);
    }
    if (final.length > 0) await writeBatch(store, final);
    if (entries.length === 0) return 0;
    let vanished = 0;
    for (let i = 0; i < entries.length; i += SETTLE_CONCURRENCY) {
      const chunk = entries.slice(i, i + SETTLE_CONCURRENCY);
      const onChain = await Promise.all(chunk.map(([, r]) => chain.clauses.isReportApplied(r.digest)));
      const ops: BatchOp[] = [];
      for (const [k, [key, r]] of chunk.entries()) {
        if (!onChain[k]) {
          const current = await applied.get(r.claimId);
          if (current?.digest === r.digest) {
            ops.push(
              { type: "del", sublevel: applied as SublevelOf<unknown>, key: r.claimId },
              { type: "put", sublevel: dirty as SublevelOf<unknown>, key: r.claimId, value: 1 },
            );
          }
          ops.push({ type: "del", sublevel: recent as SublevelOf<unknown>, key });
          vanished++;
          fastify.log.warn({ claimId: r.claimId, digest: r.digest, block: r.blockNumber }, "an applied report vanished from the chain (reorg); planning it again");
        }
      }
      if (ops.length > 0) await writeBatch(store, ops);
    }
    if (vanished > 0) chain.outbox.resetNonce(wallet.address);
    return vanished;
  }

  async function getDomain(): Promise<TypedDataDomain> {
    domain ??= reportDomain(BigInt(chain.deployment.chainId), chain.deployment.contracts.CollectionClauses.address);
    return domain;
  }

  async function caseView(claimId: string): Promise<CaseView> {
    const c = await chain.clauses.caseOf(claimId);
    return {
      state: Number(c.state), nonce: Number(c.nonce), lastAsOf: Number(c.lastAsOf), lastNoticeAt: Number(c.lastNoticeAt), stateSince: Number(c.stateSince),
      warnDays: Number(c.warnDays), demandDays: Number(c.demandDays), arbitrationDays: Number(c.arbitrationDays),
      coverageBps: Number(c.coverageBps), noticeDays: Number(c.noticeDays),
    };
  }

  async function termsOf(claimId: string): Promise<ClauseThresholds> {
    const t = await chain.registry.termsOf(claimId);
    return {
      warnDays: Number(t.clauses.warnDays), demandDays: Number(t.clauses.demandDays), arbitrationDays: Number(t.clauses.arbitrationDays),
      coverageBps: Number(t.clauses.coverageBps), noticeDays: Number(t.clauses.noticeDays),
    };
  }

  async function fail(claimId: string, reason: string, message: string): Promise<void> {
    const at = new Date().toISOString();
    await failures.put(`${at}!${claimId}`, { at, claimId, reason, message }, DURABLE);
    fastify.log.warn({ claimId, reason, message }, "oracle report failed");
  }

  /** Scores the statuses: days past due (from schedules), class and grade, one core call per asOf day. */
  async function score(items: StoredStatus[]): Promise<Map<string, ReportFigures>> {
    const byDay = new Map<string, StoredStatus[]>();
    for (const s of items) {
      const day = dayOfUnix(s.asOfUnix);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day)!.push(s);
    }
    const out = new Map<string, ReportFigures>();
    for (const [day, group] of byDay) {
      const loans: LoanRequest[] = [];
      for (const s of group) {
        const record = await fastify.claims.claims.get(s.claimId);
        loans.push({
          loanId: s.claimId,
          product: s.product ?? record?.product ?? "corporate",
          debtorType: s.debtorType ?? record?.debtor.type ?? "corporate",
          debtorId: record?.debtor.debtorId ?? s.claimId,
          outstanding: s.outstanding,
          ...(s.schedule ? { schedule: s.schedule, payments: s.payments ?? [] } : { daysPastDue: s.daysPastDue ?? 0 }),
        });
      }
      // Outside data (court enforcement lists, registries, appraisals, credit bureau) moves score and grade.
      const signalIndex: number[] = [];
      const signalLists: RiskSignal[][] = [];
      const debtors: Array<{ debtorId: string; crossBankOverdue90Share: number }> = [];
      const appraisals = new Map<number, bigint>();
      if (fastify.feeds) {
        for (const [i, s] of group.entries()) {
          const state = await fastify.feeds.stateFor(s.claimId, dayOf(day));
          if (state.current.length === 0) continue;
          if (state.effects.signals.length > 0) {
            signalIndex.push(i);
            signalLists.push(state.effects.signals);
          }
          if (state.effects.crossBankOverdue90Share !== undefined && !debtors.some((d) => d.debtorId === loans[i].debtorId)) {
            debtors.push({ debtorId: loans[i].debtorId, crossBankOverdue90Share: state.effects.crossBankOverdue90Share });
          }
          if (state.effects.appraisal) appraisals.set(i, state.effects.appraisal.value);
        }
      }
      const result = classifyAndScore(
        { asOf: day, loans, ...(debtors.length > 0 ? { debtors } : {}) },
        signalIndex.length > 0 ? { signals: { index: signalIndex, signals: signalLists } } : {},
      );
      group.forEach((s, i) => {
        const collateral = s.collateralValue !== undefined
          ? parseMinor(s.collateralValue, "collateralValue")
          : appraisals.get(i) ?? 0n;
        out.set(s.claimId, {
          asOf: s.asOfUnix,
          daysPastDue: result.daysPastDue[i],
          outstanding: parseMinor(s.outstanding, "outstanding"),
          collateralValue: collateral,
          classification: result.classIndex[i],
          riskGrade: result.grade[i],
        });
      });
    }
    return out;
  }

  /** The notice's text: the claim's facts as this organisation knows them. */
  async function notice(type: NoticeType, claimId: string, f: ReportFigures, cureDays: number) {
    const record = await fastify.claims.claims.get(claimId);
    const holder = await chain.registry.holderOf(claimId);
    const holderName = config.apiKeys.find((k) => k.privateKey && new Wallet(k.privateKey).address === holder)?.name ?? holder;
    return renderNotice({
      type,
      claimId,
      contractNo: record?.contractNo,
      debtorName: record?.debtor.name,
      creditor: holderName,
      outstanding: f.outstanding,
      currency: record?.currency ?? "CNY",
      daysPastDue: f.daysPastDue,
      asOfDate: dayOfUnix(f.asOf),
      cureDays,
      // A demand threatens to enforce a mortgage only where the claim has collateral (issue 17's review).
      secured: record?.collateral != null || f.collateralValue > 0n,
    });
  }

  /** Plans and signs the reports of the dirty claims; each is written before anything else happens. */
  async function plan(summary: CycleSummary, plannedNow: Set<string>): Promise<void> {
    const ids: string[] = [];
    for await (const [claimId] of dirty.iterator()) ids.push(claimId);
    summary.considered = ids.length;
    if (ids.length === 0) return;
    const items: StoredStatus[] = [];
    for (const id of ids) {
      const p = await pending.get(id);
      if (p?.status === "submitted") continue; // its transaction decides first
      const s = await statuses.get(id);
      if (s) items.push(s);
    }
    let scored: Map<string, ReportFigures>;
    try {
      scored = await score(items);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // One bad status must not stop the others: score one by one to find it.
      scored = new Map();
      for (const s of items) {
        try {
          for (const [k, v] of await score([s])) scored.set(k, v);
        } catch (err) {
          await fail(s.claimId, "invalid-status", (err as Error).message);
          await dirty.del(s.claimId, DURABLE);
        }
      }
    }
    const head = await chain.provider.getBlock("latest");
    const chainTime = head!.timestamp;
    const d = await getDomain();
    const ready = items.filter((s) => scored.has(s.claimId));
    // The chain is read a chunk at a time: concurrent calls travel as one JSON-RPC batch, where one
    // call after another paid a round trip (and ethers' batch stall) per claim.
    for (let i = 0; i < ready.length; i += PLAN_CHUNK) {
      const chunk = ready.slice(i, i + PLAN_CHUNK);
      const [cases, lasts, holders] = await Promise.all([
        Promise.all(chunk.map((s) => caseView(s.claimId))),
        Promise.all(chunk.map((s) => applied.get(s.claimId))),
        Promise.all(chunk.map((s) => chain.registry.holderOf(s.claimId))),
      ]);
      const terms = await Promise.all(chunk.map((s, k) => (cases[k].warnDays === 0 ? termsOf(s.claimId) : cases[k])));
      const ops: BatchOp[] = [];
      let plannedHere = 0;
      const reporting: Array<{ s: StoredStatus; k: number; figures: ReportFigures; c: CaseView; decision: ReportPlan }> = [];
      for (const [k, s] of chunk.entries()) {
        // Proposed only from a status of the claim's holder now (or the servicer it named): not from one the
        // seller posted before a sale, nor from anyone else's. Checked here, as the holder may have changed
        // since the status was accepted.
        if (!s.source || !mayPropose(s.source, holders[k])) {
          summary.skipped["not-from-holder"] = (summary.skipped["not-from-holder"] ?? 0) + 1;
          ops.push({ type: "del", sublevel: dirty as SublevelOf<unknown>, key: s.claimId });
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
          summary.skipped[decision.skip] = (summary.skipped[decision.skip] ?? 0) + 1;
          ops.push(
            { type: "del", sublevel: dirty as SublevelOf<unknown>, key: s.claimId },
            { type: "del", sublevel: pending as SublevelOf<unknown>, key: s.claimId },
          );
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
          notice(decision.notice!, s.claimId, figures, terms[k].noticeDays),
          fastify.claims.claims.get(s.claimId),
        ]);
        return { text, record };
      }));
      const recorded = noticed.length === 0 ? [] : await fastify.evidence.recordSystemMany(noticed.map(({ s, figures }, k) => ({
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
        // Recorded before this change, without a salt: one now (kept with the pending report only).
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
          noticeHash: noticeInfo?.commitment ?? `0x${"0".repeat(64)}`,
          nonce: c.nonce,
        };
        const digest = reportDigest(d, report);
        const entry: PendingReport = {
          claimId: s.claimId,
          report: fromReport(report),
          digest,
          notice: noticeInfo,
          transitions: decision.transitions,
          // The EIP-712 digest signed as it is (what signTypedData does after hashing the same data again).
          signatures: { [wallet.address]: wallet.signingKey.sign(digest).serialized },
          status: "signed",
          createdAt: new Date().toISOString(),
          statusReceivedAt: s.receivedAt,
          source: s.source,
        };
        ops.push(
          { type: "put", sublevel: pending as SublevelOf<unknown>, key: s.claimId, value: entry },
          { type: "del", sublevel: dirty as SublevelOf<unknown>, key: s.claimId },
        );
        plannedNow.add(s.claimId);
        plannedHere++;
      }
      if (ops.length > 0) await writeBatch(store, ops);
      summary.planned += plannedHere;
    }
  }

  /** Asks the peers to co-sign reports still short of the quorum. */
  async function collectSignatures(open: PendingReport[], quorum: number): Promise<void> {
    const short = open.filter((p) => Object.keys(p.signatures).length < quorum);
    if (short.length === 0 || config.oracle.peers.length === 0) return;
    for (const peer of config.oracle.peers) {
      const still = short.filter((p) => Object.keys(p.signatures).length < quorum);
      if (still.length === 0) break;
      for (let i = 0; i < still.length; i += 500) {
        const chunk = still.slice(i, i + 500);
        try {
          const res = await fetch(`${peer.url.replace(/\/$/, "")}/v1/oracle/sign`, {
            method: "POST",
            headers: { authorization: `Bearer ${peer.key}`, "content-type": "application/json" },
            body: JSON.stringify({ reports: chunk.map((p) => ({ report: p.report, notice: p.notice ? { text: p.notice.text, salt: p.notice.salt } : undefined })) }),
            signal: AbortSignal.timeout(30_000),
          });
          if (!res.ok) throw new Error(`peer ${peer.url} answered ${res.status}`);
          const body = (await res.json()) as { results: Array<{ signer?: string; signature?: string; refused?: string }> };
          const signed: BatchOp[] = [];
          for (const [k, r] of body.results.entries()) {
            const p = chunk[k];
            if (!r?.signature || !r.signer) continue;
            // Only a signature that really is the signer's over this digest is kept.
            if (getAddress(recoverAddress(p.digest, r.signature)) !== getAddress(r.signer)) continue;
            p.signatures[getAddress(r.signer)] = r.signature;
            signed.push({ type: "put", sublevel: pending as SublevelOf<unknown>, key: p.claimId, value: p });
          }
          if (signed.length > 0) await writeBatch(store, signed);
        } catch (e) {
          fastify.log.warn({ peer: peer.url, err: e }, "oracle peer did not sign; trying the others");
        }
      }
    }
  }

  /** Records reports as applied (one write for all of a transaction's reports). */
  async function markApplied(ps: PendingReport[], txHash: string, blockNumber: number): Promise<void> {
    const ops: BatchOp[] = [];
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
        appliedAt: new Date().toISOString(),
        statusReceivedAt: p.statusReceivedAt,
      };
      ops.push(
        { type: "put", sublevel: applied as SublevelOf<unknown>, key: p.claimId, value },
        { type: "del", sublevel: pending as SublevelOf<unknown>, key: p.claimId },
      );
      if (blockNumber > 0) {
        const recentReport: RecentReport = { claimId: p.claimId, digest: p.digest, blockNumber };
        ops.push({ type: "put", sublevel: recent as SublevelOf<unknown>, key: recentKey(blockNumber, p.claimId), value: recentReport });
      }
    }
    await writeBatch(store, ops);
    for (const p of ps) {
      latencies.push(Date.now() - Date.parse(p.statusReceivedAt));
      if (latencies.length > 10_000) latencies.shift();
    }
  }

  /** What the chain says of a report: applied already, superseded (plan again), or still to send. */
  async function settle(p: PendingReport): Promise<"applied" | "superseded" | "open"> {
    if (await chain.clauses.isReportApplied(p.digest)) {
      await markApplied([p], p.txHash ?? "", 0);
      return "applied";
    }
    const c = await caseView(p.claimId);
    if (c.nonce !== p.report.nonce || c.lastAsOf >= Number(p.report.asOf) || CASE_STATES[c.state] === "closed") {
      await writeBatch(store, [
        { type: "del", sublevel: pending as SublevelOf<unknown>, key: p.claimId },
        { type: "put", sublevel: dirty as SublevelOf<unknown>, key: p.claimId, value: 1 },
      ]);
      return "superseded";
    }
    return "open";
  }

  /** Sends a batch; a revert is diagnosed report by report: the bad ones are reported, the rest re-sent. */
  async function submit(batch: PendingReport[], summary: CycleSummary): Promise<void> {
    const to = chain.deployment.contracts.CollectionClauses.address;
    const encode = (ps: PendingReport[]) => chain.clauses.interface.encodeFunctionData("submitReports", [
      ps.map((p): SignedReport => ({ report: toReport(p.report), signatures: Object.values(p.signatures) })),
    ]);
    let entry;
    try {
      entry = await chain.outbox.send(wallet, { to, data: encode(batch) }, `reports:${batch[0].claimId}:${batch.length}`);
    } catch (e) {
      if (!(e instanceof ChainRevertError) || batch.length === 0) throw e;
      const good: PendingReport[] = [];
      for (const p of batch) {
        try {
          await chain.provider.estimateGas({ from: wallet.address, to, data: encode([p]) });
          good.push(p);
        } catch (err) {
          const decoded = decodeChainError(err, chain.errors);
          if (decoded instanceof ChainRevertError) {
            if (decoded.errorName === "ReportAlreadyApplied") {
              await markApplied([p], "", 0);
              continue;
            }
            await fail(p.claimId, decoded.errorName, decoded.message);
            summary.failed++;
            await pending.del(p.claimId, DURABLE);
          } else throw decoded;
        }
      }
      if (good.length > 0 && good.length < batch.length) await submit(good, summary);
      return;
    }
    const ops: BatchOp[] = batch.map((p) => ({ type: "put", sublevel: pending as SublevelOf<unknown>, key: p.claimId, value: { ...p, status: "submitted", txHash: entry.hash } }));
    await writeBatch(store, ops);
    summary.transactions.push(entry.hash);
    summary.submitted += batch.length;
    await waitSubmitted(batch.map((p) => ({ ...p, status: "submitted" as const, txHash: entry.hash })), summary);
  }

  /** Waits for the transaction of submitted reports; records what applied; returns the rest to "signed". */
  async function waitSubmitted(batch: PendingReport[], summary: CycleSummary): Promise<void> {
    const entry = await chain.outbox.get(batch[0].txHash!);
    try {
      if (!entry) throw new ChainRevertError("TransactionUnknown", []);
      const receipt = await chain.outbox.wait(entry);
      fastify.metrics.chainTransactions.inc({ kind: "reports", outcome: "mined" });
      await markApplied(batch, receipt.hash, receipt.blockNumber);
      summary.applied += batch.length;
      await noteDisputes(receipt.logs);
    } catch (e) {
      if (!(e instanceof ChainRevertError) && !(e instanceof UnavailableError && /dropped/.test(e.message))) throw e;
      fastify.metrics.chainTransactions.inc({ kind: "reports", outcome: "failed" });
      // Reverted or dropped: each report is settled against the chain and, if still open, re-sent next cycle.
      for (const p of batch) {
        const state = await settle(p);
        if (state === "applied") summary.applied++;
        else if (state === "open") await pending.put(p.claimId, { ...p, status: "signed", txHash: undefined }, DURABLE);
      }
    }
  }

  /** Remembers disputes the reports started, so their evidence is linked. */
  async function noteDisputes(logs: ReadonlyArray<{ topics: ReadonlyArray<string>; data: string; address: string }>): Promise<void> {
    for (const log of logs) {
      if (log.address.toLowerCase() !== chain.deployment.contracts.CollectionClauses.address.toLowerCase()) continue;
      let parsed;
      try {
        parsed = chain.clauses.interface.parseLog({ topics: [...log.topics], data: log.data });
      } catch {
        continue;
      }
      if (parsed?.name !== "ArbitrationStarted") continue;
      const disputeId = parsed.args.disputeId.toString();
      if (!(await disputes.get(disputeId))) {
        await disputes.put(disputeId, { disputeId, claimId: parsed.args.claimId, evidenceSubmitted: false }, DURABLE);
      }
    }
  }

  /**
   * ERC-1497: links the claim's evidence to new disputes. Rulings need nothing from the daemon: an arbitral
   * award is final and executed on chain in the transaction that gives it (no appeal period).
   */
  async function tendDisputes(): Promise<void> {
    for await (const d of disputes.values()) {
      if (d.evidenceSubmitted) continue;
      const uri = JSON.stringify({ claimId: d.claimId, evidence: `/v1/claims/${d.claimId}/evidence`, verify: "/v1/verify" });
      const data = chain.clauses.interface.encodeFunctionData("submitEvidence", [d.claimId, uri]);
      const entry = await chain.outbox.send(wallet, { to: chain.deployment.contracts.CollectionClauses.address, data }, `dispute-evidence:${d.disputeId}`);
      await chain.outbox.wait(entry);
      d.evidenceSubmitted = true;
      await disputes.put(d.disputeId, d, DURABLE);
    }
  }

  async function cycle(): Promise<CycleSummary> {
    const summary: CycleSummary = {
      startedAt: new Date().toISOString(), finishedAt: "", considered: 0, planned: 0, skipped: {}, submitted: 0, applied: 0,
      failed: 0, transactions: [], notices: 0, waitingForSignatures: 0, reverted: 0,
    };
    // Reports in flight from before (a crash, a timeout) are settled first.
    const inFlight = new Map<string, PendingReport[]>();
    for await (const p of pending.values()) {
      if (p.status === "submitted" && p.txHash) inFlight.set(p.txHash, [...(inFlight.get(p.txHash) ?? []), p]);
    }
    for (const batch of inFlight.values()) await waitSubmitted(batch, summary);
    summary.reverted = await reconcileApplied();

    const plannedNow = new Set<string>();
    await plan(summary, plannedNow);

    const quorum = Number(await chain.clauses.quorum());
    const open: PendingReport[] = [];
    for await (const p of pending.values()) if (p.status === "signed") open.push(p);
    // A signed report may have gone through before a crash (its transaction re-broadcast by the outbox).
    // Asked of the chain many at a time: one by one, a restart had to re-check every open report
    // (two round trips each) before sending any, so restarts closer together than that kept them all pending.
    // Reports planned in this cycle were planned from the chain's current case: nothing to settle.
    const ready: PendingReport[] = open.filter((p) => plannedNow.has(p.claimId));
    const carried = open.filter((p) => !plannedNow.has(p.claimId));
    for (let i = 0; i < carried.length; i += SETTLE_CONCURRENCY) {
      const chunk = carried.slice(i, i + SETTLE_CONCURRENCY);
      const [states, holders] = await Promise.all([
        Promise.all(chunk.map((p) => settle(p))),
        Promise.all(chunk.map((p) => chain.registry.holderOf(p.claimId))),
      ]);
      const dropped: BatchOp[] = [];
      chunk.forEach((p, k) => {
        if (states[k] !== "open") return;
        // Planned from a status of the holder of then: after a sale it is not sent (nor signed further).
        if (!p.source || !mayPropose(p.source, holders[k])) {
          summary.skipped["not-from-holder"] = (summary.skipped["not-from-holder"] ?? 0) + 1;
          dropped.push({ type: "del", sublevel: pending as SublevelOf<unknown>, key: p.claimId });
          return;
        }
        ready.push(p);
      });
      if (dropped.length > 0) await writeBatch(store, dropped);
    }
    await collectSignatures(ready, quorum);
    const complete = ready.filter((p) => Object.keys(p.signatures).length >= quorum);
    summary.waitingForSignatures = ready.length - complete.length;
    for (let i = 0; i < complete.length; i += config.oracle.batchSize) {
      await submit(complete.slice(i, i + config.oracle.batchSize), summary);
    }
    await tendDisputes();
    summary.finishedAt = new Date().toISOString();
    await meta.put("lastCycle", summary, DURABLE);
    return summary;
  }

  /** Runs one cycle after the one running (if any) ends: what was accepted before the call is in it. */
  function run(): Promise<CycleSummary> {
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => cycle());
    running = next;
    void next.catch(() => undefined).finally(() => {
      if (running === next) running = undefined;
    });
    return next;
  }

  return {
    run,

    /**
     * Accepts loan statuses, all or nothing; durable before the answer. A status of the holder's side (its own
     * key, a servicer's feed naming it) is kept to propose a report; a `feed`'s status of another's claim is
     * kept as this organisation's observation, only to co-sign (src/app/access.ts).
     * @throws NotFoundError for an unregistered claim; ForbiddenError for a claim the caller may not report on
     */
    async accept(caller: Caller, inputs: LoanStatusInput[]): Promise<{ accepted: number }> {
      const receivedAt = new Date().toISOString();
      // "Now" is the later of this clock and the chain's (a dev chain may run ahead of the wall clock).
      const chainNow = (await chain.provider.getBlock("latest"))!.timestamp * 1000;
      const latestAllowed = Math.max(Date.now(), chainNow) + 5 * 60_000;
      const checked = inputs.map((input, i) => {
        const prefix = inputs.length > 1 ? `statuses[${i}].` : "";
        const claimId = input.claimId.toLowerCase();
        const asOfUnix = unixOf(input.asOf, `${prefix}asOf`);
        if (asOfUnix * 1000 > latestAllowed) throw new ValidationError(`${prefix}asOf`, "not-in-the-future");
        if ((input.daysPastDue === undefined) === (input.schedule === undefined)) {
          throw new ValidationError(`${prefix}daysPastDue`, "exactly one of daysPastDue or schedule (with payments)");
        }
        parseMinor(input.outstanding, `${prefix}outstanding`);
        if (input.collateralValue !== undefined) parseMinor(input.collateralValue, `${prefix}collateralValue`);
        return { input, prefix, claimId, asOfUnix };
      });
      const ops: BatchOp[] = [];
      const source: StatusSource = {
        role: caller.role, keyId: caller.keyId, name: caller.name,
        ...(caller.address ? { address: caller.address } : {}), ...(caller.worksFor ? { worksFor: caller.worksFor } : {}),
      };
      // Registration and holder asked of the chain a chunk at a time (one JSON-RPC batch, not round trips per status).
      for (let i = 0; i < checked.length; i += ACCEPT_CHUNK) {
        const chunk = checked.slice(i, i + ACCEPT_CHUNK);
        const registered = await Promise.all(chunk.map((c) => chain.registry.isRegistered(c.claimId)));
        const [holders, previous, seen] = await Promise.all([
          Promise.all(chunk.map((c, k) => (registered[k] ? chain.registry.holderOf(c.claimId) : Promise.resolve(null)))),
          Promise.all(chunk.map((c) => statuses.get(c.claimId))),
          Promise.all(chunk.map((c) => observed.get(c.claimId))),
        ]);
        for (const [k, { input, prefix, claimId, asOfUnix }] of chunk.entries()) {
          if (!registered[k]) throw new NotFoundError("claim", claimId);
          const parties = { claimId, registered: true, holder: holders[k], originator: null, beforeCourt: false };
          const standing = statusStanding(caller, parties);
          if (!standing) {
            throw notHolderError(parties, { en: "report its loan status (a feed's observations aside)", zh: "报告其贷款状态（本机构数据源的观察除外）" }, `${prefix}claimId`);
          }
          // A newer status of the same standing wins; the holder's side is not held back by a status of a
          // former holder (a seller could otherwise post one dated ahead to block the buyer's).
          const before = standing === "observe" ? seen[k] : previous[k]?.source && mayPropose(previous[k]!.source!, holders[k]) ? previous[k] : undefined;
          if (before && before.asOfUnix > asOfUnix) {
            throw new ConflictError("older-status", `${prefix}asOf: a newer status (${before.asOf}) is already recorded for claim ${claimId}`, { claimId });
          }
          const stored: StoredStatus = { ...input, claimId, asOfUnix, receivedAt, by: caller.keyId, source };
          ops.push({ type: "put", sublevel: (standing === "propose" ? statuses : observed) as SublevelOf<unknown>, key: claimId, value: stored });
          if (standing === "propose") ops.push({ type: "put", sublevel: dirty as SublevelOf<unknown>, key: claimId, value: 1 });
        }
      }
      await writeBatch(store, ops);
      return { accepted: inputs.length };
    },

    /** Co-signs reports of another daemon after checking them against this daemon's own statuses and the chain. */
    async cosign(caller: Caller, items: Array<{ report: PendingReport["report"]; notice?: { text: string; salt?: string } }>) {
      if (caller.role !== "oracle" && caller.role !== "admin") throw new ForbiddenError("only oracle peers ask for signatures");
      const d = await getDomain();
      const chainTime = (await chain.provider.getBlock("latest"))!.timestamp;
      const results = [];
      for (const item of items) {
        const report = toReport(item.report);
        const refuse = (why: string) => ({ refused: why });
        // This organisation's own data only: its feeds' observations, or its own status as the claim's holder
        // (still the holder). What another daemon or a peer's key says is never a reason to sign.
        const id = report.claimId.toLowerCase();
        const [seen, own] = await Promise.all([observed.get(id), statuses.get(id)]);
        const candidates: StoredStatus[] = [];
        if (seen?.asOfUnix === Number(report.asOf)) candidates.push(seen);
        if (own?.asOfUnix === Number(report.asOf) && own.source && mayPropose(own.source, await chain.registry.holderOf(id))) candidates.push(own);
        if (candidates.length === 0) {
          results.push(refuse("no-matching-status"));
          continue;
        }
        let figures: ReportFigures | undefined;
        for (const s of candidates) {
          const f = (await score([s])).get(s.claimId)!;
          if (f.daysPastDue === report.daysPastDue && f.outstanding === report.outstanding && f.collateralValue === report.collateralValue
            && f.classification === report.classification && f.riskGrade === report.riskGrade) {
            figures = f;
            break;
          }
        }
        if (!figures) {
          results.push(refuse("figures-differ"));
          continue;
        }
        const c = await caseView(report.claimId);
        if (c.nonce !== report.nonce) {
          results.push(refuse("nonce-differs"));
          continue;
        }
        const terms = c.warnDays === 0 ? await termsOf(report.claimId) : c;
        const decision = planReport(figures, c, terms, undefined, chainTime);
        const zero = `0x${"0".repeat(64)}`;
        if ("skip" in decision) {
          results.push(refuse(decision.skip));
          continue;
        }
        if (decision.notice ? report.noticeHash === zero : report.noticeHash !== zero) {
          results.push(refuse("notice-not-due"));
          continue;
        }
        // The noticeHash is a salted commitment: the proposer sends the text and the salt, this peer recomputes it.
        if (report.noticeHash !== zero && (!item.notice || !checkDocumentCommitment({
          salt: item.notice.salt, contentHash: contentHashOfText(item.notice.text), commitment: report.noticeHash,
        }))) {
          results.push(refuse("notice-text-differs"));
          continue;
        }
        results.push({ signer: wallet.address, signature: await signReport(wallet, d, report) });
      }
      return { results };
    },

    async status() {
      let pendingCount = 0, dirtyCount = 0;
      for await (const _ of pending.iterator()) pendingCount++;
      for await (const _ of dirty.iterator()) dirtyCount++;
      const recentFailures: OracleFailure[] = [];
      for await (const f of failures.values({ reverse: true, limit: 20 })) recentFailures.push(f);
      const sorted = [...latencies].sort((a, b) => a - b);
      const pct = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null);
      return {
        signer: wallet.address,
        quorum: Number(await chain.clauses.quorum()),
        peers: config.oracle.peers.map((p) => p.url),
        enabled: config.oracle.enabled,
        intervalMs: config.oracle.intervalMs,
        waitingClaims: dirtyCount,
        pendingReports: pendingCount,
        lastCycle: (await meta.get("lastCycle")) ?? null,
        latencyMs: { p50: pct(0.5), p95: pct(0.95), samples: sorted.length },
        recentFailures,
      };
    },

    /** The last applied report of a claim (for latency measurements and the case view). */
    lastApplied: (claimId: string) => applied.get(claimId.toLowerCase()),

    start(): void {
      if (!config.oracle.enabled) return;
      let failuresInARow = 0;
      const loop = async () => {
        if (stopped) return;
        try {
          await run();
          failuresInARow = 0;
        } catch (e) {
          failuresInARow++;
          fastify.log.warn({ err: e instanceof DebtrailError ? e.message : e, failuresInARow }, "oracle cycle failed; retrying with backoff");
        }
        // RPC down or another failure: back off (2×, 4×, … the interval, at most 5 minutes), then resume.
        const delay = failuresInARow === 0 ? config.oracle.intervalMs : Math.min(300_000, config.oracle.intervalMs * 2 ** Math.min(failuresInARow, 10));
        if (!stopped) timer = setTimeout(loop, delay);
      };
      timer = setTimeout(loop, 0);
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export type OracleService = ReturnType<typeof createOracleService>;
