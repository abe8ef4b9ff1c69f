/**
 * What a delivery proof (送达凭证) proves, in zh-CN and English (core/delivery.ts reasons), each citing the
 * rule. Short names: 诉讼时效规定 = 《最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定》（法释〔2008〕11号，
 * 2020年修正）; 法院专递规定 = 《最高人民法院关于以法院专递方式邮寄送达民事诉讼文书的若干规定》.
 * Texts use {placeholders}; {relation}, {method}, {medium} and {outcome} are translated.
 */
import type { Lang } from "./messages.js";
import type { DeliveryReason, NoticeWait } from "../core/delivery.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const DELIVERY_MESSAGES: Record<DeliveryReason, Record<Lang, string>> = {
  "signed-receipt": t(
    "{relation}于{date}在文书或送达回证上签名、盖章或按指印，{date}送达（诉讼时效规定第八条第一款第一项；民法典第一百三十七条第二款）",
    "Signed, sealed or thumb-printed by {relation} on {date}: delivered on {date} (SPC Limitation Provisions art. 8(1)(1); Civil Code art. 137(2))",
  ),
  "ems-signed": t(
    "邮件于{date}由{relation}签收，{date}到达（诉讼时效规定第八条第一款第二项；民法典第一百三十七条第二款；同住成年家属签收参照民事诉讼法第八十八条）",
    "The postal item was signed for by {relation} on {date}: it arrived on {date} (SPC Limitation Provisions art. 8(1)(2); Civil Code art. 137(2); an adult family member's signature as Civil Procedure Law art. 88)",
  ),
  "confirmed-address": t(
    "邮件寄往收件人书面确认的送达地址，于{date}被拒收或退回，视为{date}送达（诉讼时效规定第八条第一款第二项“应当到达”；参照法院专递规定第十一条）",
    "Sent to the address the addressee confirmed in writing and refused or returned on {date}: deemed delivered on {date} (SPC Limitation Provisions art. 8(1)(2), \"should have reached\"; as the Court Express Mail Provisions art. 11)",
  ),
  "e-delivery-designated": t(
    "数据电文于{date}进入收件人指定的系统，{date}送达（民法典第一百三十七条第二款；诉讼时效规定第八条第一款第二项）",
    "The electronic message entered the system the addressee designated on {date}: delivered on {date} (Civil Code art. 137(2); SPC Limitation Provisions art. 8(1)(2))",
  ),
  "e-delivery-read": t(
    "数据电文发往收件人未指定的系统，收件人于{deliveredAt}知道该电文（已读），自该日送达（民法典第一百三十七条第二款）",
    "The electronic message went to a system the addressee did not designate; the addressee knew of it (opened it) on {deliveredAt}, so it was delivered then (Civil Code art. 137(2))",
  ),
  announcement: t(
    "收件人下落不明，于{date}在{medium}媒体刊登公告：诉讼时效自{date}中断（诉讼时效规定第八条第一款第四项）；通知与宽限期间自公告发出之日起经过三十日（{deliveredAt}）起算（参照民事诉讼法第九十五条）",
    "The addressee's whereabouts are unknown and the announcement appeared in a {medium} medium on {date}: limitation is interrupted on {date} (SPC Limitation Provisions art. 8(1)(4)); notice and cure periods run from thirty days after publication, {deliveredAt} (as Civil Procedure Law art. 95)",
  ),
  "post-not-signed": t(
    "邮件未签收（{outcome}），且未寄往收件人书面确认的送达地址，不能证明到达（诉讼时效规定第八条）",
    "The postal item was not signed for ({outcome}) and did not go to an address the addressee confirmed in writing: no proof it arrived (SPC Limitation Provisions art. 8)",
  ),
  "e-delivery-unread": t(
    "数据电文发往收件人未指定的系统，且无收件人知道该电文的证明，不能证明到达（民法典第一百三十七条第二款）",
    "The electronic message went to a system the addressee did not designate and nothing shows the addressee knew of it: not proven delivered (Civil Code art. 137(2))",
  ),
  "announcement-not-applicable": t(
    "公告仅在收件人下落不明、且在国家级或其住所地省级有影响的媒体刊登时才产生送达效力（诉讼时效规定第八条第一款第四项）；本公告不符合（资产管理公司的报纸公告另依法释〔2001〕12号第十条计算）",
    "An announcement delivers only when the addressee's whereabouts are unknown and it appeared in a national medium or an influential provincial one where the addressee lives (SPC Limitation Provisions art. 8(1)(4)); this one does not qualify (an AMC's newspaper announcement is a separate rule, Fa Shi [2001] No. 12 art. 10)",
  ),
  "signer-third-party": t(
    "签收人（{relation}）不是收件人一方，不能证明文书到达收件人（诉讼时效规定第八条）",
    "The signer ({relation}) is not on the addressee's side: no proof the document reached the addressee (SPC Limitation Provisions art. 8)",
  ),
  "confirmation-missing": t(
    "未找到本债权的送达地址确认书（或其已被改动），寄往该地址的退件不能视为送达",
    "No unaltered address confirmation of this claim was found: an item returned from that address is not deemed delivered",
  ),
  "confirmation-after-sending": t(
    "送达地址确认书签署于{confirmedAt}，晚于文书发出之日{sentAt}，不能使此前寄出的文书视为送达",
    "The address confirmation was signed on {confirmedAt}, after the document was sent on {sentAt}: it cannot make an earlier mailing count as delivered",
  ),
  "confirmation-other-address": t(
    "文书寄往的地址与送达地址确认书确认的地址不一致，不能视为送达",
    "The document went to an address other than the one confirmed: it is not deemed delivered",
  ),
  "confirmation-not-addressee": t(
    "送达地址确认书不是收件人一方签署的，不能约束收件人",
    "The address confirmation was not signed by the addressee's side: it does not bind the addressee",
  ),
  "before-sent": t(
    "送达凭证记载的日期{date}早于文书发出之日{sentAt}，不予计入",
    "The proof is dated {date}, before the document was sent on {sentAt}: not counted",
  ),
  "after-as-of": t("送达发生在基准日之后，截至基准日不予计入", "The delivery came after the as-of date: not counted as of then"),
  "other-claim": t("送达凭证属于另一笔债权，不予计入", "The proof belongs to another claim: not counted"),
  "not-a-notice": t("被送达的记录不是信函或通知（{kind}），不予计入", "The record it delivers is not a letter or notice ({kind}): not counted"),
  "unknown-notice": t("未找到该送达凭证所送达的文书记录，不予计入", "The document this proof delivers is not among the claim's records: not counted"),
  altered: t(
    "送达凭证在写入后被改动（哈希不符），不予计入（《人民法院在线诉讼规则》第十六条）",
    "The proof was changed after it was written (its hash does not match): not counted (Online Litigation Rules art. 16)",
  ),
  "notice-altered": t(
    "被送达的文书记录在写入后被改动（哈希不符），不予计入（《人民法院在线诉讼规则》第十六条）",
    "The document's record was changed after it was written: not counted (Online Litigation Rules art. 16)",
  ),
  "later-than-proven": t(
    "另有凭证证明该文书已于{earlier}送达；文书只送达一次，以最早的送达为准",
    "Another proof shows the document was delivered on {earlier}; a document is delivered once, the earliest proof decides",
  ),
};

