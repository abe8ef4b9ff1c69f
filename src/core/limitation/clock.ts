import { addMonths, formatDay } from "../dates.js";
import { restDayExtension } from "../holidays-cn.js";
import { EXPIRING_WITHIN_DAYS, type BasisEntry, type EventType, type PeriodStatus, type ReasonVars } from "./types.js";

/**
 * The clock every interruptible period shares (诉讼时效, 保证债务诉讼时效, 申请执行期间): a period of
 * `months` runs from a start day (the start day not counted, 民法典第201条; it ends on the corresponding
 * day, 第202条), is interrupted by a request, an agreement to pay or a suit (第195条), and its last day
 * moves past rest days (第203条). What each event *is* for a given period is decided by that period's
 * module before the clock runs; the clock only orders and applies them.
 */

interface StepBase {
  /** What the step is about in the request, e.g. "events[3]". */
  ref: string;
  /** Tie-break for events on the same day: the request's order. */
  order: number;
  /** The day the event takes effect (a demand: the day it was delivered). */
  day: number;
  type: EventType;
  vars: ReasonVars;
}

/** An event as the period's rules classify it. */
export type Step =
  /** Interrupts the period on `day`; `revives`: after expiry it takes away the limitation defence (第192条第2款). */
  | (StepBase & { act: "interrupt"; key: string; revives?: boolean })
  /** A suit, arbitration, payment-order or enforcement application: interrupts, and the period restarts when it ends. */
  | (StepBase & { act: "suit"; endedAt?: number; keyEnded: string; keyPending: string })
  /** Changes nothing, for the reason `key`. */
  | (StepBase & { act: "none"; key: string });

export interface ClockInput {
  asOf: number;
  /** The day the period runs from (not counted). */
  start: number;
  months: number;
  steps: Step[];
  /** Move the last day past rest days (第203条). */
  extend: boolean;
  /** After-expiry key for events that come too late (default "after-expiry"). */
  afterExpiryKey?: string;
}

export interface ClockOutcome {
  /** The last day before any extension. */
  expiresAt: number;
  /** The last day moved past rest days, only when it moved. */
  extendedTo?: number;
  /** The day the right can last be exercised: extendedTo ?? expiresAt. */
  lastDay: number;
  /** A suit is pending at asOf: expiresAt is the earliest it can be (the period restarts when it ends). */
  pending: boolean;
  basis: BasisEntry[];
}

/** The last day of a period of `months` from `start`, and that day moved past rest days when `extend`. */
export function periodEnd(start: number, months: number, extend: boolean): { expiresAt: number; lastDay: number } {
  const expiresAt = addMonths(start, months);
  return { expiresAt, lastDay: extend ? restDayExtension(expiresAt).day : expiresAt };
}

/**
 * The basis entries for moving `expiresAt` past rest days (民法典第203条), and a note for years whose
 * holidays the calendar does not hold (judged by weekends only).
 */
export function extensionBasis(expiresAt: number): { extendedTo?: number; basis: BasisEntry[] } {
  const ext = restDayExtension(expiresAt);
  const basis: BasisEntry[] = [];
  const date = formatDay(expiresAt);
  const extendedTo = formatDay(ext.day);
  if (ext.reason?.kind === "holiday") {
    basis.push({ event: "calendar", effect: "extended", key: "extended-holiday", vars: { date, holiday: ext.reason.name, from: ext.reason.from, to: ext.reason.to, extendedTo } });
  } else if (ext.reason?.kind === "weekend") {
    basis.push({ event: "calendar", effect: "extended", key: "extended-weekend", vars: { date, weekday: ext.reason.weekday, extendedTo } });
  }
  if (ext.uncoveredYears.length > 0) {
    basis.push({ event: "calendar", effect: "note", key: "calendar-weekends-only", vars: { years: ext.uncoveredYears.join(", ") } });
  }
  return { extendedTo: ext.day === expiresAt ? undefined : ext.day, basis };
}

