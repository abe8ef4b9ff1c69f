import { coded, ValidationError } from "./errors.js";

/**
 * The resident identity number (公民身份号码, GB 11643-1999): 6 digits of the address code (GB/T 2260), 8 of
 * the date of birth (YYYYMMDD), 3 of the sequence and a check character, ISO 7064 MOD 11-2 over the first 17
 * (0–9 or X). A wrong check character, an impossible date of birth or a first two digits that are no
 * province code (GB/T 2260) is a typing error: refused, naming the field and the rule.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = "10X98765432";

/** Provinces' two-digit codes (GB/T 2260), with 71 Taiwan, 81 Hong Kong, 82 Macao and 83 (residence permits of Taiwan residents). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
  "71", "81", "82", "83",
]);

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error("17 digits expected");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** The 18-character number with its check character: for generated demo and test data. */
export function withIdCheckCharacter(first17: string): string {
  return first17 + idCheckCharacter(first17);
}

/**
 * Checks a natural person's ID number (already normalised: upper case, no spaces) against GB 11643.
 * @param bornBefore unix seconds the date of birth must precede (the loan's origination): time is an argument
 * @throws ValidationError naming `field` and the rule (id-number-length, -region, -birth-date, -check-digit)
 */
export function checkResidentIdNumber(id: string, field: string, bornBefore?: number): void {
  if (!/^\d{17}[\dX]$/.test(id)) {
    throw coded(new ValidationError(field, "id-number-length", `${field}: a resident ID number has 17 digits and a check character (GB 11643)`), "validation.id-number-length");
  }
  const province = id.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    throw coded(new ValidationError(field, "id-number-region", `${field}: its first two digits ${province} are no province code (GB/T 2260)`), "validation.id-number-region", { code: province });
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = Date.UTC(y, m - 1, d);
  const date = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const real = y >= 1900 && new Date(birth).toISOString().slice(0, 10) === date;
  if (!real || (bornBefore !== undefined && birth / 1000 >= bornBefore)) {
    throw coded(new ValidationError(field, "id-number-birth-date", `${field}: the date of birth ${date} does not exist or is not before the loan`), "validation.id-number-birth-date", { date });
  }
  const expected = idCheckCharacter(id.slice(0, 17));
  if (id[17] !== expected) {
    throw coded(new ValidationError(field, "id-number-check-digit", `${field}: the check character should be ${expected} (GB 11643)`), "validation.id-number-check-digit", { expected });
  }
}

/**
 * A valid, distinct resident ID number for synthetic person `i` (demo data, benchmarks, tests): address code
 * `region` (six digits), a date of birth from 1950-01-01 onwards and a sequence number, so that 18,000 × 1,000
 * people get different numbers.
 */
export function syntheticIdNumber(region: string, i: number): string {
  const day = new Date(Date.UTC(1950, 0, 1) + (i % 18_000) * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
  return withIdCheckCharacter(`${region}${day}${String(Math.floor(i / 18_000) % 1000).padStart(3, "0")}`);
}
