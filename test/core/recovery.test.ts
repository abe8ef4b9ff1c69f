import { describe, it, expect } from "vitest";
import { adviseRecovery, courtFee } from "../../src/core/recovery.js";
import { acceptanceFee, enforcementFee, preservationFee } from "../../src/core/court-fees.js";

const pv = (a: ReturnType<typeof adviseRecovery>, path: string) => BigInt(a.paths.find((p) => p.path === path)!.presentValue);

describe("recovery", () => {
  describe("courtFee", () => {
    it.each([[1_000_000n, 5_000n], [500_000n, 5_000n], [10_000_000n, 230_000n], [20_000_000n, 430_000n], [100_000_000n, 1_380_000n], [10_000_000_000n, 14_180_000n + 40_000_000n]])("claim %s fen → %s fen", (claim, fee) => {
      expect(courtFee(claim)).toBe(fee);
    });
  });
  describe("adviseRecovery", () => {
    const npl = { outstanding: 100_000_000n, classIndex: 3, daysPastDue: 300 };
    it("a fast region recovers more, sooner, by litigation than a slow one", () => {
      const fast = adviseRecovery({ ...npl, region: "shanghai" });
      const slow = adviseRecovery({ ...npl, region: "harbin" });
      expect(fast.regionProfile).toBe("fast");
      expect(slow.regionProfile).toBe("slow");
      expect(pv(fast, "litigation-auction")).toBeGreaterThan(pv(slow, "litigation-auction"));
      expect(fast.paths.find((p) => p.path === "litigation-auction")!.durationMonths).toBe(14);
      expect(slow.paths.find((p) => p.path === "litigation-auction")!.durationMonths).toBe(30);
    });
    it("recommends the eligible path with the highest present value, with reasons", () => {
      const a = adviseRecovery({ ...npl, region: "shanghai", auctionProceeds: 90_000_000n });
      const best = a.paths.filter((p) => p.eligible).reduce((x, y) => (BigInt(y.presentValue) > BigInt(x.presentValue) ? y : x));
      expect(a.recommended).toBe(best.path);
      expect(a.reasons.map((r) => r.code)).toContain("highest-present-value");
      expect(a.reasons.map((r) => r.code)).toContain("collateral-covers");
    });
    it("early arrears favour self-collection; a loss unsecured claim in a slow region does not favour litigation", () => {
      expect(adviseRecovery({ outstanding: 1_000_000n, classIndex: 1, daysPastDue: 20, region: "wuhan" }).recommended).toBe("self-collection");
      const loss = adviseRecovery({ outstanding: 300_000n, classIndex: 4, daysPastDue: 900, region: "harbin" });
      expect(loss.recommended).not.toBe("litigation-auction");
      expect(loss.paths.find((p) => p.path === "restructuring")!.eligible).toBe(false);
    });
    it("write-off is only eligible for doubtful and loss", () => {
      expect(adviseRecovery({ outstanding: 1_000_000n, classIndex: 2, daysPastDue: 100 }).paths.find((p) => p.path === "write-off")!.eligible).toBe(false);
      expect(adviseRecovery({ outstanding: 1_000_000n, classIndex: 3, daysPastDue: 300 }).paths.find((p) => p.path === "write-off")!.eligible).toBe(true);
    });
    it("《诉讼费用交纳办法》第十三、十四、十六条: litigation pays the acceptance fee (halved in summary procedure), preservation and enforcement on the unsecured recovery", () => {
      const ordinary = adviseRecovery({ ...npl, region: "shanghai" }).paths.find((p) => p.path === "litigation-auction")!;
      const summary = adviseRecovery({ ...npl, region: "shanghai", procedure: "summary" }).paths.find((p) => p.path === "litigation-auction")!;
      expect(ordinary.fees).toMatchObject({ procedure: "ordinary", acceptance: "1380000", preservation: "500000", enforcement: enforcementFee(45_000_000n).toString() });
      expect(summary.fees).toMatchObject({ procedure: "summary", acceptance: "690000" });
      expect(BigInt(ordinary.costs) - BigInt(summary.costs)).toBe(acceptanceFee(npl.outstanding) - acceptanceFee(npl.outstanding, "summary"));
      const fees = ordinary.fees!;
      expect(BigInt(ordinary.costs)).toBe(BigInt(fees.acceptance) + BigInt(fees.preservation) + BigInt(fees.enforcement) + BigInt(fees.counsel));
      expect(preservationFee(npl.outstanding)).toBe(500_000n);
    });
    it("an unknown region is estimated as medium and says so", () => {
      const a = adviseRecovery({ ...npl, region: "lhasa" });
      expect(a.regionProfile).toBe("medium");
      expect(a.reasons.map((r) => r.code)).toContain("region-default");
    });
  });
});
