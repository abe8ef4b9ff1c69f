/**
 * Collection compliance: whether a proposed contact may go ahead, decided before it is recorded.
 * Pure: the clock, the debtor's time zone and the recent contacts are arguments.
 *
 * Rules (all configurable; defaults follow common practice for collection in China, e.g. the
 * banking association's conduct rules: 08:00–21:00 local time, a few contacts a day, no pressure
 * on people who owe nothing):
 * - "third-party": outbound contacts only with the debtor's side (debtor, co-debtor, guarantor,
 *   legal representative, authorised agent); never family, employer, colleagues or others.
 * - "contact-hours": outbound calls, SMS and visits only between `contactHours.start` (inclusive)
 *   and `contactHours.end` (exclusive) in the debtor's time zone.
 * - "daily-cap" / "weekly-cap": outbound calls, SMS and visits counted per debtor per local calendar
 *   day, and over the 7 local calendar days ending with the contact's day.
 *
 * Which kinds count: every outbound *attempt* to reach a person in real time or on their phone —
 * call, sms, visit — whether or not it was answered. Letters, notices (legal notices, assignment
 * notices) and records without a person (valuation, survey, payment) do not count towards caps or
 * hours by default: they are often required by law and do not interrupt anyone. Inbound contacts
 * (the debtor calls in, pays) never count. Change `cappedKinds` / `hoursKinds` to decide otherwise.
 */
import type { EvidenceKind, Relation, Direction } from "./evidence.js";
import { ComplianceError, ValidationError } from "./errors.js";

export interface ComplianceConfig {
  /** Local wall-clock window for contacts, "HH:MM" 24h; start inclusive, end exclusive. */
  contactHours: { start: string; end: string };
  /** Most counted contacts per debtor per local calendar day. */
  dailyCap: number;
  /** Most counted contacts per debtor over 7 local calendar days (the contact's day and 6 before). */
  weeklyCap: number;
  /** Relations a collector may contact; anyone else is a third party. */
  allowedRelations: Relation[];
  /** Kinds that count towards the caps. */
  cappedKinds: EvidenceKind[];
  /** Kinds that must fall inside contact hours. */
  hoursKinds: EvidenceKind[];
}

export const DEFAULT_COMPLIANCE_CONFIG: Readonly<ComplianceConfig> = Object.freeze<ComplianceConfig>({
  contactHours: { start: "08:00", end: "21:00" },
  dailyCap: 3,
  weeklyCap: 10,
  allowedRelations: ["debtor", "co-debtor", "guarantor", "legal-representative", "authorised-agent"],
  cappedKinds: ["call", "sms", "visit"],
  hoursKinds: ["call", "sms", "visit"],
});

/** The parts of a contact the rules read (an evidence record or a proposal for one). */
export interface ContactFacts {
  kind: EvidenceKind;
  direction: Direction;
  /** Instant of the contact: ISO 8601 string or Date. */
  occurredAt: string | Date;
  counterparty: { relation: Relation } | null;
}

export type ComplianceRule = "third-party" | "contact-hours" | "daily-cap" | "weekly-cap";

export interface ComplianceViolation {
  rule: ComplianceRule;
  message: { en: string; "zh-CN": string };
  details: Record<string, unknown>;
}

export type ComplianceResult = { ok: true } | { ok: false; rule: ComplianceRule; violations: ComplianceViolation[] };

/**
 * Checks a proposed contact against the rules. Returns every broken rule, the most serious first
 * (third-party, contact-hours, daily-cap, weekly-cap); `rule` is the first.
 *
 * @param proposed the contact about to be made
 * @param timeZone the debtor's IANA time zone, e.g. "Asia/Shanghai"
 * @param recentContacts accepted contacts concerning the same debtor (any claim, any counterparty);
 *        older than 7 days may be left out. Only outbound ones of `cappedKinds` are counted.
 * @param config overrides of {@link DEFAULT_COMPLIANCE_CONFIG}
 * @throws ValidationError for an unknown time zone, bad times, a bad config, or an outbound contact
 *         without a counterparty
 */
export function checkContact(
  proposed: ContactFacts,
  timeZone: string,
  recentContacts: readonly ContactFacts[],
  config: Partial<ComplianceConfig> = {},
): ComplianceResult {
  const cfg = resolveConfig(config);
  if (proposed.direction !== "outbound") return { ok: true }; // inbound and internal records are no contact by us
  // Whom we reach decides the third-party rule: an outbound contact without a counterparty is unknown, not allowed.
  if (proposed.counterparty === null || proposed.counterparty === undefined) {
    throw new ValidationError("counterparty", "required-for-outbound");
  }
  const at = instant(proposed.occurredAt, "occurredAt");
  const local = localTime(at, timeZone);
  const violations: ComplianceViolation[] = [];

  if (!cfg.allowedRelations.includes(proposed.counterparty.relation)) {
    violations.push(violation("third-party", { relation: proposed.counterparty.relation }));
  }
  if (cfg.hoursKinds.includes(proposed.kind)) {
    const start = minutesOf(cfg.contactHours.start, "contactHours.start");
    const end = minutesOf(cfg.contactHours.end, "contactHours.end");
    const minute = local.hour * 60 + local.minute;
    if (minute < start || minute >= end) {
      violations.push(violation("contact-hours", {
        localTime: `${pad(local.hour)}:${pad(local.minute)}`, timeZone, start: cfg.contactHours.start, end: cfg.contactHours.end,
      }));
    }
  }
  if (cfg.cappedKinds.includes(proposed.kind)) {
    let today = 0;
    let week = 0;
    for (const contact of recentContacts) {
      if (contact.direction !== "outbound" || !cfg.cappedKinds.includes(contact.kind)) continue;
      const days = local.day - localTime(instant(contact.occurredAt, "recentContacts.occurredAt"), timeZone).day;
      if (days === 0) today++;
      if (days >= 0 && days < 7) week++;
    }
    if (today + 1 > cfg.dailyCap) violations.push(violation("daily-cap", { cap: cfg.dailyCap, count: today, date: local.date, timeZone }));
    if (week + 1 > cfg.weeklyCap) violations.push(violation("weekly-cap", { cap: cfg.weeklyCap, count: week, date: local.date, timeZone }));
  }
  return violations.length === 0 ? { ok: true } : { ok: false, rule: violations[0].rule, violations };
}

