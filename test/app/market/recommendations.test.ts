import { describe, it, expect } from "vitest";
import { createMarketRecommendations, listingMarketSource, type MarketSource } from "../../../src/app/market/recommendations.js";
import { generateMarket } from "../../../src/core/market/synthetic.js";
import { NotFoundError } from "../../../src/core/errors.js";
import type { BidRecord } from "../../../src/core/market/history.js";

const market = generateMarket(31, { investors: 20, packages: 80, heldOut: 10 });
const asOfMs = Date.parse(`${market.asOf}T12:00:00+08:00`);

/** An in-memory source over the generated market; counts how often the models were (re)built. */
function source(bids: BidRecord[] = market.bids) {
  const state = { version: "1", loads: 0, bids };
  const src: MarketSource = {
    version: async () => state.version,
    profiles: async () => market.profiles,
    summaries: async () => market.packages,
    open: async () => market.heldOut,
    bids: async () => { state.loads++; return state.bids; },
  };
  return { src, state };
}

describe("market recommendations", () => {
  describe("forPackage", () => {
    it("answers the seller with the investors likely to value its package most, amounts as decimal strings, reasons in the asked language", async () => {
      const { src } = source();
      const rec = createMarketRecommendations({ clock: { now: () => asOfMs }, market: src });
      const a = await rec.forPackage(market.heldOut[0]!, { limit: 3, lang: "zh-CN" });
      expect(a.asOf).toBe(market.asOf);
      expect(a.recommendations).toHaveLength(3);
      const top = a.recommendations[0]!;
      expect(top.predictedValue).toMatch(/^\d+$/);
      expect(top.reasons.length).toBeGreaterThan(0);
      expect(top.reasons.every((r) => typeof r.text === "string" && /[\u4e00-\u9fff]/.test(r.text))).toBe(true);
      const only = await rec.forPackage(market.heldOut[0]!, { eligible: (id) => id === "I007" });
      expect(only.recommendations.map((r) => r.investorId)).toEqual(["I007"]);
      await expect(rec.forPackage("NO-SUCH")).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("forInvestor", () => {
    it("recommends only packages open now, and refuses an investor without a profile", async () => {
      const rec = createMarketRecommendations({ clock: { now: () => asOfMs }, market: source().src });
      const a = await rec.forInvestor("I001", { limit: 100 });
      expect(a.recommendations.map((r) => r.packageId).sort()).toEqual([...market.heldOut].sort());
      await expect(rec.forInvestor("I999")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("rebuilds the models when the source's version or the day changes, not per request; a new day's bids then count", async () => {
      const { src, state } = source([]);
      let now = asOfMs;
      const rec = createMarketRecommendations({ clock: { now: () => now }, market: src });
      const before = await rec.forPackage(market.heldOut[0]!, { limit: 20 });
      await rec.forInvestor("I001");
      expect(state.loads).toBe(1);
      // The season's bids arrive (version moves): the ranking is the learned one now.
      state.bids = market.bids;
      state.version = "2";
      const after = await rec.forPackage(market.heldOut[0]!, { limit: 20 });
      expect(state.loads).toBe(2);
      expect(after.recommendations.map((r) => r.investorId)).not.toEqual(before.recommendations.map((r) => r.investorId));
      now += 86_400_000;
      await rec.forPackage(market.heldOut[0]!);
      expect(state.loads).toBe(3);
    });
  });
});

describe("listingMarketSource: the live listings as the market source", () => {
  const tape = (region: string) => ({
    cutOff: market.asOf,
    lines: [{ claimId: `0x${"1".repeat(64)}`, debtor: "D1", debtorType: "retail", idTail: null, product: "consumer", currency: "CNY", principal: "1000000", balance: "900000", daysPastDue: 400, class: "loss", figuresFrom: "registration", collateralType: "unsecured", region, district: null, valuation: null, disposalPath: "package-sale", expectedRecovery: "200000", limitation: null }],
    totals: {} as never,
  });
  const L = (n: number, over: Record<string, unknown> = {}) => ({
    listingId: `0x${String(n).repeat(64)}`, seller: `0x${"9".repeat(40)}`, claimIds: ["c"], status: "open", reserve: null, commitEnd: 2_000, revealEnd: 3_000, revealed: 0, updatedBlock: n, ...over,
  }) as never;
  const fetched = (n: number) => ({ room: { roomId: `0x${"f".repeat(63)}${n}` }, fetchedAt: "t", tape: tape("shanghai"), listings: [{ listingId: `0x${String(n).repeat(64)}`, verified: true }] }) as never;

  it("offers the open listings this node can price, and learns from the chain's revealed bids who won", async () => {
    const listings = [L(1), L(2), L(3, { status: "sold", revealed: 2 }), L(4, { commitEnd: 500 })];
    const bids: Record<string, unknown[]> = {
      [`0x${"3".repeat(64)}`]: [{ bidder: "0xAA", amount: "150000", status: "won" }, { bidder: "0xbb", amount: "120000", status: "revealed" }, { bidder: "0xcc", amount: null, status: "forfeited" }],
    };
    const src = listingMarketSource({
      clock: { now: () => 1_000_000 }, // 1,000 s: listing 4's bidding closed at 500
      index: { listings: async () => ({ listings }), listing: async (id: string) => ({ bids: (bids[id] ?? []) as never }) },
      fetched: async () => [fetched(1), fetched(3), fetched(4)],
      profile: async () => market.profiles[0]!,
    }, "0xaa");
    // Listing 2 has no room here (nothing to price it by); 3 is sold; 4's bidding closed.
    expect(await src.open()).toEqual(["1".repeat(64)]);
    expect((await src.summaries()).map((s) => s.packageId).sort()).toEqual(["1".repeat(64), "3".repeat(64), "4".repeat(64)]);
    expect(await src.bids()).toEqual([
      { packageId: "3".repeat(64), investorId: "0xaa", amount: 150000n, day: "1970-01-01", won: true },
      { packageId: "3".repeat(64), investorId: "0xbb", amount: 120000n, day: "1970-01-01", won: false },
    ]);
    expect(await src.profiles()).toHaveLength(1);
  });
});
