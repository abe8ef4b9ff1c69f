/**
 * The words of the letters Debtrail sends a debtor (warning, formal demand, settlement offer) and how they
 * write amounts and dates, in zh-CN and English.
 *
 * The Chinese text is the operative letter. The English one is a translation that follows it in the same
 * document, under a label saying so ({@link TRANSLATION_LABEL}); where they differ the Chinese text prevails.
 * Amounts are written as Chinese letters write them, "人民币123,456.78元" (English "RMB 123,456.78"), dates
 * as "2025年3月1日" (English "1 March 2025"). Texts use {placeholders}.
 */
import { formatMajor } from "../core/money.js";
import { ValidationError } from "../core/errors.js";
import type { Lang } from "./messages.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

/** How a Chinese letter names a currency: before the amount (人民币…元) or after it (…美元). */
const CURRENCY_ZH: Record<string, { before?: string; after: string }> = {
  CNY: { before: "人民币", after: "元" },
  USD: { after: "美元" },
  HKD: { after: "港元" },
  EUR: { after: "欧元" },
  GBP: { after: "英镑" },
  JPY: { after: "日元" },
};

/**
 * An amount of minor units as a letter writes it: "人民币123,456.78元" / "RMB 123,456.78" for CNY,
 * "1,000.00美元" / "USD 1,000.00" otherwise.
 */
export function letterAmount(lang: Lang, fen: bigint, currency: string): string {
  const figure = formatMajor(fen);
  const code = currency.toUpperCase();
  if (lang === "en") return `${code === "CNY" ? "RMB" : code} ${figure}`;
  const zh = CURRENCY_ZH[code];
  return zh ? `${zh.before ?? ""}${figure}${zh.after}` : `${code} ${figure}`;
}

const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * A calendar day YYYY-MM-DD as a letter writes it: "2025年3月1日" / "1 March 2025".
 * @throws ValidationError (field `field`) for anything but a real YYYY-MM-DD day
 */
export function letterDate(lang: Lang, day: string, field = "date"): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const y = Number(m?.[1]), mo = Number(m?.[2]), d = Number(m?.[3]);
  if (!m || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) throw new ValidationError(field, "YYYY-MM-DD");
  return lang === "en" ? `${d} ${MONTHS_EN[mo - 1]} ${y}` : `${y}年${mo}月${d}日`;
}

/** The label between the operative Chinese letter and its English translation (both lines are printed). */
export const TRANSLATION_LABEL = t(
  "英文译文（仅供参考；中英文本如有不一致，以中文文本为准）",
  "English translation (for reference only; if the two texts differ, the Chinese text prevails)",
);

/** A separator line around the translation label. */
export const TRANSLATION_RULE = "—".repeat(24);

