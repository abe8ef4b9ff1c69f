import { describe, it, expect } from "vitest";
import { scoreMatch } from "../../../src/core/market/score.js";
import { learnPreferences } from "../../../src/core/market/history.js";
import { packageFeatures } from "../../../src/core/market/features.js";
import { checkInvestorProfile } from "../../../src/core/market/profile.js";
import { dayOf } from "../../../src/core/dates.js";
import { line, pkg } from "./fixtures.js";

const asOf = dayOf("2025-06-30");
const profile = checkInvestorProfile({
  investorId: "amc-a", regions: ["江苏"], assetTypes: ["mortgage"], ticket: { min: "100000", max: "5000000" }, returnTargetBps: 2000, maxTimeBarredBps: 1000,
});
const model = learnPreferences(profile, [], new Map(), asOf);
// 70% of the balance in Nanjing (Jiangsu), 30% in Chengdu and time-barred; P50 1,000,000 fen; reserve 700,000 fen.
const jiangsu = packageFeatures(pkg("PJ", [
  line({ balance: 7_000_000n, region: "nanjing", valuation: { p10: 500_000n, p50: 700_000n, p90: 900_000n } }),
  line({ balance: 3_000_000n, region: "chengdu", limitation: "expired", valuation: { p10: 200_000n, p50: 300_000n, p90: 400_000n } }),
], 700_000n));

describe("score", () => {
  describe("scoreMatch", () => {
    it("names the matched features and by how much, strongest first: 30% time-barred at a 10% tolerance weighs more than the declared region", () => {
      const m = scoreMatch(model, jiangsu);
      expect(m.reasons[0]).toMatchObject({ feature: "timeBarred", matched: false, key: "market.against.timeBarred", shareBps: 3000, declared: true });
      expect(m.reasons[0]!.effectBps).toBe(Math.round(Math.expm1(-0.8 * 0.9 * 0.3) * 10_000));
      const first = m.reasons[1]!;
      expect(first).toMatchObject({ feature: "region:jiangsu", group: "region", value: "jiangsu", matched: true, key: "market.reason.region", shareBps: 7000, declared: true });
      expect(first.effectBps).toBe(Math.round(Math.expm1(0.2 * 0.7) * 10_000));
      expect(first.params).toMatchObject({ name: "jiangsu", share: 70, effect: Math.round(first.effectBps / 10) / 10 });
      const against = m.reasons.find((r) => r.feature === "region:sichuan")!;
      expect(against).toMatchObject({ matched: false, key: "market.against.region", shareBps: 3000 });
      expect(against.params.effect).toBeGreaterThan(0);
    });

    it("checks the declared limits: ticket size met, time-barred share above tolerance, return at the reserve against the target", () => {
      const m = scoreMatch(model, jiangsu);
      const by = (g: string) => m.reasons.find((r) => r.group === g)!;
      expect(by("ticket")).toMatchObject({ matched: true, key: "market.reason.ticket", params: { size: "1000000", min: "100000", max: "5000000" } });
      expect(by("timeBarredTolerance")).toMatchObject({ matched: false, key: "market.against.timeBarredTolerance", params: { share: 30, max: 10, claims: 1 } });
      const expected = Number(((m.predictedValue - 700_000n) * 10_000n) / 700_000n);
      expect(by("returnTarget")).toMatchObject({ matched: expected >= 2000, params: { target: 20 } });
      expect(m.predictedBid).toBeLessThan(m.predictedValue);
    });

    it("a package beyond the ticket size loses value and says so", () => {
      const big = packageFeatures(pkg("PB", [line({ region: "nanjing", valuation: { p10: 40_000_000n, p50: 50_000_000n, p90: 60_000_000n } })]));
      const inRange = scoreMatch(model, packageFeatures(pkg("PS", [line({ region: "nanjing" })])));
      const m = scoreMatch(model, big);
      expect(m.score).toBeCloseTo(inRange.score - 0.5 * Math.log(10), 6);
      expect(m.reasons.find((r) => r.group === "ticket")).toMatchObject({ matched: false, key: "market.against.ticket" });
    });
  });
});
