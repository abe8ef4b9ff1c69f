import { describe, it, expect } from "vitest";
import {
  MAX_PARTS, relistAdvice, relistedListingId, suggestReserve, unsoldOutcome, type RelistClaim, type UnsoldListing,
} from "../../src/core/market/relist.js";

const NOW = 1_900_000_000; // an argument: nothing here reads the clock
const id = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const Y = 100n; // fen per yuan

function claim(n: number, over: Partial<RelistClaim> = {}): RelistClaim {
  return {
    claimId: id(n), balance: 100_000n * Y, value: { p10: 20_000n * Y, p50: 30_000n * Y, p90: 40_000n * Y },
    disposal: { path: "package-sale", presentValue: 25_000n * Y, saleValue: 25_000n * Y },
    limitation: "running", region: "shanghai", collateralType: "unsecured", personal: false, ...over,
  };
}

function listing(over: Partial<UnsoldListing> = {}): UnsoldListing {
  return {
    listingId: id(999), status: "unsold", reserve: 100_000n * Y, bidCount: 2, revealedBids: [50_000n * Y, 70_000n * Y], sellerIsOriginator: false,
    listedAt: NOW - 10 * 86_400, commitEnd: NOW - 3 * 86_400, revealEnd: NOW - 2 * 86_400, executionPeriod: 7 * 86_400, ...over,
  };
}

describe("unsoldOutcome", () => {
  it("names why a closed listing did not sell, and refuses one that is open, awarded or sold", () => {
    expect(unsoldOutcome({ status: "unsold", bidCount: 0, revealedBids: [] })).toBe("no-bids");
    expect(unsoldOutcome({ status: "unsold", bidCount: 2, revealedBids: [] })).toBe("none-revealed");
    expect(unsoldOutcome({ status: "unsold", bidCount: 2, revealedBids: [1n] })).toBe("below-reserve");
    expect(unsoldOutcome({ status: "failed", bidCount: 1, revealedBids: [5n] })).toBe("award-failed");
    expect(unsoldOutcome({ status: "cancelled", bidCount: 0, revealedBids: [] })).toBe("withdrawn");
    for (const status of ["open", "awarded", "sold"] as const) expect(unsoldOutcome({ status, bidCount: 1, revealedBids: [1n] })).toBeNull();
  });
});

describe("suggestReserve", () => {
  it("takes the best bid when it reaches the pessimistic value, never above the reserve that did not sell", () => {
    expect(suggestReserve({ p10: 60n, oldReserve: 100n, bid: 70n })).toEqual({ reserve: 70n, reasons: [{ code: "reserve-best-bid", params: { bid: "70", p10: "60" } }] });
    // Bids below P10: the floor, not the bid.
    expect(suggestReserve({ p10: 60n, oldReserve: 100n, bid: 40n }).reserve).toBe(60n);
    expect(suggestReserve({ p10: 60n, oldReserve: 100n, bid: 40n }).reasons[0]!.code).toBe("reserve-p10-floor");
    // P10 above the old reserve: capped at it.
    const capped = suggestReserve({ p10: 150n, oldReserve: 100n, bid: 40n });
    expect(capped.reserve).toBe(100n);
    expect(capped.reasons.map((r) => r.code)).toEqual(["reserve-p10-floor", "reserve-capped"]);
  });

  it("without a bid: P10, or 20% under a reserve that was already at or below it", () => {
    expect(suggestReserve({ p10: 60n, oldReserve: 100n, bid: null }).reserve).toBe(60n);
    expect(suggestReserve({ p10: 60n, oldReserve: null, bid: null }).reserve).toBe(60n);
    const lower = suggestReserve({ p10: 60n, oldReserve: 50n, bid: null });
    expect(lower.reserve).toBe(40n);
    expect(lower.reasons[0]).toEqual({ code: "reserve-no-bids-lower", params: { reserve: "50", p10: "60", cutPct: 20 } });
  });
});

