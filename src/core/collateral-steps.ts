/**
 * A loan's collateral value in stated steps (see {@link CollateralAdjustments}): from the outside facts
 * (a field survey, outside-data feeds) and from the collateral's own facts in the request (registration,
 * lease, taxes, construction price, senior mortgages). Pure; used by assess.ts before the score sees the value.
 */
import { ValidationError } from "./errors.js";
import type { CollateralRequest, LoanRequest } from "./batch.js";
import type { Valuation } from "./valuation.js";
import { checkRegistration, leaseAdjusted, optionalFen, type Lease, type PriorClaims } from "./auction.js";
import { applyBps, parseMinor } from "./money.js";
import { applySurvey, surveyAdjustments, surveyId, type Survey } from "./survey.js";
import type { FeedEffects } from "./feeds.js";

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

/** A loan's collateral after its outside and own facts: the (surveyed) valuation and the stated steps. */
export interface Adjusted {
  valuation?: Valuation;
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

/** Whether a loan's collateral carries facts of its own that change what it secures. */
export function hasCollateralFacts(loan: LoanRequest | undefined): boolean {
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

/** The steps' texts, by code. */
const STEP_TEXT = {
  "lease-before-mortgage": {
    zh: "抵押权设立前已出租并转移占有，租赁不受抵押权影响，买受人承受租赁（民法典第四百零五条、第七百二十五条），按带租约出售折价并扣除预付租金",
    en: "Let and handed over before the mortgage: the lease survives the sale and binds the buyer (Civil Code arts. 405, 725); sold subject to it, less prepaid rent",
  },
  "lease-after-mortgage": {
    zh: "租赁设立于抵押之后，影响抵押权实现的，法院除去租赁后拍卖（拍卖变卖规定第二十八条第二款），不影响价值",
    en: "Let after the mortgage: the court removes a lease that hinders the mortgage before the sale (Auction and Sale Provisions art. 28(2)); no effect on value",
  },
  "mortgage-unregistered": {
    zh: "抵押未登记：不动产抵押权未设立（民法典第四百零二条）；动产抵押不得对抗善意第三人、查封扣押债权人及破产程序（民法典第四百零三条；担保制度解释第五十四条），不计担保价值",
    en: "Mortgage not registered: a real-estate mortgage does not exist (Civil Code art. 402); a chattel mortgage cannot be asserted against good-faith third parties, seizing creditors or in bankruptcy (Civil Code art. 403; Security Interpretation art. 54): no secured value counts",
  },
  "taxes-deducted": {
    zh: "扣除法院自变价款中代扣的税费（网络司法拍卖规定第三十条；税收征收管理法第四十五条）",
    en: "Taxes the court withholds from the proceeds are deducted (Online Judicial Auction Provisions art. 30; Tax Collection Law art. 45)",
  },
  "construction-price-deducted": {
    zh: "扣除优先于抵押权受偿的建设工程价款（民法典第八百零七条；建设工程施工合同解释（一）第三十六条）",
    en: "The unpaid construction price, paid before mortgages, is deducted (Civil Code art. 807; Construction Contract Interpretation (I) art. 36)",
  },
  "appraisal-third-party": {
    zh: "按最新第三方评估值计（替代档案评估价）",
    en: "The latest third-party appraisal counts (it replaces the appraisal on file)",
  },
  "appraisal-lower": {
    zh: "第三方评估低于模型估值，按孰低计（审慎原则）",
    en: "The third-party appraisal is below the model value: the lower counts (prudence)",
  },
  "appraisal-not-lower": {
    zh: "第三方评估不低于模型估值，仍按模型估值计",
    en: "The third-party appraisal is not below the model value: the model value counts",
  },
  "senior-claims-deducted": {
    zh: "扣除顺位在先的抵押债权（处置时优先受偿）",
    en: "Mortgages ranking before ours are deducted (they are paid first out of a sale)",
  },
} satisfies Record<string, { zh: string; en: string }>;

/** A step's code with its texts. */
function text(code: keyof typeof STEP_TEXT): { code: string; zh: string; en: string } {
  return { code, ...STEP_TEXT[code] };
}

/** The collateral steps of one loan (see {@link CollateralAdjustments}); undefined when nothing applies. */
export function adjustCollateral(loan: LoanRequest, i: number, v: Valuation | undefined, facts: OutsideFacts): Adjusted | undefined {
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
      steps.push({ source: "feed", ref: appraisal.ref, ...text("appraisal-third-party"), amount: appraisal.value.toString(), value: value.toString() });
    }
  } else if (appraisal) {
    basis = "third-party-appraisal";
    before = value = appraisal.value;
    steps.push({ source: "feed", ref: appraisal.ref, ...text("appraisal-third-party"), amount: appraisal.value.toString(), value: value.toString() });
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
    steps.push({ source: "feed", ref: appraisal.ref, ...(lower ? text("appraisal-lower") : text("appraisal-not-lower")), amount: appraisal.value.toString(), value: value.toString() });
  }
  const request = (step: { code: string; zh: string; en: string }, amount: bigint | undefined, after: bigint): CollateralStep =>
    ({ source: "request", ref: `loans[${i}].collateral`, ...step, ...(amount !== undefined ? { amount: amount.toString() } : {}), value: after.toString() });
  if (own?.lease) {
    const leased = leaseAdjusted(value, own.lease);
    if (leased) {
      value = leased.value;
      steps.push(request(text("lease-before-mortgage"), leased.discount, value));
    } else {
      steps.push(request(text("lease-after-mortgage"), undefined, value));
    }
  }
  const market = value;
  let after = value;
  const unsecured = own?.registered === false;
  if (unsecured) {
    after = 0n;
    steps.push(request(text("mortgage-unregistered"), undefined, after));
  }
  const taxes = own?.taxes ?? 0n;
  const construction = own?.constructionPrice ?? 0n;
  if (taxes > 0n) {
    after = netOf(after, taxes);
    steps.push(request(text("taxes-deducted"), taxes, after));
  }
  if (construction > 0n) {
    after = netOf(after, construction);
    steps.push(request(text("construction-price-deducted"), construction, after));
  }
  if (senior > 0n) {
    after = netOf(after, senior);
    steps.push(senior === fedSenior
      ? { source: "feed", ref: feeds!.seniorRef!, ...text("senior-claims-deducted"), amount: senior.toString(), value: after.toString() }
      : request(text("senior-claims-deducted"), senior, after));
  }
  const prior: PriorClaims = { taxes, constructionPrice: construction, seniorMortgages: senior };
  return { valuation, market, prior, unsecured, after, out: { basis, before: before.toString(), market: market.toString(), after: after.toString(), steps } };
}
