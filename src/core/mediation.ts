/**
 * Mediation (系统自动调解): settlement offers for an overdue claim — a lump-sum settlement at a
 * discount (一次性减免清偿) and an installment plan (分期还款) — valued in expected present value
 * against the best other disposal path of {@link adviseRecovery}, within authority limits by role.
 *
 * Pure: the day the offers are made is an argument (`asOfDate`), money is bigint fen, rates and
 * probabilities are integer basis points, discount factors are fixed-point integers (scale 10^18).
 * The same facts and options always give the same offers, the same plan hashes and the same letters.
 *
 * ## The value model (all parameters in {@link MediationModel}, defaults in {@link DEFAULT_MEDIATION_MODEL})
 *
 * Present values use the same annual discount rate as recovery.ts (default 8%, effective annual,
 * discounted monthly: a payment `m` months away is worth `(1 + r)^(-m/12)`).
 *
 * An offer of total `T` paid in installments `a_1..a_n` due `t_1..t_n` months after the offer:
 * - the debtor accepts with probability `A` (by the loan's five-tier class; more with a larger discount,
 *   and for plans with more installments, up to `maxAcceptanceBps`);
 * - after accepting, the debtor defaults on each installment with probability `h` (plans: a monthly hazard
 *   by class; lump sum: `10000 − lumpSumPaymentBps`), so installment `k` is paid with probability
 *   `s_k = (1 − h)^k`;
 * - a default at installment `k` ends the plan: the claim reverts to the original outstanding less what was
 *   paid (恢复原债权), and the best other path recovers the same share of it as it would today
 *   (`benchmarkPV / outstanding`), starting at `t_k`;
 * - a declined offer costs `responseMonths` of delay before the best other path starts;
 * - collection and administration cost `costBps` of what is collected.
 *
 * `EPV = A·(Σ s_k·a_k·v(t_k) + Σ s_{k−1}·h·R_k·(B/O)·v(t_k) − cost) + (1 − A)·B·v(responseMonths)`
 * where `v` is the discount factor, `R_k` the claim left when installment `k` is missed, `B` the best other
 * path's present value and `O` the outstanding. An offer is made only when `EPV > B` (by at least
 * `minMarginBps` of the outstanding).
 *
 * ## Terms and authority
 *
 * The discount and the number of installments are searched on a grid (steps of `discountStepBps`,
 * installment counts from `installmentChoices`) for the highest EPV — first within the proposer's authority
 * (a collector may offer less than an AMC manager); only when nothing within it beats the best other path
 * is the whole range searched, and such an offer is "pending-approval" by a role whose limits cover it.
 * A caller may fix the terms instead; fixed terms beyond the proposer's limits also need approval.
 *
 * ## Money in plans
 *
 * Installments are whole yuan (multiples of 100 fen) except the last, which carries the remainder, so they
 * always sum to the total exactly; a total too small for that is split in whole fen the same way.
 * A plan is hashed as canonical JSON (RFC 8785) with keccak256: {@link planHashOf}.
 */
import { addMonths, formatDay, parseDay } from "./dates.js";
import { canonicalHash } from "./canonical.js";
import { contentHashOf } from "./evidence.js";
import { formatMajor } from "./money.js";
import { ValidationError } from "./errors.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH } from "./classification.js";
import { letterAmount, letterDate, TRANSLATION_LABEL, TRANSLATION_RULE } from "../i18n/letters.js";
import type { Lang } from "../i18n/messages.js";
import { adviseRecovery, type DisposalPath, type RecoveryAdvice, type RecoveryOptions, type Reason } from "./recovery.js";

export type { Reason };

export const OFFER_TYPES = ["lump-sum", "installments"] as const;
export type OfferType = (typeof OFFER_TYPES)[number];
export const OFFER_TYPES_ZH: Record<OfferType, string> = { "lump-sum": "一次性减免清偿", installments: "分期还款" };
const OFFER_TYPES_EN: Record<OfferType, string> = { "lump-sum": "lump-sum settlement", installments: "installment plan" };

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

// ---------------------------------------------------------------------------------------------
// Fixed-point present values

const S = 10n ** 18n;

