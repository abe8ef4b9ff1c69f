import { describe, it, expect } from "vitest";
import { FEATURE_KEYS, featureIndex, packageFeatures, provinceOf, splitFeature } from "../../../src/core/market/features.js";
import { line, pkg } from "./fixtures.js";

const at = (x: Float64Array, key: string) => x[featureIndex(key)]!;

describe("features", () => {
  describe("packageFeatures", () => {
    it("weighs each claim by its balance: a city counts for its province, time-barred and loss shares, spread and totals", () => {
      const f = packageFeatures(pkg("P", [
        line({ balance: 3_000_000n, region: "suzhou", limitation: "expired", class: "doubtful", daysPastDue: 730 }),
        line({ balance: 1_000_000n, region: "shanghai", assetType: "credit-card", collateralType: "unsecured", disposalPath: "write-off", daysPastDue: 365 }),
      ]));
      expect(at(f.x, "region:jiangsu")).toBeCloseTo(0.75);
      expect(at(f.x, "region:shanghai")).toBeCloseTo(0.25);
      expect(at(f.x, "asset:credit-card")).toBeCloseTo(0.25);
      expect(at(f.x, "collateral:residential")).toBeCloseTo(0.75);
      expect(at(f.x, "path:write-off")).toBeCloseTo(0.25);
      expect(at(f.x, "timeBarred")).toBeCloseTo(0.75);
      expect(at(f.x, "loss")).toBeCloseTo(0.25);
      expect(at(f.x, "dpdYears")).toBeCloseTo(0.75 * 2 + 0.25 * 1);
      expect(at(f.x, "spread")).toBeCloseTo((1_400_000 - 600_000) / 1_000_000);
      expect(f.facts).toMatchObject({ claims: 2, balance: 4_000_000n, p10: 600_000n, p50: 1_000_000n, p90: 1_400_000n, timeBarredClaims: 1 });
    });

    it("weighs claims equally when the package's balance is zero", () => {
      const f = packageFeatures(pkg("P", [line({ balance: 0n, region: "beijing" }), line({ balance: 0n })]));
      expect(at(f.x, "region:beijing")).toBeCloseTo(0.5);
    });
  });

  describe("provinceOf / splitFeature", () => {
    it("maps a city to its province and splits a key into group and value", () => {
      expect(provinceOf("shenzhen")).toBe("guangdong");
      expect(provinceOf("guangdong")).toBe("guangdong");
      expect(splitFeature("collateral:land")).toEqual({ group: "collateral", value: "land" });
      expect(splitFeature("timeBarred")).toEqual({ group: "timeBarred" });
      expect(new Set(FEATURE_KEYS).size).toBe(FEATURE_KEYS.length);
    });
  });
});
