import { ValidationError } from "../errors.js";
import { parseDay } from "../dates.js";
import { flag, known, object, opaqueId } from "../input-fields.js";
import { FEATURE_COUNT, featureIndex, type PackageFeatures } from "./features.js";
import { declaredPrior, ticketPenalty, type InvestorProfile } from "./profile.js";
import { ridge, type RidgeRow } from "./ridge.js";
import { fen } from "./summary.js";

/**
 * What an investor bid before, and what it learns of it.
 *
 * An investor's value of a package is modelled as its valuation (P50) times exp(b + w·x): x the package's
 * features, w the investor's weights, b its level. A revealed bid is that value less the return it wants,
 * so each bid gives one observation
 *
 *   y = ln(bid / P50) + ln(1 + return target) − ticket penalty = b + w·x + noise.
 *
 * The investor who bids higher relative to the valuation on packages with a feature values that feature
 * more: w is fitted by ridge regression toward the declared profile (profile.ts), recent bids counting
 * more (half-life), so a declared preference holds until bids say otherwise and a learned one shows
 * though it was never declared. Wins are the highest bids: they count as bids, and are counted for the
 * reasons ("won 3 packages with this feature").
 */
export interface BidRecord {
  packageId: string;
  investorId: string;
  /** The revealed bid, fen. */
  amount: bigint;
  /** The day the bids were opened, YYYY-MM-DD. */
  day: string;
  won: boolean;
}

/**
 * A bid from the wire, checked.
 * @throws ValidationError naming the field: `opaque-id`, `fen`, a date rule, `boolean`, `not-allowed`
 */
export function checkBid(input: unknown, field = "bid"): BidRecord {
  const o = object(input, field);
  known(o, ["packageId", "investorId", "amount", "day", "won"], field);
  parseDay(o.day, `${field}.day`);
  return {
    packageId: opaqueId(o.packageId, `${field}.packageId`),
    investorId: opaqueId(o.investorId, `${field}.investorId`),
    amount: fen(o.amount, `${field}.amount`),
    day: o.day as string,
    won: flag(o.won, `${field}.won`),
  };
}

/** Tuning of the learning. */
export interface LearnOptions {
  /** A bid this many days old counts half (default 365). */
  halfLifeDays?: number;
  /** Pull of the declared prior on each weight (default 2; more = trust the declaration longer). */
  priorStrength?: number;
  /** Pull of the level b toward 0 (default 0.5). */
  levelStrength?: number;
}

/** The return target assumed when a profile declares none, bps. */
export const DEFAULT_RETURN_TARGET_BPS = 1500;
/** A bid counts as exposed to a share feature when the feature holds at least this share of the package. */
export const EXPOSURE_SHARE = 0.1;

/** An investor's preferences: declared, then learned from its bids. */
export interface InvestorModel {
  profile: InvestorProfile;
  /** Level b (log value of a package without features that move it). */
  level: number;
  /** Weights w, indexed as FEATURE_KEYS. */
  weights: Float64Array;
  /** The declared prior the weights started from. */
  prior: Float64Array;
  /** 1 where the profile declared the feature. */
  declared: Uint8Array;
  /** Per feature: bids (and wins) on packages exposed to it. */
  bidsExposed: Uint32Array;
  winsExposed: Uint32Array;
  /** Bids used (not after asOf, on a known package with a valuation). */
  bids: number;
  wins: number;
}

const NON_SHARE = new Set([featureIndex("dpdYears"), featureIndex("spread")]);

/**
 * Learns an investor's model from its declared profile and its past bids.
 * @param bids its bids (others' bids and bids after `asOf` are ignored; so are bids on packages not in `packages`)
 * @param packages the features of the packages bid on, by package id
 * @param asOf the day (day number, see dates.ts) the model is for: time is an argument
 */
export function learnPreferences(
  profile: InvestorProfile,
  bids: readonly BidRecord[],
  packages: ReadonlyMap<string, PackageFeatures>,
  asOf: number,
  options: LearnOptions = {},
): InvestorModel {
  const halfLife = options.halfLifeDays ?? 365;
  if (!(halfLife > 0)) throw new ValidationError("halfLifeDays", "positive");
  const { prior, declared } = declaredPrior(profile);
  const target = (profile.returnTargetBps ?? DEFAULT_RETURN_TARGET_BPS) / 10_000;
  const bidsExposed = new Uint32Array(FEATURE_COUNT);
  const winsExposed = new Uint32Array(FEATURE_COUNT);
  const rows: RidgeRow[] = [];
  let wins = 0;
  for (const bid of bids) {
    if (bid.investorId !== profile.investorId) continue;
    const day = parseDay(bid.day, "bid.day");
    const pkg = packages.get(bid.packageId);
    if (day > asOf || !pkg || pkg.facts.p50 <= 0n || bid.amount <= 0n) continue;
    const y = Math.log(Number(bid.amount) / Number(pkg.facts.p50)) + Math.log1p(target) - ticketPenalty(profile, pkg.facts.p50);
    rows.push({ x: pkg.x, y, weight: Math.pow(0.5, (asOf - day) / halfLife) });
    if (bid.won) wins++;
    for (let f = 0; f < FEATURE_COUNT; f++) {
      if (NON_SHARE.has(f) ? pkg.x[f]! > 0 : pkg.x[f]! >= EXPOSURE_SHARE) {
        bidsExposed[f]!++;
        if (bid.won) winsExposed[f]!++;
      }
    }
  }
  const mu = new Float64Array(FEATURE_COUNT + 1);
  mu.set(prior, 1);
  const lambda = new Float64Array(FEATURE_COUNT + 1).fill(options.priorStrength ?? 2);
  lambda[0] = options.levelStrength ?? 0.5;
  const theta = ridge(rows, mu, lambda);
  return { profile, level: theta[0]!, weights: theta.slice(1), prior, declared, bidsExposed, winsExposed, bids: rows.length, wins };
}
