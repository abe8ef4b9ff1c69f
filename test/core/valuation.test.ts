import { describe, it, expect, beforeAll } from "vitest";
import { generateCaseHistory, PRICE_NOISE_SIGMA } from "../../src/core/synthetic.js";
import { buildValuationModel, hashComparables, valueCollateral, type ValuationModel } from "../../src/core/valuation.js";
import { dayOf } from "../../src/core/dates.js";

describe("valuation", () => {
  let model: ValuationModel;
  const train = generateCaseHistory(11, { count: 4000 });
  const heldOut = generateCaseHistory(12, { count: 800, prefix: "H" });
  beforeAll(() => { model = buildValuationModel(train.cases); });

  describe("buildValuationModel", () => {
    it("recovers the generator's noise level", () => {
      expect(model.fitted.sigma).toBeGreaterThan(PRICE_NOISE_SIGMA * 0.85);
      expect(model.fitted.sigma).toBeLessThan(PRICE_NOISE_SIGMA * 1.15);
    });
    it("is deterministic: same cases, same model hash, whatever their order", () => {
      expect(buildValuationModel([...train.cases].reverse()).modelHash).toBe(model.modelHash);
    });
    it("refuses too few sales", () => {
      expect(() => buildValuationModel(train.cases.slice(0, 10))).toThrow(/at least 30/);
    });
  });

  describe("valueCollateral", () => {
    it("on held-out sales: MAPE within 1.25× the noise floor (+ slack) and P10–P90 covering 80% ± 7%", () => {
      let ape = 0, floor = 0, inside = 0, n = 0;
      heldOut.cases.forEach((c, i) => {
        if (c.saleType !== "market") return;
        const v = valueCollateral(model, c, c.saleDay)!;
        const price = Number(c.price);
        ape += Math.abs(Number(v.value) - price) / price;
        floor += Math.abs(heldOut.medians[i]! - price) / price;
        if (Number(v.p10) <= price && price <= Number(v.p90)) inside++;
        n++;
      });
      expect(n).toBeGreaterThan(500);
      expect(ape / floor).toBeLessThan(1.3);
      expect(inside / n).toBeGreaterThan(0.73);
      expect(inside / n).toBeLessThan(0.87);
    });
    it("names its comparables and a hash anyone can re-derive from them", () => {
      const subject = { assetType: "residential" as const, region: "hangzhou", area: 88, ageYears: 6, occupied: false, titleDefect: false };
      const v = valueCollateral(model, subject, dayOf("2025-06-30"))!;
      expect(v.comparables).toHaveLength(model.k);
      const used = v.comparables.map((c) => train.cases.find((t) => t.caseId === c.caseId)!);
      expect(used.every((c) => c.assetType === "residential" && c.region === "hangzhou")).toBe(true);
      expect(v.comparablesHash).toBe(hashComparables(used));
      expect(v.comparablesHash).not.toBe(hashComparables(used.slice(1)));
      expect(BigInt(v.p10) < BigInt(v.value) && BigInt(v.value) < BigInt(v.p90)).toBe(true);
    });
    it("time-adjusts: a falling region is worth less later, a rising one more", () => {
      const at = (region: string, date: string) => Number(valueCollateral(model, { assetType: "residential", region, area: 90, ageYears: 10, occupied: false, titleDefect: false }, dayOf(date))!.value);
      expect(at("harbin", "2025-06-30")).toBeLessThan(at("harbin", "2020-06-30"));
      expect(at("hangzhou", "2025-06-30")).toBeGreaterThan(at("hangzhou", "2020-06-30"));
    });
    it("survey flags lower the value", () => {
      const base = { assetType: "residential" as const, region: "wuhan", area: 90, ageYears: 10, occupied: false, titleDefect: false };
      const day = dayOf("2024-01-01");
      expect(Number(valueCollateral(model, { ...base, occupied: true }, day)!.value)).toBeLessThan(Number(valueCollateral(model, base, day)!.value) * 0.92);
    });
    it("returns undefined for a region it has never seen", () => {
      expect(valueCollateral(model, { assetType: "residential", region: "lhasa", area: 90, ageYears: 1, occupied: false, titleDefect: false }, dayOf("2024-01-01"))).toBeUndefined();
    });
  });
});
