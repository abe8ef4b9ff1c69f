import type { ClaimsService } from "./claims.js";
import { Counter } from "prom-client";
import {
  checkChain, contentHashOf, createEvidenceRecord, GENESIS_PREV_HASH, recordHash as hashRecord,
  type Channel, type Direction, type EvidenceKind, type EvidenceRecord, type Relation, type ChainEntry,
} from "../../core/evidence.js";
import { checkContact, type ContactFacts } from "../../core/compliance.js";
import { checkEvidenceTime, isUntimed, type PriorEvent } from "../../core/evidence-time.js";
import { buildBundle, type ProofBundle } from "../../core/bundle.js";
import { leafOf } from "../../core/merkle.js";
import { saltedHash } from "../../core/pii.js";
import { documentCommitment } from "../../core/commitment.js";
import { ComplianceError, ForbiddenError, NotFoundError, ValidationError, DebtrailError } from "../../core/errors.js";
import { verifyBundleOnChain, BUNDLE_FAILURE_MESSAGES, type BundleVerification } from "../../chain/verify-bundle.js";
import { DURABLE, writeBatch, type BatchOp, type SublevelOf } from "../../store/db.js";
import type { Caller } from "../plugins/auth.js";
import { actsForHolder, mayReadPersonalData, notHolderError, requireReadDetails } from "../../app/access.js";
import { createEvidenceAnchorer, type AnchorerDeps, type Serial } from "./evidence-anchor.js";
import { openEvidenceStore, seqKey, type StoredEvidence } from "./evidence-store.js";
import { createHoldingReader, type Holding } from "./holding.js";

/** A contact or other collection event as a caller reports it (POST /v1/evidence). */
export interface EvidenceRequest {
  claimId: string;
  kind: EvidenceKind;
  channel: Channel;
  direction: Direction;
  occurredAt: string;
  /** Opaque id of the collector or system account. */
  actor: string;
  counterparty?: { name?: string; phone?: string; relation: Relation };
  /** Transcript / letter text: hashed into contentHash, kept off chain. */
  content?: string;
  contentHash?: string;
  attachments?: string[];
  /**
   * Service-internal (no route takes it): the record's document goes on chain as a salted commitment
   * under this salt (core/commitment.ts), stored with the record and carried in its proof bundle.
   */
  documentSalt?: string;
  /** Kind "prior-history" only: what the originator states happened before the claim was registered. */
  priorEvent?: PriorEvent;
}

export interface Accepted {
  recordId: string;
  leaf: string;
  status: "pending";
  seq: number;
  prevHash: string;
}

/** Claims whose context (registration, holder) is read from the chain at once. */
const CONTEXT_CHUNK = 200;

/** Contacts may be recorded a little ahead of the server clock (clock skew), not more. */
const MAX_FUTURE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/**
 * What the evidence service needs: the API passes its Fastify instance; `debtrail oracle` (src/oracle/main.ts)
 * the same parts without Fastify, to record its notices.
 */
export type EvidenceDeps = AnchorerDeps & {
  claims: Pick<ClaimsService, "claims" | "parties" | "mayReadDetails">;
};

/** What a claim means for recording evidence: who holds it, whose debtor it is, in which time zone. */
interface ClaimContext {
  holder: string;
  debtorKey: string;
  timeZone: string;
}

/**
 * Collection evidence: accepts records (compliance first, durable before the answer), links each
 * claim's records into a hash chain, batches and anchors them (evidence-anchor.ts), answers receipts
 * (proof bundles) and verifies bundles against the chain.
 */
