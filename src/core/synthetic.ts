import { addMonths, civilToDay, dayOf, formatDay } from "./dates.js";
import type { AssetType, ComparableCase, PropertyFeatures } from "./comparables.js";

export type { PropertyFeatures };
import type { AssessmentRequest, DebtorRequest, LoanRequest } from "./batch.js";
import { PRODUCTS } from "./claim-input.js";
import { documentsFor } from "./process.js";

/**
 * A synthetic but realistic portfolio and case history, from a known price model plus noise.
 * Pure and seeded: the same seed gives the same data, byte for byte.
 *
 * ## Price model (the truth the valuation is measured against)
 *
 *   price = area × base[region] × typeFactor[type] × exp(trend[region] × t + 0.03·sin(2π t / 3))
 *           × exp(−0.012 × ageYears) × (area / 100)^(−0.08) × (0.85 if occupied) × (0.80 if titleDefect)
 *           × exp(σ ε),   ε ~ N(0, 1),  σ = {@link PRICE_NOISE_SIGMA} = 0.12
 *
 * with t in years since 2020-01-01. The median price (ε = 0) is {@link modelMedianPrice}; the noise floor
 * is the error of that median against the noisy prices: MAPE = E|e^{σε} − 1| ≈ 9.6% for σ = 0.12.
 *
 * ## Judicial auctions
 * Each auctioned property is appraised at its median price; round 1's reserve is 70% of the appraisal,
 * round 2's is 80% of round 1's, round 3 is a sale by conversion (变卖) at round 2's reserve. An attempt
 * sells with the region's probability, at the reserve times exp(|N(0, 0.05)|) + a regional premium.
 */

/** σ of the log-normal price noise. */
export const PRICE_NOISE_SIGMA = 0.12;

export interface RegionModel {
  /** Median residential price per m² in 2020 for a 100 m² new flat, in fen. */
  base: number;
  /** Log-price trend per year. */
  trend: number;
  /** Probability an auction attempt sells, rounds 1, 2, 3. */
  auctionSell: [number, number, number];
  /** Mean premium over reserve when sold. */
  auctionPremium: number;
}

/** Regions of the synthetic world: two fast, liquid markets; two middling; two slow, falling ones. */
export const REGIONS: Record<string, RegionModel> = {
  shanghai: { base: 5_500_000, trend: 0.02, auctionSell: [0.55, 0.5, 0.4], auctionPremium: 0.12 },
  hangzhou: { base: 3_200_000, trend: 0.035, auctionSell: [0.5, 0.45, 0.35], auctionPremium: 0.1 },
  chengdu: { base: 1_500_000, trend: 0.01, auctionSell: [0.4, 0.4, 0.3], auctionPremium: 0.06 },
  wuhan: { base: 1_400_000, trend: -0.015, auctionSell: [0.35, 0.35, 0.3], auctionPremium: 0.05 },
  shenyang: { base: 900_000, trend: -0.035, auctionSell: [0.25, 0.3, 0.25], auctionPremium: 0.03 },
  harbin: { base: 750_000, trend: -0.05, auctionSell: [0.2, 0.25, 0.2], auctionPremium: 0.02 },
};
export const REGION_NAMES = Object.keys(REGIONS);

export const TYPE_FACTOR: Record<AssetType, number> = { residential: 1, commercial: 1.3, industrial: 0.35 };

const EPOCH = civilToDay(2020, 1, 1);

/** Median (noise-free) price in fen of a property sold on `day`, per the model above. */
export function modelMedianPrice(f: PropertyFeatures, day: number): number {
  const region = REGIONS[f.region];
  if (!region) throw new Error(`unknown synthetic region ${f.region}`);
  const t = (day - EPOCH) / 365.25;
  const perM2 = region.base * TYPE_FACTOR[f.assetType] * Math.exp(region.trend * t + 0.03 * Math.sin((2 * Math.PI * t) / 3))
    * Math.exp(-0.012 * f.ageYears) * Math.pow(f.area / 100, -0.08) * (f.occupied ? 0.85 : 1) * (f.titleDefect ? 0.8 : 1);
  return f.area * perM2;
}

/** A small, fast, seeded PRNG (sfc32) with normal draws. */
export class Random {
  private a: number; private b: number; private c: number; private d: number;
  private spare = NaN;
  constructor(seed: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
  /** Standard normal (Box–Muller, caching the pair). */
  normal(): number {
    if (this.spare === this.spare) { const s = this.spare; this.spare = NaN; return s; }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Weighted choice. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < items.length; i++) { x -= weights[i]!; if (x < 0) return items[i]!; }
    return items[items.length - 1]!;
  }
}

