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
import { parseDay } from "./dates.js";
import { ValidationError } from "./errors.js";
import { formatMajor, parseMinor } from "./money.js";
import { reasonId, REASONS, type RiskSignal } from "./risk.js";

export const FEED_TYPES = ["court-enforcement", "property-registry", "appraisal", "credit-bureau"] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export const FEED_TYPES_ZH: Readonly<Record<FeedType, string>> = Object.freeze({
  "court-enforcement": "法院执行信息",
  "property-registry": "不动产/动产登记状态",
  appraisal: "第三方评估",
  "credit-bureau": "征信变动",
});

/** The `format` of a feed file (POST /v1/feeds/import, scripts/simulate-feeds.ts). */
export const FEED_FILE_FORMAT = "debtrail-feeds/1";

/** Where a fact came from. */
export interface Provenance {
  /** The source system: a host name or agency code, e.g. "zxgk.court.gov.cn" (letters, digits, . _ : @ -). */
  source: string;
  /** When it was fetched: UTC instant, `Date.prototype.toISOString` form. */
  fetchedAt: string;
  /** keccak256 of the source document exactly as fetched. */
  contentHash: string;
  /** The source's own id of the query or document, if it has one. */
  reference?: string;
}

export interface EnforcementCase {
  court: string;
  /** 案号, e.g. "(2026)沪0115执1234号". */
  caseNo: string;
  filedAt: string;
  /** 执行标的, fen. */
  amount?: string;
  /** On the list of dishonest judgment debtors (失信被执行人). */
  dishonest: boolean;
  /** Restricted from high consumption (限制高消费). */
  restrictedConsumption?: boolean;
}
export interface CourtEnforcementData { cases: EnforcementCase[] }

export interface Seizure { court: string; caseNo?: string; at: string; /** 1 = first seizure (首封), 2+ = waiting seizures (轮候). */ rank: number }
export interface Mortgage { rank: number; amount: string; registeredAt: string; ours: boolean }
export interface PropertyRegistryData { seizures: Seizure[]; mortgages: Mortgage[] }

export const APPRAISAL_METHODS = ["market-comparison", "income", "cost", "residual"] as const;
export interface AppraisalData {
  appraiser: string;
  reportNo: string;
  valuedAt: string;
  /** Market value, fen. */
  value: string;
  method: (typeof APPRAISAL_METHODS)[number];
}

export interface CreditBureauData {
  reportDate: string;
  newOverdueElsewhere: boolean;
  /** Overdue at other lenders, fen. */
  overdueAmountElsewhere?: string;
  newLoans90d: number;
  inquiries90d: number;
  /** Corporate debtors: share of debt across banks overdue more than 90 days, basis points (0–10,000). */
  crossBankOverdue90Bps?: number;
}

export type FeedData = CourtEnforcementData | PropertyRegistryData | AppraisalData | CreditBureauData;

/** One fact, exactly as hashed into its {@link feedId}. */
export interface FeedRecord {
  type: FeedType;
  claimId: string;
  provenance: Provenance;
  data: FeedData;
}

/** A record with its id (what the store keeps and the effects cite). */
export interface IdentifiedFeed { feedId: string; record: FeedRecord }

/** Points and urgency of each feed reason (see the table at the top). */
export const FEED_RULES = Object.freeze({
  "enforcement-listed": { points: 60, urgencyBps: 5_000 },
  "enforcement-dishonest": { points: 100, urgencyBps: 10_000 },
  "collateral-seized": { points: 50, urgencyBps: 7_500 },
  "collateral-senior-mortgage": { points: 40, urgencyBps: 0 },
  "collateral-other-mortgage": { points: 20, urgencyBps: 0 },
  "credit-new-overdue": { points: 60, urgencyBps: 5_000 },
  "credit-multi-lending": { points: 30, urgencyBps: 2_500 },
} as const);
export type FeedReason = keyof typeof FEED_RULES;

/** New loans in 90 days from which the credit bureau's report counts as multiple borrowing. */
export const MULTI_LENDING_LOANS = 3;
/** Inquiries in 90 days from which it does. */
export const MULTI_LENDING_INQUIRIES = 6;

