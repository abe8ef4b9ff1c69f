import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { addMonths, formatDay } from "./dates.js";
import { comparableToRow, type ComparableCase, type PropertyFeatures } from "./comparables.js";
import { solveSpd } from "./cholesky.js";

/**
 * Collateral valuation from comparable cases: a k-nearest-neighbours estimate on top of a hedonic,
 * time-indexed price model, both learnt from the comparables.
 *
 * 1. **Model** ({@link buildValuationModel}): least squares on market sales,
 *    log(price/m²) = index_region(saleDate) + type + β_age·age + β_area·log(area/100) + β_occ·occupied + β_def·titleDefect.
 *    The regional index is piecewise linear in time with a knot every six months (a half-yearly index
 *    learnt from the data, smoothed by a small first-difference penalty so sparse half-years borrow from
 *    their neighbours). After the last knot the index is held flat: no extrapolated trend.
 * 2. **Neighbours**: the k most similar market sales of the same asset type (distance over age, log area,
 *    survey flags, sale date; other regions only if the region has fewer than k), each *time-adjusted* to
 *    asOf with the regional index and adjusted for feature differences with the model's coefficients.
 *    What remains of each neighbour is its residual: how much it sold above or below the model.
 * 3. **Point value** = the model's value for the subject at asOf, times exp(½ × mean neighbour residual)
 *    — the neighbours correct the model locally, shrunk halfway because k residuals are noisy.
 * 4. **P10–P90**: the neighbours' residual spread (pooled with the global spread, 10 pseudo-observations
 *    of weight), widened for the estimate's own error and scaled by a factor calibrated by leave-one-out
 *    on the comparables so that 80% of held-out sales fall inside.
 * 5. The ids of the comparables used and a sha256 of their canonical JSON (RFC 8785, sorted by caseId),
 *    plus a hash of the model's parameters, so anyone holding the same cases can re-derive the value.
 */

export const VALUATION_METHOD = "knn-hedonic-v1";
const Z80 = 1.2815515655446004; // standard normal 90th percentile
const HALF_YEAR_MONTHS = 6;

interface Fitted {
  regions: string[];
  knots: number[]; // day numbers
  /** index[r * knots.length + k]: log price/m² level of region r at knot k (residential, new, 100 m², clean). */
  index: Float64Array;
  commercial: number;
  industrial: number;
  age: number;
  logArea: number;
  occupied: number;
  titleDefect: number;
  sigma: number;
}

export interface ValuationModel {
  method: string;
  k: number;
  fitted: Fitted;
  /** Calibration factor of the interval half-width. */
  calibration: number;
  /** Market sales grouped by `${assetType}|${region}` and by assetType. */
  byTypeRegion: Map<string, number[]>;
  byType: Map<string, number[]>;
  cases: ComparableCase[];
  residuals: Float64Array;
  /** Canonical JSON of each case (cached for hashing). */
  canonical: string[];
  /** Per-case features as columns, so the neighbour search reads numbers, not objects. */
  logArea: Float64Array;
  age: Float64Array;
  day: Float64Array;
  /** Bit 0 occupied, bit 1 titleDefect. */
  flags: Uint8Array;
  regionOf: Int32Array;
  modelHash: string;
}

/** The subject to value. */
export type Subject = PropertyFeatures;

function regionIndex(f: Fitted, r: number, day: number): number {
  const K = f.knots.length;
  const base = r * K;
  if (day <= f.knots[0]!) return f.index[base]!;
  if (day >= f.knots[K - 1]!) return f.index[base + K - 1]!;
  let k = 0;
  while (f.knots[k + 1]! < day) k++;
  const w = (day - f.knots[k]!) / (f.knots[k + 1]! - f.knots[k]!);
  return f.index[base + k]! * (1 - w) + f.index[base + k + 1]! * w;
}

/** The model's log price per m² (its prediction without noise). */
function logPerM2(f: Fitted, r: number, s: Subject, day: number): number {
  return regionIndex(f, r, day)
    + (s.assetType === "commercial" ? f.commercial : s.assetType === "industrial" ? f.industrial : 0)
    + f.age * s.ageYears + f.logArea * Math.log(s.area / 100) + (s.occupied ? f.occupied : 0) + (s.titleDefect ? f.titleDefect : 0);
}

