import { describe, it, expect } from "vitest";
import { dayOf } from "../../src/core/dates.js";
import { ARREARS_BUCKETS, bucketOf, newScheduleData, parseScheduleInto, repaymentFacts, smallMinor } from "../../src/core/dpd.js";

const monthly = (n: number, from = 1) =>
  Array.from({ length: n }, (_, k) => ({ dueDate: `2025-${String(k + from).padStart(2, "0")}-10`, principal: "800", interest: "200" }));

function facts(schedule: unknown, payments: unknown, asOf: string, restructuredAt?: string) {
  const s = parseScheduleInto(newScheduleData(2), schedule, payments, "loans[0]");
  return repaymentFacts(s, dayOf(asOf), restructuredAt ? dayOf(restructuredAt) : NaN);
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
    it("counts from the due date with no grace allowance: 1 day late on the 11th is 1 day past due (分类办法第九条第一项)", () => {
      // Grace days are not an argument any more: a contractual grace period never lowers days past due.
      expect(facts(monthly(1), [], "2025-01-11").daysPastDue).toBe(1);
      expect(facts(monthly(1), [], "2025-01-11").buckets[0]).toBe(1000);
    });
    it("a payment within what a contract calls its grace period is still late: it starts a cure, not a clean record (分类办法第十三条)", () => {
      const f = facts(monthly(3), [{ paidAt: "2025-01-13", amount: "1000" }], "2025-01-31");
      expect(f.daysPastDue).toBe(0);
      expect(f.maxDaysPastDue).toBe(3);
      expect(f.arrearsRepaidOn).toBe(dayOf("2025-01-13"));
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
    it("delay before a restructuring; observation from the first due date after it, one year (分类办法第二十条)", () => {
      const f = facts(monthly(12), [{ paidAt: "2025-05-01", amount: "5000" }, { paidAt: "2025-05-10", amount: "1000" }], "2025-06-30", "2025-05-01");
      expect(f.maxDaysPastDueBeforeRestructuring).toBe(dayOf("2025-05-01") - dayOf("2025-01-10"));
      expect(f.observationStartsOn).toBe(dayOf("2025-05-10"));
      expect(f.observationEndsOn).toBe(dayOf("2026-05-10"));
      expect(f.missedInObservation).toBe(false);
    });
    it("observation lasts two repayment periods when they are longer than a year: annual installments (分类办法第二十条)", () => {
      const annual = ["2025-12-31", "2026-12-31", "2027-12-31"].map((dueDate) => ({ dueDate, principal: "1000" }));
      const f = facts(annual, [], "2025-06-30", "2025-03-15");
      expect(f.observationStartsOn).toBe(dayOf("2025-12-31"));
      expect(f.observationEndsOn).toBe(dayOf("2027-12-31"));
    });
    it("a payment missed in observation restarts it from the missed due date (分类办法第二十条)", () => {
      // Restructured 2024-12-20; monthly from 2025-01-10; the 2025-03-10 installment paid on 2025-03-15.
      const schedule = monthly(12);
      const paid = schedule.map((r) => ({ paidAt: r.dueDate === "2025-03-10" ? "2025-03-15" : r.dueDate, amount: "1000" }));
      const f = facts(schedule, paid, "2025-12-31", "2024-12-20");
      expect(f.missedInObservation).toBe(true);
      expect(f.observationStartsOn).toBe(dayOf("2025-03-10"));
      expect(f.observationEndsOn).toBe(dayOf("2026-03-10"));
      expect(f.daysPastDue).toBe(0);
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
