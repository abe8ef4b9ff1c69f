import { describe, it, expect } from "vitest";
import { auctionPlan, auctionStatistics, checkAuctionRules } from "../../src/core/auction.js";
import { generateCaseHistory, REGIONS } from "../../src/core/synthetic.js";

describe("auction", () => {
  describe("auctionPlan", () => {
    it("round 1 at ≥70% of appraisal, round 2 at ≥80% of round 1, then sale by conversion", () => {
      const p = auctionPlan(1_000_001n);
      expect(p.rounds.map((r) => r.reserve)).toEqual([700_001n, 560_001n, 560_001n]);
      expect(p.rounds[0]!.reserve * 10n >= 1_000_001n * 7n).toBe(true);
    });
    it("expected proceeds combine the rounds' chances and never exceed the appraisal here", () => {
      const p = auctionPlan(100_000_000n, { sellProbability: [1, 0, 0], premium: 0, sample: 0 });
      expect(p.expectedProceeds).toBe(70_000_000n);
      const q = auctionPlan(100_000_000n, { sellProbability: [0, 1, 0], premium: 0, sample: 0 });
      expect(q.expectedProceeds).toBe(56_000_000n);
      const none = auctionPlan(100_000_000n, { sellProbability: [0, 0, 0], premium: 0.1, sample: 0 });
      expect(none.expectedProceeds).toBe(0n);
      expect(none.sellProbability).toBe(0);
    });
    it.each([[{ firstReserveBps: 6_999, secondReserveBps: 8_000 }, "firstReserveBps"], [{ firstReserveBps: 7_000, secondReserveBps: 7_999 }, "secondReserveBps"]])("refuses %j", (rules, field) => {
      expect(() => checkAuctionRules(rules)).toThrow(expect.objectContaining({ field: `auctionRules.${field}` }));
    });
  });
  describe("auctionStatistics", () => {
    it("learns each region's sale chances from the case history (liquid markets sell more)", () => {
      const { cases } = generateCaseHistory(5, { count: 20_000, auctionShare: 0.5 });
      const stats = auctionStatistics(cases);
      const sh = stats.get("shanghai")!, hb = stats.get("harbin")!;
      expect(sh.sellProbability[0]).toBeCloseTo(REGIONS.shanghai!.auctionSell[0], 1);
      expect(hb.sellProbability[0]).toBeCloseTo(REGIONS.harbin!.auctionSell[0], 1);
      expect(sh.premium).toBeGreaterThan(hb.premium);
    });
  });
});
