import { ValidationError } from "./errors.js";
import { parseMinor } from "./money.js";
import { dayOf, formatDay } from "./dates.js";

/**
 * Comparable cases (可比案例): past market sales and judicial-auction attempts of collateral, the data the
 * valuation learns from. This module only parses and validates rows (from CSV or JSON) into typed cases;
 * storing them is the store's job.
 *
 * A row (all values may be strings, as CSV gives them):
 * | field | meaning |
 * | --- | --- |
 * | caseId | unique id |
 * | assetType | residential, commercial or industrial |
 * | region | region code, e.g. shanghai |
 * | area | floor area in m², > 0 |
 * | ageYears | building age in years at the sale (0–100) |
 * | occupied, titleDefect | survey flags (有人占用, 产权瑕疵): true/false/1/0/yes/no |
 * | saleDate | YYYY-MM-DD |
 * | price | fen; the sale price (market) or the hammer price (auction, when sold) |
 * | saleType | market or auction |
 * | auctionRound | 1, 2, or 3 (变卖, sale by conversion); auction rows only |
 * | appraisedValue, reservePrice | fen; auction rows only |
 * | sold | auction rows: whether the attempt sold (market rows are sales) |
 */

export const ASSET_TYPES = ["residential", "commercial", "industrial"] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** What a property's price depends on: the features a comparable, a valuation's subject and the price model share. */
export interface PropertyFeatures {
  assetType: AssetType;
  region: string;
  area: number;
  ageYears: number;
  occupied: boolean;
  titleDefect: boolean;
}

export interface ComparableCase extends PropertyFeatures {
  caseId: string;
  saleDate: string;
  /** Day number of saleDate. */
  saleDay: number;
  price: bigint;
  saleType: "market" | "auction";
  auctionRound?: 1 | 2 | 3;
  appraisedValue?: bigint;
  reservePrice?: bigint;
  sold: boolean;
}

/** A case as plain JSON (money as decimal strings), for hashing, export and the wire. */
export interface ComparableRow {
  caseId: string;
  assetType: string;
  region: string;
  area: number | string;
  ageYears: number | string;
  occupied?: boolean | string | number;
  titleDefect?: boolean | string | number;
  saleDate: string;
  price: string;
  saleType?: string;
  auctionRound?: number | string;
  appraisedValue?: string;
  reservePrice?: string;
  sold?: boolean | string | number;
}

function flag(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined || value === "" || value === null) return fallback;
  if (value === true || value === 1 || value === "1" || value === "true" || value === "yes") return true;
  if (value === false || value === 0 || value === "0" || value === "false" || value === "no") return false;
  throw new ValidationError(field, "must be true or false (or 1/0, yes/no)");
}

function num(value: unknown, field: string, min: number, max: number, integer = false): number {
  const x = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x))) {
    throw new ValidationError(field, integer ? `must be an integer from ${min} to ${max}` : `must be a number from ${min} to ${max}`);
  }
  return x;
}

/**
 * Validates one row into a typed case.
 * @param at field path prefix, e.g. "rows[12]" or "line 13"
 * @throws ValidationError naming the field (e.g. "rows[12].area") and the rule
 */
