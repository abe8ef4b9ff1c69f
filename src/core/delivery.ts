/**
 * Service of documents (送达): when a notice is proven to have reached its addressee, from the claim's
 * evidence records — and the notice and cure periods that run from that day, not from sending. Pure: the
 * records and the as-of instant are arguments.
 *
 * A notice to the debtor is a declaration made other than face to face: it takes effect when it reaches the
 * addressee (民法典第一百三十七条第二款), and a demand interrupts the limitation period only once it reached,
 * or should have reached, the other side (诉讼时效规定第八条). So each proof method counts as follows
 * (reason keys of src/i18n/delivery.ts in brackets):
 * - `signed-receipt`: the addressee (or its legal representative or authorised agent) signed, sealed or
 *   thumb-printed the document — delivered that day (诉讼时效规定第八条第一款第一项) [signed-receipt];
 * - `ems` signed for: delivered on the signed-for day (第八条第一款第二项), by the addressee's side, or by an
 *   adult family member at the address (民事诉讼法第八十八条, by analogy) [ems-signed]; refused or returned
 *   without a confirmed address: not delivered [post-not-signed];
 * - `confirmed-address`: sent to the address the addressee confirmed in writing beforehand (送达地址确认书), and
 *   refused or returned — deemed delivered on the day of return (第八条第一款第二项 "应当到达"; 法院专递规定
 *   第十一条, by analogy) [confirmed-address]; the confirmation must be the addressee's own, of the same claim,
 *   signed before the notice was sent and for the same address, or the proof counts for nothing;
 * - `e-delivery` to a system the addressee designated: delivered when it entered that system (民法典第一百三十七条
 *   第二款) [e-delivery-designated]; to any other system only when the addressee is shown to have opened it
 *   (`readAt`) [e-delivery-read], else not delivered [e-delivery-unread];
 * - `announcement` (公告送达): only when the addressee's whereabouts are unknown and it appeared in a national or
 *   provincial medium (诉讼时效规定第八条第一款第四项). It interrupts limitation on the publication day; a notice or
 *   cure period runs from thirty days after publication (民事诉讼法第九十五条, by analogy) [announcement];
 *   otherwise it delivers nothing [announcement-not-applicable] (an AMC's newspaper announcement is a separate
 *   rule of the limitation periods: 法释〔2001〕12号第十条).
 *
 * A proof counts for nothing when it is dated before the notice was sent, after the as-of instant, belongs to
 * another claim, delivers a record that is not a notice, was altered after it was recorded, or was signed by a
 * third party. With several counted proofs of one notice the earliest decides: a document reaches its
 * addressee once.
 */
import type { EvidenceKind, EvidenceRecord, Relation } from "./evidence.js";
import type { DeliveryMethod } from "./delivery-record.js";
import { chinaDayOfMs } from "./input-fields.js";
import { formatDay } from "./dates.js";
import { restDayExtension } from "./holidays-cn.js";

/** Kinds a delivery proof may deliver: documents sent to a person. */
export const NOTICE_KINDS: readonly EvidenceKind[] = ["letter", "notice", "assignment-notice"];

/** Days after publication an announcement counts as delivered for notice periods (民事诉讼法第九十五条). */
export const ANNOUNCEMENT_DAYS = 30;

const DAY_MS = 86_400_000;
const DEBTOR_SIDE: readonly Relation[] = ["debtor", "co-debtor", "legal-representative", "authorised-agent"];
const GUARANTOR_SIDE: readonly Relation[] = ["guarantor", "legal-representative", "authorised-agent"];

/** One evidence record as the rules read it: its id, the record, and whether it was altered after it was written. */
export interface RecordRef {
  recordId: string;
  record: EvidenceRecord;
  altered?: boolean;
}

/** Why a proof counts as it does, or why it does not (a message key of src/i18n/delivery.ts). */
export type DeliveryReason =
  | "signed-receipt" | "ems-signed" | "confirmed-address" | "e-delivery-designated" | "e-delivery-read" | "announcement"
  | "post-not-signed" | "e-delivery-unread" | "announcement-not-applicable" | "signer-third-party"
  | "confirmation-missing" | "confirmation-after-sending" | "confirmation-other-address" | "confirmation-not-addressee"
  | "before-sent" | "after-as-of" | "other-claim" | "not-a-notice" | "unknown-notice" | "altered" | "notice-altered"
  | "later-than-proven";

