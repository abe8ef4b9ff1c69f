/**
 * Checks a feed record (or a feed file) from outside before anything is recorded: every field named on
 * refusal, no unknown field, no text that looks like a phone or ID number, nothing fetched in the future.
 */
import { parseDay } from "../dates.js";
import { ValidationError } from "../errors.js";
import { parseMinor } from "../money.js";
import {
  APPRAISAL_METHODS, FEED_FILE_FORMAT, FEED_TYPES,
  type AppraisalData, type CourtEnforcementData, type CreditBureauData, type EnforcementCase, type FeedRecord, type FeedType,
  type PropertyRegistryData, type Provenance, type Seizure,
} from "./types.js";

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
