/**
 * Types of the legal-period calculator (诉讼时效, 保证期间, 抵押权, 申请执行期间): the request as it
 * arrives, the normalised claim the rules read, and the language-neutral result.
 */

export const PERIOD_KINDS = ["litigation", "guarantee-period", "guarantee-litigation", "mortgage", "enforcement"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PERIOD_STATUSES = ["running", "expiring", "expired"] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

export const EVENT_TYPES = ["demand", "payment", "acknowledgement", "suit", "announcement"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const PARTIES = ["debtor", "guarantor"] as const;
export type Party = (typeof PARTIES)[number];

export const HOLDERS = ["bank", "amc"] as const;
export type Holder = (typeof HOLDERS)[number];

export const GUARANTEE_TYPES = ["joint", "general"] as const;
export type GuaranteeType = (typeof GUARANTEE_TYPES)[number];

/**
 * What a fact did to a period:
 * `start` the period began; `interrupted` it began again from that day (民法典第195条);
 * `suspended` a suit or enforcement is pending, the period does not run; `restarted` the proceedings
 * ended and the period began again; `revived` a debtor agreed to pay after the period ended and lost
 * the limitation defence (第192条第2款); `preserved` a guarantee was claimed within its period;
 * `no-effect` the fact changes nothing (the reason says why); `extended` the last day moved past a rest
 * day (第203条); `follows` the period ends with another one; `note` something the reader should know.
 */
export const EFFECTS = ["start", "interrupted", "suspended", "restarted", "revived", "preserved", "no-effect", "extended", "follows", "note"] as const;
export type Effect = (typeof EFFECTS)[number];

/** Days in which a period counts as expiring: it ends within this many days of asOf. */
export const EXPIRING_WITHIN_DAYS = 90;

/** One event as it arrives. Dates are "YYYY-MM-DD" (China) or ISO 8601 date-times with an offset. */
export interface LimitationEventInput {
  type: EventType;
  at: string;
  deliveredAt?: string;
  endedAt?: string;
  party?: Party;
}

/** One claim as it arrives. `id` is the caller's opaque reference; nothing personal. */
export interface LimitationClaimInput {
  id: string;
  maturityAt?: string;
  installments?: string[];
  collateral?: boolean;
  holder?: Holder;
  guarantee?: { type: GuaranteeType; periodEndsAt?: string };
  judgment?: { performBy: string };
  events: LimitationEventInput[];
}

export interface LimitationRequest {
  asOf: string;
  claims: LimitationClaimInput[];
}

/** An event with its dates as day numbers; `ref` names it in the request, e.g. "events[2]". */
export interface ClaimEvent {
  index: number;
  ref: string;
  type: EventType;
  at: number;
  deliveredAt?: number;
  endedAt?: number;
  party: Party;
}

/** A claim with its dates as day numbers (China calendar days). */
export interface NormalClaim {
  id: string;
  index: number;
  /** When the (last part of the) debt fell due; absent only when a judgment is given. */
  due?: { day: number; ref: string; installments: boolean };
  collateral: boolean;
  holder?: Holder;
  guarantee?: { type: GuaranteeType; periodEndsAt?: number };
  judgment?: { performBy: number };
  events: ClaimEvent[];
}

export interface NormalRequest {
  asOf: number;
  claims: NormalClaim[];
}

/** Values a reason's text is filled with; `type`, `party`, `holiday` and `weekday` are translated. */
export type ReasonVars = Record<string, string | number>;

/** One step of a period's reasoning, before it is put into words. */
export interface BasisEntry {
  /** What in the request it is about: "events[2]", "maturityAt", "installments[11]", "calendar", … */
  event: string;
  effect: Effect;
  /** The reason's message key (src/i18n/limitation.ts). */
  key: string;
  vars: ReasonVars;
}

/** A period, language-neutral: days as "YYYY-MM-DD". */
export interface Period {
  kind: PeriodKind;
  /** The last day on which the right can be exercised, before any extension (民法典第201条). */
  expiresAt: string;
  /** The last day moved past a weekend or public holiday (第203条), only where it moved. */
  extendedTo?: string;
  status: PeriodStatus;
  basis: BasisEntry[];
  /** The articles that govern the period, in Chinese. */
  rule: string;
}

export interface ClaimResult {
  id: string;
  periods: Period[];
}
