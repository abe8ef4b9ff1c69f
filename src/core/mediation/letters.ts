/** The settlement offer letter and the acceptance record: the operative Chinese text, then its English translation. */
import { formatDay, parseDay } from "../dates.js";
import { contentHashOf } from "../evidence.js";
import { ValidationError } from "../errors.js";
import { letterAmount, letterDate, TRANSLATION_LABEL, TRANSLATION_RULE } from "../../i18n/letters.js";
import type { Lang } from "../../i18n/messages.js";
import { OFFER_TYPES_EN, OFFER_TYPES_ZH, type SettlementPlan } from "./types.js";

/** Basis points as a percentage with one decimal, as letters and reasons write it: 1250 → "12.5%". */
export const pct = (bps: number) => `${(bps / 100).toFixed(1)}%`;

// Letters

export interface OfferLetterFacts {
  plan: SettlementPlan;
  planHash: string;
  /** Loan contract number (借款合同编号). */
  contractNo?: string;
  /** Debtor's name as addressed; personal data, never on chain (only the letter's hash is). */
  debtorName?: string;
  /** Creditor (current holder) as it signs. */
  creditor: string;
  daysPastDue: number;
}

export interface RenderedLetter {
  text: string;
  /** keccak256 of the text's UTF-8 bytes: the evidence record's contentHash. */
  contentHash: string;
}

/** The letters' amount and date, in a language (src/i18n/letters.ts): "人民币850,000.00元", "2026年4月15日". */
function words(lang: Lang, currency: string) {
  return { money: (fen: bigint | string) => letterAmount(lang, BigInt(fen), currency), day: (d: string) => letterDate(lang, d) };
}

function schedule(lang: Lang, plan: SettlementPlan): string[] {
  const w = words(lang, plan.currency);
  return plan.installments.map((i) => `  ${String(i.n).padStart(2, " ")}. ${w.day(i.dueDate)}  ${w.money(i.amount)}`);
}

/** The operative Chinese letter, then its labelled English translation (as the notices: the Chinese text prevails). */
function document(zh: string[], en: string[]): string {
  return [...zh, "", TRANSLATION_RULE, TRANSLATION_LABEL["zh-CN"], TRANSLATION_LABEL.en, TRANSLATION_RULE, "", ...en, ""].join("\n");
}

/**
 * The settlement offer letter (和解方案通知书): the operative Chinese letter, then its labelled English
 * translation, naming the plan's hash so the debtor's acceptance and the on-chain restructuring refer to
 * exactly this plan. Amounts read "人民币…元", dates "2026年4月15日".
 * @throws ValidationError for a bad plan hash or a negative days-past-due
 */
