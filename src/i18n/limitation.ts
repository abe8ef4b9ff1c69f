/**
 * The reasons a limitation result gives (POST /v1/limitation, `basis[].reason`), in zh-CN and English.
 * Each cites the article it applies. Short names used in the texts:
 * 诉讼时效规定 = 《最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定》（法释〔2008〕11号，2020年修正）;
 * 担保制度解释 = 《最高人民法院关于适用〈中华人民共和国民法典〉有关担保制度的解释》（法释〔2020〕28号）.
 * Keys are stable; texts use {placeholders}; {type}, {party}, {holiday} and {weekday} are translated.
 */
import type { Lang } from "./messages.js";

type Texts = Record<string, Record<Lang, string>>;
const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const LIMITATION_MESSAGES = {
  "start-maturity": t(
    "主债务履行期限于{date}届满，诉讼时效三年自次日起算（民法典第一百八十八条第一款、第二百零一条）",
    "The debt fell due on {date}; the three-year limitation period runs from the next day (Civil Code arts. 188(1), 201)",
  ),
  "start-installments": t(
    "分期履行的债务，诉讼时效自最后一期履行期限届满之日（{date}）起算三年（民法典第一百八十九条；诉讼时效规定第四条）",
    "A debt paid in installments: the three-year period runs from the last installment's due date, {date} (Civil Code art. 189; SPC Limitation Provisions art. 4)",
  ),
  "start-enforcement": t(
    "已有生效判决或裁决，适用申请执行期间而非诉讼时效：二年，自法律文书规定的履行期间最后一日（{date}）起算；其中止、中断适用诉讼时效的规定（民事诉讼法第二百五十条）",
    "A judgment or award exists, so the enforcement period applies instead of the limitation period: two years from the last day of performance it sets, {date}; it is suspended and interrupted as a limitation period is (Civil Procedure Law art. 250)",
  ),
  "demand-delivered": t(
    "{sentAt}发出的催收于{date}送达{party}，期间中断，自送达之日重新计算（民法典第一百九十五条第一项、第一百三十七条；诉讼时效规定第八条）",
    "A demand sent on {sentAt} was delivered to {party} on {date}: the period is interrupted and runs again from delivery (Civil Code arts. 195(1), 137; SPC Limitation Provisions art. 8)",
  ),
  "demand-undelivered": t(
    "{date}向{party}发出的催收没有送达证明，不产生中断效力：主张权利的文书须到达或者应当到达对方（诉讼时效规定第八条；民法典第一百三十七条）",
    "The demand to {party} of {date} has no proof of delivery and interrupts nothing: a demand counts only when it reached, or should have reached, the other side (SPC Limitation Provisions art. 8; Civil Code art. 137)",
  ),
  payment: t(
    "{party}于{date}还款（部分履行），属于同意履行义务，期间中断（民法典第一百九十五条第二项；诉讼时效规定第十四条）",
    "A payment by {party} on {date} (part performance) is agreeing to perform: the period is interrupted (Civil Code art. 195(2); SPC Limitation Provisions art. 14)",
  ),
  acknowledgement: t(
    "{party}于{date}承认债务或承诺还款，属于同意履行义务，期间中断（民法典第一百九十五条第二项；诉讼时效规定第十四条）",
    "An acknowledgement of the debt or promise to pay by {party} on {date}: the period is interrupted (Civil Code art. 195(2); SPC Limitation Provisions art. 14)",
  ),
  "suit-ended": t(
    "{date}对{party}起诉、申请仲裁或申请支付令，期间自提交之日中断；程序于{endedAt}终结，期间自该日重新计算（民法典第一百九十五条第三、四项；诉讼时效规定第十条、第十一条）",
    "A suit, arbitration or payment-order application against {party} on {date} interrupted the period on filing; the proceedings ended on {endedAt} and the period runs again from then (Civil Code art. 195(3)(4); SPC Limitation Provisions arts. 10, 11)",
  ),
  "suit-pending": t(
    "{date}对{party}起诉、申请仲裁或申请支付令，期间自提交之日中断；截至{asOf}程序尚未终结，期间不计算，终结后重新计算（民法典第一百九十五条第三、四项；诉讼时效规定第十条、第十一条）",
    "A suit, arbitration or payment-order application against {party} on {date} interrupted the period on filing; the proceedings had not ended by {asOf}, so the period does not run and starts again when they end (Civil Code art. 195(3)(4); SPC Limitation Provisions arts. 10, 11)",
  ),
  "enforcement-application-ended": t(
    "{date}申请强制执行，申请执行期间中断；执行程序于{endedAt}终结，自该日重新计算（民事诉讼法第二百五十条第一款；诉讼时效规定第十一条第五项）",
    "An application for enforcement on {date} interrupted the enforcement period; the enforcement proceedings ended on {endedAt} and the period runs again from then (Civil Procedure Law art. 250(1); SPC Limitation Provisions art. 11(5))",
  ),
  "enforcement-application-pending": t(
    "{date}申请强制执行，申请执行期间中断；截至{asOf}执行程序尚未终结，期间不计算（民事诉讼法第二百五十条第一款；诉讼时效规定第十一条第五项）",
    "An application for enforcement on {date} interrupted the enforcement period; the proceedings had not ended by {asOf}, so the period does not run (Civil Procedure Law art. 250(1); SPC Limitation Provisions art. 11(5))",
  ),
  "announcement-amc": t(
    "资产管理公司持有的债权：{date}在全国或省级有影响的报纸上发布的具有催收内容的公告，以公告之日为中断日，期间自该日重新计算（法释〔2001〕12号第十条；法〔2005〕62号）",
    "A claim held by an AMC: the newspaper announcement with collection content of {date} interrupts the period on the day it was published (SPC Interpretation Fa Shi [2001] No. 12 art. 10; SPC Notice Fa [2005] No. 62)",
  ),
  "announcement-not-amc": t(
    "{date}的公告不产生中断效力：以报纸公告中断诉讼时效的规定只适用于资产管理公司收购、处置的债权（法释〔2001〕12号第十条）；其他债权人只有在债务人下落不明时才能以公告主张权利（诉讼时效规定第八条第一款第四项），本请求未载明该情形",
    "The announcement of {date} interrupts nothing: interruption by newspaper announcement applies only to claims acquired by an AMC (Fa Shi [2001] No. 12 art. 10); any other creditor may announce only when the debtor cannot be found (SPC Limitation Provisions art. 8(1)(4)), which this request does not state",
  ),
  "other-party": t(
    "{date}的{type}针对{party}，不中断主债务的诉讼时效",
    "The {type} of {date} concerns {party}; it does not interrupt the main debt's period",
  ),
  "after-as-of": t("{date}的{type}晚于基准日{asOf}，不计入", "The {type} of {date} is after asOf ({asOf}) and is not counted"),
  "during-proceedings": t(
    "{date}的{type}发生在期间因诉讼或执行程序中断期间，没有额外效力",
    "The {type} of {date} happened while the period stood interrupted by proceedings; it adds nothing",
  ),
  "before-start": t(
    "{date}的{type}早于期间起算日{start}，没有可中断的期间",
    "The {type} of {date} came before the period began ({start}); there was nothing to interrupt",
  ),
  "after-expiry": t(
    "{date}的{type}发生在期间届满（{expiredOn}）之后，不能使已届满的期间中断",
    "The {type} of {date} came after the period had ended ({expiredOn}); an ended period cannot be interrupted",
  ),
  "payment-after-expiry": t(
    "期间已于{expiredOn}届满，{party}于{date}还款：已自愿履行的部分不得请求返还（民法典第一百九十二条第二款），但仅凭部分还款不能认定同意履行其余债务；债务人书面同意还款的，请作为承认债务登记",
    "The period had ended on {expiredOn}; {party} paid on {date}: what was paid voluntarily cannot be reclaimed (Civil Code art. 192(2)), but a part payment alone does not show agreement to pay the rest; record a written agreement to pay as an acknowledgement",
  ),
  "revived-by-acknowledgement": t(
    "期间已于{expiredOn}届满，但{party}于{date}同意履行，不得再以诉讼时效期间届满为由抗辩（民法典第一百九十二条第二款；诉讼时效规定第十九条），自该日重新计算",
    "The period had ended on {expiredOn}, but {party} agreed to pay on {date} and may no longer plead limitation (Civil Code art. 192(2); SPC Limitation Provisions art. 19); a new period runs from then",
  ),
  "pending-earliest": t(
    "程序尚未终结，到期日按程序于基准日{asOf}终结推算，是最早可能的日期（{earliest}），实际到期日更晚",
    "The proceedings have not ended; the end date assumes they ended on asOf ({asOf}) and is the earliest possible ({earliest}); the real one is later",
  ),
  "extended-holiday": t(
    "期间最后一日{date}在{holiday}假期（{from}至{to}）内，以假期结束的次日{extendedTo}为最后一日（民法典第二百零三条第一款）",
    "The last day, {date}, falls in the {holiday} holiday ({from} to {to}); the period ends on the day after the holiday, {extendedTo} (Civil Code art. 203(1))",
  ),
  "extended-weekend": t(
    "期间最后一日{date}是{weekday}（休息日），以休息日结束的次日{extendedTo}为最后一日（民法典第二百零三条第一款）",
    "The last day, {date}, is a {weekday} (a rest day); the period ends on the day after the rest days, {extendedTo} (Civil Code art. 203(1))",
  ),
  "calendar-weekends-only": t(
    "{years}年的法定节假日安排未收录（收录国务院办公厅2020—2026年节假日安排通知），该年仅按周末判断是否顺延",
    "The public holidays of {years} are not in the calendar (it holds the State Council's notices for 2020–2026); for that year only weekends are treated as rest days",
  ),
  "twenty-years": t(
    "自权利受到损害之日（{date}）起超过二十年（{cap}）的，人民法院不予保护，除非法院根据权利人的申请决定延长（民法典第一百八十八条第二款）；本期间晚于该日，请核实",
    "No protection more than twenty years after the right was harmed ({date}, so after {cap}) unless a court extends it on the creditor's application (Civil Code art. 188(2)); this period ends later — check it",
  ),
  "mortgage-follows-litigation": t(
    "抵押权人应当在主债权诉讼时效期间行使抵押权，未行使的，人民法院不予保护（民法典第四百一十九条；担保制度解释第四十四条第一款）：与主债权诉讼时效同于{date}届满",
    "A mortgage must be enforced within the main claim's limitation period or a court will not protect it (Civil Code art. 419; SPC Security Interpretation art. 44(1)): it ends with that period, on {date}",
  ),
  "mortgage-follows-enforcement": t(
    "主债权已有生效判决或裁决，未在申请执行期间内对债务人申请强制执行的，不得再向抵押人主张抵押权（担保制度解释第四十四条第一款；民法典第四百一十九条）：与申请执行期间同于{date}届满",
    "The main claim has a judgment or award: without an application for enforcement against the debtor within the enforcement period the mortgage can no longer be enforced (SPC Security Interpretation art. 44(1); Civil Code art. 419): it ends with that period, on {date}",
  ),
  "guarantee-agreed": t(
    "约定的保证期间至{date}届满（主债务履行期限届满日为{due}）（民法典第六百九十二条第二款）",
    "The agreed guarantee period ends on {date} (the main debt fell due on {due}) (Civil Code art. 692(2))",
  ),
  "guarantee-agreed-ignored": t(
    "约定的保证期间（至{agreed}）早于或者等于主债务履行期限（{due}）届满，视为没有约定（民法典第六百九十二条第二款）",
    "The agreed guarantee period (to {agreed}) ends on or before the main debt's due date ({due}) and counts as not agreed (Civil Code art. 692(2))",
  ),
  "guarantee-default": t(
    "保证期间为主债务履行期限届满之日（{due}）起六个月，至{date}届满（民法典第六百九十二条第二款）",
    "The guarantee period is six months from the main debt's due date ({due}), ending on {date} (Civil Code art. 692(2))",
  ),
  "guarantee-after-period": t(
    "{date}的{type}发生在保证期间届满（{end}）之后：债权人未在保证期间内依法行使权利的，保证责任消灭（民法典第六百九十三条），此后保证人在催收通知书上签字也不恢复（担保制度解释第三十四条第二款）",
    "The {type} of {date} came after the guarantee period ended ({end}): a guarantee not claimed within its period is extinguished (Civil Code art. 693), and a guarantor's later signature on a demand does not revive it (SPC Security Interpretation art. 34(2))",
  ),
  "guarantee-before-period": t(
    "{date}的{type}早于主债务履行期限届满（{due}），不计为在保证期间内行使权利",
    "The {type} of {date} came before the main debt fell due ({due}); it does not count as claiming within the guarantee period",
  ),
  "guarantee-joint-preserved": t(
    "连带责任保证：债权人于{date}在保证期间（至{end}）内请求保证人承担保证责任（{type}），保证人不能以保证期间届满免责（民法典第六百九十三条第二款）；保证债务的诉讼时效自该日起算（第六百九十四条第二款）",
    "Joint guarantee: on {date}, within the guarantee period (to {end}), the creditor asked the guarantor to perform ({type}), so the guarantee is kept (Civil Code art. 693(2)); the guarantee debt's limitation period runs from that day (art. 694(2))",
  ),
  "guarantee-general-preserved": t(
    "一般保证：债权人于{date}在保证期间（至{end}）内对债务人提起诉讼或者申请仲裁，保证人不能以保证期间届满免责（民法典第六百九十三条第一款）；但起诉或仲裁申请撤回后未在保证期间内再次提起的，不能保全（担保制度解释第三十一条第一款）",
    "General guarantee: on {date}, within the guarantee period (to {end}), the creditor sued the debtor or applied for arbitration, so the guarantee is kept (Civil Code art. 693(1)) — unless the suit or application was withdrawn and not brought again within the period (SPC Security Interpretation art. 31(1))",
  ),
  "guarantee-undelivered": t(
    "{date}向保证人发出的催收没有送达证明，不构成在保证期间内的请求（民法典第一百三十七条、第六百九十三条）",
    "The demand to the guarantor of {date} has no proof of delivery and is not a request within the guarantee period (Civil Code arts. 137, 693)",
  ),
  "guarantee-announcement": t(
    "{date}的公告不计为在保证期间内向保证人提出的请求（保守处理：民法典第六百九十三条要求向保证人请求）",
    "The announcement of {date} is not counted as a request to the guarantor within the guarantee period (conservative: Civil Code art. 693 asks for a request to the guarantor)",
  ),
  "guarantee-joint-needs-request": t(
    "连带责任保证只因债权人在保证期间内请求保证人承担保证责任而保全（民法典第六百九十三条第二款）；{date}的{type}本身不是这样的请求，请登记其所回应的、已送达的催收",
    "A joint guarantee is kept only by the creditor's request to the guarantor within the period (Civil Code art. 693(2)); the {type} of {date} is not itself such a request — record the delivered demand it answered",
  ),
  "guarantee-general-suit-guarantor": t(
    "一般保证：{date}仅起诉保证人而未起诉债务人的，人民法院应当驳回起诉（担保制度解释第二十六条第一款），不能保全保证期间",
    "General guarantee: suing only the guarantor on {date}, not the debtor, is dismissed (SPC Security Interpretation art. 26(1)) and does not keep the guarantee",
  ),
  "guarantee-general-needs-suit": t(
    "一般保证只因债权人在保证期间内对债务人提起诉讼或者申请仲裁而保全（民法典第六百九十三条第一款）；{date}的{type}不能保全",
    "A general guarantee is kept only by suing the debtor or applying for arbitration within the period (Civil Code art. 693(1)); the {type} of {date} does not keep it",
  ),
  "guarantee-no-interruption": t(
    "保证期间不发生中止、中断和延长（民法典第六百九十二条第一款）；本结果也不按第二百零三条顺延",
    "The guarantee period is never suspended, interrupted or extended (Civil Code art. 692(1)); this result does not move it past rest days under art. 203 either",
  ),
  "guarantee-general-not-started": t(
    "一般保证的保证债务诉讼时效自保证人拒绝承担保证责任的权利（先诉抗辩权）消灭之日起算（民法典第六百八十七条第二款、第六百九十四条第一款；担保制度解释第二十八条：终结本次执行或终结执行裁定送达债权人之日，或法院收到申请执行书满一年之日）；本请求不含这些事实，到期日按该权利于基准日{asOf}消灭推算，是最早可能的日期（{earliest}）",
    "A general guarantee's limitation period runs only from when the guarantor's right to insist the debtor be pursued first ends (Civil Code arts. 687(2), 694(1); SPC Security Interpretation art. 28: the ruling ending enforcement against the debtor served on the creditor, or one year after the court received the enforcement application); this request does not carry those facts, so the end date assumes that right ended on asOf ({asOf}) and is the earliest possible ({earliest})",
  ),
  "guarantee-debtor-defence": t(
    "主债务诉讼时效已于{date}届满：保证人可以主张债务人对债权人的时效抗辩（民法典第七百零一条；诉讼时效规定第十八条）",
    "The main debt's limitation period ended on {date}: the guarantor may plead the debtor's limitation defence (Civil Code art. 701; SPC Limitation Provisions art. 18)",
  ),
} as const satisfies Texts;

