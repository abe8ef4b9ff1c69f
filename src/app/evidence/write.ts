import { Counter } from "prom-client";
import { contentHashOf, createEvidenceRecord, GENESIS_PREV_HASH, recordHash as hashRecord, type EvidenceRecord } from "../../core/evidence.js";
import { checkContact, type ContactFacts } from "../../core/compliance.js";
import { isUntimed } from "../../core/evidence-time.js";
import { leafOf } from "../../core/merkle.js";
import { saltedHash } from "../../core/pii.js";
import { documentCommitment } from "../../core/commitment.js";
import { ComplianceError, DebtrailError, NotFoundError, ValidationError } from "../../core/errors.js";
import { NOTICE_KINDS } from "../../core/delivery.js";
import { DURABLE, TypedBatch, type SublevelOf } from "../../store/db.js";
import { recordOfClaimWithContent, seqKey, type StoredEvidence } from "../../store/repos/evidence.js";
import type { Caller } from "../access.js";
import { isoNow, serviceNow } from "../deps.js";
import type { Serial } from "../serial.js";
import type { EvidenceAnchorer } from "./anchor.js";
import { checkCollectionHold, checkTime, parseRequest, requireRecorder, type ClaimContext } from "./checks.js";
import { createHoldingReader, type Holding } from "./holding.js";
import type { Accepted, EvidenceDeps, EvidenceRequest } from "./types.js";

/** Claims whose context (registration, holder) is read from the chain at once. */
const CONTEXT_CHUNK = 200;
const DAY_MS = 86_400_000;

/** One request's outcome: accepted as the next record of its claim's chain, or refused with the reason. */
export type Outcome = { ok: true; value: Accepted } | { ok: false; error: DebtrailError };

/**
 * Recording evidence: each request checked (its own consistency, who records, the time rules, then the
 * contact rules against the debtor's recent contacts), appended to its claim's hash chain and queued for
 * anchoring — all accepted records of a call in one synced batch, under the store's `evidence-writer` lock
 * (one writer across the processes sharing the store).
 */
