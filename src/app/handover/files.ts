/**
 * What a loan-file handover carries and how each part of it is checked. Pure: no I/O, no clock.
 *
 * A sale's **files** are one {@link LoanFile} per claim: the loan record (debtor details, contract number,
 * the loan reference's salt, collateral), the documents (the assignment notice of this sale) and the
 * claim's evidence history (records with their transcripts and, when anchored, their proof bundles).
 *
 * The **manifest** names the sale (chain, registry, package, seller, buyer), the legal basis, and every
 * claim with the digest of its file (keccak256 of the file's RFC 8785 canonical JSON). The sale's
 * `filesCommitment` on chain is `keccak256(abi.encode(salt, keccak256(canonical(manifest))))` with a
 * random 32-byte salt that travels only inside the encrypted handover: nothing personal and nothing
 * guessable reaches the chain.
 */
import { canonicalHash } from "../../core/canonical.js";
import { checkLoanRef, documentCommitment } from "../../core/commitment.js";
import { claimIdOf } from "../../core/claim-input.js";
import { contentHashOf, GENESIS_PREV_HASH, recordHash, type EvidenceRecord } from "../../core/evidence.js";
import { originatorCodeToBytes32 } from "../../chain/roles.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { ClaimRow } from "../../store/repos/chain-index.js";
import type { LegalBasis } from "../../i18n/handover.js";

/** The loan record as it travels: the registration's facts and the debtor, not this node's own bookkeeping. */
export type LoanRecord = Pick<ClaimRecord,
  "claimId" | "originatorCode" | "contractNo" | "loanSalt" | "loanRef" | "originator" | "debtor" | "product" | "region" | "collateral"
  | "collateralHash" | "documentsRoot" | "clauses" | "principal" | "outstanding" | "currency" | "originatedAt" | "maturityAt">;

/** One evidence record of the claim's history, with its body and, once anchored, its proof bundle. */
export interface EvidenceItem {
  recordId: string;
  seq: number;
  record: EvidenceRecord;
  acceptedAt: string;
  content?: string;
  counterparty?: unknown;
  document?: { salt: string; commitment: string };
  bundle?: unknown;
}

/** A document of the file: the assignment notice of this sale (text, salt, commitment on chain). */
export interface FileDocument {
  kind: "assignment-notice";
  contentHash: string;
  salt: string;
  commitment: string;
  text: string;
}

export interface LoanFile {
  claimId: string;
  record: LoanRecord;
  documents: FileDocument[];
  evidence: EvidenceItem[];
}

export interface Manifest {
  version: 1;
  chainId: string;
  registry: string;
  /** The package's reference on chain (ClaimAssigned.packageId: a salted ref, src/core/packages.ts). */
  packageRef: string;
  /** The package's name as the seller knows it. */
  packageLabel: string;
  from: string;
  to: string;
  legalBasis: LegalBasis;
  /** Sorted by claim id. */
  claims: Array<{ claimId: string; digest: string }>;
}

const lower = (s: string) => s.toLowerCase();

export function fileDigest(file: LoanFile): string {
  return canonicalHash(file);
}

export function manifestHash(m: Manifest): string {
  return canonicalHash(m);
}

/** The value of ClaimAssigned.filesCommitment. */
export function filesCommitmentOf(salt: string, m: Manifest): string {
  return documentCommitment(salt, manifestHash(m));
}

export function loanRecordOf(r: ClaimRecord): LoanRecord {
  const out: Record<string, unknown> = {};
  for (const k of ["claimId", "originatorCode", "contractNo", "loanSalt", "loanRef", "originator", "debtor", "product", "region", "collateral",
    "collateralHash", "documentsRoot", "clauses", "principal", "outstanding", "currency", "originatedAt", "maturityAt"] as const) {
    if (r[k] !== undefined) out[k] = r[k];
  }
  return out as LoanRecord;
}

export function buildManifest(sale: Omit<Manifest, "version" | "claims">, files: LoanFile[]): Manifest {
  const claims = files.map((f) => ({ claimId: lower(f.claimId), digest: fileDigest(f) })).sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
  return { version: 1, ...sale, packageRef: lower(sale.packageRef), from: lower(sale.from), to: lower(sale.to), registry: lower(sale.registry), claims };
}

/** Why a file was refused: a rule code, the claim and the field, in words. */
export interface FileProblem {
  rule: string;
  claimId: string;
  field: string;
  message: string;
}

const problem = (claimId: string, rule: string, field: string, message: string): FileProblem => ({ rule, claimId, field, message });

/**
 * Checks one file against the chain's registration of its claim (the chain index's row): the claim id and
 * the loan reference recompute from the file's originator code, contract number and salt; the amounts,
 * currency, dates and commitments are the registered ones. And the file's own integrity: every evidence
 * record hashes to its id and links to the one before (from the genesis), every body hashes to its
 * record's content hash, the notice to the sale's notice commitment.
 *
 * @param noticeHash the sale's notice commitment on chain (ClaimAssigned.noticeHash)
 * @returns the first problem, or null
 */
