/**
 * Collection notices: the warning (逾期还款提醒函) and the formal demand (催收通知书) a case's clauses require
 * before arbitration. Pure: everything in a notice is an argument, so the same facts always render the
 * same text and the same hash — a co-signing oracle can re-render and check it, and a court can match the
 * letter the debtor received to the commitment on chain.
 *
 * What a notice says (the review of issue 17; words in src/i18n/letters.ts):
 * - The Chinese letter is the operative text; an English translation follows it in the same document under
 *   a label saying it is a translation and that the Chinese text prevails.
 * - Amounts read "人民币123,456.78元", dates "2025年3月1日".
 * - The claim is itemised as of a date (principal, interest, default and compound interest, other charges —
 *   those given; they must add up to the total).
 * - A demand declares acceleration (提前到期) only where the contract allows it; otherwise it demands what is
 *   overdue and leaves the rest to its due dates.
 * - A demand names the repayment account (or tells the debtor to pay only into an account the creditor
 *   confirms in writing).
 * - The cure period runs from delivery ("自本函送达之日起…日内"): notice periods run from proven delivery.
 * - A demand threatens to enforce a mortgage only where there is collateral.
 * - The limitation period is interrupted from delivery and runs afresh ("本函送达之日起诉讼时效中断并重新计算",
 *   民法典第一百九十五条第一项) — not from sending, and a letter never delivered interrupts nothing.
 *
 * The whole document (Chinese letter, label, translation) is what is sent, and its keccak256 is the evidence
 * record's contentHash. That hash never goes on chain: the template is public and the facts mostly are, so
 * it hashes back from a name dictionary. The report's noticeHash is the salted commitment
 * keccak256(abi.encode(salt, contentHash)) (commitment.ts), the salt kept with the evidence record and
 * carried in its proof bundle.
 */
import { contentHashOf } from "./evidence.js";
import { ValidationError } from "./errors.js";
import { letterAmount, letterDate, letterText, TRANSLATION_LABEL, TRANSLATION_RULE, type LetterKey } from "../i18n/letters.js";
import type { Lang } from "../i18n/messages.js";

export const NOTICE_TYPES = ["warning", "demand"] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** Where the debtor is to pay. */
export interface RepaymentAccount {
  /** Account name (户名). */
  name: string;
  /** Bank and branch (开户行). */
  bank: string;
  /** Account number (账号). */
  number: string;
}

export interface NoticeFacts {
  type: NoticeType;
  claimId: string;
  /** Loan contract number (借款合同编号). */
  contractNo?: string;
  /** Debtor's name as the letter is addressed; personal data, never on chain (only a salted commitment to the letter is). */
  debtorName?: string;
  /** Creditor (current holder) as it signs the letter. */
  creditor: string;
  /** Everything owed at `asOfDate`, in fen. */
  outstanding: bigint;
  currency: string;
  daysPastDue: number;
  /** Date the figures are valid at, YYYY-MM-DD (the letter's date). */
  asOfDate: string;
  /** Days the debtor has to pay, counted from delivery (the clause's noticeDays). */
  cureDays: number;
  /** The claim itemised at `asOfDate`, fen; those given must add up to `outstanding`. */
  items?: { principal?: bigint; interest?: bigint; penaltyInterest?: bigint; compoundInterest?: bigint; fees?: bigint };
  /** What is overdue at `asOfDate` (installments due and unpaid), fen; what a demand asks for without acceleration. */
  overdue?: bigint;
  /** The loan contract lets the creditor declare the whole loan due (提前到期): only then does a demand say so. */
  accelerationAllowed?: boolean;
  /** The repayment account the letter names. */
  repaymentAccount?: RepaymentAccount;
  /** The claim is secured by collateral: only then does a demand mention enforcing the mortgage. */
  secured?: boolean;
}

export interface RenderedNotice {
  type: NoticeType;
  /** The document sent: the operative Chinese letter, the translation label, the English translation. */
  text: string;
  /** The operative Chinese letter alone. */
  zh: string;
  /** The English translation alone. */
  en: string;
  /** keccak256 of the text's UTF-8 bytes: the evidence record's contentHash (off chain; the chain gets a salted commitment to it). */
  contentHash: string;
}

const ITEM_KEYS = ["principal", "interest", "penaltyInterest", "compoundInterest", "fees"] as const;

