import { ForbiddenError } from "../../core/errors.js";
import { noticeDueAt } from "../../core/oracle-plan.js";
import type { CaseStateName } from "../../core/oracle-plan.js";
import type { StoreMemo } from "../../store/memo.js";
import type { EvidenceRepo } from "../../store/repos/evidence.js";
import { offersOfClaim, type OffersRepo, type StoredOffer } from "../../store/repos/offers.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import type { Party } from "../access.js";
import type { PortfolioModel } from "./model.js";
import type { Limitations } from "./limitation.js";
import { dayOf } from "../../core/dates.js";
import { ValidationError } from "../../core/errors.js";
import { inScope, slicer } from "./order.js";
import { cellFilter, matcher, noFilters, type PortfolioFilters, type PortfolioRow } from "./rows.js";
import { rowView, scopeOf, type Accounts } from "./views.js";

const DAY = 86_400;
/** The tables a queue item's last contact and latest offer are read from (kept until one of them is written). */
const EVIDENCE_TABLES = ["evidence", "evidence-by-claim"];
const OFFER_TABLES = ["offers", "offers-by-claim"];
/** Everything a console answer reads besides the model (src/api/plugins/read-model.ts keys its rendered answers by them). */
export const CONSOLE_TABLES = [...EVIDENCE_TABLES, ...OFFER_TABLES, "portfolio-snapshots"];
const CONTACT_KINDS = new Set(["call", "sms", "visit", "letter", "notice"]);
const CLAUSE_ZH: Record<string, string> = { warn: "逾期提醒", demand: "正式催告", arbitration: "申请仲裁" };

/** The work queue's reasons of its own (besides the core's), in both languages. */
const QUEUE_REASONS = {
  deadlineSoon: (days: number) => ({ code: "clause-deadline-soon", zh: `${days}天内到达下一条款期限`, en: `Next clause deadline within ${days} days` }),
  deadlinePassed: () => ({ code: "clause-deadline-passed", zh: "已到条款期限，待下次预言机报告执行", en: "Clause deadline reached; the next oracle report acts on it" }),
  neverContacted: () => ({ code: "never-contacted", zh: "尚无催收联系记录", en: "No collection contact on record" }),
  staleContact: (days: number) => ({ code: "no-recent-contact", zh: `已${days}天未联系`, en: `No contact for ${days} days` }),
  limitationExpiring: (day: string, days: number) => ({
    code: "limitation-expiring",
    zh: `诉讼时效将于${day}届满（${days}天内），届满前应以可证明送达的方式催收、取得还款承诺或起诉（民法典第一百八十八条、第一百九十五条）`,
    en: `The limitation period ends on ${day} (within ${days} days): before then, send a demand with proof of delivery, obtain a promise to pay or sue (Civil Code arts. 188, 195)`,
  }),
  timeBarred: (day: string) => ({
    code: "limitation-expired",
    zh: `诉讼时效已于${day}届满：债务人可拒绝履行，仅其承认或承诺还款可使其丧失该抗辩（民法典第一百九十二条）`,
    en: `The limitation period ended on ${day}: the debtor may refuse to pay; only its acknowledgement or promise takes that defence away (Civil Code art. 192)`,
  }),
};

/** A queue row's offer: pending-approval | proposed | accepting | in-installments | defaulted | completed | expired. */
export interface QueueOffer {
  offerId: string;
  status: "pending-approval" | "proposed" | "accepting" | "in-installments" | "defaulted" | "completed" | "expired";
  type: string;
}

export interface QueueDeps {
  model: PortfolioModel;
  limitations: Limitations;
  accounts: Accounts;
  repos: { evidence: EvidenceRepo; offers: OffersRepo };
  /** Store reads kept until the store's next write (a page's contacts and offers, read again on every load). */
  memo: StoreMemo;
}

