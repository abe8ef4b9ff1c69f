import { ValidationError } from "../errors.js";
import { packageFeatures, type PackageFeatures } from "./features.js";
import { learnPreferences, type BidRecord, type InvestorModel, type LearnOptions } from "./history.js";
import type { InvestorProfile } from "./profile.js";
import { scoreMatch, type Match } from "./score.js";
import type { PackageSummary } from "./summary.js";

/**
 * Recommendations both ways: packages to an investor (buyer side) and investors to a package (seller
 * side), each ranked by the predicted value of the match (score.ts), with its reasons.
 */

/** Every investor's model and every package's features, built once for a market's recommendations. */
export interface MarketModels {
  investors: Map<string, InvestorModel>;
  packages: Map<string, PackageFeatures>;
}

/**
 * Builds the models of a market from checked profiles, summaries and bids, as of `asOf` (a day number).
 * @throws ValidationError `duplicate` for an investor or package listed twice
 */
export function buildMarketModels(
  profiles: readonly InvestorProfile[],
  summaries: readonly PackageSummary[],
  bids: readonly BidRecord[],
  asOf: number,
  options: LearnOptions = {},
): MarketModels {
  const packages = new Map<string, PackageFeatures>();
  summaries.forEach((s, i) => {
    if (packages.has(s.packageId)) throw new ValidationError(`packages[${i}].packageId`, "duplicate", `packages[${i}].packageId: ${s.packageId} is listed twice`);
    packages.set(s.packageId, packageFeatures(s));
  });
  const byInvestor = new Map<string, BidRecord[]>();
  for (const b of bids) {
    const list = byInvestor.get(b.investorId);
    if (list) list.push(b);
    else byInvestor.set(b.investorId, [b]);
  }
  const investors = new Map<string, InvestorModel>();
  profiles.forEach((p, i) => {
    if (investors.has(p.investorId)) throw new ValidationError(`profiles[${i}].investorId`, "duplicate", `profiles[${i}].investorId: ${p.investorId} is listed twice`);
    investors.set(p.investorId, learnPreferences(p, byInvestor.get(p.investorId) ?? [], packages, asOf, options));
  });
  return { investors, packages };
}

export interface RankOptions {
  /** How many to return (default 10). */
  limit?: number;
  /** Only these may be recommended (e.g. who may bid on the listing: licensed AMCs only for a bank's batch). */
  eligible?: (id: string) => boolean;
}

const byScore = (key: (m: Match) => string) => (a: Match, b: Match) => b.score - a.score || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Limit from options.
 * @throws ValidationError `limit` unless a whole number from 1 to 1000
 */
function limitOf(options: RankOptions): number {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ValidationError("limit", "integer-range", "limit: must be a whole number from 1 to 1000");
  return limit;
}

/** The packages that suit `investor` best, best first (ties by package id). */
export function recommendPackages(investor: InvestorModel, packages: Iterable<PackageFeatures>, options: RankOptions = {}): Match[] {
  const limit = limitOf(options);
  const out: Match[] = [];
  for (const p of packages) if (!options.eligible || options.eligible(p.facts.packageId)) out.push(scoreMatch(investor, p));
  return out.sort(byScore((m) => m.packageId)).slice(0, limit);
}

/** The investors `pkg` suits best — who is likely to value it most — best first (ties by investor id). */
export function recommendInvestors(pkg: PackageFeatures, investors: Iterable<InvestorModel>, options: RankOptions = {}): Match[] {
  const limit = limitOf(options);
  const out: Match[] = [];
  for (const m of investors) if (!options.eligible || options.eligible(m.profile.investorId)) out.push(scoreMatch(m, pkg));
  return out.sort(byScore((m) => m.investorId)).slice(0, limit);
}
