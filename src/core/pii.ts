/**
 * Salted hashes of personal data (PIPL, 《个人信息保护法》): a phone or ID number enters the chain or an
 * evidence record only as HMAC-SHA256 under a per-deployment secret. An unsalted hash of a
 * low-entropy value is reversible by enumeration (all 11-digit mobiles hash in seconds), an HMAC
 * without the secret is not.
 */
import { createHmac } from "node:crypto";
import { ValidationError } from "./errors.js";

/** What a value is, so it can be normalised before hashing (same person ⇒ same hash). */
export type PiiKind = "phone" | "id-number" | "name" | "text";

/** Shortest secret accepted: 16 bytes (128 bits), so the secret itself cannot be enumerated. */
export const MIN_SECRET_BYTES = 16;

/**
 * Phone number in one form: NFKC (full-width digits), separators dropped, `00` → `+`, Chinese
 * mainland numbers as `+86` + 11 digits (`13800138000`, `+86 138-0013-8000`, `0086…` are one number).
 * Other numbers keep their digits and a leading `+` if they had one.
 */
export function normalizePhone(value: string): string {
  let s = value.normalize("NFKC").replace(/[\s\-().\u00a0/]/g, "");
  if (s.startsWith("00")) s = `+${s.slice(2)}`;
  if (!/^\+?\d{3,20}$/.test(s)) throw new ValidationError("phone", "phone-number");
  if (/^1\d{10}$/.test(s)) return `+86${s}`;
  if (/^861\d{10}$/.test(s)) return `+${s}`;
  return s;
}

/**
 * ID number (resident ID, passport, unified social credit code) in one form: NFKC, no spaces or
 * dashes, upper case (the resident ID check character `x` and `X` are the same).
 */
export function normalizeIdNumber(value: string): string {
  const s = value.normalize("NFKC").replace(/[\s\-\u00a0]/g, "").toUpperCase();
  if (!/^[0-9A-Z]{5,32}$/.test(s)) throw new ValidationError("idNumber", "id-number");
  return s;
}

/** Name or free text: NFKC, trimmed, inner whitespace collapsed to one space. */
export function normalizeText(value: string): string {
  const s = value.normalize("NFKC").trim().replace(/\s+/g, " ");
  if (s.length === 0) throw new ValidationError("value", "non-empty");
  return s;
}

/** Normalises `value` as `kind` (see the normalize* functions). */
export function normalizePii(kind: PiiKind, value: string): string {
  switch (kind) {
    case "phone": return normalizePhone(value);
    case "id-number": return normalizeIdNumber(value);
    case "name":
    case "text": return normalizeText(value);
  }
}

/**
 * HMAC-SHA256(secret, kind + ":" + normalised value) as `0x` + 64 lowercase hex.
 * The kind is part of the message so a phone number and an ID number with the same digits do not
 * collide, and a hash of one field cannot be matched against another.
 *
 * @param secret per-deployment secret (≥ 16 bytes; a string is taken as UTF-8)
 * @throws ValidationError if the secret is too short or the value does not fit its kind
 */
export function saltedHash(secret: string | Uint8Array, value: string, kind: PiiKind = "text"): string {
  const key = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES) throw new ValidationError("secret", `min-${MIN_SECRET_BYTES}-bytes`);
  if (typeof value !== "string") throw new ValidationError("value", "string");
  const message = `${kind}:${normalizePii(kind, value)}`;
  return `0x${createHmac("sha256", key).update(message, "utf8").digest("hex")}`;
}