export type LimitationMessageKey = keyof typeof LIMITATION_MESSAGES;

/** Names the texts fill in for {type}, {party}, {holiday} and {weekday}. */
const NAMES: Record<string, Record<string, Record<Lang, string>>> = {
  type: {
    demand: t("催收", "demand"),
    payment: t("还款", "payment"),
    acknowledgement: t("承认债务或承诺还款", "acknowledgement or promise to pay"),
    suit: t("起诉、仲裁或支付令申请", "suit, arbitration or payment-order application"),
    announcement: t("报纸公告", "newspaper announcement"),
  },
  party: { debtor: t("债务人", "the debtor"), guarantor: t("保证人", "the guarantor") },
  holiday: {
    "new-year": t("元旦", "New Year's Day"),
    "spring-festival": t("春节", "Spring Festival"),
    qingming: t("清明节", "Qingming"),
    "labour-day": t("劳动节", "Labour Day"),
    "dragon-boat": t("端午节", "Dragon Boat Festival"),
    "mid-autumn": t("中秋节", "Mid-Autumn Festival"),
    "national-day": t("国庆节", "National Day"),
    "national-day-mid-autumn": t("国庆节、中秋节", "National Day and Mid-Autumn Festival"),
  },
  weekday: { "6": t("星期六", "Saturday"), "0": t("星期日", "Sunday") },
};

/**
 * The reason `key` in `lang`, its {placeholders} filled from `vars` (names translated).
 * @throws Error for a key that has no text (a programming error, caught by the tests)
 */
export function limitationReason(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const texts = (LIMITATION_MESSAGES as Texts)[key];
  if (!texts) throw new Error(`no limitation text for ${key}`);
  return texts[lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) return `{${name}}`;
    return NAMES[name]?.[String(value)]?.[lang] ?? String(value);
  });
}
