/**
 * Where a claim may be pursued, and when collection must stop (issue 17, "Forums"). Pure: the facts and the
 * as-of day are arguments; results are language-neutral codes and dates, worded by src/i18n/forums.ts.
 *
 * Forums (民事诉讼法 = 2023年修正; 仲裁法 = 2017年修正):
 * - `litigation`: a suit in court — unless a valid arbitration agreement excludes it (仲裁法第五条);
 * - `arbitration`: only with a valid arbitration clause — a written intent to arbitrate, the matters, and a named
 *   commission (仲裁法第十六条; invalid under 第十七条). The award is final: no appeal, only 撤销 (第五十八条) or
 *   不予执行 (民事诉讼法第二百四十八条) (一裁终局, 仲裁法第九条);
 * - `payment-order` (支付令, 督促程序): a money claim due and certain, the creditor owing nothing in return, the debtor in
 *   China, not missing, so the order can be delivered (民事诉讼法第二百二十五条); a written objection ends it
 *   (第二百二十八条), so a debtor who disputes the debt makes it pointless;
 * - `security-realisation` (实现担保物权): a registered security whose value covers the claim well and is not
 *   itself disputed — the court rules on an application without a suit (民法典第四百一十条; 民事诉讼法第二百零七条、
 *   第二百零八条);
 * - `notarised-enforcement` (赋强公证 + 执行证书): a notarised instrument in which the debtor accepted enforcement
 *   goes to enforcement on the notary's 执行证书 (公证法第三十七条; 民事诉讼法第二百四十九条; 法释〔2018〕18号).
 * Enforcement accepts each forum's title ({@link ENFORCEMENT_TITLES}), applied for within two years
 * (民事诉讼法第二百五十条; core/limitation/enforcement.ts).
 *
 * A debtor in bankruptcy (企业破产法): once the court accepted the case, individual repayment is void (第十六条),
 * enforcement stops (第十九条) and suits pause (第二十条) — collection contacts are refused and the only forum is the
 * claim filed with the administrator within the court's deadline (30 days to 3 months from the announcement,
 * 第四十五条; 第四十八条); a late claim may still be filed before the final distribution, at the late creditor's cost
 * (第五十六条). A debtor's objection (异议) to the debt pauses collection until it is answered (民法典第五百四十八条 for
 * an assigned claim's defences; the banking association's collection guidelines).
 */
import { ValidationError } from "./errors.js";
import { addMonths, formatDay } from "./dates.js";
import { chinaDay } from "./input-fields.js";

export const FORUMS = ["litigation", "arbitration", "payment-order", "security-realisation", "notarised-enforcement"] as const;
export type Forum = (typeof FORUMS)[number];

/** Titles enforcement accepts, each with what makes it one. */
export const ENFORCEMENT_TITLES = {
  judgment: "《民事诉讼法》第二百四十七条（发生法律效力的判决书、裁定书、调解书）",
  "arbitral-award": "《民事诉讼法》第二百四十八条；《仲裁法》第六十二条",
  "payment-order": "《民事诉讼法》第二百二十七条第三款（债务人未异议又不履行的支付令）",
  "security-ruling": "《民事诉讼法》第二百零八条（拍卖、变卖担保财产的裁定）",
  "notarised-instrument": "《民事诉讼法》第二百四十九条；《公证法》第三十七条；法释〔2018〕18号（附执行证书）",
} as const;
export type EnforcementTitle = keyof typeof ENFORCEMENT_TITLES;

/** The title each forum ends in. */
export const TITLE_OF: Record<Forum, EnforcementTitle> = {
  litigation: "judgment", arbitration: "arbitral-award", "payment-order": "payment-order",
  "security-realisation": "security-ruling", "notarised-enforcement": "notarised-instrument",
};

/** Coverage (collateral value over the claim, basis points) from which a registered security is "well secured". */
export const WELL_SECURED_BPS = 12_000;

/** Days before the filing deadline from which it shows as expiring. */
export const FILING_EXPIRING_DAYS = 14;

export interface ArbitrationClause {
  /** The parties agreed in writing to arbitrate (请求仲裁的意思表示). */
  intent: boolean;
  /** The matters it covers include the loan's disputes (仲裁事项). */
  coversDisputes: boolean;
  /** The commission it names (选定的仲裁委员会); blank or absent → not named. */
  commission?: string;
  /** It also lets either side go to court (或裁或诉): invalid. */
  alsoCourt?: boolean;
}

