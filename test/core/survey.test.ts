import { describe, it, expect } from "vitest";
import {
  CHECKLISTS, SURVEY_ASSET_TYPES, SURVEY_FLAGS, applySurvey, judgmentItems, surveyAdjustments, surveyAttachments, surveyHash, validateSurvey,
  type SurveyInput,
} from "../../src/core/survey.js";
import { canonicalHash } from "../../src/core/canonical.js";
import type { Valuation } from "../../src/core/valuation.js";

const claimId = `0x${"c1".repeat(32)}`;
const NOW = Date.parse("2026-03-02T12:00:00Z");
const photo = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

/** A clean residential survey: every required item answered with its first option. */
function clean(overrides: Partial<SurveyInput> = {}): SurveyInput {
  const answers: SurveyInput["answers"] = {};
  for (const it of CHECKLISTS.residential.items) if (it.required) answers[it.id] = { value: it.options[0]!.value };
  return {
    assetType: "residential", surveyedAt: "2026-03-02T10:15:00+08:00", surveyor: "surveyor-017",
    location: { region: "shanghai", cell: "31.23,121.47" }, answers, ...overrides,
  };
}

const valuation: Valuation = {
  method: "knn-hedonic-v1", asOf: "2026-03-02", value: "300000000", p10: "260000000", p90: "340000000", timeAdjustmentBps: 10_000,
  regionWide: false, comparables: [], comparablesHash: `0x${"ab".repeat(32)}`, modelHash: `0x${"cd".repeat(32)}`,
};

