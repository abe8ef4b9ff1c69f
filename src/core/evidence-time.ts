/**
 * When an evidence record may say it happened. Pure: the clock, the holding and the registration
 * times are arguments (ms since the epoch; the holding and registration from block times).
 *
 * - "before-holding": a record of a contact may not predate the recorder's holding of the claim (the
 *   block in which the recorder's organisation got it: the registration for the originator, the
 *   transfer for a buyer). A buyer records nothing of the seller's time; the originator records its
 *   history from before the registration as "prior-history" (below), never as a contact.
 * - "backdated": nor may it lie more than `maxBackdateDays` before it is recorded: a contact is
 *   recorded when it happens, not months later when a limitation period needs it.
 * - "after-registration": a "prior-history" record states what happened before the claim was
 *   registered; anything later is recorded as the contact it was.
 *
 * Records of the collateral (valuation, survey) are not contacts: a survey or appraisal may come
 * before a purchase (due diligence) and has its own rules (core/survey.ts, core/feeds.ts).
 */
import type { Direction, EvidenceKind } from "./evidence.js";

/** What a "prior-history" record states happened (the events a later limitation-period rule reads). */
export const PRIOR_EVENTS = ["demand", "payment", "acknowledgement", "promise-to-pay", "restructuring", "suit", "announcement", "other"] as const;
export type PriorEvent = (typeof PRIOR_EVENTS)[number];

/** Kinds the time rules do not apply to: facts about the collateral, not dealings with a person. */
export const UNTIMED_KINDS: readonly EvidenceKind[] = ["valuation", "survey", "desk-search"];

/**
 * Whether a record is exempt from the time rules: a valuation or survey recorded as internal (nobody on the
 * other side). The same kinds with a person on the other side (inbound, outbound) are contacts and keep the
 * rules, or "valuation" would be the back door for a backdated acknowledgement.
 */
export function isUntimed(kind: EvidenceKind, direction: Direction): boolean {
  return UNTIMED_KINDS.includes(kind) && direction === "internal";
}

export type EvidenceTimeRule = "before-holding" | "backdated" | "after-registration";

export interface EvidenceTimeViolation {
  rule: EvidenceTimeRule;
  message: { en: string; "zh-CN": string };
  details: Record<string, unknown>;
}

export interface EvidenceTimeFacts {
  /** Now, as the service counts it (the later of its clock and the chain's). */
  nowMs: number;
  /** Block time at which the recorder's organisation got the claim. */
  holdingSinceMs: number;
  /** Block time at which the claim was registered. */
  registeredAtMs: number;
  maxBackdateDays: number;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Checks when a record says it happened; returns the broken rule, or null.
 *
 * @param kind the record's kind
 * @param occurredMs when the record says it happened
 * @param direction the record's direction: only internal collateral records are exempt ({@link isUntimed})
 */
export function checkEvidenceTime(kind: EvidenceKind, occurredMs: number, facts: EvidenceTimeFacts, direction: Direction): EvidenceTimeViolation | null {
  if (isUntimed(kind, direction)) return null;
  const occurredAt = iso(occurredMs);
  if (kind === "prior-history") {
    if (occurredMs < facts.registeredAtMs) return null;
    const registeredAt = iso(facts.registeredAtMs);
    return {
      rule: "after-registration",
      message: {
        en: `prior history is what happened before the claim was registered (${registeredAt}); record an event of ${occurredAt} as the contact it was`,
        "zh-CN": `既往事项仅限债权登记（${registeredAt}）之前发生的事项；${occurredAt} 的事项应按实际发生的联系记录`,
      },
      details: { occurredAt, registeredAt },
    };
  }
  if (occurredMs < facts.holdingSinceMs) {
    const holdingSince = iso(facts.holdingSinceMs);
    return {
      rule: "before-holding",
      message: {
        en: `the record is dated ${occurredAt}, before the recorder's organisation held the claim (${holdingSince}); the originator records earlier history as kind prior-history`,
        "zh-CN": `记录时间 ${occurredAt} 早于记录方所在机构取得该债权的时间（${holdingSince}）；登记前的历史由原始债权人以“既往事项”类型记录`,
      },
      details: { occurredAt, holdingSince },
    };
  }
  const earliest = facts.nowMs - facts.maxBackdateDays * DAY_MS;
  if (occurredMs < earliest) {
    return {
      rule: "backdated",
      message: {
        en: `the record is dated ${occurredAt}, more than ${facts.maxBackdateDays} days before it is recorded; contacts are recorded when they happen`,
        "zh-CN": `记录时间 ${occurredAt} 早于录入时间超过 ${facts.maxBackdateDays} 天；联系记录须及时录入`,
      },
      details: { occurredAt, earliestAllowed: iso(earliest), maxBackdateDays: facts.maxBackdateDays },
    };
  }
  return null;
}
