import type { ForumFacts } from "./forums.js";
import type { Product, DebtorType } from "./claim-input.js";
import type { PaymentRow, ScheduleRow } from "./dpd.js";
import type { Classification } from "./classification.js";
import type { RiskSignal } from "./risk.js";

/**
 * The shapes of a portfolio assessment (POST /v1/assessments): the request's loans and debtors, the batch's
 * options, and its per-loan results as columns ({@link classifyAndScore} in batch.ts fills them).
 */

/** Collateral as the request carries it (money as decimal strings of fen). */
export interface CollateralRequest {
  /** residential | commercial | industrial | land | vehicle | equipment */
  assetType: string;
  region: string;
  /** Floor area in m² (or units for vehicles and equipment). */
  area: number | string;
  /** Age in years at asOf, or the year it was built. */
  ageYears?: number | string;
  builtYear?: number | string;
  occupied?: boolean;
  titleDefect?: boolean;
  seized?: boolean;
  /** An appraisal already on file, in fen; used when no comparable-based valuation is run. */
  appraisedValue?: string;
  /**
   * Where the mortgage is registered (auction.ts REGISTRATIONS): "real-estate" (不动产登记), "vehicle"
   * (机动车抵押登记), "unified" (动产融资统一登记公示系统, for equipment and other chattels) or "none"
   * (then it secures nothing against third parties: 民法典第四百零二、四百零三条).
   */
  registration?: "real-estate" | "vehicle" | "unified" | "none";
  /** A lease of the collateral: whether it (with possession) predates the mortgage; rent prepaid for the rest of the term, fen. */
  lease?: { beforeMortgage: boolean; prepaidRent?: string };
  /** Taxes the court will withhold from the proceeds ahead of the mortgage, fen. */
  taxes?: string;
  /** Unpaid construction price with priority over mortgages (民法典第八百零七条), fen. */
  constructionPrice?: string;
  /** Mortgages registered before ours (民法典第四百一十四条), fen. */
  seniorMortgages?: string;
}

/** One loan of POST /v1/assessments. */
export interface LoanRequest {
  loanId: string;
  product: Product;
  debtorType: DebtorType;
  debtorId: string;
  outstanding: string;
  daysPastDue?: number;
  schedule?: ScheduleRow[];
  payments?: PaymentRow[];
  /**
   * The contract's grace period (宽限期), days. Accepted and checked (0–90) but it never lowers the class:
   * days past due count from the due date (分类办法第九条第一项).
   */
  graceDays?: number;
  /**
   * The bank has established that the current delay has an operational or technical cause (a payment system
   * fault, a mis-routed transfer): a delay of at most 7 days then keeps 正常 (分类办法第九条第一项). Without
   * it, any overdue loan is at least 关注.
   */
  technicalDelay?: boolean;
  /** Credit cards: confirmed fraud (fraudulent application or use, or an inside job) → at least 可疑 (信用卡办法第九十三条). */
  cardFraud?: boolean;
  restructuredAt?: string;
  /**
   * The first due date under the restructured terms, where the observation period starts (分类办法第二十条).
   * Used when no schedule with due dates after `restructuredAt` is given; without either, the first due date
   * is taken to be one month after the restructuring (a monthly plan).
   */
  restructuredFirstDueAt?: string;
  /** The class before this assessment, if known: an NPL is only upgraded once it has cured. */
  priorClassification?: Classification;
  /** When the arrears of a previously non-performing loan were fully repaid (when no schedule is given). */
  arrearsRepaidAt?: string;
  collateral?: CollateralRequest;
  /** Region of the debtor, for recovery profiles; defaults to the collateral's region. */
  region?: string;
  /** Collection stage, for the checklist of missing steps and documents. */
  stage?: string;
  /** Documents the claim has on file (codes from process.ts). */
  documents?: string[];
  /** What decides the forums open to it (core/forums.ts): the disposal advice then names the forum and its documents. */
  forums?: ForumFacts;
}

export interface DebtorRequest {
  debtorId: string;
  /** Share (0–1) of the debtor's debt across all banks that is overdue more than 90 days (分类办法第十条). */
  crossBankOverdue90Share?: number;
  /** A debt of this (non-retail) debtor at another bank is non-performing (分类办法第九条第四项). */
  nonPerformingElsewhere?: boolean;
  /** The debtor has another credit-impaired asset at this bank that is not in the request (分类办法第十三条). */
  otherCreditImpairedAtBank?: boolean;
}

export interface AssessmentRequest {
  asOf: string;
  loans: LoanRequest[];
  debtors?: DebtorRequest[];
}

export interface BatchOptions {
  /** Longest flagged delay treated as technical: 0–7, default 7 (分类办法第九条第一项). */
  technicalDelayDays?: number;
  /** Collateral values in fen by loan index (e.g. from valuation), -1 or NaN for none; overrides appraisedValue. */
  collateralValues?: Float64Array;
  /**
   * Outside-data signals of some loans (e.g. from feeds.ts): each adds a score contribution and/or an urgency
   * boost with its reason. Sparse, so a 10^6-loan batch pays one integer comparison per loan for them.
   */
  signals?: LoanSignals;
}

/** Signals of some loans: loan `index[k]` (ascending, each once) has `signals[k]`. */
export interface LoanSignals {
  index: ArrayLike<number>;
  signals: ReadonlyArray<readonly RiskSignal[]>;
}

/** Per-loan results as columns. */
export interface BatchResult {
  asOf: number;
  count: number;
  daysPastDue: Int32Array;
  classIndex: Uint8Array;
  rule: Uint8Array;
  contagion: Uint8Array;
  inObservation: Uint8Array;
  /** 1 when the loan came with a schedule (so arrears are known). */
  hasSchedule: Uint8Array;
  outstanding: Float64Array;
  collateralValue: Float64Array;
  score: Uint16Array;
  grade: Uint8Array;
  expectedLoss: Float64Array;
  priority: Float64Array;
  urgencyBps: Uint16Array;
  /** 3 per loan: reason ids and points, -1 = none. */
  reasonIds: Int16Array;
  reasonPoints: Int16Array;
  /** 4 per loan: urgency reason ids and boosts (bps), -1 = none. */
  urgencyIds: Int16Array;
  urgencyBoosts: Int16Array;
}
