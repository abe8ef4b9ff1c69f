/**
 * The de-identified loan tape of a data room (issue 19): the figures that price each claim of a package —
 * balance, days past due, five-tier class, collateral type, region to the district, valuation P10–P90, the
 * disposal path, the limitation status — and nothing that identifies a person (PIPL: the seller's duty of
 * strict protection of the debtors' data it shows prospective buyers).
 *
 * **An allow-list.** {@link tapeLine} builds each line field by field from named inputs; nothing of the seller's
 * record is spread or copied whole, so a field added to a claim record later (a second phone, an e-mail) never
 * reaches a tape unless a line here names it. What it takes of a person, and how:
 * - the ID number: its last four characters only (`idTail`), never more;
 * - the address: the district it names (regions.ts {@link addressDistrict}), never the street, number or compound;
 * - the debtor: a pseudonym per tape (`D1`, `D2`, … in order of first appearance) so a buyer sees which claims
 *   share a debtor — never the debtor's id, name or phone;
 * - the claim: its id (opaque, on chain already), never the contract number or the loan reference's salt.
 *
 * Money is fen as decimal strings (the tape is a wire and storage format); time is an argument (`cutOff`).
 */
import { CLASSIFICATIONS, type Classification } from "../classification.js";
import { PRODUCTS, type Product } from "../claim-input.js";
import type { ClaimLine, PackageSummary } from "./summary.js";
import type { DisposalPath } from "../recovery.js";
import { PROCESS_ASSET_TYPES, type ProcessAssetType } from "../process.js";
import { addressDistrict, regionOf } from "../regions.js";
import type { PeriodStatus } from "../limitation/types.js";

/** What the seller's node knows of one claim: its whole record (personal data included) and its assessment. */
export interface TapeSource {
  claimId: string;
  /** The seller's record of the claim, as stored: only what a line names below is read. */
  record: {
    debtor: { type: "retail" | "corporate"; debtorId: string; idNumber?: string; address?: string };
    product: string;
    region?: string;
    collateral?: Record<string, unknown>;
    currency?: string;
    principal: string;
  };
  /** The chain's figures (the last applied report, else the registration). */
  figures: { outstanding: bigint; daysPastDue: number; classification: number; from: "report" | "registration" };
  /** The claim's value range (fen), with how it was found; null when nothing values it. */
  valuation: { p10: bigint; p50: bigint; p90: bigint; method: "comparables" | "appraisal" | "recovery" } | null;
  /** The disposal model's recommended path and the claim's expected recovery. */
  disposal: { path: DisposalPath; expectedRecovery: bigint } | null;
  /** The main limitation period (诉讼时效) at the cut-off. */
  limitation: { status: PeriodStatus; lastDay: string } | null;
}

/** One claim of the tape. */
export interface TapeLine {
  claimId: string;
  /** Pseudonym of the debtor within this tape. */
  debtor: string;
  debtorType: "retail" | "corporate";
  /** The last four characters of the debtor's ID number, when the record has one. */
  idTail: string | null;
  product: string;
  currency: string;
  principal: string;
  /** Outstanding, fen. */
  balance: string;
  daysPastDue: number;
  class: Classification;
  figuresFrom: "report" | "registration";
  collateralType: ProcessAssetType;
  /** Canonical region key (regions.ts), the debtor's or the collateral's. */
  region: string | null;
  /** The county-level division the debtor's address names. */
  district: string | null;
  /** Its GB/T 2260 code (regions.ts), or null when the address names no district or not which. */
  districtCode: string | null;
  valuation: { p10: string; p50: string; p90: string; method: "comparables" | "appraisal" | "recovery" } | null;
  disposalPath: DisposalPath | null;
  expectedRecovery: string | null;
  limitation: { status: PeriodStatus; lastDay: string } | null;
}

export interface TapeTotals {
  claims: number;
  debtors: number;
  personalClaims: number;
  balance: string;
  principal: string;
  /** Claims and balance per class. */
  byClass: Record<Classification, { claims: number; balance: string }>;
  secured: number;
  /** Time-barred (诉讼时效届满) claims at the cut-off, and those whose period ends within 90 days. */
  timeBarred: number;
  expiring: number;
  limitationUnknown: number;
  valuation: { p10: string; p50: string; p90: string; valued: number };
  expectedRecovery: string;
}

export interface LoanTape {
  /** 基准日, YYYY-MM-DD: the figures' date. */
  cutOff: string;
  lines: TapeLine[];
  totals: TapeTotals;
}

const TAIL = /[0-9A-Za-z]{4}$/;

function collateralTypeOf(c: Record<string, unknown> | undefined): ProcessAssetType {
  const t = typeof c?.type === "string" ? c.type.trim().toLowerCase() : "";
  // An unknown type is assessed as unsecured (app/assessments/claim.ts): the tape says the same.
  return (PROCESS_ASSET_TYPES as readonly string[]).includes(t) ? (t as ProcessAssetType) : "unsecured";
}

function regionKey(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? regionOf(value.trim())?.key ?? null : null;
}

