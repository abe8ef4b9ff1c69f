import { parseDay } from "../dates.js";
import { Random } from "../synthetic.js";
import { PROVINCE_KEYS, featureIndex, provinceOf, type PackageFeatures } from "./features.js";
import { buildMarketModels, recommendInvestors } from "./recommend.js";
import { trueLogValue, type GeneratedMarket } from "./synthetic.js";

/**
 * The matching benchmark: on the held-out packages of a generated market (listed at asOf, never bid on),
 * the share for which the investor who values the package most — by the hidden truth — is among the
 * top `k` investors recommended to its seller. The recommender sees only the declared profiles, the
 * summaries and the season's bids; the truth is read only to name the best investor.
 *
 * Baselines: `random` (k investors drawn at random; expected k / investors), `regionOnly` (investors ranked
 * by the share of the package's balance in their declared regions, ties at random), `declaredOnly` (this
 * recommender without the bid history: the declared profile alone).
 */
export interface MatchingFigures {
  packages: number;
  investors: number;
  k: number;
  recommender: number;
  declaredOnly: number;
  regionOnly: number;
  random: number;
  /** k / investors. */
  randomExpected: number;
}

/** Top-k ids by score (ties broken by a seeded draw, so a baseline with many ties is not flattered). */
function topK(scores: Array<{ id: string; score: number }>, k: number, rng: Random): string[] {
  return scores
    .map((s) => ({ ...s, tie: rng.next() }))
    .sort((a, b) => b.score - a.score || a.tie - b.tie)
    .slice(0, k)
    .map((s) => s.id);
}

/** Share of `pkg`'s balance in the provinces an investor declared. */
function regionShare(regions: readonly string[], pkg: PackageFeatures): number {
  const provinces = new Set(regions.map(provinceOf));
  let share = 0;
  for (const p of PROVINCE_KEYS) if (provinces.has(p)) share += pkg.x[featureIndex(`region:${p}`)]!;
  return share;
}

/** Measures the recommender and the baselines on `market` (see above). Deterministic for a market and seed. */
export function evaluateMatching(market: GeneratedMarket, k = 3, seed = 1): MatchingFigures {
  const asOf = parseDay(market.asOf, "asOf");
  const learned = buildMarketModels(market.profiles, market.packages, market.bids, asOf);
  const declared = buildMarketModels(market.profiles, market.packages, [], asOf);
  const rng = new Random(seed);
  const hits = { recommender: 0, declaredOnly: 0, regionOnly: 0, random: 0 };
  for (const id of market.heldOut) {
    const pkg = learned.packages.get(id)!;
    let best = "", bestValue = -Infinity;
    for (const inv of market.truth) {
      const v = trueLogValue(inv, pkg);
      if (v > bestValue) { bestValue = v; best = inv.investorId; }
    }
    const hit = (ids: string[]) => (ids.includes(best) ? 1 : 0);
    hits.recommender += hit(recommendInvestors(pkg, learned.investors.values(), { limit: k }).map((m) => m.investorId));
    hits.declaredOnly += hit(recommendInvestors(pkg, declared.investors.values(), { limit: k }).map((m) => m.investorId));
    hits.regionOnly += hit(topK(market.profiles.map((p) => ({ id: p.investorId, score: regionShare(p.regions, pkg) })), k, rng));
    hits.random += hit(topK(market.profiles.map((p) => ({ id: p.investorId, score: 0 })), k, rng));
  }
  const n = market.heldOut.length;
  return {
    packages: n, investors: market.profiles.length, k,
    recommender: hits.recommender / n, declaredOnly: hits.declaredOnly / n, regionOnly: hits.regionOnly / n, random: hits.random / n,
    randomExpected: k / market.profiles.length,
  };
}
