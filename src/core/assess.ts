import { ValidationError } from "./errors.js";
import { formatDay } from "./dates.js";
import { bucketOf, newRepaymentFacts, newScheduleData, parseScheduleInto, repaymentFacts, ARREARS_BUCKETS } from "./dpd.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH, RULES, SPECIAL_MENTION, type Classification, type ClassificationZh } from "./classification.js";
import { GRADES, REASONS, type Grade, type RiskSignal } from "./risk.js";
import { classifyAndScore, type AssessmentRequest, type BatchResult, type CollateralRequest, type LoanRequest, type LoanSignals } from "./batch.js";
import { ASSET_TYPES, type AssetType } from "./comparables.js";
import { valueCollateral, type Valuation, type ValuationModel } from "./valuation.js";
import {
  auctionDistribution, auctionPlan, DEFAULT_AUCTION_RULES, DEFAULT_AUCTION_STATISTICS, type AuctionRules, type AuctionStatistics, type Distribution,
} from "./auction.js";
import { adviseRecovery, type RecoveryAdvice, type RecoveryOptions } from "./recovery.js";
import { missingItems, type Missing } from "./process.js";
import { adviseForums, type Forum } from "./forums.js";
import { parseMinor } from "./money.js";
import type { SurveyCitation } from "./survey.js";
import { adjustCollateral, hasCollateralFacts, type Adjusted, type CollateralAdjustments, type OutsideFacts } from "./collateral-steps.js";

/**
 * `assessPortfolio`: the body of POST /v1/assessments in, the response body out.
 *
 * Pure: time is the request's `asOf`, comparables come in as a prepared {@link ValuationModel}. Money in
 * the request is decimal strings of fen; every amount in the response is a decimal string of fen too.
 * Classification and score run in the allocation-light batch (batch.ts); this module adds, per loan, the
 * explanations, the valuation of its collateral, the disposal advice and the missing documents.
 *
 * Facts from outside the request ({@link AssessOptions.outside}: a field survey, outside-data feeds) change a
 * loan's collateral value in stated steps ({@link CollateralAdjustments}) before the score sees it, and add
 * score contributions and urgency boosts as signals of the batch; loans without them cost nothing extra.
 */

export type { AssessmentRequest, LoanRequest };
export type { CollateralAdjustments, CollateralStep, OutsideFacts } from "./collateral-steps.js";

export interface AssessOptions {
  /** Valuation model built from the comparable cases; without it, collateral uses its appraisedValue. */
  valuation?: ValuationModel;
  /** Judicial-auction statistics per region (from auctionStatistics); defaults otherwise. */
  auctionStatistics?: Map<string, AuctionStatistics>;
  auctionRules?: AuctionRules;
  recovery?: RecoveryOptions;
  technicalDelayDays?: number;
  /** Which loans get recovery advice and the missing-items list: "delinquent" (关注 or worse, or a stage given; default), "all", "none". */
  advice?: "delinquent" | "all" | "none";
  /** With the advice, list the missing steps and documents too (default true; the console's model needs none). */
  missing?: boolean;
  /** Facts from outside the request, by loan index (sparse): field surveys and outside-data feeds. */
  outside?: ReadonlyArray<OutsideFacts | undefined>;
}

export interface Explained { code: string; zh: string; en: string }

export interface RiskOutput {
  score: number;
  grade: Grade;
  /** Priority for the work queue: expected loss × urgency, fen. */
  priority: string;
  expectedLoss: string;
  urgencyBps: number;
  /** `ref`: the outside fact (feed record id) a reason came from. */
  reasons: (Explained & { points: number; ref?: string })[];
  priorityReasons: (Explained & { bps: number; ref?: string })[];
}

export interface CollateralValuation extends Valuation {
  /** The field survey this valuation applied (value, P10 and P90 are after it; `survey.before` before it). */
  survey?: SurveyCitation;
  auction: {
    rounds: { round: number; zh: string; en: string; reserve: string; probability: number }[];
    sellProbability: number;
    expectedProceeds: string;
    expectedBps: number;
  };
}