export interface ForumFacts {
  /** A money claim (a loan is). */
  money: boolean;
  /** Due and of a certain amount. */
  dueAndCertain: boolean;
  /** The creditor owes a performance in return. */
  counterObligation: boolean;
  /** The debtor is in China and not missing: a payment order can be delivered. */
  debtorReachable: boolean;
  arbitration?: ArbitrationClause;
  /** Registered collateral: its coverage of the claim in basis points, and whether the security itself is disputed. */
  security?: { registered: boolean; coverageBps: number; disputed?: boolean };
  /** A notarised instrument with the debtor's acceptance of enforcement; whether the notary issued the 执行证书. */
  notarised?: { enforceable: boolean; certificate: boolean };
  /** The debtor objects to the debt (异议) and the objection is not answered. */
  objection?: boolean;
  /** The court accepted a bankruptcy case against the debtor. */
  bankruptcy?: { acceptedAt: string; announcedAt: string; filingDeadline: string; filedAt?: string };
}

export type ForumReason =
  | "available" | "clause-valid" | "clause-missing" | "clause-no-intent" | "clause-no-matters" | "clause-no-commission" | "clause-or-court"
  | "excluded-by-arbitration" | "not-money" | "not-due" | "counter-obligation" | "unreachable" | "objection-defeats"
  | "not-secured" | "not-registered" | "under-secured" | "security-disputed" | "not-notarised" | "certificate-missing" | "bankruptcy";

export interface ForumOption {
  forum: Forum;
  available: boolean;
  reason: ForumReason;
  /** The title it ends in, for enforcement. */
  title: EnforcementTitle;
  /** What a party may do against the result: appeal, or (arbitration) only 撤销/不予执行. */
  challenge: "appeal" | "set-aside-or-non-enforcement" | "objection" | "none";
  rule: string;
  vars: Record<string, string | number>;
}

export type FilingStatus = "filed" | "open" | "expiring" | "late";

export interface ForumAdvice {
  forums: ForumOption[];
  /** The forum advised, or "bankruptcy-claim" for a debtor in bankruptcy; undefined when none is available. */
  advised?: Forum | "bankruptcy-claim";
  /** Whether collection contacts may go ahead, and if not why. */
  collection: { allowed: true } | { allowed: false; reason: "debtor-in-bankruptcy" | "debtor-objection"; rule: string };
  /** The claim-filing deadline of a debtor in bankruptcy. */
  filing?: { deadline: string; status: FilingStatus; rule: string };
}

const RULES: Record<Forum, string> = {
  litigation: "《仲裁法》第五条（有效仲裁协议排除法院受理）",
  arbitration: "《仲裁法》第九条、第十六条、第十七条、第五十八条；《民事诉讼法》第二百四十八条",
  "payment-order": "《民事诉讼法》第二百二十五条至第二百二十八条",
  "security-realisation": "《民法典》第四百一十条；《民事诉讼法》第二百零七条、第二百零八条",
  "notarised-enforcement": "《公证法》第三十七条；《民事诉讼法》第二百四十九条；法释〔2018〕18号",
};
const BANKRUPTCY_RULE = "《企业破产法》第十六条、第十九条、第二十条、第四十五条、第四十八条、第五十六条";
const OBJECTION_RULE = "《民法典》第五百四十八条；中国银行业协会催收工作指引";

/** Whether an arbitration clause is valid (仲裁法第十六条、第十七条), and if not the first thing it lacks. */
export function clauseValidity(c: ArbitrationClause | undefined): { valid: boolean; reason: ForumReason } {
  if (!c) return { valid: false, reason: "clause-missing" };
  if (!c.intent) return { valid: false, reason: "clause-no-intent" };
  if (!c.coversDisputes) return { valid: false, reason: "clause-no-matters" };
  if (!c.commission?.trim()) return { valid: false, reason: "clause-no-commission" };
  if (c.alsoCourt) return { valid: false, reason: "clause-or-court" };
  return { valid: true, reason: "clause-valid" };
}

