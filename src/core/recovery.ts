import { DOUBTFUL, LOSS } from "./classification.js";
import { acceptanceFee, enforcementFee, preservationFee, type Procedure } from "./court-fees.js";
import type { Forum, ForumAdvice } from "./forums.js";
import { FORUM_NAMES, forumReason, COLLECTION_REFUSALS, filingText } from "../i18n/forums.js";
import { scoringRegion } from "./regions.js";

/**
 * Expected net recovery and duration for each disposal path, and the recommended path.
 *
 * Paths (all amounts fen; present value at an annual discount rate, default 8%, over the path's duration):
 * - **self-collection** (自行清收): recovers a share of outstanding that falls with days past due
 *   (≤30: 85%, ≤90: 60%, ≤180: 30%, ≤360: 12%, more: 4%) in 6 months; costs 10% of what is collected (agents).
 * - **restructuring** (债务重组): for loans at most 可疑 and at most 360 days past due. Succeeds with
 *   probability 75% (正常/关注), 55% (次级), 35% (可疑), recovering 90% of outstanding over 24 months
 *   (valued at its 12-month midpoint); a failure falls back to litigation 12 months later. Costs 1%.
 * - **package sale** (批量转让 to an AMC): in 4 months at 55% of the expected auction proceeds of the
 *   collateral (capped at outstanding) plus the region's price for the unsecured rest; costs 1%.
 * - **litigation + judicial auction** (诉讼+司法拍卖): the collateral's expected auction proceeds to this claim
 *   (auction.ts `auctionDistribution`: after the enforcement fee, taxes, construction-price priority and
 *   senior mortgages) capped at outstanding, plus the region's litigation recovery rate on the unsecured
 *   rest, after the region's litigation duration. Costs (court-fees.ts, 《诉讼费用交纳办法》): the acceptance
 *   fee on the amount claimed (halved in summary procedure, 第十六条), the preservation fee on the claim
 *   (第十四条第二项, at most 5,000 yuan), the enforcement fee on the unsecured recovery (第十四条第一项; the
 *   secured part paid its own out of the auction), and 3% of the recovery for counsel, at least 1,000 yuan.
 * - **write-off** (核销): only for 可疑/损失; 3% recovered over 36 months after write-off (账销案存), no cost.
 *
 * Forums (core/forums.ts `adviseForums`, when given): the litigation path goes to the forum advised — arbitration
 * under a valid clause, a payment order, the special procedure to realise a security, a notarised instrument's
 * enforcement certificate, else a suit — and says so (`forum`, a reason citing the article). A debtor in
 * bankruptcy: self-collection and restructuring are not eligible (individual repayment is void, 企业破产法第十六条)
 * and the path is the claim filed with the administrator, with its deadline. A debtor's objection (异议): self-
 * collection is not eligible until it is answered.
 *
 * Regions differ in court speed and enforcement: e.g. a fast region takes ~14 months and recovers ~45% of
 * unsecured claims; a slow one ~30 months and ~25%. The recommended path maximises present value;
 * its reasons say why, with the margin over the runner-up.
 */

export const PATHS = ["self-collection", "restructuring", "package-sale", "litigation-auction", "write-off"] as const;
export type DisposalPath = (typeof PATHS)[number];
export const PATHS_ZH: Record<DisposalPath, string> = {
  "self-collection": "自行清收", restructuring: "债务重组", "package-sale": "批量转让", "litigation-auction": "诉讼及司法拍卖", "write-off": "核销",
};

export interface RegionProfile {
  name: string;
  /** Months from filing suit to cash from enforcement or auction. */
  litigationMonths: number;
  /** Share of an unsecured claim recovered through litigation and enforcement. */
  unsecuredRecovery: number;
  /** Price an AMC pays for the unsecured part of a claim, as a share of it. */
  packageUnsecuredPrice: number;
}

export const REGION_PROFILES: Record<string, RegionProfile> = {
  fast: { name: "fast", litigationMonths: 14, unsecuredRecovery: 0.45, packageUnsecuredPrice: 0.12 },
  medium: { name: "medium", litigationMonths: 20, unsecuredRecovery: 0.35, packageUnsecuredPrice: 0.09 },
  slow: { name: "slow", litigationMonths: 30, unsecuredRecovery: 0.25, packageUnsecuredPrice: 0.06 },
};

/** Which profile each known region follows (a district its city's, regions.ts scoringRegion); unknown regions are "medium". */
export const REGION_SPEED: Record<string, string> = {
  shanghai: "fast", hangzhou: "fast", chengdu: "medium", wuhan: "medium", shenyang: "slow", harbin: "slow",
};

export function regionProfile(region: string | undefined, profiles = REGION_PROFILES, speeds = REGION_SPEED): { profile: RegionProfile; known: boolean } {
  // A district or county is judged by its city's (or province's) courts when they are known.
  const speed = region ? speeds[scoringRegion(region, (k) => speeds[k] !== undefined)] : undefined;
  return { profile: profiles[speed ?? "medium"] ?? REGION_PROFILES.medium!, known: speed !== undefined };
}