const TYPE_WEIGHTS = [0.7, 0.2, 0.1];
const TYPES: AssetType[] = ["residential", "commercial", "industrial"];
const REGION_WEIGHTS = [0.2, 0.18, 0.18, 0.16, 0.14, 0.14];

/** Random property features, realistic for the asset type. */
export function randomProperty(rng: Random, region = rng.weighted(REGION_NAMES, REGION_WEIGHTS)): PropertyFeatures {
  const assetType = rng.weighted(TYPES, TYPE_WEIGHTS);
  const typical = assetType === "residential" ? 90 : assetType === "commercial" ? 150 : 1200;
  const area = Math.round(typical * Math.exp(0.45 * rng.normal()) * 10) / 10;
  return {
    assetType, region, area: Math.max(15, area), ageYears: rng.int(0, 35),
    occupied: rng.chance(0.12), titleDefect: rng.chance(0.06),
  };
}

export interface CaseHistoryOptions {
  /** Number of cases. */
  count: number;
  /** First and last sale date (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** Share of cases that are judicial-auction attempts rather than market sales. */
  auctionShare?: number;
  /** Case id prefix. */
  prefix?: string;
}

/**
 * Comparable cases (market sales and auction attempts) drawn from the price model.
 * Also returns each case's noise-free median price, for measuring the valuation against the noise floor.
 */
export function generateCaseHistory(seed: number, options: CaseHistoryOptions): { cases: ComparableCase[]; medians: number[] } {
  const rng = new Random(seed);
  const from = dayOf(options.from ?? "2020-01-01");
  const to = dayOf(options.to ?? "2025-06-30");
  const auctionShare = options.auctionShare ?? 0.2;
  const prefix = options.prefix ?? "C";
  const cases: ComparableCase[] = [];
  const medians: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const f = randomProperty(rng);
    const saleDay = rng.int(from, to);
    const median = modelMedianPrice(f, saleDay);
    const caseId = `${prefix}${String(i).padStart(7, "0")}`;
    const common = { caseId, ...f, saleDate: formatDay(saleDay), saleDay };
    if (!rng.chance(auctionShare)) {
      const price = BigInt(Math.round(median * Math.exp(PRICE_NOISE_SIGMA * rng.normal())));
      cases.push({ ...common, price: price > 0n ? price : 1n, saleType: "market", sold: true });
    } else {
      const region = REGIONS[f.region]!;
      const round = rng.weighted([1, 2, 3] as const, [0.55, 0.3, 0.15]);
      const appraisal = Math.round(median);
      const reserve1 = Math.ceil(appraisal * 0.7);
      const reserve = round === 1 ? reserve1 : Math.ceil(reserve1 * 0.8);
      const sold = rng.chance(region.auctionSell[round - 1]);
      const hammer = sold ? Math.round(reserve * (1 + region.auctionPremium * rng.next() * 2) * Math.exp(Math.abs(0.05 * rng.normal()))) : 0;
      cases.push({ ...common, price: BigInt(hammer), saleType: "auction", auctionRound: round, appraisedValue: BigInt(appraisal), reservePrice: BigInt(reserve), sold });
    }
    medians.push(median);
  }
  return { cases, medians };
}

export interface PortfolioOptions {
  /** Number of loans. */
  count: number;
  /** Assessment date. */
  asOf?: string;
  /** Share of loans that carry a schedule and payments instead of days past due. */
  scheduleShare?: number;
  /** Share of collateral with an appraisal on file. */
  appraisedShare?: number;
}

const PRODUCT_WEIGHTS = [0.25, 0.3, 0.25, 0.12, 0.08];
const STAGES = ["collection", "demand", "litigation", "enforcement"];

/** Days past due: most loans current, a long tail of arrears. */
function randomDpd(rng: Random): number {
  const u = rng.next();
  if (u < 0.62) return 0;
  if (u < 0.7) return rng.int(1, 7);
  if (u < 0.8) return rng.int(8, 90);
  if (u < 0.88) return rng.int(91, 270);
  if (u < 0.93) return rng.int(271, 360);
  return rng.int(361, 1500);
}

/**
 * A portfolio in the wire shape of POST /v1/assessments: products, retail and corporate debtors (corporates
 * with several loans), payment behaviour (given as days past due or as a schedule with on-time, late,
 * partial and missed payments), restructurings, collateral from the price model, collection stage and
 * documents on file.
 */
