/**
 * Advice for a package that did not sell (issue 19): relist it whole at a reserve the market and the valuation
 * support, split it into packages that suit different buyers, or take back the claims the disposal model says
 * are worth more collected or litigated than sold. Pure: money in fen (bigint), time (`nowSec`) an argument,
 * every piece of advice with its reasons as codes and parameters (texts: src/i18n/console/relist.ts).
 *
 * What decides:
 * - **Why it did not sell** ({@link unsoldOutcome}): nobody bid, bids came but none was revealed, every revealed bid
 *   was below the reserve, or the award was not executed and no runner-up was left (the chain's `failed`).
 * - **Withdraw**: a claim whose recommended path is self-collection, restructuring or litigation and whose present
 *   value on that path exceeds what a sale fetches for it — the larger of the disposal model's package-sale value
 *   and the claim's share of the best revealed bid — is better kept than sold.
 * - **The reserve** ({@link suggestReserve}): never above the reserve that did not sell; the best revealed bid when
 *   it reaches the package's pessimistic value (ΣP10: a bidder offered it already); ΣP10 when the bids fell below
 *   it (selling under the pessimistic value gives value away — the split or the withdrawals are the remedy then);
 *   with no bid at all, ΣP10, or 80% of a reserve already at or below it.
 * - **Splits**, each offered only when both sides hold claims: personal vs corporate (personal NPLs go to licensed
 *   AMCs only, 26号文; a corporate part may open to qualified investors, widening who may buy), time-barred vs not
 *   (buyers price time-barred claims apart, and many take none), secured vs unsecured, by region.
 */
import { AbiCoder, keccak256 } from "ethers";
import type { DisposalPath } from "../recovery.js";
import { licensedAmcOnlyRequired } from "./bidding.js";

/** A reason: a stable code and its parameters (money as decimal strings of fen), rendered in the reader's language. */
export interface RelistReason {
  code: string;
  params: Record<string, string | number>;
}

/** What the seller's node knows of one claim of the unsold package (its assessment at `nowSec`). */
export interface RelistClaim {
  claimId: string;
  /** Outstanding, fen. */
  balance: bigint;
  /** The claim's value range (fen), null when nothing values it. */
  value: { p10: bigint; p50: bigint; p90: bigint } | null;
  /** The disposal model: its recommended path and that path's present value, and the package-sale path's value. */
  disposal: { path: DisposalPath; presentValue: bigint; saleValue: bigint } | null;
  /** The main limitation period (诉讼时效) now; null when not known. */
  limitation: "running" | "expiring" | "expired" | null;
  /** Canonical region key, null when not known. */
  region: string | null;
  /** The collateral's type; "unsecured" for none. */
  collateralType: string;
  /** A personal (retail) loan: only licensed AMCs may buy it (26号文). */
  personal: boolean;
}

/** The listing that did not sell, as the chain shows it after the reveal. */
export interface UnsoldListing {
  listingId: string;
  status: "open" | "awarded" | "sold" | "unsold" | "cancelled" | "failed";
  /** The reserve as revealed at the award (null: none or never revealed). */
  reserve: bigint | null;
  /** How many sealed bids were committed, and the amounts of those revealed. */
  bidCount: number;
  revealedBids: readonly bigint[];
  /** Whether the seller holds ORIGINATOR (a bank: its batch of ten or more goes to licensed AMCs only). */
  sellerIsOriginator: boolean;
  /** Unix seconds: when it was listed, when bids closed and when the reveal closed (the suggested window keeps its lengths). */
  listedAt: number;
  commitEnd: number;
  revealEnd: number;
  executionPeriod: number;
}

export type UnsoldOutcome = "no-bids" | "none-revealed" | "below-reserve" | "award-failed" | "withdrawn";
export const SPLIT_KINDS = ["personal", "time-barred", "secured", "region"] as const;
export type SplitKind = (typeof SPLIT_KINDS)[number];
export type RelistOptionId = "whole" | `split:${SplitKind}`;
export const RELIST_OPTION_IDS: readonly RelistOptionId[] = ["whole", ...SPLIT_KINDS.map((k) => `split:${k}` as const)];

/** At most this many parts in a split (a region split folds the smallest regions into one part). */
export const MAX_PARTS = 6;
/** A package's claims are at most this many (the listing route's limit). */
export const MAX_RELIST_CLAIMS = 500;