export const LETTER_MESSAGES = {
  "warning.title": t("逾期还款提醒函", "Overdue payment reminder"),
  "demand.title": t("催收通知书", "Formal demand for payment"),
  salutation: t("{to}：", "Dear {to},"),
  "to.default": t("借款人", "Borrower"),
  contract: t("（借款合同编号：{contractNo}）", " (loan contract {contractNo})"),
  overdue: t("您{contract}项下的借款已逾期{days}天。", "Your loan{contract} is {days} days overdue."),
  "overdue.afterWarning": t("您{contract}项下的借款已逾期{days}天，经提醒仍未归还。", "Your loan{contract} is {days} days overdue and was not repaid after a reminder."),
  "claim.total": t("截至{date}，您尚欠本息合计{amount}。", "As of {date} you owe {amount} in principal and interest."),
  "claim.items": t("截至{date}，您尚欠{items}，合计{amount}。", "As of {date} you owe {items}: {amount} in total."),
  "item.principal": t("本金{amount}", "principal {amount}"),
  "item.interest": t("利息{amount}", "interest {amount}"),
  "item.penaltyInterest": t("罚息{amount}", "default interest {amount}"),
  "item.compoundInterest": t("复利{amount}", "compound interest {amount}"),
  "item.fees": t("其他费用{amount}", "other charges {amount}"),
  "item.separator": t("、", ", "),
  "warning.cure": t("请于本函送达之日起{days}日内归还全部逾期款项。", "Please repay all overdue amounts within {days} days of the day this letter is delivered to you."),
  "warning.rights": t(
    "债权人依据借款合同及《中华人民共和国民法典》有权要求您按约还款，并依约收取逾期利息、追究违约责任。",
    "Under the loan contract and the Civil Code of the PRC the creditor may require repayment as agreed and charge default interest and damages as the contract provides.",
  ),
  "warning.limitation": t(
    "本函送达之日起诉讼时效中断并重新计算（《中华人民共和国民法典》第一百九十五条第一项）。",
    "From the day this letter is delivered to you, the limitation period is interrupted and runs afresh (Civil Code art. 195(1)).",
  ),
  "warning.closing": t("如已还款，请忽略本函；如有异议或还款困难，请与债权人联系协商。", "If you have already paid, please disregard this letter; if you dispute it or have difficulty paying, contact the creditor."),
  "demand.acceleration": t(
    "根据借款合同关于提前到期的约定，债权人现宣布上述借款全部提前到期。",
    "Under the loan contract's acceleration clause, the creditor hereby declares the whole loan due.",
  ),
  "demand.all": t(
    "债权人正式要求您于本通知书送达之日起{days}日内清偿上述全部欠款{amount}。",
    "The creditor formally demands that you pay the whole amount above, {amount}, within {days} days of the day this notice is delivered to you.",
  ),
  "demand.overdueOnly": t(
    "债权人正式要求您于本通知书送达之日起{days}日内清偿已到期未付的款项{amount}；尚未到期的部分仍按借款合同约定的期限偿还。",
    "The creditor formally demands that you pay the amount overdue, {amount}, within {days} days of the day this notice is delivered to you; the rest remains payable when the loan contract makes it due.",
  ),
  "demand.account": t(
    "请将款项汇入以下账户：户名：{name}；开户行：{bank}；账号：{number}。",
    "Please pay into this account: account name {name}; bank {bank}; account number {number}.",
  ),
  "demand.accountDefault": t(
    "请向债权人（见文末）还款，还款账户以债权人书面确认的为准，请勿向其他账户付款。",
    "Pay the creditor named below, into an account the creditor confirms in writing; do not pay into any other account.",
  ),
  "demand.consequence.secured": t(
    "逾期未清偿的，债权人将依法提起诉讼（借款合同约定仲裁的，申请仲裁），依法就抵押财产优先受偿并申请强制执行，由此产生的费用依约由您承担。",
    "Failing that, the creditor will sue (or, where the loan contract provides for arbitration, apply for arbitration), enforce its mortgage on the collateral and apply for enforcement; the costs are yours as the contract provides.",
  ),
  "demand.consequence.unsecured": t(
    "逾期未清偿的，债权人将依法提起诉讼（借款合同约定仲裁的，申请仲裁）并申请强制执行，由此产生的费用依约由您承担。",
    "Failing that, the creditor will sue (or, where the loan contract provides for arbitration, apply for arbitration) and apply for enforcement; the costs are yours as the contract provides.",
  ),
  "demand.limitation": t(
    "本通知书送达之日起诉讼时效中断并重新计算（《中华人民共和国民法典》第一百九十五条第一项）。",
    "From the day this notice is delivered to you, the limitation period is interrupted and runs afresh (Civil Code art. 195(1)).",
  ),
  "demand.objection": t("如有异议，请于上述期限内书面提出。", "Any objection must be made in writing within that period."),
  "sign.creditor": t("债权人：{creditor}", "Creditor: {creditor}"),
  "sign.claim": t("债权编号：{claimId}", "Claim: {claimId}"),
  "sign.date": t("日期：{date}", "Date: {date}"),
} as const satisfies Record<string, Record<Lang, string>>;

export type LetterKey = keyof typeof LETTER_MESSAGES;

/** The letter message `key` in `lang`, with {placeholders} filled from `vars`. */
export function letterText(lang: Lang, key: LetterKey, vars: Record<string, string | number> = {}): string {
  return LETTER_MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