export function renderOfferLetter(f: OfferLetterFacts): RenderedLetter {
  if (!/^0x[0-9a-f]{64}$/.test(f.planHash)) throw new ValidationError("planHash", "bytes32-hex-lowercase");
  if (!Number.isInteger(f.daysPastDue) || f.daysPastDue < 0) throw new ValidationError("daysPastDue", "non-negative-integer");
  const p = f.plan;
  const zw = words("zh-CN", p.currency);
  const ew = words("en", p.currency);
  const to = f.debtorName ?? "借款人";
  const toEn = f.debtorName ?? "Borrower";
  const contract = f.contractNo ? `（借款合同编号：${f.contractNo}）` : "";
  const contractEn = f.contractNo ? ` (loan contract ${f.contractNo})` : "";
  const lump = p.type === "lump-sum";
  const n = p.installments.length;
  const zh = [
    "和解方案通知书",
    `${to}：`,
    `您${contract}项下的借款已逾期${f.daysPastDue}天。截至${zw.day(p.issuedOn)}，您尚欠本息合计${zw.money(p.outstanding)}。`,
    lump
      ? `为尽快解决债务，债权人提出一次性清偿方案：您于${zw.day(p.installments[0]!.dueDate)}前一次性支付${zw.money(p.total)}，债权人同意减免${zw.money(p.forgiven)}（${pct(p.discountBps)}）。`
      : `为尽快解决债务，债权人提出分期还款方案：您分${n}期按月支付合计${zw.money(p.total)}${p.discountBps > 0 ? `，全部按期付清后债权人减免${zw.money(p.forgiven)}（${pct(p.discountBps)}）` : ""}。还款计划如下：`,
    ...(lump ? [] : schedule("zh-CN", p)),
    `本方案有效期至${zw.day(p.validUntil)}；接受本方案即视为同意上述条件。`,
    "如未按期足额支付任一期款项，本方案自动终止，减免不再适用，债权人有权就原债权扣除已付款项后的余额恢复催收及法律程序。",
    `方案编号（哈希）：${f.planHash}`,
    "",
    `债权人：${f.creditor}`,
    `债权编号：${p.claimId}`,
    `日期：${zw.day(p.issuedOn)}`,
  ];
  const en = [
    "Settlement offer",
    `Dear ${toEn},`,
    `Your loan${contractEn} is ${f.daysPastDue} days overdue. As of ${ew.day(p.issuedOn)} you owe ${ew.money(p.outstanding)} in principal and interest.`,
    lump
      ? `To settle the debt, the creditor offers a lump-sum settlement: if you pay ${ew.money(p.total)} in one payment by ${ew.day(p.installments[0]!.dueDate)}, the creditor forgives ${ew.money(p.forgiven)} (${pct(p.discountBps)}).`
      : `To settle the debt, the creditor offers an installment plan: ${n} monthly installments totalling ${ew.money(p.total)}${p.discountBps > 0 ? `; once all are paid on time the creditor forgives ${ew.money(p.forgiven)} (${pct(p.discountBps)})` : ""}. The schedule:`,
    ...(lump ? [] : schedule("en", p)),
    `This offer is open until ${ew.day(p.validUntil)}; accepting it means agreeing to these terms.`,
    "If any installment is not paid in full when due, the plan ends, the discount lapses, and the creditor may resume collection and legal steps for the original claim less what was paid.",
    `Plan reference (hash): ${f.planHash}`,
    "",
    `Creditor: ${f.creditor}`,
    `Claim: ${p.claimId}`,
    `Date: ${ew.day(p.issuedOn)}`,
  ];
  const text = document(zh, en);
  return { text, contentHash: contentHashOf(text) };
}

export interface AcceptanceFacts {
  plan: SettlementPlan;
  planHash: string;
  offerId: string;
  debtorName?: string;
  creditor: string;
  /** Day the debtor accepted, YYYY-MM-DD. */
  acceptedOn: string;
  /** How the acceptance was given (channel of the evidence record). */
  channel: string;
}

/**
 * The debtor's acceptance as recorded (和解方案确认书): the operative Chinese text, then its labelled English
 * translation, naming the plan's hash.
 * @throws ValidationError for a bad date or plan hash
 */
export function renderAcceptance(f: AcceptanceFacts): RenderedLetter {
  if (!/^0x[0-9a-f]{64}$/.test(f.planHash)) throw new ValidationError("planHash", "bytes32-hex-lowercase");
  const day = formatDay(parseDay(f.acceptedOn, "acceptedOn"));
  const p = f.plan;
  const zw = words("zh-CN", p.currency);
  const ew = words("en", p.currency);
  const who = f.debtorName ?? "借款人";
  const whoEn = f.debtorName ?? "The borrower";
  const n = p.installments.length;
  const zh = [
    "和解方案确认书",
    `${who}于${zw.day(day)}通过${f.channel}确认接受债权人于${zw.day(p.issuedOn)}提出的${OFFER_TYPES_ZH[p.type]}方案：共${n}期，合计${zw.money(p.total)}，首期${zw.day(p.installments[0]!.dueDate)}，末期${zw.day(p.installments[n - 1]!.dueDate)}。`,
    "债务人知悉：任一期未按期足额支付，方案终止，减免不再适用。",
    `方案编号（哈希）：${f.planHash}`,
    "",
    `债权人：${f.creditor}`,
    `债权编号：${p.claimId}`,
    `要约编号：${f.offerId}`,
  ];
  const en = [
    "Acceptance of settlement",
    `${whoEn} accepted on ${ew.day(day)} (via ${f.channel}) the creditor's ${OFFER_TYPES_EN[p.type]} of ${ew.day(p.issuedOn)}: ${n} installment(s) totalling ${ew.money(p.total)}, first due ${ew.day(p.installments[0]!.dueDate)}, last due ${ew.day(p.installments[n - 1]!.dueDate)}.`,
    "The debtor understands that if any installment is not paid in full when due, the plan ends and the discount lapses.",
    `Plan reference (hash): ${f.planHash}`,
    "",
    `Creditor: ${f.creditor}`,
    `Claim: ${p.claimId}`,
    `Offer: ${f.offerId}`,
  ];
  const text = document(zh, en);
  return { text, contentHash: contentHashOf(text) };
}
