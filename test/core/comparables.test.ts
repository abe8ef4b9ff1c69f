import { describe, it, expect } from "vitest";
import { comparableToRow, parseComparableRow, parseComparableRows } from "../../src/core/comparables.js";
import { generateCaseHistory } from "../../src/core/synthetic.js";

const good = { caseId: "C1", assetType: "residential", region: "wuhan", area: "89.5", ageYears: "12", occupied: "no", titleDefect: "0", saleDate: "2024-05-06", price: "123456700" };
const auction = { ...good, caseId: "A1", saleType: "auction", auctionRound: "1", appraisedValue: "100000000", reservePrice: "70000000", sold: "true", price: "75000000" };

describe("comparables", () => {
  describe("parseComparableRow", () => {
    it("parses CSV-style strings", () => {
      const c = parseComparableRow(good, "rows[0]");
      expect(c).toMatchObject({ caseId: "C1", area: 89.5, ageYears: 12, occupied: false, price: 123456700n, saleType: "market", sold: true });
    });
    it("parses an auction attempt", () => {
      expect(parseComparableRow(auction, "rows[0]")).toMatchObject({ auctionRound: 1, reservePrice: 70000000n, sold: true });
    });
    it.each([
      [{ area: "0" }, "area"], [{ area: "abc" }, "area"], [{ assetType: "boat" }, "assetType"], [{ saleDate: "2024-02-30" }, "saleDate"],
      [{ price: "12.5" }, "price"], [{ price: "0" }, "price"], [{ occupied: "maybe" }, "occupied"], [{ region: "Wu Han" }, "region"],
      [{ caseId: "" }, "caseId"], [{ ageYears: "101" }, "ageYears"],
    ])("%j → error on rows[4].%s", (over, field) => {
      expect(() => parseComparableRow({ ...good, ...over }, "rows[4]")).toThrow(expect.objectContaining({ field: `rows[4].${field}` }));
    });
    it.each([
      [{ reservePrice: "69999999" }, "reservePrice"], [{ price: "60000000" }, "price"], [{ sold: "false" }, "price"], [{ auctionRound: "4" }, "auctionRound"],
    ])("auction %j → error on %s", (over, field) => {
      expect(() => parseComparableRow({ ...auction, ...over }, "rows[0]")).toThrow(expect.objectContaining({ field: `rows[0].${field}` }));
    });
  });
  describe("parseComparableRows", () => {
    it("collects every bad row, rejects duplicates and reports progress", () => {
      const progress: number[] = [];
      const r = parseComparableRows([good, { ...good, caseId: "C2", area: "-1" }, good, auction], "rows", (done) => progress.push(done), 2);
      expect(r.cases.map((c) => c.caseId)).toEqual(["C1", "A1"]);
      expect(r.errors).toEqual([{ index: 1, field: "rows[1].area", rule: expect.any(String) }, { index: 2, field: "rows[2].caseId", rule: "must be unique" }]);
      expect(progress).toEqual([2, 4, 4]);
    });
    it("round-trips generated cases through rows", () => {
      const { cases } = generateCaseHistory(3, { count: 200 });
      const back = parseComparableRows(cases.map(comparableToRow));
      expect(back.errors).toEqual([]);
      expect(back.cases).toEqual(cases);
    });
  });
});
