/**
 * Why a forum is open to a claim or not, and why collection stops (core/forums.ts), in zh-CN and English, each
 * citing its article. 民事诉讼法 = 2023年修正; 仲裁法 = 2017年修正. Texts use {placeholders}.
 */
import type { Lang } from "./messages.js";
import type { Forum, ForumReason } from "../core/forums.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const FORUM_NAMES: Record<Forum | "bankruptcy-claim", Record<Lang, string>> = {
  litigation: t("诉讼", "litigation"),
  arbitration: t("仲裁", "arbitration"),
  "payment-order": t("支付令（督促程序）", "payment order (summary procedure)"),
  "security-realisation": t("实现担保物权特别程序", "special procedure to realise a security"),
  "notarised-enforcement": t("赋强公证＋执行证书", "notarised instrument with an enforcement certificate"),
  "bankruptcy-claim": t("向破产管理人申报债权", "filing the claim with the bankruptcy administrator"),
};

export const FORUM_REASONS: Record<ForumReason, Record<Lang, string>> = {
  available: t("可以采用", "available"),
  "clause-valid": t(
    "有有效仲裁条款（请求仲裁的意思表示、仲裁事项、选定的仲裁委员会，仲裁法第十六条）：裁决一裁终局，不能上诉，只能申请撤销或不予执行（仲裁法第九条、第五十八条；民事诉讼法第二百四十八条）",
    "A valid arbitration clause (intent, matters, a named commission: Arbitration Law art. 16): the award is final — no appeal, only setting aside or non-enforcement (Arbitration Law arts. 9, 58; Civil Procedure Law art. 248)",
  ),
  "clause-missing": t("没有仲裁条款，不能仲裁（仲裁法第四条、第十六条）", "No arbitration clause: arbitration is not available (Arbitration Law arts. 4, 16)"),
  "clause-no-intent": t("仲裁条款缺少请求仲裁的意思表示，无效（仲裁法第十六条）", "The clause lacks an intent to arbitrate: invalid (Arbitration Law art. 16)"),
  "clause-no-matters": t("仲裁条款未涵盖本借款纠纷（仲裁事项），不能仲裁（仲裁法第十六条）", "The clause does not cover the loan's disputes: not arbitrable under it (Arbitration Law art. 16)"),
  "clause-no-commission": t("仲裁条款未选定仲裁委员会，又未达成补充协议的，无效（仲裁法第十六条、第十八条）", "The clause names no commission and none was agreed later: invalid (Arbitration Law arts. 16, 18)"),
  "clause-or-court": t("约定“或裁或诉”的仲裁条款无效（仲裁法解释第七条）", "A clause allowing either arbitration or court is invalid (SPC Arbitration Law Interpretation art. 7)"),
  "excluded-by-arbitration": t("有有效仲裁协议，人民法院不予受理（仲裁法第五条）", "A valid arbitration agreement: the court will not accept the suit (Arbitration Law art. 5)"),
  "not-money": t("支付令只适用于给付金钱或有价证券的请求（民事诉讼法第二百二十五条）", "A payment order is only for money or securities (Civil Procedure Law art. 225)"),
  "not-due": t("请求给付的金钱须已到期且数额确定（民事诉讼法第二百二十五条）", "The money claimed must be due and of a certain amount (Civil Procedure Law art. 225)"),
  "counter-obligation": t("债权人负有对待给付义务，不能申请支付令（民事诉讼法第二百二十五条）", "The creditor owes a performance in return: no payment order (Civil Procedure Law art. 225)"),
  unreachable: t("债务人不在境内或下落不明，支付令不能送达（民事诉讼法第二百二十五条）", "The debtor is abroad or missing: a payment order cannot be delivered (Civil Procedure Law art. 225)"),
  "objection-defeats": t("债务人对债务提出异议，书面异议将使督促程序终结（民事诉讼法第二百二十八条），宜径行诉讼或仲裁", "The debtor disputes the debt: a written objection would end the payment-order procedure (Civil Procedure Law art. 228), so go to court or arbitration instead"),
  "not-secured": t("没有担保物权", "No security interest"),
  "not-registered": t("担保物权未登记，不能申请实现担保物权（民法典第四百零二条、第四百零三条）", "The security is not registered: it cannot be realised by the special procedure (Civil Code arts. 402, 403)"),
  "under-secured": t("担保物价值仅覆盖债权的{coverage}，低于{threshold}，宜诉讼一并主张", "The collateral covers only {coverage} of the claim, below {threshold}: better claimed in a suit"),
  "security-disputed": t("对担保物权有实质性争议的，法院裁定驳回，应当诉讼（民事诉讼法第二百零八条）", "A substantive dispute over the security means the application is rejected: go to court (Civil Procedure Law art. 208)"),
  "not-notarised": t("没有赋予强制执行效力的公证债权文书", "No notarised instrument with the debtor's acceptance of enforcement"),
  "certificate-missing": t(
    "有赋强公证债权文书：先向公证机构申请出具执行证书，再向人民法院申请执行（公证法第三十七条；法释〔2018〕18号）",
    "A notarised enforceable instrument exists: first ask the notary for the enforcement certificate, then apply to the court for enforcement (Notarisation Law art. 37; Fa Shi [2018] No. 18)",
  ),
  bankruptcy: t(
    "债务人已进入破产程序：个别清偿无效、执行中止、诉讼中止，只能向管理人申报债权（企业破产法第十六条、第十九条、第二十条、第四十八条）",
    "The debtor is in bankruptcy: individual repayment is void, enforcement and suits pause, and the claim can only be filed with the administrator (Enterprise Bankruptcy Law arts. 16, 19, 20, 48)",
  ),
};