const HASH = /^0x[0-9a-fA-F]{64}$/;
const SOURCE = /^[A-Za-z0-9._:@-]{1,56}$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_FUTURE_MS = 5 * 60_000;
/** Digits that look like a phone or ID number have no place in a feed's text fields. */
const PERSONAL_IN_TEXT = /1[3-9]\d{9}|\d{17}[\dXx]/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function onlyKeys(v: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw new ValidationError(`${at}.${k}`, "unknown-field");
}
function text(v: unknown, at: string, max: number): string {
  if (typeof v !== "string" || v.trim().length === 0 || v.length > max) throw new ValidationError(at, `text-1-${max}`);
  if (PERSONAL_IN_TEXT.test(v)) throw new ValidationError(at, "no-personal-data");
  return v.trim();
}
function date(v: unknown, at: string): string {
  parseDay(v, at);
  return v as string;
}
function bool(v: unknown, at: string): boolean {
  if (typeof v !== "boolean") throw new ValidationError(at, "boolean");
  return v;
}
function int(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new ValidationError(at, `integer-${min}-${max}`);
  return v;
}
function money(v: unknown, at: string): string {
  return parseMinor(v, at).toString();
}
function list<T>(v: unknown, at: string, max: number, each: (x: Record<string, unknown>, at: string) => T): T[] {
  if (!Array.isArray(v) || v.length > max) throw new ValidationError(at, `array-of-at-most-${max}`);
  return v.map((x, k) => {
    if (!isRecord(x)) throw new ValidationError(`${at}[${k}]`, "object");
    return each(x, `${at}[${k}]`);
  });
}

function courtData(d: Record<string, unknown>, at: string): CourtEnforcementData {
  onlyKeys(d, ["cases"], at);
  return {
    cases: list(d.cases, `${at}.cases`, 100, (c, f) => {
      onlyKeys(c, ["court", "caseNo", "filedAt", "amount", "dishonest", "restrictedConsumption"], f);
      const out: EnforcementCase = { court: text(c.court, `${f}.court`, 100), caseNo: text(c.caseNo, `${f}.caseNo`, 64), filedAt: date(c.filedAt, `${f}.filedAt`), dishonest: bool(c.dishonest, `${f}.dishonest`) };
      if (c.amount !== undefined) out.amount = money(c.amount, `${f}.amount`);
      if (c.restrictedConsumption !== undefined) out.restrictedConsumption = bool(c.restrictedConsumption, `${f}.restrictedConsumption`);
      return out;
    }),
  };
}

function registryData(d: Record<string, unknown>, at: string): PropertyRegistryData {
  onlyKeys(d, ["seizures", "mortgages"], at);
  const seizures = list(d.seizures ?? [], `${at}.seizures`, 50, (s, f) => {
    onlyKeys(s, ["court", "caseNo", "at", "rank"], f);
    const out: Seizure = { court: text(s.court, `${f}.court`, 100), at: date(s.at, `${f}.at`), rank: int(s.rank, `${f}.rank`, 1, 99) };
    if (s.caseNo !== undefined) out.caseNo = text(s.caseNo, `${f}.caseNo`, 64);
    return out;
  });
  const mortgages = list(d.mortgages ?? [], `${at}.mortgages`, 50, (m, f) => {
    onlyKeys(m, ["rank", "amount", "registeredAt", "ours"], f);
    return { rank: int(m.rank, `${f}.rank`, 1, 99), amount: money(m.amount, `${f}.amount`), registeredAt: date(m.registeredAt, `${f}.registeredAt`), ours: bool(m.ours, `${f}.ours`) };
  });
  if (mortgages.filter((m) => m.ours).length > 1) throw new ValidationError(`${at}.mortgages`, "at-most-one-ours");
  return { seizures, mortgages };
}

function appraisalData(d: Record<string, unknown>, at: string): AppraisalData {
  onlyKeys(d, ["appraiser", "reportNo", "valuedAt", "value", "method"], at);
  if (!(APPRAISAL_METHODS as readonly string[]).includes(d.method as string)) throw new ValidationError(`${at}.method`, `one-of:${APPRAISAL_METHODS.join("|")}`);
  return {
    appraiser: text(d.appraiser, `${at}.appraiser`, 100), reportNo: text(d.reportNo, `${at}.reportNo`, 64), valuedAt: date(d.valuedAt, `${at}.valuedAt`),
    value: money(d.value, `${at}.value`), method: d.method as AppraisalData["method"],
  };
}

function creditData(d: Record<string, unknown>, at: string): CreditBureauData {
  onlyKeys(d, ["reportDate", "newOverdueElsewhere", "overdueAmountElsewhere", "newLoans90d", "inquiries90d", "crossBankOverdue90Bps"], at);
  const out: CreditBureauData = {
    reportDate: date(d.reportDate, `${at}.reportDate`), newOverdueElsewhere: bool(d.newOverdueElsewhere, `${at}.newOverdueElsewhere`),
    newLoans90d: int(d.newLoans90d, `${at}.newLoans90d`, 0, 9_999), inquiries90d: int(d.inquiries90d, `${at}.inquiries90d`, 0, 9_999),
  };
  if (d.overdueAmountElsewhere !== undefined) out.overdueAmountElsewhere = money(d.overdueAmountElsewhere, `${at}.overdueAmountElsewhere`);
  if (d.crossBankOverdue90Bps !== undefined) out.crossBankOverdue90Bps = int(d.crossBankOverdue90Bps, `${at}.crossBankOverdue90Bps`, 0, 10_000);
  return out;
}

