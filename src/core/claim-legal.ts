/**
 * A claim's legal terms, optional at registration (issue 17) so that today's clients keep working: the contract's
 * rates, the repayment schedule, the guarantors, an arbitration clause, a notarised enforceable instrument, the
 * repayment account and acceleration clause a demand names, and the debtor's bankruptcy or objection (异议). They
 * stay off chain with the claim's record (names and ID numbers are personal data); the limitation periods, the
 * forums, the letters and the collection rules read them. Pure checks: each refusal names `legal.<field>` and a rule.
 */
import { ValidationError } from "./errors.js";
import { dayOf } from "./dates.js";
import { filingStatus, type ArbitrationClause, type ForumFacts } from "./forums.js";
import type { GuaranteeType } from "./limitation/types.js";

export interface Guarantor {
  name: string;
  idNumber?: string;
  type: GuaranteeType;
  /** The agreed end of the guarantee period, YYYY-MM-DD (else six months from the due date, 民法典第六百九十二条). */
  periodEndsAt?: string;
  /** A natural person (the transfer notice then carries the PIPL paragraph); default true. */
  natural?: boolean;
}

export interface LegalTerms {
  /** The contract's rates: annual rate and the penalty markup (30–50%, 银发〔2003〕251号), in basis points. */
  rates?: { annualRateBps: number; penaltyMarkupBps?: number; compound?: boolean };
  /** Installment due dates, YYYY-MM-DD, ascending; the last one not after the maturity (诉讼时效规定第四条). */
  installments?: string[];
  guarantors?: Guarantor[];
  arbitrationClause?: ArbitrationClause;
  notarised?: { enforceable: boolean; certificate: boolean };
  /** The contract lets the creditor declare the whole loan due (提前到期). */
  accelerationAllowed?: boolean;
  repaymentAccount?: { name: string; bank: string; number: string };
  /** The court accepted a bankruptcy case against the debtor (企业破产法第十六、四十五、四十八条). */
  bankruptcy?: { acceptedAt: string; announcedAt: string; filingDeadline: string; filedAt?: string };
  /** The debtor disputes the debt and the objection is not answered yet. */
  objection?: boolean;
}

const KEYS = ["rates", "installments", "guarantors", "arbitrationClause", "notarised", "accelerationAllowed", "repaymentAccount", "bankruptcy", "objection"];
const MAX_INSTALLMENTS = 600;
const MAX_GUARANTORS = 20;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function only(o: Record<string, unknown>, keys: readonly string[], at: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new ValidationError(`${at}.${k}`, "unknown-field");
}
function bool(v: unknown, at: string, required = true): boolean | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "boolean") throw new ValidationError(at, "boolean");
  return v;
}
function text(v: unknown, at: string, max = 200, required = true): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v.trim().length === 0 || v.length > max) throw new ValidationError(at, `text-1-${max}`);
  return v;
}
function day(v: unknown, at: string, required = true): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || !Number.isFinite(dayOf(v))) throw new ValidationError(at, "date-YYYY-MM-DD");
  return v;
}
function int(v: unknown, at: string, min: number, max: number, rule = `integer-${min}-${max}`): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new ValidationError(at, rule);
  return v;
}

/**
 * Checks `legal` of a claim request and returns it in its one spelling.
 * @param maturityAt the claim's maturity as the request gives it (YYYY-MM-DD or an ISO date-time)
 * @param prefix field path of the request, e.g. "claims[3]"
 * @throws ValidationError naming `legal.<field>` and the rule
 */