function fit(cases: ComparableCase[]): Fitted {
  const regions = [...new Set(cases.map((c) => c.region))].sort();
  const rIndex = new Map(regions.map((r, i) => [r, i]));
  let minDay = Infinity, maxDay = -Infinity;
  for (const c of cases) { if (c.saleDay < minDay) minDay = c.saleDay; if (c.saleDay > maxDay) maxDay = c.saleDay; }
  const knots = [minDay];
  while (knots[knots.length - 1]! < maxDay) knots.push(Math.min(addMonths(knots[knots.length - 1]!, HALF_YEAR_MONTHS), maxDay));
  if (knots.length === 1) knots.push(minDay + 1);
  const K = knots.length, R = regions.length, H = 6, P = R * K + H;
  const xtx = new Float64Array(P * P);
  const xty = new Float64Array(P);
  const row = new Float64Array(P);
  const cols: number[] = [];
  for (const c of cases) {
    const r = rIndex.get(c.region)!;
    cols.length = 0;
    let k = 0;
    while (k < K - 2 && knots[k + 1]! < c.saleDay) k++;
    const w = Math.min(1, Math.max(0, (c.saleDay - knots[k]!) / (knots[k + 1]! - knots[k]!)));
    row[r * K + k] = 1 - w; cols.push(r * K + k);
    row[r * K + k + 1] = w; cols.push(r * K + k + 1);
    const h = R * K;
    row[h] = c.assetType === "commercial" ? 1 : 0;
    row[h + 1] = c.assetType === "industrial" ? 1 : 0;
    row[h + 2] = c.ageYears;
    row[h + 3] = Math.log(c.area / 100);
    row[h + 4] = c.occupied ? 1 : 0;
    row[h + 5] = c.titleDefect ? 1 : 0;
    for (let j = 0; j < H; j++) cols.push(h + j);
    const y = Math.log(Number(c.price) / c.area);
    for (const i of cols) {
      xty[i]! += row[i]! * y;
      for (const j of cols) xtx[i * P + j]! += row[i]! * row[j]!;
    }
    for (const i of cols) row[i] = 0;
  }
  // Smoothness: first differences of each region's index, and a tiny ridge so empty columns stay solvable.
  const smooth = 1;
  for (let r = 0; r < R; r++) {
    for (let k = 0; k + 1 < K; k++) {
      const a = r * K + k, b = a + 1;
      xtx[a * P + a]! += smooth; xtx[b * P + b]! += smooth;
      xtx[a * P + b]! -= smooth; xtx[b * P + a]! -= smooth;
    }
  }
  for (let i = 0; i < P; i++) xtx[i * P + i]! += 1e-6;
  const beta = solveSpd(xtx, xty, P, "valuation model");
  const h = R * K;
  const f: Fitted = {
    regions, knots, index: beta.slice(0, h), commercial: beta[h]!, industrial: beta[h + 1]!, age: beta[h + 2]!,
    logArea: beta[h + 3]!, occupied: beta[h + 4]!, titleDefect: beta[h + 5]!, sigma: 0,
  };
  let ss = 0;
  for (const c of cases) {
    const e = Math.log(Number(c.price) / c.area) - logPerM2(f, rIndex.get(c.region)!, c, c.saleDay);
    ss += e * e;
  }
  f.sigma = Math.sqrt(ss / Math.max(1, cases.length - P));
  return f;
}

export interface ValuationModelOptions {
  /** Neighbours per valuation (default 12). */
  k?: number;
  /** Cases used for the leave-one-out calibration (default 600). */
  calibrationSample?: number;
}

/**
 * Learns the valuation model from comparable cases (market sales only; auction rows are ignored here).
 * Pure: the same cases give the same model and the same modelHash.
 * @throws Error when there are fewer than 30 market sales
 */
