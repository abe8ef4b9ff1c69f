import { addMonths, formatDay, parseDay } from "../dates.js";
import { PRODUCTS, type Product } from "../claim-input.js";
import type { Classification } from "../classification.js";
import type { ProcessAssetType } from "../process.js";
import type { DisposalPath } from "../recovery.js";
import { regionOf } from "../regions.js";
import { Random } from "../synthetic.js";
import { FEATURE_KEYS, packageFeatures, type PackageFeatures } from "./features.js";
import { array, object, opaqueId } from "../input-fields.js";
import { checkBid, type BidRecord } from "./history.js";
import { checkInvestorProfile, type InvestorProfile } from "./profile.js";
import { checkPackageSummary, intIn, type ClaimLine, type LimitationStatus, type PackageSummary } from "./summary.js";

/**
 * A generated market to measure matching against (`npm run gen:market`). Pure and seeded: the same seed
 * and options give the same market, byte for byte.
 *
 * Each investor has a HIDDEN true value function: ln(value / P50) = level + Σ w_f x_f − 0.5 × (ln-distance
 * of the package's P50 outside its true ticket range), over the features of features.ts. Home provinces
 * weigh +0.15…+0.40, others about −0.08; preferred products +0.08…+0.30; preferred collateral +0.05…+0.25;
 * time-barred claims −0.05…−1.2; the rest small. Its declared profile is a noisy, partial version of that:
 * home regions each kept with p 0.85 (sometimes named by a city), a wrong region added with p 0.15, products
 * and collateral kept with p 0.7 and 0.6 (or not declared at all), ticket bounds × e^N(0, 0.25), return
 * target ± N(0, 150 bps), time-barred tolerance from the true weight with noise.
 *
 * A season of sealed bids on the first packages: each investor bids on the share `activity` (10–25%) of the
 * season's packages it finds most attractive (true value + N(0, 0.15)), each bid its value less its return
 * target, × e^N(0, 0.08); every bid is revealed and the highest at or above the reserve wins. The last
 * `heldOut` packages are listed at `asOf` and have no bids: the benchmark's test set.
 */
export interface TrueInvestor {
  investorId: string;
  level: number;
  /** Weights by feature key (every key of FEATURE_KEYS the generator uses). */
  weights: Record<string, number>;
  /** True ticket range, fen (as numbers: a model, not money that moves). */
  ticketMin: number;
  ticketMax: number;
  returnTargetBps: number;
  /** Share of the season's packages it bids on. */
  activity: number;
}

export interface GeneratedMarket {
  seed: number;
  asOf: string;
  profiles: InvestorProfile[];
  packages: PackageSummary[];
  bids: BidRecord[];
  /** Ids of the packages listed at asOf, without bids. */
  heldOut: string[];
  /** The hidden truth; never an input of the recommender. */
  truth: TrueInvestor[];
}

export interface MarketOptions {
  investors?: number;
  packages?: number;
  heldOut?: number;
  asOf?: string;
  /** Claims per package, inclusive range (default 8–30). */
  claims?: [number, number];
}

/** The generated market's cities ([region key, weight]); features are by province. */
const CITIES: ReadonlyArray<[string, number]> = [
  ["shanghai", 10], ["beijing", 8], ["hangzhou", 6], ["ningbo", 3], ["nanjing", 5], ["suzhou", 4], ["guangzhou", 7],
  ["shenzhen", 6], ["chengdu", 5], ["wuhan", 5], ["shenyang", 4], ["harbin", 3], ["zhengzhou", 4], ["xian", 3],
];
const province = (city: string) => regionOf(city)!.province ?? city;
export const MARKET_PROVINCES: readonly string[] = [...new Set(CITIES.map(([c]) => province(c)))];
const PRODUCT_WEIGHTS = [0.25, 0.2, 0.15, 0.25, 0.15];
const BALANCE_FEN: Record<Product, number> = { mortgage: 60_000_000, consumer: 8_000_000, "credit-card": 3_000_000, sme: 300_000_000, corporate: 2_000_000_000 };
const COLLATERAL: Record<Product, [ProcessAssetType[], number[]]> = {
  mortgage: [["residential", "unsecured"], [0.95, 0.05]],
  consumer: [["unsecured", "vehicle"], [0.8, 0.2]],
  "credit-card": [["unsecured"], [1]],
  sme: [["commercial", "industrial", "equipment", "land", "residential", "unsecured"], [0.3, 0.2, 0.2, 0.05, 0.1, 0.15]],
  corporate: [["commercial", "industrial", "land", "equipment", "unsecured"], [0.3, 0.3, 0.2, 0.1, 0.1]],
};
const COLLATERAL_TYPES: ProcessAssetType[] = ["residential", "commercial", "industrial", "land", "vehicle", "equipment", "unsecured"];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const fenOf = (v: number) => BigInt(Math.max(0, Math.round(v)));

