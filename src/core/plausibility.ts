import { coded, ValidationError } from "./errors.js";
import { formatMajor } from "./money.js";

/**
 * Amounts that are possible but most likely a typing error (a principal keyed in yuan where fen were meant, an
 * outstanding a thousand times the principal): refused as 400 `implausible-amount`, naming the field, unless
 * the request confirms them (`confirmImplausible: true`) — a person looks once more before a wrong figure is on
 * chain for good.
 */
/** An outstanding above this multiple of the principal (interest and penalties rarely come near it). */
export const MAX_OUTSTANDING_MULTIPLE = 3n;
/** A principal below ¥100.00 (in fen). */
export const MIN_PLAUSIBLE_PRINCIPAL = 10_000n;

export function checkPlausibleAmounts(principal: bigint, outstanding: bigint, at: (f: string) => string, confirmed: boolean): void {
  if (confirmed) return;
  if (principal < MIN_PLAUSIBLE_PRINCIPAL) {
    throw coded(new ValidationError(at("principal"), "implausible-amount", `${at("principal")}: ¥${formatMajor(principal)} is implausibly small for a loan; send confirmImplausible: true if it is right`),
      "validation.implausible-principal", { amount: `¥${formatMajor(principal)}` });
  }
  if (outstanding > principal * MAX_OUTSTANDING_MULTIPLE) {
    throw coded(new ValidationError(at("outstanding"), "implausible-amount", `${at("outstanding")}: ¥${formatMajor(outstanding)} is more than ${MAX_OUTSTANDING_MULTIPLE} times the principal ¥${formatMajor(principal)}; send confirmImplausible: true if it is right`),
      "validation.implausible-outstanding", { outstanding: `¥${formatMajor(outstanding)}`, principal: `¥${formatMajor(principal)}`, multiple: String(MAX_OUTSTANDING_MULTIPLE) });
  }
}
