/**
 * What GET /v1/claims/:id/limitation says of each evidence record it read (`records[].note`), in zh-CN
 * and English, citing the rule. 诉讼时效规定 = 《最高人民法院关于审理民事案件适用诉讼时效制度若干问题的
 * 规定》（法释〔2008〕11号，2020年修正）.
 */
import type { Lang } from "./messages.js";
import type { RecordNote } from "../core/limitation/records.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const RECORD_NOTES: Record<RecordNote, Record<Lang, string>> = {
  "no-delivery-proof": t(
    "未记录送达证明（能证明其到达债务人的送达凭证记录），该催收不产生中断效力（诉讼时效规定第八条；民法典第一百三十七条）",
    "No proof of delivery recorded (a delivery-proof record showing it reached the debtor): the demand interrupts nothing (SPC Limitation Provisions art. 8; Civil Code art. 137)",
  ),
  "suit-end-unknown": t(
    "原始债权人陈述曾起诉、申请仲裁或支付令，但未记录程序终结日；诉讼时效自程序终结时起重新计算（民法典第一百九十五条），终结日不明，不予计入",
    "The originator states a suit, arbitration or payment-order application, but no end of the proceedings is recorded; the period restarts only when they end (Civil Code art. 195), so it is not counted",
  ),
  "not-a-demand-record": t(
    "电话、短信、上门记录不作为催收计入：催收须有到达债务人的证明（诉讼时效规定第八条）；债务人在其中承诺还款的，应登记为承诺还款",
    "A call, SMS or visit is not counted as a demand: a demand counts with proof it reached the debtor (SPC Limitation Provisions art. 8); a promise to pay made in it is recorded as a promise to pay",
  ),
  restructuring: t(
    "重组记录不单独计入；债务人签署的重组协议属同意履行义务，应登记为承诺还款（民法典第一百九十五条第二项）",
    "A restructuring record is not counted by itself; an agreement the debtor signed is an agreement to perform, recorded as a promise to pay (Civil Code art. 195(2))",
  ),
  "assignment-notice": t(
    "债权转让通知未登记送达凭证，不作为催收计入：载有催收内容的转让暨催收联合通知送达后方可中断时效（诉讼时效规定第八条）",
    "An assignment notice with no proof of delivery is not counted as a demand: a joint notice of transfer and collection interrupts once delivered (SPC Limitation Provisions art. 8)",
  ),
  "third-party": t(
    "对方既非债务人一方也非保证人，不产生中断效力（民法典第一百九十五条）",
    "The other side is neither the debtor's side nor a guarantor: it interrupts nothing (Civil Code art. 195)",
  ),
  "no-counterparty": t(
    "记录未载明对方当事人，不能证明向债务人主张或经其同意（民法典第一百九十五条）",
    "The record names no counterparty, so it proves no claim against, or agreement of, the debtor (Civil Code art. 195)",
  ),
  "other-event": t(
    "该事项不属于中断诉讼时效的事由（民法典第一百九十五条）",
    "The event is not one that interrupts limitation (Civil Code art. 195)",
  ),
  altered: t(
    "记录在写入后被改动（哈希不符），不能推定未经篡改，不予计入（《人民法院在线诉讼规则》第十六条）",
    "The record was changed after it was written (its hash does not match), so it cannot be presumed unaltered: not counted (Online Litigation Rules art. 16)",
  ),
};

export function recordNote(lang: Lang, note: RecordNote): string {
  return RECORD_NOTES[note][lang];
}
