import { checkChain, type ChainCheck, type ChainEntry } from "../../core/evidence.js";
import { buildBundle, type ProofBundle } from "../../core/bundle.js";
import { NotFoundError } from "../../core/errors.js";
import { verifyBundleOnChain, BUNDLE_FAILURE_MESSAGES, type BundleVerification } from "../../chain/verify-bundle.js";
import { recordIdsWithContent, type EvidenceRepo, type StoredEvidence } from "../../store/repos/evidence.js";
import { mayReadPersonalData, requireReadDetails, type Caller } from "../access.js";
import type { EvidenceAnchorer } from "./anchor.js";
import type { EvidenceDeps } from "./types.js";

/**
 * A claim's stored records in hash-chain order, and the check of that chain against the claim's head (a
 * deleted record is skipped: the next record's prevHash names it, and the check reports the break).
 */
export async function readClaimChain(es: EvidenceRepo, claimId: string): Promise<{ stored: StoredEvidence[]; entries: ChainEntry[]; check: ChainCheck }> {
  const stored: StoredEvidence[] = [];
  for await (const [, recordId] of es.byClaim.iterator({ gt: `${claimId}!`, lt: `${claimId}!~` })) {
    const s = await es.records.get(recordId);
    if (s) stored.push(s);
  }
  const entries: ChainEntry[] = stored.map((s) => ({ record: s.record, recordHash: s.recordId, id: s.recordId }));
  const head = await es.heads.get(claimId);
  return { stored, entries, check: checkChain(entries, head ? { head: head.recordId } : {}) };
}

/** A claim's records in hash-chain order as the legal rules read them: each with its id, altered ones marked. */
export async function claimRecordRefs(es: EvidenceRepo, claimId: string): Promise<Array<{ recordId: string; record: StoredEvidence["record"]; altered?: boolean }>> {
  const { stored, check } = await readClaimChain(es, claimId.toLowerCase());
  const altered = new Set(check.breaks.filter((b) => b.reason === "altered").map((b) => b.recordId));
  return stored.map((s) => ({ recordId: s.recordId, record: s.record, ...(altered.has(s.recordId) ? { altered: true } : {}) }));
}

/**
 * Reading evidence: receipts (proof bundles), a claim's records with whether its chain is complete, bundles
 * and files verified against the chain, refused contacts — each for who may read it (src/app/access.ts).
 */
