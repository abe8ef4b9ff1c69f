import { describe, it, expect } from "vitest";
import { dayOf } from "../../src/core/dates.js";
import { ARREARS_BUCKETS, bucketOf, newScheduleData, parseScheduleInto, repaymentFacts, smallMinor } from "../../src/core/dpd.js";

const monthly = (n: number, from = 1) =>
  Array.from({ length: n }, (_, k) => ({ dueDate: `2025-${String(k + from).padStart(2, "0")}-10`, principal: "800", interest: "200" }));

function facts(schedule: unknown, payments: unknown, asOf: string, grace = 0, restructuredAt?: string) {
  const s = parseScheduleInto(newScheduleData(2), schedule, payments, "loans[0]");
  return repaymentFacts(s, dayOf(asOf), grace, restructuredAt ? dayOf(restructuredAt) : NaN);
}

describe("dpd", () => {
  describe("bucketOf", () => {
    it.each([[0, "current"], [1, "1-30"], [30, "1-30"], [31, "31-60"], [60, "31-60"], [61, "61-90"], [90, "61-90"], [91, "91-180"], [180, "91-180"], [181, "181-270"], [270, "181-270"], [271, "271-360"], [360, "271-360"], [361, ">360"]])("%i days → %s", (d, b) => {
      expect(bucketOf(d)).toBe(b);
    });
  });
  describe("smallMinor", () => {
    it.each([["0", 0], ["123", 123], ["999999999999999", 999999999999999], ["01", -1], ["1.0", -1], ["1000000000000000", -1], ["", -1]])("%j → %i", (s, v) => {
      expect(smallMinor(s)).toBe(v);
    });
  });
  describe("repaymentFacts", () => {
    it("counts from the due date of the oldest unpaid installment", () => {
      const f = facts(monthly(6), [], "2025-03-15");
      expect(f.daysPastDue).toBe(dayOf("2025-03-15") - dayOf("2025-01-10"));
      expect(f.arrears).toBe(3000);
    });
    it("a partial payment leaves the oldest installment overdue (FIFO)", () => {
      const f = facts(monthly(6), [{ paidAt: "2025-01-10", amount: "1500" }], "2025-03-15");
      expect(f.daysPastDue).toBe(dayOf("2025-03-15") - dayOf("2025-02-10"));
      expect(f.arrears).toBe(1500);
      expect(f.buckets[0]).toBe(1000); // March installment, 5 days
      expect(f.buckets[1]).toBe(500); // rest of February, 33 days
    });
    it.each([[0, 1], [3, 0], [4, 0]])("grace %i days: 1 day late on the 11th counts as %i", (grace, dpd) => {
      expect(facts(monthly(1), [], "2025-01-11", grace).daysPastDue).toBe(dpd);
    });
    it("grace days: past grace, days count from the due date", () => {
      expect(facts(monthly(1), [], "2025-01-15", 3).daysPastDue).toBe(5);
    });
    it("payments after asOf do not count; payments in any order do", () => {
      const later = facts(monthly(2), [{ paidAt: "2025-02-20", amount: "1000" }], "2025-02-15");
      expect(later.daysPastDue).toBe(36);
      const shuffled = facts(monthly(2), [{ paidAt: "2025-02-10", amount: "1000" }, { paidAt: "2025-01-10", amount: "1000" }], "2025-02-15");
      expect(shuffled.daysPastDue).toBe(0);
    });
    it("tracks the worst delay, when arrears were repaid and when a cure completes", () => {
      const f = facts(monthly(12), [{ paidAt: "2025-05-20", amount: "5000" }, { paidAt: "2025-06-10", amount: "1000" }], "2025-06-30");
      expect(f.daysPastDue).toBe(0);
      expect(f.maxDaysPastDue).toBe(dayOf("2025-05-20") - dayOf("2025-01-10"));
      expect(f.arrearsRepaidOn).toBe(dayOf("2025-05-20"));
      expect(f.cureCompleteOn).toBe(dayOf("2025-11-20")); // six months is longer than two periods
    });
    it("delay before a restructuring and the second due date after it", () => {
      const f = facts(monthly(12), [{ paidAt: "2025-05-01", amount: "1000" }], "2025-06-30", 0, "2025-05-01");
      expect(f.maxDaysPastDueBeforeRestructuring).toBe(dayOf("2025-05-01") - dayOf("2025-01-10"));
      expect(f.secondDueAfterRestructuring).toBe(dayOf("2025-06-10"));
    });
    it("has one label per bucket", () => {
      expect(ARREARS_BUCKETS).toHaveLength(7);
    });
    it("names the failing field", () => {
      expect(() => facts([{ dueDate: "2025-01-10", principal: "1" }], [{ paidAt: "yesterday", amount: "1" }], "2025-02-01")).toThrow(expect.objectContaining({ field: "loans[0].payments[0].paidAt" }));
      expect(() => facts([], [], "2025-02-01")).toThrow(expect.objectContaining({ field: "loans[0].schedule" }));
    });
  });
});