export interface AssessmentResult {
  loanId: string;
  daysPastDue: number;
  bucket: string;
  classification: Classification;
  classificationZh: ClassificationZh;
  rule: Explained;
  risk: RiskOutput;
  arrears?: { total: string; buckets: Record<string, string> };
  valuation?: CollateralValuation;
  /** Collateral value used for coverage when no valuation ran: the appraisal on file. */
  collateralValue?: string;
  recovery?: RecoveryAdvice;
  missing?: Missing;
  /** Present when a survey, feed or the collateral's own facts changed its value: before, the steps and after. */
  collateralAdjustments?: CollateralAdjustments;
  /** How the expected auction proceeds reach this claim (auction.ts `auctionDistribution`), when there are any. */
  auctionDistribution?: {
    proceeds: string;
    steps: { code: string; zh: string; en: string; amount: string; left: string }[];
    toClaim: string;
    surplus: string;
  };
}

export interface AssessmentResponse {
  asOf: string;
  count: number;
  summary: Record<Classification, number>;
  results: AssessmentResult[];
}

const RULE_OUT: Explained[] = RULES.map((r) => Object.freeze({ code: r.code, zh: r.zh, en: r.en }));

function subjectOf(c: CollateralRequest, i: number, asOfYear: number): { assetType: AssetType; region: string; area: number; ageYears: number; occupied: boolean; titleDefect: boolean } | undefined {
  const at = `loans[${i}].collateral`;
  if (c === null || typeof c !== "object") throw new ValidationError(at, "must be an object");
  if (!(ASSET_TYPES as readonly string[]).includes(c.assetType)) return undefined; // vehicles, equipment: appraisal only
  if (typeof c.region !== "string" || !c.region) throw new ValidationError(`${at}.region`, "must be a region code");
  const area = Number(c.area);
  if (!(area > 0 && area <= 1_000_000)) throw new ValidationError(`${at}.area`, "must be a number of m² above 0");
  let age: number;
  if (c.ageYears !== undefined) age = Number(c.ageYears);
  else if (c.builtYear !== undefined) age = asOfYear - Number(c.builtYear);
  else throw new ValidationError(`${at}.ageYears`, "give ageYears or builtYear");
  if (!(age >= 0 && age <= 100)) throw new ValidationError(`${at}.${c.ageYears !== undefined ? "ageYears" : "builtYear"}`, "must give an age from 0 to 100 years");
  return { assetType: c.assetType as AssetType, region: c.region, area, ageYears: age, occupied: c.occupied === true, titleDefect: c.titleDefect === true };
}

/**
 * Assesses a portfolio: classification with its deciding rule, risk score/grade/priority with reasons, and
 * (when collateral and options allow) valuation, recovery advice and missing documents.
 * @throws ValidationError naming the field path, e.g. "loans[3].outstanding"
 */
