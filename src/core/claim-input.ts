import { keccakOfWords, loanRefOf, loanSaltOf } from "./commitment.js";
import { ValidationError } from "./errors.js";
import { parseMinor } from "./money.js";
import { parseLegalTerms, type LegalTerms } from "./claim-legal.js";

export const PRODUCTS = ["mortgage", "consumer", "credit-card", "sme", "corporate"] as const;
export type Product = (typeof PRODUCTS)[number];
export const DEBTOR_TYPES = ["retail", "corporate"] as const;
export type DebtorType = (typeof DEBTOR_TYPES)[number];

/** Clause thresholds (days, basis points). */
export interface ClauseTermsInput {
  warnDays: number;
  demandDays: number;
  arbitrationDays: number;
  coverageBps: number;
  noticeDays: number;
}

/**
 * The deployment-wide minimum notice period (days) when none is given: MIN_NOTICE_DAYS' default. The service
 * passes the deployed ClaimRegistry's own minNoticeDays().
 */
export const DEFAULT_MIN_NOTICE_DAYS = 7;

export const DEFAULT_CLAUSES: ClauseTermsInput = {
  warnDays: 1,
  demandDays: 30,
  arbitrationDays: 90,
  coverageBps: 12_000,
  noticeDays: 15,
};

/** A claim as it arrives on the wire (money as decimal strings of minor units, dates as ISO strings). */
export interface ClaimRequest {
  originatorCode: string;
  contractNo: string;
  debtor: { name: string; idNumber: string; phone?: string; type: DebtorType; debtorId: string; address?: string; timeZone?: string };
  principal: string;
  outstanding: string;
  currency?: string;
  originatedAt: string;
  maturityAt: string;
  product: Product;
  region?: string;
  collateral?: Record<string, unknown>;
  documentsRoot?: string;
  clauses?: Partial<ClauseTermsInput>;
  /** Optional legal terms (rates, schedule, guarantors, arbitration clause, bankruptcy/异议): core/claim-legal.ts. */
  legal?: LegalTerms;
  /** The amounts are right although they look wrong (src/core/claim-checks.ts): a person checked them. */
  confirmImplausible?: boolean;
}

/** A validated claim, ready for the chain (amounts bigint, dates unix seconds). */
export interface NormalizedClaim {
  originatorCode: string;
  contractNo: string;
  /** Per-loan salt of the loan reference (HMAC of the originator's secret): travels with the loan file. */
  loanSalt: string;
  /** Salted commitment to the contract number (commitment.ts loanRefOf): what the chain keeps. */
  loanRef: string;
  claimId: string;
  principal: bigint;
  outstanding: bigint;
  currency: string;
  originatedAt: number;
  maturityAt: number;
  /** The debtor is a natural person (the transfer pilot's 个人), not the classification's retail. */
  retail: boolean;
  clauses: ClauseTermsInput;
  documentsRoot: string;
  /** The legal terms as checked (off chain only). */
  legal?: LegalTerms;
}

const ZERO32 = "0x" + "0".repeat(64);

export { loanRefOf, loanSaltOf } from "./commitment.js";

/** The claim id a loan gets: keccak256(abi.encode(originatorCode as bytes32, loanRef)), as ClaimRegistry computes it. */
export function claimIdOf(originatorCode: string, loanRef: string): string {
  const code = "0x" + Buffer.from(originatorCode, "ascii").toString("hex").padEnd(64, "0");
  if (code.length !== 66) throw new ValidationError("originatorCode", "at most 32 ASCII characters");
  if (!/^0x[0-9a-fA-F]{64}$/.test(loanRef)) throw new ValidationError("loanRef", "bytes32-hex");
  return keccakOfWords(code, loanRef.toLowerCase());
}

/** Parses a date (YYYY-MM-DD or ISO date-time) to unix seconds (UTC), naming the field on failure. */
export function parseDateSeconds(value: unknown, field: string): number {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw new ValidationError(field, "must be a date YYYY-MM-DD or an ISO 8601 date-time");
  }
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms) || ms <= 0) throw new ValidationError(field, "must be a real calendar date after 1970");
  if (value.length === 10 && new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new ValidationError(field, "must be a real calendar date");
  }
  return Math.floor(ms / 1000);
}

/** Validation options of {@link normalizeClaim}. */
export interface ClaimRules {
  /** The deployment's minimum notice period in days (ClaimRegistry.minNoticeDays). */
  minNoticeDays: number;
}

