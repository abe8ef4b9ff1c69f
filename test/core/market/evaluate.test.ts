import { describe, it, expect } from "vitest";
import { evaluateMatching } from "../../../src/core/market/evaluate.js";
import { generateMarket } from "../../../src/core/market/synthetic.js";

describe("evaluate", () => {
  describe("evaluateMatching", () => {
    it("on a small generated market the recommender finds the investor who values a package most far more often than the random and region-only baselines", () => {
      const m = generateMarket(21, { investors: 40, packages: 200, heldOut: 50 });
      const f = evaluateMatching(m, 3, 21);
      expect(f).toMatchObject({ packages: 50, investors: 40, k: 3, randomExpected: 3 / 40 });
      expect(f.recommender).toBeGreaterThan(f.random + 0.3);
      expect(f.recommender).toBeGreaterThan(f.regionOnly + 0.2);
      expect(f.recommender).toBeGreaterThan(f.declaredOnly);
    });
  });
});
