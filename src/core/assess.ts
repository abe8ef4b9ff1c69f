import { ValidationError } from "./errors.js";
import { formatDay } from "./dates.js";
import { bucketOf, newRepaymentFacts, newScheduleData, parseScheduleInto, repaymentFacts, ARREARS_BUCKETS } from "./dpd.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH, RULES, SPECIAL_MENTION, type Classification, type ClassificationZh } from "./classification.js";
import { GRADES, REASONS, type Grade, type RiskSignal } from "./risk.js";
import { classifyAndScore, type AssessmentRequest, type BatchResult, type CollateralRequest, type LoanRequest, type LoanSignals } from "./batch.js";
import { ASSET_TYPES, type AssetType } from "./comparables.js";
import { valueCollateral, type Valuation, type ValuationModel } from "./valuation.js";
import {
  auctionDistribution, auctionPlan, checkRegistration, leaseAdjusted, optionalFen, DEFAULT_AUCTION_RULES, DEFAULT_AUCTION_STATISTICS,
  type AuctionRules, type AuctionStatistics, type Distribution, type Lease, type PriorClaims,
} from "./auction.js";
import { adviseRecovery, type RecoveryAdvice, type RecoveryOptions } from "./recovery.js";
import { missingItems, type Missing } from "./process.js";
import { applyBps, parseMinor } from "./money.js";
import { applySurvey, surveyAdjustments, surveyId, type Survey, type SurveyCitation } from "./survey.js";
import type { FeedEffects } from "./feeds.js";

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
  /** Facts from outside the request, by loan index (sparse): field surveys and outside-data feeds. */
  outside?: ReadonlyArray<OutsideFacts | undefined>;
}

/** What is known about one loan beyond its request. */
export interface OutsideFacts {
  /** The field survey of its collateral to use (survey.ts), with its hash; used when its asset type is the collateral's. */
  survey?: { survey: Survey; hash: string };
  /** The effects of its outside-data feeds at asOf (feeds.ts `feedEffects`). */
  feeds?: FeedEffects;
}

/** One stated step from the collateral's value before to the value that counts. */
export interface CollateralStep {
  source: "survey" | "feed" | "request";
  /** The survey's id or the feed record's id. */
  ref: string;
  code: string;
  zh: string;
  en: string;
  /** Multiplicative factor of this step, basis points. */
  factorBps?: number;
  /** The amount this step brought in or took off, fen. */
  amount?: string;
  /** The value after this step, fen. */
  value: string;
}

/**
 * How outside facts changed the collateral value, in order: (1) without a comparable-based valuation, a
 * third-party appraisal replaces the appraisal on file; (2) the survey's factors; (3) with a valuation, a
 * lower third-party appraisal counts instead (prudence); (4) mortgages ranking before ours are deducted —
 * they are paid first out of a sale. From the request's collateral: (5) a lease that predates the mortgage
 * lowers the price a sale can fetch (民法典第四百零五条、第七百二十五条); (6) taxes the court withholds and an
 * unpaid construction price (民法典第八百零七条) are paid before the mortgage; (7) an unregistered mortgage
 * (民法典第四百零二、四百零三条) secures nothing against third parties. `market` is the value after (3) and (5),
 * what an auction is planned on; `after` is the value after the deductions, what the coverage and the
 * expected loss use.
 */
