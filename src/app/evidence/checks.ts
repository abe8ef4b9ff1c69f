import { contentHashOf } from "../../core/evidence.js";
import { normalizeDelivery, type DeliveryDetails } from "../../core/delivery-record.js";
import { COLLECTION_REFUSALS } from "../../i18n/forums.js";
import type { ContactFacts } from "../../core/compliance.js";
import { checkEvidenceTime, isUntimed } from "../../core/evidence-time.js";
import { saltedHash } from "../../core/pii.js";
import { ComplianceError, ForbiddenError, ValidationError } from "../../core/errors.js";
import { actsForHolder, notHolderError, type Caller } from "../access.js";
import type { Holding } from "./holding.js";
import type { EvidenceRequest } from "./types.js";

/** Contacts may be recorded a little ahead of the server clock (clock skew), not more. */
const MAX_FUTURE_MS = 5 * 60_000;

/** What a claim means for recording evidence: who holds it, whose debtor it is, in which time zone. */
export interface ClaimContext {
  holder: string;
  debtorKey: string;
  timeZone: string;
  /** The claim's record says the debtor is in bankruptcy, or disputes the debt (core/claim-legal.ts). */
  hold?: "debtor-in-bankruptcy" | "debtor-objection";
}

/** Kinds that are collection contacts: what a bankruptcy or an objection stops. */
const COLLECTION_KINDS = ["call", "sms", "visit", "letter", "notice"];

/**
 * A debtor in bankruptcy is not collected from (individual repayment is void, 企业破产法第十六条; file the claim,
 * 第四十八条), and a debtor's objection pauses collection until it is answered: outbound collection contacts are
 * refused naming the rule; inbound records, delivery proofs and notices of assignment are still recorded.
 * @throws ComplianceError `debtor-in-bankruptcy` or `debtor-objection`
 */
export function checkCollectionHold(req: EvidenceRequest, ctx: ClaimContext, prefix: string): void {
  if (!ctx.hold || req.direction !== "outbound" || !COLLECTION_KINDS.includes(req.kind)) return;
  const m = COLLECTION_REFUSALS[ctx.hold];
  throw new ComplianceError(ctx.hold, m.en, { field: prefix ? `${prefix}.claimId` : "claimId", messages: { en: m.en, "zh-CN": m["zh-CN"] } });
}

/** Only the claim's holder and the collectors working for it record evidence of it (src/app/access.ts). */
export function requireRecorder(caller: Caller, claimId: string, ctx: ClaimContext): void {
  if (actsForHolder(caller, ctx.holder)) return;
  throw notHolderError({ claimId, registered: true, holder: ctx.holder, originator: null, beforeCourt: false }, { en: "record evidence of it", zh: "记录其存证" });
}

function counterpartyHash(piiSecret: string, cp: NonNullable<EvidenceRequest["counterparty"]>, field: string): string {
  try {
    if (cp.phone !== undefined) return saltedHash(piiSecret, cp.phone, "phone");
    if (cp.name !== undefined) return saltedHash(piiSecret, cp.name, "name");
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${field}.${cp.phone !== undefined ? "phone" : "name"}`, e.rule);
    throw e;
  }
  throw new ValidationError(field, "name-or-phone-required");
}

/** Checks a request's own consistency (no store, no chain) and derives the record's fields. */
export function parseRequest(piiSecret: string, req: EvidenceRequest, prefix: string, now: number) {
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
    ? { hash: counterpartyHash(piiSecret, req.counterparty, f("counterparty")), relation: req.counterparty.relation }
    : null;
  const contentHash = req.contentHash?.toLowerCase() ?? contentHashOf(req.content!);
  const facts: ContactFacts = { kind: req.kind, direction: req.direction, occurredAt: new Date(occurred), counterparty };
  return { occurred, counterparty, contentHash, facts, ...serviceFields(piiSecret, req, f) };
}

/** The address's salted hash (HMAC with the deployment's secret: an address is personal data and guessable). */
function addressHashOf(piiSecret: string, address: string, field: string): string {
  if (address.trim().length === 0) throw new ValidationError(field, "not-blank");
  return saltedHash(piiSecret, address, "text");
}

/** A delivery proof's details and an address confirmation's address, as the record holds them (salted hashes). */
function serviceFields(piiSecret: string, req: EvidenceRequest, f: (name: string) => string): { delivery?: DeliveryDetails; confirmedAddress?: string } {
  if ((req.kind === "delivery-proof") !== (req.delivery !== undefined)) {
    throw new ValidationError(f("delivery"), req.kind === "delivery-proof" ? "required-with-kind-delivery-proof" : "only-with-kind-delivery-proof");
  }
  if ((req.kind === "address-confirmation") !== (req.address !== undefined)) {
    throw new ValidationError(f("address"), req.kind === "address-confirmation" ? "required-with-kind-address-confirmation" : "only-with-kind-address-confirmation");
  }
  if (req.address !== undefined) return { confirmedAddress: addressHashOf(piiSecret, req.address, f("address")) };
  if (!req.delivery) return {};
  const { address, ...rest } = req.delivery;
  const delivery = normalizeDelivery({ ...rest, ...(address !== undefined ? { addressHash: addressHashOf(piiSecret, address, f("delivery.address")) } : {}) }, f("delivery"));
  return { delivery };
}

/**
 * The time rules of a caller's record (core/evidence-time.ts): not before the recorder's organisation
 * held the claim, not more than EVIDENCE_MAX_BACKDATE_DAYS old; prior history only from the originator
 * and only from before the registration.
 *
 * @throws ComplianceError naming the rule; ForbiddenError for prior history from anyone but the originator
 */
export function checkTime(maxBackdateDays: number, caller: Caller, req: EvidenceRequest, occurred: number, holding: PromiseSettledResult<Holding> | undefined, now: number, prefix: string) {
  if (isUntimed(req.kind, req.direction)) return;
  if (!holding) throw new ValidationError(prefix ? `${prefix}.claimId` : "claimId", "claim-holding-unknown");
  if (holding.status === "rejected") throw holding.reason;
  const h = holding.value;
  if (req.kind === "prior-history" && !(caller.role === "bank" && caller.address?.toLowerCase() === h.originator.toLowerCase())) {
    throw new ForbiddenError(`only the claim's originator (${h.originator}) records its history from before the registration`, { rule: "originator-only", originator: h.originator });
  }
  const violation = checkEvidenceTime(req.kind, occurred, {
    nowMs: now, holdingSinceMs: h.holdingSince, registeredAtMs: h.registeredAt, maxBackdateDays,
  }, req.direction);
  if (violation) {
    throw new ComplianceError(violation.rule, violation.message.en, {
      field: prefix ? `${prefix}.occurredAt` : "occurredAt", ...violation.details, messages: violation.message,
    });
  }
}
