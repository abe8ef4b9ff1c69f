/**
 * Field checks shared by the request parsers in core (limitation, claim amounts): each refusal is a
 * {@link ValidationError} naming the field (`loans[2].payments[0].paidAt`) and a rule code.
 */
import { ValidationError } from "./errors.js";
import { dayOf, dayToCivil, formatDay } from "./dates.js";

/** Dates outside these years are refused (a typo, not an old loan). */
const MIN_YEAR = 1950;
const MAX_YEAR = 2199;

const CHINA_OFFSET_MS = 8 * 3_600_000;
const MS_PER_DAY = 86_400_000;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** An opaque reference: letters, digits and . _ : / - (no names, no ID numbers). */
export const CLAIM_ID = /^[A-Za-z0-9._:/-]{1,64}$/;

/** The China (UTC+8) calendar day number of an instant in ms since the epoch. */
export function chinaDayOfMs(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / MS_PER_DAY);
}

/** The China (UTC+8) calendar day of an instant, "YYYY-MM-DD" (letters, plans, a default asOf). */
export function chinaDateOfMs(ms: number): string {
  return formatDay(chinaDayOfMs(ms));
}

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
      if (Number.isFinite(ms)) day = chinaDayOfMs(ms);
    }
  }
  if (!Number.isFinite(day)) throw new ValidationError(field, "date", `${field}: must be a date YYYY-MM-DD (China) or an ISO 8601 date-time with offset`);
  const { y } = dayToCivil(day);
  if (y < MIN_YEAR || y > MAX_YEAR) throw new ValidationError(field, "date-range", `${field}: must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  return day;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** @throws ValidationError `object` */
export function object(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) throw new ValidationError(field, "object", `${field}: must be an object`);
  return v;
}

/** @throws ValidationError `array`, `too-many` beyond `max` items */
export function array(v: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new ValidationError(field, "array", `${field}: must be an array`);
  if (v.length > max) throw new ValidationError(field, "too-many", `${field}: at most ${max} items`);
  return v;
}

/** @throws ValidationError `one-of` */
export function oneOf<T extends string>(v: unknown, values: readonly T[], field: string): T {
  if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
    throw new ValidationError(field, "one-of", `${field}: must be one of ${values.join(", ")}`);
  }
  return v as T;
}

/** @throws ValidationError `boolean` */
export function flag(v: unknown, field: string): boolean {
  if (typeof v !== "boolean") throw new ValidationError(field, "boolean", `${field}: must be true or false`);
  return v;
}

/** @throws ValidationError `opaque-id` unless {@link CLAIM_ID} */
export function opaqueId(v: unknown, field: string): string {
  if (typeof v !== "string" || !CLAIM_ID.test(v)) {
    throw new ValidationError(field, "opaque-id", `${field}: must be 1–64 letters, digits or . _ : / - (an opaque reference, no personal data)`);
  }
  return v;
}

/** @throws ValidationError `not-allowed` naming the first property not in `allowed` */
export function known(obj: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new ValidationError(field ? `${field}.${k}` : k, "not-allowed", `${field ? `${field}.` : ""}${k}: is not an allowed property`);
  }
}
