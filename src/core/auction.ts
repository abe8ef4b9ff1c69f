import { ValidationError } from "./errors.js";
import type { ComparableCase } from "./comparables.js";
import { enforcementFee } from "./court-fees.js";
import { parseMinor } from "./money.js";

/**
 * Judicial auction (司法拍卖) of collateral, per the Supreme People's Court's rules on online judicial
 * auctions (《最高人民法院关于人民法院网络司法拍卖若干问题的规定》, 2016):
 * - Round 1: the reserve (起拍价) is set by the court with reference to the appraisal and may not be
 *   below 70% of it.
 * - Round 2, if round 1 fails: the reserve may be lowered by at most 20% of round 1's reserve, so it is at
 *   least 80% of round 1's.
 * - After round 2 fails, the property may be offered for sale by conversion (变卖) at round 2's reserve;
 *   if that also fails the creditor may take it in lieu of payment (以物抵债) or the seizure is lifted.
 * Online judicial auctions charge the buyer no commission, so proceeds are the hammer price.
 *
 * Expected proceeds = Σ_round P(reach round) × P(sell | round) × reserve × (1 + premium).
 */

export interface AuctionRules {
  /** Round 1 reserve as basis points of the appraisal; at least 7000. */
  firstReserveBps: number;
  /** Round 2 reserve as basis points of round 1's; at least 8000 (a cut of at most 20%). */
  secondReserveBps: number;
}

export const DEFAULT_AUCTION_RULES: AuctionRules = { firstReserveBps: 7_000, secondReserveBps: 8_000 };

/** How auctions go in a region: chance an attempt sells, by round, and the mean premium over reserve. */
export interface AuctionStatistics {
  sellProbability: [number, number, number];
  premium: number;
  /** Auction attempts the figures came from (0 = defaults). */
  sample: number;
}

/** Used when a region has too few auction records: a middling market. */
export const DEFAULT_AUCTION_STATISTICS: AuctionStatistics = { sellProbability: [0.4, 0.38, 0.3], premium: 0.06, sample: 0 };

/** @throws ValidationError when a reserve would break the court rules */
export function checkAuctionRules(rules: AuctionRules, field = "auctionRules"): AuctionRules {
  if (!Number.isInteger(rules.firstReserveBps) || rules.firstReserveBps < 7_000 || rules.firstReserveBps > 10_000) {
    throw new ValidationError(`${field}.firstReserveBps`, "the first-round reserve must be 70%–100% of the appraisal (7000–10000 bps)");
  }
  if (!Number.isInteger(rules.secondReserveBps) || rules.secondReserveBps < 8_000 || rules.secondReserveBps > 10_000) {
    throw new ValidationError(`${field}.secondReserveBps`, "the second-round reserve may be at most 20% below the first (8000–10000 bps of it)");
  }
  return rules;
}

/**
 * Auction statistics per region from auction rows of the case history (attempts by round, sold or not).
 * Regions with fewer than `minSample` attempts get {@link DEFAULT_AUCTION_STATISTICS}.
 */
export function auctionStatistics(cases: readonly ComparableCase[], minSample = 30): Map<string, AuctionStatistics> {
  const acc = new Map<string, { tries: number[]; sold: number[]; premium: number; premiumN: number; n: number }>();
  for (const c of cases) {
    if (c.saleType !== "auction" || !c.auctionRound) continue;
    const a = acc.get(c.region) ?? { tries: [0, 0, 0], sold: [0, 0, 0], premium: 0, premiumN: 0, n: 0 };
    acc.set(c.region, a);
    a.n++;
    a.tries[c.auctionRound - 1]!++;
    if (c.sold && c.reservePrice! > 0n) {
      a.sold[c.auctionRound - 1]!++;
      a.premium += Number(c.price) / Number(c.reservePrice) - 1;
      a.premiumN++;
    }
  }
  const out = new Map<string, AuctionStatistics>();
  for (const [region, a] of acc) {
    if (a.n < minSample) continue;
    const p = (i: number) => (a.tries[i]! >= 5 ? a.sold[i]! / a.tries[i]! : DEFAULT_AUCTION_STATISTICS.sellProbability[i]!);
    out.set(region, { sellProbability: [p(0), p(1), p(2)], premium: a.premiumN ? a.premium / a.premiumN : DEFAULT_AUCTION_STATISTICS.premium, sample: a.n });
  }
  return out;
}

export interface AuctionRound {
  round: 1 | 2 | 3;
  zh: string;
  en: string;
  /** Reserve, fen. */
  reserve: bigint;
  /** Probability the sale happens in this round (unconditional). */
  probability: number;
}

export interface AuctionPlan {
  appraisal: bigint;
  rounds: AuctionRound[];
  /** Probability the property sells at all. */
  sellProbability: number;
  /** Expected proceeds, fen (0 for the unsold outcome). */
  expectedProceeds: bigint;
  /** Expected proceeds as basis points of the appraisal: the forced-sale discount. */
  expectedBps: number;
}