export function createEvidenceWriter(deps: EvidenceDeps, anchorer: EvidenceAnchorer, serial: Serial, recorded: (claimIds: string[]) => void = () => {}) {
  const { chain, repos, settings } = deps;
  const es = repos.evidence;
  const holdings = createHoldingReader(chain);
  const outcomes = new Counter({
    name: "debtrail_evidence_records_total",
    help: "Evidence records by outcome (accepted, refused by a compliance rule)",
    labelNames: ["outcome"],
    registers: [deps.metrics.registry],
  });

  async function claimContext(claimId: string): Promise<ClaimContext> {
    if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
    const holder = await chain.registry.holderOf(claimId);
    const local = await repos.claims.get(claimId);
    // The debtor across claims and banks: a salted hash of the ID number (no personal data in keys).
    const debtorKey = local ? saltedHash(settings.piiSecret, local.debtor.idNumber, "id-number") : `claim:${claimId}`;
    const hold = local?.legal?.bankruptcy ? "debtor-in-bankruptcy" as const : local?.legal?.objection ? "debtor-objection" as const : undefined;
    return {
      holder,
      debtorKey,
      timeZone: local?.debtor.timeZone ?? settings.evidence.defaultTimeZone,
      ...(hold ? { hold } : {}),
    };
  }

  /** Each claim's holding by its holder, for the claims of `requests` whose kinds the time rules read. */
  async function holdingsOf(requests: EvidenceRequest[], contexts: Map<string, PromiseSettledResult<ClaimContext>>) {
    const out = new Map<string, PromiseSettledResult<Holding>>();
    const wanted = [...new Set(requests.filter((r) => !isUntimed(r.kind, r.direction)).map((r) => r.claimId.toLowerCase()))]
      .filter((claimId) => contexts.get(claimId)?.status === "fulfilled");
    for (let i = 0; i < wanted.length; i += CONTEXT_CHUNK) {
      const chunk = wanted.slice(i, i + CONTEXT_CHUNK);
      const settled = await Promise.allSettled(chunk.map((claimId) =>
        holdings.holdingOf(claimId, (contexts.get(claimId) as PromiseFulfilledResult<ClaimContext>).value.holder)));
      chunk.forEach((claimId, k) => out.set(claimId, settled[k]));
    }
    return out;
  }

  /** Accepted contacts of the debtor in the 8 days up to the contact (the weekly cap's window and a day of slack). */
  async function recentContacts(debtorKey: string, occurred: number): Promise<ContactFacts[]> {
    const out: ContactFacts[] = [];
    const from = new Date(occurred - 8 * DAY_MS).toISOString();
    const to = new Date(occurred + DAY_MS).toISOString();
    for await (const facts of es.contacts.values({ gte: `${debtorKey}!${from}`, lte: `${debtorKey}!${to}~` })) out.push(facts);
    return out;
  }

  /**
   * A delivery proof names a notice of the same claim recorded before it, sent no later than the proof's date, and
   * (confirmed address) an address confirmation of the same claim: else it is refused, naming the field — a proof
   * of nothing, or of another claim's letter, never enters the chain (core/delivery.ts would not count it anyway).
   */
  async function checkDeliveryLinks(claimId: string, p: ReturnType<typeof parseRequest>, prefix: string, fresh: ReadonlyMap<string, EvidenceRecord>): Promise<void> {
    const d = p.delivery;
    if (!d) return;
    const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
    const find = async (id: string) => fresh.get(id) ?? (await es.records.get(id))?.record;
    const notice = await find(d.notice);
    if (!notice || notice.claimId !== claimId || !NOTICE_KINDS.includes(notice.kind)) throw new ValidationError(f("delivery.notice"), "notice-of-this-claim");
    if (p.occurred < Date.parse(notice.occurredAt)) throw new ValidationError(f("occurredAt"), "delivered-before-sent");
    if (d.confirmation !== undefined) {
      const c = await find(d.confirmation);
      if (!c || c.claimId !== claimId || c.kind !== "address-confirmation") throw new ValidationError(f("delivery.confirmation"), "address-confirmation-of-this-claim");
    }
  }

  /**
   * Accepts requests in order; each either becomes the next record of its claim's chain or is refused
   * with the error that says why. All accepted records are written in one synced batch before return.
   */
  async function accept(caller: Caller, requests: EvidenceRequest[], prefixOf: (i: number) => string, system = false) {
    // "Now" is the later of this clock and the chain's (a dev chain may run ahead of the wall clock).
    const now = await serviceNow(deps);
    // Everything that needs the chain happens before the serialized section: each claim's context once,
    // a chunk of claims at a time (their reads travel together).
    const contexts = new Map<string, PromiseSettledResult<ClaimContext>>();
    const unique = [...new Set(requests.map((r) => r.claimId.toLowerCase()))];
    for (let i = 0; i < unique.length; i += CONTEXT_CHUNK) {
      const chunk = unique.slice(i, i + CONTEXT_CHUNK);
      const settled = await Promise.allSettled(chunk.map((claimId) => claimContext(claimId)));
      chunk.forEach((claimId, k) => contexts.set(claimId, settled[k]));
    }
    // When the recorder's organisation got each claim (chain events), for the time rules of callers' records.
    const held = system ? new Map<string, PromiseSettledResult<Holding>>() : await holdingsOf(requests, contexts);
    const parsed: Array<{ ok: true; ctx: ClaimContext; p: ReturnType<typeof parseRequest> } | { ok: false; error: DebtrailError }> = [];
    for (const [i, req] of requests.entries()) {
      try {
        const claimId = req.claimId.toLowerCase();
        const settled = contexts.get(claimId)!;
        if (settled.status === "rejected") throw settled.reason; // the request's own failure
        const ctx = settled.value;
        if (!system) requireRecorder(caller, claimId, ctx);
        if (!system) checkCollectionHold(req, ctx, prefixOf(i));
        const p = parseRequest(settings.piiSecret, req, prefixOf(i), now);
        if (!system) checkTime(settings.evidence.maxBackdateDays, caller, req, p.occurred, held.get(claimId), now, prefixOf(i));
        parsed.push({ ok: true, ctx, p });
      } catch (e) {
        if (!(e instanceof DebtrailError) || e.code === "UNAVAILABLE") throw e;
        parsed.push({ ok: false, error: e });
      }
    }
    return serial(async () => {
      const acceptedAt = isoNow(deps);
      const heads = new Map<string, { recordId: string; seq: number }>();
      const added = new Map<string, ContactFacts[]>();
      const ops = new TypedBatch();
      const put = <V>(sub: SublevelOf<V>, key: string, value: V) => ops.put(sub, key, value);
      const results: Outcome[] = [];
      const queued: string[] = [];
      /** Records accepted earlier in this call (a notice and its proof may arrive together). */
      const fresh = new Map<string, EvidenceRecord>();
      for (const [i, item] of parsed.entries()) {
        if (!item.ok) {
          results.push(item);
          continue;
        }
        const req = requests[i];
        const claimId = req.claimId.toLowerCase();
        const { ctx, p } = item;
        try {
          await checkDeliveryLinks(claimId, p, prefixOf(i), fresh);
        } catch (e) {
          if (!(e instanceof DebtrailError)) throw e;
          results.push({ ok: false, error: e });
          continue;
        }
        // Only outbound contacts of capped kinds count; others need no history (and are not indexed).
        const capped = req.direction === "outbound" && settings.evidence.compliance.cappedKinds.includes(req.kind);
        const recent = capped ? [...(await recentContacts(ctx.debtorKey, p.occurred)), ...(added.get(ctx.debtorKey) ?? [])] : [];
        let verdict;
        try {
          // Prior history is a statement about the past, not a contact being made: the contact rules do not apply.
          verdict = req.kind === "prior-history" ? { ok: true as const } : checkContact(p.facts, ctx.timeZone, recent, settings.evidence.compliance);
        } catch (e) {
          if (!(e instanceof DebtrailError)) throw e;
          results.push({ ok: false, error: e });
          continue;
        }
        if (!verdict.ok) {
          const first = verdict.violations[0];
          const error = new ComplianceError(first.rule, first.message.en, {
            ...first.details,
            messages: first.message,
            violations: verdict.violations.map((v) => ({ rule: v.rule, ...v.details })),
            
          });
          // Refused attempts are kept for audit, off chain, without personal data in clear.
          await es.refused.put(`${acceptedAt}!${claimId}!${i}`, {
            at: acceptedAt,
            claimId,
            rule: first.rule,
            violations: verdict.violations.map((v) => ({ rule: v.rule, ...v.details })),
            facts: { kind: req.kind, channel: req.channel, direction: req.direction, occurredAt: new Date(p.occurred).toISOString(), relation: p.counterparty?.relation ?? null },
            recordedBy: { name: caller.name, keyId: caller.keyId, role: caller.role },
          }, DURABLE);
          outcomes.inc({ outcome: "refused" });
          results.push({ ok: false, error });
          continue;
        }
        const head = heads.get(claimId) ?? (await es.heads.get(claimId));
        const record: EvidenceRecord = createEvidenceRecord(
          {
            claimId,
            kind: req.kind,
            channel: req.channel,
            direction: req.direction,
            occurredAt: new Date(p.occurred),
            actor: req.actor,
            counterparty: p.counterparty,
            contentHash: p.contentHash,
            attachments: req.attachments,
            // Entered now, by the service's count (the later of its clock and the chain's, as the time rules count).
            ...(req.kind === "prior-history" ? { priorEvent: req.priorEvent, recordedAt: new Date(Math.max(now, Date.parse(acceptedAt))) } : {}),
            ...(p.delivery ? { delivery: p.delivery } : {}),
            ...(p.confirmedAddress ? { confirmedAddress: p.confirmedAddress } : {}),
          },
          head?.recordId ?? GENESIS_PREV_HASH,
        );
        const recordId = hashRecord(record);
        const seq = head ? head.seq + 1 : 0;
        const stored: StoredEvidence = {
          recordId,
          seq,
          record,
          leaf: leafOf(recordId),
          acceptedAt,
          recordedBy: { name: caller.name, keyId: caller.keyId, role: caller.role },
          debtorKey: ctx.debtorKey,
          ...(req.content !== undefined ? { content: req.content } : {}),
          ...(req.counterparty ? { counterparty: { ...req.counterparty } } : {}),
        };
        if (req.documentSalt !== undefined) {
          stored.document = { salt: req.documentSalt.toLowerCase(), commitment: documentCommitment(req.documentSalt, record.contentHash) };
          put(es.byCommitment, stored.document.commitment, recordId);
        }
        put(es.records, recordId, stored);
        put(es.byClaim, `${claimId}!${seqKey(seq)}`, recordId);
        put(es.byContent, `${record.contentHash}!${recordId}`, recordId);
        for (const a of record.attachments ?? []) put(es.byContent, `${a}!${recordId}`, recordId);
        if (capped) {
          const facts: ContactFacts = { kind: record.kind, direction: record.direction, occurredAt: record.occurredAt, counterparty: record.counterparty };
          put(es.contacts, `${ctx.debtorKey}!${record.occurredAt}!${recordId}`, facts);
          added.set(ctx.debtorKey, [...(added.get(ctx.debtorKey) ?? []), facts]);
        }
        heads.set(claimId, { recordId, seq });
        fresh.set(recordId, record);
        queued.push(recordId);
        results.push({ ok: true, value: { recordId, leaf: stored.leaf, status: "pending", seq, prevHash: record.prevHash } });
      }
      for (const [claimId, head] of heads) put(es.heads, claimId, head);
      const keys = await anchorer.reservePending(queued.length);
      queued.forEach((recordId, k) => put(es.pending, keys[k], recordId));
      await ops.write(repos.store);
      outcomes.inc({ outcome: "accepted" }, queued.length);
      anchorer.queued(queued.length, Date.parse(acceptedAt));
      if (heads.size > 0) recorded([...heads.keys()]);
      return results;
    });
  }

  /**
   * Records the service's own documents (notices), in one accepted batch; a document already recorded
   * for its claim (same content) is found, not recorded twice — so re-planning after a crash is safe.
   */
  async function recordSystemMany(reqs: EvidenceRequest[]): Promise<Array<{ recordId: string; created: boolean; document?: StoredEvidence["document"] }>> {
    const out: Array<{ recordId: string; created: boolean; document?: StoredEvidence["document"] }> = new Array(reqs.length);
    const fresh: number[] = [];
    for (const [i, req] of reqs.entries()) {
      const contentHash = req.contentHash?.toLowerCase() ?? contentHashOf(req.content!);
      const stored = await recordOfClaimWithContent(es, req.claimId.toLowerCase(), contentHash);
      // Found again (a re-plan after a crash): its salt, so the commitment on chain is the one recorded.
      if (stored) out[i] = { recordId: stored.recordId, created: false, ...(stored.document ? { document: stored.document } : {}) };
      else fresh.push(i);
    }
    if (fresh.length === 0) return out;
    const system: Caller = { role: "oracle", name: "Debtrail service", keyId: "service", address: chain.wallet(settings.servicePrivateKey).address };
    const results = await accept(system, fresh.map((i) => reqs[i]), (k) => (reqs.length > 1 ? `notices[${fresh[k]}].` : ""), true);
    for (const [k, result] of results.entries()) {
      if (!result.ok) throw result.error;
      const req = reqs[fresh[k]];
      const document = req.documentSalt === undefined
        ? undefined
        : { salt: req.documentSalt.toLowerCase(), commitment: documentCommitment(req.documentSalt, req.contentHash?.toLowerCase() ?? contentHashOf(req.content!)) };
      out[fresh[k]] = { recordId: result.value.recordId, created: true, ...(document ? { document } : {}) };
    }
    return out;
  }

  return { accept, recordSystemMany };
}

export type EvidenceWriter = ReturnType<typeof createEvidenceWriter>;