/** floor(n^(1/k)) for n ≥ 0 (Newton from above). */
function iroot(n: bigint, k: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << (BigInt(n.toString(2).length) / k + 1n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * Discount factors `v(m) = (1 + r)^(-m/12)` for m = 0..months, scaled by 10^18 (integers).
 * @param rateBps annual effective rate, bps
 */
export function discountFactors(rateBps: number, months: number): bigint[] {
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 100_000) throw new ValidationError("discountRateBps", "integer 0..100000");
  const monthly = iroot(S ** 13n / (S + (S * BigInt(rateBps)) / 10_000n), 12n);
  const out = [S];
  for (let m = 1; m <= months; m++) out.push((out[m - 1]! * monthly) / S);
  return out;
}

/** Present value of `amount` fen at factor `v` (scaled), rounded half up. */
function pvOf(amount: bigint, v: bigint): bigint {
  return (amount * v + S / 2n) / S;
}

// ---------------------------------------------------------------------------------------------
// Plans

/**
 * Splits `total` fen into `n` installments that sum to it exactly: whole yuan each, the last carrying the
 * remainder (so it is at most n−1 yuan and 99 fen more than the others); whole fen when the total is
 * under one yuan per installment.
 * @throws ValidationError when n is not a positive integer or the total is under one fen per installment
 */
export function splitInstallments(total: bigint, n: number): bigint[] {
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new ValidationError("installments", "integer 1..600");
  const count = BigInt(n);
  if (total < count) throw new ValidationError("total", "at-least-one-fen-per-installment");
  const unit = total >= 100n * count ? 100n : 1n;
  const each = (total / count / unit) * unit;
  const out = new Array<bigint>(n).fill(each);
  out[n - 1] = total - each * (count - 1n);
  return out;
}

/** keccak256 of the plan's canonical JSON (RFC 8785), `0x` + 64 lowercase hex. */
export function planHashOf(plan: SettlementPlan): string {
  return canonicalHash(plan);
}

function dayNumber(date: string, field: string): number {
  return parseDay(date, field);
}

function buildPlan(f: MediationFacts, type: OfferType, discountBps: number, n: number, model: MediationModel): SettlementPlan {
  const issued = dayNumber(f.asOfDate, "asOfDate");
  const total = f.outstanding - (f.outstanding * BigInt(discountBps)) / 10_000n;
  const amounts = splitInstallments(total, n);
  const dueDays = type === "lump-sum" ? [issued + model.lumpSumDueDays] : amounts.map((_, k) => addMonths(issued, k + 1));
  return {
    version: 1,
    claimId: f.claimId.toLowerCase(),
    type,
    currency: f.currency ?? "CNY",
    outstanding: f.outstanding.toString(),
    discountBps,
    total: total.toString(),
    forgiven: (f.outstanding - total).toString(),
    installments: amounts.map((a, k) => ({ n: k + 1, dueDate: formatDay(dueDays[k]!), amount: a.toString() })),
    issuedOn: formatDay(issued),
    validUntil: formatDay(issued + model.validityDays),
    onDefault: "original-claim-less-payments",
  };
}

// ---------------------------------------------------------------------------------------------
// Valuation

interface Valued {
  discountBps: number;
  installments: number;
  acceptanceBps: number;
  performanceBps: number;
  expectedCollections: bigint;
  epv: bigint;
}

interface Context {
  f: MediationFacts;
  model: MediationModel;
  df: bigint[];
  benchmark: bigint;
  cls: number;
}

function acceptanceOf(ctx: Context, type: OfferType, discountBps: number, n: number): number {
  const m = ctx.model;
  const a = type === "lump-sum"
    ? m.lumpSumAcceptanceBps[ctx.cls]! + Math.floor((m.lumpSumAcceptancePerDiscountPct * discountBps) / 100)
    : m.planAcceptanceBps[ctx.cls]! + Math.floor((m.planAcceptancePerDiscountPct * discountBps) / 100) + m.planAcceptancePerInstallment * (n - 1);
  return Math.max(0, Math.min(m.maxAcceptanceBps, a));
}

/** Whole months (rounded up) from the offer to a due day, at least 1. */
function monthsUntil(days: number): number {
  return Math.max(1, Math.ceil(days / 30));
}

/** Expected present value of an offer (see the module comment for the formula). */
function value(ctx: Context, type: OfferType, discountBps: number, n: number): Valued {
  const { f, model, df, benchmark } = ctx;
  const O = f.outstanding;
  const total = O - (O * BigInt(discountBps)) / 10_000n;
  const amounts = splitInstallments(total, n);
  const hazard = BigInt(type === "lump-sum" ? 10_000 - model.lumpSumPaymentBps : model.monthlyDefaultBps[ctx.cls]!);
  let survival = S; // chance every installment so far was paid, scaled
  let paidScaled = 0n; // Σ s_k·a_k·v(t_k), scale S²
  let fallbackScaled = 0n; // Σ s_{k−1}·h·R_k·(B/O)·v(t_k), scale S²
  let collectedScaled = 0n; // Σ s_k·a_k, scale S
  let paidBefore = 0n;
  for (let k = 0; k < n; k++) {
    const t = type === "lump-sum" ? monthsUntil(model.lumpSumDueDays) : k + 1;
    const v = df[t]!;
    const defaults = (survival * hazard) / 10_000n;
    const remainingClaim = O - paidBefore;
    fallbackScaled += defaults * ((remainingClaim * benchmark) / O) * v;
    survival -= defaults;
    paidScaled += survival * amounts[k]! * v;
    collectedScaled += survival * amounts[k]!;
    paidBefore += amounts[k]!;
  }
  const S2 = S * S;
  const paidPv = (paidScaled + S2 / 2n) / S2;
  const fallbackPv = (fallbackScaled + S2 / 2n) / S2;
  const cost = (paidPv * BigInt(model.costBps)) / 10_000n;
  const acceptance = acceptanceOf(ctx, type, discountBps, n);
  const declined = pvOf(benchmark, df[model.responseMonths]!);
  const epv = (BigInt(acceptance) * (paidPv + fallbackPv - cost) + BigInt(10_000 - acceptance) * declined + 5_000n) / 10_000n;
  return {
    discountBps,
    installments: n,
    acceptanceBps: acceptance,
    performanceBps: Number((survival * 10_000n) / S),
    expectedCollections: (collectedScaled + S / 2n) / S,
    epv,
  };
}

// ---------------------------------------------------------------------------------------------
// Authority

function limitOf(authority: Readonly<Record<string, AuthorityLimit>>, role: string): AuthorityLimit {
  const l = authority[role];
  if (!l) throw new ValidationError("proposerRole", `one-of:${Object.keys(authority).join("|")}`);
  return l;
}

/** The largest limits of any role: nobody may offer beyond them. */
export function maxAuthority(authority: Readonly<Record<string, AuthorityLimit>> = DEFAULT_AUTHORITY): { maxDiscountBps: number; maxInstallments: number } {
  const all = Object.values(authority);
  return { maxDiscountBps: Math.max(...all.map((a) => a.maxDiscountBps)), maxInstallments: Math.max(...all.map((a) => a.maxInstallments)) };
}

/**
 * Whether `role` may make an offer with this discount and installment count on its own authority, and
 * if not, who may approve it.
 */
export function checkAuthority(
  role: string, discountBps: number, installments: number, authority: Readonly<Record<string, AuthorityLimit>> = DEFAULT_AUTHORITY,
): AuthorityCheck {
  const l = limitOf(authority, role);
  const exceeds: AuthorityCheck["exceeds"] = [];
  if (discountBps > l.maxDiscountBps) exceeds.push("discount");
  if (installments > l.maxInstallments) exceeds.push("installments");
  const approverRoles = exceeds.length === 0
    ? []
    : Object.entries(authority)
      .filter(([, a]) => a.mayApprove && a.maxDiscountBps >= discountBps && a.maxInstallments >= installments)
      .sort(([, a], [, b]) => a.maxDiscountBps - b.maxDiscountBps || a.maxInstallments - b.maxInstallments)
      .map(([r]) => r);
  return {
    proposerRole: role,
    withinAuthority: exceeds.length === 0,
    limit: { maxDiscountBps: l.maxDiscountBps, maxInstallments: l.maxInstallments },
    exceeds,
    approverRoles,
  };
}

/**
 * Whether `role` may approve an offer with these terms (its own limits cover them and it may approve).
 */
export function mayApprove(role: string, discountBps: number, installments: number, authority: Readonly<Record<string, AuthorityLimit>> = DEFAULT_AUTHORITY): boolean {
  const l = authority[role];
  return !!l && l.mayApprove && l.maxDiscountBps >= discountBps && l.maxInstallments >= installments;
}

// ---------------------------------------------------------------------------------------------
// Proposals

const pct = (bps: number) => `${(bps / 100).toFixed(1)}%`;
const amount = (fen: bigint | string, currency: string) => `${currency} ${formatMajor(BigInt(fen))}`;

function checkModel(m: MediationModel): void {
  const bps = (v: number, field: string) => {
    if (!Number.isInteger(v) || v < 0 || v > 10_000) throw new ValidationError(`model.${field}`, "integer 0..10000");
  };
  for (const k of ["lumpSumAcceptanceBps", "planAcceptanceBps", "monthlyDefaultBps"] as const) {
    if (m[k].length !== 5) throw new ValidationError(`model.${k}`, "one value per class (5)");
    m[k].forEach((v, i) => bps(v, `${k}[${i}]`));
  }
  for (const k of ["costBps", "lumpSumPaymentBps", "maxAcceptanceBps", "minMarginBps", "lumpSumAcceptancePerDiscountPct", "planAcceptancePerDiscountPct", "planAcceptancePerInstallment"] as const) bps(m[k], k);
  if (!Number.isInteger(m.discountStepBps) || m.discountStepBps < 1) throw new ValidationError("model.discountStepBps", "positive integer");
  if (!Number.isInteger(m.lumpSumDueDays) || m.lumpSumDueDays < 1 || m.lumpSumDueDays > 366) throw new ValidationError("model.lumpSumDueDays", "integer 1..366");
  if (!Number.isInteger(m.validityDays) || m.validityDays < 1 || m.validityDays > 366) throw new ValidationError("model.validityDays", "integer 1..366");
  if (!Number.isInteger(m.responseMonths) || m.responseMonths < 0 || m.responseMonths > 24) throw new ValidationError("model.responseMonths", "integer 0..24");
  if (m.installmentChoices.length === 0 || m.installmentChoices.some((n) => !Number.isInteger(n) || n < 1 || n > 600)) throw new ValidationError("model.installmentChoices", "integers 1..600");
}

function checkFacts(f: MediationFacts): void {
  if (typeof f.claimId !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(f.claimId)) throw new ValidationError("claimId", "bytes32-hex");
  if (typeof f.outstanding !== "bigint" || f.outstanding <= 0n) throw new ValidationError("outstanding", "positive fen");
  if (!Number.isInteger(f.classIndex) || f.classIndex < 0 || f.classIndex > 4) throw new ValidationError("classIndex", "integer 0..4");
  if (!Number.isInteger(f.daysPastDue) || f.daysPastDue < 0) throw new ValidationError("daysPastDue", "non-negative-integer");
  if (f.auctionProceeds !== undefined && (typeof f.auctionProceeds !== "bigint" || f.auctionProceeds < 0n)) throw new ValidationError("auctionProceeds", "non-negative fen");
  if (f.currency !== undefined && !/^[A-Z]{3}$/.test(f.currency)) throw new ValidationError("currency", "ISO 4217 code");
  dayNumber(f.asOfDate, "asOfDate");
}

function checkTerms(t: OfferTerms, field: string, max: { maxDiscountBps: number; maxInstallments: number }, type: OfferType): void {
  if (t.discountBps !== undefined) {
    if (!Number.isInteger(t.discountBps) || t.discountBps < 0 || t.discountBps >= 10_000) throw new ValidationError(`${field}.discountBps`, "integer 0..9999");
    if (t.discountBps > max.maxDiscountBps) throw new ValidationError(`${field}.discountBps`, "beyond-any-authority", `${field}.discountBps: ${pct(t.discountBps)} is beyond every role's authority (at most ${pct(max.maxDiscountBps)})`);
  }
  if (t.installments !== undefined) {
    if (type === "lump-sum" && t.installments !== 1) throw new ValidationError(`${field}.installments`, "a lump sum is one payment");
    if (!Number.isInteger(t.installments) || t.installments < 1) throw new ValidationError(`${field}.installments`, "positive integer");
    if (t.installments > max.maxInstallments) throw new ValidationError(`${field}.installments`, "beyond-any-authority", `${field}.installments: ${t.installments} is beyond every role's authority (at most ${max.maxInstallments})`);
  }
}

/** The best valued terms on the grid within the given limits (ties: smaller discount, fewer installments). */
function search(ctx: Context, type: OfferType, fixed: OfferTerms, limit: { maxDiscountBps: number; maxInstallments: number }): Valued | undefined {
  const counts = type === "lump-sum" ? [1] : fixed.installments !== undefined ? [fixed.installments] : ctx.model.installmentChoices.filter((n) => n <= limit.maxInstallments);
  const discounts: number[] = [];
  if (fixed.discountBps !== undefined) discounts.push(fixed.discountBps);
  else for (let d = 0; d <= limit.maxDiscountBps; d += ctx.model.discountStepBps) discounts.push(d);
  let best: Valued | undefined;
  for (const n of counts) {
    for (const d of discounts) {
      const total = ctx.f.outstanding - (ctx.f.outstanding * BigInt(d)) / 10_000n;
      if (total < BigInt(n)) continue;
      const v = value(ctx, type, d, n);
      if (!best || v.epv > best.epv) best = v;
    }
  }
  return best;
}

function roleName(authority: Readonly<Record<string, AuthorityLimit>>, role: string, lang: "zh" | "en"): string {
  return authority[role]?.[lang] ?? role;
}

/**
 * Settlement offers for an overdue claim: a lump sum and an installment plan, each the highest expected
 * present value the model finds (or on the proposer's fixed terms), made only when it beats the best
 * other disposal path; with the authority check, the plan and its hash, and reasons in zh-CN and English.
 *
 * @throws ValidationError naming the field for bad facts, an unknown role, or terms beyond every role's authority
 */
export function proposeOffers(facts: MediationFacts, options: MediationOptions): MediationProposal {
  checkFacts(facts);
  const model: MediationModel = { ...DEFAULT_MEDIATION_MODEL, ...(options.model ?? {}) };
  checkModel(model);
  const authority = options.authority ?? DEFAULT_AUTHORITY;
  limitOf(authority, options.proposerRole);
  const rateBps = options.discountRateBps ?? 800;
  const max = maxAuthority(authority);
  const fixedOf = (t: OfferTerms | false | undefined) => (t === false ? undefined : t ?? {});
  const fixedLump = fixedOf(options.lumpSum);
  const fixedPlan = fixedOf(options.plan);
  if (fixedLump) checkTerms(fixedLump, "lumpSum", max, "lump-sum");
  if (fixedPlan) checkTerms(fixedPlan, "plan", max, "installments");

  const advice = adviseRecovery(
    { outstanding: facts.outstanding, classIndex: facts.classIndex, daysPastDue: facts.daysPastDue, region: facts.region, auctionProceeds: facts.auctionProceeds },
    { ...(options.recovery ?? {}), discountRate: rateBps / 10_000 },
  );
  const best = advice.paths.find((p) => p.path === advice.recommended)!;
  const benchmark = BigInt(best.presentValue) > 0n ? BigInt(best.presentValue) : 0n;
  const longest = Math.max(
    monthsUntil(model.lumpSumDueDays), model.responseMonths, fixedPlan?.installments ?? 0,
    ...model.installmentChoices.filter((n) => n <= max.maxInstallments),
  );
  const ctx: Context = { f: facts, model, df: discountFactors(rateBps, longest), benchmark, cls: facts.classIndex };
  const currency = facts.currency ?? "CNY";
  const minMargin = (facts.outstanding * BigInt(model.minMarginBps)) / 10_000n;
  /** Strictly more than the benchmark, and by at least the required margin. */
  const beats = (v: Valued | undefined): boolean => !!v && v.epv > benchmark && v.epv - benchmark >= minMargin;

  const offers: Offer[] = [];
  const declined: DeclinedOffer[] = [];
  const benchmarkOut = { path: best.path, pathZh: best.pathZh, presentValue: benchmark.toString(), recoveryBps: best.recoveryBps, durationMonths: best.durationMonths };

  for (const type of OFFER_TYPES) {
    const fixed = type === "lump-sum" ? fixedLump : fixedPlan;
    const typeZh = OFFER_TYPES_ZH[type];
    if (!fixed) continue;
    if (facts.daysPastDue === 0) {
      declined.push({
        type, typeZh, code: "not-overdue", benchmarkPresentValue: benchmark.toString(),
        zh: "该债权未逾期，无需调解", en: "The claim is not overdue: there is nothing to settle",
      });
      continue;
    }
    const requested = fixed.discountBps !== undefined && (type === "lump-sum" || fixed.installments !== undefined);
    const own = limitOf(authority, options.proposerRole);
    let chosen = search(ctx, type, fixed, own);
    let searchedBeyond = false;
    if (!requested && !beats(chosen)) {
      const wide = search(ctx, type, fixed, max);
      if (beats(wide)) {
        chosen = wide;
        searchedBeyond = true;
      } else if (wide && (!chosen || wide.epv > chosen.epv)) chosen = wide;
    }
    if (!beats(chosen)) {
      const bestEpv = chosen?.epv;
      declined.push({
        type, typeZh, code: "cannot-beat-best-path", benchmarkPresentValue: benchmark.toString(),
        ...(bestEpv !== undefined ? { bestExpectedPresentValue: bestEpv.toString() } : {}),
        zh: bestEpv !== undefined
          ? `${typeZh}的最佳预期现值 ${amount(bestEpv, currency)} 不高于最优替代方案（${best.pathZh}）的 ${amount(benchmark, currency)}，不予提出`
          : `${typeZh}无可行方案`,
        en: bestEpv !== undefined
          ? `The best ${OFFER_TYPES_EN[type]} is worth ${amount(bestEpv, currency)} in expected present value, not more than the best other path (${best.path}) at ${amount(benchmark, currency)}: not offered`
          : `No feasible ${OFFER_TYPES_EN[type]}`,
      });
      continue;
    }
    offers.push(makeOffer(ctx, type, chosen!, options.proposerRole, authority, requested ? "requested" : "searched", searchedBeyond, benchmarkOut, currency));
  }
  offers.sort((a, b) => (BigInt(b.figures.expectedPresentValue) > BigInt(a.figures.expectedPresentValue) ? 1 : BigInt(b.figures.expectedPresentValue) < BigInt(a.figures.expectedPresentValue) ? -1 : 0));
  return {
    claimId: facts.claimId.toLowerCase(),
    asOfDate: formatDay(dayNumber(facts.asOfDate, "asOfDate")),
    outstanding: facts.outstanding.toString(),
    daysPastDue: facts.daysPastDue,
    classification: CLASSIFICATIONS[facts.classIndex]!,
    classificationZh: CLASSIFICATIONS_ZH[facts.classIndex]!,
    benchmark: benchmarkOut,
    advice,
    offers,
    declined,
    parameters: { discountRateBps: rateBps, model },
  };
}

function makeOffer(
  ctx: Context, type: OfferType, v: Valued, role: string, authority: Readonly<Record<string, AuthorityLimit>>,
  terms: Offer["terms"], searchedBeyond: boolean, benchmark: MediationProposal["benchmark"], currency: string,
): Offer {
  const plan = buildPlan(ctx.f, type, v.discountBps, v.installments, ctx.model);
  const auth = checkAuthority(role, v.discountBps, v.installments, authority);
  const margin = v.epv - ctx.benchmark;
  const marginBps = Number((margin * 10_000n) / ctx.f.outstanding);
  const typeZh = OFFER_TYPES_ZH[type];
  const reasons: Reason[] = [{
    code: "beats-best-path",
    zh: `预期现值 ${amount(v.epv, currency)} 高于最优替代方案（${benchmark.pathZh}）的 ${amount(ctx.benchmark, currency)}，高出 ${amount(margin, currency)}（未偿本息的${pct(marginBps)}）`,
    en: `Expected present value ${amount(v.epv, currency)} beats the best other path (${benchmark.path}) at ${amount(ctx.benchmark, currency)} by ${amount(margin, currency)} (${pct(marginBps)} of outstanding)`,
  }, {
    code: "acceptance-model",
    zh: `按${CLASSIFICATIONS_ZH[ctx.cls]}类债权估计：债务人接受概率 ${pct(v.acceptanceBps)}，接受后全部履约概率 ${pct(v.performanceBps)}；违约则恢复原债权并转入替代方案`,
    en: `For a ${CLASSIFICATIONS[ctx.cls]} claim: acceptance ${pct(v.acceptanceBps)}, full performance once accepted ${pct(v.performanceBps)}; a default reinstates the original claim and the other path follows`,
  }];
  if (v.discountBps > 0) {
    reasons.push({
      code: "discount",
      zh: `减免 ${pct(v.discountBps)}（${amount(plan.forgiven, currency)}），全部按期支付后生效`,
      en: `Discount ${pct(v.discountBps)} (${amount(plan.forgiven, currency)}), granted only once every installment is paid`,
    });
  }
  if (type === "installments") {
    const first = plan.installments[0]!.amount;
    const last = plan.installments[plan.installments.length - 1]!.amount;
    reasons.push(first === last
      ? { code: "installments-even", zh: `${v.installments} 期，每期 ${amount(first, currency)}`, en: `${v.installments} monthly installments of ${amount(first, currency)}` }
      : {
        code: "installments-rounded",
        zh: `${v.installments} 期，每期 ${amount(first, currency)}（取整到元），末期 ${amount(last, currency)} 含尾差，合计恰为 ${amount(plan.total, currency)}`,
        en: `${v.installments} monthly installments of ${amount(first, currency)} (whole yuan), the last ${amount(last, currency)} carrying the remainder, summing exactly to ${amount(plan.total, currency)}`,
      });
  }
  reasons.push(terms === "requested"
    ? { code: "terms-requested", zh: "条件由提出人指定", en: "Terms set by the proposer" }
    : searchedBeyond
      ? { code: "best-beyond-authority", zh: "在提出人权限内没有优于替代方案的条件，已在全部权限范围内选取预期现值最高者", en: "Nothing within the proposer's authority beats the other path; the highest expected present value over the whole range was chosen" }
      : { code: "best-within-authority", zh: `在${roleName(authority, role, "zh")}权限内选取预期现值最高的条件`, en: `Highest expected present value within the ${roleName(authority, role, "en")}'s authority` });
  if (auth.withinAuthority) {
    reasons.push({
      code: "within-authority",
      zh: `在${roleName(authority, role, "zh")}权限内（减免不超过 ${pct(auth.limit.maxDiscountBps)}，不超过 ${auth.limit.maxInstallments} 期），可直接提出`,
      en: `Within the ${roleName(authority, role, "en")}'s authority (discount up to ${pct(auth.limit.maxDiscountBps)}, up to ${auth.limit.maxInstallments} installments): may be offered now`,
    });
  } else {
    const what = auth.exceeds.map((e) => (e === "discount" ? [`减免 ${pct(v.discountBps)} 超过 ${pct(auth.limit.maxDiscountBps)}`, `a discount of ${pct(v.discountBps)} over ${pct(auth.limit.maxDiscountBps)}`] : [`${v.installments} 期超过 ${auth.limit.maxInstallments} 期`, `${v.installments} installments over ${auth.limit.maxInstallments}`]));
    reasons.push({
      code: "needs-approval",
      zh: `超出${roleName(authority, role, "zh")}权限（${what.map((w) => w[0]).join("；")}），需经${auth.approverRoles.map((r) => roleName(authority, r, "zh")).join("或")}审批后方可发出`,
      en: `Beyond the ${roleName(authority, role, "en")}'s authority (${what.map((w) => w[1]).join("; ")}): needs approval by ${auth.approverRoles.map((r) => `the ${roleName(authority, r, "en")}`).join(" or ")} before it is sent`,
    });
  }
  return {
    type,
    typeZh,
    status: auth.withinAuthority ? "proposed" : "pending-approval",
    plan,
    planHash: planHashOf(plan),
    figures: {
      outstanding: plan.outstanding,
      total: plan.total,
      forgiven: plan.forgiven,
      discountBps: v.discountBps,
      installments: v.installments,
      firstDueDate: plan.installments[0]!.dueDate,
      lastDueDate: plan.installments[plan.installments.length - 1]!.dueDate,
      acceptanceBps: v.acceptanceBps,
      performanceBps: v.performanceBps,
      expectedCollections: v.expectedCollections.toString(),
      expectedPresentValue: v.epv.toString(),
      benchmarkPresentValue: ctx.benchmark.toString(),
      margin: margin.toString(),
      marginBps,
    },
    authority: auth,
    terms,
    reasons,
  };
}

// ---------------------------------------------------------------------------------------------
// Installment tracking

export type InstallmentState = "paid" | "partly-paid" | "missed" | "upcoming";

export interface TrackedInstallment extends InstallmentDue {
  /** Fen of this installment covered by payments so far. */
  paid: string;
  state: InstallmentState;
  /** Day the payments first covered it in full (when payments are known). */
  paidOn?: string;
}

export interface InstallmentTracking {
  asOfDate: string;
  /** Where the payments came from. */
  source: "payments" | "outstanding" | "none";
  installments: TrackedInstallment[];
  paidTotal: string;
  remaining: string;
  paidCount: number;
  missedCount: number;
  /** The first installment not paid in full, if any. */
  nextDue: InstallmentDue | null;
  completed: boolean;
}

/**
 * Which installments are paid, partly paid, missed or upcoming at `asOfDate`. Payments are applied to
 * the installments in order (the oldest due first), as banks allocate them. Payments before the plan was
 * issued are ignored. Without payments, `paidTotal` (e.g. outstanding at acceptance less outstanding now)
 * is applied the same way. An installment is missed when its due date is before `asOfDate` and it is not
 * paid in full.
 *
 * @throws ValidationError for bad dates or amounts
 */
export function trackInstallments(
  plan: SettlementPlan,
  input: { asOfDate: string; payments?: ReadonlyArray<{ paidAt: string; amount: bigint }>; paidTotal?: bigint },
): InstallmentTracking {
  const asOf = parseDay(input.asOfDate, "asOfDate", true);
  const issued = dayNumber(plan.issuedOn, "plan.issuedOn");
  const payments = (input.payments ?? [])
    .map((p, i) => {
      if (typeof p.amount !== "bigint" || p.amount < 0n) throw new ValidationError(`payments[${i}].amount`, "non-negative fen");
      return { day: parseDay(p.paidAt, `payments[${i}].paidAt`, true), amount: p.amount };
    })
    .filter((p) => p.day >= issued && p.day <= asOf)
    .sort((a, b) => a.day - b.day);
  const source: InstallmentTracking["source"] = input.payments && input.payments.length > 0 ? "payments" : input.paidTotal !== undefined ? "outstanding" : "none";
  const paidTotal = source === "payments" ? payments.reduce((s, p) => s + p.amount, 0n) : input.paidTotal !== undefined && input.paidTotal > 0n ? input.paidTotal : 0n;
  const out: TrackedInstallment[] = [];
  let cumDue = 0n;
  let paidCount = 0;
  let missedCount = 0;
  let nextDue: InstallmentDue | null = null;
  for (const due of plan.installments) {
    const a = BigInt(due.amount);
    const covered = paidTotal - cumDue <= 0n ? 0n : paidTotal - cumDue >= a ? a : paidTotal - cumDue;
    cumDue += a;
    const dueDay = dayNumber(due.dueDate, "dueDate");
    const state: InstallmentState = covered === a ? "paid" : dueDay < asOf ? "missed" : covered > 0n ? "partly-paid" : "upcoming";
    const row: TrackedInstallment = { ...due, paid: covered.toString(), state };
    if (state === "paid" && source === "payments") {
      let cum = 0n;
      for (const p of payments) {
        cum += p.amount;
        if (cum >= cumDue) {
          row.paidOn = formatDay(p.day);
          break;
        }
      }
    }
    if (state === "paid") paidCount++;
    if (state === "missed") missedCount++;
    if (state !== "paid" && !nextDue) nextDue = due;
    out.push(row);
  }
  const total = BigInt(plan.total);
  return {
    asOfDate: formatDay(asOf),
    source,
    installments: out,
    paidTotal: paidTotal.toString(),
    remaining: (paidTotal >= total ? 0n : total - paidTotal).toString(),
    paidCount,
    missedCount,
    nextDue,
    completed: paidCount === out.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Letters

export interface OfferLetterFacts {
  plan: SettlementPlan;
  planHash: string;
  /** Loan contract number (借款合同编号). */
  contractNo?: string;
  /** Debtor's name as addressed; personal data, never on chain (only the letter's hash is). */
  debtorName?: string;
  /** Creditor (current holder) as it signs. */
  creditor: string;
  daysPastDue: number;
}

export interface RenderedLetter {
  text: string;
  /** keccak256 of the text's UTF-8 bytes: the evidence record's contentHash. */
  contentHash: string;
}

/** The letters' amount and date, in a language (src/i18n/letters.ts): "人民币850,000.00元", "2026年4月15日". */
function words(lang: Lang, currency: string) {
  return { money: (fen: bigint | string) => letterAmount(lang, BigInt(fen), currency), day: (d: string) => letterDate(lang, d) };
}

function schedule(lang: Lang, plan: SettlementPlan): string[] {
  const w = words(lang, plan.currency);
  return plan.installments.map((i) => `  ${String(i.n).padStart(2, " ")}. ${w.day(i.dueDate)}  ${w.money(i.amount)}`);
}

/** The operative Chinese letter, then its labelled English translation (as the notices: the Chinese text prevails). */
function document(zh: string[], en: string[]): string {
  return [...zh, "", TRANSLATION_RULE, TRANSLATION_LABEL["zh-CN"], TRANSLATION_LABEL.en, TRANSLATION_RULE, "", ...en, ""].join("\n");
}

/**
 * The settlement offer letter (和解方案通知书): the operative Chinese letter, then its labelled English
 * translation, naming the plan's hash so the debtor's acceptance and the on-chain restructuring refer to
 * exactly this plan. Amounts read "人民币…元", dates "2026年4月15日".
 * @throws ValidationError for a bad plan hash or a negative days-past-due
 */
export function renderOfferLetter(f: OfferLetterFacts): RenderedLetter {
  if (!/^0x[0-9a-f]{64}$/.test(f.planHash)) throw new ValidationError("planHash", "bytes32-hex-lowercase");
  if (!Number.isInteger(f.daysPastDue) || f.daysPastDue < 0) throw new ValidationError("daysPastDue", "non-negative-integer");
  const p = f.plan;
  const zw = words("zh-CN", p.currency);
  const ew = words("en", p.currency);
  const to = f.debtorName ?? "借款人";
  const toEn = f.debtorName ?? "Borrower";
  const contract = f.contractNo ? `（借款合同编号：${f.contractNo}）` : "";
  const contractEn = f.contractNo ? ` (loan contract ${f.contractNo})` : "";
  const lump = p.type === "lump-sum";
  const n = p.installments.length;
  const zh = [
    "和解方案通知书",
    `${to}：`,
    `您${contract}项下的借款已逾期${f.daysPastDue}天。截至${zw.day(p.issuedOn)}，您尚欠本息合计${zw.money(p.outstanding)}。`,
    lump
      ? `为尽快解决债务，债权人提出一次性清偿方案：您于${zw.day(p.installments[0]!.dueDate)}前一次性支付${zw.money(p.total)}，债权人同意减免${zw.money(p.forgiven)}（${pct(p.discountBps)}）。`
      : `为尽快解决债务，债权人提出分期还款方案：您分${n}期按月支付合计${zw.money(p.total)}${p.discountBps > 0 ? `，全部按期付清后债权人减免${zw.money(p.forgiven)}（${pct(p.discountBps)}）` : ""}。还款计划如下：`,
    ...(lump ? [] : schedule("zh-CN", p)),
    `本方案有效期至${zw.day(p.validUntil)}；接受本方案即视为同意上述条件。`,
    "如未按期足额支付任一期款项，本方案自动终止，减免不再适用，债权人有权就原债权扣除已付款项后的余额恢复催收及法律程序。",
    `方案编号（哈希）：${f.planHash}`,
    "",
    `债权人：${f.creditor}`,
    `债权编号：${p.claimId}`,
    `日期：${zw.day(p.issuedOn)}`,
  ];
  const en = [
    "Settlement offer",
    `Dear ${toEn},`,
    `Your loan${contractEn} is ${f.daysPastDue} days overdue. As of ${ew.day(p.issuedOn)} you owe ${ew.money(p.outstanding)} in principal and interest.`,
    lump
      ? `To settle the debt, the creditor offers a lump-sum settlement: if you pay ${ew.money(p.total)} in one payment by ${ew.day(p.installments[0]!.dueDate)}, the creditor forgives ${ew.money(p.forgiven)} (${pct(p.discountBps)}).`
      : `To settle the debt, the creditor offers an installment plan: ${n} monthly installments totalling ${ew.money(p.total)}${p.discountBps > 0 ? `; once all are paid on time the creditor forgives ${ew.money(p.forgiven)} (${pct(p.discountBps)})` : ""}. The schedule:`,
    ...(lump ? [] : schedule("en", p)),
    `This offer is open until ${ew.day(p.validUntil)}; accepting it means agreeing to these terms.`,
    "If any installment is not paid in full when due, the plan ends, the discount lapses, and the creditor may resume collection and legal steps for the original claim less what was paid.",
    `Plan reference (hash): ${f.planHash}`,
    "",
    `Creditor: ${f.creditor}`,
    `Claim: ${p.claimId}`,
    `Date: ${ew.day(p.issuedOn)}`,
  ];
  const text = document(zh, en);
  return { text, contentHash: contentHashOf(text) };
}

export interface AcceptanceFacts {
  plan: SettlementPlan;
  planHash: string;
  offerId: string;
  debtorName?: string;
  creditor: string;
  /** Day the debtor accepted, YYYY-MM-DD. */
  acceptedOn: string;
  /** How the acceptance was given (channel of the evidence record). */
  channel: string;
}

/**
 * The debtor's acceptance as recorded (和解方案确认书): the operative Chinese text, then its labelled English
 * translation, naming the plan's hash.
 * @throws ValidationError for a bad date or plan hash
 */
export function renderAcceptance(f: AcceptanceFacts): RenderedLetter {
  if (!/^0x[0-9a-f]{64}$/.test(f.planHash)) throw new ValidationError("planHash", "bytes32-hex-lowercase");
  const day = formatDay(dayNumber(f.acceptedOn, "acceptedOn"));
  const p = f.plan;
  const zw = words("zh-CN", p.currency);
  const ew = words("en", p.currency);
  const who = f.debtorName ?? "借款人";
  const whoEn = f.debtorName ?? "The borrower";
  const n = p.installments.length;
  const zh = [
    "和解方案确认书",
    `${who}于${zw.day(day)}通过${f.channel}确认接受债权人于${zw.day(p.issuedOn)}提出的${OFFER_TYPES_ZH[p.type]}方案：共${n}期，合计${zw.money(p.total)}，首期${zw.day(p.installments[0]!.dueDate)}，末期${zw.day(p.installments[n - 1]!.dueDate)}。`,
    "债务人知悉：任一期未按期足额支付，方案终止，减免不再适用。",
    `方案编号（哈希）：${f.planHash}`,
    "",
    `债权人：${f.creditor}`,
    `债权编号：${p.claimId}`,
    `要约编号：${f.offerId}`,
  ];
  const en = [
    "Acceptance of settlement",
    `${whoEn} accepted on ${ew.day(day)} (via ${f.channel}) the creditor's ${OFFER_TYPES_EN[p.type]} of ${ew.day(p.issuedOn)}: ${n} installment(s) totalling ${ew.money(p.total)}, first due ${ew.day(p.installments[0]!.dueDate)}, last due ${ew.day(p.installments[n - 1]!.dueDate)}.`,
    "The debtor understands that if any installment is not paid in full when due, the plan ends and the discount lapses.",
    `Plan reference (hash): ${f.planHash}`,
    "",
    `Creditor: ${f.creditor}`,
    `Claim: ${p.claimId}`,
    `Offer: ${f.offerId}`,
  ];
  const text = document(zh, en);
  return { text, contentHash: contentHashOf(text) };
}
