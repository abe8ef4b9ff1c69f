import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";
import type { ClaimRegistrationStruct as ClaimRegistration } from "../../../types/ethers-contracts/ClaimRegistry.js";
import type { ClaimRequest, NormalizedClaim } from "../../core/claim-input.js";
import { formatMinor } from "../../core/money.js";
import { originatorCodeToBytes32 } from "../../chain/roles.js";
import type { ClaimRecord } from "../../store/repos/claims.js";

/**
 * A claim's off-chain record and its on-chain registration, from a validated request: pure functions of
 * their inputs, shared by the single registration (src/app/claims/register.ts) and batch imports, whose
 * rows are prepared in a worker thread (src/app/jobs/intake.ts).
 */

const ZERO32 = "0x" + "0".repeat(64);

/** Who registers: the bank's key. */
export interface Registrant {
  address?: string;
}

/** Salted hash of the collateral description: it may hold an address, which is personal data. */
export function collateralHashOf(piiSecret: string, collateral: ClaimRequest["collateral"]): string {
  if (!collateral) return ZERO32;
  return "0x" + createHmac("sha256", piiSecret).update(canonicalize(collateral) ?? "").digest("hex");
}

/**
 * The registration ClaimRegistry takes, in JSON form (integers as decimal strings, which the ABI encoder
 * takes as they are): what a job's item keeps, so its runner encodes without validating the row again.
 */
export interface StoredRegistration {
  originatorCode: string;
  loanRef: string;
  terms: {
    principal: string;
    outstanding: string;
    currency: string;
    originatedAt: number;
    maturityAt: number;
    retail: boolean;
    clauses: NormalizedClaim["clauses"];
    collateralHash: string;
    documentsRoot: string;
  };
}

export function toRegistration(n: NormalizedClaim, collateralHash: string): StoredRegistration {
  return {
    originatorCode: originatorCodeToBytes32(n.originatorCode),
    loanRef: n.loanRef,
    terms: {
      principal: n.principal.toString(),
      outstanding: n.outstanding.toString(),
      currency: "0x" + Buffer.from(n.currency, "ascii").toString("hex"),
      originatedAt: n.originatedAt,
      maturityAt: n.maturityAt,
      retail: n.retail,
      clauses: n.clauses,
      collateralHash,
      documentsRoot: n.documentsRoot,
    },
  };
}

/** The same, typed as the contract binding's struct. */
export const asRegistration = (r: StoredRegistration): ClaimRegistration => r;

/** The off-chain record of a claim registered by `registrant`, written before anything is sent (status pending). */
export function recordOf(registrant: Registrant, req: ClaimRequest, n: NormalizedClaim, collateralHash: string, createdAt: string, jobId?: string): ClaimRecord {
  return {
    claimId: n.claimId,
    originatorCode: n.originatorCode,
    contractNo: n.contractNo,
    loanSalt: n.loanSalt,
    loanRef: n.loanRef,
    originator: registrant.address!,
    debtor: req.debtor,
    product: req.product,
    region: req.region,
    collateral: req.collateral,
    collateralHash,
    documentsRoot: n.documentsRoot,
    clauses: n.clauses,
    ...(n.legal ? { legal: n.legal } : {}),
    ...(req.confirmImplausible ? { confirmImplausible: true } : {}),
    principal: formatMinor(n.principal),
    outstanding: formatMinor(n.outstanding),
    currency: n.currency,
    originatedAt: new Date(n.originatedAt * 1000).toISOString(),
    maturityAt: new Date(n.maturityAt * 1000).toISOString(),
    status: "pending",
    jobId,
    createdAt,
  };
}
