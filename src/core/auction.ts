import { ValidationError } from "./errors.js";
import type { ComparableCase } from "./comparables.js";

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
