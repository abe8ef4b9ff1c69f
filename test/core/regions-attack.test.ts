import { describe, it, expect } from "vitest";
import { performance } from "node:perf_hooks";
import { addressDistrict, canonicalRegion, resolveRegion } from "../../src/core/regions.js";
import { ValidationError } from "../../src/core/errors.js";

/**
 * Region inputs as a dishonest caller sends them (issue 18's GB/T 2260 reader): very long strings, names repeated
 * to make the path reader branch, odd unicode (lone surrogates, bidi overrides, combining marks, NUL, emoji, full-
 * width forms). Each is refused as a ValidationError naming the field, quickly, and the refusal does not echo the
 * whole input back (an answer as large as the request, twice).
 */
const refused = (value: string) => {
  const t0 = performance.now();
  let err: unknown;
  try {
    canonicalRegion(value, "region");
  } catch (e) {
    err = e;
  }
  return { err: err as ValidationError & { params?: Record<string, unknown> }, ms: performance.now() - t0 };
};

const hostile: Array<[string, string]> = [
  ["a megabyte of letters", "a".repeat(1_000_000)],
  ["a megabyte of Chinese", "朝阳".repeat(500_000)],
  ["a province repeated", "广东省深圳市".repeat(100_000)],
  ["an English path of many parts", Array.from({ length: 50_000 }, () => "Chaoyang District").join(", ")],
  ["lone surrogates", "\ud800\udfff\ud800".repeat(10_000)],
  ["bidi overrides around a name", "\u202e上海\u202c"],
  ["combining marks", `上${"\u0301".repeat(100_000)}海`],
  ["NUL inside a name", "上\u0000海"],
  ["emoji", "🏙️".repeat(10_000)],
  ["only separators", "，、/·- ".repeat(100_000)],
];

describe("region inputs from a hostile caller", () => {
  for (const [what, value] of hostile) {
    it(`${what}: 400 region-unknown naming the field, in well under a second, without echoing the input`, () => {
      const { err, ms } = refused(value);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.field).toBe("region");
      expect(ms).toBeLessThan(250);
      expect(err.message.length).toBeLessThan(600);
      expect(JSON.stringify(err.params ?? {}).length).toBeLessThan(600);
    });
  }

  it("a name padded with whitespace or in full-width forms still reads (the guard does not refuse real names)", () => {
    expect(canonicalRegion(`  ${"上海"}  `, "region")).toBe(canonicalRegion("上海", "region"));
    expect(canonicalRegion("３１００００", "region")).toBe(canonicalRegion("310000", "region"));
    expect(resolveRegion("广东省深圳市南山区")).toMatchObject({ region: { code: "440305" } });
  });

  it("an address of a megabyte is cut at its district quickly; odd unicode reads as no district", () => {
    const t0 = performance.now();
    expect(addressDistrict(`广东省深圳市南山区${"科技园".repeat(300_000)}`)).toMatchObject({ code: "440305" });
    expect(addressDistrict("Aaaa ".repeat(200_000))).toMatchObject({ district: null });
    expect(addressDistrict("\ud800".repeat(100_000))).toEqual({ region: null, district: null, code: null });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
