/**
 * Evidence records: one canonical JSON (RFC 8785) document per collection event, linked per claim
 * by `prevHash` into a hash chain, so a deleted or altered record shows. Personal data is never in
 * a record: the counterparty is a salted hash (see pii.ts), the transcript or media a content hash.
 */
import { keccak256 } from "ethers";
import { canonicalHash } from "./canonical.js";
import { ValidationError } from "./errors.js";
import { PRIOR_EVENTS, type PriorEvent } from "./evidence-time.js";
import { normalizeDelivery, validateDelivery, type DeliveryDetails } from "./delivery-record.js";

/**
 * What happened. "prior-history" is not a contact: it is the originator's statement, entered after the
 * claim was registered, of an event from before it (`priorEvent`, dated `occurredAt`, stated at `recordedAt`).
 * Issue 17 added:
 * - "delivery-proof" (送达凭证): the proof that a notice reached its addressee, with `delivery` naming the
 *   notice and the method (core/delivery-record.ts; what it proves: core/delivery.ts);
 * - "address-confirmation" (送达地址确认书): the addressee's written confirmation of an address for notices,
 *   with `confirmedAddress` (a salted hash of the address);
 * - "acknowledgement" (债权确认书/对账单): a statement of the debt the debtor signed;
 * - "announcement" (公告): a newspaper announcement with collection content (e.g. of a transfer);
 * - "desk-search" (查册/资信调查): outside data — court enforcement lists, registry and credit-bureau searches —
 *   no longer recorded as "survey", which is the field survey (现场勘察).
 */