describe("survey", () => {
  it("has a checklist for every collateral type, judgment items marked and required, every flag known", () => {
    for (const t of SURVEY_ASSET_TYPES) {
      const list = CHECKLISTS[t];
      expect(list.assetType).toBe(t);
      expect(list.items.length).toBeGreaterThanOrEqual(5);
      expect(judgmentItems(t).length).toBeGreaterThan(0);
      for (const it of list.items) {
        expect(it.zh && it.en).toBeTruthy();
        if (it.judgment) expect(it.required).toBe(true);
        for (const o of it.options) if (o.flag) expect(SURVEY_FLAGS[o.flag], `${t}.${it.id}.${o.value}`).toBeDefined();
      }
    }
    expect(judgmentItems("residential").map((i) => i.id)).toEqual(expect.arrayContaining(["structure", "occupancy"]));
    expect(CHECKLISTS.residential.items.find((i) => i.id === "seizure-notice")!.judgment).toBe(false);
    expect(SURVEY_FLAGS["structural-damage"]!.factorBps).toBe(7_500);
  });

  it("a clean survey validates, hashes canonically and changes nothing", () => {
    const v = validateSurvey(claimId, clean(), NOW);
    expect(v.survey.surveyedAt).toBe("2026-03-02T02:15:00.000Z");
    expect(v.hash).toBe(canonicalHash(v.survey));
    expect(v.hash).toBe(surveyHash(v.survey));
    expect(v.id).toBe(`sv-${v.hash.slice(2, 18)}`);
    expect(v.missingPhotos).toContain("structure");
    expect(surveyAdjustments(v.survey)).toEqual({ factorBps: 10_000, adjustments: [] });
    const out = applySurvey(valuation, v.survey, v.hash);
    expect(out.value).toBe(valuation.value);
    expect(out.survey.changes).toEqual([]);
  });

  it("a survey that flags structural damage lowers the valuation by 25% and says why", () => {
    const input = clean();
    input.answers.structure = { value: "structural-damage", note: "承重墙斜向贯通裂缝", photos: [photo(1), photo(2)] };
    const v = validateSurvey(claimId, input, NOW);
    const out = applySurvey(valuation, v.survey, v.hash);
    expect(out.value).toBe("225000000");
    expect(out.p10).toBe("195000000");
    expect(out.p90).toBe("255000000");
    expect(out.comparablesHash).toBe(valuation.comparablesHash);
    expect(out.survey).toMatchObject({ id: v.id, hash: v.hash, factorBps: 7_500, before: { value: "300000000", p10: "260000000", p90: "340000000" } });
    expect(out.survey.adjustments).toEqual([expect.objectContaining({ flag: "structural-damage", item: "structure", judgment: true, factorBps: 7_500 })]);
    expect(out.survey.adjustments[0]!.zh).toMatch(/结构/);
    expect(out.survey.adjustments[0]!.en).toMatch(/Structural damage/);
    expect(out.survey.changes).toEqual([
      { field: "value", before: "300000000", after: "225000000" },
      { field: "p10", before: "260000000", after: "195000000" },
      { field: "p90", before: "340000000", after: "255000000" },
    ]);
    expect(surveyAttachments(v.survey)).toEqual([photo(1), photo(2)]);
  });

  it("factors multiply, each flag once, in checklist order", () => {
    const input = clean();
    input.answers.occupancy = { value: "unlawful-occupant" };
    input.answers.structure = { value: "structural-damage" };
    input.answers["seizure-notice"] = { value: "present" };
    const { factorBps, adjustments } = surveyAdjustments(validateSurvey(claimId, input, NOW).survey);
    expect(adjustments.map((a) => a.flag)).toEqual(["illegal-occupation", "structural-damage", "seizure"]);
    expect(factorBps).toBe(5_400); // 0.8 × 0.75 × 0.9
    const vehicle = validateSurvey(claimId, { ...clean(), assetType: "vehicle", answers: { present: { value: "missing" }, vin: { value: "match" }, damage: { value: "none" }, mileage: { value: "under-100k" }, registration: { value: "normal" } } }, NOW);
    expect(applySurvey(valuation, vehicle.survey).value).toBe("0");
  });

  it("stores the place as its GB/T 2260 key, however the surveyor named it", () => {
    for (const [region, key] of [["shanghai", "shanghai"], ["上海", "shanghai"], ["310000", "shanghai"], ["上海市浦东新区", "310115"], ["310115", "310115"]] as const) {
      expect(validateSurvey(claimId, { ...clean(), location: { region } }, NOW).survey.location.region, region).toBe(key);
    }
  });

  it.each([
    ["an unanswered judgment item", (s: SurveyInput) => { delete s.answers.structure; }, "answers.structure", "judgment-required"],
    ["an option not on the list", (s: SurveyInput) => { s.answers.structure = { value: "cracked" }; }, "answers.structure.value", "one-of:sound|minor-defects|structural-damage"],
    ["an item of another checklist", (s: SurveyInput) => { s.answers.mileage = { value: "over-200k" }; }, "answers.mileage", "not-an-item-of-the-residential-checklist"],
    ["a note on a factual item", (s: SurveyInput) => { s.answers["seizure-notice"] = { value: "present", note: "贴有封条" }; }, "answers.seizure-notice.note", "only-on-judgment-items"],
    ["a phone number in a note", (s: SurveyInput) => { s.answers.occupancy = { value: "unlawful-occupant", note: "占用人电话13800138000" }; }, "answers.occupancy.note", "no-personal-data"],
    ["a photo that is not a hash", (s: SurveyInput) => { s.answers.structure = { value: "sound", photos: ["IMG_0001.jpg"] }; }, "answers.structure.photos[0]", "hash"],
    ["a precise place", (s: SurveyInput) => { s.location = { region: "shanghai", cell: "31.230416,121.473701" }; }, "location.cell", "coarse-grid-cell"],
    ["an address", (s: SurveyInput) => { (s.location as Record<string, unknown>).address = "浦东新区某路1号"; }, "location.address", "unknown-field"],
    ["an address as the region", (s: SurveyInput) => { s.location = { region: "上海市浦东新区张杨路500号" }; }, "location.region", "region-code"],
    ["a region in no list", (s: SurveyInput) => { s.location = { region: "gotham" }; }, "location.region", "region-code"],
    ["a time in the future", (s: SurveyInput) => { s.surveyedAt = "2026-03-03T10:00:00+08:00"; }, "surveyedAt", "not-in-the-future"],
    ["a time without offset", (s: SurveyInput) => { s.surveyedAt = "2026-03-02T10:00:00"; }, "surveyedAt", "iso-8601-date-time-with-offset"],
    ["a surveyor's name", (s: SurveyInput) => { s.surveyor = "张三"; }, "surveyor", "opaque-id"],
  ] as const)("refuses %s, naming the field", (_what, mutate, field, rule) => {
    const s = clean();
    mutate(s);
    expect(() => validateSurvey(claimId, s, NOW)).toThrow(expect.objectContaining({ field, rule }));
  });
});