/** Court acceptance fee of a property claim in ordinary procedure (court-fees.ts `acceptanceFee`), fen. */
export function courtFee(claim: bigint): bigint {
  return acceptanceFee(claim);
}

/** Minimum counsel and case-handling cost of a litigation, fen (1,000 yuan): small claims rarely pay to sue. */
export const MIN_COUNSEL_FEE = 100_000;

export interface RecoveryInput {
  outstanding: bigint;
  classIndex: number;
  daysPastDue: number;
  region?: string;
  /**
   * Expected auction proceeds of the collateral that reach this claim, fen (auction.ts `auctionDistribution`
   * `toClaim`: net of the enforcement fee and of claims ranking before it); undefined when unsecured or not valued.
   */
  auctionProceeds?: bigint;
  /** Procedure a suit would be heard in, for the acceptance fee (default ordinary; summary halves it). */
  procedure?: Procedure;
  /** The forums open to the claim (core/forums.ts adviseForums). */
  forums?: ForumAdvice;
}

/** The litigation path's court fees and counsel, fen. */
export interface LitigationFees {
  procedure: Procedure;
  acceptance: string;
  preservation: string;
  enforcement: string;
  counsel: string;
}

export interface RecoveryOptions {
  /** Annual discount rate for present values (default 0.08). */
  discountRate?: number;
  profiles?: Record<string, RegionProfile>;
  speeds?: Record<string, string>;
}

export interface PathEstimate {
  path: DisposalPath;
  pathZh: string;
  eligible: boolean;
  grossRecovery: string;
  costs: string;
  netRecovery: string;
  presentValue: string;
  durationMonths: number;
  /** Present value as basis points of outstanding. */
  recoveryBps: number;
  /** The litigation path's fees (《诉讼费用交纳办法》) and counsel. */
  fees?: LitigationFees;
  /** The litigation path: the forum it goes to (core/forums.ts), when forums were given. */
  forum?: Forum | "bankruptcy-claim";
}

export interface Reason { code: string; zh: string; en: string }

export interface RecoveryAdvice {
  region: string;
  regionProfile: string;
  paths: PathEstimate[];
  recommended: DisposalPath;
  recommendedZh: string;
  reasons: Reason[];
}