export const EVIDENCE_KINDS = [
  "call", "sms", "letter", "visit", "notice", "promise-to-pay", "restructuring",
  "assignment-notice", "valuation", "survey", "payment", "prior-history",
  "delivery-proof", "address-confirmation", "acknowledgement", "announcement", "desk-search",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** How it happened. */
export const CHANNELS = ["phone", "sms", "post", "email", "in-person", "app", "bank-transfer", "system"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who started it: we (outbound), the counterparty (inbound), or nobody outside (internal: valuation, survey). */
export const DIRECTIONS = ["outbound", "inbound", "internal"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The counterparty's relation to the claim. Whom a collector may contact is decided in compliance.ts. */
export const RELATIONS = [
  "debtor", "co-debtor", "guarantor", "legal-representative", "authorised-agent",
  "family", "employer", "colleague", "other",
] as const;
export type Relation = (typeof RELATIONS)[number];

/** The person contacted, as a salted hash (HMAC-SHA256, pii.ts) and a relation; never a name or number. */
export interface Counterparty {
  hash: string;
  relation: Relation;
}

/** One evidence record, exactly as hashed. All hashes are `0x` + 64 lowercase hex. */
export interface EvidenceRecord {
  /** bytes32 claim id of ClaimRegistry. */
  claimId: string;
  kind: EvidenceKind;
  channel: Channel;
  direction: Direction;
  /** UTC instant in `Date.prototype.toISOString` form, e.g. `2026-11-23T08:15:00.000Z`. */
  occurredAt: string;
  /** Opaque id of who recorded it (collector or system account), no personal data. */
  actor: string;
  /** Null for records without a person on the other side (valuation, survey). */
  counterparty: Counterparty | null;
  /** Hash of the transcript / letter / media body kept off chain. */
  contentHash: string;
  /** Hashes of further attachments; omitted when there are none (never an empty array). */
  attachments?: string[];
  /** Record hash of the claim's previous record, {@link GENESIS_PREV_HASH} for its first. */
  prevHash: string;
  /** Kind "prior-history" only: what the originator states happened (omitted otherwise). */
  priorEvent?: PriorEvent;
  /** Kind "prior-history" only: when the statement was entered (omitted otherwise). */
  recordedAt?: string;
  /** Kind "delivery-proof" only: the notice it delivers and how (omitted otherwise). */
  delivery?: DeliveryDetails;
  /** Kind "address-confirmation" only: salted hash of the confirmed address (omitted otherwise). */
  confirmedAddress?: string;
}

/** prevHash of a claim's first record. */
export const GENESIS_PREV_HASH = `0x${"0".repeat(64)}`;

const HASH = /^0x[0-9a-f]{64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ACTOR = /^[A-Za-z0-9._:@-]{1,64}$/;
const FIELDS = new Set([
  "claimId", "kind", "channel", "direction", "occurredAt", "actor", "counterparty", "contentHash", "attachments", "prevHash",
  "priorEvent", "recordedAt", "delivery", "confirmedAddress",
]);

/** True for `0x` + 64 lowercase hex (the one spelling a hash has in a record). */
export function isHash(value: unknown): value is string {
  return typeof value === "string" && HASH.test(value);
}

/**
 * Checks that `input` is an evidence record in its one canonical spelling and returns it typed.
 * No normalisation happens here: what is validated is what gets hashed.
 *
 * @throws ValidationError naming the field and the rule
 */
export function validateEvidenceRecord(input: unknown): EvidenceRecord {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw new ValidationError("record", "object");
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!FIELDS.has(key)) throw new ValidationError(key, "unknown-field");
  hashField(r.claimId, "claimId");
  oneOf(r.kind, EVIDENCE_KINDS, "kind");
  oneOf(r.channel, CHANNELS, "channel");
  oneOf(r.direction, DIRECTIONS, "direction");
  isoInstant(r.occurredAt, "occurredAt");
  if (typeof r.actor !== "string" || !ACTOR.test(r.actor)) throw new ValidationError("actor", "opaque-id");
  if (r.counterparty !== null) {
    const c = r.counterparty as Record<string, unknown> | undefined;
    if (c === undefined || typeof c !== "object" || Array.isArray(c)) throw new ValidationError("counterparty", "object-or-null");
    for (const key of Object.keys(c)) if (key !== "hash" && key !== "relation") throw new ValidationError(`counterparty.${key}`, "unknown-field");
    hashField(c.hash, "counterparty.hash");
    oneOf(c.relation, RELATIONS, "counterparty.relation");
  }
  hashField(r.contentHash, "contentHash");
  if (r.attachments !== undefined) {
    if (!Array.isArray(r.attachments) || r.attachments.length === 0) throw new ValidationError("attachments", "non-empty-array");
    r.attachments.forEach((a, i) => hashField(a, `attachments[${i}]`));
  }
  hashField(r.prevHash, "prevHash");
  if (r.kind === "prior-history") {
    oneOf(r.priorEvent, PRIOR_EVENTS, "priorEvent");
    isoInstant(r.recordedAt, "recordedAt");
  } else {
    if (r.priorEvent !== undefined) throw new ValidationError("priorEvent", "only-with-kind-prior-history");
    if (r.recordedAt !== undefined) throw new ValidationError("recordedAt", "only-with-kind-prior-history");
  }
  if (r.kind === "delivery-proof") validateDelivery(r.delivery);
  else if (r.delivery !== undefined) throw new ValidationError("delivery", "only-with-kind-delivery-proof");
  if (r.kind === "address-confirmation") hashField(r.confirmedAddress, "confirmedAddress");
  else if (r.confirmedAddress !== undefined) throw new ValidationError("confirmedAddress", "only-with-kind-address-confirmation");
  if (r.direction === "internal" ? r.counterparty !== null : r.counterparty === null) {
    throw new ValidationError("counterparty", r.direction === "internal" ? "null-when-internal" : "required-unless-internal");
  }
  return input as EvidenceRecord;
}

/** The record's fields without its link, as a caller proposes them. */
export type EvidenceInput = Omit<EvidenceRecord, "prevHash" | "occurredAt" | "attachments" | "recordedAt"> & {
  occurredAt: string | Date;
  attachments?: string[];
  recordedAt?: string | Date;
};

/**
 * Builds the next record of a claim's chain: normalises spellings (lower-case hashes, ISO instant,
 * no empty attachment list), sets `prevHash` and validates the result.
 *
 * @param prevHash record hash of the claim's latest record, or {@link GENESIS_PREV_HASH}
 */
export function createEvidenceRecord(input: EvidenceInput, prevHash: string): EvidenceRecord {
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v) as string;
  const occurred = input.occurredAt instanceof Date ? input.occurredAt : new Date(input.occurredAt);
  if (Number.isNaN(occurred.getTime())) throw new ValidationError("occurredAt", "date");
  const record: EvidenceRecord = {
    claimId: lower(input.claimId),
    kind: input.kind,
    channel: input.channel,
    direction: input.direction,
    occurredAt: occurred.toISOString(),
    actor: input.actor,
    counterparty: input.counterparty === null || input.counterparty === undefined
      ? null
      : { hash: lower(input.counterparty.hash), relation: input.counterparty.relation },
    contentHash: lower(input.contentHash),
    prevHash: lower(prevHash),
  };
  if (input.attachments !== undefined && input.attachments.length > 0) record.attachments = input.attachments.map(lower);
  if (input.priorEvent !== undefined) record.priorEvent = input.priorEvent;
  if (input.recordedAt !== undefined) {
    const at = input.recordedAt instanceof Date ? input.recordedAt : new Date(input.recordedAt);
    if (Number.isNaN(at.getTime())) throw new ValidationError("recordedAt", "date");
    record.recordedAt = at.toISOString();
  }
  if (input.delivery !== undefined) record.delivery = normalizeDelivery(input.delivery);
  if (input.confirmedAddress !== undefined) record.confirmedAddress = lower(input.confirmedAddress);
  return validateEvidenceRecord(record);
}

/** keccak256 of the record's canonical JSON UTF-8 bytes: the value that becomes a Merkle leaf. */
export function recordHash(record: EvidenceRecord): string {
  return canonicalHash(validateEvidenceRecord(record));
}

/** Hash of a transcript, letter or media body (keccak256 of its bytes; UTF-8 for strings). */
export function contentHashOf(body: Uint8Array | string): string {
  return keccak256(typeof body === "string" ? new TextEncoder().encode(body) : body);
}

/** One link of a claim's chain as stored: the record and, when known, the hash it had when written. */
export interface ChainEntry {
  record: EvidenceRecord;
  /** Stored / anchored record hash. With it an altered record is told apart from a missing one. */
  recordHash?: string;
  /** How the caller names the record in a report (defaults to the stored or recomputed hash). */
  id?: string;
}

/** Why the chain is not intact at one place. */
export interface ChainBreak {
  /** Position in the input; `records.length` for "the latest record(s) are missing". */
  index: number;
  recordId: string;
  reason: "missing-previous" | "altered";
}

export interface ChainCheck {
  complete: boolean;
  breaks: ChainBreak[];
}

/**
 * Checks a claim's records, oldest first: the first links to {@link GENESIS_PREV_HASH}, each next
 * one to the hash of the one before, all belong to the same claim.
 *
 * - "altered": the record no longer hashes to its stored `recordHash` (only detectable with one).
 *   The chain continues from the stored hash, so one altered record is one break.
 * - "missing-previous": the record's `prevHash` is not the previous record's hash (a record was
 *   deleted, inserted out of place, or, without stored hashes, the previous one was altered).
 *   With `options.head` (the latest hash known elsewhere, e.g. from an anchored batch), a deleted
 *   last record shows as a break at index `records.length`.
 */
export function checkChain(
  entries: ReadonlyArray<EvidenceRecord | ChainEntry>,
  options: { head?: string } = {},
): ChainCheck {
  const breaks: ChainBreak[] = [];
  let previous = GENESIS_PREV_HASH;
  let claimId: string | undefined;
  entries.forEach((entry, index) => {
    const { record, recordHash: stored, id } = "record" in entry ? entry : { record: entry, recordHash: undefined, id: undefined };
    const actual = recordHash(record);
    const recordId = id ?? stored ?? actual;
    claimId ??= record.claimId;
    if (record.prevHash !== previous || record.claimId !== claimId) breaks.push({ index, recordId, reason: "missing-previous" });
    if (stored !== undefined && stored.toLowerCase() !== actual) breaks.push({ index, recordId, reason: "altered" });
    previous = stored?.toLowerCase() ?? actual;
  });
  if (options.head !== undefined && options.head.toLowerCase() !== previous) {
    breaks.push({ index: entries.length, recordId: options.head.toLowerCase(), reason: "missing-previous" });
  }
  return { complete: breaks.length === 0, breaks };
}

function isoInstant(value: unknown, field: string): void {
  if (typeof value !== "string" || !ISO_INSTANT.test(value) || new Date(value).toISOString() !== value) {
    throw new ValidationError(field, "iso-instant-utc", `${field}: must be like 2026-11-23T08:15:00.000Z`);
  }
}

function hashField(value: unknown, field: string): void {
  if (!isHash(value)) throw new ValidationError(field, "hash-32-bytes-lowercase-hex");
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): void {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `one-of:${allowed.join("|")}`);
  }
}
