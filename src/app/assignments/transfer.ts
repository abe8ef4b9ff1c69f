/**
 * A sale's transfer as the rules require (issue 17), when POST /v1/assignments carries `transfer`: the batch-transfer
 * rules checked before anything is sent (core/transfer-rules.ts: licensed AMCs only for personal NPLs, secured
 * personal loans excluded, the 银登中心 listing number and the 基准日 recorded, no re-transfer), and after the sale one
 * 债权转让暨催收联合通知书 per debtor and per guarantor (core/transfer-notices.ts) recorded in each claim's evidence,
 * ready to be posted and proven delivered; the newspaper 公告 rendered for the buyer to publish (recorded by it, with the
 * newspaper page, as an "announcement" record once published). Without `transfer` a sale goes as before.
 */
import { ConflictError, ValidationError } from "../../core/errors.js";
import { checkTransfer, BUYER_KINDS, type BuyerKind, type TransferClaimFacts } from "../../core/transfer-rules.js";
import { AMOUNT_ITEMS, transferAnnouncement, transferNotices, type AmountItem, type TransferFacts, type TransferredClaim } from "../../core/transfer-notices.js";
import { parseMinor } from "../../core/money.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { SystemRecorder } from "../evidence/index.js";

/** What the seller states about the transfer. */
export interface TransferTerms {
  /** What the buyer is licensed as (the seller's statement, checked against this node's known accounts). */
  buyerKind: BuyerKind;
  transferee: string;
  transfereeContact: string;
  /** 基准日, YYYY-MM-DD: required (the rules refuse a transfer without it, `cutoff-missing`). */
  cutoffDate?: string;
  /** 交割日, YYYY-MM-DD. */
  deliveryDate?: string;
  listingNo?: string;
  cureDays?: number;
  repaymentAccount?: { name: string; bank: string; number: string };
  allowSecuredPersonal?: boolean;
  /** Each claim's amounts at the 基准日 (fen, decimal strings); default: principal = the registered outstanding. */
  amounts?: Record<string, Partial<Record<AmountItem, string>>>;
  /** Render the newspaper announcement too. */
  announcement?: boolean;
}

export interface TransferLetter { claimId: string; party: "debtor" | "guarantor"; guarantor?: number; contentHash: string; recordId: string }

/**
 * Refuses a sale the rules forbid, naming every refusal and its rule.
 * @param knownRole the role of the buyer's account among this node's keys, if it is one
 * @throws ValidationError for a stated AMC that this node knows as something else; ConflictError `transfer-refused`
 */
export function requireTransferAllowed(
  t: TransferTerms, claims: ReadonlyArray<{ claimId: string; record?: ClaimRecord; resaleRestricted: boolean }>, knownRole: string | undefined, sellerIsAmc = false,
): void {
  if (!(BUYER_KINDS as readonly string[]).includes(t.buyerKind)) throw new ValidationError("transfer.buyerKind", `one-of:${BUYER_KINDS.join("|")}`);
  if (t.buyerKind.startsWith("amc") && knownRole !== undefined && knownRole !== "amc") {
    throw new ValidationError("transfer.buyerKind", `the buyer's account is known here as ${knownRole}, not a licensed AMC`);
  }
  const facts: TransferClaimFacts[] = claims.map((c) => ({
    claimId: c.claimId,
    // Without a record here, the chain's retail flag (the resale restriction follows it) is all that is known.
    personal: c.record ? c.record.debtor.type === "retail" : c.resaleRestricted,
    secured: c.record ? c.record.collateral != null : false,
    acquiredInPersonalBatch: c.resaleRestricted,
  }));
  const verdict = checkTransfer({
    buyer: t.buyerKind, claims: facts, ...(t.listingNo !== undefined ? { listingNo: t.listingNo } : {}),
    ...(t.cutoffDate !== undefined ? { cutoffDate: t.cutoffDate } : {}), ...(t.allowSecuredPersonal ? { allowSecuredPersonal: true } : {}),
    ...(sellerIsAmc ? { sellerIsAmc: true } : {}),
  });
  if (!verdict.ok) {
    const first = verdict.refusals[0]!;
    throw new ConflictError("transfer-refused", first.message.en, {
      field: first.field, rule: first.code, messages: first.message,
      refusals: verdict.refusals.map((r) => ({ code: r.code, field: r.field, ...(r.claimId ? { claimId: r.claimId } : {}), messages: r.message })),
    });
  }
}

function claimOf(t: TransferTerms, claimId: string, record: ClaimRecord): TransferredClaim {
  const given = t.amounts?.[claimId];
  const amounts = { principal: BigInt(record.outstanding) } as TransferredClaim["amounts"];
  if (given) {
    for (const k of Object.keys(given)) if (!(AMOUNT_ITEMS as readonly string[]).includes(k)) throw new ValidationError(`transfer.amounts.${claimId}.${k}`, "unknown-field");
    for (const k of AMOUNT_ITEMS) if (given[k] !== undefined) amounts[k] = parseMinor(given[k], `transfer.amounts.${claimId}.${k}`);
  }
  return {
    claimId, contractNo: record.contractNo, currency: record.currency, amounts,
    debtor: { name: record.debtor.name, natural: record.debtor.type === "retail" },
    guarantors: (record.legal?.guarantors ?? []).map((g) => ({ name: g.name, natural: g.natural ?? true, type: g.type })),
  };
}

/** The transfer's facts for the letters, from the seller's terms. */
export function transferFacts(t: TransferTerms, transferor: string, nowMs: number): TransferFacts {
  return {
    transferor, transferee: t.transferee, transfereeContact: t.transfereeContact, cutoffDate: t.cutoffDate!, // checked by requireTransferAllowed
    ...(t.deliveryDate ? { deliveryDate: t.deliveryDate } : {}), date: chinaDateOfMs(nowMs), cureDays: t.cureDays ?? 15,
    ...(t.repaymentAccount ? { repaymentAccount: t.repaymentAccount } : {}), ...(t.listingNo ? { listingNo: t.listingNo } : {}),
  };
}

/** Renders every claim's letters (checks them before the sale: a bad figure refuses it, naming the field). */
export function renderTransfer(t: TransferTerms, facts: TransferFacts, records: ReadonlyArray<{ claimId: string; record: ClaimRecord }>) {
  const claims = records.map((r) => claimOf(t, r.claimId, r.record));
  const notices = claims.flatMap((c, i) => transferNotices(facts, c, `claimIds[${i}]`));
  const announcement = t.announcement ? transferAnnouncement(facts, claims) : undefined;
  return { notices, announcement };
}

/** Records each letter in its claim's evidence (found, not recorded twice, when the same text is there). */
export async function recordTransferLetters(recorder: Pick<SystemRecorder, "recordSystem">, notices: ReturnType<typeof renderTransfer>["notices"], at: string): Promise<TransferLetter[]> {
  const out: TransferLetter[] = [];
  for (const n of notices) {
    const { recordId } = await recorder.recordSystem({
      claimId: n.claimId, kind: "assignment-notice", channel: "post", direction: "outbound", occurredAt: at, actor: "transfer",
      counterparty: { name: n.addressee, relation: n.party }, content: n.text,
    });
    out.push({ claimId: n.claimId, party: n.party, ...(n.guarantor !== undefined ? { guarantor: n.guarantor } : {}), contentHash: n.contentHash, recordId });
  }
  return out;
}
