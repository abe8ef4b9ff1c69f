import { ValidationError } from "../errors.js";
import { dayOf, dayToCivil } from "../dates.js";
import {
  EVENT_TYPES, GUARANTEE_TYPES, HOLDERS, PARTIES,
  type ClaimEvent, type EventType, type NormalClaim, type NormalRequest, type Party,
} from "./types.js";

/**
 * Checks a limitation request and turns its dates into China calendar day numbers. Every refusal is a
 * {@link ValidationError} naming the field (`claims[2].events[0].deliveredAt`) and a rule code.
 */

/** Most claims in one request, events per claim and installments per claim. */
export const MAX_CLAIMS = 10_000;
export const MAX_EVENTS = 200;
export const MAX_INSTALLMENTS = 600;
/** Dates outside these years are refused (a typo, not an old loan). */
const MIN_YEAR = 1950;
const MAX_YEAR = 2199;

const CHINA_OFFSET_MS = 8 * 3_600_000;
const MS_PER_DAY = 86_400_000;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** An opaque reference: letters, digits and . _ : / - (no names, no ID numbers). */
export const CLAIM_ID = /^[A-Za-z0-9._:/-]{1,64}$/;

/**
 * The China (UTC+8) calendar day of "YYYY-MM-DD" or of an ISO 8601 date-time with an offset.
 * @throws ValidationError `date` when it is neither, `date-range` outside 1950–2199
 */
