/**
 * Types of the claim-amount calculator (POST /v1/claim-amounts): the request as it arrives, the
 * normalised loan the engine reads and the result. Money is bigint fen inside, decimal strings of fen on
 * the wire; rates are exact fractions, never floats.
 */

/**
 * Kinds of fee. `enforcement` is 实现债权的有关费用 (court fees, preservation, counsel actually incurred):
 * paid first (民法典第561条第1项) and outside the 24% cap. The others are charges a court adds to interest
 * for the cap (法发〔2017〕22号第二条: 违约金和其他费用); `service`, `consulting`, `advisory` and `management`
 * are the fees 九民纪要第51条 names as interest in disguise.
 */
export const FEE_KINDS = ["enforcement", "service", "consulting", "advisory", "management", "liquidated-damages", "other"] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** Fees 九民纪要第51条 treats as interest charged under another name. */
export const DISGUISED_INTEREST_FEES: readonly FeeKind[] = ["service", "consulting", "advisory", "management"];

/** Most loans per request, installments, payments and fees per loan. */
export const MAX_LOANS = 1_000;
export const MAX_SCHEDULE = 600;
export const MAX_PAYMENTS = 2_000;
export const MAX_FEES = 200;
/** Highest contract rate accepted, in basis points a year (1000%): above it the figure is a typo. */
export const MAX_RATE_BPS = 100_000;

/** The PBoC's band for the penalty markup on overdue loans (银发〔2003〕251号第三条): 30%–50% of the contract rate. */
export const PENALTY_MARKUP_MIN_BPS = 3_000;
export const PENALTY_MARKUP_MAX_BPS = 5_000;

/** The courts' cap on a financial loan's interest, compound and penalty interest and fees: 24% a year (法发〔2017〕22号第二条). */
export const COURT_CAP_BPS = 2_400;
/** Days of a bank's interest year: daily rate = annual rate / 360. */
export const BANK_YEAR_DAYS = 360n;
/** Days of the year over which a court spreads the 24% cap: a calendar year (the cap is the lower for it). */
export const COURT_YEAR_DAYS = 365n;

/** An annual rate as an exact fraction `num / den` (e.g. 4.35% = 435 / 10000). */
export interface Rate {
  num: bigint;
  den: bigint;
}

/** One loan as it arrives. Dates "YYYY-MM-DD" (China) or ISO 8601 date-times with an offset. */
export interface AmountsLoanInput {
  id: string;
  principal: string;
  disbursedAt: string;
  annualRateBps: number | string;
  penaltyMarkupBps?: number | string;
  compound?: boolean;
  schedule: Array<{ dueDate: string; principal: string; interest?: string }>;
  payments?: Array<{ paidAt: string; amount: string }>;
  fees?: Array<{ at: string; amount: string; kind: FeeKind }>;
}

export interface AmountsRequest {
  cutoff: string;
  steps?: boolean;
  loans: AmountsLoanInput[];
}

/** An installment with its due day (China calendar day number). */
export interface NormalInstallment {
  ref: string;
  day: number;
  principal: bigint;
  /** The interest the contract states for this installment; computed from the rate when absent. */
  interest?: bigint;
}

export interface NormalPayment {
  ref: string;
  day: number;
  amount: bigint;
}

export interface NormalFee {
  ref: string;
  day: number;
  amount: bigint;
  kind: FeeKind;
}

/** A loan with its dates as day numbers and its rates as fractions. */
export interface NormalLoan {
  id: string;
  index: number;
  principal: bigint;
  disbursed: number;
  rate: Rate;
  /** The agreed markup as a fraction of the contract rate (0.3–0.5), absent when the contract agrees none. */
  markup?: Rate;
  compound: boolean;
  schedule: NormalInstallment[];
  /** Payments and fees on or before the cutoff, in day order (the request's order within a day). */
  payments: NormalPayment[];
  fees: NormalFee[];
  /** Payments and fees dated after the cutoff: not counted. */
  notCounted: Array<{ field: string; reason: "after-cutoff" }>;
}

export interface NormalAmountsRequest {
  cutoff: number;
  steps: boolean;
  loans: NormalLoan[];
}

/** What a step of the computation did; amounts in fen, days as "YYYY-MM-DD". */
export type AmountStep =
  | { at: string; kind: "disbursed"; principal: bigint }
  | {
      kind: "accrual";
      /** What accrued: contract interest on principal not yet due, penalty interest on overdue principal, compound interest on overdue interest, the cap's allowance. */
      of: "interest" | "penalty-interest" | "compound-interest" | "court-cap";
      from: string;
      /** Last day counted (inclusive). */
      to: string;
      days: number;
      base: bigint;
      /** Annual rate in basis points, as an exact decimal string. */
      rateBps: string;
      amount: bigint;
    }
  | { at: string; kind: "due"; field: string; principal: bigint; interest: bigint; interestComputed: bigint }
  | { at: string; kind: "fee"; field: string; feeKind: FeeKind; amount: bigint; inCap: boolean; disguisedInterest: boolean }
  | { at: string; kind: "payment" | "credit-applied"; field: string; amount: bigint; allocation: Allocation; credit: bigint };

/** How a payment was applied (民法典第561条: fees, interest, principal). */
export interface Allocation {
  enforcementFees: bigint;
  interest: bigint;
  penaltyInterest: bigint;
  compoundInterest: bigint;
  otherFees: bigint;
  principal: bigint;
}

/** One loan's result, language-neutral, amounts in fen. */
export interface LoanAmounts {
  id: string;
  asOf: string;
  principalOutstanding: bigint;
  principalOverdue: bigint;
  interest: bigint;
  interestDue: bigint;
  penaltyInterest: bigint;
  compoundInterest: bigint;
  fees: bigint;
  feesEnforcement: bigint;
  credit: bigint;
  total: bigint;
  paid: Allocation;
  rates: { annualRateBps: string; penaltyRateBps: string; penaltyMarkupBps: string | null; compoundRateBps: string | null };
  court: {
    total: bigint;
    cutBy: bigint;
    chargesContractual: bigint;
    chargesAllowed: bigint;
    chargesPaid: bigint;
    cutFromUnpaid: bigint;
    appliedToPrincipal: bigint;
    overpaid: bigint;
    disguisedFees: bigint;
  };
  notes: Array<{ key: string; vars: Record<string, string> }>;
  notCounted: Array<{ field: string; reason: "after-cutoff" }>;
  steps?: AmountStep[];
}
