import { describe, it, expect } from "vitest";
import {
  auctionDistribution, auctionPlan, auctionStatistics, checkAuctionRules, checkRegistration, leaseAdjusted, registryFor, LEASE_ENCUMBRANCE_DISCOUNT_BPS,
} from "../../src/core/auction.js";
import { enforcementFee } from "../../src/core/court-fees.js";
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
  describe("registryFor / checkRegistration", () => {
    it.each([["equipment", "unified"], ["vehicle", "vehicle"], ["residential", "real-estate"], ["land", "real-estate"]])(
      "国发〔2020〕18号: a mortgage of %s is registered as %s (equipment in 动产融资统一登记公示系统, vehicles excluded)", (asset, registry) => {
        expect(registryFor(asset)).toBe(registry);
        expect(checkRegistration(asset, registry, "f")).toBe(true);
      });
    it("民法典第四百零三条: an unregistered chattel mortgage does not count against third parties", () => {
      expect(checkRegistration("equipment", "none", "f")).toBe(false);
    });
    it("国发〔2020〕18号: equipment 'registered' with the vehicle office, or a car in the unified system, is refused naming the field", () => {
      expect(() => checkRegistration("equipment", "vehicle", "loans[0].collateral.registration")).toThrow(expect.objectContaining({ field: "loans[0].collateral.registration", rule: expect.stringContaining("动产融资统一登记公示系统") }));
      expect(() => checkRegistration("vehicle", "unified", "f")).toThrow(expect.objectContaining({ field: "f" }));
      expect(() => checkRegistration("equipment", "market-regulator", "f")).toThrow(expect.objectContaining({ field: "f" }));
    });
  });

  describe("leaseAdjusted", () => {
    it("民法典第四百零五条、第七百二十五条: a lease before the mortgage survives the sale — the price is discounted and prepaid rent lost", () => {
      const v = 100_000_000n;
      const discount = (v * BigInt(LEASE_ENCUMBRANCE_DISCOUNT_BPS)) / 10_000n + 3_000_000n;
      expect(leaseAdjusted(v, { beforeMortgage: true, prepaidRent: 3_000_000n })).toEqual({ value: v - discount, discount });
      expect(leaseAdjusted(1_000n, { beforeMortgage: true, prepaidRent: 5_000n })!.value).toBe(0n);
    });
    it("拍卖变卖规定第二十八条第二款: a lease after the mortgage is removed before the sale — no effect", () => {
      expect(leaseAdjusted(100_000_000n, { beforeMortgage: false, prepaidRent: 3_000_000n })).toBeUndefined();
    });
  });

  describe("auctionDistribution", () => {
    // Proceeds 2,000,000 yuan; our claim 1,000,000 yuan.
    const proceeds = 200_000_000n, claim = 100_000_000n;
    it("民事诉讼法解释第五百零八条: the enforcement fee (《诉讼费用交纳办法》第十四条第一项) comes out of the proceeds first", () => {
      const d = auctionDistribution(proceeds, claim);
      expect(d.steps.map((s) => s.code)).toEqual(["enforcement-fee"]);
      expect(d.steps[0]!.amount).toBe(enforcementFee(claim)); // 12,400 yuan on the 1,000,000 enforced
      expect(d.toClaim).toBe(claim);
      expect(d.surplus).toBe(proceeds - claim - enforcementFee(claim));
    });
    it("民法典第八百零七条、税收征收管理法第四十五条、民法典第四百一十四条: taxes, the construction price and senior mortgages are paid before this claim, in that order", () => {
      const d = auctionDistribution(proceeds, claim, { taxes: 10_000_000n, constructionPrice: 60_000_000n, seniorMortgages: 80_000_000n });
      expect(d.steps.map((s) => [s.code, s.amount])).toEqual([
        ["enforcement-fee", enforcementFee(50_000_000n)], ["taxes", 10_000_000n], ["construction-price", 60_000_000n], ["senior-mortgages", 80_000_000n],
      ]);
      expect(d.toClaim).toBe(50_000_000n - enforcementFee(50_000_000n));
      expect(d.surplus).toBe(0n);
      for (const s of d.steps) expect(s.zh).toMatch(/第[一二三四五六七八九十百零]+条/);
    });
    it("民法典第八百零七条: a construction price larger than the proceeds leaves this mortgage nothing, and no fee is charged for nothing", () => {
      const d = auctionDistribution(proceeds, claim, { constructionPrice: 250_000_000n });
      expect(d.toClaim).toBe(0n);
      expect(d.steps.map((s) => [s.code, s.amount])).toEqual([["construction-price", proceeds]]);
    });
  });
});
