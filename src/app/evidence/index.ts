import type { Caller } from "../access.js";
import type { Serial } from "../serial.js";
import { createEvidenceAnchorer } from "./anchor.js";
import { createEvidenceReads } from "./reads.js";
import type { Accepted, EvidenceDeps, EvidenceRequest } from "./types.js";
import { createEvidenceWriter } from "./write.js";

export type { Accepted, EvidenceDeps, EvidenceRequest, SystemRecorder } from "./types.js";
export { readClaimChain } from "./reads.js";

/**
 * Collection evidence: accepts records (compliance first, durable before the answer) and links each claim's
 * records into a hash chain (write.ts, checks.ts, holding.ts), batches and anchors them on EvidenceLog
 * (anchor.ts), answers receipts (proof bundles) and verifies bundles against the chain (reads.ts).
 */
export function createEvidence(deps: EvidenceDeps) {
  // One writer at a time across the processes sharing the store (the API, `debtrail oracle` recording its
  // notices): each claim's hash chain and the pending queue are read and extended under this lock.
  const serial: Serial = (fn) => deps.repos.store.exclusive("evidence-writer", fn);
  const anchorer = createEvidenceAnchorer(deps, serial);
  // Who wants to know that a claim's records changed (the console's read model: its limitation periods).
  const listeners: Array<(claimIds: string[]) => void> = [];
  const { accept, recordSystemMany } = createEvidenceWriter(deps, anchorer, serial, (ids) => listeners.forEach((l) => l(ids)));

  return {
    anchorer,
    ...createEvidenceReads(deps, anchorer),

    /** Calls `listener` with the claims whose hash chains grew, after each write (in this process). */
    onRecorded(listener: (claimIds: string[]) => void): void {
      listeners.push(listener);
    },

    /** Records one contact; 201 only after it is on disk. @throws ComplianceError, ValidationError, ForbiddenError, NotFoundError */
    async record(caller: Caller, req: EvidenceRequest): Promise<Accepted> {
      const [result] = await accept(caller, [req], () => "");
      if (!result.ok) throw result.error;
      return result.value;
    },

    /**
     * Records many contacts in order; each is accepted or refused on its own.
     * @param indices each request's position in the caller's list (for field names), default 0..n−1
     */
    async recordMany(caller: Caller, requests: EvidenceRequest[], indices: number[] = requests.map((_, i) => i)) {
      const results = await accept(caller, requests, (k) => `records[${indices[k]}]`);
      return results.map((r, k) =>
        r.ok
          ? { index: indices[k], ...r.value }
          : { index: indices[k], error: { error: r.error.code, message: r.error.message, ...(r.error.details as object) } });
    },

    /**
     * Records an event the service itself produced (a notice the clauses require), once: if a record
     * of the claim with the same content hash exists, that one is returned. Compliance rules apply.
     */
    async recordSystem(req: EvidenceRequest): Promise<{ recordId: string; created: boolean }> {
      return (await recordSystemMany([req]))[0];
    },

    recordSystemMany,

    /** Closes one batch now and waits for its anchor (admin). */
    async flush() {
      const batch = await anchorer.flush();
      if (!batch) return { closed: false as const, status: anchorer.status() };
      return {
        closed: true as const,
        batchId: batch.batchId,
        root: batch.root,
        count: batch.recordIds.length,
        status: batch.status,
        anchor: batch.anchor,
        lastError: batch.lastError,
      };
    },

    status: () => anchorer.status(),
    start: () => anchorer.start(),
    stop: () => anchorer.stop(),
  };
}

export type Evidence = ReturnType<typeof createEvidence>;