/** A notice's proven delivery. */
export interface ProvenDelivery {
  notice: string;
  /** The proof that decides it. */
  proof: string;
  method: DeliveryMethod;
  /** When the notice counts as delivered: notice and cure periods run from its China calendar day. */
  deliveredAt: string;
  /** When it interrupts a limitation period (the same instant, except an announcement: its publication). */
  interruptsAt: string;
  reason: DeliveryReason;
}

/** What one proof of a notice became. */
export interface ProofUse {
  proof: string;
  method: DeliveryMethod;
  counted: boolean;
  reason: DeliveryReason;
  /** Values the reason's text is filled with (dates YYYY-MM-DD in China time, the signer's relation). */
  vars: Record<string, string>;
}

export interface NoticeDelivery {
  notice: string;
  delivered: ProvenDelivery | null;
  proofs: ProofUse[];
}

const day = (ms: number) => formatDay(chinaDayOfMs(ms));

/** The side a notice is addressed to, by its counterparty's relation. */
function sideOf(relation: Relation | null | undefined): readonly Relation[] {
  return relation === "guarantor" ? GUARANTOR_SIDE : DEBTOR_SIDE;
}

/** Judges one proof of `notice`; the counted ones give `at` (delivered) and `interrupts`. */
function judge(
  notice: RecordRef, proof: RecordRef, byId: ReadonlyMap<string, RecordRef>, asOfMs: number,
): { use: ProofUse; at?: number; interrupts?: number } {
  const d = proof.record.delivery!;
  const sentMs = Date.parse(notice.record.occurredAt);
  const atMs = Date.parse(proof.record.occurredAt);
  const vars: Record<string, string> = { date: day(atMs), sentAt: day(sentMs), relation: proof.record.counterparty?.relation ?? "" };
  const no = (reason: DeliveryReason, extra: Record<string, string> = {}) => ({ use: { proof: proof.recordId, method: d.method, counted: false, reason, vars: { ...vars, ...extra } } });
  const yes = (reason: DeliveryReason, at: number, interrupts = at) => ({
    use: { proof: proof.recordId, method: d.method, counted: true, reason, vars: { ...vars, deliveredAt: day(at) } }, at, interrupts,
  });
  if (proof.altered) return no("altered");
  if (notice.altered) return no("notice-altered");
  if (proof.record.claimId !== notice.record.claimId) return no("other-claim");
  if (!NOTICE_KINDS.includes(notice.record.kind)) return no("not-a-notice", { kind: notice.record.kind });
  if (atMs < sentMs) return no("before-sent");
  if (atMs > asOfMs) return no("after-as-of");
  const side = sideOf(notice.record.counterparty?.relation);
  const signer = proof.record.counterparty?.relation ?? null;
  switch (d.method) {
    case "signed-receipt":
      return signer !== null && side.includes(signer) ? yes("signed-receipt", atMs) : no("signer-third-party");
    case "ems":
      if (d.outcome !== "signed") return no("post-not-signed", { outcome: d.outcome ?? "" });
      return signer !== null && (side.includes(signer) || signer === "family") ? yes("ems-signed", atMs) : no("signer-third-party");
    case "e-delivery": {
      if (d.designated) return yes("e-delivery-designated", atMs);
      if (d.readAt === undefined) return no("e-delivery-unread");
      const readMs = Date.parse(d.readAt);
      if (readMs > asOfMs) return no("after-as-of");
      return yes("e-delivery-read", Math.max(readMs, atMs));
    }
    case "confirmed-address": {
      if (d.outcome === "signed") {
        return signer !== null && (side.includes(signer) || signer === "family") ? yes("ems-signed", atMs) : no("signer-third-party");
      }
      const c = byId.get(d.confirmation!);
      if (!c || c.altered || c.record.kind !== "address-confirmation" || c.record.claimId !== notice.record.claimId) return no("confirmation-missing");
      const by = c.record.counterparty?.relation ?? null;
      if (by === null || !side.includes(by)) return no("confirmation-not-addressee");
      if (Date.parse(c.record.occurredAt) > sentMs) return no("confirmation-after-sending", { confirmedAt: day(Date.parse(c.record.occurredAt)) });
      if (c.record.confirmedAddress !== d.addressHash) return no("confirmation-other-address");
      return yes("confirmed-address", atMs);
    }
    case "announcement":
      if (!d.addresseeMissing || d.medium === "local") return no("announcement-not-applicable", { medium: d.medium ?? "" });
      return yes("announcement", atMs + ANNOUNCEMENT_DAYS * DAY_MS, atMs);
  }
}

