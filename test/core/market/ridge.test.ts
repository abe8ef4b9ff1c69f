import { describe, it, expect } from "vitest";
import { ridge } from "../../../src/core/market/ridge.js";

describe("ridge", () => {
  describe("ridge", () => {
    it("returns the prior without rows, and recovers exact weights from many rows with a weak prior", () => {
      const prior = Float64Array.from([0.1, -0.2, 0.3]);
      const lambda = Float64Array.from([1, 1, 1]);
      expect(Array.from(ridge([], prior, lambda))).toEqual([0.1, -0.2, 0.3].map((v) => expect.closeTo(v, 12)));
      const rows = Array.from({ length: 200 }, (_, i) => {
        const x = Float64Array.from([(i % 7) / 7, (i % 5) / 5]);
        return { x, y: 0.5 + 2 * x[0]! - 1 * x[1]!, weight: 1 };
      });
      const theta = ridge(rows, new Float64Array(3), Float64Array.from([1e-6, 1e-6, 1e-6]));
      expect(Array.from(theta).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0.5, 2, -1]);
    });

    it("ignores rows of zero weight", () => {
      const prior = Float64Array.from([0, 0]);
      const lambda = Float64Array.from([1, 1]);
      expect(Array.from(ridge([{ x: Float64Array.from([1]), y: 100, weight: 0 }], prior, lambda))).toEqual([0, 0]);
    });
  });
});