/** The claim-filing deadline's status as of `asOfDay` (企业破产法第四十五条、第四十八条、第五十六条). */
export function filingStatus(b: NonNullable<ForumFacts["bankruptcy"]>, asOfDay: number): { deadline: string; status: FilingStatus; rule: string } {
  const announced = chinaDay(b.announcedAt, "bankruptcy.announcedAt");
  const deadline = chinaDay(b.filingDeadline, "bankruptcy.filingDeadline");
  chinaDay(b.acceptedAt, "bankruptcy.acceptedAt");
  // 第四十五条: 自人民法院发布受理破产申请公告之日起计算，最短不得少于三十日，最长不得超过三个月.
  if (deadline < announced + 30 || deadline > addMonths(announced, 3)) throw new ValidationError("bankruptcy.filingDeadline", "30-days-to-3-months-after-announcement");
  const status: FilingStatus = b.filedAt !== undefined ? "filed"
    : asOfDay > deadline ? "late" : deadline - asOfDay <= FILING_EXPIRING_DAYS ? "expiring" : "open";
  return { deadline: formatDay(deadline), status, rule: "《企业破产法》第四十五条、第四十八条、第五十六条" };
}

/** Every forum with whether it is open to the claim and why; the one advised; whether collection may go on. */
export function adviseForums(f: ForumFacts, asOfDay: number): ForumAdvice {
  const clause = clauseValidity(f.arbitration);
  const opt = (forum: Forum, available: boolean, reason: ForumReason, vars: Record<string, string | number> = {}): ForumOption => ({
    forum, available, reason, title: TITLE_OF[forum], rule: RULES[forum], vars,
    challenge: forum === "litigation" ? "appeal" : forum === "arbitration" ? "set-aside-or-non-enforcement" : forum === "payment-order" ? "objection" : "none",
  });
  const bankrupt = f.bankruptcy !== undefined;
  const cov = f.security?.coverageBps ?? 0;
  const forums: ForumOption[] = [
    bankrupt ? opt("litigation", false, "bankruptcy") : clause.valid ? opt("litigation", false, "excluded-by-arbitration") : opt("litigation", true, "available"),
    bankrupt ? opt("arbitration", false, "bankruptcy") : opt("arbitration", clause.valid, clause.reason),
    bankrupt ? opt("payment-order", false, "bankruptcy")
      : !f.money ? opt("payment-order", false, "not-money")
      : !f.dueAndCertain ? opt("payment-order", false, "not-due")
      : f.counterObligation ? opt("payment-order", false, "counter-obligation")
      : !f.debtorReachable ? opt("payment-order", false, "unreachable")
      : f.objection ? opt("payment-order", false, "objection-defeats")
      : opt("payment-order", true, "available"),
    bankrupt ? opt("security-realisation", false, "bankruptcy")
      : !f.security ? opt("security-realisation", false, "not-secured")
      : !f.security.registered ? opt("security-realisation", false, "not-registered")
      : f.security.disputed ? opt("security-realisation", false, "security-disputed")
      : cov < WELL_SECURED_BPS ? opt("security-realisation", false, "under-secured", { coverage: `${(cov / 100).toFixed(0)}%`, threshold: `${WELL_SECURED_BPS / 100}%` })
      : opt("security-realisation", true, "available", { coverage: `${(cov / 100).toFixed(0)}%` }),
    bankrupt ? opt("notarised-enforcement", false, "bankruptcy")
      : !f.notarised?.enforceable ? opt("notarised-enforcement", false, "not-notarised")
      : opt("notarised-enforcement", true, f.notarised.certificate ? "available" : "certificate-missing"),
  ];
  if (bankrupt) {
    return {
      forums, advised: "bankruptcy-claim",
      collection: { allowed: false, reason: "debtor-in-bankruptcy", rule: BANKRUPTCY_RULE },
      filing: filingStatus(f.bankruptcy!, asOfDay),
    };
  }
  // The quickest road to a title first: a notarised instrument goes straight to enforcement; a well-secured claim to
  // the special procedure; an undisputed money claim to a payment order; then the forum the contract chose.
  const order: Forum[] = ["notarised-enforcement", "security-realisation", "payment-order", "arbitration", "litigation"];
  const advised = order.find((x) => forums.find((o) => o.forum === x)!.available);
  return {
    forums,
    ...(advised ? { advised } : {}),
    collection: f.objection ? { allowed: false, reason: "debtor-objection", rule: OBJECTION_RULE } : { allowed: true },
  };
}