/**
 * {@link checkContact}, throwing a ComplianceError for the first broken rule: `rule` is the rule
 * code, the message is English, `details.messages` holds it in zh-CN and English, and
 * `details.violations` every broken rule.
 */
export function assertContactAllowed(
  proposed: ContactFacts,
  timeZone: string,
  recentContacts: readonly ContactFacts[],
  config: Partial<ComplianceConfig> = {},
): void {
  const result = checkContact(proposed, timeZone, recentContacts, config);
  if (result.ok) return;
  const first = result.violations[0];
  throw new ComplianceError(first.rule, first.message.en, {
    ...first.details,
    messages: first.message,
    violations: result.violations.map((v) => ({ rule: v.rule, ...v.details })),
  });
}

/** The config with defaults filled in and checked. @throws ValidationError */
export function resolveConfig(config: Partial<ComplianceConfig>): ComplianceConfig {
  const cfg = { ...DEFAULT_COMPLIANCE_CONFIG, ...config };
  const start = minutesOf(cfg.contactHours.start, "contactHours.start");
  const end = minutesOf(cfg.contactHours.end, "contactHours.end");
  if (end <= start) throw new ValidationError("contactHours", "start-before-end");
  for (const key of ["dailyCap", "weeklyCap"] as const) {
    if (!Number.isSafeInteger(cfg[key]) || cfg[key] < 0) throw new ValidationError(key, "non-negative-integer");
  }
  return cfg;
}

const MESSAGES: Record<ComplianceRule, { en: string; "zh-CN": string }> = {
  "third-party": {
    en: "Refused (third-party): contacting the debtor's {relation} is not allowed; only the debtor's side may be contacted.",
    "zh-CN": "已拒绝（第三方）：不得联系债务人的{relation}，只能联系债务人一方。",
  },
  "contact-hours": {
    en: "Refused (contact-hours): {localTime} in {timeZone} is outside contact hours {start}–{end}.",
    "zh-CN": "已拒绝（联系时段）：{timeZone} 当地时间 {localTime} 不在允许的联系时段 {start}–{end} 内。",
  },
  "daily-cap": {
    en: "Refused (daily-cap): the debtor was already contacted {count} time(s) on {date}; the limit is {cap} per day.",
    "zh-CN": "已拒绝（每日上限）：{date} 已联系该债务人 {count} 次，每日上限为 {cap} 次。",
  },
  "weekly-cap": {
    en: "Refused (weekly-cap): the debtor was already contacted {count} time(s) in the 7 days up to {date}; the limit is {cap} per week.",
    "zh-CN": "已拒绝（每周上限）：截至 {date} 的 7 天内已联系该债务人 {count} 次，每周上限为 {cap} 次。",
  },
};

const RELATION_NAMES: Record<string, { en: string; "zh-CN": string }> = {
  debtor: { en: "debtor", "zh-CN": "债务人" },
  "co-debtor": { en: "co-debtor", "zh-CN": "共同债务人" },
  guarantor: { en: "guarantor", "zh-CN": "担保人" },
  "legal-representative": { en: "legal representative", "zh-CN": "法定代表人" },
  "authorised-agent": { en: "authorised agent", "zh-CN": "授权代理人" },
  family: { en: "family member", "zh-CN": "家庭成员" },
  employer: { en: "employer", "zh-CN": "工作单位" },
  colleague: { en: "colleague", "zh-CN": "同事" },
  other: { en: "unrelated person", "zh-CN": "无关人员" },
};

function violation(rule: ComplianceRule, details: Record<string, unknown>): ComplianceViolation {
  const fill = (lang: "en" | "zh-CN") => MESSAGES[rule][lang].replace(/\{(\w+)\}/g, (_, key: string) =>
    key === "relation" ? RELATION_NAMES[String(details.relation)]?.[lang] ?? String(details.relation) : String(details[key]));
  return { rule, message: { en: fill("en"), "zh-CN": fill("zh-CN") }, details };
}

function instant(value: string | Date, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new ValidationError(field, "date");
  return date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock of an instant in an IANA zone, with a day number for calendar arithmetic. */
function localTime(at: Date, timeZone: string): { hour: number; minute: number; day: number; date: string } {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      });
    } catch {
      throw new ValidationError("timeZone", "iana-time-zone");
    }
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const day = Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000;
  return { hour: parts.hour, minute: parts.minute, day, date: `${parts.year}-${pad(parts.month)}-${pad(parts.day)}` };
}

function minutesOf(hhmm: string, field: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (m === null || (m[1] === "24" && m[2] !== "00")) throw new ValidationError(field, "HH:MM");
  return Number(m[1]) * 60 + Number(m[2]);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
