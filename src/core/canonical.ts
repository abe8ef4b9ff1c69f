/**
 * RFC 8785 (JSON Canonicalization Scheme) for evidence records, via the maintained `canonicalize`
 * package: one byte sequence per value, whoever serialises it, so a hash can be recomputed anywhere.
 */
import canonicalize from "canonicalize";
import { keccak256 } from "ethers";
import { ValidationError } from "./errors.js";

const utf8 = new TextEncoder();
/** A UTF-16 surrogate without its partner: not representable in UTF-8 (String#isWellFormed, ES2024). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The canonical JSON text of `value` (RFC 8785): sorted keys, no whitespace, ES number formatting.
 * Only plain JSON data is accepted; anything JSON cannot represent faithfully is refused rather than
 * silently dropped or rewritten (a hash over a lossy form would not prove what was meant).
 *
 * @throws ValidationError (field = path of the offending value, rule = what is wrong)
 */
export function canonicalJson(value: unknown): string {
  assertPlainJson(value, "$");
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new ValidationError("$", "canonical-json", `cannot canonicalise: ${(error as Error).message}`);
  }
  if (text === undefined) throw new ValidationError("$", "canonical-json", "value has no JSON form");
  return text;
}

/** UTF-8 bytes of {@link canonicalJson}. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8.encode(canonicalJson(value));
}

/** keccak256 of the canonical UTF-8 bytes, `0x` + 64 lowercase hex: the hash anchored for a record. */
export function canonicalHash(value: unknown): string {
  return keccak256(canonicalBytes(value));
}

/**
 * Refuses what canonicalize would accept but change: undefined (dropped), non-finite or unsafe
 * numbers, bigint, functions, class instances (Date, Map: serialised via toJSON or as `{}`),
 * lone surrogates. Keeps the hashed form equal to the data the caller holds.
 */
function assertPlainJson(value: unknown, path: string): void {
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new ValidationError(path, "well-formed-unicode");
    return;
  }
  if (typeof value === "number") {
    // Integers beyond 2^53 and fractions lose digits across languages; evidence uses strings for those.
    if (!Number.isSafeInteger(value)) throw new ValidationError(path, "safe-integer");
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`));
    return;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new ValidationError(path, "plain-object");
    for (const [key, item] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) throw new ValidationError(path, "well-formed-unicode");
      if (item === undefined) throw new ValidationError(`${path}.${key}`, "defined");
      assertPlainJson(item, `${path}.${key}`);
    }
    return;
  }
  throw new ValidationError(path, "json-value", `${path}: ${typeof value} has no JSON form`);
}
