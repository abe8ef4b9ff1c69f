import type { Store, SublevelOf } from "../db.js";
import type { LegalBasis } from "../../i18n/handover.js";
import type { LoanFile, Manifest } from "../../app/handover/files.js";

/** Why the last attempt or delivery failed: a rule code and what the other side or the network said. */
export interface HandoverProblem {
  at: string;
  rule: string;
  message: string;
  claimId?: string;
  field?: string;
  /** The HTTP status the buyer's node answered, when it answered. */
  status?: number;
}

/**
 * A sale's handover as the seller's node keeps it (`handover-out`, by assignment id).
 * `prepared` (files and commitment written, transaction not yet mined) → `sending` (the sale is on chain;
 * parts go out, retried with back-off) → `delivered` (every part acknowledged by the buyer's node), or
 * `local` (the buyer is served by this node: nothing crosses); `cancelled` when the sale failed; `erased`
 * once the retention period ended and the seller's copy was deleted.
 */
export interface OutboundHandover {
  id: string;
  status: "prepared" | "sending" | "delivered" | "local" | "cancelled" | "erased";
  /** The package's salted reference on chain, and its name at the seller. */
  packageRef: string;
  packageLabel: string;
  from: string;
  to: string;
  claimIds: string[];
  manifest: Manifest;
  /** The commitment's salt: travels only inside the encrypted parts. */
  salt: string;
  filesCommitment: string;
  legalBasis: LegalBasis;
  createdAt: string;
  txHash?: string;
  blockNumber?: number;
  blockHash?: string;
  /** Block time of the sale (ISO): the retention period runs from it. */
  soldAt?: string;
  retainUntil?: string;
  /** Parts by index: the claim ids of each (fixed once sending started) and when the buyer acknowledged it. */
  parts?: Array<{ claimIds: string[]; ackedAt?: string }>;
  attempts: number;
  nextAttemptAt?: string;
  /** The last failure; cleared by a delivery. `refused` when the buyer's node refused the files. */
  lastProblem?: HandoverProblem & { kind: "refused" | "unreachable" | "key" };
  deliveredAt?: string;
  erasedAt?: string;
}

/**
 * A handover as the buyer's node keeps it (`handover-in`, by sale transaction hash): what arrived, what
 * was refused and why. `receiving` until every claim of the manifest arrived, then `complete`.
 */
export interface InboundHandover {
  txHash: string;
  status: "receiving" | "complete" | "refused";
  from: string;
  to: string;
  /** The package's reference on chain, and (once a manifest arrived) its name at the seller. */
  packageRef: string;
  packageLabel?: string;
  filesCommitment: string;
  blockNumber: number;
  manifest?: Manifest;
  legalBasis?: LegalBasis;
  /** Claim ids received (each once, whatever the number of deliveries). */
  received: string[];
  expected: number;
  firstAt: string;
  lastAt: string;
  deliveries: number;
  refusals: number;
  lastRefusal?: HandoverProblem;
}

/** A received loan file with where it came from. */
export interface ReceivedFile {
  txHash: string;
  from: string;
  to: string;
  digest: string;
  receivedAt: string;
  file: LoanFile;
}

/** What the retention job deleted, kept as proof of the deletion (no personal data). */
export interface Erasure {
  handoverId: string;
  claimId: string;
  at: string;
  retainUntil: string;
  erased: string[];
}

export interface HandoverRepos {
  outbound: SublevelOf<OutboundHandover>;
  /** `${handoverId}!${claimId}` → the seller's copy of the claim's file as handed over. */
  outFiles: SublevelOf<LoanFile>;
  /** `${claimId}!${handoverId}` → handoverId: the sales of a claim from this node. */
  outByClaim: SublevelOf<string>;
  inbound: SublevelOf<InboundHandover>;
  /** `${claimId}!${txHash}` → a file received. */
  inFiles: SublevelOf<ReceivedFile>;
  /** claimId → txHash of the latest file received for it. */
  inLatest: SublevelOf<string>;
  /** `${at}!${txHash}!${n}` → a refused delivery from an authenticated seller. */
  refusals: SublevelOf<HandoverProblem & { txHash: string; from: string }>;
  /** `${at}!${claimId}` → a deletion at the end of retention. */
  erasures: SublevelOf<Erasure>;
}

/** The handover's tables: the only file that opens them. */
export function openHandoverRepos(store: Store): HandoverRepos {
  return {
    outbound: store.sub("handover-out"),
    outFiles: store.sub("handover-out-files"),
    outByClaim: store.sub("handover-out-by-claim"),
    inbound: store.sub("handover-in"),
    inFiles: store.sub("handover-in-files"),
    inLatest: store.sub("handover-in-latest"),
    refusals: store.sub("handover-refusals"),
    erasures: store.sub("handover-erasures"),
  };
}