const NAMES: Record<string, Record<string, Record<Lang, string>>> = {
  relation: {
    debtor: t("债务人本人", "the debtor"),
    "co-debtor": t("共同债务人", "a co-debtor"),
    guarantor: t("保证人", "the guarantor"),
    "legal-representative": t("法定代表人", "the legal representative"),
    "authorised-agent": t("授权代理人", "an authorised agent"),
    family: t("同住成年家属", "an adult family member"),
    employer: t("雇主", "the employer"),
    colleague: t("同事", "a colleague"),
    other: t("其他人", "someone else"),
    "": t("未载明", "not stated"),
  },
  medium: { national: t("全国性", "national"), provincial: t("省级", "provincial"), local: t("地方", "local") },
  outcome: { signed: t("已签收", "signed for"), refused: t("拒收", "refused"), returned: t("退回", "returned") },
};

/** The reason in `lang`, its {placeholders} filled from `vars` (names translated). */
export function deliveryReason(lang: Lang, reason: DeliveryReason, vars: Record<string, string> = {}): string {
  return DELIVERY_MESSAGES[reason][lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) return `{${name}}`;
    return NAMES[name]?.[value]?.[lang] ?? value;
  });
}

/** A notice or cure period from delivery, in words. */
export function noticeWaitText(lang: Lang, w: NoticeWait): string {
  if (w.status === "awaiting-delivery") {
    return lang === "en"
      ? `The ${w.days}-day period has not begun: it runs from proven delivery, and none is recorded (Civil Code art. 137(2))`
      : `${w.days}日期间尚未起算：期间自送达之日起计算，尚无送达证明（民法典第一百三十七条第二款）`;
  }
  const last = w.extendedTo ?? w.endsAt;
  return lang === "en"
    ? `Delivered on ${w.deliveredOn}; the ${w.days}-day period runs from the next day and ends on ${last}${w.extendedTo ? ` (moved from ${w.endsAt}, a rest day)` : ""} (Civil Code arts. 201, 203)`
    : `${w.deliveredOn}送达，${w.days}日期间自次日起算，至${last}届满${w.extendedTo ? `（${w.endsAt}为休息日，顺延）` : ""}（民法典第二百零一条、第二百零三条）`;
}