export function checkFile(file: LoanFile, claim: ClaimRow, noticeHash: string | null): FileProblem | null {
  const id = lower(file.claimId);
  const r = file.record;
  if (!r || lower(r.claimId ?? "") !== id) return problem(id, "record-claim-id", "record.claimId", "the loan record is not this claim's");
  if (typeof r.originatorCode !== "string" || typeof r.loanRef !== "string") return problem(id, "registration-mismatch", "record.loanRef", "the loan record lacks its originator code or loan reference");
  let code: string;
  try {
    code = originatorCodeToBytes32(r.originatorCode);
  } catch {
    return problem(id, "registration-mismatch", "record.originatorCode", "not an originator code");
  }
  if (lower(claimIdOf(r.originatorCode, r.loanRef)) !== id || lower(code) !== lower(claim.originatorCode)) {
    return problem(id, "registration-mismatch", "record.originatorCode", "the claim id does not recompute from the file's originator code and loan reference");
  }
  if (lower(r.loanRef) !== lower(claim.loanRef) || !checkLoanRef({ contractNo: r.contractNo, loanSalt: r.loanSalt, loanRef: claim.loanRef })) {
    return problem(id, "registration-mismatch", "record.contractNo", "the contract number and its salt do not give the loan reference registered on chain");
  }
  const t = claim.terms;
  const same: Array<[string, unknown, unknown]> = [
    ["record.originator", lower(String(r.originator)), lower(claim.originator)],
    ["record.principal", String(r.principal), claim.principal],
    ["record.outstanding", String(r.outstanding), claim.outstanding],
    ["record.currency", r.currency, t.currency],
    ["record.collateralHash", lower(String(r.collateralHash)), lower(t.collateralHash)],
    ["record.documentsRoot", lower(String(r.documentsRoot)), lower(t.documentsRoot)],
    ["record.originatedAt", Math.floor(Date.parse(String(r.originatedAt)) / 1000), t.originatedAt],
    ["record.maturityAt", Math.floor(Date.parse(String(r.maturityAt)) / 1000), t.maturityAt],
  ];
  for (const [field, got, want] of same) {
    if (got !== want) return problem(id, "registration-mismatch", field, `${field} is not what the chain registered for the claim`);
  }
  for (const [i, d] of (file.documents ?? []).entries()) {
    const at = `documents[${i}]`;
    if (d.kind !== "assignment-notice" || contentHashOf(String(d.text)) !== lower(String(d.contentHash))) return problem(id, "document-hash", at, "a document does not hash to its content hash");
    if (documentCommitment(d.salt, d.contentHash) !== lower(String(d.commitment)) || (noticeHash !== null && lower(d.commitment) !== lower(noticeHash))) {
      return problem(id, "notice-commitment", at, "the assignment notice is not the one committed to on chain");
    }
  }
  let previous = GENESIS_PREV_HASH;
  for (const [i, e] of (file.evidence ?? []).entries()) {
    const at = `evidence[${i}]`;
    let hash: string;
    try {
      hash = recordHash(e.record);
    } catch {
      return problem(id, "evidence-record", at, "not a valid evidence record");
    }
    if (hash !== lower(e.recordId) || lower(e.record.claimId) !== id) return problem(id, "evidence-altered", at, "an evidence record does not hash to its id or is another claim's");
    if (e.record.prevHash !== previous || e.seq !== i) return problem(id, "evidence-chain", at, "the evidence history has a gap: a record does not link to the one before");
    if (e.content !== undefined && contentHashOf(e.content) !== e.record.contentHash) return problem(id, "evidence-content", at, "a transcript does not hash to its record's content hash");
    previous = hash;
  }
  return null;
}

/** The manifest names the sale the chain shows (package, seller, buyer) and commits to it with `salt`. */
export function checkManifest(m: Manifest, salt: string, sale: { chainId: string; registry: string; packageRef: string; from: string; to: string; filesCommitment: string }): string | null {
  if (m?.version !== 1 || !Array.isArray(m.claims)) return "manifest-malformed";
  if (m.chainId !== sale.chainId || lower(m.registry) !== lower(sale.registry)) return "manifest-other-deployment";
  if (typeof m.packageRef !== "string" || typeof m.from !== "string" || typeof m.to !== "string") return "manifest-malformed";
  if (lower(m.packageRef) !== lower(sale.packageRef) || lower(m.from) !== lower(sale.from) || lower(m.to) !== lower(sale.to)) return "manifest-other-sale";
  try {
    if (filesCommitmentOf(salt, m) !== lower(sale.filesCommitment)) return "files-commitment-mismatch";
  } catch {
    return "files-commitment-mismatch";
  }
  return null;
}
