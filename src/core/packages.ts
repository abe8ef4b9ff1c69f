import { createHmac } from "node:crypto";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import { coded, ValidationError } from "./errors.js";

/**
 * A package sale's id and price, as people and the chain need them (issue 18).
 *
 * **Id.** People name a package as they like — "PKG-2026-001", "2026年第一批不良资产包" — once per seller: a
 * second sale under the same id is refused. The chain gets an opaque reference, never the label:
 * `ref = keccak256(abi.encode(salt, keccak256(utf8(label))))`, the salt an HMAC of the seller's secret over
 * the seller and the label (deterministic, so the same label always gives the same ref; salted, so a guessed
 * label cannot be tested against the chain). Who may read the claims gets the label and salt to check it.
 *
 * **Price.** The chain carries the whole package's price. Each claim's share is pro rata to its outstanding at
 * the cut-off (the block the sale read), in fen, rounded down, the remainder on the last claim, so the shares
 * add up to the price exactly.
 */
export const PACKAGE_ID_MAX = 64;
const DOMAIN = "debtrail/package-ref/v1";

/** The label as kept: NFC, trimmed, inner whitespace one space; letters of any script, digits and common marks. */
export function normalizePackageLabel(value: string, field = "packageId"): string {
  const s = value.normalize("NFC").trim().replace(/\s+/g, " ");
  if (s.length === 0 || s.length > PACKAGE_ID_MAX) throw new ValidationError(field, `1-${PACKAGE_ID_MAX}-characters`, `${field}: 1 to ${PACKAGE_ID_MAX} characters`);
  if (/[\p{Cc}\p{Cf}]/u.test(s)) throw coded(new ValidationError(field, "no-control-characters", `${field}: no control characters`), "validation.format", { field });
  return s;
}

/** The salt and the on-chain reference of `label` sold by `seller`. */
export function packageRefOf(secret: string, seller: string, label: string): { salt: string; ref: string } {
  const salt = `0x${createHmac("sha256", Buffer.from(secret, "utf8")).update(`${DOMAIN}|${seller.toLowerCase()}|${label}`, "utf8").digest("hex")}`;
  return { salt, ref: packageRefFrom(salt, label) };
}

/** keccak256(abi.encode(salt, keccak256(utf8(label)))): anyone with the label and the salt checks a ref. */
export function packageRefFrom(salt: string, label: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [salt, keccak256(toUtf8Bytes(label))]));
}

/** `price` split over the claims pro rata to `weights` (their outstanding), in fen: floor each, the remainder on the last. */
export function priceShares(price: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((a, b) => a + b, 0n);
  const shares = total === 0n
    ? weights.map(() => price / BigInt(weights.length))
    : weights.map((w) => (price * w) / total);
  const given = shares.reduce((a, b) => a + b, 0n);
  shares[shares.length - 1] = shares[shares.length - 1]! + (price - given);
  return shares;
}
