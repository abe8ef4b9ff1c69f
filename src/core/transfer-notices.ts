/**
 * A transfer's letters, as the rules require (issue 17): one 债权转让暨催收联合通知书 per debtor and one per
 * guarantor of every claim sold, and optionally one newspaper 债权转让暨债务催收公告 listing them all. Pure: the
 * same facts always render the same text and hash, so the buyer, the seller and a court can each re-render a
 * letter and match it to its evidence record.
 *
 * What each notice says (words in src/i18n/transfer.ts):
 * - the assignment and its accessory rights (民法典第五百四十五条、第五百四十七条第一款), the 交割日 when given,
 *   the claim itemised as of the 基准日;
 * - to the debtor: the assignment binds from delivery, pay the assignee (第五百四十六条第一款); to a guarantor:
 *   the guarantee passes with the claim and binds from delivery (第五百四十七条第一款、第六百九十六条第一款), and for a
 *   joint guarantee the assignee calls on it (第六百八十八条第二款、第六百九十三条第二款);
 * - collection content (a cure period from delivery, the repayment account) and the limitation sentence "本通知送达
 *   之日起诉讼时效中断并重新计算" (第一百九十五条第一项): once delivered, it is a demand;
 * - to a natural person: the buyer's name and contact, and what personal information passed to it and why
 *   (个人信息保护法第二十二条、第二十三条).
 * The announcement interrupts limitation for every debtor it lists where an AMC holds the claims (法释〔2001〕12号
 * 第十条; core/limitation/steps.ts); `claimIds` names them, so each is recorded in its claim's evidence.
 */
import { contentHashOf } from "./evidence.js";
import { ValidationError } from "./errors.js";
import { letterAmount, letterDate, letterText, TRANSLATION_LABEL, TRANSLATION_RULE } from "../i18n/letters.js";
import { transferText, type TransferKey } from "../i18n/transfer.js";
import type { Lang } from "../i18n/messages.js";
import type { RepaymentAccount } from "./notices.js";

/** The parties and dates of a transfer. */
export interface TransferFacts {
  /** The seller as it signs (转让方). */
  transferor: string;
  /** The buyer as it signs (受让方). */
  transferee: string;
  /** The buyer's contact for debtors (phone, address): told to every natural person (个人信息保护法第二十三条). */
  transfereeContact: string;
  /** 基准日: the day the amounts are stated at, YYYY-MM-DD. */
  cutoffDate: string;
  /** 交割日: the day the claims passed, YYYY-MM-DD (optional). */
  deliveryDate?: string;
  /** The letter's date, YYYY-MM-DD. */
  date: string;
  /** Days to pay, counted from delivery. */
  cureDays: number;
  repaymentAccount?: RepaymentAccount;
  /** 银登中心 listing number of a listed transfer. */
  listingNo?: string;
}

export const AMOUNT_ITEMS = ["principal", "interest", "penaltyInterest", "compoundInterest", "fees"] as const;
export type AmountItem = (typeof AMOUNT_ITEMS)[number];

/** One claim sold, with what its letters name. Names are personal data: they live in the letters, off chain. */
export interface TransferredClaim {
  claimId: string;
  contractNo: string;
  debtor: { name: string; natural: boolean };
  guarantors?: Array<{ name: string; natural: boolean; type: "joint" | "general" }>;
  currency: string;
  /** The claim as of the 基准日, fen; principal is required. */
  amounts: Partial<Record<AmountItem, bigint>> & { principal: bigint };
}

/** One notice: to the debtor, or to the guarantor at `guarantor` (its index in the claim's list). */
export interface TransferNotice {
  claimId: string;
  party: "debtor" | "guarantor";
  guarantor?: number;
  addressee: string;
  /** The document sent: the operative Chinese letter, the translation label, the English translation. */
  text: string;
  zh: string;
  en: string;
  /** keccak256 of `text`: the evidence record's contentHash. */
  contentHash: string;
}

function checkFacts(f: TransferFacts): void {
  for (const k of ["transferor", "transferee", "transfereeContact"] as const) {
    if (typeof f[k] !== "string" || f[k].trim().length === 0) throw new ValidationError(k, "not-blank");
  }
  letterDate("zh-CN", f.cutoffDate, "cutoffDate");
  letterDate("zh-CN", f.date, "date");
  if (f.deliveryDate !== undefined) letterDate("zh-CN", f.deliveryDate, "deliveryDate");
  if (f.deliveryDate !== undefined && f.deliveryDate < f.cutoffDate) throw new ValidationError("deliveryDate", "not-before-cutoffDate");
  if (!Number.isInteger(f.cureDays) || f.cureDays < 1) throw new ValidationError("cureDays", "positive-integer");
}

function checkClaim(c: TransferredClaim, at: string): void {
  if (!c.contractNo?.trim()) throw new ValidationError(`${at}.contractNo`, "not-blank");
  if (!c.debtor?.name?.trim()) throw new ValidationError(`${at}.debtor.name`, "not-blank");
  for (const k of AMOUNT_ITEMS) {
    const v = c.amounts[k];
    if (v !== undefined && v < 0n) throw new ValidationError(`${at}.amounts.${k}`, "non-negative");
  }
  (c.guarantors ?? []).forEach((g, i) => {
    if (!g.name?.trim()) throw new ValidationError(`${at}.guarantors[${i}].name`, "not-blank");
  });
}

const total = (c: TransferredClaim) => AMOUNT_ITEMS.reduce((s, k) => s + (c.amounts[k] ?? 0n), 0n);