describe("relistAdvice", () => {
  it("refuses a listing that is not unsold", () => {
    expect(() => relistAdvice(listing({ status: "sold" }), [claim(1)], NOW)).toThrow(RangeError);
    expect(() => relistAdvice(listing({ status: "open" }), [claim(1)], NOW)).toThrow(/open, not unsold/);
  });

  it("bids below the reserve but above ΣP10: relist whole at the best bid, with the reasons", () => {
    const claims = [claim(1), claim(2), claim(3)]; // ΣP10 = 60,000 yuan; best bid 70,000 < reserve 100,000
    const a = relistAdvice(listing(), claims, NOW);
    expect(a.outcome).toBe("below-reserve");
    expect(a.reasons[0]).toEqual({ code: "outcome-below-reserve", params: { bids: 2, bestBid: "7000000", reserve: "10000000", gapBps: 3000 } });
    expect(a.withdraw).toEqual([]);
    expect(a.recommended).toBe("whole");
    const whole = a.options[0]!;
    expect(whole.id).toBe("whole");
    expect(whole.parts[0]!.reserve).toBe(70_000n * Y);
    expect(whole.parts[0]!.claimIds).toEqual(claims.map((c) => c.claimId));
    expect(whole.parts[0]!.reasons.map((r) => r.code)).toContain("reserve-best-bid");
    // Nothing to split along: every claim is corporate, running, unsecured, in one region.
    expect(a.options.map((o) => o.id)).toEqual(["whole"]);
  });

  it("withdraws a claim whose litigation is worth more than what a sale fetches for it", () => {
    const litigate = claim(2, { disposal: { path: "litigation-auction", presentValue: 60_000n * Y, saleValue: 20_000n * Y } });
    const notWorth = claim(3, { disposal: { path: "self-collection", presentValue: 19_000n * Y, saleValue: 20_000n * Y } });
    // A bid share above the path's value keeps the claim in the sale: 150,000 × 25/90 ≈ 41,667 > 30,000.
    const bidBeats = claim(4, { disposal: { path: "restructuring", presentValue: 30_000n * Y, saleValue: 25_000n * Y } });
    const a = relistAdvice(listing({ reserve: 200_000n * Y, revealedBids: [150_000n * Y] }), [claim(1), litigate, notWorth, bidBeats], NOW);
    expect(a.withdraw.map((w) => w.claimId)).toEqual([litigate.claimId]);
    const w = a.withdraw[0]!;
    expect(w).toMatchObject({ path: "litigation-auction", pathValue: 60_000n * Y });
    expect(w.reasons[0]!.code).toBe("withdraw-path-worth-more");
    for (const o of a.options) for (const p of o.parts) expect(p.claimIds).not.toContain(litigate.claimId);
  });

  it("a claim on the sale path or written off is never withdrawn, however its values compare", () => {
    const a = relistAdvice(listing(), [claim(1, { disposal: { path: "write-off", presentValue: 10n ** 12n, saleValue: 0n } })], NOW);
    expect(a.withdraw).toEqual([]);
  });

  it("splits personal from corporate: the corporate part opens to qualified investors (an AMC's package), the personal stays licensed-only", () => {
    const claims = [claim(1, { personal: true }), claim(2, { personal: true }), claim(3), claim(4)];
    const a = relistAdvice(listing(), claims, NOW);
    const split = a.options.find((o) => o.id === "split:personal")!;
    expect(split.reasons[0]).toEqual({ code: "split-personal-widens", params: { personal: 2, corporate: 2 } });
    const byKey = Object.fromEntries(split.parts.map((p) => [p.key, p]));
    expect(byKey.personal!.licensedAmcOnly).toBe(true);
    expect(byKey.personal!.reasons.map((r) => r.code)).toContain("buyers-licensed-personal");
    expect(byKey.corporate!.licensedAmcOnly).toBe(false);
    expect(a.recommended).toBe("split:personal");
    expect(a.options[0]!.id).toBe("split:personal");
    expect(a.options[0]!.reasons.at(-1)!.code).toBe("recommended");
    // The parts' bid shares add up to at most the best bid, and each part's reserve stays within its old share.
    expect(split.parts.reduce((s, p) => s + p.bidShare!, 0n)).toBeLessThanOrEqual(70_000n * Y);
    for (const p of split.parts) expect(p.reserve).toBeLessThanOrEqual((100_000n * Y * p.saleValue) / (100_000n * Y));
  });

  it("a bank's corporate part of ten or more stays licensed-only (财金〔2012〕6号): the split does not widen the buyers", () => {
    const claims = [claim(1, { personal: true }), ...Array.from({ length: 10 }, (_, i) => claim(10 + i))];
    const a = relistAdvice(listing({ sellerIsOriginator: true }), claims, NOW);
    const split = a.options.find((o) => o.id === "split:personal")!;
    expect(split.reasons[0]!.code).toBe("split-personal");
    expect(split.parts.every((p) => p.licensedAmcOnly)).toBe(true);
    expect(split.parts.find((p) => p.key === "corporate")!.reasons.map((r) => r.code)).toContain("buyers-licensed-batch");
  });

  it("splits time-barred from the rest and recommends it when they are a real share; secured from unsecured", () => {
    const claims = [claim(1, { limitation: "expired" }), claim(2), claim(3, { collateralType: "residential" }), claim(4)];
    const a = relistAdvice(listing({ revealedBids: [30_000n * Y] }), claims, NOW);
    const tb = a.options.find((o) => o.id === "split:time-barred")!;
    expect(tb.reasons[0]).toEqual({ code: "split-time-barred", params: { claims: 1, shareBps: 2500 } });
    expect(a.recommended).toBe("split:time-barred");
    expect(a.options.find((o) => o.id === "split:secured")!.parts.map((p) => p.key)).toEqual(["secured", "unsecured"]);
    // A bid below ΣP10: told, and the reserve stays at the floor.
    expect(a.reasons.map((r) => r.code)).toContain("bids-below-p10");
  });

  it("a region split folds the smallest regions together: never more than MAX_PARTS parts", () => {
    const regions = ["beijing", "shanghai", "guangdong", "zhejiang", "jiangsu", "sichuan", "hubei", "henan"];
    const claims = regions.map((r, i) => claim(i + 1, { region: r, balance: BigInt(i + 1) * 10_000n * Y }));
    const split = relistAdvice(listing(), claims, NOW).options.find((o) => o.id === "split:region")!;
    expect(split.parts).toHaveLength(MAX_PARTS);
    expect(split.parts.at(-1)!.key).toBe("region:other");
    expect(split.parts.flatMap((p) => p.claimIds).sort()).toEqual(claims.map((c) => c.claimId).sort());
    expect(split.reasons[0]).toEqual({ code: "split-region", params: { regions: 8, parts: MAX_PARTS } });
  });

  it("no bids at all: reserve at ΣP10; the window keeps the old lengths from now", () => {
    const a = relistAdvice(listing({ bidCount: 0, revealedBids: [] }), [claim(1), claim(2)], NOW);
    expect(a.outcome).toBe("no-bids");
    expect(a.options[0]!.parts[0]!.reserve).toBe(40_000n * Y);
    expect(a.window.commitEnd).toBeGreaterThanOrEqual(NOW + 7 * 86_400);
    expect(a.window.commitEnd % 60).toBe(0);
    expect(a.window.revealEnd - a.window.commitEnd).toBe(86_400);
    expect(a.window.executionPeriod).toBe(7 * 86_400);
    // Absurd old lengths are bounded.
    const b = relistAdvice(listing({ bidCount: 0, revealedBids: [], listedAt: 0, commitEnd: 2 ** 40, revealEnd: 2 ** 40 + 1, executionPeriod: 2 ** 32 - 1 }), [claim(1)], NOW);
    expect(b.window.commitEnd - NOW).toBeLessThanOrEqual(30 * 86_400 + 60);
    expect(b.window.revealEnd - b.window.commitEnd).toBe(3_600);
  });

  it("every claim withdrawn: no option to relist", () => {
    const a = relistAdvice(listing(), [claim(1, { disposal: { path: "litigation-auction", presentValue: 90_000n * Y, saleValue: 1n } })], NOW);
    expect(a.options).toEqual([]);
    expect(a.recommended).toBeNull();
  });

  it("relisted ids are deterministic per old listing and part, and differ between them", () => {
    expect(relistedListingId(id(1), 0)).toBe(relistedListingId(id(1), 0));
    const ids = new Set([relistedListingId(id(1), 0), relistedListingId(id(1), 1), relistedListingId(id(2), 0)]);
    expect(ids.size).toBe(3);
    expect(relistedListingId(id(1), 0)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
