import { FEATURE_COUNT, FEATURE_KEYS, splitFeature, type PackageFeatures } from "./features.js";
import { DEFAULT_RETURN_TARGET_BPS, type InvestorModel } from "./history.js";
import { ticketPenalty } from "./profile.js";

/**
 * How well a package matches an investor: its predicted value to the investor (valuation × exp(score)),
 * and the reasons — which features matched and by how much, as numbers a page shows with an i18n key
 * (src/i18n/market.ts).
 */

/** One reason of a match. */
export interface MatchReason {
  /** A feature key (`region:jiangsu`, `timeBarred`, …) or a profile check (`ticket`, `returnTarget`, `timeBarredTolerance`). */
  feature: string;
  /** Its group (`region`, `asset`, …, `ticket`, `returnTarget`, `timeBarredTolerance`). */
  group: string;
  /** The group's value (`jiangsu`, `mortgage`), when it has one. */
  value?: string;
  /** true: speaks for the match; false: against it. */
  matched: boolean;
  /** The message (src/i18n/market.ts), `market.reason.<group>` or `market.against.<group>`. */
  key: string;
  /** The message's numbers (percentages to one decimal, `effect` unsigned: the key says which way) and names. */
  params: Record<string, string | number>;
  /** The change of the predicted value, bps of the valuation (signed). */
  effectBps: number;
  /** The package's share in this feature, bps (share features only). */
  shareBps?: number;
  /** The investor declared it. */
  declared: boolean;
  /** Its past bids (and wins) on packages with this feature: what the weight was learned from. */
  bids: number;
  wins: number;
}

/** A package scored for an investor. */
export interface Match {
  investorId: string;
  packageId: string;
  /** ln(predicted value / valuation P50): the ranking key. */
  score: number;
  /** Predicted value / P50, bps. */
  valueRatioBps: number;
  /** Predicted value to the investor, fen. */
  predictedValue: bigint;
  /** Predicted bid: the value less the investor's return target, fen. */
  predictedBid: bigint;
  /** Strongest first. */
  reasons: MatchReason[];
}

/** Reasons shown at most (besides the profile checks), and the smallest effect shown, bps. */
export const MAX_FEATURE_REASONS = 5;
export const MIN_REASON_EFFECT_BPS = 50;

const pct = (bps: number) => Math.round(bps / 10) / 10;
const scaled = (amount: bigint, ratio: number) => (amount * BigInt(Math.round(ratio * 1_000_000))) / 1_000_000n;

/** Scores `pkg` for the investor of `model`. Pure. */
export function scoreMatch(model: InvestorModel, pkg: PackageFeatures): Match {
  const { facts, x } = pkg;
  const penalty = ticketPenalty(model.profile, facts.p50);
  let score = model.level + penalty;
  const parts: MatchReason[] = [];
  for (let f = 0; f < FEATURE_COUNT; f++) {
    if (x[f] === 0) continue;
    const c = model.weights[f]! * x[f]!;
    score += c;
    const key = FEATURE_KEYS[f]!;
    const { group, value } = splitFeature(key);
    const effectBps = Math.round(Math.expm1(c) * 10_000);
    const isShare = group !== "dpdYears" && group !== "spread";
    const reason: MatchReason = {
      feature: key, group, matched: c > 0, key: `market.${c > 0 ? "reason" : "against"}.${group}`,
      params: { effect: pct(Math.abs(effectBps)), bids: model.bidsExposed[f]!, wins: model.winsExposed[f]! },
      effectBps, declared: model.declared[f] === 1, bids: model.bidsExposed[f]!, wins: model.winsExposed[f]!,
    };
    if (value !== undefined) { reason.value = value; reason.params.name = value; }
    if (isShare) { reason.shareBps = Math.round(x[f]! * 10_000); reason.params.share = pct(reason.shareBps); }
    else reason.params.amount = Math.round(x[f]! * 100) / 100;
    parts.push(reason);
  }
  const reasons = parts
    .filter((r) => Math.abs(r.effectBps) >= MIN_REASON_EFFECT_BPS)
    .sort((a, b) => Math.abs(b.effectBps) - Math.abs(a.effectBps) || (a.feature < b.feature ? -1 : 1))
    .slice(0, MAX_FEATURE_REASONS);
  const ratio = Math.exp(score);
  const target = (model.profile.returnTargetBps ?? DEFAULT_RETURN_TARGET_BPS) / 10_000;
  const predictedValue = scaled(facts.p50, ratio);
  const predictedBid = scaled(facts.p50, ratio / (1 + target));
  reasons.push(...profileChecks(model, pkg, penalty, predictedValue));
  return {
    investorId: model.profile.investorId, packageId: facts.packageId, score,
    valueRatioBps: Math.round(ratio * 10_000), predictedValue, predictedBid, reasons,
  };
}

/** The declared limits a package meets or breaks: ticket size, time-barred share, return at the reserve. */
function profileChecks(model: InvestorModel, pkg: PackageFeatures, penalty: number, value: bigint): MatchReason[] {
  const { profile } = model;
  const { facts } = pkg;
  const out: MatchReason[] = [];
  const check = (group: string, matched: boolean, effectBps: number, params: Record<string, string | number>) =>
    out.push({ feature: group, group, matched, key: `market.${matched ? "reason" : "against"}.${group}`, params, effectBps, declared: true, bids: model.bids, wins: model.wins });
  if (profile.ticket) {
    check("ticket", penalty === 0, Math.round(Math.expm1(penalty) * 10_000), {
      size: facts.p50.toString(), min: profile.ticket.min.toString(), max: profile.ticket.max.toString(), effect: pct(Math.abs(Math.round(Math.expm1(penalty) * 10_000))),
    });
  }
  if (profile.maxTimeBarredBps !== undefined) {
    const shareBps = Math.round(pkg.x[FEATURE_KEYS.indexOf("timeBarred")]! * 10_000);
    check("timeBarredTolerance", shareBps <= profile.maxTimeBarredBps, 0, { share: pct(shareBps), max: pct(profile.maxTimeBarredBps), claims: facts.timeBarredClaims });
  }
  if (profile.returnTargetBps !== undefined && facts.reserve !== undefined && facts.reserve > 0n) {
    const returnBps = Number(((value - facts.reserve) * 10_000n) / facts.reserve);
    check("returnTarget", returnBps >= profile.returnTargetBps, 0, { expected: pct(returnBps), target: pct(profile.returnTargetBps) });
  }
  return out;
}
