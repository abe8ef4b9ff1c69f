/**
 * The delivery details an evidence record of kind "delivery-proof" carries (送达凭证): which notice it
 * delivers and how. The record itself is the proof: its `occurredAt` is the day the proof states (signed
 * for, received, returned, published), its counterparty who signed or received it (for a returned item or an
 * announcement, the addressee), its contentHash the scanned receipt, tracking page or newspaper page.
 *
 * What the details mean in law is decided by core/delivery.ts; this file only checks their one spelling
 * (what is validated is what gets hashed). Nothing personal: an address appears only as a salted hash.
 */
import { ValidationError } from "./errors.js";

/**
 * How the notice reached (or is deemed to have reached) its addressee:
 * - `ems`: EMS/postal tracking with its outcome (signed for, refused, returned);
 * - `signed-receipt`: the addressee signed, sealed or thumb-printed the document or its receipt (送达回证);
 * - `e-delivery`: an e-mail, SMS or app message, with the receipt of the system it entered;
 * - `confirmed-address`: sent by post to the address the addressee confirmed in writing (送达地址确认书) —
 *   effective even when refused or returned;
 * - `announcement`: 公告送达, published in a newspaper when the addressee's whereabouts are unknown.
 */
export const DELIVERY_METHODS = ["ems", "signed-receipt", "e-delivery", "confirmed-address", "announcement"] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** A postal item's outcome. */
export const POST_OUTCOMES = ["signed", "refused", "returned"] as const;
export type PostOutcome = (typeof POST_OUTCOMES)[number];

/** Where an announcement was published: a national, a provincial or a local medium. */
export const MEDIA = ["national", "provincial", "local"] as const;
export type Medium = (typeof MEDIA)[number];

/** The delivery details of a "delivery-proof" record (see the file comment). Hashes are `0x` + 64 lower-case hex. */
export interface DeliveryDetails {
  /** Record id (record hash) of the notice delivered: a letter, notice or assignment notice of the same claim. */
  notice: string;
  method: DeliveryMethod;
  /** `ems`, `confirmed-address`: what happened to the item. */
  outcome?: PostOutcome;
  /** `e-delivery`: sent to an address or system the addressee designated (民法典第137条第2款). */
  designated?: boolean;
  /** `e-delivery` to a system not designated: when the addressee opened it (UTC instant). */
  readAt?: string;
  /** `confirmed-address`: record id of the addressee's 送达地址确认书 (an "address-confirmation" record). */
  confirmation?: string;
  /** `ems`, `confirmed-address`: salted hash of the address the item went to. */
  addressHash?: string;
  /** `announcement`: where it was published. */
  medium?: Medium;
  /** `announcement`: the recorder attests that the addressee's whereabouts are unknown (下落不明). */
  addresseeMissing?: boolean;
}

const HASH = /^0x[0-9a-f]{64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Which optional fields each method takes, and which of them it requires. */
const FIELDS_OF: Record<DeliveryMethod, { required: readonly string[]; optional: readonly string[] }> = {
  ems: { required: ["outcome"], optional: ["addressHash"] },
  "signed-receipt": { required: [], optional: [] },
  "e-delivery": { required: ["designated"], optional: ["readAt"] },
  "confirmed-address": { required: ["outcome", "confirmation", "addressHash"], optional: [] },
  announcement: { required: ["medium", "addresseeMissing"], optional: [] },
};

/**
 * Checks a record's `delivery` in its one canonical spelling and returns it typed.
 * @throws ValidationError naming `delivery.<field>` and the rule (`only-with-method-…` for a field the method does not take)
 */
export function validateDelivery(input: unknown, field = "delivery"): DeliveryDetails {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw new ValidationError(field, "object");
  const d = input as Record<string, unknown>;
  hash(d.notice, `${field}.notice`);
  if (typeof d.method !== "string" || !(DELIVERY_METHODS as readonly string[]).includes(d.method)) {
    throw new ValidationError(`${field}.method`, `one-of:${DELIVERY_METHODS.join("|")}`);
  }
  const method = d.method as DeliveryMethod;
  const { required, optional } = FIELDS_OF[method];
  for (const key of Object.keys(d)) {
    if (key === "notice" || key === "method") continue;
    if (![...required, ...optional].includes(key)) {
      const known = ["outcome", "designated", "readAt", "confirmation", "addressHash", "medium", "addresseeMissing"].includes(key);
      throw new ValidationError(`${field}.${key}`, known ? `not-with-method-${method}` : "unknown-field");
    }
  }
  for (const key of required) if (d[key] === undefined) throw new ValidationError(`${field}.${key}`, `required-with-method-${method}`);
  if (d.outcome !== undefined && !(POST_OUTCOMES as readonly string[]).includes(d.outcome as string)) {
    throw new ValidationError(`${field}.outcome`, `one-of:${POST_OUTCOMES.join("|")}`);
  }
  if (d.designated !== undefined && typeof d.designated !== "boolean") throw new ValidationError(`${field}.designated`, "boolean");
  if (d.addresseeMissing !== undefined && typeof d.addresseeMissing !== "boolean") throw new ValidationError(`${field}.addresseeMissing`, "boolean");
  if (d.readAt !== undefined && (typeof d.readAt !== "string" || !ISO_INSTANT.test(d.readAt) || new Date(d.readAt).toISOString() !== d.readAt)) {
    throw new ValidationError(`${field}.readAt`, "iso-instant-utc");
  }
  if (d.confirmation !== undefined) hash(d.confirmation, `${field}.confirmation`);
  if (d.addressHash !== undefined) hash(d.addressHash, `${field}.addressHash`);
  if (d.medium !== undefined && !(MEDIA as readonly string[]).includes(d.medium as string)) {
    throw new ValidationError(`${field}.medium`, `one-of:${MEDIA.join("|")}`);
  }
  return d as unknown as DeliveryDetails;
}

/** The details in their one spelling: lower-case hashes, an ISO instant, keys the method takes. */
export function normalizeDelivery(input: Omit<DeliveryDetails, "readAt"> & { readAt?: string | Date }, field = "delivery"): DeliveryDetails {
  const lower = (v: string | undefined) => v?.toLowerCase();
  const out: Record<string, unknown> = { notice: lower(input.notice), method: input.method };
  for (const key of ["outcome", "designated", "medium", "addresseeMissing"] as const) if (input[key] !== undefined) out[key] = input[key];
  for (const key of ["confirmation", "addressHash"] as const) if (input[key] !== undefined) out[key] = lower(input[key]);
  if (input.readAt !== undefined) {
    const at = input.readAt instanceof Date ? input.readAt : new Date(input.readAt);
    if (Number.isNaN(at.getTime())) throw new ValidationError(`${field}.readAt`, "date");
    out.readAt = at.toISOString();
  }
  return validateDelivery(out, field);
}

function hash(v: unknown, field: string): void {
  if (typeof v !== "string" || !HASH.test(v)) throw new ValidationError(field, "hash-32-bytes-lowercase-hex");
}
