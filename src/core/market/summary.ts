import { ValidationError } from "../errors.js";
import { CLASSIFICATIONS, type Classification } from "../classification.js";
import { PRODUCTS, type Product } from "../claim-input.js";
import { PROCESS_ASSET_TYPES, type ProcessAssetType } from "../process.js";
import { PATHS, type DisposalPath } from "../recovery.js";
import { canonicalRegion, regionOf } from "../regions.js";
import { parseDay } from "../dates.js";
import { array, known, object, oneOf, opaqueId } from "../input-fields.js";

/**
 * What a de-identified data room says of a package: the figures that price each claim and nothing that
 * identifies a person. A summary has no names, phones, ID numbers (not even masked), street addresses or
 * contract numbers: {@link checkPackageSummary} refuses any property it does not list, so a seller's
 * export that carries personal data is refused whole (rule `not-allowed`, naming the property), never
 * matched on.
 *
 * Money is bigint fen (decimal strings on the wire); the region is a canonical key of regions.ts (a city
 * or a province), the district a six-digit GB/T 2260 code at most.
 */

/** A claim's limitation status at the cut-off: `expired` is time-barred (诉讼时效届满). */
export const LIMITATION_STATUSES = ["running", "expiring", "expired"] as const;
export type LimitationStatus = (typeof LIMITATION_STATUSES)[number];

/** The valuation's quantiles, in fen (P10 ≤ P50 ≤ P90). */
export interface ValuationRange {
  p10: bigint;
  p50: bigint;
  p90: bigint;
}

/** One claim of the loan tape, de-identified. */
export interface ClaimLine {
  /** Outstanding at the cut-off, fen. */
  balance: bigint;
  daysPastDue: number;
  class: Classification;
  /** The loan's product (the asset type investors speak of). */
  assetType: Product;
  collateralType: ProcessAssetType;
  /** Canonical region key (regions.ts). */
  region: string;
  /** GB/T 2260 district code, when the seller gives one. */
  district?: string;
  valuation: ValuationRange;
  disposalPath: DisposalPath;
  limitation: LimitationStatus;
}

/** A package as the matching sees it. */
export interface PackageSummary {
  /** The listing's opaque id (no personal data). */
  packageId: string;
  /** 基准日, YYYY-MM-DD. */
  cutOff: string;
  /** Reserve price, fen, when the seller set one. */
  reserve?: bigint;
  claims: ClaimLine[];
}

/** Most claims one summary may carry. */
export const MAX_CLAIMS_PER_PACKAGE = 20_000;
const MAX_DPD = 36_500;
const DISTRICT = /^\d{6}$/;

/**
 * A fen amount from the wire (decimal string) or already a bigint.
 * @throws ValidationError `fen`
 */
export function fen(value: unknown, field: string): bigint {
  if (typeof value === "bigint" && value >= 0n) return value;
  if (typeof value === "string" && /^(0|[1-9][0-9]{0,30})$/.test(value)) return BigInt(value);
  throw new ValidationError(field, "fen", `${field}: must be a non-negative whole number of fen, as a decimal string`);
}

/**
 * An integer in [lo, hi].
 * @throws ValidationError `integer-range`
 */
export function intIn(value: unknown, lo: number, hi: number, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    throw new ValidationError(field, "integer-range", `${field}: must be a whole number from ${lo} to ${hi}`);
  }
  return value;
}

function checkValuation(v: unknown, field: string): ValuationRange {
  const o = object(v, field);
  known(o, ["p10", "p50", "p90"], field);
  const p10 = fen(o.p10, `${field}.p10`), p50 = fen(o.p50, `${field}.p50`), p90 = fen(o.p90, `${field}.p90`);
  if (p10 > p50 || p50 > p90) throw new ValidationError(field, "valuation-order", `${field}: must have p10 ≤ p50 ≤ p90`);
  return { p10, p50, p90 };
}

const LINE_FIELDS = ["balance", "daysPastDue", "class", "assetType", "collateralType", "region", "district", "valuation", "disposalPath", "limitation"];

function checkLine(v: unknown, field: string): ClaimLine {
  const o = object(v, field);
  known(o, LINE_FIELDS, field);
  if (o.district !== undefined && (typeof o.district !== "string" || !DISTRICT.test(o.district) || regionOf(o.district)?.level !== "county")) {
    throw new ValidationError(`${field}.district`, "district-code", `${field}.district: must be a six-digit GB/T 2260 district code`);
  }
  const line: ClaimLine = {
    balance: fen(o.balance, `${field}.balance`),
    daysPastDue: intIn(o.daysPastDue, 0, MAX_DPD, `${field}.daysPastDue`),
    class: oneOf(o.class, CLASSIFICATIONS, `${field}.class`),
    assetType: oneOf(o.assetType, PRODUCTS, `${field}.assetType`),
    collateralType: oneOf(o.collateralType, PROCESS_ASSET_TYPES, `${field}.collateralType`),
    region: typeof o.region === "string" ? canonicalRegion(o.region, `${field}.region`) : missing(`${field}.region`),
    valuation: checkValuation(o.valuation, `${field}.valuation`),
    disposalPath: oneOf(o.disposalPath, PATHS, `${field}.disposalPath`),
    limitation: oneOf(o.limitation, LIMITATION_STATUSES, `${field}.limitation`),
  };
  if (o.district !== undefined) line.district = o.district as string;
  return line;
}

function missing(field: string): never {
  throw new ValidationError(field, "required", `${field}: is required`);
}

/**
 * A package summary from the wire (or a seller's export), checked and canonicalised.
 * @throws ValidationError naming the field and the rule: `not-allowed` for any property not listed above
 *   (a name, phone or ID number), `fen`, `integer-range`, `one-of`, `region-unknown`, `valuation-order`,
 *   `district-code`, `empty` for a package without claims
 */
export function checkPackageSummary(input: unknown, field = "package"): PackageSummary {
  const o = object(input, field);
  known(o, ["packageId", "cutOff", "reserve", "claims"], field);
  const claims = array(o.claims, `${field}.claims`, MAX_CLAIMS_PER_PACKAGE);
  if (claims.length === 0) throw new ValidationError(`${field}.claims`, "empty", `${field}.claims: a package has at least one claim`);
  parseDay(o.cutOff, `${field}.cutOff`);
  const summary: PackageSummary = {
    packageId: opaqueId(o.packageId, `${field}.packageId`),
    cutOff: o.cutOff as string,
    claims: claims.map((c, i) => checkLine(c, `${field}.claims[${i}]`)),
  };
  if (o.reserve !== undefined) summary.reserve = fen(o.reserve, `${field}.reserve`);
  return summary;
}

/** The summary with its amounts as decimal strings, for the wire and JSON files. */
export function summaryToWire(s: PackageSummary): Record<string, unknown> {
  return JSON.parse(JSON.stringify(s, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}