function generateClaim(rng: Random, city: string, product: Product, dpdBase: number, tbFactor: number): ClaimLine {
  const region = rng.chance(0.75) ? city : rng.weighted(CITIES.map(([c]) => c), CITIES.map(([, w]) => w));
  const assetType = rng.chance(0.7) ? product : rng.weighted([...PRODUCTS], PRODUCT_WEIGHTS);
  const [types, weights] = COLLATERAL[assetType];
  const collateralType = rng.weighted(types, weights);
  const secured = collateralType !== "unsecured";
  const balance = BALANCE_FEN[assetType] * Math.exp(0.5 * rng.normal());
  const daysPastDue = Math.max(91, Math.round(dpdBase * Math.exp(0.4 * rng.normal())));
  const cls: Classification = daysPastDue < 180 ? "substandard" : daysPastDue < 360 || rng.chance(0.3) ? "doubtful" : "loss";
  const pExpired = clamp(((daysPastDue - 900) / 1500) * tbFactor * (secured ? 0.5 : 1), 0, 0.9);
  const limitation: LimitationStatus = rng.chance(pExpired) ? "expired" : daysPastDue > 700 && rng.chance(0.2) ? "expiring" : "running";
  const recovery = (secured ? 0.55 : 0.12) * Math.exp(-0.15 * (daysPastDue / 365) + 0.25 * rng.normal()) * (limitation === "expired" ? 0.4 : 1);
  const p50 = balance * recovery;
  let disposalPath: DisposalPath;
  if (limitation === "expired" && rng.chance(0.5)) disposalPath = "write-off";
  else if (secured) disposalPath = rng.chance(0.8) ? "litigation-auction" : "restructuring";
  else if (assetType === "sme" || assetType === "corporate") disposalPath = rng.chance(0.5) ? "restructuring" : "package-sale";
  else disposalPath = rng.weighted<DisposalPath>(["self-collection", "package-sale", "write-off"], [0.4, 0.4, 0.2]);
  return {
    balance: fenOf(balance), daysPastDue, class: cls, assetType, collateralType, region,
    valuation: { p10: fenOf(p50 * (0.55 + 0.25 * rng.next())), p50: fenOf(p50), p90: fenOf(p50 * (1.2 + 0.4 * rng.next())) },
    disposalPath, limitation,
  };
}

function generatePackage(rng: Random, id: string, cutOff: number, claimRange: [number, number]): PackageSummary {
  const city = rng.weighted(CITIES.map(([c]) => c), CITIES.map(([, w]) => w));
  const product = rng.weighted([...PRODUCTS], PRODUCT_WEIGHTS);
  const dpdBase = rng.int(120, 1500);
  const tbFactor = 0.3 + 1.2 * rng.next();
  const claims = Array.from({ length: rng.int(claimRange[0], claimRange[1]) }, () => generateClaim(rng, city, product, dpdBase, tbFactor));
  const summary: PackageSummary = { packageId: id, cutOff: formatDay(cutOff), claims };
  if (rng.chance(0.6)) {
    const p10 = claims.reduce((s, c) => s + c.valuation.p10, 0n);
    summary.reserve = (p10 * BigInt(70 + rng.int(0, 30))) / 100n;
  }
  return summary;
}

