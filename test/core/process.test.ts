import { describe, it, expect } from "vitest";
import { DOCUMENTS, documentsFor, missingItems, processSteps, PROCESS_ASSET_TYPES, STAGES, type ProcessAssetType, type Stage } from "../../src/core/process.js";

describe("process", () => {
  describe("processSteps", () => {
    it.each(PROCESS_ASSET_TYPES.flatMap((a) => STAGES.map((s) => [a, s] as [ProcessAssetType, Stage])))("%s at %s: known documents, bilingual", (asset, stage) => {
      for (const step of processSteps(asset, stage)) {
        expect(step.zh && step.en).toBeTruthy();
        for (const d of step.documents) expect(DOCUMENTS[d], d).toBeDefined();
      }
    });
    it("stages are cumulative; security documents depend on the asset type", () => {
      expect(documentsFor("residential", "litigation")).toEqual(expect.arrayContaining(["loan-contract", "demand-letter", "mortgage-registration", "complaint"]));
      expect(documentsFor("vehicle", "litigation")).toContain("vehicle-registration");
      expect(documentsFor("unsecured", "litigation")).not.toContain("mortgage-contract");
      expect(documentsFor("unsecured", "auction")).not.toContain("appraisal-report");
      expect(documentsFor("residential", "collection")).not.toContain("complaint");
    });
  });
  describe("missingItems", () => {
    it("lists exactly what is lacking, with the steps it blocks", () => {
      const have = documentsFor("residential", "enforcement").filter((d) => d !== "seizure-ruling" && d !== "delivery-proof");
      const m = missingItems("residential", "enforcement", have);
      expect(m.documents.map((d) => d.code)).toEqual(["delivery-proof", "seizure-ruling"]);
      expect(m.steps.map((s) => s.code)).toEqual(["formal-demand", "seize"]);
      expect(m.stageZh).toBe("强制执行");
    });
    it("nothing is missing when everything is on file", () => {
      expect(missingItems("equipment", "auction", documentsFor("equipment", "auction")).documents).toEqual([]);
    });
    it("names the field of a bad stage", () => {
      expect(() => missingItems("residential", "appeal", [], "loans[2]")).toThrow(expect.objectContaining({ field: "loans[2].stage" }));
    });
  });
});
