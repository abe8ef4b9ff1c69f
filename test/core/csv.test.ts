import { describe, it, expect } from "vitest";
import { CsvSyntaxError, parseCsvTable } from "../../src/core/csv.js";

describe("csv", () => {
  describe("parseCsvTable", () => {
    it("keys rows by the trimmed header, skips a BOM and blank lines, and gives each row's line", () => {
      const table = parseCsvTable("\uFEFF caseId , price\nC-1, 100\n\nC-2,\"2,5\"\n");
      expect(table.header).toEqual(["caseId", "price"]);
      expect(table.rows).toEqual([
        { record: { caseId: "C-1", price: "100" }, line: 2 },
        { record: { caseId: "C-2", price: "2,5" }, line: 4 },
      ]);
    });

    it("throws CsvSyntaxError with the line of a malformed row", () => {
      let error: unknown;
      try {
        parseCsvTable("a,b\n1,2\n3,4,5\n");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).line).toBe(3);
    });
  });
});
