/** Mediation's types and defaults: offers, plans, authority limits and the value model (see ../mediation.ts). */
import type { DisposalPath, RecoveryAdvice, RecoveryOptions, Reason } from "../recovery.js";

export const OFFER_TYPES = ["lump-sum", "installments"] as const;
export type OfferType = (typeof OFFER_TYPES)[number];
export const OFFER_TYPES_ZH: Record<OfferType, string> = { "lump-sum": "一次性减免清偿", installments: "分期还款" };
export const OFFER_TYPES_EN: Record<OfferType, string> = { "lump-sum": "lump-sum settlement", installments: "installment plan" };

/** What one role may offer on its own authority. */
export interface AuthorityLimit {
  /** Largest discount (share of the outstanding forgiven), basis points. */
  maxDiscountBps: number;
  /** Most installments of a plan. */
  maxInstallments: number;
  /** Whether the role may approve offers beyond a proposer's limits (within its own). */
  mayApprove: boolean;
  zh: string;
  en: string;
}

/**
 * Default authority table, from the least to the most authority: a collector may forgive up to 10% and
 * spread over 12 months; the bank's or the AMC's manager more; the asset disposal review committee
 * (资产处置审查委员会, acting through the admin role — a discount on an NPL is a disposal decision, not a credit
 * one, so it is not the 审贷委员会) most.
 * Nobody may offer more than the last role's limits.
 */
export const DEFAULT_AUTHORITY: Readonly<Record<string, AuthorityLimit>> = Object.freeze({
  collector: { maxDiscountBps: 1_000, maxInstallments: 12, mayApprove: false, zh: "催收员", en: "collector" },
  bank: { maxDiscountBps: 2_000, maxInstallments: 24, mayApprove: true, zh: "银行审批人", en: "bank manager" },
  amc: { maxDiscountBps: 3_000, maxInstallments: 36, mayApprove: true, zh: "资产管理公司审批人", en: "AMC manager" },
  admin: { maxDiscountBps: 5_000, maxInstallments: 60, mayApprove: true, zh: "资产处置审查委员会", en: "asset disposal review committee" },
});

/** The documented parameters of the value model (basis points are 1/10,000; arrays are by class 正常..损失). */
export interface MediationModel {
  /** Days the debtor has to pay a lump sum. */
  lumpSumDueDays: number;
  /** Days an offer stays open. */
  validityDays: number;
  /** Months lost before the best other path starts when an offer is declined. */
  responseMonths: number;
  /** Cost of collecting and administering a settlement, bps of what is collected. */
  costBps: number;
  /** Chance a debtor accepts a lump sum without discount, by class. */
  lumpSumAcceptanceBps: readonly number[];
  /** Extra acceptance per 1% (100 bps) of discount on a lump sum, bps. */
  lumpSumAcceptancePerDiscountPct: number;
  /** Chance a debtor who accepted a lump sum pays it in time. */
  lumpSumPaymentBps: number;
  /** Chance a debtor accepts an installment plan without discount, by class. */
  planAcceptanceBps: readonly number[];
  /** Extra acceptance per 1% of discount on a plan, bps. */
  planAcceptancePerDiscountPct: number;
  /** Extra acceptance per installment beyond the first (smaller payments are easier to agree to), bps. */
  planAcceptancePerInstallment: number;
  /** Upper bound of any acceptance probability, bps. */
  maxAcceptanceBps: number;
  /** Chance a debtor on a plan misses the next installment, per installment, by class. */
  monthlyDefaultBps: readonly number[];
  /** Grid step of the discount search, bps. */
  discountStepBps: number;
  /** Installment counts the search tries. */
  installmentChoices: readonly number[];
  /** How much an offer must beat the best other path by, bps of the outstanding (0: strictly more). */
  minMarginBps: number;
}

/**
 * Default model. The figures are working assumptions for a pilot (not calibrated on outcomes yet):
 * acceptance falls and default rises with the class, as collection experience with NPLs suggests.
 */
export const DEFAULT_MEDIATION_MODEL: Readonly<MediationModel> = Object.freeze({
  lumpSumDueDays: 30,
  validityDays: 14,
  responseMonths: 1,
  costBps: 100,
  lumpSumAcceptanceBps: [3_000, 2_500, 1_800, 1_000, 500],
  lumpSumAcceptancePerDiscountPct: 150,
  lumpSumPaymentBps: 9_000,
  planAcceptanceBps: [5_000, 4_500, 3_500, 2_500, 1_500],
  planAcceptancePerDiscountPct: 100,
  planAcceptancePerInstallment: 150,
  maxAcceptanceBps: 9_000,
  monthlyDefaultBps: [150, 250, 400, 700, 1_200],
  discountStepBps: 50,
  installmentChoices: [2, 3, 4, 6, 9, 12, 18, 24, 36, 48, 60],
  minMarginBps: 0,
});

