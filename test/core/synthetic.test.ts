import { describe, it, expect } from "vitest";
import { Random, generateCaseHistory, generatePortfolio, modelMedianPrice, PRICE_NOISE_SIGMA } from "../../src/core/synthetic.js";
import { classifyAndScore } from "../../src/core/batch.js";
import { dayOf } from "../../src/core/dates.js";

describe("synthetic", () => {
  describe("Random", () => {
    it("is reproducible for a seed and differs across seeds", () => {
      const a = new Random(7), b = new Random(7), c = new Random(8);
      const xs = Array.from({ length: 5 }, () => a.next());
      expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
      expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    });
    it("draws standard normals", () => {
      const r = new Random(1);
      const xs = Array.from({ length: 20_000 }, () => r.normal());
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
      expect(Math.abs(mean)).toBeLessThan(0.03);
      expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    });
  });
  describe("generateCaseHistory", () => {
    it("is deterministic for a seed", () => {
      expect(generateCaseHistory(4, { count: 300 })).toEqual(generateCaseHistory(4, { count: 300 }));
    });
    it("prices market sales around the model median with the documented log noise", () => {
      const { cases, medians } = generateCaseHistory(9, { count: 5000, auctionShare: 0 });
      const logs = cases.map((c, i) => Math.log(Number(c.price) / medians[i]!));
      const sd = Math.sqrt(logs.reduce((s, x) => s + x * x, 0) / logs.length);
      expect(Math.abs(sd - PRICE_NOISE_SIGMA)).toBeLessThan(0.01);
      expect(medians[0]).toBeCloseTo(modelMedianPrice(cases[0]!, cases[0]!.saleDay), 6);
    });
    it("auction attempts respect the reserve rules", () => {
      const { cases } = generateCaseHistory(3, { count: 2000, auctionShare: 1 });
      for (const c of cases) {
        if (c.auctionRound === 1) expect(c.reservePrice! * 10n >= c.appraisedValue! * 7n).toBe(true);
        if (c.sold) expect(c.price >= c.reservePrice!).toBe(true);
      }
    });
  });
  describe("generatePortfolio", () => {
    it("is deterministic and valid input for the classifier, with every class present", () => {
      const p = generatePortfolio(21, { count: 3000 });
      expect(JSON.stringify(generatePortfolio(21, { count: 3000 }))).toBe(JSON.stringify(p));
      const r = classifyAndScore(p);
      const classes = new Set(r.classIndex);
      expect(classes.size).toBe(5);
      expect(p.loans.some((l) => l.schedule)).toBe(true);
      expect(p.loans.some((l) => l.collateral)).toBe(true);
      expect(p.loans.some((l) => l.debtorType === "corporate")).toBe(true);
    });
    it("schedules reproduce roughly the days past due they were drawn for", () => {
      const p = generatePortfolio(5, { count: 2000, scheduleShare: 1 });
      const r = classifyAndScore(p);
      const overdue = p.loans.filter((l, i) => l.schedule && r.daysPastDue[i]! > 0).length;
      expect(overdue).toBeGreaterThan(200);
      expect(dayOf(p.asOf)).toBe(r.asOf);
    });
  });
});
