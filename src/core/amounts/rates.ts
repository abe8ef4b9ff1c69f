/**
 * Exact rate arithmetic for the claim-amount calculator: rates are fractions of bigints, interest is
 * `base × rate × days / year` rounded half up (四舍五入) to the fen once per accrual. No float ever
 * touches money or a rate.
 */
import { ValidationError } from "../errors.js";
import type { Rate } from "./types.js";

/** Basis points as an integer or a decimal string of up to 4 decimals: "435", "478.5", 435. */
const BPS_TEXT = /^(0|[1-9][0-9]{0,6})(\.[0-9]{1,4})?$/;

/**
 * Parses basis points (1/10,000) into an exact annual fraction.
 * @param value a JSON integer or a decimal string ("478.5" = 4.785%)
 * @param field the field named in the error
 * @param max the highest value accepted, in basis points
 * @throws ValidationError `bps` when it is neither, `bps-range` above `max`
 */
export function parseBps(value: unknown, field: string, max: number): Rate {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(field, "bps", `${field}: must be basis points, a non-negative integer or a decimal string such as "478.5"`);
    text = String(value);
  } else if (typeof value === "string" && BPS_TEXT.test(value)) {
    text = value;
  } else {
    throw new ValidationError(field, "bps", `${field}: must be basis points, a non-negative integer or a decimal string such as "478.5"`);
  }
  const [whole, frac = ""] = text.split(".");
  const den = 10n ** BigInt(4 + frac.length);
  const num = BigInt(whole! + frac);
  if (num * 10_000n > BigInt(max) * den) throw new ValidationError(field, "bps-range", `${field}: at most ${max} basis points`);
  return reduce({ num, den });
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** The fraction in lowest terms (den > 0). */
export function reduce(r: Rate): Rate {
  if (r.num === 0n) return { num: 0n, den: 1n };
  const g = gcd(r.num, r.den);
  return { num: r.num / g, den: r.den / g };
}

/** `a × (1 + b)`: a contract rate raised by a markup (the penalty rate, 银发〔2003〕251号第三条). */
export function raise(a: Rate, b: Rate): Rate {
  return reduce({ num: a.num * (b.den + b.num), den: a.den * b.den });
}

/** `n / d` rounded half up (四舍五入) for n ≥ 0, d > 0. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/**
 * Interest of one accrual: `base × rate × days / yearDays`, rounded half up to the fen.
 * @param base fen, ≥ 0
 * @param days whole days (算头不算尾: the first day counted, the last not)
 * @param yearDays 360 for a bank's daily rate, 365 for the court's yearly cap
 */
export function accrue(base: bigint, rate: Rate, days: number, yearDays: bigint): bigint {
  if (base <= 0n || days <= 0 || rate.num === 0n) return 0n;
  return roundHalfUp(base * rate.num * BigInt(days), rate.den * yearDays);
}

/** A rate in basis points as an exact decimal string ("652.5"); a fraction that does not end is cut at 8 decimals. */
export function bpsText(r: Rate): string {
  const num = r.num * 10_000n;
  const whole = num / r.den;
  let rest = num % r.den;
  let frac = "";
  for (let i = 0; i < 8 && rest !== 0n; i++) {
    rest *= 10n;
    frac += (rest / r.den).toString();
    rest %= r.den;
  }
  return frac ? `${whole}.${frac}` : whole.toString();
}
