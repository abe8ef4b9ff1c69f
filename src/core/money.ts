import { ValidationError } from "./errors.js";

/** Largest amount the contracts can store (uint128). */
export const MAX_MINOR = (1n << 128n) - 1n;

const DECIMAL = /^(0|[1-9][0-9]{0,38})$/;

/**
 * Parses a decimal string of minor units (fen) into a bigint.
 * Money never travels as a float: `"12345"` is 123.45 yuan.
 * @param value the wire value
 * @param field the field name used in the error
 * @throws ValidationError naming the field when the value is not a non-negative integer string
 */
export function parseMinor(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw new ValidationError(field, "must be a decimal string of minor units (e.g. \"1250000\" for 12,500.00)");
  }
  const amount = BigInt(value);
  if (amount > MAX_MINOR) throw new ValidationError(field, "must be below 2^128");
  return amount;
}

/** Formats minor units as a decimal string for the wire. */
export function formatMinor(amount: bigint): string {
  return amount.toString(10);
}

/** Formats minor units as major units with two decimals, for people (e.g. `12,500.00`). */
export function formatMajor(amount: bigint, locale: "zh-CN" | "en" = "en"): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const major = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const minor = (abs % 100n).toString().padStart(2, "0");
  void locale; // both locales group by thousands with a comma and use a dot for decimals
  return `${negative ? "-" : ""}${major}.${minor}`;
}

/** Multiplies an amount by basis points (1/10,000), rounding half up. */
export function applyBps(amount: bigint, bps: bigint): bigint {
  return (amount * bps + 5_000n) / 10_000n;
}