export function parseComparableRow(row: unknown, at: string): ComparableCase {
  if (row === null || typeof row !== "object") throw new ValidationError(at, "must be an object");
  const r = row as Record<string, unknown>;
  const f = (name: string) => `${at}.${name}`;
  const caseId = typeof r.caseId === "string" ? r.caseId.trim() : "";
  if (!caseId || caseId.length > 128) throw new ValidationError(f("caseId"), "must be a non-empty string of at most 128 characters");
  const assetType = r.assetType as AssetType;
  if (!ASSET_TYPES.includes(assetType)) throw new ValidationError(f("assetType"), `must be one of ${ASSET_TYPES.join(", ")}`);
  const region = typeof r.region === "string" ? r.region.trim() : "";
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(region)) throw new ValidationError(f("region"), "must be a region code (lowercase letters, digits, dashes)");
  const area = num(r.area, f("area"), 1, 1_000_000);
  const ageYears = num(r.ageYears, f("ageYears"), 0, 100);
  const saleDay = typeof r.saleDate === "string" ? dayOf(r.saleDate) : NaN;
  if (saleDay !== saleDay) throw new ValidationError(f("saleDate"), "must be a real calendar date YYYY-MM-DD");
  const saleType = r.saleType === undefined || r.saleType === "" ? "market" : r.saleType;
  if (saleType !== "market" && saleType !== "auction") throw new ValidationError(f("saleType"), "must be market or auction");
  const price = parseMinor(r.price, f("price"));
  const out: ComparableCase = {
    caseId, assetType, region, area, ageYears,
    occupied: flag(r.occupied, f("occupied"), false),
    titleDefect: flag(r.titleDefect, f("titleDefect"), false),
    saleDate: formatDay(saleDay), saleDay, price, saleType,
    sold: flag(r.sold, f("sold"), true),
  };
  if (saleType === "market") {
    if (price === 0n) throw new ValidationError(f("price"), "must be greater than zero for a market sale");
    if (!out.sold) throw new ValidationError(f("sold"), "a market row records a sale, so it must be sold");
    if (r.auctionRound !== undefined && r.auctionRound !== "") throw new ValidationError(f("auctionRound"), "only auction rows have a round");
  } else {
    out.auctionRound = num(r.auctionRound, f("auctionRound"), 1, 3, true) as 1 | 2 | 3;
    out.appraisedValue = parseMinor(r.appraisedValue, f("appraisedValue"));
    if (out.appraisedValue === 0n) throw new ValidationError(f("appraisedValue"), "must be greater than zero");
    out.reservePrice = parseMinor(r.reservePrice, f("reservePrice"));
    if (out.auctionRound === 1 && out.reservePrice * 10n < out.appraisedValue * 7n) {
      throw new ValidationError(f("reservePrice"), "a first-round reserve must be at least 70% of the appraised value");
    }
    if (out.sold && price < out.reservePrice) throw new ValidationError(f("price"), "a sold lot cannot go below its reserve");
    if (!out.sold && price !== 0n) throw new ValidationError(f("price"), "must be 0 when the lot did not sell");
  }
  return out;
}

/** Result of {@link parseComparableRows}: the good cases and one error per bad row. */
export interface ParsedComparables {
  cases: ComparableCase[];
  errors: { index: number; field: string; rule: string }[];
}

/**
 * Parses many rows, collecting errors instead of stopping at the first, so an import can report every bad
 * row. Duplicate caseIds are errors too (the first one wins).
 * @param prefix field path prefix; rows are named `${prefix}[i]`
 * @param onProgress called every `every` rows with (done, total), for import progress
 */
export function parseComparableRows(rows: readonly unknown[], prefix = "rows", onProgress?: (done: number, total: number) => void, every = 10_000): ParsedComparables {
  const cases: ComparableCase[] = [];
  const errors: ParsedComparables["errors"] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    try {
      const c = parseComparableRow(rows[i], `${prefix}[${i}]`);
      if (seen.has(c.caseId)) throw new ValidationError(`${prefix}[${i}].caseId`, "must be unique");
      seen.add(c.caseId);
      cases.push(c);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors.push({ index: i, field: e.field, rule: e.rule });
    }
    if (onProgress && (i + 1) % every === 0) onProgress(i + 1, rows.length);
  }
  onProgress?.(rows.length, rows.length);
  return { cases, errors };
}

/** The case as a JSON row (money as strings), the form that is hashed and exported. */
export function comparableToRow(c: ComparableCase): ComparableRow {
  const row: ComparableRow = {
    caseId: c.caseId, assetType: c.assetType, region: c.region, area: c.area, ageYears: c.ageYears,
    occupied: c.occupied, titleDefect: c.titleDefect, saleDate: c.saleDate, price: c.price.toString(),
    saleType: c.saleType, sold: c.sold,
  };
  if (c.saleType === "auction") {
    row.auctionRound = c.auctionRound;
    row.appraisedValue = c.appraisedValue!.toString();
    row.reservePrice = c.reservePrice!.toString();
  }
  return row;
}

/** Column order for CSV export and import. */
export const COMPARABLE_COLUMNS = [
  "caseId", "assetType", "region", "area", "ageYears", "occupied", "titleDefect", "saleDate", "price",
  "saleType", "auctionRound", "appraisedValue", "reservePrice", "sold",
] as const;