export function assessPortfolio(input: AssessmentRequest, options: AssessOptions = {}): AssessmentResponse {
  if (input === null || typeof input !== "object" || !Array.isArray(input.loans)) throw new ValidationError("loans", "must be an array");
  const loans = input.loans;
  const n = loans.length;

  // Valuations first: their values feed the coverage in the score.
  const valuations: (Valuation | undefined)[] = new Array(n);
  let values: Float64Array | undefined;
  const outside = options.outside;
  const ownFacts = loans.some(hasCollateralFacts);
  if (options.valuation || outside || ownFacts) values = new Float64Array(n).fill(NaN);
  if (options.valuation) {
    const asOfProbe = classifyAndScore({ asOf: input.asOf, loans: [] }).asOf;
    const year = Number(formatDay(asOfProbe).slice(0, 4));
    for (let i = 0; i < n; i++) {
      const c = loans[i]?.collateral;
      if (!c) continue;
      const s = subjectOf(c, i, year);
      const v = s && valueCollateral(options.valuation, s, asOfProbe);
      if (v) { valuations[i] = v; values![i] = Number(v.value); }
    }
  }
  // Outside facts: survey and feed steps on the collateral value, signals for the score, cross-bank shares.
  let signals: { index: number[]; signals: (readonly RiskSignal[])[] } | undefined;
  let adjustments: (Adjusted | undefined)[] | undefined;
  let request = input;
  if (outside) {
    adjustments = new Array(n);
    let shares: { debtorId: string; crossBankOverdue90Share: number }[] | undefined;
    const m = Math.min(n, outside.length);
    for (let i = 0; i < m; i++) {
      const facts = outside[i];
      if (!facts) continue;
      const loan = loans[i]!;
      if (facts.feeds && facts.feeds.signals.length > 0) {
        signals ??= { index: [], signals: [] };
        signals.index.push(i);
        signals.signals.push(facts.feeds.signals);
      }
      const share = facts.feeds?.crossBankOverdue90Share;
      if (share !== undefined && loan.debtorType === "corporate") (shares ??= []).push({ debtorId: loan.debtorId, crossBankOverdue90Share: share });
    }
    if (shares) {
      // A share given in the request wins over the credit bureau's.
      const given = new Set((Array.isArray(input.debtors) ? input.debtors : []).map((d) => d?.debtorId));
      const extra = shares.filter((d) => !given.has(d.debtorId));
      if (extra.length > 0) request = { ...input, debtors: [...(Array.isArray(input.debtors) ? input.debtors : []), ...extra] };
    }
  }
  // Collateral steps: outside facts and the collateral's own (registration, lease, prior claims).
  if (outside || ownFacts) {
    adjustments ??= new Array(n);
    for (let i = 0; i < n; i++) {
      const facts = outside?.[i];
      const loan = loans[i]!;
      if (!facts && !hasCollateralFacts(loan)) continue;
      const adj = adjustCollateral(loan, i, valuations[i], facts ?? {});
      if (adj) {
        adjustments[i] = adj;
        if (adj.valuation) valuations[i] = adj.valuation;
        values![i] = Number(adj.after);
      }
    }
  }
  const batch = classifyAndScore(request, { technicalDelayDays: options.technicalDelayDays, collateralValues: values, signals: signals as LoanSignals | undefined });
  // Per loan, its signals (for the reasons' refs): only loans with outside facts.
  const signalsOf = signals ? new Map(signals.index.map((i, k) => [i, signals!.signals[k]!])) : undefined;

  const summary = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>;
  const results: AssessmentResult[] = new Array(n);
  const schedule = newScheduleData();
  const facts = newRepaymentFacts();
  const advice = options.advice ?? "delinquent";
  for (let i = 0; i < n; i++) {
    const loan = loans[i]!;
    const cls = batch.classIndex[i]!;
    summary[CLASSIFICATIONS[cls]!]++;
    const result: AssessmentResult = {
      loanId: loan.loanId,
      daysPastDue: batch.daysPastDue[i]!,
      bucket: bucketOf(batch.daysPastDue[i]!),
      classification: CLASSIFICATIONS[cls]!,
      classificationZh: CLASSIFICATIONS_ZH[cls]!,
      rule: RULE_OUT[batch.rule[i]!]!,
      risk: riskOf(batch, i, signalsOf?.get(i)),
    };
    if (batch.hasSchedule[i]) {
      parseScheduleInto(schedule, loan.schedule, loan.payments, `loans[${i}]`);
      repaymentFacts(schedule, batch.asOf, NaN, facts);
      const buckets: Record<string, string> = {};
      ARREARS_BUCKETS.forEach((b, k) => { if (facts.buckets[k]! > 0) buckets[b] = String(facts.buckets[k]); });
      result.arrears = { total: String(facts.arrears), buckets };
    }
    let auctionProceeds: bigint | undefined;
    const v = valuations[i];
    const adj = adjustments?.[i];
    if (adj) result.collateralAdjustments = adj.out;
    const outstanding = parseMinor(loan.outstanding, `loans[${i}].outstanding`);
    // What the expected proceeds leave this claim: the enforcement fee and the claims before it first.
    const toClaim = (proceeds: bigint) => {
      if (adj?.unsecured) return 0n;
      const d = auctionDistribution(proceeds, outstanding, adj?.prior);
      result.auctionDistribution = distributionOut(d);
      return d.toClaim;
    };
    if (v) {
      const stats = options.auctionStatistics?.get(loan.collateral!.region) ?? DEFAULT_AUCTION_STATISTICS;
      const plan = auctionPlan(adj ? adj.market : BigInt(v.value), stats, options.auctionRules ?? DEFAULT_AUCTION_RULES);
      auctionProceeds = toClaim(plan.expectedProceeds);
      result.valuation = {
        ...v,
        auction: {
          rounds: plan.rounds.map((r) => ({ round: r.round, zh: r.zh, en: r.en, reserve: r.reserve.toString(), probability: round4(r.probability) })),
          sellProbability: round4(plan.sellProbability), expectedProceeds: plan.expectedProceeds.toString(), expectedBps: plan.expectedBps,
        },
      };
    } else if (adj && loan.collateral) {
      result.collateralValue = adj.after.toString();
      const stats = options.auctionStatistics?.get(loan.collateral.region) ?? DEFAULT_AUCTION_STATISTICS;
      auctionProceeds = toClaim(auctionPlan(adj.market, stats, options.auctionRules ?? DEFAULT_AUCTION_RULES).expectedProceeds);
    } else if (batch.collateralValue[i]! >= 0 && loan.collateral) {
      result.collateralValue = String(loan.collateral.appraisedValue);
      const stats = options.auctionStatistics?.get(loan.collateral.region) ?? DEFAULT_AUCTION_STATISTICS;
      auctionProceeds = toClaim(auctionPlan(parseMinor(loan.collateral.appraisedValue, `loans[${i}].collateral.appraisedValue`), stats, options.auctionRules ?? DEFAULT_AUCTION_RULES).expectedProceeds);
    }
    const wantAdvice = advice === "all" || (advice === "delinquent" && (cls >= SPECIAL_MENTION || loan.stage !== undefined));
    if (wantAdvice) {
      // A registered, valued collateral tells the forums how well the claim is secured (实现担保物权 for a well-secured one).
      const value = result.valuation?.value ?? result.collateralValue;
      const security = loan.forums && !loan.forums.security && loan.collateral && value !== undefined && outstanding > 0n
        ? { registered: loan.collateral.registration !== "none", coverageBps: Number((BigInt(value) * 10_000n) / outstanding) }
        : undefined;
      const forums = loan.forums ? adviseForums({ ...loan.forums, ...(security ? { security } : {}) }, batch.asOf) : undefined;
      result.recovery = adviseRecovery({
        outstanding, classIndex: cls, daysPastDue: batch.daysPastDue[i]!,
        region: loan.region ?? loan.collateral?.region, auctionProceeds, ...(forums ? { forums } : {}),
      }, options.recovery);
      if (options.missing !== false) {
        const stage = loan.stage ?? (cls <= SPECIAL_MENTION ? "collection" : cls === 2 ? "demand" : "litigation");
        if (loan.documents !== undefined && !Array.isArray(loan.documents)) throw new ValidationError(`loans[${i}].documents`, "must be an array of document codes");
        const forum = forums?.advised && forums.advised !== "bankruptcy-claim" ? forums.advised as Forum : undefined;
        result.missing = missingItems(loan.collateral ? loan.collateral.assetType : "unsecured", stage, loan.documents ?? [], `loans[${i}]`, forum);
      }
    }
    results[i] = result;
  }
  return { asOf: formatDay(batch.asOf), count: n, summary, results };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function refOf(signals: readonly RiskSignal[] | undefined, id: number): { ref: string } | undefined {
  if (signals === undefined) return undefined;
  for (const s of signals) if (s.reason === id && s.ref !== undefined) return { ref: s.ref };
  return undefined;
}

function riskOf(b: BatchResult, i: number, signals?: readonly RiskSignal[]): RiskOutput {
  const reasons: RiskOutput["reasons"] = [];
  for (let k = 0; k < 3; k++) {
    const id = b.reasonIds[3 * i + k]!;
    if (id < 0) break;
    const r = REASONS[id]!;
    reasons.push({ code: r.code, points: b.reasonPoints[3 * i + k]!, zh: r.zh, en: r.en, ...refOf(signals, id) });
  }
  const priorityReasons: RiskOutput["priorityReasons"] = [];
  for (let k = 0; k < 4; k++) {
    const id = b.urgencyIds[4 * i + k]!;
    if (id < 0) break;
    const r = REASONS[id]!;
    priorityReasons.push({ code: r.code, bps: b.urgencyBoosts[4 * i + k]!, zh: r.zh, en: r.en, ...refOf(signals, id) });
  }
  return {
    score: b.score[i]!, grade: GRADES[b.grade[i]!]!, priority: BigInt(b.priority[i]!).toString(), expectedLoss: BigInt(b.expectedLoss[i]!).toString(),
    urgencyBps: b.urgencyBps[i]!, reasons, priorityReasons,
  };
}

function distributionOut(d: Distribution): NonNullable<AssessmentResult["auctionDistribution"]> {
  return {
    proceeds: d.proceeds.toString(),
    steps: d.steps.map((s) => ({ code: s.code, zh: s.zh, en: s.en, amount: s.amount.toString(), left: s.left.toString() })),
    toClaim: d.toClaim.toString(),
    surplus: d.surplus.toString(),
  };
}
