/**
 * The words of a transfer's letters — the 债权转让暨催收联合通知书 to each debtor and guarantor, the newspaper
 * 债权转让暨债务催收公告 — and of the batch-transfer rules' refusals, in zh-CN and English. The Chinese text is the
 * operative one (core/transfer-notices.ts puts the English after it under the translation label). Each
 * sentence that states a legal effect cites its article. Texts use {placeholders}.
 *
 * Short names: 26号文 = 《中国银保监会办公厅关于开展不良贷款转让试点工作的通知》（银保监办便函〔2021〕26号）;
 * 1191号文 = 《中国银保监会办公厅关于开展第二批不良贷款转让试点工作的通知》（银保监办便函〔2022〕1191号）;
 * 批量转让办法 = 《金融企业不良资产批量转让管理办法》（财金〔2012〕6号）.
 */
import type { Lang } from "./messages.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const TRANSFER_MESSAGES = {
  "notice.title": t("债权转让暨催收联合通知书", "Joint notice of assignment of claim and demand for payment"),
  salutation: t("{to}：", "To {to}:"),
  "notice.assigned": t(
    "根据{transferor}与{transferee}签订的债权转让协议，{transferor}已将其对{debtor}享有的借款合同（编号：{contractNo}）项下的全部债权及从权利{deliveryDate}依法转让给{transferee}（《中华人民共和国民法典》第五百四十五条、第五百四十七条第一款）。",
    "Under the assignment agreement between {transferor} and {transferee}, {transferor} has assigned to {transferee}{deliveryDate} all its claims against {debtor} under loan contract {contractNo}, with the rights accessory to them (Civil Code arts. 545, 547(1)).",
  ),
  "notice.deliveryDate": t("于{date}", " on {date}"),
  "notice.amounts": t("截至基准日{date}，该债权为{items}，合计{total}。", "As of the cut-off date, {date}, the claim is {items}: {total} in total."),
  "notice.debtor.effect": t(
    "自本通知送达之日起，该转让对您发生效力，请向受让方{transferee}履行还款义务（民法典第五百四十六条第一款）。",
    "From the day this notice is delivered to you the assignment binds you: please repay the assignee, {transferee} (Civil Code art. 546(1)).",
  ),
  "notice.guarantor.effect": t(
    "您为上述借款提供的{guarantee}随主债权一并转让（民法典第五百四十七条第一款、第六百九十六条第一款），自本通知送达之日起对您发生效力，请向受让方{transferee}承担保证责任。",
    "The {guarantee} you gave for this loan passes to the assignee with the claim (Civil Code arts. 547(1), 696(1)) and binds you from the day this notice is delivered to you: your guarantee is now owed to the assignee, {transferee}.",
  ),
  "guarantee.joint": t("连带责任保证", "joint and several guarantee"),
  "guarantee.general": t("一般保证", "general guarantee"),
  "notice.demand": t(
    "受让方特此催收：请于本通知送达之日起{days}日内向受让方清偿上述款项。",
    "The assignee hereby demands payment: please pay the amount above to the assignee within {days} days of the day this notice is delivered to you.",
  ),
  "notice.demand.joint": t(
    "受让方特此请求您承担连带保证责任：请于本通知送达之日起{days}日内向受让方清偿上述款项（民法典第六百八十八条第二款、第六百九十三条第二款）。",
    "The assignee hereby calls on your joint and several guarantee: please pay the amount above to the assignee within {days} days of the day this notice is delivered to you (Civil Code arts. 688(2), 693(2)).",
  ),
  "notice.account": t("还款账户：户名{name}，开户行{bank}，账号{number}。", "Repayment account: {name}, {bank}, account number {number}."),
  "notice.accountDefault": t("请仅向受让方书面确认的账户付款。", "Please pay only into an account the assignee confirms in writing."),
  "notice.limitation": t(
    "本通知送达之日起诉讼时效中断并重新计算（民法典第一百九十五条第一项）。",
    "From the day this notice is delivered to you the limitation period is interrupted and runs afresh (Civil Code art. 195(1)).",
  ),
  "notice.pipl": t(
    "个人信息告知：为债权管理与催收之目的，转让方已将与本债权有关的您的个人信息（姓名、身份证件号码、联系方式、地址及借款、还款与担保记录）提供给受让方，受让方按原处理目的和方式处理。受让方名称：{transferee}；联系方式：{contact}（《中华人民共和国个人信息保护法》第二十二条、第二十三条）。",
    "Personal information: for managing and collecting this claim the assignor has given the assignee your personal information related to it (name, ID number, contact details, address, and the loan, repayment and security records); the assignee processes it for the same purposes and in the same way. Assignee: {transferee}; contact: {contact} (Personal Information Protection Law arts. 22, 23).",
  ),
  "notice.listing": t("（银登中心挂牌编号：{listingNo}）", " (Credit Asset Registration and Transfer Center listing {listingNo})"),
  "sign.transferor": t("转让方：{transferor}（盖章）", "Assignor: {transferor} (seal)"),
  "sign.transferee": t("受让方：{transferee}（盖章）", "Assignee: {transferee} (seal)"),
  "sign.date": t("日期：{date}", "Date: {date}"),
  "announcement.title": t("债权转让暨债务催收公告", "Announcement of assignment of claims and demand for payment"),
  "announcement.body": t(
    "根据{transferor}与{transferee}签订的债权转让协议，{transferor}已将其对下列借款人及担保人享有的债权及从权利依法转让给{transferee}（民法典第五百四十五条、第五百四十七条第一款）。{transferor}特此公告通知各借款人及担保人；{transferee}作为受让方，特此公告催收：请下列各借款人及担保人自本公告之日起向{transferee}履行还款义务或承担担保责任（民法典第五百四十六条第一款）。",
    "Under the assignment agreement between {transferor} and {transferee}, {transferor} has assigned to {transferee} its claims against the borrowers and guarantors listed below, with the rights accessory to them (Civil Code arts. 545, 547(1)). {transferor} hereby gives notice to each borrower and guarantor; {transferee}, as assignee, hereby demands that each of them pay it, or answer for their guarantee, from the day of this announcement (Civil Code art. 546(1)).",
  ),
  "announcement.table": t("截至基准日{date}（单位：{unit}）：", "As of the cut-off date, {date} (amounts in {unit}):"),
  "announcement.row": t(
    "{n}. 借款人：{debtor}；担保人：{guarantors}；合同编号：{contractNo}；本金：{principal}；利息：{interest}",
    "{n}. Borrower: {debtor}; guarantors: {guarantors}; contract {contractNo}; principal {principal}; interest {interest}",
  ),
  "announcement.none": t("无", "none"),
  "announcement.contact": t("受让方联系方式：{contact}", "Assignee's contact: {contact}"),
  "unit.CNY": t("人民币元", "RMB"),
};