export function createEvidenceReads(deps: Pick<EvidenceDeps, "repos" | "chain" | "access">, anchorer: Pick<EvidenceAnchorer, "treeOf">) {
  const { chain, access } = deps;
  const es = deps.repos.evidence;

  /**
   * The proof bundle of an anchored record, or undefined while its batch is not anchored.
   * @param withDocument include the document's salt (only for who may read the claim)
   */
  async function bundleOf(stored: StoredEvidence, withDocument = false): Promise<ProofBundle | undefined> {
    if (stored.batchId === undefined || stored.index === undefined) return undefined;
    const batch = await es.batches.get(stored.batchId);
    if (!batch || batch.status !== "anchored" || !batch.anchor) return undefined;
    return buildBundle({
      record: stored.record,
      tree: anchorer.treeOf(batch),
      index: stored.index,
      chainId: BigInt(chain.deployment.chainId),
      contract: chain.deployment.contracts.EvidenceLog.address,
      anchor: batch.anchor,
      ...(withDocument && stored.document ? { document: stored.document } : {}),
    });
  }

  function describe(result: BundleVerification) {
    return {
      ...result,
      ...(result.reason ? { messages: BUNDLE_FAILURE_MESSAGES[result.reason] } : {}),
    };
  }

  return {
    /**
     * A claim's records in hash-chain order, each with whether it was altered after it was written and, once its
     * batch is anchored, its proof bundle (without document salts): what the claim's 证据目录 and 时效中断证明 are
     * built from (src/app/limitation/proofs.ts). No access decision here: the caller's feature makes it.
     */
    async proofEntries(claimId: string, withBundles = true): Promise<{ complete: boolean; entries: Array<{ recordId: string; record: StoredEvidence["record"]; altered?: boolean; bundle?: ProofBundle }> }> {
      const { stored, check } = await readClaimChain(es, claimId.toLowerCase());
      const altered = new Set(check.breaks.filter((b) => b.reason === "altered").map((b) => b.recordId));
      const entries = [];
      for (const s of stored) {
        const bundle = withBundles ? await bundleOf(s) : undefined;
        entries.push({ recordId: s.recordId, record: s.record, ...(altered.has(s.recordId) ? { altered: true } : {}), ...(bundle ? { bundle } : {}) });
      }
      return { complete: check.complete, entries };
    },

    /** GET /v1/evidence/:recordId/receipt: for who may read the claim's off-chain details. */
    async receipt(caller: Caller, recordId: string) {
      const stored = await es.records.get(recordId.toLowerCase());
      if (!stored) throw new NotFoundError("evidence record", recordId);
      requireReadDetails(caller, await access.parties(stored.record.claimId, caller));
      const bundle = await bundleOf(stored, stored.document !== undefined);
      if (!bundle) return { status: "pending" as const, recordId: stored.recordId, leaf: stored.leaf, batchId: stored.batchId };
      return { status: "anchored" as const, ...bundle };
    },

    /** A claim's records in chain order, with whether the chain is complete: for who may read its off-chain details. */
    async listForClaim(caller: Caller, claimId: string) {
      const id = claimId.toLowerCase();
      const parties = await access.parties(id, caller);
      if (!parties.registered) throw new NotFoundError("claim", id);
      requireReadDetails(caller, parties);
      const personal = mayReadPersonalData(caller, parties);
      const { stored: chainOf, entries, check } = await readClaimChain(es, id);
      const rows: Array<Record<string, unknown>> = [];
      const batchCache = new Map<string, Awaited<ReturnType<typeof es.batches.get>>>();
      for (const stored of chainOf) {
        let batch = stored.batchId ? batchCache.get(stored.batchId) : undefined;
        if (stored.batchId && !batchCache.has(stored.batchId)) batchCache.set(stored.batchId, (batch = await es.batches.get(stored.batchId)));
        rows.push({
          recordId: stored.recordId,
          seq: stored.seq,
          status: batch?.status === "anchored" ? "anchored" : "pending",
          batchId: stored.batchId,
          anchor: batch?.status === "anchored" ? batch.anchor : undefined,
          acceptedAt: stored.acceptedAt,
          // Prior history is the originator's statement, entered at recordedAt, never a contemporaneous record.
          nature: stored.record.kind === "prior-history" ? "originator-statement" : "contemporaneous",
          ...(stored.record.kind === "prior-history"
            ? { statement: { by: "originator", event: stored.record.priorEvent, recordedAt: stored.record.recordedAt, recordedBy: stored.recordedBy.name } }
            : {}),
          record: stored.record,
          ...(personal ? { content: stored.content, counterparty: stored.counterparty, ...(stored.document ? { document: stored.document } : {}) } : {}),
        });
      }
      return {
        claimId: id,
        count: rows.length,
        complete: check.complete,
        breaks: check.breaks.map((b) => ({
          ...b,
          // The record that should precede this one: what is missing or was changed.
          missingRecordId: b.reason === "missing-previous"
            ? (b.index < entries.length ? entries[b.index].record.prevHash : b.recordId)
            : undefined,
        })),
        personalDataRedacted: !personal,
        records: rows,
      };
    },

    /** Verifies a bundle against the chain this service runs on. */
    async verifyBundle(bundle: unknown) {
      return describe(await verifyBundleOnChain(bundle as ProofBundle, chain.provider));
    },

    /**
     * Verifies the records whose content (or an attachment) hashes to `contentHash`. Anyone learns
     * whether such a record is anchored and where (verified, the anchor); the record, its bundle and its
     * claim only a caller who may read that claim — else a guess of a letter's text would be confirmed
     * together with whose claim it concerns.
     */
    async verifyContent(caller: Caller | undefined, contentHash: string) {
      const hash = contentHash.toLowerCase();
      const matches = await recordIdsWithContent(es, hash);
      if (matches.length === 0) {
        return { verified: false, reason: "unknown-content" as const, contentHash: hash,
          messages: { en: "No evidence record has this file's hash as its content or attachment.", "zh-CN": "没有任何存证记录的内容或附件与该文件的哈希一致。" } };
      }
      const readable: string[] = [];
      for (const recordId of matches) {
        const stored = await es.records.get(recordId);
        if (stored && (await access.mayReadDetails(caller, stored.record.claimId))) readable.push(recordId);
      }
      for (const recordId of [...readable, ...matches.filter((m) => !readable.includes(m))]) {
        const stored = (await es.records.get(recordId))!;
        const details = readable.includes(recordId);
        const bundle = await bundleOf(stored, details);
        if (!bundle) continue;
        const result = describe(await verifyBundleOnChain(bundle, chain.provider));
        if (!details) return { ...result, contentHash: hash, detailsRedacted: true };
        return { ...result, contentHash: hash, recordId, records: readable, bundle, detailsRedacted: false };
      }
      return { verified: false, reason: "pending" as const, contentHash: hash,
        messages: { en: "The record exists but its batch is not anchored yet; try again shortly.", "zh-CN": "记录已存在，但所在批次尚未上链锚定，请稍后再试。" } };
    },

    /** Refused contacts, newest first (audit): the operator's admin all; a court those of claims whose case is before it. */
    async refused(caller: Caller, limit: number, claimId?: string) {
      const out = [];
      const readable = new Map<string, boolean>();
      for await (const r of es.refused.values({ reverse: true })) {
        if (claimId && r.claimId !== claimId.toLowerCase()) continue;
        if (caller.role !== "admin") {
          if (!readable.has(r.claimId)) {
            const parties = await access.parties(r.claimId, caller).catch(() => undefined);
            readable.set(r.claimId, parties !== undefined && mayReadPersonalData(caller, parties));
          }
          if (!readable.get(r.claimId)) continue;
        }
        out.push(r);
        if (out.length >= limit) break;
      }
      return { refused: out };
    },
  };
}