export function buildValuationModel(all: readonly ComparableCase[], options: ValuationModelOptions = {}): ValuationModel {
  const cases = all.filter((c) => c.saleType === "market" && c.price > 0n).sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  if (cases.length < 30) throw new Error(`valuation needs at least 30 market sales, got ${cases.length}`);
  const fitted = fit(cases);
  const rIndex = new Map(fitted.regions.map((r, i) => [r, i]));
  const residuals = new Float64Array(cases.length);
  const byTypeRegion = new Map<string, number[]>();
  const byType = new Map<string, number[]>();
  cases.forEach((c, i) => {
    residuals[i] = Math.log(Number(c.price) / c.area) - logPerM2(fitted, rIndex.get(c.region)!, c, c.saleDay);
    const key = `${c.assetType}|${c.region}`;
    (byTypeRegion.get(key) ?? byTypeRegion.set(key, []).get(key)!).push(i);
    (byType.get(c.assetType) ?? byType.set(c.assetType, []).get(c.assetType)!).push(i);
  });
  const params = {
    method: VALUATION_METHOD, k: options.k ?? 12, regions: fitted.regions, knots: fitted.knots.map(formatDay),
    index: [...fitted.index], coefficients: [fitted.commercial, fitted.industrial, fitted.age, fitted.logArea, fitted.occupied, fitted.titleDefect], sigma: fitted.sigma,
  };
  const model: ValuationModel = {
    method: VALUATION_METHOD, k: params.k, fitted, calibration: 1, byTypeRegion, byType, cases, residuals,
    canonical: cases.map((c) => canonicalize(comparableToRow(c))!), modelHash: "",
    logArea: Float64Array.from(cases, (c) => Math.log(c.area)), age: Float64Array.from(cases, (c) => c.ageYears),
    day: Float64Array.from(cases, (c) => c.saleDay), flags: Uint8Array.from(cases, (c) => (c.occupied ? 1 : 0) | (c.titleDefect ? 2 : 0)),
    regionOf: Int32Array.from(cases, (c) => rIndex.get(c.region)!),
  };
  model.calibration = calibrate(model, options.calibrationSample ?? 600);
  model.modelHash = sha256(canonicalize({ ...params, calibration: model.calibration })!);
  return model;
}

function sha256(text: string): string {
  return "0x" + createHash("sha256").update(text).digest("hex");
}

/** Leave-one-out: the interval scale that puts 80% of the sampled sales inside P10–P90. */
function calibrate(model: ValuationModel, sample: number): number {
  const n = model.cases.length;
  const step = Math.max(1, Math.floor(n / sample));
  const z: number[] = [];
  for (let i = 0; i < n; i += step) {
    const c = model.cases[i]!;
    const est = estimate(model, c, c.saleDay, i);
    if (!est) continue;
    z.push(Math.abs(Math.log(Number(c.price) / c.area) - est.mu) / est.sd);
  }
  if (z.length < 20) return 1;
  z.sort((a, b) => a - b);
  return z[Math.floor(0.8 * (z.length - 1))]! / Z80;
}

interface Estimate { mu: number; sd: number; neighbours: number[]; regionWide: boolean }

