import { describe, it, expect } from "vitest";
import { acceptanceFee, enforcementFee, preservationFee } from "../../src/core/court-fees.js";

// Hand-worked from the schedules of 《诉讼费用交纳办法》 (amounts in yuan, then × 100 for fen).
const fen = (yuan: number) => BigInt(Math.round(yuan * 100));

describe("court-fees", () => {
  describe("acceptanceFee", () => {
    it.each([
      [5_000, 50], // 不超过1万元的，每件交纳50元
      [10_000, 50],
      [50_000, 50 + 40_000 * 0.025], // 1,050
      [100_000, 50 + 90_000 * 0.025], // 2,300
      [1_000_000, 50 + 2_250 + 2_000 + 4_500 + 5_000], // 13,800
      [30_000_000, 50 + 2_250 + 2_000 + 4_500 + 5_000 + 9_000 + 24_000 + 35_000 + 60_000 + 50_000], // 191,800
    ])("《诉讼费用交纳办法》第十三条第一项: a property claim of %d yuan pays %d yuan", (claim, fee) => {
      expect(acceptanceFee(fen(claim))).toBe(fen(fee));
    });
    it("《诉讼费用交纳办法》第十三条第一项: brackets apply to the part above each bound, to the fen (10,000.01 yuan → 50.0003 → 50.00)", () => {
      expect(acceptanceFee(fen(10_000.01))).toBe(fen(50));
      expect(acceptanceFee(fen(10_000.2))).toBe(fen(50.01)); // 0.20 × 2.5% = 0.005 → rounded half up
    });
    it.each([[1_000_000, 6_900], [5_000, 25], [50_000, 525]])("《诉讼费用交纳办法》第十六条: in summary procedure (简易程序) a claim of %d yuan pays half, %d yuan", (claim, fee) => {
      expect(acceptanceFee(fen(claim), "summary")).toBe(fen(fee));
    });
    it("《诉讼费用交纳办法》第十四条第三项: a payment order (支付令) pays half the property-case fee", () => {
      expect(acceptanceFee(fen(1_000_000), "payment-order")).toBe(fen(6_900));
    });
  });

  describe("preservationFee", () => {
    it.each([
      [800, 30], // 不超过1000元的，每件交纳30元
      [1_000, 30],
      [100_000, 30 + 99_000 * 0.01], // 1,020
      [500_000, 30 + 990 + 400_000 * 0.005], // 3,020
      [1_000_000, 5_000], // 5,520 by the brackets, capped at 5,000
      [50_000_000, 5_000],
    ])("《诉讼费用交纳办法》第十四条第二项: preserving %d yuan costs %d yuan (at most 5,000)", (amount, fee) => {
      expect(preservationFee(fen(amount))).toBe(fen(fee));
    });
  });

  describe("enforcementFee", () => {
    it.each([
      [10_000, 50], // 不超过1万元的，每件交纳50元
      [500_000, 50 + 490_000 * 0.015], // 7,400
      [1_000_000, 50 + 7_350 + 500_000 * 0.01], // 12,400
      [8_000_000, 50 + 7_350 + 45_000 + 3_000_000 * 0.005], // 67,400
      [20_000_000, 50 + 7_350 + 45_000 + 25_000 + 10_000_000 * 0.001], // 87,400
    ])("《诉讼费用交纳办法》第十四条第一项: enforcing %d yuan costs %d yuan", (amount, fee) => {
      expect(enforcementFee(fen(amount))).toBe(fen(fee));
    });
  });
});