export interface RelistPart {
  /** Which side: "personal" | "corporate" | "time-barred" | "not-time-barred" | "secured" | "unsecured" | "region:<key>" | "region:other" | "whole". */
  key: string;
  claimIds: string[];
  balance: bigint;
  value: { p10: bigint; p50: bigint; p90: bigint };
  /** The disposal model's package-sale value of the part. */
  saleValue: bigint;
  /** The part's share of the best revealed bid (by sale value), null without one. */
  bidShare: bigint | null;
  licensedAmcOnly: boolean;
  reserve: bigint;
  reasons: RelistReason[];
}

export interface RelistOption {
  id: RelistOptionId;
  parts: RelistPart[];
  reasons: RelistReason[];
}

export interface RelistAdvice {
  listingId: string;
  outcome: UnsoldOutcome;
  /** Why it did not sell. */
  reasons: RelistReason[];
  /** Claims better kept (collected or litigated) than sold: left out of every option. */
  withdraw: Array<{ claimId: string; path: DisposalPath; pathValue: bigint; saleValue: bigint; reasons: RelistReason[] }>;
  /** Relist whole, or split; the first is the recommended one. */
  options: RelistOption[];
  recommended: RelistOptionId | null;
  /** A window of the old one's lengths from now (unix seconds). */
  window: { commitEnd: number; revealEnd: number; executionPeriod: number };
}

const DAY = 86_400;
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const fen = (x: bigint) => x.toString();
const bps = (part: bigint, whole: bigint) => (whole > 0n ? Number((part * 10_000n) / whole) : 0);

/**
 * Why a closed listing did not sell, or null when it is not an unsold one (open, awarded or sold).
 */
export function unsoldOutcome(l: Pick<UnsoldListing, "status" | "bidCount" | "revealedBids">): UnsoldOutcome | null {
  if (l.status === "failed") return "award-failed";
  if (l.status === "cancelled") return "withdrawn";
  if (l.status !== "unsold") return null;
  if (l.bidCount === 0) return "no-bids";
  return l.revealedBids.length === 0 ? "none-revealed" : "below-reserve";
}

/** What a sale is expected to fetch for a claim: the larger of the model's package-sale value and its share of the best bid. */
function saleValueOf(c: RelistClaim): bigint {
  return c.disposal?.saleValue ?? c.value?.p10 ?? 0n;
}

/** The value range of a claim, the sale value standing in for an unvalued one. */
function rangeOf(c: RelistClaim): { p10: bigint; p50: bigint; p90: bigint } {
  if (c.value) return c.value;
  const s = saleValueOf(c);
  return { p10: s, p50: s, p90: s };
}

/**
 * The reserve to relist at, with why: never above the reserve that did not sell (`oldReserve`); see the module's
 * note. `bid` is the best revealed bid (or the part's share of it), null without one.
 */
export function suggestReserve(x: { p10: bigint; oldReserve: bigint | null; bid: bigint | null }): { reserve: bigint; reasons: RelistReason[] } {
  const { p10, oldReserve, bid } = x;
  const cap = (r: bigint, reasons: RelistReason[]) =>
    oldReserve !== null && r > oldReserve && oldReserve > 0n
      ? { reserve: oldReserve, reasons: [...reasons, { code: "reserve-capped", params: { reserve: fen(oldReserve) } }] }
      : { reserve: r, reasons };
  if (bid === null) {
    if (oldReserve !== null && oldReserve > 0n && oldReserve <= p10) {
      const lower = (oldReserve * 8_000n) / 10_000n;
      return { reserve: lower, reasons: [{ code: "reserve-no-bids-lower", params: { reserve: fen(oldReserve), p10: fen(p10), cutPct: 20 } }] };
    }
    return cap(p10, [{ code: "reserve-no-bids-p10", params: { p10: fen(p10) } }]);
  }
  if (bid >= p10) return cap(bid, [{ code: "reserve-best-bid", params: { bid: fen(bid), p10: fen(p10) } }]);
  return cap(p10, [{ code: "reserve-p10-floor", params: { bid: fen(bid), p10: fen(p10) } }]);
}

/** Whether a claim is better kept than sold, and why. */
function withdrawal(c: RelistClaim, bidShare: bigint | null) {
  const d = c.disposal;
  if (!d || d.path === "package-sale" || d.path === "write-off") return null;
  const sale = max(d.saleValue, bidShare ?? 0n);
  if (d.presentValue <= sale) return null;
  return {
    claimId: c.claimId, path: d.path, pathValue: d.presentValue, saleValue: sale,
    reasons: [{ code: "withdraw-path-worth-more", params: { path: d.path, pathValue: fen(d.presentValue), saleValue: fen(sale), gainBps: bps(d.presentValue - sale, max(sale, 1n)) } }],
  };
}

