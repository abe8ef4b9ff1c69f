/**
 * The 时效中断证明 (proof of the interruptions of a claim's limitation period) and its offline check. Pure: the
 * claim's records with their proof bundles and the as-of day are arguments.
 *
 * The proof is a JSON document a court can check without Debtrail: the claim's stated facts (maturity, whether
 * secured, the holder's kind), the limitation period as computed (core/limitation.ts), and the chain of
 * interruptions — for each interrupting event, the proof bundle of its evidence record and, for a demand, of the
 * delivery proof that made it interrupt (and of the debtor's 送达地址确认书 when the delivery relied on it). Every
 * bundle is verified like any bundle (core/bundle.ts offline, src/chain/verify-bundle.ts on chain); the period is
 * then computed again from the records inside the proof alone and must give the same last day
 * ({@link checkInterruptionProof}). The stated maturity can be checked against ClaimRegistry's terms on chain;
 * the holder's kind cannot (no chain fact says who is an AMC) and is shown as stated.
 *
 * What the chain proves and what it does not (在线诉讼规则第十六至十八条): a record has not changed since it was
 * anchored (block time); the time of the event is the recorder's statement, weighed with the anchor's lag.
 */
import { checkBundleIntegrity, type ProofBundle } from "./bundle.js";
import { deliveriesOf, type RecordRef } from "./delivery.js";
import { claimFromRecords, type ClaimFacts, type RecordUse } from "./limitation/records.js";
import { claimPeriods } from "./limitation.js";
import type { Effect, Holder, Period } from "./limitation/types.js";
import { formatDay } from "./dates.js";
import { chinaDay, chinaDayOfMs } from "./input-fields.js";
import type { EvidenceRecord } from "./evidence.js";

export const INTERRUPTION_PROOF_VERSION = 1;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Effects that make a link of the chain: the period began again, paused, or was given up. */
const LINK_EFFECTS: readonly Effect[] = ["interrupted", "suspended", "restarted", "revived"];

/** One record as the builder reads it: the stored record, and its bundle once its batch is anchored. */
export interface ProofEntry {
  recordId: string;
  record: EvidenceRecord;
  altered?: boolean;
  bundle?: ProofBundle;
}

/** A record inside the proof: its bundle, or its id while its batch awaits anchoring. */
export type ProofRecord = { status: "anchored"; bundle: ProofBundle } | { status: "pending"; recordId: string; record: EvidenceRecord };

export interface InterruptionLink {
  /** The event's name in the period's basis, e.g. "events[2]". */
  event: string;
  effect: Effect;
  type: NonNullable<RecordUse["type"]>;
  /** The day it took effect (a demand: the day delivered). */
  day: string;
  record: ProofRecord;
  /** A demand's delivery proof, and the address confirmation it relied on. */
  delivery?: { method: string; deliveredAt: string; proof: ProofRecord; confirmation?: ProofRecord };
}

export interface InterruptionProof {
  version: typeof INTERRUPTION_PROOF_VERSION;
  type: "limitation-interruption-proof";
  claimId: string;
  asOf: string;
  /**
   * Stated facts the periods start from: maturity (checkable on chain), installment due dates (the period runs from
   * the last, which may not be after the maturity), collateral, the holder's kind (as stated).
   */
  claim: { maturityAt: string; collateral: boolean; holder: Holder | "unknown"; installments?: string[] };
  /** The periods as computed, language-neutral (reasons are message keys: src/i18n/limitation.ts). */
  periods: Period[];
  links: InterruptionLink[];
  /** True when every link's records are anchored (the proof can be verified in full). */
  complete: boolean;
}

/** The last instant of a China calendar day, in ms. */
function endOfChinaDay(day: number): number {
  return (day + 1) * DAY_MS - CHINA_OFFSET_MS - 1;
}

const asRecord = (e: ProofEntry): ProofRecord => (e.bundle ? { status: "anchored", bundle: e.bundle } : { status: "pending", recordId: e.recordId, record: e.record });

/**
 * Builds the proof from a claim's records (hash-chain order, with bundles where anchored).
 * @throws ValidationError when the stated maturity is not a date
 */
