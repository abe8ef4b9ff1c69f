import type { Config } from "../../config/config.js";
import type { EvidenceRecord, Relation } from "../../core/evidence.js";
import type { PriorEvent } from "../../core/evidence-time.js";
import type { DeliveryDetails } from "../../core/delivery-record.js";
import type { AppDeps, AppMetrics } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";

/** What the evidence feature needs; the API and `debtrail oracle` (its notices) build it alike. */
export interface EvidenceDeps extends Pick<AppDeps, "repos" | "chain" | "clock" | "log"> {
  metrics: Pick<AppMetrics, "registry" | "chainTransactions">;
  settings: Pick<Config, "piiSecret" | "servicePrivateKey" | "evidence">;
  /** Who may read a claim's records (receipts, lists, content lookups). */
  access: ClaimAccess;
}

/**
 * A contact or other collection event as a caller reports it (POST /v1/evidence): the record's own fields
 * (core/evidence.ts EvidenceRecord), with the counterparty in clear (hashed into the record, kept off chain).
 */
export interface EvidenceRequest extends Pick<EvidenceRecord, "claimId" | "kind" | "channel" | "direction" | "occurredAt" | "actor" | "attachments"> {
  counterparty?: { name?: string; phone?: string; relation: Relation };
  /** Transcript / letter text: hashed into contentHash, kept off chain. */
  content?: string;
  contentHash?: string;
  /**
   * Service-internal (no route takes it): the record's document goes on chain as a salted commitment
   * under this salt (core/commitment.ts), stored with the record and carried in its proof bundle.
   */
  documentSalt?: string;
  /** Kind "prior-history" only: what the originator states happened before the claim was registered. */
  priorEvent?: PriorEvent;
  /**
   * Kind "delivery-proof" only: the notice it delivers (a letter, notice or assignment notice of the same claim,
   * recorded before it) and how (core/delivery-record.ts); `address` is the address it went to, in clear —
   * only its salted hash reaches the record.
   */
  delivery?: Omit<DeliveryDetails, "addressHash"> & { address?: string };
  /** Kind "address-confirmation" only: the address the addressee confirmed, in clear; only its salted hash reaches the record. */
  address?: string;
}

export interface Accepted {
  recordId: string;
  leaf: string;
  status: "pending";
  seq: number;
  prevHash: string;
}

/** The evidence feature as another feature uses it: recording the service's own documents (letters, notices, feeds). */
export interface SystemRecorder {
  /**
   * Records an event the service itself produced, once: a record of the claim with the same content hash is
   * found, not recorded twice. Compliance rules apply.
   */
  recordSystem(req: EvidenceRequest): Promise<{ recordId: string; created: boolean }>;
}