/** One line of the tape, field by field (the allow-list); `debtor` is the pseudonym the tape gave the debtor. */
export function tapeLine(s: TapeSource, debtor: string): TapeLine {
  const r = s.record;
  const id = typeof r.debtor.idNumber === "string" ? r.debtor.idNumber.normalize("NFKC").replace(/[\s-]/g, "") : "";
  const place = typeof r.debtor.address === "string" ? addressDistrict(r.debtor.address) : { region: null, district: null, code: null };
  const cls = CLASSIFICATIONS[s.figures.classification] ?? "pass";
  return {
    claimId: s.claimId.toLowerCase(),
    debtor,
    debtorType: r.debtor.type === "corporate" ? "corporate" : "retail",
    idTail: id.length >= 8 && TAIL.test(id) ? id.slice(-4).toUpperCase() : null,
    product: (PRODUCTS as readonly string[]).includes(r.product) ? r.product : "other",
    currency: typeof r.currency === "string" && /^[A-Z]{3}$/.test(r.currency) ? r.currency : "CNY",
    principal: BigInt(r.principal).toString(),
    balance: s.figures.outstanding.toString(),
    daysPastDue: s.figures.daysPastDue,
    class: cls,
    figuresFrom: s.figures.from,
    collateralType: collateralTypeOf(r.collateral),
    region: regionKey(r.region) ?? regionKey(r.collateral?.region) ?? place.region,
    district: place.district,
    districtCode: place.code,
    valuation: s.valuation
      ? { p10: s.valuation.p10.toString(), p50: s.valuation.p50.toString(), p90: s.valuation.p90.toString(), method: s.valuation.method }
      : null,
    disposalPath: s.disposal?.path ?? null,
    expectedRecovery: s.disposal ? s.disposal.expectedRecovery.toString() : null,
    limitation: s.limitation ? { status: s.limitation.status, lastDay: s.limitation.lastDay } : null,
  };
}

/** The tape of a package: one line per claim (in the order given), debtors pseudonymised, and its totals. */
export function loanTape(cutOff: string, sources: readonly TapeSource[]): LoanTape {
  const pseudonyms = new Map<string, string>();
  const lines = sources.map((s) => {
    const key = `${s.record.debtor.type}|${s.record.debtor.debtorId}`;
    let p = pseudonyms.get(key);
    if (p === undefined) pseudonyms.set(key, (p = `D${pseudonyms.size + 1}`));
    return tapeLine(s, p);
  });
  return { cutOff, lines, totals: totalsOf(lines, pseudonyms.size) };
}

function totalsOf(lines: readonly TapeLine[], debtors: number): TapeTotals {
  const byClass = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, { claims: 0, balance: 0n }])) as Record<Classification, { claims: number; balance: bigint }>;
  let balance = 0n, principal = 0n, p10 = 0n, p50 = 0n, p90 = 0n, recovery = 0n;
  let valued = 0, secured = 0, timeBarred = 0, expiring = 0, unknown = 0, personal = 0;
  for (const l of lines) {
    const b = BigInt(l.balance);
    balance += b;
    principal += BigInt(l.principal);
    byClass[l.class].claims++;
    byClass[l.class].balance += b;
    if (l.collateralType !== "unsecured") secured++;
    if (l.debtorType === "retail") personal++;
    if (l.valuation) {
      valued++;
      p10 += BigInt(l.valuation.p10); p50 += BigInt(l.valuation.p50); p90 += BigInt(l.valuation.p90);
    }
    if (l.expectedRecovery !== null) recovery += BigInt(l.expectedRecovery);
    if (!l.limitation) unknown++;
    else if (l.limitation.status === "expired") timeBarred++;
    else if (l.limitation.status === "expiring") expiring++;
  }
  return {
    claims: lines.length, debtors, personalClaims: personal, balance: balance.toString(), principal: principal.toString(),
    byClass: Object.fromEntries(CLASSIFICATIONS.map((c) => [c, { claims: byClass[c].claims, balance: byClass[c].balance.toString() }])) as TapeTotals["byClass"],
    secured, timeBarred, expiring, limitationUnknown: unknown,
    valuation: { p10: p10.toString(), p50: p50.toString(), p90: p90.toString(), valued },
    expectedRecovery: recovery.toString(),
  };
}

/**
 * The tape as the matching reads a package (./summary.ts PackageSummary): each claim's value range is the
 * claim's, not its collateral's — P50 the expected recovery (else the collateral's P50, at most the balance),
 * P10 and P90 at the collateral valuation's relative spread; a line without a region, product or path the
 * matching knows is left out (it has no feature to count in), a period not known counts as running. The package id
 * is the room id without its `0x` (a summary's ids are at most 64 characters).
 */
export function tapeSummary(roomId: string, tape: LoanTape, reserve?: bigint): PackageSummary {
  const claims: ClaimLine[] = [];
  for (const l of tape.lines) {
    if (!l.region || !(PRODUCTS as readonly string[]).includes(l.product)) continue;
    const balance = BigInt(l.balance);
    const col = l.valuation ? { p10: BigInt(l.valuation.p10), p50: BigInt(l.valuation.p50), p90: BigInt(l.valuation.p90) } : null;
    let p50 = l.expectedRecovery !== null ? BigInt(l.expectedRecovery) : col ? col.p50 : 0n;
    if (p50 > balance) p50 = balance;
    const scale = (x: bigint) => (col && col.p50 > 0n ? (p50 * x) / col.p50 : p50);
    const p90 = scale(col?.p90 ?? 0n);
    claims.push({
      balance, daysPastDue: l.daysPastDue, class: l.class, assetType: l.product as Product, collateralType: l.collateralType, region: l.region,
      ...(l.districtCode ? { district: l.districtCode } : {}),
      valuation: { p10: scale(col?.p10 ?? 0n), p50, p90: p90 > balance ? balance : p90 < p50 ? p50 : p90 },
      disposalPath: l.disposalPath ?? "package-sale", limitation: l.limitation?.status ?? "running",
    });
  }
  return { packageId: roomId.replace(/^0x/, ""), cutOff: tape.cutOff, ...(reserve !== undefined ? { reserve } : {}), claims };
}