function generateInvestor(rng: Random, id: string, sizes: readonly number[]): TrueInvestor {
  const weights: Record<string, number> = {};
  for (const k of FEATURE_KEYS) weights[k] = 0;
  const pickSome = (values: readonly string[], lo: number, hi: number) => {
    const pool = [...values];
    return Array.from({ length: rng.int(lo, hi) }, () => pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  };
  const homes = pickSome(MARKET_PROVINCES, 1, 3);
  for (const p of MARKET_PROVINCES) weights[`region:${p}`] = homes.includes(p) ? 0.15 + 0.25 * rng.next() : -0.08 + 0.05 * rng.normal();
  const assets = pickSome(PRODUCTS, 1, 2);
  for (const a of PRODUCTS) weights[`asset:${a}`] = assets.includes(a) ? 0.08 + 0.22 * rng.next() : -0.03 + 0.05 * rng.normal();
  const collateral = pickSome(COLLATERAL_TYPES, 1, 3);
  for (const c of COLLATERAL_TYPES) weights[`collateral:${c}`] = collateral.includes(c) ? 0.05 + 0.2 * rng.next() : 0.04 * rng.normal();
  for (const k of FEATURE_KEYS) if (k.startsWith("path:")) weights[k] = 0.04 * rng.normal();
  weights.timeBarred = -(0.05 + 1.15 * rng.next());
  weights.dpdYears = -0.04 + 0.03 * rng.normal();
  weights.loss = 0.08 * rng.normal();
  weights.spread = -0.05 + 0.05 * rng.normal();
  const center = sizes[rng.int(0, sizes.length - 1)]! * Math.exp(0.5 * rng.normal());
  const width = Math.sqrt(3 + 12 * rng.next());
  return {
    investorId: id, level: 0.06 * rng.normal(), weights, ticketMin: center / width, ticketMax: center * width,
    returnTargetBps: rng.int(16, 40) * 50, activity: 0.1 + 0.15 * rng.next(),
  };
}

/** The declared profile: a noisy, partial version of the truth (see the module's description). */
function declare(rng: Random, inv: TrueInvestor): InvestorProfile {
  const w = inv.weights;
  const homes = MARKET_PROVINCES.filter((p) => w[`region:${p}`]! >= 0.15);
  const regions: string[] = [];
  if (!rng.chance(0.1)) {
    for (const p of homes) {
      if (!rng.chance(0.85)) continue;
      const cities = CITIES.map(([c]) => c).filter((c) => province(c) === p && c !== p);
      regions.push(cities.length > 0 && rng.chance(0.3) ? rng.pick(cities) : p);
    }
    const others = MARKET_PROVINCES.filter((p) => !homes.includes(p));
    if (rng.chance(0.15)) regions.push(rng.pick(others));
  }
  const kept = (prefix: string, values: readonly string[], lo: number, p: number, none: number) =>
    rng.chance(none) ? [] : values.filter((v) => w[`${prefix}:${v}`]! >= lo && rng.chance(p));
  const profile: InvestorProfile = {
    investorId: inv.investorId, regions,
    assetTypes: kept("asset", PRODUCTS, 0.08, 0.7, 0.2) as Product[],
    collateralTypes: kept("collateral", COLLATERAL_TYPES, 0.05, 0.6, 0.3) as ProcessAssetType[],
  };
  if (rng.chance(0.85)) {
    const min = fenOf(inv.ticketMin * Math.exp(0.25 * rng.normal())), max = fenOf(inv.ticketMax * Math.exp(0.25 * rng.normal()));
    profile.ticket = min <= max ? { min, max } : { min: max, max: min };
  }
  if (rng.chance(0.9)) profile.returnTargetBps = Math.max(0, Math.round((inv.returnTargetBps + 150 * rng.normal()) / 50) * 50);
  if (rng.chance(0.8)) profile.maxTimeBarredBps = Math.round(clamp(1 + w.timeBarred! / 0.8 + 0.1 * rng.normal(), 0, 1) * 100) * 100;
  return profile;
}

/** The true ln(value / P50) of a package to an investor. */
export function trueLogValue(inv: TrueInvestor, pkg: PackageFeatures): number {
  let u = inv.level;
  for (let f = 0; f < FEATURE_KEYS.length; f++) if (pkg.x[f] !== 0) u += (inv.weights[FEATURE_KEYS[f]!] ?? 0) * pkg.x[f]!;
  const size = Number(pkg.facts.p50);
  if (size < inv.ticketMin) u -= 0.5 * Math.log(inv.ticketMin / Math.max(1, size));
  else if (size > inv.ticketMax) u -= 0.5 * Math.log(size / inv.ticketMax);
  return u;
}

/** Generates the market of `seed` (see the module's description). */
export function generateMarket(seed: number, options: MarketOptions = {}): GeneratedMarket {
  const nInvestors = options.investors ?? 100, nPackages = options.packages ?? 500, nHeld = options.heldOut ?? 100;
  const asOf = options.asOf ?? "2025-06-30";
  const asOfDay = parseDay(asOf, "asOf");
  const seasonStart = addMonths(asOfDay, -12);
  const rng = new Random(seed);
  const nSeason = nPackages - nHeld;
  const openDays: number[] = [];
  const packages: PackageSummary[] = [];
  for (let i = 0; i < nPackages; i++) {
    const open = i < nSeason ? seasonStart + Math.floor(((asOfDay - seasonStart) * i) / nSeason) : asOfDay;
    openDays.push(open);
    packages.push(generatePackage(rng, `P${String(i + 1).padStart(4, "0")}`, open - rng.int(10, 60), options.claims ?? [8, 30]));
  }
  const features = packages.map(packageFeatures);
  const sizes = features.map((f) => Number(f.facts.p50));
  const truth = Array.from({ length: nInvestors }, (_, i) => generateInvestor(rng, `I${String(i + 1).padStart(3, "0")}`, sizes));
  const profiles = truth.map((inv) => declare(rng, inv));
  const bids: BidRecord[] = [];
  const season = features.slice(0, nSeason);
  for (const inv of truth) {
    const attractive = season.map((p, i) => ({ i, u: trueLogValue(inv, p), a: trueLogValue(inv, p) + 0.15 * rng.normal() }));
    attractive.sort((a, b) => b.a - a.a);
    for (const { i, u } of attractive.slice(0, Math.round(inv.activity * nSeason))) {
      const amount = fenOf(Number(season[i]!.facts.p50) * Math.exp(u + 0.08 * rng.normal()) / (1 + inv.returnTargetBps / 10_000));
      bids.push({ packageId: packages[i]!.packageId, investorId: inv.investorId, amount, day: formatDay(openDays[i]!), won: false });
    }
  }
  bids.sort((a, b) => (a.packageId < b.packageId ? -1 : a.packageId > b.packageId ? 1 : a.investorId < b.investorId ? -1 : 1));
  const best = new Map<string, BidRecord>();
  for (const b of bids) {
    const reserve = packages[Number(b.packageId.slice(1)) - 1]!.reserve ?? 0n;
    const top = best.get(b.packageId);
    if (b.amount >= reserve && (!top || b.amount > top.amount)) best.set(b.packageId, b);
  }
  for (const b of best.values()) b.won = true;
  return { seed, asOf, profiles, packages, bids, heldOut: packages.slice(nSeason).map((p) => p.packageId), truth };
}

/** The market as JSON: amounts as decimal strings (what `npm run gen:market` writes). */
export function marketToWire(m: GeneratedMarket): Record<string, unknown> {
  return JSON.parse(JSON.stringify(m, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * A market read back from its JSON, every profile, summary and bid through its check.
 * @throws ValidationError naming the field (`profiles[3].regions[0]`, `packages[7].claims[2].balance`, …)
 */
export function parseMarket(input: unknown): GeneratedMarket {
  const o = object(input, "market");
  const heldOut = array(o.heldOut, "heldOut", 1_000_000).map((v, i) => opaqueId(v, `heldOut[${i}]`));
  return {
    seed: intIn(o.seed, 0, 2 ** 32 - 1, "seed"),
    asOf: formatDay(parseDay(o.asOf, "asOf")),
    profiles: array(o.profiles, "profiles", 1_000_000).map((p, i) => checkInvestorProfile(p, `profiles[${i}]`)),
    packages: array(o.packages, "packages", 1_000_000).map((p, i) => checkPackageSummary(p, `packages[${i}]`)),
    bids: array(o.bids, "bids", 10_000_000).map((b, i) => checkBid(b, `bids[${i}]`)),
    heldOut,
    truth: array(o.truth ?? [], "truth", 1_000_000) as TrueInvestor[],
  };
}
