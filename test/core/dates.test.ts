import { describe, it, expect } from "vitest";
import { addMonths, civilToDay, dayOf, dayToCivil, formatDay, monthsBetween, parseDay } from "../../src/core/dates.js";

describe("dates", () => {
  describe("dayOf / formatDay", () => {
    it("agrees with Date.UTC over many years, both ways", () => {
      for (let day = -800; day < 30_000; day += 37) {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(dayOf(iso)).toBe(day);
        expect(formatDay(day)).toBe(iso);
        const { y, m, d } = dayToCivil(day);
        expect(civilToDay(y, m, d)).toBe(day);
      }
    });
    it.each([5, null, undefined, { length: 10 }, 20250101])("rejects the non-string %j (no TypeError)", (s) => {
      expect(dayOf(s)).toBeNaN();
    });
    it.each(["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250101", "2024-04-31", ""])("rejects %j", (s) => {
      expect(dayOf(s)).toBeNaN();
    });
    it("accepts 29 February in a leap year", () => {
      expect(formatDay(dayOf("2024-02-29"))).toBe("2024-02-29");
    });
  });
  describe("parseDay", () => {
    it("takes the UTC day of a date-time with offset", () => {
      expect(formatDay(parseDay("2025-03-31T06:00:00+08:00", "asOf", true))).toBe("2025-03-30");
      expect(formatDay(parseDay("2025-03-31T23:59:59Z", "asOf", true))).toBe("2025-03-31");
    });
    it("refuses a date-time without offset and names the field", () => {
      expect(() => parseDay("2025-03-31T06:00:00", "asOf", true)).toThrow(expect.objectContaining({ field: "asOf" }));
      expect(() => parseDay("2025-03-31T06:00:00Z", "loans[1].restructuredAt")).toThrow(expect.objectContaining({ field: "loans[1].restructuredAt" }));
    });
  });
  describe("addMonths / monthsBetween", () => {
    it.each([["2024-01-31", 1, "2024-02-29"], ["2023-01-31", 1, "2023-02-28"], ["2024-08-31", 6, "2025-02-28"], ["2024-12-15", 1, "2025-01-15"], ["2025-03-10", -3, "2024-12-10"]])("%s + %i months = %s", (from, n, to) => {
      expect(formatDay(addMonths(dayOf(from), n))).toBe(to);
    });
    it("counts whole months", () => {
      expect(monthsBetween(dayOf("2024-01-31"), dayOf("2024-02-29"))).toBe(1);
      expect(monthsBetween(dayOf("2024-01-15"), dayOf("2024-07-14"))).toBe(5);
      expect(monthsBetween(dayOf("2024-01-15"), dayOf("2024-07-15"))).toBe(6);
    });
  });
});