/**
 * Checks one feed record and returns it in its canonical spelling (lower-case hashes, UTC instant).
 * @param at field path prefix for errors, e.g. "items[3]"
 * @param nowMs the current time in ms: a record fetched more than 5 minutes after it is refused
 * @throws ValidationError naming the field, e.g. "items[3].data.cases[0].filedAt"
 */
export function validateFeedRecord(input: unknown, at: string, nowMs: number): FeedRecord {
  const f = (k: string) => (at ? `${at}.${k}` : k);
  if (!isRecord(input)) throw new ValidationError(at || "record", "object");
  onlyKeys(input, ["type", "claimId", "provenance", "data"], at || "record");
  if (!(FEED_TYPES as readonly string[]).includes(input.type as string)) throw new ValidationError(f("type"), `one-of:${FEED_TYPES.join("|")}`);
  const type = input.type as FeedType;
  if (typeof input.claimId !== "string" || !HASH.test(input.claimId)) throw new ValidationError(f("claimId"), "bytes32");
  const p = input.provenance;
  if (!isRecord(p)) throw new ValidationError(f("provenance"), "object");
  onlyKeys(p, ["source", "fetchedAt", "contentHash", "reference"], f("provenance"));
  if (typeof p.source !== "string" || !SOURCE.test(p.source)) throw new ValidationError(f("provenance.source"), "source-id", `${f("provenance.source")}: a host name or agency code (letters, digits, . _ : @ -; ≤ 56)`);
  if (typeof p.fetchedAt !== "string" || !ISO_WITH_OFFSET.test(p.fetchedAt) || Number.isNaN(Date.parse(p.fetchedAt))) {
    throw new ValidationError(f("provenance.fetchedAt"), "iso-8601-date-time-with-offset");
  }
  const fetched = Date.parse(p.fetchedAt);
  if (fetched > nowMs + MAX_FUTURE_MS) throw new ValidationError(f("provenance.fetchedAt"), "not-in-the-future");
  if (fetched < Date.UTC(2000, 0, 1)) throw new ValidationError(f("provenance.fetchedAt"), "after-2000");
  if (typeof p.contentHash !== "string" || !HASH.test(p.contentHash)) throw new ValidationError(f("provenance.contentHash"), "hash", `${f("provenance.contentHash")}: keccak256 of the source document as fetched`);
  const provenance: Provenance = { source: p.source, fetchedAt: new Date(fetched).toISOString(), contentHash: p.contentHash.toLowerCase() };
  if (p.reference !== undefined) provenance.reference = text(p.reference, f("provenance.reference"), 128);
  if (!isRecord(input.data)) throw new ValidationError(f("data"), "object");
  const d = input.data;
  const data = type === "court-enforcement" ? courtData(d, f("data"))
    : type === "property-registry" ? registryData(d, f("data"))
    : type === "appraisal" ? appraisalData(d, f("data"))
    : creditData(d, f("data"));
  return { type, claimId: input.claimId.toLowerCase(), provenance, data };
}

/** A feed file: the same records with a header. */
export interface FeedFile {
  format: typeof FEED_FILE_FORMAT;
  generatedAt?: string;
  generator?: string;
  items: unknown[];
}

/**
 * Checks a feed file's header and every record (all before any is recorded).
 * @throws ValidationError naming the first bad field, e.g. "items[12].provenance.fetchedAt"
 */
export function validateFeedFile(input: unknown, nowMs: number, maxItems = 5_000): FeedRecord[] {
  if (!isRecord(input)) throw new ValidationError("file", "object");
  onlyKeys(input, ["format", "generatedAt", "generator", "items"], "file");
  if (input.format !== FEED_FILE_FORMAT) throw new ValidationError("format", `must be ${FEED_FILE_FORMAT}`);
  if (!Array.isArray(input.items) || input.items.length === 0 || input.items.length > maxItems) throw new ValidationError("items", `array-of-1-${maxItems}`);
  return input.items.map((x, i) => validateFeedRecord(x, `items[${i}]`, nowMs));
}

/** The record's id: keccak256 of its canonical JSON (RFC 8785), the evidence record's contentHash. */
export function feedId(record: FeedRecord): string {
  return canonicalHash(record);
}

/** The evidence kind a feed is recorded under: an appraisal is a valuation; the rest are desk surveys (查册/资信调查). */
export function evidenceKindOf(type: FeedType): "valuation" | "survey" {
  return type === "appraisal" ? "valuation" : "survey";
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