export interface CollateralAdjustments {
  basis: "valuation" | "appraisal-on-file" | "third-party-appraisal";
  before: string;
  market: string;
  after: string;
  steps: CollateralStep[];
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
      result.recovery = adviseRecovery({
        outstanding, classIndex: cls, daysPastDue: batch.daysPastDue[i]!,
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

/** A loan's collateral after its outside and own facts: the (surveyed) valuation and the stated steps. */
interface Adjusted {
  valuation?: CollateralValuation | Valuation;
  /** Value an auction is planned on (after survey, appraisal and a lease before the mortgage), fen. */
  market: bigint;
  /** Claims paid out of a sale before ours, fen. */
  prior: PriorClaims;
  /** The mortgage is not registered: it secures nothing against third parties. */
  unsecured: boolean;
  /** Value that counts for coverage, fen. */
  after: bigint;
  out: CollateralAdjustments;
}

function netOf(value: bigint, deduction: bigint): bigint {
  return value > deduction ? value - deduction : 0n;
}

function distributionOut(d: Distribution): NonNullable<AssessmentResult["auctionDistribution"]> {
  return {
    proceeds: d.proceeds.toString(),
    steps: d.steps.map((s) => ({ code: s.code, zh: s.zh, en: s.en, amount: s.amount.toString(), left: s.left.toString() })),
    toClaim: d.toClaim.toString(),
    surplus: d.surplus.toString(),
  };
}

/** Whether a loan's collateral carries facts of its own that change what it secures. */
function hasCollateralFacts(loan: LoanRequest | undefined): boolean {
  const c = loan?.collateral;
  return c !== undefined && c !== null && typeof c === "object"
    && (c.registration !== undefined || c.lease !== undefined || c.taxes !== undefined || c.constructionPrice !== undefined || c.seniorMortgages !== undefined);
}

/** The collateral's own facts from the request, validated. */
function ownCollateralFacts(c: CollateralRequest, i: number) {
  const at = `loans[${i}].collateral`;
  const registered = c.registration === undefined ? undefined : checkRegistration(c.assetType, c.registration, `${at}.registration`);
  let lease: Lease | undefined;
  if (c.lease !== undefined) {
    if (c.lease === null || typeof c.lease !== "object" || typeof c.lease.beforeMortgage !== "boolean") {
      throw new ValidationError(`${at}.lease.beforeMortgage`, "must be a boolean: whether the lease (with possession) predates the mortgage");
    }
    lease = { beforeMortgage: c.lease.beforeMortgage, prepaidRent: optionalFen(c.lease.prepaidRent, `${at}.lease.prepaidRent`) };
  }
  return {
    registered, lease,
    taxes: optionalFen(c.taxes, `${at}.taxes`) ?? 0n,
    constructionPrice: optionalFen(c.constructionPrice, `${at}.constructionPrice`) ?? 0n,
    seniorMortgages: optionalFen(c.seniorMortgages, `${at}.seniorMortgages`) ?? 0n,
  };
}

const STEP_LEASE_BEFORE = {
  code: "lease-before-mortgage",
  zh: "抵押权设立前已出租并转移占有，租赁不受抵押权影响，买受人承受租赁（民法典第四百零五条、第七百二十五条），按带租约出售折价并扣除预付租金",
  en: "Let and handed over before the mortgage: the lease survives the sale and binds the buyer (Civil Code arts. 405, 725); sold subject to it, less prepaid rent",
};
const STEP_LEASE_AFTER = {
  code: "lease-after-mortgage",
  zh: "租赁设立于抵押之后，影响抵押权实现的，法院除去租赁后拍卖（拍卖变卖规定第二十八条第二款），不影响价值",
  en: "Let after the mortgage: the court removes a lease that hinders the mortgage before the sale (Auction and Sale Provisions art. 28(2)); no effect on value",
};
const STEP_UNREGISTERED = {
  code: "mortgage-unregistered",
  zh: "抵押未登记：不动产抵押权未设立（民法典第四百零二条）；动产抵押不得对抗善意第三人、查封扣押债权人及破产程序（民法典第四百零三条；担保制度解释第五十四条），不计担保价值",
  en: "Mortgage not registered: a real-estate mortgage does not exist (Civil Code art. 402); a chattel mortgage cannot be asserted against good-faith third parties, seizing creditors or in bankruptcy (Civil Code art. 403; Security Interpretation art. 54): no secured value counts",
};
const STEP_TAXES = {
  code: "taxes-deducted",
  zh: "扣除法院自变价款中代扣的税费（网络司法拍卖规定第三十条；税收征收管理法第四十五条）",
  en: "Taxes the court withholds from the proceeds are deducted (Online Judicial Auction Provisions art. 30; Tax Collection Law art. 45)",
};
const STEP_CONSTRUCTION = {
  code: "construction-price-deducted",
  zh: "扣除优先于抵押权受偿的建设工程价款（民法典第八百零七条；建设工程施工合同解释（一）第三十六条）",
  en: "The unpaid construction price, paid before mortgages, is deducted (Civil Code art. 807; Construction Contract Interpretation (I) art. 36)",
};

const STEP_APPRAISAL_REPLACES = {
  code: "appraisal-third-party",
  zh: "按最新第三方评估值计（替代档案评估价）",
  en: "The latest third-party appraisal counts (it replaces the appraisal on file)",
};
const STEP_APPRAISAL_LOWER = {
  code: "appraisal-lower",
  zh: "第三方评估低于模型估值，按孰低计（审慎原则）",
  en: "The third-party appraisal is below the model value: the lower counts (prudence)",
};
const STEP_APPRAISAL_NOT_LOWER = {
  code: "appraisal-not-lower",
  zh: "第三方评估不低于模型估值，仍按模型估值计",
  en: "The third-party appraisal is not below the model value: the model value counts",
};
const STEP_SENIOR = {
  code: "senior-claims-deducted",
  zh: "扣除顺位在先的抵押债权（处置时优先受偿）",
  en: "Mortgages ranking before ours are deducted (they are paid first out of a sale)",
};

/** The collateral steps of one loan (see {@link CollateralAdjustments}); undefined when nothing applies. */
function adjustCollateral(loan: LoanRequest, i: number, v: Valuation | undefined, facts: OutsideFacts): Adjusted | undefined {
  const c = loan.collateral;
  if (!c) return undefined;
  const feeds = facts.feeds;
  const survey = facts.survey && facts.survey.survey.assetType === c.assetType ? facts.survey : undefined;
  const appraisal = feeds?.appraisal;
  const own = hasCollateralFacts(loan) ? ownCollateralFacts(c, i) : undefined;
  const fedSenior = feeds?.seniorClaims ?? 0n;
  // The larger of the registry feed's and the request's figure for senior mortgages (prudence).
  const senior = own && own.seniorMortgages > fedSenior ? own.seniorMortgages : fedSenior;
  if (!survey && !appraisal && senior === 0n && !own) return undefined;

  const steps: CollateralStep[] = [];
  let basis: CollateralAdjustments["basis"];
  let before: bigint;
  let value: bigint;
  if (v) {
    basis = "valuation";
    before = value = BigInt(v.value);
  } else if (c.appraisedValue !== undefined) {
    basis = "appraisal-on-file";
    before = value = parseMinor(c.appraisedValue, `loans[${i}].collateral.appraisedValue`);
    if (appraisal) {
      basis = "third-party-appraisal";
      value = appraisal.value;
      steps.push({ source: "feed", ref: appraisal.ref, ...STEP_APPRAISAL_REPLACES, amount: appraisal.value.toString(), value: value.toString() });
    }
  } else if (appraisal) {
    basis = "third-party-appraisal";
    before = value = appraisal.value;
    steps.push({ source: "feed", ref: appraisal.ref, ...STEP_APPRAISAL_REPLACES, amount: appraisal.value.toString(), value: value.toString() });
  } else {
    return undefined;
  }

  let valuation: Valuation | undefined = v;
  if (survey) {
    const { adjustments } = surveyAdjustments(survey.survey);
    const id = surveyId(survey.hash);
    const start = value;
    let factor = 10_000n;
    for (const a of adjustments) {
      factor = applyBps(factor, BigInt(a.factorBps));
      steps.push({ source: "survey", ref: id, code: a.flag, zh: a.zh, en: a.en, factorBps: a.factorBps, value: applyBps(start, factor).toString() });
    }
    if (v) {
      valuation = applySurvey(v, survey.survey, survey.hash);
      value = BigInt(valuation.value);
    } else {
      value = applyBps(start, factor);
    }
  }
  if (v && appraisal) {
    const lower = appraisal.value < value;
    if (lower) value = appraisal.value;
    steps.push({ source: "feed", ref: appraisal.ref, ...(lower ? STEP_APPRAISAL_LOWER : STEP_APPRAISAL_NOT_LOWER), amount: appraisal.value.toString(), value: value.toString() });
  }
  const request = (step: { code: string; zh: string; en: string }, amount: bigint | undefined, after: bigint): CollateralStep =>
    ({ source: "request", ref: `loans[${i}].collateral`, ...step, ...(amount !== undefined ? { amount: amount.toString() } : {}), value: after.toString() });
  if (own?.lease) {
    const leased = leaseAdjusted(value, own.lease);
    if (leased) {
      value = leased.value;
      steps.push(request(STEP_LEASE_BEFORE, leased.discount, value));
    } else {
      steps.push(request(STEP_LEASE_AFTER, undefined, value));
    }
  }
  const market = value;
  let after = value;
  const unsecured = own?.registered === false;
  if (unsecured) {
    after = 0n;
    steps.push(request(STEP_UNREGISTERED, undefined, after));
  }
  const taxes = own?.taxes ?? 0n;
  const construction = own?.constructionPrice ?? 0n;
  if (taxes > 0n) {
    after = netOf(after, taxes);
    steps.push(request(STEP_TAXES, taxes, after));
  }
  if (construction > 0n) {
    after = netOf(after, construction);
    steps.push(request(STEP_CONSTRUCTION, construction, after));
  }
  if (senior > 0n) {
    after = netOf(after, senior);
    steps.push(senior === fedSenior
      ? { source: "feed", ref: feeds!.seniorRef!, ...STEP_SENIOR, amount: senior.toString(), value: after.toString() }
      : request(STEP_SENIOR, senior, after));
  }
  const prior: PriorClaims = { taxes, constructionPrice: construction, seniorMortgages: senior };
  return { valuation, market, prior, unsecured, after, out: { basis, before: before.toString(), market: market.toString(), after: after.toString(), steps } };
}