export const COLLECTION_REFUSALS = {
  "debtor-in-bankruptcy": t(
    "债务人已进入破产程序，停止催收：人民法院受理破产申请后债务人对个别债权人的清偿无效，应向管理人申报债权（企业破产法第十六条、第四十八条）",
    "The debtor is in bankruptcy: collection stops — after the court accepted the case any repayment to one creditor is void; file the claim with the administrator (Enterprise Bankruptcy Law arts. 16, 48)",
  ),
  "debtor-objection": t(
    "债务人对债务提出异议，暂停催收，待核实并答复异议后再继续（民法典第五百四十八条；中国银行业协会催收工作指引）",
    "The debtor disputes the debt: collection pauses until the objection is checked and answered (Civil Code art. 548; the banking association's collection guidelines)",
  ),
} as const;

export const FILING_TEXTS = {
  filed: t("已于期限内申报债权", "The claim was filed"),
  open: t("债权申报期限至{deadline}（企业破产法第四十五条、第四十八条）", "The claim must be filed by {deadline} (Enterprise Bankruptcy Law arts. 45, 48)"),
  expiring: t("债权申报期限{deadline}即将届满，请尽快申报（企业破产法第四十八条）", "The filing deadline, {deadline}, is near: file now (Enterprise Bankruptcy Law art. 48)"),
  late: t(
    "债权申报期限已于{deadline}届满：在破产财产最后分配前仍可补充申报，但此前已进行的分配不再补充，审查和确认补充申报债权的费用由补充申报人承担（企业破产法第五十六条）",
    "The filing deadline passed on {deadline}: the claim may still be filed before the final distribution, but earlier distributions are not made up and the costs of checking it are the late creditor's (Enterprise Bankruptcy Law art. 56)",
  ),
} as const;

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, n: string) => (vars[n] === undefined ? `{${n}}` : String(vars[n])));

export function forumReason(lang: Lang, reason: ForumReason, vars: Record<string, string | number> = {}): string {
  return fill(FORUM_REASONS[reason][lang], vars);
}

export function filingText(lang: Lang, status: keyof typeof FILING_TEXTS, deadline: string): string {
  return fill(FILING_TEXTS[status][lang], { deadline });
}
