/** The feed records' shapes and the rules' figures (src/core/feeds.ts says what they do). */

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
