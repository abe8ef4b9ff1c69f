/**
 * Five-tier risk classification (五级分类) per 《商业银行金融资产风险分类办法》
 * (NFRA & PBoC Order 2023 No. 1, in force 2023-07-01).
 *
 * A loan's class is the worst of several *floors*; the rule whose floor decided the class is reported.
 * Floors, with the article they come from:
 * - Days past due: overdue beyond a technical delay of at most 7 days → at least 关注;
 *   more than 90 days → at least 次级; more than 270 → at least 可疑; more than 360 → 损失.
 * - Credit cards (as Debtrail's design specifies the card bands): 1–90 days → 关注, 91–120 → 次级,
 *   121–180 → 可疑, more than 180 → 损失. No technical-delay allowance applies to cards.
 * - Non-retail contagion: if more than 10% of a non-retail debtor's claims at this bank are
 *   non-performing, all its claims are at least 次级; if more than 20% of its debt across banks is 90+
 *   days overdue, all its claims are non-performing (at least 次级). Exactly 10% / 20% do not trigger.
 * - Restructured assets: during the observation period (from restructuring until at least
 *   two repayment periods and no less than one year have passed) a restructured asset is at least 关注;
 *   if it was non-performing before restructuring it is not upgraded (stays at least 次级); if it is
 *   overdue again during observation it is at least 次级.
 * - Upgrades: a non-performing asset goes back to 关注/正常 only after its arrears are fully
 *   repaid and it has then paid normally for at least two repayment periods or six months, whichever is
 *   longer. Until then it stays at least 次级.
 *
 * Everything here works on small integers so the batch classifier (see batch.ts) allocates nothing.
 */

export const PASS = 0;
export const SPECIAL_MENTION = 1;
export const SUBSTANDARD = 2;
export const DOUBTFUL = 3;
export const LOSS = 4;