export type TransferKey = keyof typeof TRANSFER_MESSAGES;

/** A text of a transfer letter in `lang`, its {placeholders} filled. */
export function transferText(lang: Lang, key: TransferKey, vars: Record<string, string | number> = {}): string {
  return TRANSFER_MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** The refusals of core/transfer-rules.ts, each with the rule it applies. */
export const TRANSFER_REFUSALS = {
  "personal-buyer-not-amc": t(
    "个人不良贷款批量转让的受让方限于金融资产管理公司和地方资产管理公司（26号文；1191号文）；买方不是持牌资产管理公司",
    "Personal non-performing loans may be transferred in a batch only to a financial asset management company or a local AMC (CBIRC pilot notices No. 26 [2021] and No. 1191 [2022]); the buyer is not a licensed AMC",
  ),
  "personal-secured-excluded": t(
    "个人不良贷款批量转让试点以信用卡透支、个人消费贷款和个人经营类信用贷款为主，有抵押担保的个人贷款默认不纳入（26号文；1191号文）；如确需纳入，须明确声明例外",
    "The pilot for batch transfers of personal NPLs covers card overdrafts and unsecured consumer and business loans; a secured personal loan is excluded unless an exception is declared (CBIRC pilot notices No. 26 [2021] and No. 1191 [2022])",
  ),
  "listing-missing": t(
    "个人不良贷款批量转让须通过银行业信贷资产登记流转中心（银登中心）公开挂牌，须登记挂牌编号（26号文；1191号文）",
    "A batch transfer of personal NPLs goes through the Credit Asset Registration and Transfer Center, and its listing number must be recorded (CBIRC pilot notices No. 26 [2021] and No. 1191 [2022])",
  ),
  "cutoff-missing": t(
    "转让须登记基准日（资产包债权金额的计算截止日），转让通知、公告和价格均以其为准（26号文；1191号文：通过银登中心挂牌转让须披露基准日）",
    "A transfer must record its cut-off date (基准日), the date the package's amounts are stated at; notices, announcement and price refer to it (CBIRC pilot notices No. 26 [2021] and No. 1191 [2022]: a listing discloses it)",
  ),
  "resale-prohibited": t(
    "通过批量转让受让的个人不良贷款不得再次对外转让，只能由受让方自行清收或重组（1191号文；26号文）",
    "A personal NPL acquired in a batch transfer may not be transferred again; the buyer must collect or restructure it itself (CBIRC pilot notices No. 1191 [2022] and No. 26 [2021])",
  ),
  "corporate-batch-buyer-not-amc": t(
    "对公不良资产批量转让（10户/项以上组包）的受让方限于资产管理公司（批量转让办法第三条）",
    "A batch transfer of corporate NPLs (a package of 10 or more) may go only to asset management companies (Batch Transfer Measures art. 3)",
  ),
} as const;

export type TransferRefusalCode = keyof typeof TRANSFER_REFUSALS;
