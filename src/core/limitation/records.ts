/**
 * A registered claim's limitation input from its own records (GET /v1/claims/:id/limitation): its
 * maturity from the claim record, and its evidence records as events. Pure: the records are arguments.
 *
 * What a record counts as (an unproven fact counts against the claim, never for it):
 * - `payment` → a payment; `promise-to-pay` → an acknowledgement (民法典第195条第2项);
 * - `letter`, `notice` → a demand. A demand interrupts only once delivered (诉讼时效规定第八条): on the day
 *   core/delivery.ts proves from the claim's delivery-proof records; without one it interrupts nothing;
 * - `assignment-notice` → a demand only once delivered (the 债权转让暨催收联合通知 carries collection content);
 * - `acknowledgement` (债权确认书/对账单 the debtor signed) → an acknowledgement; `announcement` → an announcement
 *   (it interrupts only for an AMC's claim: steps.ts);
 * - `prior-history` (the originator's statement of an event before the registration): its `priorEvent`
 *   demand, payment, acknowledgement/promise-to-pay or announcement as above; a stated suit is not
 *   counted, because the period restarts only when the proceedings end (第195条) and no end is recorded;
 * - calls, SMS and visits are not counted as demands (no proof the demand reached the debtor), nor are
 *   restructurings (record the debtor's signed agreement as a promise to pay) or assignment notices;
 * - a contact with someone who is neither the debtor's side nor a guarantor is not counted; records that
 *   were altered after they were written are not counted; valuations and surveys are not events at all.
 */
import type { EvidenceKind, Relation } from "../evidence.js";
import type { PriorEvent } from "../evidence-time.js";
import { chinaDay } from "./input.js";
import type { DeliveryMethod } from "../delivery-record.js";
import type { NoticeDelivery } from "../delivery.js";
import type { ClaimEvent, EventType, GuaranteeType, Holder, NormalClaim, Party } from "./types.js";

/** What the mapping reads of one evidence record. */
export interface LimitationRecord {
  recordId: string;
  kind: EvidenceKind;
  priorEvent?: PriorEvent;
  /** ISO instant the record says it happened. */
  occurredAt: string;
  /** The counterparty's relation; null for a record without one (internal). */
  relation: Relation | null;
  /** The stored record no longer hashes to its id (changed after it was written). */
  altered?: boolean;
}

/** What the mapping reads of the claim. */
export interface ClaimFacts {
  claimId: string;
  /** The due date as stored (an ISO instant, or YYYY-MM-DD). */
  maturityAt: string;
  collateral: boolean;
  holder?: Holder;
  /** Installment due dates (YYYY-MM-DD, ascending): the period runs from the last (诉讼时效规定第四条). */
  installments?: readonly string[];
  /** The guarantee (the first guarantor's, core/claim-legal.ts). */
  guarantee?: { type: GuaranteeType; periodEndsAt?: string };
}

/** Why a record counts as it does, or why it does not count (a message key of src/i18n/limitation-records.ts). */
export type RecordNote =
  | "no-delivery-proof" | "suit-end-unknown" | "not-a-demand-record" | "restructuring" | "assignment-notice"
  | "third-party" | "no-counterparty" | "other-event" | "altered";

/** One record and what it became: `event` names it in the periods' basis ("events[3]"), null when not counted. */
export interface RecordUse {
  recordId: string;
  kind: EvidenceKind;
  priorEvent?: PriorEvent;
  occurredAt: string;
  nature: "contemporaneous" | "originator-statement";
  event: string | null;
  type?: EventType;
  party?: Party;
  note?: RecordNote;
  /** A notice's proven delivery (core/delivery.ts): the deciding proof, its method and the interruption instant. */
  delivery?: { proof: string; method: DeliveryMethod; interruptsAt: string; deliveredAt: string };
}

/** Kinds that are facts about the collateral, not dealings with anyone: not listed. */
const NOT_EVENTS: readonly EvidenceKind[] = ["valuation", "survey", "desk-search", "delivery-proof", "address-confirmation"];
const DEBTOR_SIDE: readonly Relation[] = ["debtor", "co-debtor", "legal-representative", "authorised-agent"];

