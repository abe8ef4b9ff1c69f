/**
 * Outside data for the oracle: facts about a claim from courts, the property registry, appraisers and the
 * credit bureau, each with its provenance, and what each does to the risk score, the work-queue priority and
 * the collateral value.
 *
 * A **feed record** is one fact as fetched: `{type, claimId, provenance: {source, fetchedAt, contentHash},
 * data}`. `contentHash` is the keccak256 of the source document exactly as fetched (the court's page, the
 * registry extract, the appraisal report); the record's own id ({@link feedId}) is the keccak256 of its
 * canonical JSON (RFC 8785) and becomes the evidence record's contentHash. No personal data: the debtor is
 * named only through the claim id; court names and case numbers are public court information.
 *
 * Records are snapshots: for each claim and type, the latest record fetched by `asOf` is the current state
 * (a court-enforcement record with no cases means the debtor is off the list); earlier ones stay as history.
 *
 * | type | fact | effect |
 * | --- | --- | --- |
 * | `court-enforcement` | 被执行人: any enforcement case against the debtor | score +60, urgency +5,000 bps (`enforcement-listed`) |
 * |  | 失信被执行人: any case with `dishonest: true` (replaces the above) | score +100, urgency +10,000 bps (`enforcement-dishonest`) |
 * | `property-registry` | a seizure (查封/轮候查封) of the collateral by a court | score +50, urgency +7,500 bps (`collateral-seized`): declare our priority before the seizing court distributes |
 * |  | mortgages ranking before ours | score +40 (`collateral-senior-mortgage`); value −(their amounts): they are paid first |
 * |  | mortgages ranking after ours | score +20 (`collateral-other-mortgage`) |
 * | `appraisal` | a third-party appraisal | value: without a comparable-based valuation it is the collateral's value; with one, the lower of the two counts (prudence) |
 * | `credit-bureau` | new overdue debt at other lenders | score +60, urgency +5,000 bps (`credit-new-overdue`) |
 * |  | ≥ 3 new loans or ≥ 6 inquiries in 90 days | score +30, urgency +2,500 bps (`credit-multi-lending`) |
 * |  | share of the debtor's debt across banks overdue more than 90 days (bps) | corporate debtors: the classification's cross-bank contagion rule (> 20% ⇒ non-performing) |
 *
 * The score and urgency effects enter the batch as {@link RiskSignal}s (risk.ts), so a portfolio of 10^6
 * loans pays nothing for loans without feeds. Pure: time is an argument.
 */
import { canonicalHash } from "./canonical.js";
import { formatMajor } from "./money.js";
import { reasonId, REASONS, type RiskSignal } from "./risk.js";
import {
  FEED_RULES, FEED_TYPES, MULTI_LENDING_INQUIRIES, MULTI_LENDING_LOANS,
  type AppraisalData, type CourtEnforcementData, type CreditBureauData, type FeedReason, type FeedRecord, type FeedType,
  type IdentifiedFeed, type PropertyRegistryData,
} from "./feeds/types.js";

export * from "./feeds/types.js";
export { validateFeedFile, validateFeedRecord, type FeedFile } from "./feeds/validate.js";

/** The record's id: keccak256 of its canonical JSON (RFC 8785), the evidence record's contentHash. */
export function feedId(record: FeedRecord): string {
  return canonicalHash(record);
}

/** The evidence kind a feed is recorded under: an appraisal is a valuation; the rest are desk surveys (查册/资信调查). */
export function evidenceKindOf(type: FeedType): "valuation" | "desk-search" {
  // Court, registry and credit-bureau data are desk searches (查册/资信调查), not a field survey (现场勘察).
  return type === "appraisal" ? "valuation" : "desk-search";
}

/** One effect of a feed, explained. */
export interface FeedEffect {
  feedId: string;
  type: FeedType;
  code: string;
  zh: string;
  en: string;
  points: number;
  urgencyBps: number;
  /** An effect on the collateral's value, fen. */
  value?: { kind: "appraisal" | "senior-claims"; amount: string };
}

