/**
 * Risk score, grade and work-queue priority, explained by additive contributions.
 *
 * **Score** (0–1000, higher is worse) is the sum of six contributions, each from a small table:
 *
 * | factor | points |
 * | --- | --- |
 * | days past due | 0 (current), 20 (1–7), 80 (8–30), 140 (31–60), 200 (61–90), 280 (91–180), 330 (181–270), 370 (271–360), 400 (>360) |
 * | classification | 正常 0, 关注 50, 次级 120, 可疑 180, 损失 220 |
 * | collateral coverage (value ÷ outstanding) | none 150, <50% 130, <100% 80, <150% 30, ≥150% 0 |
 * | product | mortgage 0, corporate 40, sme 60, consumer 80, credit-card 90 |
 * | contagion (debtor-level non-performing) | 80 |
 * | restructured, in observation | 60 |
 *
 * The maximum is exactly 1000. Because the score is a plain sum, each contribution *is* its explanation:
 * the reasons are the three largest non-zero contributions with their codes and points.
 *
 * **Grade**: A < 200 ≤ B < 400 ≤ C < 600 ≤ D < 800 ≤ E.
 *
 * **Priority** = expected loss × urgency, in fen.
 * - Expected loss = PD × loss given default, with PD by class (正常 2%, 关注 10%, 次级 35%, 可疑 70%,
 *   损失 100%) and loss given default = outstanding − 70% of the collateral value (the first judicial
 *   auction reserve: what a forced sale can be counted on to fetch), but never below 10% of outstanding
 *   (costs of recovery).
 * - Urgency is 1.0 plus additive boosts, each a reason: the loan will cross a day floor (90/270/360 days;
 *   cards 90/120/180) within 14 days (+0.5); a restructured loan is overdue again in observation (+0.5);
 *   the 3-year limitation period (诉讼时效, Civil Code art. 188) is within about four months (+1.0);
 *   the loan is in early arrears, 1–30 days, where contact works best (+0.25).
 * Priority is an estimate computed in floating point and rounded to whole fen.
 *
 * **Signals** (optional, per loan: {@link RiskSignal}) carry facts from outside the loan record — court
 * enforcement lists, the property registry, the credit bureau (feeds.ts) — each as one more additive
 * contribution to the score and/or one more urgency boost under its own reason. With signals the score is
 * capped at 1000 (the contributions still explain it) and urgency at 65,535 bps; the urgency reasons kept
 * are the four largest boosts. The batch scores a loan without signals with {@link scorePlain}, the code as
 * it was, and only the few loans with signals go through {@link scoreLoan}'s extra step.
 */