/** The claim's facts the offers rest on. */
export interface MediationFacts {
  /** bytes32 claim id. */
  claimId: string;
  /** Outstanding principal and interest, fen. */
  outstanding: bigint;
  /** Five-tier class, 0 正常 .. 4 损失. */
  classIndex: number;
  daysPastDue: number;
  /** Region for the recovery profile (see recovery.ts). */
  region?: string;
  /** Expected judicial-auction proceeds of the collateral, fen (undefined when unsecured). */
  auctionProceeds?: bigint;
  /** The day the offers are made, YYYY-MM-DD (China time as the letters are dated). */
  asOfDate: string;
  /** ISO currency code, default CNY. */
  currency?: string;
}

/** Terms a proposer fixes; what is left out is searched. */
export interface OfferTerms {
  discountBps?: number;
  /** Installments of a plan (a lump sum is always one). */
  installments?: number;
}

export interface MediationOptions {
  /** Role of whoever proposes (a key of the authority table). */
  proposerRole: string;
  /** Annual discount rate, bps (default 800 = 8%, as recovery.ts). */
  discountRateBps?: number;
  authority?: Readonly<Record<string, AuthorityLimit>>;
  /** Fixed terms of the lump sum, or false to propose none. */
  lumpSum?: OfferTerms | false;
  /** Fixed terms of the plan, or false to propose none. */
  plan?: OfferTerms | false;
  model?: Partial<MediationModel>;
  /** Region profiles and speeds for adviseRecovery (its discount rate is this one). */
  recovery?: Omit<RecoveryOptions, "discountRate">;
}

/** One installment of a plan. */
export interface InstallmentDue {
  /** 1-based. */
  n: number;
  dueDate: string;
  /** Fen, decimal string. */
  amount: string;
}

/** The plan as agreed and hashed: what the debtor pays, when, and what happens on default. */
export interface SettlementPlan {
  version: 1;
  claimId: string;
  type: OfferType;
  currency: string;
  /** Outstanding when offered, fen. */
  outstanding: string;
  discountBps: number;
  /** What the debtor pays in all, fen. */
  total: string;
  /** What is forgiven if every installment is paid, fen. */
  forgiven: string;
  installments: InstallmentDue[];
  issuedOn: string;
  validUntil: string;
  /** A missed installment ends the plan: the original claim less payments is due again. */
  onDefault: "original-claim-less-payments";
}

export interface AuthorityCheck {
  proposerRole: string;
  withinAuthority: boolean;
  limit: { maxDiscountBps: number; maxInstallments: number };
  /** Which limits the offer exceeds. */
  exceeds: Array<"discount" | "installments">;
  /** Roles that may approve it (their limits cover it), least authority first; empty when within authority. */
  approverRoles: string[];
}

export interface OfferFigures {
  outstanding: string;
  total: string;
  forgiven: string;
  discountBps: number;
  installments: number;
  firstDueDate: string;
  lastDueDate: string;
  /** Chance the debtor accepts, bps. */
  acceptanceBps: number;
  /** Chance an accepting debtor pays every installment, bps. */
  performanceBps: number;
  /** Expected amount collected under the plan if accepted (undiscounted), fen. */
  expectedCollections: string;
  expectedPresentValue: string;
  benchmarkPresentValue: string;
  /** expectedPresentValue − benchmarkPresentValue, fen. */
  margin: string;
  /** margin as bps of the outstanding. */
  marginBps: number;
}

export interface Offer {
  type: OfferType;
  typeZh: string;
  status: "proposed" | "pending-approval";
  plan: SettlementPlan;
  /** keccak256 of the plan's canonical JSON: what CollectionClauses.restructure records. */
  planHash: string;
  figures: OfferFigures;
  authority: AuthorityCheck;
  /** How the terms were chosen: "searched" (highest EPV) or "requested" (fixed by the proposer). */
  terms: "searched" | "requested";
  reasons: Reason[];
}

/** A kind of offer that is not made, and why. */
export interface DeclinedOffer extends Reason {
  type: OfferType;
  typeZh: string;
  /** The best expected present value found, when any offer was valued. */
  bestExpectedPresentValue?: string;
  benchmarkPresentValue: string;
}

export interface MediationProposal {
  claimId: string;
  asOfDate: string;
  outstanding: string;
  daysPastDue: number;
  classification: string;
  classificationZh: string;
  /** The best other disposal path: what every offer must beat. */
  benchmark: { path: DisposalPath; pathZh: string; presentValue: string; recoveryBps: number; durationMonths: number };
  advice: RecoveryAdvice;
  /** Highest expected present value first. */
  offers: Offer[];
  declined: DeclinedOffer[];
  /** The parameters the offers were valued with. */
  parameters: { discountRateBps: number; model: MediationModel };
}