/** Expected recovery of every path and the recommended one. */
export function adviseRecovery(x: RecoveryInput, options: RecoveryOptions = {}): RecoveryAdvice {
  const rate = options.discountRate ?? 0.08;
  const { profile, known } = regionProfile(x.region, options.profiles, options.speeds);
  const out = Number(x.outstanding);
  const secured = x.auctionProceeds !== undefined ? Math.min(Number(x.auctionProceeds), out) : 0;
  const unsecured = out - secured;
  const pv = (amount: number, months: number) => amount / Math.pow(1 + rate, months / 12);
  const dpd = x.daysPastDue;

  const litigationGross = secured + profile.unsecuredRecovery * unsecured;
  const procedure = x.procedure ?? "ordinary";
  const fees = {
    acceptance: acceptanceFee(x.outstanding, procedure),
    preservation: preservationFee(x.outstanding),
    enforcement: enforcementFee(BigInt(Math.round(profile.unsecuredRecovery * unsecured))),
    counsel: BigInt(Math.round(Math.max(0.03 * litigationGross, MIN_COUNSEL_FEE))),
  };
  const litigationCosts = Number(fees.acceptance + fees.preservation + fees.enforcement + fees.counsel);
  const litigationNet = litigationGross - litigationCosts;

  const raw: { path: DisposalPath; eligible: boolean; gross: number; costs: number; months: number; pv: number }[] = [];
  const scShare = dpd <= 30 ? 0.85 : dpd <= 90 ? 0.6 : dpd <= 180 ? 0.3 : dpd <= 360 ? 0.12 : 0.04;
  const scGross = out * scShare;
  const bankrupt = x.forums?.advised === "bankruptcy-claim";
  const collectable = x.forums?.collection.allowed ?? true;
  raw.push({ path: "self-collection", eligible: collectable, gross: scGross, costs: 0.1 * scGross, months: 6, pv: pv(0.9 * scGross, 6) });

  const restructurable = x.classIndex <= DOUBTFUL && dpd <= 360 && !bankrupt;
  const success = x.classIndex <= 1 ? 0.75 : x.classIndex === 2 ? 0.55 : 0.35;
  const rsGross = success * 0.9 * out + (1 - success) * litigationGross;
  const rsCosts = 0.01 * out + (1 - success) * litigationCosts;
  const rsPv = success * pv(0.9 * out, 12) + (1 - success) * pv(litigationNet, 12 + profile.litigationMonths) - 0.01 * out;
  raw.push({ path: "restructuring", eligible: restructurable, gross: rsGross, costs: rsCosts, months: 24, pv: rsPv });

  const pkGross = 0.55 * secured + profile.packageUnsecuredPrice * unsecured;
  raw.push({ path: "package-sale", eligible: true, gross: pkGross, costs: 0.01 * pkGross, months: 4, pv: pv(0.99 * pkGross, 4) });

  raw.push({ path: "litigation-auction", eligible: true, gross: litigationGross, costs: litigationCosts, months: profile.litigationMonths, pv: pv(litigationNet, profile.litigationMonths) });

  const woGross = 0.03 * out;
  raw.push({ path: "write-off", eligible: x.classIndex >= DOUBTFUL, gross: woGross, costs: 0, months: 36, pv: pv(woGross, 36) });

  const eligible = raw.filter((p) => p.eligible).sort((a, b) => b.pv - a.pv);
  const best = eligible[0]!;
  const runnerUp = eligible[1];
  const fen = (v: number) => BigInt(Math.round(v)).toString();
  const paths: PathEstimate[] = raw.map((p) => ({
    path: p.path, pathZh: PATHS_ZH[p.path], eligible: p.eligible,
    grossRecovery: fen(p.gross), costs: fen(p.costs), netRecovery: fen(p.gross - p.costs), presentValue: fen(p.pv),
    durationMonths: p.months, recoveryBps: out > 0 ? Math.round((p.pv / out) * 10_000) : 0,
    ...(p.path === "litigation-auction"
      ? {
          fees: { procedure, acceptance: fees.acceptance.toString(), preservation: fees.preservation.toString(), enforcement: fees.enforcement.toString(), counsel: fees.counsel.toString() },
          ...(x.forums?.advised ? { forum: x.forums.advised } : {}),
        }
      : {}),
  }));

  const reasons: Reason[] = [];
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  if (runnerUp) {
    const margin = out > 0 ? (best.pv - runnerUp.pv) / out : 0;
    reasons.push({
      code: "highest-present-value",
      zh: `现值最高，比次优方案（${PATHS_ZH[runnerUp.path]}）高出未偿本息的${pct(margin)}`,
      en: `Highest present value, ${pct(margin)} of outstanding above the runner-up (${runnerUp.path})`,
    });
  }
  if (secured > 0 && secured >= 0.8 * out) reasons.push({ code: "collateral-covers", zh: "抵押物预计拍卖所得可覆盖大部分债权", en: "Expected auction proceeds cover most of the claim" });
  if (secured === 0) reasons.push({ code: "unsecured", zh: "无抵押物，回收依赖债务人还款能力", en: "Unsecured: recovery depends on the debtor's ability to pay" });
  if (profile.name === "slow") reasons.push({ code: "slow-courts", zh: `该地区诉讼执行周期长（约${profile.litigationMonths}个月）、回收率低`, en: `Courts in this region are slow (~${profile.litigationMonths} months) and recover little` });
  if (profile.name === "fast") reasons.push({ code: "fast-courts", zh: `该地区诉讼执行较快（约${profile.litigationMonths}个月）`, en: `Courts in this region are fast (~${profile.litigationMonths} months)` });
  if (!known) reasons.push({ code: "region-default", zh: "地区未知，按中等地区估算", en: "Unknown region: estimated as a medium one" });
  if (!restructurable && !bankrupt) reasons.push({ code: "restructuring-ineligible", zh: "损失类或逾期超过360天，不宜重组", en: "Loss class or over 360 days past due: restructuring unlikely to work" });
  reasons.push(...forumReasons(x.forums));
  if (x.classIndex === LOSS && best.path !== "write-off") reasons.push({ code: "write-off-possible", zh: "符合核销条件，但仍有可回收价值", en: "Eligible for write-off, but there is still value to recover" });
  return { region: x.region ?? "", regionProfile: profile.name, paths, recommended: best.path, recommendedZh: PATHS_ZH[best.path], reasons };
}

/** What the forums say about the paths: the forum the litigation path goes to, why collection stops, the filing deadline. */
function forumReasons(f: ForumAdvice | undefined): Reason[] {
  if (!f) return [];
  const out: Reason[] = [];
  if (!f.collection.allowed) {
    const r = COLLECTION_REFUSALS[f.collection.reason];
    out.push({ code: f.collection.reason, zh: r["zh-CN"], en: r.en });
  }
  if (f.advised === "bankruptcy-claim" && f.filing) {
    out.push({ code: `filing-${f.filing.status}`, zh: filingText("zh-CN", f.filing.status, f.filing.deadline), en: filingText("en", f.filing.status, f.filing.deadline) });
  } else if (f.advised) {
    const o = f.forums.find((x) => x.forum === f.advised)!;
    const why = (lang: "zh-CN" | "en") => (o.reason === "available" ? o.rule : forumReason(lang, o.reason, o.vars));
    out.push({
      code: `forum-${f.advised}`,
      zh: `诉讼途径：${FORUM_NAMES[f.advised]["zh-CN"]}（${why("zh-CN")}）`,
      en: `Court route: ${FORUM_NAMES[f.advised].en} (${why("en")})`,
    });
  }
  return out;
}
