import { PRODUCTS } from "../claim-input.js";
import { PROCESS_ASSET_TYPES } from "../process.js";
import { PATHS } from "../recovery.js";
import { REGIONS, regionOf } from "../regions.js";
import type { PackageSummary } from "./summary.js";

/**
 * A package's features: one number per feature, in a fixed order ({@link FEATURE_KEYS}), so that an
 * investor's preferences are a vector of the same length and a match is their dot product.
 *
 * | feature | value |
 * | --- | --- |
 * | `region:<province>` | share of the balance in that province (a city counts for its province) |
 * | `asset:<product>` | share of the balance of that product (mortgage, consumer, credit card, SME, corporate) |
 * | `collateral:<type>` | share of the balance secured by that collateral type (`unsecured` too) |
 * | `path:<path>` | share of the balance whose recommended disposal path it is |
 * | `timeBarred` | share of the balance time-barred at the cut-off |
 * | `dpdYears` | balance-weighted days past due, in years |
 * | `loss` | share of the balance classed 损失 (loss) |
 * | `spread` | (ΣP90 − ΣP10) / ΣP50: how uncertain the valuation is |
 *
 * Shares are by balance: a package is what its money is.
 */

/** The feature groups, in the order of {@link FEATURE_KEYS}. */
export const FEATURE_GROUPS = ["region", "asset", "collateral", "path", "timeBarred", "dpdYears", "loss", "spread"] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

/** Province keys of regions.ts, the region features. */
export const PROVINCE_KEYS: readonly string[] = REGIONS.filter((r) => !r.province).map((r) => r.key);

/** Every feature key, in vector order. */
export const FEATURE_KEYS: readonly string[] = [
  ...PROVINCE_KEYS.map((k) => `region:${k}`),
  ...PRODUCTS.map((k) => `asset:${k}`),
  ...PROCESS_ASSET_TYPES.map((k) => `collateral:${k}`),
  ...PATHS.map((k) => `path:${k}`),
  "timeBarred", "dpdYears", "loss", "spread",
];
export const FEATURE_COUNT = FEATURE_KEYS.length;
const INDEX: ReadonlyMap<string, number> = new Map(FEATURE_KEYS.map((k, i) => [k, i]));

/** The vector index of `key`. @throws Error for a key not in {@link FEATURE_KEYS} (a programming error). */
export function featureIndex(key: string): number {
  const i = INDEX.get(key);
  if (i === undefined) throw new Error(`unknown market feature ${key}`);
  return i;
}

/** A feature's group and value (`region:jiangsu` → `region`, `jiangsu`). */
export function splitFeature(key: string): { group: FeatureGroup; value?: string } {
  const at = key.indexOf(":");
  return at < 0 ? { group: key as FeatureGroup } : { group: key.slice(0, at) as FeatureGroup, value: key.slice(at + 1) };
}

/** The province of a region key (itself for a province). */
export function provinceOf(region: string): string {
  const r = regionOf(region);
  return r?.province ?? r?.key ?? region;
}

/** Totals of a package the scoring reads beside its features (money in fen). */
export interface PackageFacts {
  packageId: string;
  claims: number;
  balance: bigint;
  p10: bigint;
  p50: bigint;
  p90: bigint;
  reserve?: bigint;
  timeBarredClaims: number;
}

/** A package's feature vector and totals. */
export interface PackageFeatures {
  facts: PackageFacts;
  /** Indexed as {@link FEATURE_KEYS}. */
  x: Float64Array;
}

/**
 * The features of a (checked) summary. Pure: the same summary gives the same vector.
 * A package whose balance is zero weighs its claims equally instead.
 */
export function packageFeatures(summary: PackageSummary): PackageFeatures {
  const x = new Float64Array(FEATURE_COUNT);
  let balance = 0n, p10 = 0n, p50 = 0n, p90 = 0n, timeBarredClaims = 0;
  for (const c of summary.claims) {
    balance += c.balance; p10 += c.valuation.p10; p50 += c.valuation.p50; p90 += c.valuation.p90;
    if (c.limitation === "expired") timeBarredClaims++;
  }
  const total = Number(balance);
  let dpd = 0;
  for (const c of summary.claims) {
    const w = total > 0 ? Number(c.balance) / total : 1 / summary.claims.length;
    x[featureIndex(`region:${provinceOf(c.region)}`)]! += w;
    x[featureIndex(`asset:${c.assetType}`)]! += w;
    x[featureIndex(`collateral:${c.collateralType}`)]! += w;
    x[featureIndex(`path:${c.disposalPath}`)]! += w;
    if (c.limitation === "expired") x[featureIndex("timeBarred")]! += w;
    if (c.class === "loss") x[featureIndex("loss")]! += w;
    dpd += w * c.daysPastDue;
  }
  x[featureIndex("dpdYears")] = dpd / 365;
  x[featureIndex("spread")] = p50 > 0n ? Number(p90 - p10) / Number(p50) : 0;
  const facts: PackageFacts = { packageId: summary.packageId, claims: summary.claims.length, balance, p10, p50, p90, timeBarredClaims };
  if (summary.reserve !== undefined) facts.reserve = summary.reserve;
  return { facts, x };
}