export function buildInterruptionProof(args: {
  claimId: string; asOf: number; claim: InterruptionProof["claim"]; entries: readonly ProofEntry[];
}): InterruptionProof {
  const { claimId, asOf, claim, entries } = args;
  const refs: RecordRef[] = entries.map((e) => ({ recordId: e.recordId, record: e.record, ...(e.altered ? { altered: true } : {}) }));
  const deliveries = deliveriesOf(refs, endOfChinaDay(asOf));
  const facts: ClaimFacts = {
    claimId, maturityAt: claim.maturityAt, collateral: claim.collateral,
    ...(claim.holder !== "unknown" ? { holder: claim.holder } : {}), ...(claim.installments ? { installments: claim.installments } : {}),
  };
  const records = entries.map((e) => ({
    recordId: e.recordId, kind: e.record.kind, ...(e.record.priorEvent ? { priorEvent: e.record.priorEvent } : {}),
    occurredAt: e.record.occurredAt, relation: e.record.counterparty?.relation ?? null, ...(e.altered ? { altered: true } : {}),
  }));
  const { claim: normal, uses } = claimFromRecords(facts, records, deliveries);
  const periods = claimPeriods(normal, asOf);
  const main = periods.find((p) => p.kind === "litigation" || p.kind === "enforcement");
  const byId = new Map(entries.map((e) => [e.recordId, e]));
  const links: InterruptionLink[] = [];
  for (const b of main?.basis ?? []) {
    if (!LINK_EFFECTS.includes(b.effect)) continue;
    const use = uses.find((u) => u.event === b.event);
    const entry = use && byId.get(use.recordId);
    if (!use || !entry || !use.type) continue;
    const link: InterruptionLink = { event: b.event, effect: b.effect, type: use.type, day: String(b.vars.date ?? formatDay(chinaDay(use.occurredAt, b.event))), record: asRecord(entry) };
    if (use.delivery) {
      const proof = byId.get(use.delivery.proof)!;
      const confirmationId = proof.record.delivery?.confirmation;
      const confirmation = confirmationId ? byId.get(confirmationId) : undefined;
      link.delivery = { method: use.delivery.method, deliveredAt: use.delivery.deliveredAt, proof: asRecord(proof), ...(confirmation ? { confirmation: asRecord(confirmation) } : {}) };
    }
    links.push(link);
  }
  const complete = links.every((l) => l.record.status === "anchored" && (!l.delivery || (l.delivery.proof.status === "anchored" && (l.delivery.confirmation?.status ?? "anchored") === "anchored")));
  return { version: INTERRUPTION_PROOF_VERSION, type: "limitation-interruption-proof", claimId, asOf: formatDay(asOf), claim, periods, links, complete };
}

/** Every bundle of a proof with where it sits, e.g. "links[1].delivery.proof". */
export function proofBundles(p: InterruptionProof): Array<{ at: string; bundle: ProofBundle }> {
  const out: Array<{ at: string; bundle: ProofBundle }> = [];
  const add = (at: string, r: ProofRecord | undefined) => r?.status === "anchored" && out.push({ at, bundle: r.bundle });
  p.links.forEach((l, i) => {
    add(`links[${i}].record`, l.record);
    add(`links[${i}].delivery.proof`, l.delivery?.proof);
    add(`links[${i}].delivery.confirmation`, l.delivery?.confirmation);
  });
  return out;
}

export type ProofProblem =
  | { code: "malformed"; at: string; detail: string }
  | { code: "bundle-invalid"; at: string; reason: string }
  | { code: "pending"; at: string }
  | { code: "other-claim"; at: string }
  | { code: "delivery-mismatch"; at: string }
  | { code: "period-mismatch"; stated: string; recomputed: string | null };

export interface ProofCheck {
  ok: boolean;
  problems: ProofProblem[];
  /** The main period's last day computed again from the records inside the proof. */
  recomputed: { expiresAt: string; extendedTo?: string; status: string } | null;
  /** Per link: days between the stated event and the anchoring of its record (the recorder's statement vs the chain). */
  lags: Array<{ event: string; anchorLagDays: number | null }>;
}

const recordOf = (r: ProofRecord): EvidenceRecord => (r.status === "anchored" ? r.bundle.record : r.record);
const idOf = (r: ProofRecord): string => (r.status === "anchored" ? r.bundle.recordHash.toLowerCase() : r.recordId.toLowerCase());

/**
 * The offline check of a proof: well-formed; every bundle intact (record hash, leaf, Merkle proof, commitment);
 * every record of the proof's claim; each delivery proof delivers the record it is linked to; and the main period
 * computed again from the proof's own records ends on the stated day. A pending record is a problem (`pending`):
 * the proof cannot be verified in full until it is anchored. Never throws for a bad proof.
 */
