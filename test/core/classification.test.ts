import { describe, it, expect } from "vitest";
import {
  CLASSIFICATIONS, RULES, RULE_FLOOR, bankContagion, crossBankContagion, dayFloorRule, ownRule, type LoanStatus,
} from "../../src/core/classification.js";
import { classifyAndScore, type LoanRequest } from "../../src/core/batch.js";

const code = (id: number) => RULES[id]!.code;
const cls = (id: number) => CLASSIFICATIONS[RULE_FLOOR[id]!];

function loan(over: Partial<LoanRequest> = {}): LoanRequest {
  return { loanId: "L1", product: "consumer", debtorType: "retail", debtorId: "D1", outstanding: "1000000", daysPastDue: 0, ...over };
}
function one(over: Partial<LoanRequest>, asOf = "2025-06-30") {
  const r = classifyAndScore({ asOf, loans: [loan(over)] });
  return { cls: CLASSIFICATIONS[r.classIndex[0]!], rule: code(r.rule[0]!), dpd: r.daysPastDue[0] };
}

describe("classification", () => {
  describe("dayFloorRule", () => {
    it.each([
      [0, "pass", "performing"], [1, "pass", "technical-delay"], [7, "pass", "technical-delay"],
      [8, "special-mention", "dpd-floor-7"], [90, "special-mention", "dpd-floor-7"],
      [91, "substandard", "dpd-floor-90"], [270, "substandard", "dpd-floor-90"],
      [271, "doubtful", "dpd-floor-270"], [360, "doubtful", "dpd-floor-270"],
      [361, "loss", "dpd-floor-360"], [5000, "loss", "dpd-floor-360"],
    ])("loan %i days past due → %s (%s)", (dpd, expected, rule) => {
      const id = dayFloorRule(dpd, false);
      expect(cls(id)).toBe(expected);
      expect(code(id)).toBe(rule);
    });
    it.each([
      [0, "pass", "performing"], [1, "special-mention", "card-band-1-90"], [90, "special-mention", "card-band-1-90"],
      [91, "substandard", "card-band-91-120"], [120, "substandard", "card-band-91-120"],
      [121, "doubtful", "card-band-121-180"], [180, "doubtful", "card-band-121-180"],
      [181, "loss", "card-band-180"],
    ])("credit card %i days past due → %s (%s)", (dpd, expected, rule) => {
      const id = dayFloorRule(dpd, true);
      expect(cls(id)).toBe(expected);
      expect(code(id)).toBe(rule);
    });
    it("honours a configured technical delay", () => {
      expect(code(dayFloorRule(5, false, 3))).toBe("dpd-floor-7");
    });
  });

  describe("ownRule", () => {
    const base: LoanStatus = { daysPastDue: 0, creditCard: false, inObservation: false, nonPerformingBeforeRestructuring: false, upgradePending: false };
    it("restructured in observation is at least special mention", () => {
      expect(code(ownRule({ ...base, inObservation: true }))).toBe("restructured-observation");
    });
    it("restructured NPL is not upgraded during observation", () => {
      expect(code(ownRule({ ...base, inObservation: true, nonPerformingBeforeRestructuring: true }))).toBe("restructured-npl");
    });
    it.each([[0, "restructured-observation"], [1, "restructured-default"]])("restructured, %i days overdue in observation → %s", (dpd, rule) => {
      expect(code(ownRule({ ...base, inObservation: true, daysPastDue: dpd }))).toBe(rule);
    });
    it("a worse day floor wins over restructuring and keeps its name", () => {
      expect(code(ownRule({ ...base, inObservation: true, daysPastDue: 300 }))).toBe("dpd-floor-270");
    });
    it("a pending upgrade keeps an NPL at substandard", () => {
      expect(code(ownRule({ ...base, upgradePending: true }))).toBe("npl-upgrade-pending");
    });
  });

  describe("contagion helpers", () => {
    it.each([[10n, 100n, false], [11n, 100n, true], [9n, 100n, false], [1n, 10n, false], [2n, 10n, true]])("bank: %s of %s → %s", (bad, total, expected) => {
      expect(bankContagion(bad, total)).toBe(expected);
    });
    it.each([[0.2, false], [0.2000001, true], [0.19, false], [1, true]])("cross-bank share %s → %s", (share, expected) => {
      expect(crossBankContagion(share)).toBe(expected);
    });
  });

  describe("classifyAndScore (classification in a portfolio)", () => {
    it.each([[7, "pass"], [8, "special-mention"], [90, "special-mention"], [91, "substandard"], [270, "substandard"], [271, "doubtful"], [360, "doubtful"], [361, "loss"]])(
      "given %i days past due → %s", (dpd, expected) => {
        expect(one({ daysPastDue: dpd }).cls).toBe(expected);
      });

    // A corporate debtor with a bad loan of `bad` fen and a good loan of `good` fen.
    function debtorWith(bad: string, good: string, debtorType: "corporate" | "retail" = "corporate") {
      const r = classifyAndScore({
        asOf: "2025-06-30",
        loans: [
          loan({ loanId: "bad", product: "corporate", debtorType, debtorId: "C1", outstanding: bad, daysPastDue: 100 }),
          loan({ loanId: "good", product: "corporate", debtorType, debtorId: "C1", outstanding: good, daysPastDue: 0 }),
          loan({ loanId: "other", product: "corporate", debtorType, debtorId: "C2", outstanding: "100", daysPastDue: 0 }),
        ],
      });
      return { good: CLASSIFICATIONS[r.classIndex[1]!], rule: code(r.rule[1]!), other: CLASSIFICATIONS[r.classIndex[2]!], contagion: r.contagion[1] };
    }
    it("exactly 10% non-performing (by outstanding) does not spread", () => {
      expect(debtorWith("100", "900")).toMatchObject({ good: "pass", contagion: 0 });
    });
    it("just over 10% spreads to all the debtor's claims, and only that debtor's", () => {
      expect(debtorWith("101", "900")).toMatchObject({ good: "substandard", rule: "contagion-bank-10", other: "pass", contagion: 1 });
    });
    it("retail debtors are not subject to contagion", () => {
      expect(debtorWith("500", "500", "retail").good).toBe("pass");
    });
    it("works exactly for amounts beyond 2^53 fen", () => {
      const big = 10n ** 20n;
      expect(debtorWith((big + 1n).toString(), (big * 9n).toString()).good).toBe("substandard");
      expect(debtorWith(big.toString(), (big * 9n).toString()).good).toBe("pass");
    });
    it.each([[0.2, "pass", undefined], [0.21, "substandard", "contagion-cross-bank-20"]])("cross-bank share %s → %s", (share, expected, rule) => {
      const r = classifyAndScore({
        asOf: "2025-06-30",
        loans: [loan({ product: "sme", debtorType: "corporate", debtorId: "C9" })],
        debtors: [{ debtorId: "C9", crossBankOverdue90Share: share }],
      });
      expect(CLASSIFICATIONS[r.classIndex[0]!]).toBe(expected);
      if (rule) expect(code(r.rule[0]!)).toBe(rule);
    });

    describe("restructuring observation (one year, at least two periods)", () => {
      it.each([["2025-06-29", "special-mention"], ["2025-06-30", "pass"]])("restructured 2024-06-30, asOf %s → %s", (asOf, expected) => {
        expect(one({ restructuredAt: "2024-06-30" }, asOf).cls).toBe(expected);
      });
      it("a restructured former NPL (prior class) stays substandard during observation", () => {
        expect(one({ restructuredAt: "2025-01-15", priorClassification: "doubtful", arrearsRepaidAt: "2025-01-15" })).toMatchObject({ cls: "substandard", rule: "restructured-npl" });
      });
    });

    describe("upgrade of an NPL after cure (two periods or six months, the longer)", () => {
      // Monthly installments of 1000 fen due on the 1st; installments Jan–Mar 2024 paid late (>90 days) on 2024-06-10.
      const schedule = Array.from({ length: 24 }, (_, k) => ({ dueDate: `${2024 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}-01`, principal: "900", interest: "100" }));
      const payments = [
        { paidAt: "2024-06-10", amount: "6000" }, // clears Jan–Jun
        ...Array.from({ length: 17 }, (_, k) => ({ paidAt: `${2024 + Math.floor((k + 6) / 12)}-${String(((k + 6) % 12) + 1).padStart(2, "0")}-01`, amount: "1000" })),
      ];
      it.each([["2024-12-09", "substandard", "npl-upgrade-pending"], ["2024-12-10", "pass", "performing"]])("asOf %s → %s (%s)", (asOf, expected, rule) => {
        expect(one({ daysPastDue: undefined, schedule, payments }, asOf)).toMatchObject({ cls: expected, rule, dpd: 0 });
      });
      it("with the arrears repaid date only: six months", () => {
        expect(one({ priorClassification: "substandard", arrearsRepaidAt: "2025-01-31" }, "2025-07-30").cls).toBe("substandard");
        expect(one({ priorClassification: "substandard", arrearsRepaidAt: "2025-01-31" }, "2025-07-31").cls).toBe("pass");
      });
      it("a prior NPL with no evidence of cure stays substandard", () => {
        expect(one({ priorClassification: "loss" })).toMatchObject({ cls: "substandard", rule: "npl-upgrade-pending" });
      });
    });

    describe("validation", () => {
      it.each([
        [{ outstanding: "1.5" }, "loans[0].outstanding"],
        [{ product: "boat" as never }, "loans[0].product"],
        [{ daysPastDue: -1 }, "loans[0].daysPastDue"],
        [{ daysPastDue: undefined }, "loans[0].daysPastDue"],
        [{ restructuredAt: "2025-02-30" }, "loans[0].restructuredAt"],
        [{ daysPastDue: undefined, schedule: [{ dueDate: "2025-01-01", principal: "x" }] }, "loans[0].schedule[0].principal"],
      ])("%j → error on %s", (over, field) => {
        expect(() => classifyAndScore({ asOf: "2025-06-30", loans: [loan(over as Partial<LoanRequest>)] })).toThrow(expect.objectContaining({ field }));
      });
    });
  });
});
