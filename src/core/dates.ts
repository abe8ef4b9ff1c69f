import { ValidationError } from "./errors.js";

/**
 * Calendar arithmetic for the scoring core, in whole UTC days.
 *
 * A date is a *day number*: days since 1970-01-01 (UTC). "YYYY-MM-DD" strings are parsed by hand
 * (no Date objects, no allocation) because the hot path reads millions of them. Day arithmetic is
 * plain integer arithmetic: a payment due on day `d` and still unpaid on day `d + n` is `n` days past due.
 * A date-time (e.g. `asOf` = "2025-03-31T18:00:00+08:00") is first converted to its UTC instant and then
 * to the UTC calendar day that contains it.
 */

const MS_PER_DAY = 86_400_000;

/** Days in each month of a non-leap year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!;
}

/** Day number of a civil date (proleptic Gregorian), after H. Hinnant's `days_from_civil`. */
export function civilToDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Civil date of a day number, the inverse of {@link civilToDay}. */
export function dayToCivil(day: number): { y: number; m: number; d: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** "YYYY-MM-DD" of a day number. */
export function formatDay(day: number): string {
  const { y, m, d } = dayToCivil(day);
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * Day number of a strict "YYYY-MM-DD" string, or `NaN` when it is not a real calendar date.
 * Allocation-free; used in the hot path. {@link parseDay} is the validating wrapper.
 */
export function dayOf(s: unknown): number {
  if (typeof s !== "string" || s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y0 = digit(s, 0), y1 = digit(s, 1), y2 = digit(s, 2), y3 = digit(s, 3);
  const m0 = digit(s, 5), m1 = digit(s, 6), d0 = digit(s, 8), d1 = digit(s, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  if (s.length === 10) return civilToDay(y, m, d);
  return NaN;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a date ("YYYY-MM-DD") or an ISO 8601 date-time with an explicit offset to the UTC day number
 * that contains it. A date-time without an offset is refused: its day would depend on the server's zone.
 * @param field the field path named in the error, e.g. "loans[3].schedule[0].dueDate"
 * @throws ValidationError naming the field
 */
export function parseDay(value: unknown, field: string, allowDateTime = false): number {
  if (typeof value === "string") {
    if (value.length === 10) {
      const day = dayOf(value);
      if (Number.isFinite(day)) return day;
      throw new ValidationError(field, "must be a real calendar date YYYY-MM-DD");
    }
    if (allowDateTime && DATE_TIME.test(value)) {
      const ms = Date.parse(value.replace(" ", "T"));
      if (Number.isFinite(ms) && Number.isFinite(dayOf(value.slice(0, 10)))) return Math.floor(ms / MS_PER_DAY);
    }
  }
  throw new ValidationError(
    field,
    allowDateTime ? "must be a date YYYY-MM-DD or an ISO 8601 date-time with offset" : "must be a date YYYY-MM-DD",
  );
}

/**
 * Adds calendar months, clamping to the month's last day (2024-01-31 + 1 month = 2024-02-29),
 * the way loan contracts count "six months".
 */
export function addMonths(day: number, months: number): number {
  const { y, m, d } = dayToCivil(day);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return civilToDay(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Whole months from `from` to `to` (floor), by calendar: 2024-01-31 → 2024-02-29 is one month. */
export function monthsBetween(from: number, to: number): number {
  const a = dayToCivil(from);
  const b = dayToCivil(to);
  let months = (b.y - a.y) * 12 + (b.m - a.m);
  if (addMonths(from, months) > to) months -= 1;
  return months;
}