export function chinaDay(value: unknown, field: string): number {
  let day = NaN;
  if (typeof value === "string") {
    if (value.length === 10) day = dayOf(value);
    else if (DATE_TIME.test(value) && Number.isFinite(dayOf(value.slice(0, 10)))) {
      const ms = Date.parse(value);
      if (Number.isFinite(ms)) day = Math.floor((ms + CHINA_OFFSET_MS) / MS_PER_DAY);
    }
  }
  if (!Number.isFinite(day)) throw new ValidationError(field, "date", `${field}: must be a date YYYY-MM-DD (China) or an ISO 8601 date-time with offset`);
  const { y } = dayToCivil(day);
  if (y < MIN_YEAR || y > MAX_YEAR) throw new ValidationError(field, "date-range", `${field}: must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  return day;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) throw new ValidationError(field, "object", `${field}: must be an object`);
  return v;
}

function array(v: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new ValidationError(field, "array", `${field}: must be an array`);
  if (v.length > max) throw new ValidationError(field, "too-many", `${field}: at most ${max} items`);
  return v;
}

function oneOf<T extends string>(v: unknown, values: readonly T[], field: string): T {
  if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
    throw new ValidationError(field, "one-of", `${field}: must be one of ${values.join(", ")}`);
  }
  return v as T;
}

function known(obj: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new ValidationError(field ? `${field}.${k}` : k, "not-allowed", `${field ? `${field}.` : ""}${k}: is not an allowed property`);
  }
}

function parseEvent(raw: unknown, field: string, index: number): ClaimEvent {
  const e = object(raw, field);
  known(e, ["type", "at", "deliveredAt", "endedAt", "party"], field);
  const type = oneOf<EventType>(e.type, EVENT_TYPES, `${field}.type`);
  const at = chinaDay(e.at, `${field}.at`);
  const party = e.party === undefined ? "debtor" : oneOf<Party>(e.party, PARTIES, `${field}.party`);
  const event: ClaimEvent = { index, ref: `events[${index}]`, type, at, party };
  if (e.deliveredAt !== undefined) {
    if (type !== "demand") throw new ValidationError(`${field}.deliveredAt`, "only-for-demand", `${field}.deliveredAt: only a demand is delivered`);
    event.deliveredAt = chinaDay(e.deliveredAt, `${field}.deliveredAt`);
    if (event.deliveredAt < at) throw new ValidationError(`${field}.deliveredAt`, "delivered-before-sent", `${field}.deliveredAt: must not be before at (a demand is delivered after it is sent)`);
  }
  if (e.endedAt !== undefined) {
    if (type !== "suit") throw new ValidationError(`${field}.endedAt`, "only-for-suit", `${field}.endedAt: only a suit, arbitration or payment-order application ends`);
    event.endedAt = chinaDay(e.endedAt, `${field}.endedAt`);
    if (event.endedAt < at) throw new ValidationError(`${field}.endedAt`, "ended-before-started", `${field}.endedAt: must not be before at`);
  }
  return event;
}

function parseClaim(raw: unknown, index: number): NormalClaim {
  const field = `claims[${index}]`;
  const c = object(raw, field);
  known(c, ["id", "maturityAt", "installments", "collateral", "holder", "guarantee", "judgment", "events"], field);
  if (typeof c.id !== "string" || !CLAIM_ID.test(c.id)) {
    throw new ValidationError(`${field}.id`, "opaque-id", `${field}.id: must be 1–64 letters, digits or . _ : / - (an opaque reference, no personal data)`);
  }
  const claim: NormalClaim = { id: c.id, index, collateral: false, events: [] };

  const installments = c.installments === undefined ? [] : array(c.installments, `${field}.installments`, MAX_INSTALLMENTS);
  if (installments.length > 0) {
    let last = -Infinity;
    let lastRef = "";
    installments.forEach((d, k) => {
      const day = chinaDay(d, `${field}.installments[${k}]`);
      if (day >= last) { last = day; lastRef = `installments[${k}]`; }
    });
    claim.due = { day: last, ref: lastRef, installments: true };
  } else if (c.maturityAt !== undefined) {
    claim.due = { day: chinaDay(c.maturityAt, `${field}.maturityAt`), ref: "maturityAt", installments: false };
  }
  if (installments.length > 0 && c.maturityAt !== undefined) chinaDay(c.maturityAt, `${field}.maturityAt`); // still a valid date

  if (c.collateral !== undefined) {
    if (typeof c.collateral !== "boolean") throw new ValidationError(`${field}.collateral`, "boolean", `${field}.collateral: must be true or false`);
    claim.collateral = c.collateral;
  }
  if (c.holder !== undefined) claim.holder = oneOf(c.holder, HOLDERS, `${field}.holder`);
  if (c.guarantee !== undefined) {
    const g = object(c.guarantee, `${field}.guarantee`);
    known(g, ["type", "periodEndsAt"], `${field}.guarantee`);
    claim.guarantee = { type: oneOf(g.type, GUARANTEE_TYPES, `${field}.guarantee.type`) };
    if (g.periodEndsAt !== undefined) claim.guarantee.periodEndsAt = chinaDay(g.periodEndsAt, `${field}.guarantee.periodEndsAt`);
  }
  if (c.judgment !== undefined) {
    const j = object(c.judgment, `${field}.judgment`);
    known(j, ["performBy"], `${field}.judgment`);
    claim.judgment = { performBy: chinaDay(j.performBy, `${field}.judgment.performBy`) };
  }
  if (!claim.due && !claim.judgment) {
    throw new ValidationError(`${field}.maturityAt`, "maturity-or-installments-required", `${field}.maturityAt: give maturityAt or installments (or a judgment) — the period runs from the due date`);
  }
  if (claim.guarantee && !claim.due) {
    throw new ValidationError(`${field}.maturityAt`, "maturity-required-for-guarantee", `${field}.maturityAt: a guarantee period runs from the main debt's due date (民法典第692条); give maturityAt or installments`);
  }
  claim.events = array(c.events, `${field}.events`, MAX_EVENTS).map((e, k) => parseEvent(e, `${field}.events[${k}]`, k));
  return claim;
}

/**
 * Validates a limitation request (any JSON) and normalises its dates to China calendar days.
 * @throws ValidationError naming the field and the rule
 */
export function parseLimitationRequest(body: unknown): NormalRequest {
  const b = object(body, "body");
  known(b, ["asOf", "claims"], "");
  const asOf = chinaDay(b.asOf, "asOf");
  const claims = array(b.claims, "claims", MAX_CLAIMS);
  if (claims.length === 0) throw new ValidationError("claims", "non-empty", "claims: at least one claim");
  const seen = new Set<string>();
  const out = claims.map((c, i) => {
    const claim = parseClaim(c, i);
    if (seen.has(claim.id)) throw new ValidationError(`claims[${i}].id`, "unique", `claims[${i}].id: ${claim.id} appears twice`);
    seen.add(claim.id);
    return claim;
  });
  return { asOf, claims: out };
}

