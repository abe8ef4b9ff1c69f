import { ValidationError } from "./errors.js";
import { formatDay } from "./dates.js";
import { bucketOf, newRepaymentFacts, newScheduleData, parseScheduleInto, repaymentFacts, ARREARS_BUCKETS } from "./dpd.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH, RULES, SPECIAL_MENTION, type Classification, type ClassificationZh } from "./classification.js";
import { GRADES, REASONS, type Grade } from "./risk.js";
import { classifyAndScore, type AssessmentRequest, type BatchResult, type CollateralRequest, type LoanRequest } from "./batch.js";
import { ASSET_TYPES, type AssetType } from "./comparables.js";
import { valueCollateral, type Valuation, type ValuationModel } from "./valuation.js";
import { auctionPlan, DEFAULT_AUCTION_RULES, DEFAULT_AUCTION_STATISTICS, type AuctionRules, type AuctionStatistics } from "./auction.js";
import { adviseRecovery, type RecoveryAdvice, type RecoveryOptions } from "./recovery.js";
import { missingItems, type Missing } from "./process.js";
import { parseMinor } from "./money.js";

/**
 * `assessPortfolio`: the body of POST /v1/assessments in, the response body out.
 *
 * Pure: time is the request's `asOf`, comparables come in as a prepared {@link ValuationModel}. Money in
 * the request is decimal strings of fen; every amount in the response is a decimal string of fen too.
 * Classification and score run in the allocation-light batch (batch.ts); this module adds, per loan, the
 * explanations, the valuation of its collateral, the disposal advice and the missing documents.
 */

export type { AssessmentRequest, LoanRequest };

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
}

export interface Explained { code: string; zh: string; en: string }

export interface RiskOutput {
  score: number;
  grade: Grade;
  /** Priority for the work queue: expected loss × urgency, fen. */
  priority: string;
  expectedLoss: string;
  urgencyBps: number;
  reasons: (Explained & { points: number })[];
  priorityReasons: (Explained & { bps: number })[];
}

export interface CollateralValuation extends Valuation {
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
  if (options.valuation) {
    const asOfProbe = classifyAndScore({ asOf: input.asOf, loans: [] }).asOf;
    const year = Number(formatDay(asOfProbe).slice(0, 4));
    values = new Float64Array(n).fill(NaN);
    for (let i = 0; i < n; i++) {
      const c = loans[i]?.collateral;
      if (!c) continue;
      const s = subjectOf(c, i, year);
      const v = s && valueCollateral(options.valuation, s, asOfProbe);
      if (v) { valuations[i] = v; values[i] = Number(v.value); }
    }
  }
  const batch = classifyAndScore(input, { technicalDelayDays: options.technicalDelayDays, collateralValues: values });

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
      risk: riskOf(batch, i),
    };
    if (batch.hasSchedule[i]) {
      parseScheduleInto(schedule, loan.schedule, loan.payments, `loans[${i}]`);
      repaymentFacts(schedule, batch.asOf, loan.graceDays ?? 0, NaN, facts);
      const buckets: Record<string, string> = {};
      ARREARS_BUCKETS.forEach((b, k) => { if (facts.buckets[k]! > 0) buckets[b] = String(facts.buckets[k]); });
      result.arrears = { total: String(facts.arrears), buckets };
    }
    let auctionProceeds: bigint | undefined;
    const v = valuations[i];
    if (v) {
      const stats = options.auctionStatistics?.get(loan.collateral!.region) ?? DEFAULT_AUCTION_STATISTICS;
      const plan = auctionPlan(BigInt(v.value), stats, options.auctionRules ?? DEFAULT_AUCTION_RULES);
      auctionProceeds = plan.expectedProceeds;
      result.valuation = {
        ...v,
        auction: {
          rounds: plan.rounds.map((r) => ({ round: r.round, zh: r.zh, en: r.en, reserve: r.reserve.toString(), probability: round4(r.probability) })),
          sellProbability: round4(plan.sellProbability), expectedProceeds: plan.expectedProceeds.toString(), expectedBps: plan.expectedBps,
        },
      };
    } else if (batch.collateralValue[i]! >= 0 && loan.collateral) {
      result.collateralValue = String(loan.collateral.appraisedValue);
      const stats = options.auctionStatistics?.get(loan.collateral.region) ?? DEFAULT_AUCTION_STATISTICS;
      auctionProceeds = auctionPlan(parseMinor(loan.collateral.appraisedValue, `loans[${i}].collateral.appraisedValue`), stats, options.auctionRules ?? DEFAULT_AUCTION_RULES).expectedProceeds;
    }
    const wantAdvice = advice === "all" || (advice === "delinquent" && (cls >= SPECIAL_MENTION || loan.stage !== undefined));
    if (wantAdvice) {
      result.recovery = adviseRecovery({
        outstanding: parseMinor(loan.outstanding, `loans[${i}].outstanding`), classIndex: cls, daysPastDue: batch.daysPastDue[i]!,
        region: loan.region ?? loan.collateral?.region, auctionProceeds,
      }, options.recovery);
      const stage = loan.stage ?? (cls <= SPECIAL_MENTION ? "collection" : cls === 2 ? "demand" : "litigation");
      if (loan.documents !== undefined && !Array.isArray(loan.documents)) throw new ValidationError(`loans[${i}].documents`, "must be an array of document codes");
      result.missing = missingItems(loan.collateral ? loan.collateral.assetType : "unsecured", stage, loan.documents ?? [], `loans[${i}]`);
    }
    results[i] = result;
  }
  return { asOf: formatDay(batch.asOf), count: n, summary, results };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function riskOf(b: BatchResult, i: number): RiskOutput {
  const reasons: RiskOutput["reasons"] = [];
  for (let k = 0; k < 3; k++) {
    const id = b.reasonIds[3 * i + k]!;
    if (id < 0) break;
    const r = REASONS[id]!;
    reasons.push({ code: r.code, points: b.reasonPoints[3 * i + k]!, zh: r.zh, en: r.en });
  }
  const priorityReasons: RiskOutput["priorityReasons"] = [];
  for (let k = 0; k < 4; k++) {
    const id = b.urgencyIds[4 * i + k]!;
    if (id < 0) break;
    const r = REASONS[id]!;
    priorityReasons.push({ code: r.code, bps: b.urgencyBoosts[4 * i + k]!, zh: r.zh, en: r.en });
  }
  return {
    score: b.score[i]!, grade: GRADES[b.grade[i]!]!, priority: BigInt(b.priority[i]!).toString(), expectedLoss: BigInt(b.expectedLoss[i]!).toString(),
    urgencyBps: b.urgencyBps[i]!, reasons, priorityReasons,
  };
}