/** The next clause of the case and when it falls due (days past due keep running after the last report). */
export function nextDeadline(r: PortfolioRow, now: number) {
  if (r.reportAsOf === null || r.daysPastDue === 0) return null;
  const t = r.clauses;
  const dueAt = (threshold: number) => r.reportAsOf! + Math.max(0, threshold - r.daysPastDue) * DAY;
  // The notice period of the current step ends noticeDays after the later of the last notice and the state change (block times).
  const noticeEnd = () => noticeDueAt({ lastNoticeAt: r.lastNoticeAt ?? 0, stateSince: r.stateSince ?? 0 }, t.noticeDays);
  let clause: "warn" | "demand" | "arbitration";
  let at: number;
  if (r.state === "overdue") {
    clause = "warn";
    at = dueAt(t.warnDays);
  } else if (r.state === "warned") {
    // The demand also waits the warning's notice period in block time (CaseLadder's _noticeDueAt).
    clause = "demand";
    at = Math.max(dueAt(t.demandDays), noticeEnd());
  } else if (r.state === "demanded") {
    // Arbitration also needs collateral coverage below the clause's threshold and the notice period over.
    const collateral = r.reportedCollateral ?? 0n;
    if (collateral * 10_000n >= BigInt(t.coverageBps) * r.outstanding) return null;
    clause = "arbitration";
    at = Math.max(dueAt(t.arbitrationDays), noticeEnd());
  } else {
    return null;
  }
  return { clause, clauseZh: CLAUSE_ZH[clause]!, at: new Date(at * 1000).toISOString(), reached: at <= now, daysLeft: Math.ceil((at - now) / DAY) };
}