export const CLASSIFICATIONS = ["pass", "special-mention", "substandard", "doubtful", "loss"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const CLASSIFICATIONS_ZH = ["正常", "关注", "次级", "可疑", "损失"] as const;
export type ClassificationZh = (typeof CLASSIFICATIONS_ZH)[number];

/** Non-performing (不良): 次级, 可疑 or 损失. */
export function isNonPerforming(classIndex: number): boolean {
  return classIndex >= SUBSTANDARD;
}

/** A rule that can decide a classification: a stable code, its floor class and bilingual text. */
export interface ClassificationRule {
  readonly code: string;
  readonly floor: number;
  readonly zh: string;
  readonly en: string;
}

function rule(code: string, floor: number, zh: string, en: string): ClassificationRule {
  return Object.freeze({ code, floor, zh, en });
}

/** Every rule, indexed by a small integer id (the batch classifier stores ids in a Uint8Array). */
export const RULES: readonly ClassificationRule[] = Object.freeze([
  rule("performing", PASS, "未逾期，按约还款", "Not overdue; paying as agreed"),
  rule("technical-delay", PASS, "逾期不超过7天，视为技术性延迟", "Overdue at most 7 days: a technical delay"),
  rule("dpd-floor-7", SPECIAL_MENTION, "逾期超过7天（非技术性延迟），至少关注类", "Overdue more than 7 days (beyond a technical delay): at least special mention"),
  rule("dpd-floor-90", SUBSTANDARD, "逾期超过90天，至少次级类", "Overdue more than 90 days: at least substandard"),
  rule("dpd-floor-270", DOUBTFUL, "逾期超过270天，至少可疑类", "Overdue more than 270 days: at least doubtful"),
  rule("dpd-floor-360", LOSS, "逾期超过360天，损失类", "Overdue more than 360 days: loss"),
  rule("card-band-1-90", SPECIAL_MENTION, "信用卡逾期1至90天，关注类", "Credit card 1–90 days overdue: special mention"),
  rule("card-band-91-120", SUBSTANDARD, "信用卡逾期91至120天，次级类", "Credit card 91–120 days overdue: substandard"),
  rule("card-band-121-180", DOUBTFUL, "信用卡逾期121至180天，可疑类", "Credit card 121–180 days overdue: doubtful"),
  rule("card-band-180", LOSS, "信用卡逾期超过180天，损失类", "Credit card more than 180 days overdue: loss"),
  rule("restructured-observation", SPECIAL_MENTION, "重组资产在观察期内，至少关注类", "Restructured asset in its observation period: at least special mention"),
  rule("restructured-npl", SUBSTANDARD, "重组前为不良资产，观察期内不得上调，至少次级类", "Non-performing before restructuring: not upgraded during observation, at least substandard"),
  rule("restructured-default", SUBSTANDARD, "重组资产在观察期内未按约足额还款，至少次级类", "Restructured asset missed a payment during observation: at least substandard"),
  rule("npl-upgrade-pending", SUBSTANDARD, "不良资产尚未满足上调条件（欠款全部偿还后连续两期或6个月正常还款，孰长），至少次级类", "Non-performing asset not yet eligible for upgrade (arrears repaid, then two periods or six months of normal payment, whichever is longer): at least substandard"),
  rule("contagion-bank-10", SUBSTANDARD, "非零售债务人在本行超过10%的债权为不良，其全部债权至少次级类", "Non-retail debtor with more than 10% of its claims at this bank non-performing: all its claims at least substandard"),
  rule("contagion-cross-bank-20", SUBSTANDARD, "非零售债务人在所有银行超过20%的债务逾期90天以上，其全部债权为不良", "Non-retail debtor with more than 20% of its debt across banks 90+ days overdue: all its claims non-performing"),
]);

const ids = new Map(RULES.map((r, i) => [r.code, i]));
/** The id of a rule code. */
export function ruleId(code: string): number {
  const id = ids.get(code);
  if (id === undefined) throw new Error(`unknown classification rule ${code}`);
  return id;
}

export const R_PERFORMING = ruleId("performing");
export const R_TECHNICAL = ruleId("technical-delay");
export const R_DPD_7 = ruleId("dpd-floor-7");
export const R_DPD_90 = ruleId("dpd-floor-90");
export const R_DPD_270 = ruleId("dpd-floor-270");
export const R_DPD_360 = ruleId("dpd-floor-360");
export const R_CARD_1 = ruleId("card-band-1-90");
export const R_CARD_91 = ruleId("card-band-91-120");
export const R_CARD_121 = ruleId("card-band-121-180");
export const R_CARD_180 = ruleId("card-band-180");
export const R_RESTRUCTURED = ruleId("restructured-observation");
export const R_RESTRUCTURED_NPL = ruleId("restructured-npl");
export const R_RESTRUCTURED_DEFAULT = ruleId("restructured-default");
export const R_NPL_PENDING = ruleId("npl-upgrade-pending");
export const R_CONTAGION_BANK = ruleId("contagion-bank-10");
export const R_CONTAGION_CROSS = ruleId("contagion-cross-bank-20");

/** Class floor of a rule id. */
export const RULE_FLOOR: Uint8Array = Uint8Array.from(RULES, (r) => r.floor);

/** Tunable thresholds; the defaults are the regulation's. */
export interface ClassificationOptions {
  /** Longest delay treated as technical (operational) and left in 正常. Default 7. */
  technicalDelayDays?: number;
}

/**
 * The floor set by days past due alone.
 * @returns a rule id (see {@link RULES})
 */
export function dayFloorRule(daysPastDue: number, creditCard: boolean, technicalDelayDays = 7): number {
  if (creditCard) {
    if (daysPastDue <= 0) return R_PERFORMING;
    if (daysPastDue <= 90) return R_CARD_1;
    if (daysPastDue <= 120) return R_CARD_91;
    if (daysPastDue <= 180) return R_CARD_121;
    return R_CARD_180;
  }
  if (daysPastDue <= 0) return R_PERFORMING;
  if (daysPastDue <= technicalDelayDays) return R_TECHNICAL;
  if (daysPastDue <= 90) return R_DPD_7;
  if (daysPastDue <= 270) return R_DPD_90;
  if (daysPastDue <= 360) return R_DPD_270;
  return R_DPD_360;
}

/**
 * Replaces `current` by `candidate` only when the candidate's floor is strictly worse, so on a tie the
 * earlier (more loan-specific) rule keeps naming the result.
 */
export function worseRule(current: number, candidate: number): number {
  return RULE_FLOOR[candidate]! > RULE_FLOOR[current]! ? candidate : current;
}

/** Facts about one loan beyond its days past due. */
export interface LoanStatus {
  daysPastDue: number;
  creditCard: boolean;
  /** Restructured and still inside the observation period. */
  inObservation: boolean;
  /** Non-performing before it was restructured (by history or by the prior classification). */
  nonPerformingBeforeRestructuring: boolean;
  /** Non-performing before and not yet eligible for an upgrade. */
  upgradePending: boolean;
}

/**
 * The loan's own class (without contagion, which needs the debtor's other claims).
 * @returns a rule id; its floor is the class
 */
export function ownRule(s: LoanStatus, technicalDelayDays = 7): number {
  let r = dayFloorRule(s.daysPastDue, s.creditCard, technicalDelayDays);
  if (s.inObservation) {
    r = worseRule(r, R_RESTRUCTURED);
    if (s.nonPerformingBeforeRestructuring) r = worseRule(r, R_RESTRUCTURED_NPL);
    if (s.daysPastDue > 0) r = worseRule(r, R_RESTRUCTURED_DEFAULT);
  }
  if (s.upgradePending) r = worseRule(r, R_NPL_PENDING);
  return r;
}

/**
 * Non-retail contagion at this bank. The share is measured by outstanding balance (not by
 * count of loans): the regulation speaks of 债权 (claims) and the exposure is what a bank stands to lose,
 * so a small bad overdraft next to a large good term loan does not taint the whole debtor.
 * Compared exactly: `nonPerforming × 10 > total`, so exactly 10% does not trigger.
 */
export function bankContagion(nonPerformingOutstanding: bigint, totalOutstanding: bigint): boolean {
  return nonPerformingOutstanding * 10n > totalOutstanding;
}

/** Cross-bank contagion: more than 20% of the debtor's debt at all banks is 90+ days overdue. */
export function crossBankContagion(overdue90Share: number): boolean {
  return overdue90Share > 0.2;
}
