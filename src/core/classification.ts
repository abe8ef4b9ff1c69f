/**
 * Five-tier risk classification (五级分类) per 《商业银行金融资产风险分类办法》 (分类办法; CBIRC & PBoC
 * Order 2023 No. 1, in force 2023-07-01), and for credit cards 《商业银行信用卡业务监督管理办法》 (信用卡办法,
 * CBRC Order 2011 No. 2).
 *
 * A loan's class is the worst of several *floors*; the rule whose floor decided the class is reported, and
 * every rule's text cites its article. Floors:
 * - Days past due (分类办法第九至十二条): any overdue principal, interest or income → at least 关注, unless
 *   the bank has flagged a delay of at most 7 days as operational or technical (第九条第一项: "操作性或技术性原因
 *   导致的短期逾期除外（7天内）"); overdue more than 90 days → at least 次级 (第十条); more than 270 → at least
 *   可疑 (第十一条); more than 360 → 损失 (第十二条). "超过" excludes the number itself (民法典第一千二百五十九条):
 *   90 days overdue is 关注, 91 is 次级. Days are counted from the due date: a contractual grace period
 *   (宽限期) never lowers the class (it only waives default interest).
 * - Credit cards (信用卡办法第九十二条): 1–90 days (inclusive) → 关注, 91–120 → 次级, 121–180 → 可疑, more than
 *   180 → 损失; card fraud (the cardholder applied or used the card by fraud, or an inside job), once
 *   confirmed → directly 可疑 or 损失, here at least 可疑 (第九十三条).
 * - Retail vs non-retail: retail assets are classified loan by loan (分类办法第八条: 个人贷款、信用卡贷款、小微企业
 *   债权), so a small-business (`sme`) loan is retail *for classification* even when its debtor is a company.
 *   (The retail flag on chain means something else: the batch-transfer pilot's "individual" — see
 *   claim-input.ts.) Debtor-level rules apply to non-retail loans only:
 *   - more than 10% of the debtor's claims at this bank non-performing → all its claims non-performing, here
 *     at least 次级 (第七条第二款);
 *   - more than 20% of its debt across banks overdue more than 90 days → at least 次级 (第十条);
 *   - any of its debts, at this bank or another, non-performing → at least 关注 (第九条第四项).
 *   Exactly 10% / 20% do not trigger.
 * - Restructured assets (分类办法第三章): at least 关注 while in the observation period; not upgraded during it
 *   if non-performing before restructuring; at least 次级 if overdue again in it. The observation period
 *   (第二十条) starts at the first due date under the restructured terms, lasts at least one year and at
 *   least two consecutive repayment periods, and restarts from a missed payment.
 * - Upgrades (第十三条): a non-performing asset goes back to 关注/正常 only when its arrears are fully repaid, it
 *   has then paid normally for at least two repayment periods or six months (the longer), and the debtor
 *   has no other credit-impaired asset at the bank. Until then it stays at least 次级.
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

/** The longest delay a bank may treat as technical (分类办法第九条第一项: 7天内). */
export const MAX_TECHNICAL_DELAY_DAYS = 7;

/** A rule that can decide a classification: a stable code, its floor class and bilingual text citing the article. */
export interface ClassificationRule {
  readonly code: string;
  readonly floor: number;
  readonly zh: string;
  readonly en: string;
}

function rule(code: string, floor: number, zh: string, en: string): ClassificationRule {
  return Object.freeze({ code, floor, zh, en });
}

const BAN = "《商业银行金融资产风险分类办法》";
const CARD = "《商业银行信用卡业务监督管理办法》";