/** GET /v1/queue: open cases of the caller's holder, by the core's priority (expected loss × urgency). */
export function createQueue(deps: QueueDeps) {
  const { model, accounts, repos, memo } = deps;

  /**
   * The claim's latest contact with a person: of its last 50 evidence records that are contacts (not internal),
   * the one that happened last — a contact recorded late (dated earlier) does not hide a later one.
   */
  const lastContact = (claimId: string) => memo.get(`queue-contact|${claimId}`, () => readLastContact(claimId), EVIDENCE_TABLES);
  async function readLastContact(claimId: string) {
    let last: { recordId: string; kind: string; channel: string; direction: string; occurredAt: string } | null = null;
    for await (const [, recordId] of repos.evidence.byClaim.iterator({ gt: `${claimId}!`, lt: `${claimId}!~`, reverse: true, limit: 50 })) {
      const stored = await repos.evidence.records.get(recordId);
      if (!stored || stored.record.direction === "internal" || !CONTACT_KINDS.has(stored.record.kind)) continue;
      if (last && Date.parse(stored.record.occurredAt) <= Date.parse(last.occurredAt)) continue;
      last = { recordId: stored.recordId, kind: stored.record.kind, channel: stored.record.channel, direction: stored.record.direction, occurredAt: stored.record.occurredAt };
    }
    return last;
  }

  /** The claim's latest offer that was not superseded (the store only). */
  async function latestOffer(claimId: string): Promise<StoredOffer | undefined> {
    let latest: StoredOffer | undefined;
    for (const o of await offersOfClaim(repos.offers, claimId)) {
      if (o.status === "superseded") continue;
      if (!latest || o.proposedAt >= latest.proposedAt) latest = o;
    }
    return latest;
  }

  async function offerOf(claimId: string, state: CaseStateName, nowMs: number): Promise<QueueOffer | null> {
    const latest = await memo.get(`queue-offer|${claimId}`, () => latestOffer(claimId), OFFER_TABLES);
    if (!latest) return null;
    const today = chinaDateOfMs(nowMs);
    let status: QueueOffer["status"];
    switch (latest.status) {
      case "pending-approval":
      case "proposed":
        status = latest.offer.plan.validUntil < today ? "expired" : latest.status;
        break;
      case "accepting":
        status = "accepting";
        break;
      case "accepted":
        status = state === "restructured" ? "in-installments" : state === "closed" ? "completed" : "defaulted";
        break;
      default:
        status = "expired";
    }
    return { offerId: latest.offerId, status, type: latest.offer.type };
  }

  return async function queue(p: Party, filtersIn: PortfolioFilters & { limitation?: string }, limit: number, offset: number) {
    const { limitation: status, ...filters } = filtersIn;
    if (status !== undefined && !["running", "expiring", "expired"].includes(status)) throw new ValidationError("limitation", "must be one of running, expiring, expired");
    const match = matcher(filters);
    let scope = scopeOf(p);
    // A bank works the claims it still holds; what it sold is the buyer's work.
    if (scope.kind === "bank") scope = { kind: "holder", key: `holder:${scope.address}`, address: scope.address };
    if (p.role !== "admin" && scope.kind === "all") throw new ForbiddenError(`role ${p.role} has no work queue`);
    const view = await model.read();
    const asOfBlock = view.asOfBlock;
    const now = view.now;
    // The model keeps the open rows by priority: a page is a walk from the top; the total one count per version.
    const inside = inScope(scope);
    const today = dayOf(view.today);
    // By 诉讼时效 (?limitation=): every open row of the scope needs its period first (kept until its evidence changes).
    if (status !== undefined) await deps.limitations.ensure(view.byPriority.filter((r) => inside(r) && match(r)).map((r) => r.claimId), today);
    const keep = (r: PortfolioRow) => inside(r) && match(r) && (status === undefined || deps.limitations.status(r.claimId, today) === status);
    // The page first, from the order as it is now; the total may take slices (a commit may land meanwhile).
    const page = view.byPriority.walk(0, keep, limit, offset).items;
    // The open rows' count from the kept aggregates (cells of region × product × class × state per scope
    // family); by 诉讼时效 or in a court's scope, one count per model version, scope and filters, in slices.
    const totalKey = `queue-total|${scope.key}|${JSON.stringify(filtersIn)}|${status !== undefined ? deps.limitations.version : ""}`;
    let total = status === undefined && scope.kind !== "court"
      ? noFilters(filters) ? view.aggregate(scope).open : view.memo(totalKey, () => view.filtered(scope, cellFilter(filters), filters.holder?.toLowerCase(), match).open)
      : view.cached<number>(totalKey);
    if (total === undefined) {
      const version = view.version;
      const order = view.byPriority;
      const turn = slicer();
      let n = 0;
      for (const r of order) {
        if (keep(r)) n++;
        if (turn.due()) await turn.next();
      }
      total = view.version === version ? view.memo(totalKey, () => n) : n;
    }
    await deps.limitations.ensure(page.map((r) => r.claimId), today);
    const items = await Promise.all(page.map(async (r, k) => {
      const deadline = nextDeadline(r, now);
      const [contact, offer] = await Promise.all([lastContact(r.claimId), offerOf(r.claimId, r.state, now * 1000)]);
      const reasons = [...r.reasons];
      const lim = deps.limitations.of(r.claimId, today);
      if (deadline?.reached) reasons.unshift(QUEUE_REASONS.deadlinePassed());
      else if (deadline && deadline.daysLeft <= 7) reasons.unshift(QUEUE_REASONS.deadlineSoon(Math.max(1, deadline.daysLeft)));
      if (lim?.status === "expiring") reasons.unshift(QUEUE_REASONS.limitationExpiring(lim.lastDay, dayOf(lim.lastDay) - today));
      else if (lim?.status === "expired") reasons.push(QUEUE_REASONS.timeBarred(lim.lastDay));
      if (!contact) reasons.push(QUEUE_REASONS.neverContacted());
      else {
        const days = Math.floor((now - Date.parse(contact.occurredAt) / 1000) / DAY);
        if (days >= 14) reasons.push(QUEUE_REASONS.staleContact(days));
      }
      return {
        rank: offset + k + 1,
        ...rowView(accounts, p, r, lim),
        priority: r.priority.toString(),
        expectedLoss: r.expectedLoss.toString(),
        urgencyBps: r.urgencyBps,
        reasons,
        nextDeadline: deadline,
        lastContact: contact,
        offer,
        recommended: r.recommended ? { path: r.recommended.path, pathZh: r.recommended.pathZh, presentValue: r.recommended.presentValue.toString() } : null,
      };
    }));
    return {
      asOf: new Date(now * 1000).toISOString(),
      asOfBlock,
      total,
      items,
      nextCursor: offset + limit < total ? String(offset + limit) : null,
    };
  };
}