/** running, expiring (the last day is within 90 days of asOf) or expired (the last day is before asOf). */
export function statusOf(lastDay: number, asOf: number): PeriodStatus {
  if (lastDay < asOf) return "expired";
  if (lastDay - asOf <= EXPIRING_WITHIN_DAYS) return "expiring";
  return "running";
}

/** Runs a period over its classified events, oldest first, as of `asOf`. */
export function runClock(input: ClockInput): ClockOutcome {
  const { asOf, months, extend } = input;
  const basis: BasisEntry[] = [];
  let start = input.start;
  let suitUntil = -Infinity;
  let pending = false;
  const steps = [...input.steps].sort((a, b) => a.day - b.day || a.order - b.order);
  for (const s of steps) {
    const vars: ReasonVars = { ...s.vars, date: formatDay(s.day) };
    if (s.day > asOf) {
      basis.push({ event: s.ref, effect: "no-effect", key: "after-as-of", vars: { ...vars, asOf: formatDay(asOf) } });
      continue;
    }
    if (s.act === "none") {
      basis.push({ event: s.ref, effect: "no-effect", key: s.key, vars });
      continue;
    }
    if (pending || s.day <= suitUntil) {
      basis.push({ event: s.ref, effect: "no-effect", key: "during-proceedings", vars });
      continue;
    }
    if (s.day < input.start) {
      // Before the period began there is nothing to interrupt; proceedings that end after it began restart it.
      if (s.act === "suit" && (s.endedAt === undefined || s.endedAt > asOf)) {
        pending = true;
        basis.push({ event: s.ref, effect: "suspended", key: s.keyPending, vars: { ...vars, asOf: formatDay(asOf) } });
      } else if (s.act === "suit" && s.endedAt! > start) {
        start = s.endedAt!;
        suitUntil = s.endedAt!;
        basis.push({ event: s.ref, effect: "restarted", key: s.keyEnded, vars: { ...vars, endedAt: formatDay(s.endedAt!) } });
      } else {
        basis.push({ event: s.ref, effect: "no-effect", key: "before-start", vars: { ...vars, start: formatDay(input.start) } });
      }
      continue;
    }
    const { lastDay } = periodEnd(start, months, extend);
    if (s.day > lastDay) {
      if (s.act === "interrupt" && s.revives) {
        start = s.day;
        basis.push({ event: s.ref, effect: "revived", key: "revived-by-acknowledgement", vars: { ...vars, expiredOn: formatDay(lastDay) } });
      } else {
        const key = s.act === "interrupt" && s.type === "payment" ? "payment-after-expiry" : input.afterExpiryKey ?? "after-expiry";
        basis.push({ event: s.ref, effect: "no-effect", key, vars: { ...vars, expiredOn: formatDay(lastDay) } });
      }
      continue;
    }
    if (s.act === "interrupt") {
      start = s.day;
      basis.push({ event: s.ref, effect: "interrupted", key: s.key, vars });
    } else if (s.endedAt !== undefined && s.endedAt <= asOf) {
      start = s.endedAt;
      suitUntil = s.endedAt;
      basis.push({ event: s.ref, effect: "restarted", key: s.keyEnded, vars: { ...vars, endedAt: formatDay(s.endedAt) } });
    } else {
      pending = true;
      basis.push({ event: s.ref, effect: "suspended", key: s.keyPending, vars: { ...vars, asOf: formatDay(asOf) } });
    }
  }
  if (pending) {
    const expiresAt = addMonths(asOf, months);
    basis.push({ event: "asOf", effect: "note", key: "pending-earliest", vars: { asOf: formatDay(asOf), earliest: formatDay(expiresAt) } });
    return { expiresAt, lastDay: expiresAt, pending, basis };
  }
  const expiresAt = addMonths(start, months);
  if (!extend) return { expiresAt, lastDay: expiresAt, pending, basis };
  const ext = extensionBasis(expiresAt);
  basis.push(...ext.basis);
  return { expiresAt, extendedTo: ext.extendedTo, lastDay: ext.extendedTo ?? expiresAt, pending, basis };
}
