import { describe, it, expect } from "vitest";
import { checkPackageSummary, summaryToWire } from "../../../src/core/market/summary.js";
import { line, pkg, refusal } from "./fixtures.js";

const refused = (input: unknown) => refusal(checkPackageSummary, input);

const wire = () => summaryToWire(pkg("PKG-1", [line({ region: "苏州" }), line({ region: "320000", limitation: "expired" })], 800_000n)) as { claims: Record<string, unknown>[] } & Record<string, unknown>;

describe("summary", () => {
  describe("checkPackageSummary", () => {
    it("takes the wire form (fen as decimal strings) and canonicalises each claim's region", () => {
      const s = checkPackageSummary(wire());
      expect(s.reserve).toBe(800_000n);
      expect(s.claims.map((c) => c.region)).toEqual(["suzhou", "jiangsu"]);
      expect(s.claims[0]!.valuation).toEqual({ p10: 300_000n, p50: 500_000n, p90: 700_000n });
    });

    it("PIPL: a seller's export that carries a name, a masked ID number, a phone or a contract number is refused whole, naming the property", () => {
      for (const [k, v] of [["debtorName", "张三"], ["idNumber", "**************1234"], ["phone", "13800000000"], ["contractNo", "HT-2020-001"], ["address", "上海市浦东新区某路1号"]]) {
        const w = wire();
        w.claims[1]![k] = v;
        expect(refused(w)).toEqual({ field: `package.claims[1].${k}`, rule: "not-allowed" });
      }
      const top = { ...wire(), sellerContact: "李四" };
      expect(refused(top)).toEqual({ field: "package.sellerContact", rule: "not-allowed" });
    });

    it("refuses amounts that are not whole fen, a valuation out of order, an unknown region, a bad district and an empty package", () => {
      const cases: Array<[(w: ReturnType<typeof wire>) => void, string, string]> = [
        [(w) => { w.claims[0]!.balance = 1000.5; }, "package.claims[0].balance", "fen"],
        [(w) => { w.claims[0]!.balance = "-5"; }, "package.claims[0].balance", "fen"],
        [(w) => { w.claims[0]!.valuation = { p10: "9", p50: "5", p90: "10" }; }, "package.claims[0].valuation", "valuation-order"],
        [(w) => { w.claims[0]!.region = "Atlantis"; }, "package.claims[0].region", "region-unknown"],
        [(w) => { w.claims[0]!.district = "浦东新区"; }, "package.claims[0].district", "district-code"],
        // Six digits but no county of GB/T 2260 (a province's code, a number in no table).
        [(w) => { w.claims[0]!.district = "310000"; }, "package.claims[0].district", "district-code"],
        [(w) => { w.claims[0]!.district = "999999"; }, "package.claims[0].district", "district-code"],
        [(w) => { w.claims[0]!.daysPastDue = -1; }, "package.claims[0].daysPastDue", "integer-range"],
        [(w) => { w.claims[0]!.limitation = "barred"; }, "package.claims[0].limitation", "one-of"],
        [(w) => { w.reserve = "1e6"; }, "package.reserve", "fen"],
        [(w) => { w.claims = []; }, "package.claims", "empty"],
      ];
      for (const [spoil, field, rule] of cases) {
        const w = wire();
        spoil(w);
        expect(refused(w)).toEqual({ field, rule });
      }
    });
  });

  describe("summaryToWire", () => {
    it("round-trips through JSON to the same summary", () => {
      const s = checkPackageSummary(wire());
      expect(checkPackageSummary(JSON.parse(JSON.stringify(summaryToWire(s))))).toEqual(s);
    });
  });
});
