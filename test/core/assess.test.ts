import { describe, it, expect } from "vitest";
import { assessPortfolio } from "../../src/core/assess.js";
import { buildValuationModel } from "../../src/core/valuation.js";
import { auctionStatistics } from "../../src/core/auction.js";
import { generateCaseHistory, generatePortfolio } from "../../src/core/synthetic.js";
import { CLASSIFICATIONS } from "../../src/core/classification.js";

describe("assess", () => {
  describe("assessPortfolio", () => {
    const { cases } = generateCaseHistory(31, { count: 3000 });
    const valuation = buildValuationModel(cases);
    const stats = auctionStatistics(cases);

    it("answers the API shape for a generated portfolio, money as decimal strings", () => {
      const req = JSON.parse(JSON.stringify(generatePortfolio(77, { count: 500 })));
      const res = assessPortfolio(req, { valuation, auctionStatistics: stats });
      expect(res.count).toBe(500);
      expect(Object.values(res.summary).reduce((a, b) => a + b, 0)).toBe(500);
      for (const r of res.results) {
        expect(CLASSIFICATIONS).toContain(r.classification);
        expect(r.rule.code && r.rule.zh && r.rule.en).toBeTruthy();
        expect(r.risk.priority).toMatch(/^\d+$/);
        expect(r.risk.reasons.reduce((s, x) => s + x.points, 0)).toBeLessThanOrEqual(r.risk.score);
        if (r.valuation) {
          expect(r.valuation.value).toMatch(/^\d+$/);
          expect(r.valuation.comparablesHash).toMatch(/^0x[0-9a-f]{64}$/);
          expect(BigInt(r.valuation.auction.rounds[0]!.reserve) * 10n >= BigInt(r.valuation.value) * 7n).toBe(true);
        }
      }
      expect(res.results.some((r) => r.valuation)).toBe(true);
      expect(res.results.some((r) => r.recovery && r.missing)).toBe(true);
      expect(res.results.some((r) => r.arrears)).toBe(true);
    });

    it("one worked example: a corporate NPL with a mortgage in a slow region", () => {
      const res = assessPortfolio({
        asOf: "2025-06-30T12:00:00+08:00",
        loans: [
          { loanId: "A", product: "corporate", debtorType: "corporate", debtorId: "E1", outstanding: "500000000", daysPastDue: 200,
            collateral: { assetType: "industrial", region: "harbin", area: 2000, ageYears: 15 }, stage: "litigation", documents: ["loan-contract"] },
          { loanId: "B", product: "corporate", debtorType: "corporate", debtorId: "E1", outstanding: "100000000", daysPastDue: 0 }, // an sme loan would be retail (分类办法第八条)
        ],
      }, { valuation });
      const [a, b] = res.results;
      expect(a).toMatchObject({ daysPastDue: 200, bucket: "181-270", classification: "substandard", classificationZh: "次级", rule: { code: "dpd-floor-90" } });
      expect(b).toMatchObject({ classification: "substandard", rule: { code: "contagion-bank-10" } });
      expect(a!.valuation!.comparables.length).toBeGreaterThan(0);
      expect(a!.recovery!.regionProfile).toBe("slow");
      expect(a!.missing!.documents.map((d) => d.code)).toContain("mortgage-registration");
      expect(b!.risk.reasons.map((r) => r.code)).toContain("contagion");
    });

    it("names the bad field", () => {
      expect(() => assessPortfolio({ asOf: "2025-06-30", loans: [{ loanId: "A", product: "mortgage", debtorType: "retail", debtorId: "P", outstanding: "-5", daysPastDue: 1 }] }))
        .toThrow(expect.objectContaining({ field: "loans[0].outstanding" }));
      expect(() => assessPortfolio({ asOf: "yesterday", loans: [] })).toThrow(expect.objectContaining({ field: "asOf" }));
      expect(() => assessPortfolio({ asOf: "2025-06-30", loans: [{ loanId: "A", product: "mortgage", debtorType: "retail", debtorId: "P", outstanding: "5", daysPastDue: 1, collateral: { assetType: "residential", region: "wuhan", area: "big", ageYears: 1 } }] }, { valuation }))
        .toThrow(expect.objectContaining({ field: "loans[0].collateral.area" }));
    });

    describe("the collateral's registration, lease and prior claims", () => {
      const base = { loanId: "E", product: "corporate" as const, debtorType: "corporate" as const, debtorId: "C", outstanding: "100000000", daysPastDue: 120 };
      const equipment = { assetType: "equipment", region: "wuhan", area: 1, appraisedValue: "80000000" };
      const one = (collateral: Record<string, unknown>) => assessPortfolio({ asOf: "2025-06-30", loans: [{ ...base, collateral: collateral as never }] }).results[0]!;

      it("民法典第四百零三条、担保制度解释第五十四条: an equipment mortgage not registered in 动产融资统一登记公示系统 secures nothing Debtrail counts", () => {
        const r = one({ ...equipment, registration: "none" });
        expect(r.collateralAdjustments).toMatchObject({ before: "80000000", after: "0", steps: [{ source: "request", code: "mortgage-unregistered" }] });
        expect(r.collateralAdjustments!.steps[0]!.zh).toContain("第四百零三条");
        expect(r.auctionDistribution).toBeUndefined();
        expect(r.risk.reasons.map((x) => x.code)).toContain("coverage-below-50");
        const registered = one({ ...equipment, registration: "unified" });
        expect(registered.collateralAdjustments).toMatchObject({ after: "80000000", steps: [] });
        expect(registered.auctionDistribution!.steps[0]!.code).toBe("enforcement-fee");
        const pv = (x: typeof r) => BigInt(x.recovery!.paths.find((p) => p.path === "litigation-auction")!.presentValue);
        expect(pv(registered)).toBeGreaterThan(pv(r));
      });
      it("国发〔2020〕18号: equipment registered with the vehicle office → 400 naming loans[0].collateral.registration", () => {
        expect(() => one({ ...equipment, registration: "vehicle" })).toThrow(expect.objectContaining({ field: "loans[0].collateral.registration" }));
        expect(() => one({ ...equipment, lease: { beforeMortgage: "yes" } })).toThrow(expect.objectContaining({ field: "loans[0].collateral.lease.beforeMortgage" }));
        expect(() => one({ ...equipment, taxes: "-1" })).toThrow(expect.objectContaining({ field: "loans[0].collateral.taxes" }));
      });
      it("民法典第四百零五条、第七百二十五条: a lease before the mortgage lowers what a sale fetches; one after it does not", () => {
        const shop = { assetType: "commercial", region: "wuhan", area: 100, ageYears: 5, appraisedValue: "100000000" };
        const before = one({ ...shop, lease: { beforeMortgage: true, prepaidRent: "2000000" } });
        expect(before.collateralAdjustments).toMatchObject({ market: String(100_000_000 - 15_000_000 - 2_000_000), steps: [{ code: "lease-before-mortgage", amount: "17000000" }] });
        const after = one({ ...shop, lease: { beforeMortgage: false } });
        expect(after.collateralAdjustments).toMatchObject({ market: "100000000", steps: [{ code: "lease-after-mortgage" }] });
      });
      it("民法典第八百零七条、税收征收管理法第四十五条: the construction price and withheld taxes are paid before the mortgage", () => {
        const r = one({ assetType: "industrial", region: "wuhan", area: 1000, ageYears: 5, appraisedValue: "100000000", constructionPrice: "30000000", taxes: "5000000" });
        expect(r.collateralAdjustments).toMatchObject({ market: "100000000", after: "65000000" });
        expect(r.collateralAdjustments!.steps.map((x) => x.code)).toEqual(["taxes-deducted", "construction-price-deducted"]);
        expect(r.auctionDistribution!.steps.map((x) => x.code)).toEqual(["enforcement-fee", "taxes", "construction-price"]);
      });
    });

    // Its speed is measured by npm run bench (docs/benchmarks.md), not asserted here.
    it("takes 10^5 loans in one request", () => {
      const req = generatePortfolio(3, { count: 100_000 });
      const res = assessPortfolio(req, { valuation, auctionStatistics: stats });
      expect(res.count).toBe(100_000);
      expect(res.results[99_999]!.loanId).toBe(req.loans[99_999]!.loanId);
    }, 120_000);
  });
});