function clauseTerms(input: Partial<ClauseTermsInput> | undefined, prefix: string, minNoticeDays: number): ClauseTermsInput {
  // A default notice period never falls below the deployment's minimum (as the contract's defaults).
  const c = { ...DEFAULT_CLAUSES, noticeDays: Math.max(DEFAULT_CLAUSES.noticeDays, minNoticeDays), ...(input ?? {}) };
  for (const [k, v] of Object.entries(c)) {
    const max = k === "coverageBps" ? 65_535 : 36_500;
    if (!Number.isInteger(v) || v < 0 || v > max) throw new ValidationError(`${prefix}.${k}`, `must be an integer between 0 and ${max}`);
  }
  if (c.warnDays < 1) throw new ValidationError(`${prefix}.warnDays`, "must be at least 1");
  if (c.demandDays < c.warnDays) throw new ValidationError(`${prefix}.demandDays`, "must not be less than warnDays");
  if (c.arbitrationDays < c.demandDays) throw new ValidationError(`${prefix}.arbitrationDays`, "must not be less than demandDays");
  if (c.coverageBps < 1) throw new ValidationError(`${prefix}.coverageBps`, "must be at least 1");
  // Due process: refused below the minimum, never clamped (the chain refuses it too: NoticeDaysBelowMinimum).
  if (c.noticeDays < minNoticeDays) {
    throw new ValidationError(`${prefix}.noticeDays`, `must be at least ${minNoticeDays} (the deployment's minimum notice period, MIN_NOTICE_DAYS)`);
  }
  return c;
}

/**
 * Validates one claim request beyond its JSON shape and derives its ids.
 * @param loanSecret the originator's secret the loan reference's salt is derived from (config.loanRefSecret)
 * @param prefix the field path used in errors, e.g. "claims[12]"
 * @param rules the deployment's rules (its minimum notice period)
 */
export function normalizeClaim(req: ClaimRequest, loanSecret: string, prefix = "", rules: ClaimRules = { minNoticeDays: DEFAULT_MIN_NOTICE_DAYS }): NormalizedClaim {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const principal = parseMinor(req.principal, at("principal"));
  if (principal === 0n) throw new ValidationError(at("principal"), "must be greater than zero");
  const outstanding = parseMinor(req.outstanding, at("outstanding"));
  const originatedAt = parseDateSeconds(req.originatedAt, at("originatedAt"));
  const maturityAt = parseDateSeconds(req.maturityAt, at("maturityAt"));
  if (maturityAt < originatedAt) throw new ValidationError(at("maturityAt"), "must not be before originatedAt");
  const currency = (req.currency ?? "CNY").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new ValidationError(at("currency"), "must be an ISO 4217 code such as CNY");
  const contractNo = req.contractNo.trim();
  if (!contractNo) throw new ValidationError(at("contractNo"), "must not be blank");
  const documentsRoot = req.documentsRoot ?? ZERO32;
  if (!/^0x[0-9a-fA-F]{64}$/.test(documentsRoot)) throw new ValidationError(at("documentsRoot"), "must be a 0x-prefixed 32-byte hex hash");
  const loanSalt = loanSaltOf(loanSecret, req.originatorCode, contractNo);
  const loanRef = loanRefOf(contractNo, loanSalt);
  return {
    originatorCode: req.originatorCode,
    contractNo,
    loanSalt,
    loanRef,
    claimId: claimIdOf(req.originatorCode, loanRef),
    principal,
    outstanding,
    currency,
    originatedAt,
    maturityAt,
    // The on-chain retail flag is the batch-transfer pilot's "individual" (个人不良贷款: a natural person's loan,
    // consumer, card or business alike), which ClaimRegistry's no-resale rule reads. It is not the
    // classification's retail (分类办法第八条 also counts 小微企业债权, a company's small-business loan, as retail):
    // that one is classification.ts retailForClassification, decided per loan by the scoring core.
    retail: req.debtor.type === "retail",
    clauses: clauseTerms(req.clauses, at("clauses"), rules.minNoticeDays),
    documentsRoot: documentsRoot.toLowerCase(),
    ...(req.legal !== undefined ? { legal: parseLegalTerms(req.legal, new Date(maturityAt * 1000).toISOString(), prefix) } : {}),
  };
}
