/**
 * Collection notices: the warning (逾期提醒函) and the formal demand (催收通知书 / 律师函 stage) a
 * case's clauses require before arbitration. Pure: everything in a notice is an argument, so the
 * same facts always render the same text and the same hash — a co-signing oracle can re-render and
 * check it, and a court can match the letter the debtor received to the commitment on chain.
 *
 * Each notice is one bilingual document (zh-CN first, then English): the letter that is sent is
 * exactly the text whose keccak256 is the evidence record's contentHash. That hash never goes on
 * chain: the template is public and the facts mostly are, so it hashes back from a name dictionary.
 * The report's noticeHash is the salted commitment keccak256(abi.encode(salt, contentHash))
 * (commitment.ts), the salt kept with the evidence record and carried in its proof bundle.
 */
import { contentHashOf } from "./evidence.js";
import { formatMinor } from "./money.js";
import { ValidationError } from "./errors.js";

export const NOTICE_TYPES = ["warning", "demand"] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export interface NoticeFacts {
  type: NoticeType;
  claimId: string;
  /** Loan contract number (借款合同编号). */
  contractNo?: string;
  /** Debtor's name as the letter is addressed; personal data, never on chain (only a salted commitment to the letter is). */
  debtorName?: string;
  /** Creditor (current holder) as it signs the letter. */
  creditor: string;
  /** Outstanding amount in fen. */
  outstanding: bigint;
  currency: string;
  daysPastDue: number;
  /** Date the figures are valid at, YYYY-MM-DD. */
  asOfDate: string;
  /** Days the debtor has to pay before the next step (the clause's noticeDays). */
  cureDays: number;
}

export interface RenderedNotice {
  type: NoticeType;
  text: string;
  /** keccak256 of the text's UTF-8 bytes: the evidence record's contentHash (off chain; the chain gets a salted commitment to it). */
  contentHash: string;
}

function money(fen: bigint, currency: string): string {
  const s = formatMinor(fen);
  const whole = s.length > 2 ? s.slice(0, -2) : "0";
  const cents = s.padStart(3, "0").slice(-2);
  return `${currency} ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/**
 * Renders a notice in zh-CN and English.
 * @throws ValidationError for a bad date, negative figures or an unknown type
 */
export function renderNotice(f: NoticeFacts): RenderedNotice {
  if (!(NOTICE_TYPES as readonly string[]).includes(f.type)) throw new ValidationError("type", `one-of:${NOTICE_TYPES.join("|")}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.asOfDate)) throw new ValidationError("asOfDate", "YYYY-MM-DD");
  if (f.outstanding < 0n) throw new ValidationError("outstanding", "non-negative");
  if (!Number.isInteger(f.daysPastDue) || f.daysPastDue < 0) throw new ValidationError("daysPastDue", "non-negative-integer");
  const amount = money(f.outstanding, f.currency);
  const to = f.debtorName ?? "借款人";
  const toEn = f.debtorName ?? "Borrower";
  const contract = f.contractNo ? `（借款合同编号 ${f.contractNo}）` : "";
  const contractEn = f.contractNo ? ` (loan contract ${f.contractNo})` : "";
  const zh = f.type === "warning"
    ? [
      "逾期还款提醒函",
      `${to}：`,
      `您${contract}项下的借款已逾期 ${f.daysPastDue} 天。截至 ${f.asOfDate}，尚欠本息合计 ${amount}。`,
      `请于本函发出之日起 ${f.cureDays} 日内归还全部逾期款项。`,
      "债权人依据借款合同及《中华人民共和国民法典》享有要求您按约还款、收取逾期利息及违约金的权利；本提醒函构成对诉讼时效的主张（《民法典》第一百九十五条）。",
      "如已还款，请忽略本函；如有异议或还款困难，请与债权人联系协商。",
    ]
    : [
      "催收通知书",
      `${to}：`,
      `您${contract}项下的借款已逾期 ${f.daysPastDue} 天，经提醒仍未归还。截至 ${f.asOfDate}，尚欠本息合计 ${amount}。`,
      `债权人正式要求您于本通知书发出之日起 ${f.cureDays} 日内清偿全部欠款。`,
      "逾期未清偿的，债权人将依据借款合同约定申请仲裁或提起诉讼，并申请处置抵押物及强制执行，由此产生的费用依约由您承担。",
      "本通知书构成对诉讼时效的主张（《民法典》第一百九十五条）。如有异议，请于期限内书面提出。",
    ];
  const en = f.type === "warning"
    ? [
      "Overdue payment reminder",
      `Dear ${toEn},`,
      `Your loan${contractEn} is ${f.daysPastDue} days overdue. As of ${f.asOfDate} you owe ${amount} in principal and interest.`,
      `Please repay all overdue amounts within ${f.cureDays} days of this letter.`,
      "Under the loan contract and the Civil Code of the PRC the creditor is entitled to repayment as agreed, default interest and penalties; this reminder asserts the claim and interrupts the limitation period (Civil Code art. 195).",
      "If you have already paid, please disregard this letter; if you dispute it or have difficulty paying, contact the creditor.",
    ]
    : [
      "Formal demand for payment",
      `Dear ${toEn},`,
      `Your loan${contractEn} is ${f.daysPastDue} days overdue and was not repaid after a reminder. As of ${f.asOfDate} you owe ${amount} in principal and interest.`,
      `The creditor formally demands full repayment within ${f.cureDays} days of this notice.`,
      "Failing that, the creditor will apply for arbitration or sue under the loan contract, seek the sale of the collateral and enforcement; the costs are yours as agreed.",
      "This notice asserts the claim and interrupts the limitation period (Civil Code art. 195). Any objection must be made in writing within the period.",
    ];
  const footer = [
    `债权人 / Creditor: ${f.creditor}`,
    `债权编号 / Claim: ${f.claimId}`,
    `日期 / Date: ${f.asOfDate}`,
  ];
  const text = [...zh, "", ...en, "", ...footer, ""].join("\n");
  return { type: f.type, text, contentHash: contentHashOf(text) };
}
