import type { EvidenceRecord } from "../../core/evidence.js";
import type { ContactFacts } from "../../core/compliance.js";
import type { BundleAnchor } from "../../core/bundle.js";
import type { Store, SublevelOf } from "../db.js";

/** An accepted evidence record as the store keeps it. Personal data stays here, never on chain. */
export interface StoredEvidence {
  /** The record hash (keccak256 of the canonical JSON): unique, since each record links its predecessor. */
  recordId: string;
  /** Position in the claim's hash chain, from 0. */
  seq: number;
  record: EvidenceRecord;
  leaf: string;
  acceptedAt: string;
  /** API key name and id of who recorded it (audit). */
  recordedBy: { name: string; keyId: string; role: string };
  /** The debtor the compliance caps count against. */
  debtorKey: string;
  /** Transcript / letter text when given as text (off chain only). */
  content?: string;
  /**
   * When the record's document went on chain as a salted commitment (an oracle notice): the salt and
   * the commitment keccak256(abi.encode(salt, record.contentHash)). Off chain only; in the proof bundle
   * for who may read the claim.
   */
  document?: { salt: string; commitment: string };
  /** The counterparty in clear (off chain only; shown to the holder, its collectors and courts). */
  counterparty?: { name?: string; phone?: string; relation: string };
  /** Set when the record's batch closes: its batch and position in the batch's tree. */
  batchId?: string;
  index?: number;
}

/** A closed batch: its records in tree input order and, once anchored, where. */
export interface EvidenceBatch {
  batchId: string;
  root: string;
  recordIds: string[];
  closedAt: string;
  status: "closed" | "anchored";
  /** The anchoring transaction in flight or done. */
  txHash?: string;
  anchor?: BundleAnchor;
  attempts: number;
  lastError?: string;
}

/** A contact the compliance rules refused: kept for audit, with no personal data in clear. */
export interface RefusedContact {
  at: string;
  claimId: string;
  rule: string;
  violations: unknown[];
  facts: { kind: string; channel: string; direction: string; occurredAt: string; relation: string | null };
  recordedBy: { name: string; keyId: string; role: string };
}

/** The evidence tables (all under the deployment's namespace). */
export interface EvidenceRepo {
  records: SublevelOf<StoredEvidence>;
  /** `${claimId}!${seq}` → recordId: a claim's chain in order. */
  byClaim: SublevelOf<string>;
  /** claimId → the latest record of the claim's chain. */
  heads: SublevelOf<{ recordId: string; seq: number }>;
  /** `${pendingSeq}` → recordId: records not yet in a batch, oldest first. */
  pending: SublevelOf<string>;
  batches: SublevelOf<EvidenceBatch>;
  /** `${contentHash}!${recordId}` → recordId: find records by the hash of a file. */
  byContent: SublevelOf<string>;
  /** document commitment (on chain) → recordId: the evidence record behind a notice hash of the case timeline. */
  byCommitment: SublevelOf<string>;
  /** `${debtorKey}!${occurredAt}!${recordId}` → facts: recent contacts per debtor for the caps. */
  contacts: SublevelOf<ContactFacts>;
  refused: SublevelOf<RefusedContact>;
  meta: SublevelOf<number>;
}

export function openEvidence(store: Store): EvidenceRepo {
  return {
    records: store.sub("evidence"),
    byClaim: store.sub("evidence-by-claim"),
    heads: store.sub("evidence-heads"),
    pending: store.sub("evidence-pending"),
    batches: store.sub("evidence-batches"),
    byContent: store.sub("evidence-by-content"),
    byCommitment: store.sub("evidence-by-commitment"),
    contacts: store.sub("evidence-contacts"),
    refused: store.sub("evidence-refused"),
    meta: store.sub("evidence-meta"),
  };
}

/** The ids of the records whose content or an attachment hashes to `hash` (lower case). */
export async function recordIdsWithContent(repo: EvidenceRepo, hash: string): Promise<string[]> {
  const out: string[] = [];
  for await (const recordId of repo.byContent.values({ gt: `${hash}!`, lt: `${hash}!~` })) out.push(recordId);
  return out;
}

/** The first record of `claimId` whose content or an attachment hashes to `hash` (both lower case). */
export async function recordOfClaimWithContent(repo: EvidenceRepo, claimId: string, hash: string): Promise<StoredEvidence | undefined> {
  for await (const recordId of repo.byContent.values({ gt: `${hash}!`, lt: `${hash}!~` })) {
    const stored = await repo.records.get(recordId);
    if (stored?.record.claimId === claimId) return stored;
  }
  return undefined;
}

/** Fixed-width decimal so keys sort numerically. */
export function seqKey(n: number): string {
  return n.toString().padStart(12, "0");
}