/** A reason that explains part of a score or of an urgency. */
export interface ReasonInfo {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

function reason(code: string, zh: string, en: string): ReasonInfo {
  return Object.freeze({ code, zh, en });
}

/** Every score and urgency reason, indexed by a small integer id. */
export const REASONS: readonly ReasonInfo[] = Object.freeze([
  reason("dpd-1-7", "逾期1–7天", "1–7 days past due"),
  reason("dpd-8-30", "逾期8–30天", "8–30 days past due"),
  reason("dpd-31-60", "逾期31–60天", "31–60 days past due"),
  reason("dpd-61-90", "逾期61–90天", "61–90 days past due"),
  reason("dpd-91-180", "逾期91–180天", "91–180 days past due"),
  reason("dpd-181-270", "逾期181–270天", "181–270 days past due"),
  reason("dpd-271-360", "逾期271–360天", "271–360 days past due"),
  reason("dpd-over-360", "逾期超过360天", "More than 360 days past due"),
  reason("class-special-mention", "关注类", "Classified special mention"),
  reason("class-substandard", "次级类", "Classified substandard"),
  reason("class-doubtful", "可疑类", "Classified doubtful"),
  reason("class-loss", "损失类", "Classified loss"),
  reason("coverage-none", "无抵押物", "No collateral"),
  reason("coverage-below-50", "抵押物覆盖率低于50%", "Collateral covers less than 50%"),
  reason("coverage-below-100", "抵押物覆盖率低于100%", "Collateral covers less than 100%"),
  reason("coverage-below-150", "抵押物覆盖率低于150%", "Collateral covers less than 150%"),
  reason("product-corporate", "对公贷款", "Corporate loan"),
  reason("product-sme", "小微企业贷款", "SME loan"),
  reason("product-consumer", "消费贷款", "Consumer loan"),
  reason("product-credit-card", "信用卡", "Credit card"),
  reason("contagion", "债务人层面不良传染", "Debtor-level non-performing contagion"),
  reason("restructured", "重组观察期内", "Restructured, in observation"),
  reason("floor-imminent", "14天内将跨越下一分类天数门槛", "Will cross the next classification day floor within 14 days"),
  reason("restructured-default", "重组后观察期内再次逾期", "Overdue again during the restructuring observation period"),
  reason("limitation-approaching", "三年诉讼时效将在约四个月内届满", "The 3-year limitation period ends within about four months"),
  reason("early-arrears", "早期逾期（1–30天），催收最有效", "Early arrears (1–30 days), when contact works best"),
  // Outside data (feeds.ts): appended, so the ids above never change.
  reason("enforcement-listed", "债务人被列为被执行人（其他债权人已申请强制执行）", "The debtor is a judgment debtor under enforcement (被执行人): other creditors are enforcing"),
  reason("enforcement-dishonest", "债务人被列入失信被执行人名单", "The debtor is on the list of dishonest judgment debtors (失信被执行人)"),
  reason("collateral-seized", "押品已被法院查封（他案）", "The collateral is seized by a court in another case (查封)"),
  reason("collateral-senior-mortgage", "押品上存在顺位在先的抵押权", "The collateral carries a mortgage ranking ahead of ours"),
  reason("collateral-other-mortgage", "押品上存在顺位在后的其他抵押权", "The collateral carries further mortgages ranking after ours"),
  reason("credit-new-overdue", "征信显示债务人在他行新增逾期", "Credit bureau: the debtor has new overdue debt at other lenders"),
  reason("credit-multi-lending", "征信显示多头借贷（近期新增贷款或查询激增）", "Credit bureau: many new loans or a surge of credit inquiries (multiple borrowing)"),
]);

const reasonIds = new Map(REASONS.map((r, i) => [r.code, i]));
function rid(code: string): number {
  return reasonIds.get(code)!;
}

const DPD_POINTS = [0, 20, 80, 140, 200, 280, 330, 370, 400];
const DPD_REASON = [-1, rid("dpd-1-7"), rid("dpd-8-30"), rid("dpd-31-60"), rid("dpd-61-90"), rid("dpd-91-180"), rid("dpd-181-270"), rid("dpd-271-360"), rid("dpd-over-360")];
const CLASS_POINTS = [0, 50, 120, 180, 220];
const CLASS_REASON = [-1, rid("class-special-mention"), rid("class-substandard"), rid("class-doubtful"), rid("class-loss")];
/** Points by product index in PRODUCTS order: mortgage, consumer, credit-card, sme, corporate. */
const PRODUCT_POINTS = [0, 80, 90, 60, 40];
const PRODUCT_REASON = [-1, rid("product-consumer"), rid("product-credit-card"), rid("product-sme"), rid("product-corporate")];
const R_COV_NONE = rid("coverage-none"), R_COV_50 = rid("coverage-below-50"), R_COV_100 = rid("coverage-below-100"), R_COV_150 = rid("coverage-below-150");
const R_CONTAGION = rid("contagion"), R_RESTRUCTURED = rid("restructured");
const R_FLOOR = rid("floor-imminent"), R_RESTR_DEFAULT = rid("restructured-default"), R_LIMITATION = rid("limitation-approaching"), R_EARLY = rid("early-arrears");

/** Probability of default by class index. */
export const PD_BY_CLASS = [0.02, 0.1, 0.35, 0.7, 1.0];
/** Share of collateral value counted on in a forced sale (first judicial auction reserve). */
export const FORCED_SALE_SHARE = 0.7;
/** Loss given default never falls below this share of outstanding (recovery costs). */
export const MIN_LGD_SHARE = 0.1;

export const GRADES = ["A", "B", "C", "D", "E"] as const;
export type Grade = (typeof GRADES)[number];

/** Grade index (0 = A … 4 = E) of a score. */
export function gradeIndex(score: number): number {
  return score < 200 ? 0 : score < 400 ? 1 : score < 600 ? 2 : score < 800 ? 3 : 4;
}

/** Points and reason id for days past due. */
function dpdBand(dpd: number): number {
  if (dpd <= 0) return 0;
  if (dpd <= 7) return 1;
  if (dpd <= 30) return 2;
  if (dpd <= 60) return 3;
  if (dpd <= 90) return 4;
  if (dpd <= 180) return 5;
  if (dpd <= 270) return 6;
  if (dpd <= 360) return 7;
  return 8;
}

/**
 * A fact from outside the loan record, as it enters the score: one reason, its points and its urgency boost.
 * Built by `feedEffects` (feeds.ts); the batch takes them per loan.
 */
export interface RiskSignal {
  /** Index in {@link REASONS}. */
  readonly reason: number;
  /** Points added to the score (≥ 0). */
  readonly points: number;
  /** Urgency boost in basis points (≥ 0, ≤ 32,767). */
  readonly urgencyBps: number;
  /** What the fact came from (e.g. a feed record's id), carried into the explanation. */
  readonly ref?: string;
}

/** Index of a reason code in {@link REASONS}, -1 if unknown. */
export function reasonId(code: string): number {
  return reasonIds.get(code) ?? -1;
}

/** Highest score; signals cannot push a score beyond it. */
export const MAX_SCORE = 1000;
/** Highest urgency in basis points (the batch keeps urgency in a Uint16Array). */
export const MAX_URGENCY_BPS = 65_535;

/** What the score needs to know about a loan (numbers only; the batch reuses one object). */
export interface RiskInput {
  daysPastDue: number;
  classIndex: number;
  /** Index in PRODUCTS order. */
  productIndex: number;
  creditCard: boolean;
  /** Outstanding in fen (a float estimate is fine). */
  outstanding: number;
  /** Collateral value in fen, or -1 when there is no collateral. */
  collateralValue: number;
  contagion: boolean;
  inObservation: boolean;
  /** Outside-data signals of this loan, if any. */
  signals?: readonly RiskSignal[] | undefined;
}

/** Score, grade, priority and reasons; reused across loans by the batch. */
export interface RiskResult {
  score: number;
  grade: number;
  expectedLoss: number;
  urgencyBps: number;
  priority: number;
  /** Reason ids and points of the three largest contributions (id -1 = none). */
  reasonIds: Int16Array;
  reasonPoints: Int16Array;
  /** Urgency reason ids and their boosts in basis points (id -1 = none). */
  urgencyIds: Int16Array;
  urgencyBoosts: Int16Array;
}

export function newRiskResult(): RiskResult {
  return {
    score: 0, grade: 0, expectedLoss: 0, urgencyBps: 10_000, priority: 0,
    reasonIds: new Int16Array(3), reasonPoints: new Int16Array(3),
    urgencyIds: new Int16Array(4), urgencyBoosts: new Int16Array(4),
  };
}

/** Keeps the three largest contributions, in descending order (ties keep table order). */
function offer(out: RiskResult, id: number, points: number): void {
  if (points <= 0) return;
  const ids = out.reasonIds, pts = out.reasonPoints;
  for (let k = 0; k < 3; k++) {
    if (ids[k]! < 0 || points > pts[k]!) {
      for (let j = 2; j > k; j--) { ids[j] = ids[j - 1]!; pts[j] = pts[j - 1]!; }
      ids[k] = id;
      pts[k] = points;
      return;
    }
  }
}

/**
 * Adds signals on top of a plain score in `out`: their points (score capped at {@link MAX_SCORE}, offered as
 * reasons after the loan's own contributions, as if summed with them), their urgency boosts (capped at
 * {@link MAX_URGENCY_BPS}; the four largest kept as reasons) and the priority that follows.
 */
function addSignals(x: RiskInput, signals: readonly RiskSignal[], out: RiskResult): void {
  let score = out.score;
  for (let k = 0; k < signals.length; k++) { const s = signals[k]!; score += s.points; offer(out, s.reason, s.points); }
  if (score > MAX_SCORE) score = MAX_SCORE;
  out.score = score;
  out.grade = gradeIndex(score);
  let u = 0;
  while (u < 4 && out.urgencyIds[u]! >= 0) u++;
  let bps = out.urgencyBps;
  for (let k = 0; k < signals.length; k++) {
    const s = signals[k]!;
    if (s.urgencyBps > 0) { u = offerUrgency(out, u, s.reason, s.urgencyBps); bps += s.urgencyBps; }
  }
  if (bps > MAX_URGENCY_BPS) bps = MAX_URGENCY_BPS;
  out.urgencyBps = bps;
  // The same expected loss as scorePlain computed, before its rounding, so the priority is what one pass would give.
  const recoverable = x.collateralValue > 0 ? x.collateralValue * FORCED_SALE_SHARE : 0;
  const lgd = Math.max(x.outstanding - recoverable, x.outstanding * MIN_LGD_SHARE);
  out.priority = Math.round((PD_BY_CLASS[x.classIndex]! * lgd * bps) / 10_000);
}

/** Adds an urgency reason in slot `u` while there is one; when all four are taken, replaces the smallest boost if this one is larger. */
function offerUrgency(out: RiskResult, u: number, id: number, bps: number): number {
  const ids = out.urgencyIds, boosts = out.urgencyBoosts;
  if (u < 4) { ids[u] = id; boosts[u] = bps; return u + 1; }
  let min = 0;
  for (let k = 1; k < 4; k++) if (boosts[k]! < boosts[min]!) min = k;
  if (bps > boosts[min]!) { ids[min] = id; boosts[min] = bps; }
  return u;
}

function nextFloor(dpd: number, creditCard: boolean): number {
  const floors = creditCard ? CARD_FLOORS : LOAN_FLOORS;
  for (const f of floors) if (dpd <= f) return f;
  return Infinity;
}
const LOAN_FLOORS = [90, 270, 360];
const CARD_FLOORS = [90, 120, 180];

/** Computes score, grade, expected loss, urgency and priority for one loan into `out`, with its signals if any. */
export function scoreLoan(x: RiskInput, out: RiskResult = newRiskResult()): RiskResult {
  scorePlain(x, out);
  if (x.signals !== undefined && x.signals.length > 0) addSignals(x, x.signals, out);
  return out;
}

/**
 * {@link scoreLoan} without signals: the batch's hot path. Kept as small as it was, so V8 still inlines it
 * into the batch's loop (a few bytes more and it no longer did: −10% on 10^6 loans).
 */
export function scorePlain(x: RiskInput, out: RiskResult): RiskResult {
  out.reasonIds.fill(-1);
  out.reasonPoints.fill(0);
  const band = dpdBand(x.daysPastDue);
  let score = DPD_POINTS[band]!;
  offer(out, DPD_REASON[band]!, DPD_POINTS[band]!);
  const cp = CLASS_POINTS[x.classIndex]!;
  score += cp;
  offer(out, CLASS_REASON[x.classIndex]!, cp);
  let covPoints = 0, covReason = -1;
  if (x.collateralValue < 0) { covPoints = 150; covReason = R_COV_NONE; }
  else if (x.outstanding > 0) {
    const coverage = x.collateralValue / x.outstanding;
    if (coverage < 0.5) { covPoints = 130; covReason = R_COV_50; }
    else if (coverage < 1) { covPoints = 80; covReason = R_COV_100; }
    else if (coverage < 1.5) { covPoints = 30; covReason = R_COV_150; }
  }
  score += covPoints;
  offer(out, covReason, covPoints);
  const pp = PRODUCT_POINTS[x.productIndex]!;
  score += pp;
  offer(out, PRODUCT_REASON[x.productIndex]!, pp);
  if (x.contagion) { score += 80; offer(out, R_CONTAGION, 80); }
  if (x.inObservation) { score += 60; offer(out, R_RESTRUCTURED, 60); }
  out.score = score;
  out.grade = gradeIndex(score);

  const recoverable = x.collateralValue > 0 ? x.collateralValue * FORCED_SALE_SHARE : 0;
  const lgd = Math.max(x.outstanding - recoverable, x.outstanding * MIN_LGD_SHARE);
  out.expectedLoss = PD_BY_CLASS[x.classIndex]! * lgd;

  out.urgencyIds.fill(-1);
  out.urgencyBoosts.fill(0);
  let u = 0, bps = 10_000;
  const dpd = x.daysPastDue;
  if (dpd > 0 && nextFloor(dpd, x.creditCard) - dpd < 14) { out.urgencyIds[u] = R_FLOOR; out.urgencyBoosts[u++] = 5_000; bps += 5_000; }
  if (x.inObservation && dpd > 0) { out.urgencyIds[u] = R_RESTR_DEFAULT; out.urgencyBoosts[u++] = 5_000; bps += 5_000; }
  if (dpd >= 975 && dpd <= 1095) { out.urgencyIds[u] = R_LIMITATION; out.urgencyBoosts[u++] = 10_000; bps += 10_000; }
  if (dpd >= 1 && dpd <= 30) { out.urgencyIds[u] = R_EARLY; out.urgencyBoosts[u++] = 2_500; bps += 2_500; }
  out.urgencyBps = bps;
  out.priority = Math.round((out.expectedLoss * bps) / 10_000);
  out.expectedLoss = Math.round(out.expectedLoss);
  return out;
}