/**
 * A notice's proven delivery as of `asOfMs` from the delivery proofs among `records`, and what each proof of it
 * became (see the file comment). `records` may hold the whole claim (proofs of other notices are ignored;
 * address confirmations are looked up among them).
 */
export function deliveryOf(notice: RecordRef, records: readonly RecordRef[], asOfMs: number): NoticeDelivery {
  const byId = new Map(records.map((r) => [r.recordId, r]));
  const judged = records
    .filter((r) => r.record.kind === "delivery-proof" && r.record.delivery?.notice === notice.recordId)
    .map((p) => judge(notice, p, byId, asOfMs));
  const counted = judged.filter((j) => j.at !== undefined).sort((a, b) => a.at! - b.at! || a.use.proof.localeCompare(b.use.proof));
  const best = counted[0];
  for (const j of counted.slice(1)) {
    j.use.counted = false;
    j.use.vars.earlier = day(best!.at!);
    j.use.reason = "later-than-proven";
  }
  return {
    notice: notice.recordId,
    delivered: best
      ? {
          notice: notice.recordId, proof: best.use.proof, method: best.use.method,
          deliveredAt: new Date(best.at!).toISOString(), interruptsAt: new Date(best.interrupts!).toISOString(), reason: best.use.reason,
        }
      : null,
    proofs: judged.map((j) => j.use),
  };
}

/**
 * Every notice's delivery among a claim's records, by notice record id; a proof naming a record that is not
 * among them is listed under that id with the reason `unknown-notice`.
 */
export function deliveriesOf(records: readonly RecordRef[], asOfMs: number): Map<string, NoticeDelivery> {
  const out = new Map<string, NoticeDelivery>();
  const byId = new Map(records.map((r) => [r.recordId, r]));
  for (const r of records) {
    if (r.record.kind !== "delivery-proof" || !r.record.delivery) continue;
    const noticeId = r.record.delivery.notice;
    if (out.has(noticeId)) continue;
    const notice = byId.get(noticeId);
    if (notice) out.set(noticeId, deliveryOf(notice, records, asOfMs));
    else {
      const proofs = records.filter((p) => p.record.kind === "delivery-proof" && p.record.delivery?.notice === noticeId)
        .map((p) => ({ proof: p.recordId, method: p.record.delivery!.method, counted: false, reason: "unknown-notice" as const, vars: { date: day(Date.parse(p.record.occurredAt)) } }));
      out.set(noticeId, { notice: noticeId, delivered: null, proofs });
    }
  }
  return out;
}

/** A notice or cure period of some days, from proven delivery. */
export type NoticeWait =
  | { status: "awaiting-delivery"; days: number; rule: string }
  | {
      status: "running" | "ended";
      days: number;
      /** The day of delivery (not counted: 民法典第二百零一条). */
      deliveredOn: string;
      /** The period's last day. */
      endsAt: string;
      /** The last day moved past a weekend or public holiday (民法典第二百零三条), only where it moved. */
      extendedTo?: string;
      rule: string;
    };

const WAIT_RULE = "《民法典》第一百三十七条第二款、第二百零一条、第二百零三条";

/**
 * A notice or cure period of `days` days from the notice's proven delivery, as of the China calendar day
 * `asOfDay`: without proof of delivery it has not begun ("awaiting-delivery"); from delivery it runs, the day
 * of delivery not counted (民法典第二百零一条), its last day moved past rest days (第二百零三条); it has ended
 * once `asOfDay` is after that day.
 */
export function noticeWait(delivered: ProvenDelivery | null, days: number, asOfDay: number): NoticeWait {
  if (!delivered) return { status: "awaiting-delivery", days, rule: WAIT_RULE };
  const from = chinaDayOfMs(Date.parse(delivered.deliveredAt));
  const end = from + days;
  const last = restDayExtension(end).day;
  return {
    status: asOfDay > last ? "ended" : "running",
    days,
    deliveredOn: formatDay(from),
    endsAt: formatDay(end),
    ...(last !== end ? { extendedTo: formatDay(last) } : {}),
    rule: WAIT_RULE,
  };
}