/** What a claim's feeds do at asOf (see the table at the top). */
export interface FeedEffects {
  /** For the batch (risk.ts): one per score/urgency effect, `ref` = the feed's id. */
  signals: RiskSignal[];
  effects: FeedEffect[];
  /** The latest third-party appraisal. */
  appraisal?: { value: bigint; valuedAt: string; appraiser: string; ref: string };
  /** Sum of mortgages ranking before ours, fen (0n when none or no registry record). */
  seniorClaims: bigint;
  seniorRef?: string;
  /** Credit bureau: share (0–1) of the debtor's debt across banks overdue more than 90 days. */
  crossBankOverdue90Share?: number;
  shareRef?: string;
  /** The records that count (the latest of each type fetched by asOf), by type. */
  current: Partial<Record<FeedType, string>>;
}

const MS_PER_DAY = 86_400_000;

function effect(e: FeedEffect[], s: RiskSignal[], feed: IdentifiedFeed, code: FeedReason, zhExtra: string, enExtra: string): void {
  const rule = FEED_RULES[code];
  const id = reasonId(code);
  const r = REASONS[id]!;
  e.push({ feedId: feed.feedId, type: feed.record.type, code, zh: zhExtra ? `${r.zh}（${zhExtra}）` : r.zh, en: enExtra ? `${r.en} (${enExtra})` : r.en, points: rule.points, urgencyBps: rule.urgencyBps });
  s.push(Object.freeze({ reason: id, points: rule.points, urgencyBps: rule.urgencyBps, ref: feed.feedId }));
}

function yuan(fen: bigint): string {
  return formatMajor(fen);
}

/**
 * The effects of one claim's feed records at the end of day `asOfDay` (UTC day number): for each type the
 * latest record fetched by then counts; records fetched later are ignored (time is an argument).
 */
export function feedEffects(feeds: readonly IdentifiedFeed[], asOfDay: number): FeedEffects {
  const until = (asOfDay + 1) * MS_PER_DAY;
  const latest = new Map<FeedType, IdentifiedFeed>();
  const at = new Map<FeedType, number>();
  for (const f of feeds) {
    const t = Date.parse(f.record.provenance.fetchedAt);
    if (!(t < until)) continue;
    const prev = at.get(f.record.type);
    // Later fetch wins; on the same instant the larger id, so the choice does not depend on input order.
    if (prev === undefined || t > prev || (t === prev && f.feedId > latest.get(f.record.type)!.feedId)) {
      latest.set(f.record.type, f);
      at.set(f.record.type, t);
    }
  }
  const out: FeedEffects = { signals: [], effects: [], seniorClaims: 0n, current: {} };
  for (const type of FEED_TYPES) {
    const feed = latest.get(type);
    if (!feed) continue;
    out.current[type] = feed.feedId;
    const e = out.effects, s = out.signals;
    if (type === "court-enforcement") {
      const { cases } = feed.record.data as CourtEnforcementData;
      if (cases.length === 0) continue;
      let total = 0n;
      for (const c of cases) total += c.amount ? BigInt(c.amount) : 0n;
      const dishonest = cases.filter((c) => c.dishonest).length;
      const zh = `${cases.length}起执行案件${total > 0n ? `，执行标的合计¥${yuan(total)}` : ""}${dishonest ? `，其中失信${dishonest}起` : ""}`;
      const en = `${cases.length} enforcement case${cases.length > 1 ? "s" : ""}${total > 0n ? `, ¥${yuan(total)} to enforce in all` : ""}${dishonest ? `, ${dishonest} with dishonesty listing` : ""}`;
      effect(e, s, feed, dishonest > 0 ? "enforcement-dishonest" : "enforcement-listed", zh, en);
    } else if (type === "property-registry") {
      const { seizures, mortgages } = feed.record.data as PropertyRegistryData;
      if (seizures.length > 0) {
        const first = seizures.reduce((a, b) => (b.rank < a.rank ? b : a));
        effect(e, s, feed, "collateral-seized", `${first.court}${first.rank === 1 ? "首封" : "轮候查封"}，共${seizures.length}项查封`, `${first.court}, ${first.rank === 1 ? "first seizure" : "waiting seizure"}; ${seizures.length} seizure(s) in all`);
      }
      const ours = mortgages.find((m) => m.ours);
      // Without our own mortgage on the register every other mortgage is counted as senior (prudence).
      const senior = mortgages.filter((m) => !m.ours && (!ours || m.rank < ours.rank));
      const junior = mortgages.filter((m) => !m.ours && ours && m.rank > ours.rank);
      if (senior.length > 0) {
        let sum = 0n;
        for (const m of senior) sum += BigInt(m.amount);
        out.seniorClaims = sum;
        out.seniorRef = feed.feedId;
        effect(e, s, feed, "collateral-senior-mortgage", `${senior.length}项，优先受偿合计¥${yuan(sum)}${ours ? "" : "；登记簿上未见我方抵押"}`, `${senior.length}, ¥${yuan(sum)} paid first${ours ? "" : "; our mortgage is not on the register"}`);
        e[e.length - 1]!.value = { kind: "senior-claims", amount: sum.toString() };
      }
      if (junior.length > 0) effect(e, s, feed, "collateral-other-mortgage", `${junior.length}项`, `${junior.length}`);
    } else if (type === "appraisal") {
      const a = feed.record.data as AppraisalData;
      out.appraisal = { value: BigInt(a.value), valuedAt: a.valuedAt, appraiser: a.appraiser, ref: feed.feedId };
      e.push({
        feedId: feed.feedId, type, code: "appraisal-third-party", points: 0, urgencyBps: 0,
        zh: `第三方评估：${a.appraiser}，${a.valuedAt}，¥${yuan(BigInt(a.value))}`,
        en: `Third-party appraisal: ${a.appraiser}, ${a.valuedAt}, ¥${yuan(BigInt(a.value))}`,
        value: { kind: "appraisal", amount: a.value },
      });
    } else {
      const c = feed.record.data as CreditBureauData;
      if (c.newOverdueElsewhere) {
        const amt = c.overdueAmountElsewhere ? BigInt(c.overdueAmountElsewhere) : 0n;
        effect(e, s, feed, "credit-new-overdue", amt > 0n ? `他行逾期¥${yuan(amt)}` : "", amt > 0n ? `¥${yuan(amt)} overdue elsewhere` : "");
      }
      if (c.newLoans90d >= MULTI_LENDING_LOANS || c.inquiries90d >= MULTI_LENDING_INQUIRIES) {
        effect(e, s, feed, "credit-multi-lending", `近90天新增贷款${c.newLoans90d}笔、查询${c.inquiries90d}次`, `${c.newLoans90d} new loans and ${c.inquiries90d} inquiries in 90 days`);
      }
      if (c.crossBankOverdue90Bps !== undefined) {
        out.crossBankOverdue90Share = c.crossBankOverdue90Bps / 10_000;
        out.shareRef = feed.feedId;
      }
    }
  }
  return out;
}

