import { ValidationError } from "../errors.js";
import { PRODUCTS, type Product } from "../claim-input.js";
import { PROCESS_ASSET_TYPES, type ProcessAssetType } from "../process.js";
import { canonicalRegion } from "../regions.js";
import { array, known, object, oneOf, opaqueId } from "../input-fields.js";
import { FEATURE_COUNT, featureIndex, PROVINCE_KEYS, provinceOf } from "./features.js";
import { fen, intIn } from "./summary.js";

/**
 * An investor's declared profile: what it says it buys. The declared part is a prior; what it bid on and
 * won (history.ts) moves it. Money in fen, rates in basis points.
 */
export interface InvestorProfile {
  /** Opaque account id (no personal data). */
  investorId: string;
  /** Canonical region keys (provinces or cities) it buys in; empty = says nothing. */
  regions: string[];
  /** Products it buys; empty = says nothing. */
  assetTypes: Product[];
  /** Collateral it wants; empty = says nothing. */
  collateralTypes: ProcessAssetType[];
  /** The package sizes it buys (by the valuation's P50), fen. */
  ticket?: { min: bigint; max: bigint };
  /** The return it wants over its price, bps (1500 = 15%). */
  returnTargetBps?: number;
  /** The largest share of a package's balance it accepts time-barred, bps. */
  maxTimeBarredBps?: number;
}

/** Most regions, products or collateral types a profile may list. */
export const MAX_PROFILE_LIST = 64;

function uniqueList<T extends string>(v: unknown, field: string, each: (item: unknown, field: string) => T): T[] {
  if (v === undefined) return [];
  const out: T[] = [];
  array(v, field, MAX_PROFILE_LIST).forEach((item, i) => {
    const value = each(item, `${field}[${i}]`);
    if (out.includes(value)) throw new ValidationError(`${field}[${i}]`, "duplicate", `${field}[${i}]: ${value} is listed twice`);
    out.push(value);
  });
  return out;
}

/**
 * A profile from the wire, checked and canonicalised (regions to their keys: "江苏", "Jiangsu" and "320000"
 * are one region).
 * @throws ValidationError naming the field and the rule: `not-allowed` (an unknown property), `opaque-id`,
 *   `region-unknown`, `one-of`, `duplicate`, `fen`, `min-above-max`, `integer-range`
 */
export function checkInvestorProfile(input: unknown, field = "profile"): InvestorProfile {
  const o = object(input, field);
  known(o, ["investorId", "regions", "assetTypes", "collateralTypes", "ticket", "returnTargetBps", "maxTimeBarredBps"], field);
  const profile: InvestorProfile = {
    investorId: opaqueId(o.investorId, `${field}.investorId`),
    regions: uniqueList(o.regions, `${field}.regions`, (v, f) => (typeof v === "string" ? canonicalRegion(v, f) : canonicalRegion("", f))),
    assetTypes: uniqueList(o.assetTypes, `${field}.assetTypes`, (v, f) => oneOf(v, PRODUCTS, f)),
    collateralTypes: uniqueList(o.collateralTypes, `${field}.collateralTypes`, (v, f) => oneOf(v, PROCESS_ASSET_TYPES, f)),
  };
  if (o.ticket !== undefined) {
    const t = object(o.ticket, `${field}.ticket`);
    known(t, ["min", "max"], `${field}.ticket`);
    const min = fen(t.min, `${field}.ticket.min`), max = fen(t.max, `${field}.ticket.max`);
    if (min > max) throw new ValidationError(`${field}.ticket`, "min-above-max", `${field}.ticket: min must not exceed max`);
    profile.ticket = { min, max };
  }
  if (o.returnTargetBps !== undefined) profile.returnTargetBps = intIn(o.returnTargetBps, 0, 100_000, `${field}.returnTargetBps`);
  if (o.maxTimeBarredBps !== undefined) profile.maxTimeBarredBps = intIn(o.maxTimeBarredBps, 0, 10_000, `${field}.maxTimeBarredBps`);
  return profile;
}

/** The profile with its amounts as decimal strings. */
export function profileToWire(p: InvestorProfile): Record<string, unknown> {
  return JSON.parse(JSON.stringify(p, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * How much a declared preference is believed before any bid, in log value (0.2 ≈ values a package wholly
 * in that region 22% above its valuation). Listed → `listed`; a list that leaves a value out → `unlisted`.
 */
export const DECLARED_PRIOR = {
  region: { listed: 0.2, unlisted: -0.05 },
  asset: { listed: 0.1, unlisted: -0.05 },
  collateral: { listed: 0.08, unlisted: -0.03 },
  /** Time-barred weight at zero tolerance; scaled by (1 − tolerance). Undeclared: `timeBarredUndeclared`. */
  timeBarredAtZero: -0.8,
  timeBarredUndeclared: -0.3,
  /** Log value lost per unit of ln(size) outside the declared ticket range. */
  ticketSlope: 0.5,
} as const;

/**
 * The declared profile as prior weights over the features (indexed as FEATURE_KEYS), and which features it
 * declared (a reason says "declared" for those).
 */
export function declaredPrior(profile: InvestorProfile): { prior: Float64Array; declared: Uint8Array } {
  const prior = new Float64Array(FEATURE_COUNT);
  const declared = new Uint8Array(FEATURE_COUNT);
  const mark = (group: "region" | "asset" | "collateral", listed: readonly string[], all: readonly string[]) => {
    if (listed.length === 0) return;
    for (const v of all) prior[featureIndex(`${group}:${v}`)] = DECLARED_PRIOR[group].unlisted;
    for (const v of listed) {
      const i = featureIndex(`${group}:${v}`);
      prior[i] = DECLARED_PRIOR[group].listed;
      declared[i] = 1;
    }
  };
  mark("region", [...new Set(profile.regions.map(provinceOf))], PROVINCE_KEYS);
  mark("asset", profile.assetTypes, PRODUCTS);
  mark("collateral", profile.collateralTypes, PROCESS_ASSET_TYPES);
  const tb = featureIndex("timeBarred");
  if (profile.maxTimeBarredBps === undefined) prior[tb] = DECLARED_PRIOR.timeBarredUndeclared;
  else {
    prior[tb] = DECLARED_PRIOR.timeBarredAtZero * (1 - profile.maxTimeBarredBps / 10_000);
    declared[tb] = 1;
  }
  return { prior, declared };
}

/**
 * The log value an investor loses on a package of valuation `p50` outside its declared ticket range (0
 * inside it, or when it declared none): `ticketSlope` per unit of ln(size) beyond the nearer bound.
 */
export function ticketPenalty(profile: InvestorProfile, p50: bigint): number {
  if (!profile.ticket || p50 <= 0n) return 0;
  const size = Number(p50);
  if (p50 < profile.ticket.min) return -DECLARED_PRIOR.ticketSlope * Math.log(Number(profile.ticket.min) / size);
  if (p50 > profile.ticket.max) return -DECLARED_PRIOR.ticketSlope * Math.log(size / Math.max(1, Number(profile.ticket.max)));
  return 0;
}