/** The event type a record stands for, or why it stands for none. */
function typeOf(r: LimitationRecord): { type: EventType; note?: RecordNote } | { note: RecordNote } {
  const what = r.kind === "prior-history" ? r.priorEvent : r.kind;
  switch (what) {
    case "payment":
      return { type: "payment" };
    case "promise-to-pay":
    case "acknowledgement":
      return { type: "acknowledgement" };
    case "letter":
    case "notice":
    case "demand":
      return { type: "demand", note: "no-delivery-proof" };
    case "announcement":
      return { type: "announcement" };
    case "suit":
      return { note: "suit-end-unknown" };
    case "restructuring":
      return { note: "restructuring" };
    case "assignment-notice":
      return { type: "demand", note: "assignment-notice" };
    case "call":
    case "sms":
    case "visit":
      return { note: "not-a-demand-record" };
    default:
      return { note: "other-event" };
  }
}

/** Whom the event concerns, or why it concerns no one the periods count. */
function partyOf(r: LimitationRecord, type: EventType): Party | RecordNote {
  if (type === "announcement") return "debtor"; // names everyone; the party is ignored
  if (r.relation === null) return type === "payment" ? "debtor" : "no-counterparty"; // a repayment booked to the loan account
  if (DEBTOR_SIDE.includes(r.relation)) return "debtor";
  if (r.relation === "guarantor") return "guarantor";
  return "third-party";
}

/**
 * The claim as the periods read it (maturity, collateral, holder, events) and what each record became.
 * Records are taken in their hash-chain order; events are numbered in that order. `deliveries` are the
 * claim's notices' deliveries (core/delivery.ts `deliveriesOf`, by notice record id): a demand interrupts on its
 * proven delivery's `interruptsAt`, an assignment notice counts as a demand only once delivered.
 * @throws ValidationError when the stored maturity is not a date (a corrupt record)
 */
export function claimFromRecords(
  facts: ClaimFacts, records: readonly LimitationRecord[], deliveries: ReadonlyMap<string, NoticeDelivery> = new Map(),
): { claim: NormalClaim; uses: RecordUse[] } {
  const due = chinaDay(facts.maturityAt, "maturityAt");
  const events: ClaimEvent[] = [];
  const uses: RecordUse[] = [];
  for (const r of records) {
    if (NOT_EVENTS.includes(r.kind)) continue;
    const use: RecordUse = {
      recordId: r.recordId, kind: r.kind, ...(r.priorEvent ? { priorEvent: r.priorEvent } : {}), occurredAt: r.occurredAt,
      nature: r.kind === "prior-history" ? "originator-statement" : "contemporaneous", event: null,
    };
    uses.push(use);
    if (r.altered) {
      use.note = "altered";
      continue;
    }
    const t = typeOf(r);
    if (!("type" in t)) {
      use.note = t.note;
      continue;
    }
    const delivered = t.type === "demand" && r.kind !== "prior-history" ? deliveries.get(r.recordId)?.delivered ?? null : null;
    if (r.kind === "assignment-notice" && !delivered) {
      use.note = "assignment-notice";
      continue;
    }
    const party = partyOf(r, t.type);
    if (party !== "debtor" && party !== "guarantor") {
      use.note = party;
      continue;
    }
    const index = events.length;
    const ref = `events[${index}]`;
    const at = chinaDay(r.occurredAt, ref);
    if (delivered) {
      events.push({ index, ref, type: t.type, at, deliveredAt: Math.max(at, chinaDay(delivered.interruptsAt, `${ref}.deliveredAt`)), party });
      Object.assign(use, {
        event: ref, type: t.type, party,
        delivery: { proof: delivered.proof, method: delivered.method, interruptsAt: delivered.interruptsAt, deliveredAt: delivered.deliveredAt },
      });
      continue;
    }
    events.push({ index, ref, type: t.type, at, party });
    Object.assign(use, { event: ref, type: t.type, party, ...(t.note && r.kind !== "assignment-notice" ? { note: t.note } : {}) });
  }
  const last = facts.installments?.at(-1);
  const claim: NormalClaim = {
    id: facts.claimId,
    index: 0,
    due: last !== undefined
      ? { day: chinaDay(last, `installments[${facts.installments!.length - 1}]`), ref: `installments[${facts.installments!.length - 1}]`, installments: true }
      : { day: due, ref: "maturityAt", installments: false },
    collateral: facts.collateral,
    ...(facts.holder ? { holder: facts.holder } : {}),
    ...(facts.guarantee ? { guarantee: { type: facts.guarantee.type, ...(facts.guarantee.periodEndsAt ? { periodEndsAt: chinaDay(facts.guarantee.periodEndsAt, "guarantee.periodEndsAt") } : {}) } } : {}),
    events,
  };
  return { claim, uses };
}
