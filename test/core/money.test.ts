import { describe, it, expect } from "vitest";
import { parseMinor, formatMinor, formatMajor, applyBps, MAX_MINOR } from "../../src/core/money.js";
import { ValidationError } from "../../src/core/errors.js";

describe("money", () => {
  describe("parseMinor", () => {
    it.each(["0", "1", "1250000", MAX_MINOR.toString()])("accepts %s", (v) => {
      expect(parseMinor(v, "principal")).toBe(BigInt(v));
    });
    it.each(["", "-1", "01", "1.5", "1e5", " 1", (MAX_MINOR + 1n).toString()])("rejects %j naming the field", (v) => {
      expect(() => parseMinor(v, "principal")).toThrow(ValidationError);
      try { parseMinor(v, "principal"); } catch (e) { expect((e as ValidationError).field).toBe("principal"); }
    });
    it("rejects numbers, which could be floats", () => {
      expect(() => parseMinor(100 as unknown, "outstanding")).toThrow(/outstanding/);
    });
  });
  describe("formatMinor / formatMajor", () => {
    it("round-trips and groups", () => {
      expect(formatMinor(parseMinor("123456789", "x"))).toBe("123456789");
      expect(formatMajor(123456789n)).toBe("1,234,567.89");
      expect(formatMajor(5n)).toBe("0.05");
    });
  });
  describe("applyBps", () => {
    it("rounds half up", () => {
      expect(applyBps(10_000n, 7_000n)).toBe(7_000n);
      expect(applyBps(1n, 5_000n)).toBe(1n);
      expect(applyBps(1n, 4_999n)).toBe(0n);
    });
  });
});