/** Every rule, indexed by a small integer id (the batch classifier stores ids in a Uint8Array). */
export const RULES: readonly ClassificationRule[] = Object.freeze([
  rule("performing", PASS, "未逾期，按约还款", "Not overdue; paying as agreed"),
  rule("technical-delay", PASS,
    `逾期不超过7天，且经银行认定为操作性或技术性原因导致的短期逾期，不因此归为关注类（${BAN}第九条第一项）`,
    "Overdue at most 7 days and flagged by the bank as an operational or technical delay: not special mention on that account (Risk Classification Measures art. 9(1))"),
  rule("dpd-overdue", SPECIAL_MENTION,
    `本金、利息或收益逾期（未经认定为7天内的技术性逾期；宽限期不影响分类），至少关注类（${BAN}第九条第一项）`,
    "Principal, interest or income overdue (not flagged as a technical delay of at most 7 days; a grace period does not change the class): at least special mention (Risk Classification Measures art. 9(1))"),
  rule("dpd-floor-90", SUBSTANDARD, `本金、利息或收益逾期超过90天，至少次级类（${BAN}第十条）`, "Overdue more than 90 days: at least substandard (Risk Classification Measures art. 10)"),
  rule("dpd-floor-270", DOUBTFUL, `本金、利息或收益逾期超过270天，至少可疑类（${BAN}第十一条）`, "Overdue more than 270 days: at least doubtful (Risk Classification Measures art. 11)"),
  rule("dpd-floor-360", LOSS, `本金、利息或收益逾期超过360天，损失类（${BAN}第十二条）`, "Overdue more than 360 days: loss (Risk Classification Measures art. 12)"),
  rule("card-band-1-90", SPECIAL_MENTION, `信用卡逾期1至90天（含），关注类（${CARD}第九十二条）`, "Credit card 1–90 days overdue (inclusive): special mention (Credit Card Measures art. 92)"),
  rule("card-band-91-120", SUBSTANDARD, `信用卡逾期91至120天（含），次级类（${CARD}第九十二条）`, "Credit card 91–120 days overdue (inclusive): substandard (Credit Card Measures art. 92)"),
  rule("card-band-121-180", DOUBTFUL, `信用卡逾期121至180天（含），可疑类（${CARD}第九十二条）`, "Credit card 121–180 days overdue (inclusive): doubtful (Credit Card Measures art. 92)"),
  rule("card-band-180", LOSS, `信用卡逾期超过180天，损失类（${CARD}第九十二条）`, "Credit card more than 180 days overdue: loss (Credit Card Measures art. 92)"),
  rule("card-fraud", DOUBTFUL,
    `持卡人以诈骗方式申领、使用信用卡，或内部作案、内外勾结作案造成的风险资产，一经确认直接列入可疑类或损失类，至少可疑类（${CARD}第九十三条）`,
    "Card risk asset caused by the cardholder's fraudulent application or use, or by an inside job: once confirmed, directly doubtful or loss; at least doubtful (Credit Card Measures art. 93)"),
  rule("restructured-observation", SPECIAL_MENTION,
    `重组资产在重组观察期内（自重组后约定的第一次还款日起，至少连续两个还款期且不少于1年），至少关注类（${BAN}第三章、第二十条）`,
    "Restructured asset in its observation period (from the first due date after restructuring, at least two consecutive repayment periods and no less than a year): at least special mention (Risk Classification Measures ch. 3, art. 20)"),
  rule("restructured-npl", SUBSTANDARD,
    `重组前为不良资产，重组观察期内不得上调，至少次级类（${BAN}第三章）`,
    "Non-performing before restructuring: not upgraded during the observation period, at least substandard (Risk Classification Measures ch. 3)"),
  rule("restructured-default", SUBSTANDARD,
    `重组资产在观察期内未按约及时足额还款，至少次级类，观察期自未履约时点重新计算（${BAN}第三章、第二十条）`,
    "Restructured asset not paid on time and in full during observation: at least substandard; the observation period restarts from the missed payment (Risk Classification Measures ch. 3, art. 20)"),
  rule("npl-upgrade-pending", SUBSTANDARD,
    `不良资产尚未满足上调条件（逾期本息全部偿还后，至少连续两个还款期或6个月（孰长）正常还款），至少次级类（${BAN}第十三条）`,
    "Non-performing asset not yet eligible for upgrade (arrears repaid, then two repayment periods or six months of normal payment, whichever is longer): at least substandard (Risk Classification Measures art. 13)"),
  rule("npl-upgrade-other-impaired", SUBSTANDARD,
    `不良资产已满足还款条件，但债务人在本行仍有其他已发生信用减值的金融资产，不得上调，至少次级类（${BAN}第十三条）`,
    "Non-performing asset that has cured, but the debtor still has another credit-impaired asset at this bank: not upgraded, at least substandard (Risk Classification Measures art. 13)"),
  rule("contagion-bank-10", SUBSTANDARD,
    `非零售债务人在本行超过10%的债权被分为不良，其在本行的所有债权均归为不良，至少次级类（${BAN}第七条第二款）`,
    "Non-retail debtor with more than 10% of its claims at this bank non-performing: all its claims non-performing, at least substandard (Risk Classification Measures art. 7(2))"),
  rule("contagion-cross-bank-20", SUBSTANDARD,
    `同一非零售债务人在所有银行的债务中，逾期超过90天的债务已经超过20%，至少次级类（${BAN}第十条）`,
    "Non-retail debtor with more than 20% of its debt across all banks overdue more than 90 days: at least substandard (Risk Classification Measures art. 10)"),
  rule("non-retail-npl-anywhere", SPECIAL_MENTION,
    `同一非零售债务人在本行或其他银行的债务出现不良，至少关注类（${BAN}第九条第四项）`,
    "Non-retail debtor with a non-performing debt at this bank or another: at least special mention (Risk Classification Measures art. 9(4))"),
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
export const R_DPD_OVERDUE = ruleId("dpd-overdue");
export const R_DPD_90 = ruleId("dpd-floor-90");
export const R_DPD_270 = ruleId("dpd-floor-270");
export const R_DPD_360 = ruleId("dpd-floor-360");
export const R_CARD_1 = ruleId("card-band-1-90");
export const R_CARD_91 = ruleId("card-band-91-120");
export const R_CARD_121 = ruleId("card-band-121-180");
export const R_CARD_180 = ruleId("card-band-180");
export const R_CARD_FRAUD = ruleId("card-fraud");
export const R_RESTRUCTURED = ruleId("restructured-observation");
export const R_RESTRUCTURED_NPL = ruleId("restructured-npl");
export const R_RESTRUCTURED_DEFAULT = ruleId("restructured-default");
export const R_NPL_PENDING = ruleId("npl-upgrade-pending");
export const R_NPL_OTHER_IMPAIRED = ruleId("npl-upgrade-other-impaired");
export const R_CONTAGION_BANK = ruleId("contagion-bank-10");
export const R_CONTAGION_CROSS = ruleId("contagion-cross-bank-20");
export const R_NON_RETAIL_NPL = ruleId("non-retail-npl-anywhere");

/** Class floor of a rule id. */
export const RULE_FLOOR: Uint8Array = Uint8Array.from(RULES, (r) => r.floor);

/** Tunable thresholds; the defaults are the regulation's. */
export interface ClassificationOptions {
  /** Longest flagged delay treated as technical and left in 正常: 0–7, default 7 (分类办法第九条第一项). */
  technicalDelayDays?: number;
}

/**
 * The floor set by days past due alone.
 * @param technical the bank has flagged this delay as operational or technical (分类办法第九条第一项)
 * @param technicalDelayDays the longest such delay (at most 7)
 * @returns a rule id (see {@link RULES})
 */
export function dayFloorRule(daysPastDue: number, creditCard: boolean, technical = false, technicalDelayDays = MAX_TECHNICAL_DELAY_DAYS): number {
  if (daysPastDue <= 0) return R_PERFORMING;
  if (creditCard) {
    if (daysPastDue <= 90) return R_CARD_1;
    if (daysPastDue <= 120) return R_CARD_91;
    if (daysPastDue <= 180) return R_CARD_121;
    return R_CARD_180;
  }
  if (technical && daysPastDue <= technicalDelayDays && daysPastDue <= MAX_TECHNICAL_DELAY_DAYS) return R_TECHNICAL;
  if (daysPastDue <= 90) return R_DPD_OVERDUE;
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
  /** The bank flagged the delay as operational or technical (分类办法第九条第一项). */
  technicalDelay: boolean;
  /** Confirmed card fraud (信用卡办法第九十三条); credit cards only. */
  cardFraud: boolean;
  /** Restructured and still inside the observation period. */
  inObservation: boolean;
  /** Non-performing before it was restructured (by history or by the prior classification). */
  nonPerformingBeforeRestructuring: boolean;
  /** A payment under the restructured terms was missed during observation (and the observation restarted). */
  missedInObservation: boolean;
  /** Non-performing before and not yet eligible for an upgrade. */
  upgradePending: boolean;
}

/**
 * The loan's own class (without the debtor-level rules, which need the debtor's other claims).
 * @returns a rule id; its floor is the class
 */
export function ownRule(s: LoanStatus, technicalDelayDays = MAX_TECHNICAL_DELAY_DAYS): number {
  let r = dayFloorRule(s.daysPastDue, s.creditCard, s.technicalDelay, technicalDelayDays);
  if (s.cardFraud) r = worseRule(r, R_CARD_FRAUD);
  if (s.inObservation) {
    r = worseRule(r, R_RESTRUCTURED);
    if (s.nonPerformingBeforeRestructuring) r = worseRule(r, R_RESTRUCTURED_NPL);
    if (s.daysPastDue > 0 || s.missedInObservation) r = worseRule(r, R_RESTRUCTURED_DEFAULT);
  }
  if (s.upgradePending) r = worseRule(r, R_NPL_PENDING);
  return r;
}

/**
 * Non-retail contagion at this bank (分类办法第七条第二款). The share is measured by outstanding balance (not
 * by count of loans): the regulation speaks of 债权 (claims) and the exposure is what a bank stands to lose,
 * so a small bad overdraft next to a large good term loan does not taint the whole debtor.
 * Compared exactly: `nonPerforming × 10 > total`, so exactly 10% does not trigger ("超过10%").
 */
export function bankContagion(nonPerformingOutstanding: bigint, totalOutstanding: bigint): boolean {
  return nonPerformingOutstanding * 10n > totalOutstanding;
}

/** Cross-bank contagion (分类办法第十条): more than 20% of the debtor's debt at all banks is overdue more than 90 days. */
export function crossBankContagion(overdue90Share: number): boolean {
  return overdue90Share > 0.2;
}

/**
 * Whether a loan is retail *for classification* (分类办法第八条: 个人贷款、信用卡贷款、小微企业债权 are retail
 * assets, classified loan by loan). A company's small-business loan is retail here; the on-chain retail flag
 * (the transfer pilot's natural person, claim-input.ts) is not this.
 */
export function retailForClassification(debtorType: string, product: string): boolean {
  return debtorType !== "corporate" || product === "sme" || product === "credit-card";
}