export function parseLegalTerms(input: unknown, maturityAt: string, prefix = ""): LegalTerms {
  const at = prefix ? `${prefix}.legal` : "legal";
  if (!isObj(input)) throw new ValidationError(at, "object");
  only(input, KEYS, at);
  const out: LegalTerms = {};
  if (input.rates !== undefined) {
    const r = input.rates;
    if (!isObj(r)) throw new ValidationError(`${at}.rates`, "object");
    only(r, ["annualRateBps", "penaltyMarkupBps", "compound"], `${at}.rates`);
    out.rates = { annualRateBps: int(r.annualRateBps, `${at}.rates.annualRateBps`, 0, 100_000) };
    if (r.penaltyMarkupBps !== undefined) out.rates.penaltyMarkupBps = int(r.penaltyMarkupBps, `${at}.rates.penaltyMarkupBps`, 3000, 5000, "pboc-30-50");
    if (r.compound !== undefined) out.rates.compound = bool(r.compound, `${at}.rates.compound`);
  }
  if (input.installments !== undefined) {
    const list = input.installments;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_INSTALLMENTS) throw new ValidationError(`${at}.installments`, `array-1-${MAX_INSTALLMENTS}`);
    list.forEach((d, i) => day(d, `${at}.installments[${i}]`));
    for (let i = 1; i < list.length; i++) if (list[i] <= list[i - 1]) throw new ValidationError(`${at}.installments[${i}]`, "ascending");
    if ((list.at(-1) as string) > maturityAt.slice(0, 10)) throw new ValidationError(`${at}.installments[${list.length - 1}]`, "not-after-maturityAt");
    out.installments = list as string[];
  }
  if (input.guarantors !== undefined) {
    const list = input.guarantors;
    if (!Array.isArray(list) || list.length > MAX_GUARANTORS) throw new ValidationError(`${at}.guarantors`, `array-0-${MAX_GUARANTORS}`);
    out.guarantors = list.map((g, i) => {
      const f = `${at}.guarantors[${i}]`;
      if (!isObj(g)) throw new ValidationError(f, "object");
      only(g, ["name", "idNumber", "type", "periodEndsAt", "natural"], f);
      if (g.type !== "joint" && g.type !== "general") throw new ValidationError(`${f}.type`, "one-of:joint|general");
      return {
        name: text(g.name, `${f}.name`)!, type: g.type,
        ...(g.idNumber !== undefined ? { idNumber: text(g.idNumber, `${f}.idNumber`, 64)! } : {}),
        ...(g.periodEndsAt !== undefined ? { periodEndsAt: day(g.periodEndsAt, `${f}.periodEndsAt`)! } : {}),
        ...(g.natural !== undefined ? { natural: bool(g.natural, `${f}.natural`)! } : {}),
      };
    });
  }
  if (input.arbitrationClause !== undefined) {
    const c = input.arbitrationClause;
    const f = `${at}.arbitrationClause`;
    if (!isObj(c)) throw new ValidationError(f, "object");
    only(c, ["intent", "coversDisputes", "commission", "alsoCourt"], f);
    out.arbitrationClause = {
      intent: bool(c.intent, `${f}.intent`)!, coversDisputes: bool(c.coversDisputes, `${f}.coversDisputes`)!,
      ...(c.commission !== undefined ? { commission: text(c.commission, `${f}.commission`)! } : {}),
      ...(c.alsoCourt !== undefined ? { alsoCourt: bool(c.alsoCourt, `${f}.alsoCourt`)! } : {}),
    };
  }
  if (input.notarised !== undefined) {
    const n = input.notarised;
    if (!isObj(n)) throw new ValidationError(`${at}.notarised`, "object");
    only(n, ["enforceable", "certificate"], `${at}.notarised`);
    out.notarised = { enforceable: bool(n.enforceable, `${at}.notarised.enforceable`)!, certificate: bool(n.certificate, `${at}.notarised.certificate`)! };
  }
  if (input.accelerationAllowed !== undefined) out.accelerationAllowed = bool(input.accelerationAllowed, `${at}.accelerationAllowed`);
  if (input.repaymentAccount !== undefined) {
    const a = input.repaymentAccount;
    if (!isObj(a)) throw new ValidationError(`${at}.repaymentAccount`, "object");
    only(a, ["name", "bank", "number"], `${at}.repaymentAccount`);
    out.repaymentAccount = { name: text(a.name, `${at}.repaymentAccount.name`)!, bank: text(a.bank, `${at}.repaymentAccount.bank`)!, number: text(a.number, `${at}.repaymentAccount.number`, 64)! };
  }
  if (input.bankruptcy !== undefined) out.bankruptcy = parseBankruptcy(input.bankruptcy, `${at}.bankruptcy`);
  if (input.objection !== undefined) out.objection = bool(input.objection, `${at}.objection`);
  return out;
}

/** A bankruptcy's dates, checked as 企业破产法第四十五条 requires (the deadline 30 days to 3 months after the announcement). */
export function parseBankruptcy(b: unknown, at: string): NonNullable<LegalTerms["bankruptcy"]> {
  if (!isObj(b)) throw new ValidationError(at, "object");
  only(b, ["acceptedAt", "announcedAt", "filingDeadline", "filedAt"], at);
  const out = {
    acceptedAt: day(b.acceptedAt, `${at}.acceptedAt`)!, announcedAt: day(b.announcedAt, `${at}.announcedAt`)!,
    filingDeadline: day(b.filingDeadline, `${at}.filingDeadline`)!, ...(b.filedAt !== undefined ? { filedAt: day(b.filedAt, `${at}.filedAt`)! } : {}),
  };
  if (out.announcedAt < out.acceptedAt) throw new ValidationError(`${at}.announcedAt`, "not-before-acceptedAt");
  try {
    filingStatus(out, dayOf(out.announcedAt));
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${at}.filingDeadline`, e.rule);
    throw e;
  }
  return out;
}

/** The forum facts (core/forums.ts) a registered loan gives: a money claim, due, with what its record says. */
export function forumFactsOf(legal: LegalTerms | undefined, security?: ForumFacts["security"]): ForumFacts {
  return {
    money: true, dueAndCertain: true, counterObligation: false, debtorReachable: true,
    ...(legal?.arbitrationClause ? { arbitration: legal.arbitrationClause } : {}),
    ...(security ? { security } : {}),
    ...(legal?.notarised ? { notarised: legal.notarised } : {}),
    ...(legal?.objection ? { objection: true } : {}),
    ...(legal?.bankruptcy ? { bankruptcy: legal.bankruptcy } : {}),
  };
}