export function generatePortfolio(seed: number, options: PortfolioOptions): AssessmentRequest {
  const rng = new Random(seed ^ 0x5bd1e995);
  const asOf = options.asOf ?? "2025-06-30";
  const asOfDay = dayOf(asOf);
  const scheduleShare = options.scheduleShare ?? 0.1;
  const appraisedShare = options.appraisedShare ?? 0.5;
  const loans: LoanRequest[] = new Array(options.count);
  const debtors: DebtorRequest[] = [];
  let corporate = "";
  let corporateLeft = 0;
  for (let i = 0; i < options.count; i++) {
    const product = rng.weighted(PRODUCTS, PRODUCT_WEIGHTS);
    const isCorporate = product === "corporate" || (product === "sme" && rng.chance(0.7));
    let debtorId: string;
    if (isCorporate) {
      if (corporateLeft <= 0) {
        corporate = `E${String(i).padStart(8, "0")}`;
        corporateLeft = rng.int(1, 5);
        if (rng.chance(0.3)) debtors.push({ debtorId: corporate, crossBankOverdue90Share: Math.round(rng.next() * 0.5 * 1000) / 1000 });
      }
      corporateLeft--;
      debtorId = corporate;
    } else {
      debtorId = `P${String(i).padStart(8, "0")}`;
    }
    const size = product === "credit-card" ? 2_000_000 : product === "consumer" ? 8_000_000 : product === "mortgage" ? 120_000_000 : product === "sme" ? 300_000_000 : 2_000_000_000;
    const outstanding = Math.max(100, Math.round(size * Math.exp(0.6 * rng.normal())));
    const loan: LoanRequest = { loanId: `L${String(i).padStart(8, "0")}`, product, debtorType: isCorporate ? "corporate" : "retail", debtorId, outstanding: String(outstanding) };
    const dpd = randomDpd(rng);
    if (rng.chance(scheduleShare) && product !== "credit-card") {
      const { schedule, payments } = randomSchedule(rng, asOfDay, outstanding, dpd);
      loan.schedule = schedule;
      loan.payments = payments;
      if (rng.chance(0.3)) loan.graceDays = 3;
    } else {
      loan.daysPastDue = dpd;
    }
    if (rng.chance(0.03)) loan.restructuredAt = formatDay(asOfDay - rng.int(30, 700));
    if (product === "mortgage" || ((product === "sme" || product === "corporate") && rng.chance(0.6))) {
      const f = randomProperty(rng);
      if (product === "mortgage") f.assetType = "residential";
      const collateral: NonNullable<LoanRequest["collateral"]> = { ...f };
      if (rng.chance(appraisedShare)) collateral.appraisedValue = String(Math.round(modelMedianPrice(f, asOfDay - rng.int(0, 720))));
      loan.collateral = collateral;
      loan.region = f.region;
    } else {
      loan.region = rng.weighted(REGION_NAMES, REGION_WEIGHTS);
    }
    if (dpd > 30) {
      const stage = dpd > 360 ? rng.pick(STAGES) : dpd > 90 ? rng.pick(STAGES.slice(0, 3)) : "collection";
      loan.stage = stage;
      const all = documentsFor(loan.collateral ? loan.collateral.assetType : "unsecured", stage);
      loan.documents = all.filter(() => rng.chance(0.75));
    }
    loans[i] = loan;
  }
  return { asOf, loans, debtors };
}

/**
 * A monthly schedule ending around asOf and payments that produce roughly `dpd` days past due:
 * on time before the trouble, then missed or partial, sometimes late catch-up payments.
 */
function randomSchedule(rng: Random, asOfDay: number, outstanding: number, dpd: number): { schedule: NonNullable<LoanRequest["schedule"]>; payments: NonNullable<LoanRequest["payments"]> } {
  const months = rng.int(12, 36);
  const start = addMonths(asOfDay, -months + rng.int(1, 6));
  const installment = Math.max(100, Math.round(outstanding / months));
  const interest = Math.round(installment * 0.05);
  const schedule = [];
  const payments = [];
  const troubleFrom = dpd > 0 ? asOfDay - dpd : Infinity;
  for (let k = 0; k < months; k++) {
    const due = addMonths(start, k);
    const dueDate = formatDay(due);
    schedule.push({ dueDate, principal: String(installment - interest), interest: String(interest) });
    if (due > asOfDay) continue;
    if (due < troubleFrom) {
      const late = rng.chance(0.05) ? rng.int(1, 20) : 0;
      const paidAt = Math.min(due + late, asOfDay);
      payments.push({ paidAt: formatDay(paidAt), amount: String(installment) });
    } else if (rng.chance(0.2)) {
      payments.push({ paidAt: formatDay(Math.min(due + rng.int(0, 10), asOfDay)), amount: String(Math.round(installment * rng.next() * 0.9)) });
    }
  }
  payments.sort((a, b) => (a.paidAt < b.paidAt ? -1 : a.paidAt > b.paidAt ? 1 : 0));
  return { schedule, payments };
}