function sideOf(kind: SplitKind, c: RelistClaim): string {
  switch (kind) {
    case "personal": return c.personal ? "personal" : "corporate";
    case "time-barred": return c.limitation === "expired" ? "time-barred" : "not-time-barred";
    case "secured": return c.collateralType === "unsecured" ? "unsecured" : "secured";
    case "region": return `region:${c.region ?? "unknown"}`;
  }
}

/**
 * The advice for an unsold listing over its claims' assessments.
 * @param claims the listing's claims, each assessed now (at most {@link MAX_RELIST_CLAIMS})
 * @throws RangeError when the listing sold or is still open or awarded ({@link unsoldOutcome} null), or too many claims
 */
export function relistAdvice(listing: UnsoldListing, claims: readonly RelistClaim[], nowSec: number): RelistAdvice {
  const outcome = unsoldOutcome(listing);
  if (outcome === null) throw new RangeError(`listing ${listing.listingId} is ${listing.status}, not unsold`);
  if (claims.length > MAX_RELIST_CLAIMS) throw new RangeError(`at most ${MAX_RELIST_CLAIMS} claims`);
  const bestBid = listing.revealedBids.reduce<bigint | null>((m, b) => (m === null || b > m ? b : m), null);
  const totalSale = claims.reduce((s, c) => s + saleValueOf(c), 0n);
  // A claim's share of the best bid follows its share of the package's sale value (what bidders price).
  const shareOf = (sale: bigint): bigint | null => (bestBid === null ? null : totalSale > 0n ? (bestBid * sale) / totalSale : 0n);

  const reasons: RelistReason[] = [];
  const p10All = claims.reduce((s, c) => s + rangeOf(c).p10, 0n);
  if (outcome === "no-bids") reasons.push({ code: "outcome-no-bids", params: { reserve: fen(listing.reserve ?? 0n) } });
  if (outcome === "none-revealed") reasons.push({ code: "outcome-none-revealed", params: { bids: listing.bidCount } });
  if (outcome === "below-reserve") {
    reasons.push({ code: "outcome-below-reserve", params: { bids: listing.revealedBids.length, bestBid: fen(bestBid!), reserve: fen(listing.reserve ?? 0n), gapBps: bps((listing.reserve ?? 0n) - bestBid!, max(listing.reserve ?? 1n, 1n)) } });
  }
  if (outcome === "award-failed") reasons.push({ code: "outcome-award-failed", params: {} });
  if (outcome === "withdrawn") reasons.push({ code: "outcome-withdrawn", params: {} });
  if (bestBid !== null && bestBid < p10All) reasons.push({ code: "bids-below-p10", params: { bestBid: fen(bestBid), p10: fen(p10All) } });

  const withdraw = claims.map((c) => withdrawal(c, shareOf(saleValueOf(c)))).filter((w) => w !== null);
  const out = new Set(withdraw.map((w) => w.claimId));
  const kept = claims.filter((c) => !out.has(c.claimId));

  const part = (key: string, group: readonly RelistClaim[]): RelistPart => {
    const value = group.reduce((s, c) => { const r = rangeOf(c); return { p10: s.p10 + r.p10, p50: s.p50 + r.p50, p90: s.p90 + r.p90 }; }, { p10: 0n, p50: 0n, p90: 0n });
    const saleValue = group.reduce((s, c) => s + saleValueOf(c), 0n);
    const bidShare = shareOf(saleValue);
    const personal = group.filter((c) => c.personal).length;
    const licensedAmcOnly = licensedAmcOnlyRequired({ retailClaims: personal, claimCount: group.length, sellerIsOriginator: listing.sellerIsOriginator });
    // A part's reserve never exceeds the old reserve's share of it (by sale value), nor the old reserve.
    const oldShare = listing.reserve === null || listing.reserve === 0n ? listing.reserve : totalSale > 0n ? (listing.reserve * saleValue) / totalSale : listing.reserve;
    const r = suggestReserve({ p10: value.p10, oldReserve: oldShare, bid: bidShare });
    const partReasons: RelistReason[] = [...r.reasons];
    if (licensedAmcOnly) partReasons.push({ code: personal > 0 ? "buyers-licensed-personal" : "buyers-licensed-batch", params: { claims: group.length, personal } });
    else partReasons.push({ code: "buyers-open-investors", params: { claims: group.length } });
    return {
      key, claimIds: group.map((c) => c.claimId), balance: group.reduce((s, c) => s + c.balance, 0n), value, saleValue, bidShare,
      licensedAmcOnly, reserve: r.reserve, reasons: partReasons,
    };
  };

  const options: RelistOption[] = [];
  if (kept.length > 0) {
    const whole = part("whole", kept);
    const wholeReasons: RelistReason[] = [];
    if (withdraw.length > 0) wholeReasons.push({ code: "whole-without-withdrawn", params: { withdrawn: withdraw.length, claims: kept.length } });
    if (bestBid !== null && listing.reserve !== null && bestBid * 10n >= listing.reserve * 9n) wholeReasons.push({ code: "whole-bid-near-reserve", params: { bestBid: fen(bestBid), reserve: fen(listing.reserve) } });
    options.push({ id: "whole", parts: [whole], reasons: wholeReasons });
    const balanceAll = kept.reduce((s, c) => s + c.balance, 0n);
    for (const kind of SPLIT_KINDS) {
      const groups = new Map<string, RelistClaim[]>();
      for (const c of kept) {
        const k = sideOf(kind, c);
        groups.set(k, [...(groups.get(k) ?? []), c]);
      }
      if (groups.size < 2) continue;
      let entries = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      if (entries.length > MAX_PARTS) {
        // The largest regions by balance keep their own part; the rest go together.
        const bal = (g: readonly RelistClaim[]) => g.reduce((s, c) => s + c.balance, 0n);
        entries.sort((a, b) => (bal(b[1]) > bal(a[1]) ? 1 : bal(b[1]) < bal(a[1]) ? -1 : a[0] < b[0] ? -1 : 1));
        entries = [...entries.slice(0, MAX_PARTS - 1), ["region:other", entries.slice(MAX_PARTS - 1).flatMap(([, g]) => g)]];
      }
      const parts = entries.map(([k, g]) => part(k, g));
      const optReasons: RelistReason[] = [];
      if (kind === "personal") {
        const corporate = parts.find((p) => p.key === "corporate")!;
        optReasons.push({ code: corporate.licensedAmcOnly ? "split-personal" : "split-personal-widens", params: { personal: parts.find((p) => p.key === "personal")!.claimIds.length, corporate: corporate.claimIds.length } });
      } else if (kind === "time-barred") {
        const barred = parts.find((p) => p.key === "time-barred")!;
        optReasons.push({ code: "split-time-barred", params: { claims: barred.claimIds.length, shareBps: bps(barred.balance, balanceAll) } });
      } else if (kind === "secured") {
        const secured = parts.find((p) => p.key === "secured")!;
        optReasons.push({ code: "split-secured", params: { claims: secured.claimIds.length, shareBps: bps(secured.balance, balanceAll) } });
      } else {
        optReasons.push({ code: "split-region", params: { regions: groups.size, parts: parts.length } });
      }
      options.push({ id: `split:${kind}`, parts, reasons: optReasons });
    }
  }

  // Recommended: a split that widens the buyers first; whole when a bid came near the reserve; else a split of
  // time-barred claims that are a real share of the package (10%–90% of the balance); else whole.
  const byId = (id: RelistOptionId) => options.find((o) => o.id === id);
  const timeBarred = byId("split:time-barred");
  const barredShare = Number(timeBarred?.reasons[0]?.params.shareBps ?? 0);
  let recommended: RelistOptionId | null = null;
  if (byId("split:personal")?.reasons.some((r) => r.code === "split-personal-widens")) recommended = "split:personal";
  else if (byId("whole")?.reasons.some((r) => r.code === "whole-bid-near-reserve")) recommended = "whole";
  else if (timeBarred && barredShare >= 1_000 && barredShare <= 9_000) recommended = "split:time-barred";
  else if (options.length > 0) recommended = "whole";
  if (recommended) {
    const i = options.findIndex((o) => o.id === recommended);
    options.unshift(...options.splice(i, 1));
    options[0]!.reasons.push({ code: "recommended", params: {} });
  }

  // The old window's lengths from now, bidding at least a day and at most 30.
  const clamp = (s: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(s)));
  const bidding = clamp(listing.commitEnd - listing.listedAt, DAY, 30 * DAY);
  const reveal = clamp(listing.revealEnd - listing.commitEnd, 3_600, 7 * DAY);
  const commitEnd = Math.ceil((nowSec + bidding) / 60) * 60;
  return {
    listingId: listing.listingId, outcome, reasons, withdraw, options, recommended,
    window: { commitEnd, revealEnd: commitEnd + reveal, executionPeriod: clamp(listing.executionPeriod, 3_600, 90 * DAY) },
  };
}

/**
 * The id of part `index` of a relisted listing: keccak256(abi.encode(oldListingId, index)) — deterministic, so a
 * retry after a crash names the same listing and the contract refuses a second one (ListingExists). The old id is
 * salted already: the new one names nothing either.
 */
export function relistedListingId(oldListingId: string, index: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "string", "uint256"], [oldListingId, "debtrail.relist", index]));
}
