import { Wallet } from "ethers";
import { classifyAndScore, type LoanRequest } from "../core/batch.js";
import type { RiskSignal } from "../core/risk.js";
import { dayOf } from "../core/dates.js";
import { parseMinor } from "../core/money.js";
import { renderNotice, type NoticeType } from "../core/notices.js";
import type { CaseView, ClauseThresholds, ReportFigures } from "../core/clauses.js";
import { DURABLE } from "../store/db.js";
import { dayOfUnix, isoNow, type OracleDeps, type StoredStatus } from "./types.js";

/** A claim's case as the contract holds it. */
export async function caseView(deps: Pick<OracleDeps, "chain">, claimId: string): Promise<CaseView> {
  const c = await deps.chain.clauses.caseOf(claimId);
  return {
    state: Number(c.state), nonce: Number(c.nonce), lastAsOf: Number(c.lastAsOf), lastNoticeAt: Number(c.lastNoticeAt), stateSince: Number(c.stateSince),
    warnDays: Number(c.warnDays), demandDays: Number(c.demandDays), arbitrationDays: Number(c.arbitrationDays),
    coverageBps: Number(c.coverageBps), noticeDays: Number(c.noticeDays),
  };
}

/** The clause terms registered with a claim (a case not yet opened has none of its own). */
export async function termsOf(deps: Pick<OracleDeps, "chain">, claimId: string): Promise<ClauseThresholds> {
  const t = await deps.chain.registry.clausesOf(claimId);
  return {
    warnDays: Number(t.warnDays), demandDays: Number(t.demandDays), arbitrationDays: Number(t.arbitrationDays),
    coverageBps: Number(t.coverageBps), noticeDays: Number(t.noticeDays),
  };
}

/** Records a report that failed, for GET /v1/oracle/status. */
export async function fail(deps: Pick<OracleDeps, "repos" | "clock" | "log">, claimId: string, reason: string, message: string): Promise<void> {
  const at = isoNow(deps);
  await deps.repos.failures.put(`${at}!${claimId}`, { at, claimId, reason, message }, DURABLE);
  deps.log.warn({ claimId, reason, message }, "oracle report failed");
}

/** Scores the statuses: days past due (from schedules), class and grade, one core call per asOf day. */
export async function score(deps: Pick<OracleDeps, "claims" | "feeds">, items: StoredStatus[]): Promise<Map<string, ReportFigures>> {
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
      const record = await deps.claims.get(s.claimId);
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
    if (deps.feeds) {
      for (const [i, s] of group.entries()) {
        const state = await deps.feeds.stateFor(s.claimId, dayOf(day));
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
export async function noticeText(deps: Pick<OracleDeps, "claims" | "chain" | "settings">, type: NoticeType, claimId: string, f: ReportFigures, cureDays: number) {
  const record = await deps.claims.get(claimId);
  const holder = await deps.chain.registry.holderOf(claimId);
  const holderName = deps.settings.apiKeys.find((k) => k.privateKey && new Wallet(k.privateKey).address === holder)?.name ?? holder;
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
    // The claim's registered legal terms (core/claim-legal.ts): the account to pay into and the acceleration clause.
    ...(record?.legal?.repaymentAccount ? { repaymentAccount: record.legal.repaymentAccount } : {}),
    ...(record?.legal?.accelerationAllowed ? { accelerationAllowed: true } : {}),
  });
}