/** Reserve after `bps`, rounded up to the fen so it is never below the legal minimum. */
function ceilBps(amount: bigint, bps: number): bigint {
  return (amount * BigInt(bps) + 9_999n) / 10_000n;
}

/** The rounds, reserves and expected proceeds of auctioning a property appraised at `appraisal`. */
export function auctionPlan(appraisal: bigint, stats: AuctionStatistics = DEFAULT_AUCTION_STATISTICS, rules: AuctionRules = DEFAULT_AUCTION_RULES): AuctionPlan {
  checkAuctionRules(rules);
  const first = ceilBps(appraisal, rules.firstReserveBps);
  const second = ceilBps(first, rules.secondReserveBps);
  const reserves = [first, second, second];
  const names = [["一拍", "First auction"], ["二拍", "Second auction"], ["变卖", "Sale by conversion"]] as const;
  let reach = 1;
  let expected = 0;
  const rounds: AuctionRound[] = [];
  for (let i = 0; i < 3; i++) {
    const p = reach * stats.sellProbability[i]!;
    rounds.push({ round: (i + 1) as 1 | 2 | 3, zh: names[i]![0], en: names[i]![1], reserve: reserves[i]!, probability: p });
    expected += p * Number(reserves[i]!) * (1 + (i < 2 ? stats.premium : 0));
    reach -= p;
  }
  const expectedProceeds = BigInt(Math.round(expected));
  return {
    appraisal, rounds, sellProbability: 1 - reach, expectedProceeds,
    expectedBps: appraisal > 0n ? Math.round((expected / Number(appraisal)) * 10_000) : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// What reaches the mortgagee: the collateral's legal standing and the deductions from the proceeds

/**
 * Where a mortgage is registered, and so what it is worth against third parties:
 * - `real-estate`: 不动产登记; a real-estate mortgage exists only once registered (民法典第四百零二条).
 * - `vehicle`: 机动车抵押登记 with the vehicle office (公安机关交通管理部门).
 * - `unified`: 动产融资统一登记公示系统 (中国人民银行征信中心) — production equipment, raw materials, goods and
 *   other chattels since 2021-01-01 (国务院关于实施动产和权利担保统一登记的决定, 国发〔2020〕18号; vehicles,
 *   ships and aircraft excluded).
 * - `none`: not registered. A chattel mortgage then exists between the parties but cannot be asserted against
 *   a good-faith third party (民法典第四百零三条), a creditor who has seized the asset, or in the mortgagor's
 *   bankruptcy (担保制度解释第五十四条): it secures nothing Debtrail can count on. A real-estate mortgage
 *   does not exist at all.
 */
export const REGISTRATIONS = ["real-estate", "vehicle", "unified", "none"] as const;
export type Registration = (typeof REGISTRATIONS)[number];

const REAL_ESTATE = new Set(["residential", "commercial", "industrial", "land"]);

/** The registry a mortgage of `assetType` belongs in. */
export function registryFor(assetType: string): Exclude<Registration, "none"> {
  if (REAL_ESTATE.has(assetType)) return "real-estate";
  return assetType === "vehicle" ? "vehicle" : "unified";
}

/**
 * Checks a collateral's registration against its asset type.
 * @returns whether the mortgage counts against third parties (false for `none`)
 * @throws ValidationError when the registry is not the asset type's (e.g. equipment "registered" with the vehicle office)
 */
export function checkRegistration(assetType: string, registration: unknown, field: string): boolean {
  if (!(REGISTRATIONS as readonly unknown[]).includes(registration)) throw new ValidationError(field, `must be one of ${REGISTRATIONS.join(", ")}`);
  if (registration === "none") return false;
  const expected = registryFor(assetType);
  if (registration !== expected) {
    throw new ValidationError(field, expected === "unified"
      ? "a chattel mortgage of this asset type is registered in 动产融资统一登记公示系统 (\"unified\", 国发〔2020〕18号)"
      : `a mortgage of ${assetType} is registered as "${expected}"`);
  }
  return true;
}

/**
 * A lease of the collateral. A lease made (and the property handed over) before the mortgage survives the
 * auction: the buyer takes the property subject to it (民法典第四百零五条, 第七百二十五条 买卖不破租赁), so it
 * sells for less, and rent the tenant prepaid to the owner for the rest of the term is lost to the buyer. A
 * lease made after the mortgage that hinders it is removed by the court before the sale (最高人民法院关于人民法院
 * 民事执行中拍卖、变卖财产的规定第二十八条第二款): no effect on the price.
 */
export interface Lease {
  beforeMortgage: boolean;
  /** Rent the tenant has prepaid for the remaining term, fen. */
  prepaidRent?: bigint;
}

/**
 * Price discount of a property sold subject to a lease that predates the mortgage, basis points (an
 * estimate: buyers of occupied, let property bid less; override it with a survey or an appraisal that
 * already reflects the lease).
 */
export const LEASE_ENCUMBRANCE_DISCOUNT_BPS = 1_500;

/** The value a sale subject to `lease` can be planned on, and the step that explains it (undefined: no effect). */
export function leaseAdjusted(value: bigint, lease: Lease): { value: bigint; discount: bigint } | undefined {
  if (!lease.beforeMortgage) return undefined;
  const discount = (value * BigInt(LEASE_ENCUMBRANCE_DISCOUNT_BPS) + 9_999n) / 10_000n + (lease.prepaidRent ?? 0n);
  return { value: value > discount ? value - discount : 0n, discount };
}

/** Claims paid out of the proceeds before this mortgage, fen. */
export interface PriorClaims {
  /**
   * Taxes the court withholds from the proceeds: the seller's taxes on the transfer (网络司法拍卖规定第三十条:
   * each party bears its own) and tax arrears older than the mortgage (税收征收管理法第四十五条).
   */
  taxes?: bigint;
  /** Unpaid construction price of the building: ranks before mortgages (民法典第八百零七条; 建设工程施工合同解释（一）第三十六条). */
  constructionPrice?: bigint;
  /** Mortgages registered before ours (民法典第四百一十四条). */
  seniorMortgages?: bigint;
}

/** One deduction from the proceeds, in order, with its basis. */
export interface DistributionStep {
  code: "enforcement-fee" | "taxes" | "construction-price" | "senior-mortgages";
  zh: string;
  en: string;
  /** What this step took, fen (at most what was left). */
  amount: bigint;
  /** What is left after it, fen. */
  left: bigint;
}

export interface Distribution {
  proceeds: bigint;
  steps: DistributionStep[];
  /** What reaches this claim, at most the claim, fen. */
  toClaim: bigint;
  /** What is left over for later creditors or the debtor, fen. */
  surplus: bigint;
}

const STEP_TEXT: Record<DistributionStep["code"], { zh: string; en: string }> = {
  "enforcement-fee": {
    zh: "执行费（《诉讼费用交纳办法》第十四条第一项，由被执行人负担，自变价款中先行扣除：民事诉讼法解释第五百零八条）",
    en: "Enforcement fee (Court Fees Measures art. 14(1); borne by the judgment debtor, deducted from the proceeds first: Civil Procedure Law Interpretation art. 508)",
  },
  taxes: {
    zh: "税费（拍卖产生的被执行人应缴税费，网络司法拍卖规定第三十条；设定抵押前的欠税，税收征收管理法第四十五条）",
    en: "Taxes (the seller's taxes on the sale, Online Judicial Auction Provisions art. 30; tax arrears older than the mortgage, Tax Collection Law art. 45)",
  },
  "construction-price": {
    zh: "建设工程价款优先受偿（民法典第八百零七条；建设工程施工合同解释（一）第三十六条：优于抵押权）",
    en: "Construction price with priority (Civil Code art. 807; Construction Contract Interpretation (I) art. 36: ahead of mortgages)",
  },
  "senior-mortgages": {
    zh: "顺位在先的抵押权（民法典第四百一十四条）",
    en: "Mortgages ranking before ours (Civil Code art. 414)",
  },
};

/**
 * How the proceeds of a judicial sale reach this claim: first the enforcement fee (on what this claim
 * recovers), then taxes withheld, the construction price, the senior mortgages; this claim takes the rest
 * up to its amount. (A lease before the mortgage is not a deduction: it lowers the price, see {@link leaseAdjusted}.)
 */
export function auctionDistribution(proceeds: bigint, claim: bigint, prior: PriorClaims = {}): Distribution {
  const steps: DistributionStep[] = [];
  let left = proceeds;
  const take = (code: DistributionStep["code"], amount: bigint) => {
    if (amount <= 0n) return;
    const taken = amount < left ? amount : left;
    left -= taken;
    steps.push({ code, ...STEP_TEXT[code], amount: taken, left });
  };
  const priorTotal = (prior.taxes ?? 0n) + (prior.constructionPrice ?? 0n) + (prior.seniorMortgages ?? 0n);
  const reachable = proceeds > priorTotal ? proceeds - priorTotal : 0n;
  take("enforcement-fee", reachable > 0n ? enforcementFee(reachable < claim ? reachable : claim) : 0n);
  take("taxes", prior.taxes ?? 0n);
  take("construction-price", prior.constructionPrice ?? 0n);
  take("senior-mortgages", prior.seniorMortgages ?? 0n);
  const toClaim = left < claim ? left : claim;
  return { proceeds, steps, toClaim, surplus: left - toClaim };
}

/** Parses an optional amount of fen from a request, naming the field. */
export function optionalFen(value: unknown, field: string): bigint | undefined {
  return value === undefined ? undefined : parseMinor(value, field);
}
