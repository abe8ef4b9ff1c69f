/**
 * Who may buy which non-performing loans, and what a transfer must record (issue 17, "Transfers as the rules
 * require"). Pure: a rule module that returns every refusal with its code, the claim and field it concerns and
 * the rule (src/i18n/transfer.ts words them in zh-CN and English) — nothing is sent before it says yes.
 *
 * Rules (26号文 = 银保监办便函〔2021〕26号, the pilot for single corporate and batch personal NPL transfers;
 * 1191号文 = 银保监办便函〔2022〕1191号, its second round; 批量转让办法 = 财金〔2012〕6号):
 * - `personal-buyer-not-amc`: personal NPLs (a natural person's loan) in a batch transfer go only to licensed
 *   AMCs — the national financial AMCs and local AMCs (26号文; 1191号文);
 * - `personal-secured-excluded`: secured personal loans are excluded from such a batch by default (the pilot
 *   covers card overdrafts and unsecured consumer and business loans); `allowSecuredPersonal` is the seller's
 *   declared exception;
 * - `listing-missing`: a personal batch transfer is listed on the 银登中心, whose listing number is recorded;
 * - `cutoff-missing`: every transfer records its 基准日 (notices, announcement and price refer to it);
 * - `resale-prohibited`: a personal NPL acquired in a batch transfer is not transferred again (1191号文; 26号文) —
 *   the chain enforces the same for retail claims (ClaimRegistry's resale restriction);
 * - `corporate-batch-buyer-not-amc`: a bank's corporate batch (10 or more claims) goes only to AMCs (批量转让办法
 *   第三条, which binds financial enterprises selling: an AMC's own package may also go to qualified investors).
 */
import { ValidationError } from "./errors.js";
import { TRANSFER_REFUSALS, type TransferRefusalCode } from "../i18n/transfer.js";

/** What a buyer is licensed as: a national financial AMC, a local AMC, another qualified investor, a bank. */
export const BUYER_KINDS = ["amc-national", "amc-local", "investor", "bank"] as const;
export type BuyerKind = (typeof BUYER_KINDS)[number];

/** Claims in a package from which it is a batch (批量转让办法第三条: 10户/项以上). */
export const BATCH_MIN_CLAIMS = 10;

const LISTING_NO = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface TransferClaimFacts {
  claimId: string;
  /** The debtor is a natural person (个人不良贷款). */
  personal: boolean;
  /** Collateral secures the loan. */
  secured: boolean;
  /** The seller itself acquired this claim in a batch transfer of personal NPLs. */
  acquiredInPersonalBatch: boolean;
}

export interface TransferRuleFacts {
  buyer: BuyerKind;
  claims: readonly TransferClaimFacts[];
  /** 银登中心 listing number. */
  listingNo?: string;
  /** 基准日, YYYY-MM-DD. */
  cutoffDate?: string;
  /** The seller declares the exception for secured personal loans. */
  allowSecuredPersonal?: boolean;
  /**
   * The seller is not a bank (an AMC or investor reselling; a bank is the 金融企业 财金〔2012〕6号 binds): its corporate batch may also
   * go to qualified investors. Absent: a bank, the stricter reading.
   */
  sellerIsAmc?: boolean;
}

export interface TransferRefusal {
  code: TransferRefusalCode;
  /** The request field it concerns, e.g. "to", "listingNo", "claimIds[3]". */
  field: string;
  claimId?: string;
  /** The rule as a person reads it, citing the article. */
  message: { "zh-CN": string; en: string };
}

export type TransferVerdict = { ok: true; batch: boolean; personal: boolean } | { ok: false; batch: boolean; personal: boolean; refusals: TransferRefusal[] };

const AMC: readonly BuyerKind[] = ["amc-national", "amc-local"];

/** Every refusal of a proposed transfer, or ok. A package of personal claims is a batch when it holds more than one. */
export function checkTransfer(f: TransferRuleFacts): TransferVerdict {
  if (!(BUYER_KINDS as readonly string[]).includes(f.buyer)) throw new ValidationError("buyer", `one-of:${BUYER_KINDS.join("|")}`);
  if (f.listingNo !== undefined && !LISTING_NO.test(f.listingNo)) throw new ValidationError("listingNo", "listing-number");
  if (f.cutoffDate !== undefined && !DAY.test(f.cutoffDate)) throw new ValidationError("cutoffDate", "YYYY-MM-DD");
  const refusals: TransferRefusal[] = [];
  const refuse = (code: TransferRefusalCode, field: string, claimId?: string) =>
    refusals.push({ code, field, ...(claimId ? { claimId } : {}), message: { ...TRANSFER_REFUSALS[code] } });
  const personal = f.claims.filter((c) => c.personal);
  // 26号文: personal NPLs are transferred in batches (批量个人); a package of two or more is one.
  const personalBatch = personal.length >= 2;
  const corporateBatch = f.claims.length - personal.length >= BATCH_MIN_CLAIMS;
  const batch = personalBatch || corporateBatch;
  f.claims.forEach((c, i) => {
    if (c.acquiredInPersonalBatch) refuse("resale-prohibited", `claimIds[${i}]`, c.claimId);
  });
  // Any personal NPL goes only to a licensed AMC, one alone too (the chain refuses it as well: ClaimRegistry's
  // BuyerNotLicensedAmc, issue 19); the batch's own requirements follow.
  if (personal.length > 0 && !AMC.includes(f.buyer)) refuse("personal-buyer-not-amc", "to");
  if (personalBatch) {
    if (!f.allowSecuredPersonal) f.claims.forEach((c, i) => c.personal && c.secured && refuse("personal-secured-excluded", `claimIds[${i}]`, c.claimId));
    if (!f.listingNo) refuse("listing-missing", "listingNo");
  }
  if (corporateBatch && !f.sellerIsAmc && !AMC.includes(f.buyer)) refuse("corporate-batch-buyer-not-amc", "to");
  if (!f.cutoffDate) refuse("cutoff-missing", "cutoffDate");
  return refusals.length === 0 ? { ok: true, batch, personal: personal.length > 0 } : { ok: false, batch, personal: personal.length > 0, refusals };
}