export function checkInterruptionProof(input: unknown): ProofCheck {
  const problems: ProofProblem[] = [];
  const none: ProofCheck = { ok: false, problems, recomputed: null, lags: [] };
  const p = input as InterruptionProof;
  if (p === null || typeof p !== "object" || p.type !== "limitation-interruption-proof" || p.version !== INTERRUPTION_PROOF_VERSION) {
    problems.push({ code: "malformed", at: "proof", detail: `type limitation-interruption-proof, version ${INTERRUPTION_PROOF_VERSION}` });
    return none;
  }
  if (typeof p.claimId !== "string" || !Array.isArray(p.links) || !Array.isArray(p.periods) || typeof p.asOf !== "string" || p.claim === null || typeof p.claim !== "object") {
    problems.push({ code: "malformed", at: "proof", detail: "claimId, asOf, claim, periods, links" });
    return none;
  }
  const refs: RecordRef[] = [];
  const lags: ProofCheck["lags"] = [];
  const take = (at: string, r: ProofRecord | undefined): boolean => {
    if (r === undefined) return true;
    if (r === null || typeof r !== "object" || (r.status !== "anchored" && r.status !== "pending")) {
      problems.push({ code: "malformed", at, detail: "status anchored with a bundle, or pending" });
      return false;
    }
    if (r.status === "pending") {
      problems.push({ code: "pending", at });
      return false;
    }
    const integrity = checkBundleIntegrity(r.bundle);
    if (!integrity.ok) {
      problems.push({ code: "bundle-invalid", at, reason: integrity.reason });
      return false;
    }
    if (r.bundle.record.claimId !== p.claimId.toLowerCase()) problems.push({ code: "other-claim", at });
    refs.push({ recordId: idOf(r), record: r.bundle.record });
    return true;
  };
  try {
    p.links.forEach((l, i) => {
      const ok = take(`links[${i}].record`, l.record);
      take(`links[${i}].delivery.proof`, l.delivery?.proof);
      take(`links[${i}].delivery.confirmation`, l.delivery?.confirmation);
      if (l.delivery && l.delivery.proof.status === "anchored" && ok && recordOf(l.delivery.proof).delivery?.notice !== idOf(l.record)) {
        problems.push({ code: "delivery-mismatch", at: `links[${i}].delivery.proof` });
      }
      const anchoredAt = l.record.status === "anchored" ? l.record.bundle.anchor.blockTimestamp * 1000 : null;
      lags.push({ event: l.event, anchorLagDays: anchoredAt === null ? null : chinaDayOfMs(anchoredAt) - chinaDayOfMs(Date.parse(recordOf(l.record).occurredAt)) });
    });
  } catch {
    problems.push({ code: "malformed", at: "links", detail: "links[i].record, links[i].delivery" });
    return { ...none, lags };
  }
  const stated = p.periods.find((x) => x.kind === "litigation" || x.kind === "enforcement");
  let recomputed: ProofCheck["recomputed"] = null;
  const lastInstallment = Array.isArray(p.claim.installments) ? p.claim.installments.at(-1) : undefined;
  if (lastInstallment !== undefined && String(lastInstallment) > String(p.claim.maturityAt).slice(0, 10)) {
    problems.push({ code: "malformed", at: "claim.installments", detail: "the last installment may not fall due after the maturity" });
  }
  try {
    const again = buildInterruptionProof({
      claimId: p.claimId.toLowerCase(), asOf: chinaDay(p.asOf, "asOf"), claim: p.claim,
      // Chain order is the order records were made; within the proof, order them by the time they state.
      entries: [...refs].sort((a, b) => a.record.occurredAt.localeCompare(b.record.occurredAt)).map((r) => ({ recordId: r.recordId, record: r.record })),
    });
    const main = again.periods.find((x) => x.kind === "litigation" || x.kind === "enforcement");
    if (main) recomputed = { expiresAt: main.expiresAt, ...(main.extendedTo ? { extendedTo: main.extendedTo } : {}), status: main.status };
  } catch {
    problems.push({ code: "malformed", at: "claim", detail: "claim.maturityAt: a date" });
  }
  if (!stated || !recomputed || stated.expiresAt !== recomputed.expiresAt || (stated.extendedTo ?? null) !== (recomputed.extendedTo ?? null)) {
    problems.push({ code: "period-mismatch", stated: stated?.expiresAt ?? "", recomputed: recomputed?.expiresAt ?? null });
  }
  return { ok: problems.length === 0, problems, recomputed, lags };
}