function lines(lang: Lang, f: TransferFacts, c: TransferredClaim, to: { name: string; natural: boolean; guarantee?: "joint" | "general" }): string[] {
  const tx = (key: TransferKey, vars: Record<string, string | number> = {}) => transferText(lang, key, vars);
  const amount = (fen: bigint) => letterAmount(lang, fen, c.currency);
  // The items as a demand letter names them (src/i18n/letters.ts).
  const items = AMOUNT_ITEMS.filter((k) => c.amounts[k] !== undefined).map((k) => letterText(lang, `item.${k}`, { amount: amount(c.amounts[k]!) })).join(letterText(lang, "item.separator"));
  const names = { transferor: f.transferor, transferee: f.transferee, debtor: c.debtor.name, contractNo: c.contractNo };
  const out = [
    tx("notice.title") + (f.listingNo ? tx("notice.listing", { listingNo: f.listingNo }) : ""),
    tx("salutation", { to: to.name }),
    tx("notice.assigned", { ...names, deliveryDate: f.deliveryDate ? tx("notice.deliveryDate", { date: letterDate(lang, f.deliveryDate) }) : "" })
      + tx("notice.amounts", { date: letterDate(lang, f.cutoffDate), items, total: amount(total(c)) }),
    to.guarantee
      ? tx("notice.guarantor.effect", { ...names, guarantee: tx(`guarantee.${to.guarantee}`) })
      : tx("notice.debtor.effect", names),
  ];
  // A general guarantor may refuse until the debtor's assets are exhausted (民法典第六百八十七条第二款): no demand on it.
  if (to.guarantee !== "general") {
    out.push(
      tx(to.guarantee === "joint" ? "notice.demand.joint" : "notice.demand", { days: f.cureDays }),
      f.repaymentAccount ? tx("notice.account", { ...f.repaymentAccount }) : tx("notice.accountDefault"),
      tx("notice.limitation"),
    );
  }
  if (to.natural) out.push(tx("notice.pipl", { transferee: f.transferee, contact: f.transfereeContact }));
  out.push("", tx("sign.transferor", names), tx("sign.transferee", names), tx("sign.date", { date: letterDate(lang, f.date) }));
  return out;
}

function document(zhLines: string[], enLines: string[]): { text: string; zh: string; en: string; contentHash: string } {
  const zh = zhLines.join("\n");
  const en = enLines.join("\n");
  const text = [zh, "", TRANSLATION_RULE, TRANSLATION_LABEL["zh-CN"], TRANSLATION_LABEL.en, TRANSLATION_RULE, "", en, ""].join("\n");
  return { text, zh, en, contentHash: contentHashOf(text) };
}

/**
 * One joint notice to the claim's debtor, then one to each of its guarantors, in order.
 * @throws ValidationError naming the field (a bad date, a blank name, a negative amount)
 */
export function transferNotices(f: TransferFacts, c: TransferredClaim, at = "claim"): TransferNotice[] {
  checkFacts(f);
  checkClaim(c, at);
  const debtor = { name: c.debtor.name, natural: c.debtor.natural };
  const out: TransferNotice[] = [{ claimId: c.claimId, party: "debtor", addressee: c.debtor.name, ...document(lines("zh-CN", f, c, debtor), lines("en", f, c, debtor)) }];
  (c.guarantors ?? []).forEach((g, i) => {
    const to = { name: g.name, natural: g.natural, guarantee: g.type };
    out.push({ claimId: c.claimId, party: "guarantor", guarantor: i, addressee: g.name, ...document(lines("zh-CN", f, c, to), lines("en", f, c, to)) });
  });
  return out;
}

export interface TransferAnnouncement {
  /** Every claim it lists: each gets an "announcement" evidence record. */
  claimIds: string[];
  text: string;
  zh: string;
  en: string;
  contentHash: string;
}

/**
 * The newspaper announcement of a transfer, listing every claim's borrower, guarantors, contract and amounts
 * at the 基准日. Amounts are in one currency per announcement.
 * @throws ValidationError naming the field; `claims` with mixed currencies or none
 */
export function transferAnnouncement(f: TransferFacts, claims: readonly TransferredClaim[]): TransferAnnouncement {
  checkFacts(f);
  if (claims.length === 0) throw new ValidationError("claims", "non-empty");
  claims.forEach((c, i) => checkClaim(c, `claims[${i}]`));
  const currency = claims[0]!.currency;
  if (claims.some((c) => c.currency !== currency)) throw new ValidationError("claims", "one-currency");
  const body = (lang: Lang) => {
    const tx = (key: TransferKey, vars: Record<string, string | number> = {}) => transferText(lang, key, vars);
    const figure = (fen: bigint | undefined) => letterAmount("en", fen ?? 0n, currency).replace(/^\S+ /, "");
    return [
      tx("announcement.title") + (f.listingNo ? tx("notice.listing", { listingNo: f.listingNo }) : ""),
      tx("announcement.body", { transferor: f.transferor, transferee: f.transferee }),
      tx("announcement.table", { date: letterDate(lang, f.cutoffDate), unit: currency === "CNY" ? tx("unit.CNY") : currency }),
      ...claims.map((c, i) => tx("announcement.row", {
        n: i + 1, debtor: c.debtor.name, contractNo: c.contractNo,
        guarantors: (c.guarantors ?? []).map((g) => g.name).join(lang === "en" ? ", " : "、") || tx("announcement.none"),
        principal: figure(c.amounts.principal), interest: figure((c.amounts.interest ?? 0n) + (c.amounts.penaltyInterest ?? 0n) + (c.amounts.compoundInterest ?? 0n)),
      })),
      tx("announcement.contact", { contact: f.transfereeContact }),
      "", tx("sign.transferor", { transferor: f.transferor }), tx("sign.transferee", { transferee: f.transferee }), tx("sign.date", { date: letterDate(lang, f.date) }),
    ];
  };
  return { claimIds: claims.map((c) => c.claimId), ...document(body("zh-CN"), body("en")) };
}