export function createEvidenceService(fastify: EvidenceDeps) {
  const { chain, config } = fastify;
  const es = openEvidenceStore(fastify.store);
  // One writer at a time across the processes sharing the store (the API, `debtrail oracle` recording its
  // notices): each claim's hash chain and the pending queue are read and extended under this lock.
  const serial: Serial = (fn) => fastify.store.exclusive("evidence-writer", fn);
  const anchorer = createEvidenceAnchorer(fastify, es, serial);
  const holdings = createHoldingReader(chain);
  const outcomes = new Counter({
    name: "debtrail_evidence_records_total",
    help: "Evidence records by outcome (accepted, refused by a compliance rule)",
    labelNames: ["outcome"],
    registers: [fastify.metrics.registry],
  });

  async function claimContext(claimId: string): Promise<ClaimContext> {
    if (!(await chain.registry.isRegistered(claimId))) throw new NotFoundError("claim", claimId);
    const holder = await chain.registry.holderOf(claimId);
    const local = await fastify.claims.claims.get(claimId);
    // The debtor across claims and banks: a salted hash of the ID number (no personal data in keys).
    const debtorKey = local ? saltedHash(config.piiSecret, local.debtor.idNumber, "id-number") : `claim:${claimId}`;
    return {
      holder,
      debtorKey,
      timeZone: local?.debtor.timeZone ?? config.evidence.defaultTimeZone,
    };
  }

  /** Only the claim's holder and the collectors working for it record evidence of it (src/app/access.ts). */
  function requireRecorder(caller: Caller, claimId: string, ctx: ClaimContext): void {
    if (actsForHolder(caller, ctx.holder)) return;
    throw notHolderError({ claimId, registered: true, holder: ctx.holder, originator: null, beforeCourt: false }, { en: "record evidence of it", zh: "记录其存证" });
  }

  function counterpartyHash(cp: NonNullable<EvidenceRequest["counterparty"]>, field: string): string {
    try {
      if (cp.phone !== undefined) return saltedHash(config.piiSecret, cp.phone, "phone");
      if (cp.name !== undefined) return saltedHash(config.piiSecret, cp.name, "name");
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(`${field}.${cp.phone !== undefined ? "phone" : "name"}`, e.rule);
      throw e;
    }
    throw new ValidationError(field, "name-or-phone-required");
  }

  /** Checks a request's own consistency (no store, no chain) and derives the record's fields. */
  function parseRequest(req: EvidenceRequest, prefix: string, now: number) {
    const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
    const occurred = Date.parse(req.occurredAt);
    if (Number.isNaN(occurred)) throw new ValidationError(f("occurredAt"), "iso-8601-date-time");
    if (occurred > now + MAX_FUTURE_MS) throw new ValidationError(f("occurredAt"), "not-in-the-future");
    if ((req.content === undefined) === (req.contentHash === undefined)) {
      throw new ValidationError(f("content"), "exactly-one-of-content-or-contentHash");
    }
    if (req.kind === "prior-history" && req.priorEvent === undefined) throw new ValidationError(f("priorEvent"), "required-with-kind-prior-history");
    if (req.kind !== "prior-history" && req.priorEvent !== undefined) throw new ValidationError(f("priorEvent"), "only-with-kind-prior-history");
    if (req.direction === "internal" && req.counterparty) throw new ValidationError(f("counterparty"), "absent-when-internal");
    if (req.direction !== "internal" && !req.counterparty) throw new ValidationError(f("counterparty"), "required-unless-internal");
    const counterparty = req.counterparty
      ? { hash: counterpartyHash(req.counterparty, f("counterparty")), relation: req.counterparty.relation }
      : null;
    const contentHash = req.contentHash?.toLowerCase() ?? contentHashOf(req.content!);
    const facts: ContactFacts = { kind: req.kind, direction: req.direction, occurredAt: new Date(occurred), counterparty };
    return { occurred, counterparty, contentHash, facts };
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

  /**
   * The time rules of a caller's record (core/evidence-time.ts): not before the recorder's organisation
   * held the claim, not more than EVIDENCE_MAX_BACKDATE_DAYS old; prior history only from the originator
   * and only from before the registration.
   *
   * @throws ComplianceError naming the rule; ForbiddenError for prior history from anyone but the originator
   */
  function checkTime(caller: Caller, req: EvidenceRequest, occurred: number, holding: PromiseSettledResult<Holding> | undefined, now: number, prefix: string) {
    if (isUntimed(req.kind, req.direction)) return;
    if (!holding) throw new ValidationError(prefix ? `${prefix}.claimId` : "claimId", "claim-holding-unknown");
    if (holding.status === "rejected") throw holding.reason;
    const h = holding.value;
    if (req.kind === "prior-history" && !(caller.role === "bank" && caller.address?.toLowerCase() === h.originator.toLowerCase())) {
      throw new ForbiddenError(`only the claim's originator (${h.originator}) records its history from before the registration`, { rule: "originator-only", originator: h.originator });
    }
    const violation = checkEvidenceTime(req.kind, occurred, {
      nowMs: now, holdingSinceMs: h.holdingSince, registeredAtMs: h.registeredAt, maxBackdateDays: config.evidence.maxBackdateDays,
    }, req.direction);
    if (violation) {
      throw new ComplianceError(violation.rule, violation.message.en, {
        field: prefix ? `${prefix}.occurredAt` : "occurredAt", ...violation.details, messages: violation.message,
      });
    }
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
   * Accepts requests in order; each either becomes the next record of its claim's chain or is refused
   * with the error that says why. All accepted records are written in one synced batch before return.
   */
  async function accept(caller: Caller, requests: EvidenceRequest[], prefixOf: (i: number) => string, system = false) {
    // "Now" is the later of this clock and the chain's (a dev chain may run ahead of the wall clock).
    const now = Math.max(fastify.clock.now(), ((await chain.provider.getBlock("latest"))?.timestamp ?? 0) * 1000);
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
        const p = parseRequest(req, prefixOf(i), now);
        if (!system) checkTime(caller, req, p.occurred, held.get(claimId), now, prefixOf(i));
        parsed.push({ ok: true, ctx, p });
      } catch (e) {
        if (!(e instanceof DebtrailError) || e.code === "UNAVAILABLE") throw e;
        parsed.push({ ok: false, error: e });
      }
    }
    return serial(async () => {
      const acceptedAt = new Date().toISOString();
      const heads = new Map<string, { recordId: string; seq: number }>();
      const added = new Map<string, ContactFacts[]>();
      const ops: BatchOp[] = [];
      const put = <V>(sub: SublevelOf<V>, key: string, value: V) => ops.push({ type: "put", sublevel: sub as SublevelOf<unknown>, key, value });
      const results: Array<{ ok: true; value: Accepted } | { ok: false; error: DebtrailError }> = [];
      const queued: string[] = [];
      for (const [i, item] of parsed.entries()) {
        if (!item.ok) {
          results.push(item);
          continue;
        }
        const req = requests[i];
        const claimId = req.claimId.toLowerCase();
        const { ctx, p } = item;
        // Only outbound contacts of capped kinds count; others need no history (and are not indexed).
        const capped = req.direction === "outbound" && config.evidence.compliance.cappedKinds.includes(req.kind);
        const recent = capped ? [...(await recentContacts(ctx.debtorKey, p.occurred)), ...(added.get(ctx.debtorKey) ?? [])] : [];
        let verdict;
        try {
          // Prior history is a statement about the past, not a contact being made: the contact rules do not apply.
          verdict = req.kind === "prior-history" ? { ok: true as const } : checkContact(p.facts, ctx.timeZone, recent, config.evidence.compliance);
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
        queued.push(recordId);
        results.push({ ok: true, value: { recordId, leaf: stored.leaf, status: "pending", seq, prevHash: record.prevHash } });
      }
      for (const [claimId, head] of heads) put(es.heads, claimId, head);
      const keys = await anchorer.reservePending(queued.length);
      queued.forEach((recordId, k) => put(es.pending, keys[k], recordId));
      if (ops.length > 0) await writeBatch(fastify.store, ops);
      outcomes.inc({ outcome: "accepted" }, queued.length);
      anchorer.queued(queued.length, Date.parse(acceptedAt));
      return results;
    });
  }

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

  /**
   * Records the service's own documents (notices), in one accepted batch; a document already recorded
   * for its claim (same content) is found, not recorded twice — so re-planning after a crash is safe.
   */
  async function recordSystemMany(reqs: EvidenceRequest[]): Promise<Array<{ recordId: string; created: boolean; document?: StoredEvidence["document"] }>> {
    const out: Array<{ recordId: string; created: boolean; document?: StoredEvidence["document"] }> = new Array(reqs.length);
    const fresh: number[] = [];
    for (const [i, req] of reqs.entries()) {
      const contentHash = req.contentHash?.toLowerCase() ?? contentHashOf(req.content!);
      for await (const recordId of es.byContent.values({ gt: `${contentHash}!`, lt: `${contentHash}!~` })) {
        const stored = await es.records.get(recordId);
        if (stored?.record.claimId === req.claimId.toLowerCase()) {
          // Found again (a re-plan after a crash): its salt, so the commitment on chain is the one recorded.
          out[i] = { recordId, created: false, ...(stored.document ? { document: stored.document } : {}) };
          break;
        }
      }
      if (!out[i]) fresh.push(i);
    }
    if (fresh.length === 0) return out;
    const system: Caller = { role: "oracle", name: "Debtrail service", keyId: "service", address: chain.wallet(config.servicePrivateKey).address };
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

  return {
    anchorer,

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

    /** GET /v1/evidence/:recordId/receipt: for who may read the claim's off-chain details. */
    async receipt(caller: Caller, recordId: string) {
      const stored = await es.records.get(recordId.toLowerCase());
      if (!stored) throw new NotFoundError("evidence record", recordId);
      requireReadDetails(caller, await fastify.claims.parties(stored.record.claimId, caller));
      const bundle = await bundleOf(stored, stored.document !== undefined);
      if (!bundle) return { status: "pending" as const, recordId: stored.recordId, leaf: stored.leaf, batchId: stored.batchId };
      return { status: "anchored" as const, ...bundle };
    },

    /** A claim's records in chain order, with whether the chain is complete: for who may read its off-chain details. */
    async listForClaim(caller: Caller, claimId: string) {
      const id = claimId.toLowerCase();
      const parties = await fastify.claims.parties(id, caller);
      if (!parties.registered) throw new NotFoundError("claim", id);
      requireReadDetails(caller, parties);
      const personal = mayReadPersonalData(caller, parties);
      const entries: ChainEntry[] = [];
      const rows: Array<Record<string, unknown>> = [];
      const batchCache = new Map<string, Awaited<ReturnType<typeof es.batches.get>>>();
      for await (const [, recordId] of es.byClaim.iterator({ gt: `${id}!`, lt: `${id}!~` })) {
        const stored = await es.records.get(recordId);
        if (!stored) continue; // deleted: the next record's prevHash names it
        entries.push({ record: stored.record, recordHash: stored.recordId, id: stored.recordId });
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
      const head = await es.heads.get(id);
      const check = checkChain(entries, head ? { head: head.recordId } : {});
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
      const matches: string[] = [];
      for await (const recordId of es.byContent.values({ gt: `${hash}!`, lt: `${hash}!~` })) matches.push(recordId);
      if (matches.length === 0) {
        return { verified: false, reason: "unknown-content" as const, contentHash: hash,
          messages: { en: "No evidence record has this file's hash as its content or attachment.", "zh-CN": "没有任何存证记录的内容或附件与该文件的哈希一致。" } };
      }
      const readable: string[] = [];
      for (const recordId of matches) {
        const stored = await es.records.get(recordId);
        if (stored && (await fastify.claims.mayReadDetails(caller, stored.record.claimId))) readable.push(recordId);
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

    /** The evidence record behind a document commitment on chain (a notice hash), if this store has it. */
    async recordOfCommitment(commitment: string): Promise<string | undefined> {
      return es.byCommitment.get(commitment.toLowerCase());
    },

    /** Refused contacts, newest first (audit): the operator's admin all; a court those of claims whose case is before it. */
    async refused(caller: Caller, limit: number, claimId?: string) {
      const out = [];
      const readable = new Map<string, boolean>();
      for await (const r of es.refused.values({ reverse: true })) {
        if (claimId && r.claimId !== claimId.toLowerCase()) continue;
        if (caller.role !== "admin") {
          if (!readable.has(r.claimId)) {
            const parties = await fastify.claims.parties(r.claimId, caller).catch(() => undefined);
            readable.set(r.claimId, parties !== undefined && mayReadPersonalData(caller, parties));
          }
          if (!readable.get(r.claimId)) continue;
        }
        out.push(r);
        if (out.length >= limit) break;
      }
      return { refused: out };
    },

    status: () => anchorer.status(),
    start: () => anchorer.start(),
    stop: () => anchorer.stop(),
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
