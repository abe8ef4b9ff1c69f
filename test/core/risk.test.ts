import { describe, it, expect } from "vitest";
import { GRADES, REASONS, gradeIndex, newRiskResult, scoreLoan, type RiskInput } from "../../src/core/risk.js";

const base: RiskInput = { daysPastDue: 0, classIndex: 0, productIndex: 0, creditCard: false, outstanding: 1_000_000, collateralValue: 2_000_000, contagion: false, inObservation: false };
const codes = (r: ReturnType<typeof scoreLoan>) => [...r.reasonIds].filter((id) => id >= 0).map((id) => REASONS[id]!.code);
const urgency = (r: ReturnType<typeof scoreLoan>) => [...r.urgencyIds].filter((id) => id >= 0).map((id) => REASONS[id]!.code);

describe("risk", () => {
  describe("gradeIndex", () => {
    it.each([[0, "A"], [199, "A"], [200, "B"], [399, "B"], [400, "C"], [599, "C"], [600, "D"], [799, "D"], [800, "E"], [1000, "E"]])("score %i → %s", (s, g) => {
      expect(GRADES[gradeIndex(s)]).toBe(g);
    });
  });
  describe("scoreLoan", () => {
    it("a current, well-secured mortgage scores 0 with no reasons", () => {
      const r = scoreLoan(base);
      expect(r.score).toBe(0);
      expect(codes(r)).toEqual([]);
    });
    it("the worst loan scores exactly 1000, and the reasons are its three largest contributions in order", () => {
      const r = scoreLoan({ ...base, daysPastDue: 400, classIndex: 4, productIndex: 2, creditCard: true, collateralValue: -1, contagion: true, inObservation: true });
      expect(r.score).toBe(1000);
      expect(codes(r)).toEqual(["dpd-over-360", "class-loss", "coverage-none"]);
      expect([...r.reasonPoints]).toEqual([400, 220, 150]);
    });
    it("the score is the sum of all contributions (reasons are a prefix of them)", () => {
      const r = scoreLoan({ ...base, daysPastDue: 45, classIndex: 1, productIndex: 1, collateralValue: 700_000 });
      expect(r.score).toBe(140 + 50 + 80 + 80);
      expect(codes(r)).toEqual(["dpd-31-60", "coverage-below-100", "product-consumer"]);
    });
    it.each([[1_400_000, 30], [1_500_000, 0], [999_999, 80], [499_999, 130]])("coverage from collateral %i on 1,000,000 → %i points", (value, points) => {
      expect(scoreLoan({ ...base, collateralValue: value }).score).toBe(points);
    });
    it("expected loss uses PD by class and 70% of collateral, floored at 10% of outstanding", () => {
      expect(scoreLoan({ ...base, classIndex: 2, collateralValue: 500_000 }).expectedLoss).toBe(Math.round(0.35 * (1_000_000 - 350_000)));
      expect(scoreLoan({ ...base, classIndex: 4, collateralValue: 5_000_000 }).expectedLoss).toBe(100_000);
    });
    it.each([[76, []], [77, ["floor-imminent"]], [90, ["floor-imminent"]], [91, []], [20, ["early-arrears"]], [1000, ["limitation-approaching"]]])("urgency at %i days: %j", (dpd, expected) => {
      expect(urgency(scoreLoan({ ...base, daysPastDue: dpd }))).toEqual(expected);
    });
    it("priority = expected loss × urgency", () => {
      const r = scoreLoan({ ...base, daysPastDue: 85, classIndex: 1, collateralValue: -1 }, newRiskResult());
      expect(r.urgencyBps).toBe(15_000);
      expect(r.priority).toBe(Math.round(0.1 * 1_000_000 * 1.5));
    });
    it("credit cards cross floors at 90/120/180", () => {
      expect(urgency(scoreLoan({ ...base, daysPastDue: 110, creditCard: true }))).toEqual(["floor-imminent"]);
      expect(urgency(scoreLoan({ ...base, daysPastDue: 110, creditCard: false }))).toEqual([]);
    });
  });
});