/** Neighbours and the log price per m² estimate; `exclude` leaves one case out (for calibration). */
function estimate(model: ValuationModel, s: Subject, day: number, exclude = -1): Estimate | undefined {
  const f = model.fitted;
  const r = f.regions.indexOf(s.region);
  if (r < 0) return undefined;
  const k = model.k;
  const own = model.byTypeRegion.get(`${s.assetType}|${s.region}`) ?? [];
  const regionWide = own.length - (exclude >= 0 ? 1 : 0) < k;
  const pool = regionWide ? model.byType.get(s.assetType) ?? [] : own;
  const best = new Int32Array(k).fill(-1);
  const dist = new Float64Array(k).fill(Infinity);
  const logArea = Math.log(s.area);
  const flags = (s.occupied ? 1 : 0) | (s.titleDefect ? 2 : 0);
  for (let q = 0; q < pool.length; q++) {
    const j = pool[q]!;
    if (j === exclude) continue;
    const da = (model.age[j]! - s.ageYears) / 10;
    const dl = (model.logArea[j]! - logArea) / 0.5;
    const dt = (model.day[j]! - day) / 730;
    const fx = model.flags[j]! ^ flags;
    let d = da * da + dl * dl + dt * dt + (fx & 1) + (fx >> 1);
    if (model.regionOf[j] !== r) d += 4;
    if (d >= dist[k - 1]!) continue;
    let p = k - 1;
    while (p > 0 && dist[p - 1]! > d) { dist[p] = dist[p - 1]!; best[p] = best[p - 1]!; p--; }
    dist[p] = d;
    best[p] = j;
  }
  const neighbours = [...best].filter((j) => j >= 0);
  const m = neighbours.length;
  if (m === 0) return undefined;
  let mean = 0;
  for (const j of neighbours) mean += model.residuals[j]!;
  mean /= m;
  let ss = 0;
  for (const j of neighbours) ss += (model.residuals[j]! - mean) ** 2;
  const nu = 10;
  const spread = Math.sqrt((ss + nu * f.sigma * f.sigma) / (m - 1 + nu));
  const w = 0.5;
  return { mu: logPerM2(f, r, s, day) + w * mean, sd: spread * Math.sqrt(1 + (w * w) / m), neighbours, regionWide };
}

/** A comparable as used in a valuation. */
export interface UsedComparable {
  caseId: string;
  saleDate: string;
  price: string;
  /** The price time-adjusted to asOf and adjusted to the subject's features, fen. */
  adjustedValue: string;
}

export interface Valuation {
  method: string;
  asOf: string;
  /** Market value (median estimate), fen. */
  value: string;
  p10: string;
  p90: string;
  /** The regional index factor from the comparables' mean sale date to asOf, in basis points. */
  timeAdjustmentBps: number;
  /** True when the region had too few sales of this type and other regions were used. */
  regionWide: boolean;
  comparables: UsedComparable[];
  /** sha256 of the canonical JSON array of the comparables used, sorted by caseId. */
  comparablesHash: string;
  modelHash: string;
}

/**
 * Values one property at `asOfDay`.
 * @returns undefined when the model has no sales of the region (it cannot index its prices)
 */
export function valueCollateral(model: ValuationModel, s: Subject, asOfDay: number): Valuation | undefined {
  const est = estimate(model, s, asOfDay);
  if (!est) return undefined;
  const f = model.fitted;
  const r = f.regions.indexOf(s.region);
  const half = Z80 * model.calibration * est.sd;
  const value = Math.exp(est.mu) * s.area;
  const subjectLevel = logPerM2(f, r, s, asOfDay);
  let meanDay = 0;
  const used = est.neighbours.map((j) => {
    const c = model.cases[j]!;
    meanDay += c.saleDay;
    // Adjusted = subject's model value × exp(the neighbour's residual): time, region and features adjusted.
    return { caseId: c.caseId, saleDate: c.saleDate, price: c.price.toString(), adjustedValue: BigInt(Math.round(Math.exp(subjectLevel + model.residuals[j]!) * s.area)).toString(), j };
  });
  meanDay = Math.round(meanDay / used.length);
  const sorted = [...used].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const comparablesHash = sha256(`[${sorted.map((u) => model.canonical[u.j]).join(",")}]`);
  const timeAdjustmentBps = Math.round(Math.exp(regionIndex(f, r, asOfDay) - regionIndex(f, r, meanDay)) * 10_000);
  return {
    method: model.method,
    asOf: formatDay(asOfDay),
    value: BigInt(Math.round(value)).toString(),
    p10: BigInt(Math.round(Math.exp(est.mu - half) * s.area)).toString(),
    p90: BigInt(Math.round(Math.exp(est.mu + half) * s.area)).toString(),
    timeAdjustmentBps,
    regionWide: est.regionWide,
    comparables: used.map(({ j: _j, ...u }) => u),
    comparablesHash,
    modelHash: model.modelHash,
  };
}

/** sha256 (0x-hex) of the canonical JSON array of cases, sorted by caseId: how a valuation's hash is re-derived. */
export function hashComparables(cases: readonly ComparableCase[]): string {
  const sorted = [...cases].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  return sha256(canonicalize(sorted.map(comparableToRow))!);
}
