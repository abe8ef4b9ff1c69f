import { describe, it, expect } from "vitest";
import { checkInvestorProfile, declaredPrior, DECLARED_PRIOR, profileToWire, ticketPenalty } from "../../../src/core/market/profile.js";
import { featureIndex } from "../../../src/core/market/features.js";
import { refusal } from "./fixtures.js";

const good = { investorId: "amc-a", regions: ["江苏", "Shenzhen"], assetTypes: ["mortgage"], collateralTypes: ["residential"], ticket: { min: "1000000", max: "90000000" }, returnTargetBps: 1500, maxTimeBarredBps: 2000 };

const refused = (input: unknown) => refusal(checkInvestorProfile, input);

describe("profile", () => {
  describe("checkInvestorProfile", () => {
    it("canonicalises regions (江苏 → jiangsu, Shenzhen → shenzhen) and reads fen from decimal strings", () => {
      const p = checkInvestorProfile(good);
      expect(p.regions).toEqual(["jiangsu", "shenzhen"]);
      expect(p.ticket).toEqual({ min: 1_000_000n, max: 90_000_000n });
      expect(checkInvestorProfile(profileToWire(p))).toEqual(p);
    });

    it("refuses a wrong field naming the field and the rule", () => {
      expect(refused({ ...good, regions: ["江苏", "Atlantis"] })).toEqual({ field: "profile.regions[1]", rule: "region-unknown" });
      expect(refused({ ...good, regions: ["江苏", "320000"] })).toEqual({ field: "profile.regions[1]", rule: "duplicate" });
      expect(refused({ ...good, regions: [7] })).toEqual({ field: "profile.regions[0]", rule: "region-unknown" });
      expect(refused({ ...good, assetTypes: ["gold"] })).toEqual({ field: "profile.assetTypes[0]", rule: "one-of" });
      expect(refused({ ...good, ticket: { min: "9", max: "8" } })).toEqual({ field: "profile.ticket", rule: "min-above-max" });
      expect(refused({ ...good, ticket: { min: 9, max: "10" } })).toEqual({ field: "profile.ticket.min", rule: "fen" });
      expect(refused({ ...good, returnTargetBps: 15.5 })).toEqual({ field: "profile.returnTargetBps", rule: "integer-range" });
      expect(refused({ ...good, maxTimeBarredBps: 10_001 })).toEqual({ field: "profile.maxTimeBarredBps", rule: "integer-range" });
      expect(refused({ ...good, investorId: "张三 13800000000" })).toEqual({ field: "profile.investorId", rule: "opaque-id" });
      expect(refused({ ...good, phone: "13800000000" })).toEqual({ field: "profile.phone", rule: "not-allowed" });
    });
  });

  describe("declaredPrior", () => {
    it("raises declared regions (a city for its province) and products, lowers the unlisted, and scales the time-barred weight by the tolerance", () => {
      const { prior, declared } = declaredPrior(checkInvestorProfile(good));
      expect(prior[featureIndex("region:jiangsu")]).toBe(DECLARED_PRIOR.region.listed);
      expect(prior[featureIndex("region:guangdong")]).toBe(DECLARED_PRIOR.region.listed);
      expect(prior[featureIndex("region:sichuan")]).toBe(DECLARED_PRIOR.region.unlisted);
      expect(declared[featureIndex("asset:mortgage")]).toBe(1);
      expect(declared[featureIndex("asset:sme")]).toBe(0);
      expect(prior[featureIndex("timeBarred")]).toBeCloseTo(DECLARED_PRIOR.timeBarredAtZero * 0.8);
      const silent = declaredPrior(checkInvestorProfile({ investorId: "x" }));
      expect(silent.prior[featureIndex("region:sichuan")]).toBe(0);
      expect(silent.prior[featureIndex("timeBarred")]).toBe(DECLARED_PRIOR.timeBarredUndeclared);
    });
  });

  describe("ticketPenalty", () => {
    it("is 0 inside the declared range and grows with the log-distance outside it", () => {
      const p = checkInvestorProfile(good);
      expect(ticketPenalty(p, 5_000_000n)).toBe(0);
      expect(ticketPenalty(p, 100_000n)).toBeCloseTo(-0.5 * Math.log(10));
      expect(ticketPenalty(p, 900_000_000n)).toBeCloseTo(-0.5 * Math.log(10));
      expect(ticketPenalty({ ...p, ticket: undefined }, 1n)).toBe(0);
    });
  });
});