/** One line for people (timeline, lists): what the record says. */
export function feedSummary(record: FeedRecord): { zh: string; en: string } {
  switch (record.type) {
    case "court-enforcement": {
      const { cases } = record.data as CourtEnforcementData;
      if (cases.length === 0) return { zh: "法院执行信息：未见执行案件（不在被执行人名单）", en: "Court enforcement: no cases (not on the enforcement list)" };
      const d = cases.filter((c) => c.dishonest).length;
      return {
        zh: `法院执行信息：${cases.length}起执行案件${d ? `，列入失信被执行人名单` : "（被执行人）"}`,
        en: `Court enforcement: ${cases.length} case${cases.length > 1 ? "s" : ""}${d ? ", on the dishonest judgment-debtor list" : " (judgment debtor)"}`,
      };
    }
    case "property-registry": {
      const { seizures, mortgages } = record.data as PropertyRegistryData;
      const others = mortgages.filter((m) => !m.ours).length;
      return {
        zh: `登记状态：查封${seizures.length}项，他项抵押${others}项`,
        en: `Registry: ${seizures.length} seizure(s), ${others} other mortgage(s)`,
      };
    }
    case "appraisal": {
      const a = record.data as AppraisalData;
      return { zh: `第三方评估：¥${yuan(BigInt(a.value))}（${a.appraiser}，${a.valuedAt}）`, en: `Third-party appraisal: ¥${yuan(BigInt(a.value))} (${a.appraiser}, ${a.valuedAt})` };
    }
    case "credit-bureau": {
      const c = record.data as CreditBureauData;
      return {
        zh: `征信变动：${c.newOverdueElsewhere ? "他行新增逾期" : "无新增逾期"}，近90天新增贷款${c.newLoans90d}笔、查询${c.inquiries90d}次`,
        en: `Credit bureau: ${c.newOverdueElsewhere ? "new overdue debt elsewhere" : "no new overdue debt"}; ${c.newLoans90d} new loans, ${c.inquiries90d} inquiries in 90 days`,
      };
    }
  }
}
