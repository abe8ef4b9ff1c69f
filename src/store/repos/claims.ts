import type { ClaimRequest, ClauseTermsInput } from "../../core/claim-input.js";
import type { LegalTerms } from "../../core/claim-legal.js";
import type { Store, SublevelOf } from "../db.js";

/** What the off-chain store keeps of a claim: the chain keeps only ids, amounts and hashes. */
export interface ClaimRecord {
  claimId: string;
  originatorCode: string;
  contractNo: string;
  /** Salt of the claim's loan reference (per loan, from the originator's secret): travels with the loan file. */
  loanSalt?: string;
  /** The salted loan reference on chain (ClaimRegistered.loanRef). */
  loanRef?: string;
  originator: string;
  debtor: ClaimRequest["debtor"];
  product: ClaimRequest["product"];
  region?: string;
  collateral?: ClaimRequest["collateral"];
  collateralHash: string;
  documentsRoot: string;
  clauses: ClauseTermsInput;
  /** Optional legal terms (core/claim-legal.ts): rates, schedule, guarantors, arbitration clause, bankruptcy/异议. */
  legal?: LegalTerms;
  /** The registrant confirmed amounts that look like a typing error (src/core/plausibility.ts). */
  confirmImplausible?: boolean;
  principal: string;
  outstanding: string;
  currency: string;
  originatedAt: string;
  maturityAt: string;
  status: "pending" | "registered" | "failed";
  jobId?: string;
  txHash?: string;
  blockNumber?: number;
  error?: string;
  createdAt: string;
}

/** The claims' off-chain records (`claims`), by claim id. */
export function openClaimRecords(store: Store): SublevelOf<ClaimRecord> {
  return store.sub<ClaimRecord>("claims");
}