function checkFacts(f: NoticeFacts): void {
  if (!(NOTICE_TYPES as readonly string[]).includes(f.type)) throw new ValidationError("type", `one-of:${NOTICE_TYPES.join("|")}`);
  letterDate("zh-CN", f.asOfDate, "asOfDate");
  if (f.outstanding < 0n) throw new ValidationError("outstanding", "non-negative");
  if (!Number.isInteger(f.daysPastDue) || f.daysPastDue < 0) throw new ValidationError("daysPastDue", "non-negative-integer");
  if (!Number.isInteger(f.cureDays) || f.cureDays < 1) throw new ValidationError("cureDays", "positive-integer");
  if (f.items) {
    let sum = 0n;
    for (const k of ITEM_KEYS) {
      const v = f.items[k];
      if (v === undefined) continue;
      if (v < 0n) throw new ValidationError(`items.${k}`, "non-negative");
      sum += v;
    }
    if (sum !== f.outstanding) throw new ValidationError("items", "must add up to outstanding");
  }
  if (f.overdue !== undefined && (f.overdue < 0n || f.overdue > f.outstanding)) throw new ValidationError("overdue", "between 0 and outstanding");
  const a = f.repaymentAccount;
  if (a !== undefined && ![a.name, a.bank, a.number].every((x) => typeof x === "string" && x.trim().length > 0)) {
    throw new ValidationError("repaymentAccount", "name, bank and number must not be blank");
  }
}

/** The notice's body in one language. */
function body(lang: Lang, f: NoticeFacts): string[] {
  const tx = (key: LetterKey, vars: Record<string, string | number> = {}) => letterText(lang, key, vars);
  const amount = (fen: bigint) => letterAmount(lang, fen, f.currency);
  const date = letterDate(lang, f.asOfDate);
  const contract = f.contractNo ? tx("contract", { contractNo: f.contractNo }) : "";
  const items = f.items && ITEM_KEYS.filter((k) => f.items![k] !== undefined);
  const claim = items && items.length > 0
    ? tx("claim.items", { date, amount: amount(f.outstanding), items: items.map((k) => tx(`item.${k}`, { amount: amount(f.items![k]!) })).join(tx("item.separator")) })
    : tx("claim.total", { date, amount: amount(f.outstanding) });
  const lines = [tx(`${f.type}.title`), tx("salutation", { to: f.debtorName ?? tx("to.default") })];
  if (f.type === "warning") {
    lines.push(
      tx("overdue", { contract, days: f.daysPastDue }) + claim,
      tx("warning.cure", { days: f.cureDays }),
      tx("warning.rights"),
      tx("warning.limitation"),
      tx("warning.closing"),
    );
  } else {
    const accelerate = f.accelerationAllowed === true;
    const partial = !accelerate && f.overdue !== undefined && f.overdue < f.outstanding;
    lines.push(tx("overdue.afterWarning", { contract, days: f.daysPastDue }) + claim);
    if (accelerate) lines.push(tx("demand.acceleration"));
    lines.push(
      partial ? tx("demand.overdueOnly", { days: f.cureDays, amount: amount(f.overdue!) }) : tx("demand.all", { days: f.cureDays, amount: amount(f.outstanding) }),
      f.repaymentAccount ? tx("demand.account", { ...f.repaymentAccount }) : tx("demand.accountDefault"),
      tx(f.secured === true ? "demand.consequence.secured" : "demand.consequence.unsecured"),
      tx("demand.limitation"),
      tx("demand.objection"),
    );
  }
  lines.push("", tx("sign.creditor", { creditor: f.creditor }), tx("sign.claim", { claimId: f.claimId }), tx("sign.date", { date }));
  return lines;
}

/**
 * Renders a notice: the operative Chinese letter, then its labelled English translation.
 * @throws ValidationError for a bad date, negative figures, items that do not add up, or an unknown type
 */
export function renderNotice(f: NoticeFacts): RenderedNotice {
  checkFacts(f);
  const zh = body("zh-CN", f).join("\n");
  const en = body("en", f).join("\n");
  const text = [zh, "", TRANSLATION_RULE, TRANSLATION_LABEL["zh-CN"], TRANSLATION_LABEL.en, TRANSLATION_RULE, "", en, ""].join("\n");
  return { type: f.type, text, zh, en, contentHash: contentHashOf(text) };
}
