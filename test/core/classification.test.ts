import { describe, it, expect } from "vitest";
import {
  CLASSIFICATIONS, RULES, RULE_FLOOR, bankContagion, crossBankContagion, dayFloorRule, ownRule, retailForClassification, type LoanStatus,
} from "../../src/core/classification.js";
import { classifyAndScore, type LoanRequest, type AssessmentRequest } from "../../src/core/batch.js";
import { normalizeClaim } from "../../src/core/claim-input.js";

const code = (id: number) => RULES[id]!.code;
const cls = (id: number) => CLASSIFICATIONS[RULE_FLOOR[id]!];

function loan(over: Partial<LoanRequest> = {}): LoanRequest {
  return { loanId: "L1", product: "consumer", debtorType: "retail", debtorId: "D1", outstanding: "1000000", daysPastDue: 0, ...over };
}
function one(over: Partial<LoanRequest>, asOf = "2025-06-30") {
  const r = classifyAndScore({ asOf, loans: [loan(over)] });
  return { cls: CLASSIFICATIONS[r.classIndex[0]!], rule: code(r.rule[0]!), dpd: r.daysPastDue[0] };
}
/** Classes and rules of every loan of a portfolio. */
function all(req: Partial<AssessmentRequest> & { loans: LoanRequest[] }) {
  const r = classifyAndScore({ asOf: "2025-06-30", ...req });
  return req.loans.map((l, i) => ({ loanId: l.loanId, cls: CLASSIFICATIONS[r.classIndex[i]!], rule: code(r.rule[i]!) }));
}
/** Monthly installments of 1000 fen due on the 10th, from `from` (YYYY-MM) for `n` months. */
function monthly(from: string, n: number) {
  const [y, m] = from.split("-").map(Number) as [number, number];
  return Array.from({ length: n }, (_, k) => {
    const month = m - 1 + k;
    return { dueDate: `${y + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-10`, principal: "900", interest: "100" };
  });
}
const paidOnTime = (schedule: { dueDate: string }[], except: Record<string, string | null> = {}) =>
  schedule.flatMap((r) => (except[r.dueDate] === null ? [] : [{ paidAt: except[r.dueDate] ?? r.dueDate, amount: "1000" }]));

describe("classification", () => {
  describe("dayFloorRule", () => {
    it.each([
      [0, "pass", "performing"], [1, "special-mention", "dpd-overdue"], [7, "special-mention", "dpd-overdue"],
      [8, "special-mention", "dpd-overdue"], [90, "special-mention", "dpd-overdue"],
      [91, "substandard", "dpd-floor-90"], [270, "substandard", "dpd-floor-90"],
      [271, "doubtful", "dpd-floor-270"], [360, "doubtful", "dpd-floor-270"],
      [361, "loss", "dpd-floor-360"], [5000, "loss", "dpd-floor-360"],
    ])("分类办法第九至十二条: a loan %i days past due, not flagged as technical → %s (%s)", (dpd, expected, rule) => {
      const id = dayFloorRule(dpd, false);
      expect(cls(id)).toBe(expected);
      expect(code(id)).toBe(rule);
    });
    it.each([
      [1, "pass", "technical-delay"], [7, "pass", "technical-delay"], [8, "special-mention", "dpd-overdue"], [91, "substandard", "dpd-floor-90"],
    ])("分类办法第九条第一项: a delay of %i days flagged as technical → %s (%s): the allowance is 7 days at most", (dpd, expected, rule) => {
      const id = dayFloorRule(dpd, false, true);
      expect(cls(id)).toBe(expected);
      expect(code(id)).toBe(rule);
    });
    it("分类办法第九条第一项: a configured technical allowance shorter than 7 days is honoured, a longer one never widens it", () => {
      expect(code(dayFloorRule(5, false, true, 3))).toBe("dpd-overdue");
      expect(code(dayFloorRule(3, false, true, 3))).toBe("technical-delay");
      expect(code(dayFloorRule(8, false, true, 30))).toBe("dpd-overdue");
    });
    it.each([
      [0, "pass", "performing"], [1, "special-mention", "card-band-1-90"], [90, "special-mention", "card-band-1-90"],
      [91, "substandard", "card-band-91-120"], [120, "substandard", "card-band-91-120"],
      [121, "doubtful", "card-band-121-180"], [180, "doubtful", "card-band-121-180"],
      [181, "loss", "card-band-180"],
    ])("信用卡办法第九十二条: a credit card %i days past due → %s (%s)", (dpd, expected, rule) => {
      const id = dayFloorRule(dpd, true);
      expect(cls(id)).toBe(expected);
      expect(code(id)).toBe(rule);
      expect(code(dayFloorRule(dpd, true, true))).toBe(rule); // the technical allowance is not the card rule's
    });
    it("民法典第一千二百五十九条: \"超过\" excludes the number — the rule texts say 逾期超过90天 (never 90天以上), and 90 days is not yet 次级", () => {
      expect(cls(dayFloorRule(90, false))).toBe("special-mention");
      expect(cls(dayFloorRule(91, false))).toBe("substandard");
      expect(RULES.find((r) => r.code === "dpd-floor-90")!.zh).toContain("逾期超过90天");
      expect(RULES.find((r) => r.code === "contagion-cross-bank-20")!.zh).toContain("逾期超过90天");
      for (const r of RULES) {
        expect(r.zh).not.toMatch(/\d+天以上/);
        expect(r.en).not.toMatch(/\d+\+ days/);
      }
    });
    it("every rule's text cites its article in both languages", () => {
      for (const r of RULES.filter((x) => x.code !== "performing")) {
        expect({ code: r.code, zh: /第[一二三四五六七八九十百千]+[条章]/.test(r.zh) }).toEqual({ code: r.code, zh: true });
        expect({ code: r.code, en: /\b(art|ch)\. \d+/.test(r.en) }).toEqual({ code: r.code, en: true });
      }
    });
  });

  describe("ownRule", () => {
    const base: LoanStatus = {
      daysPastDue: 0, creditCard: false, technicalDelay: false, cardFraud: false, inObservation: false,
      nonPerformingBeforeRestructuring: false, missedInObservation: false, upgradePending: false,
    };
    it("分类办法第三章: restructured in observation is at least special mention", () => {
      expect(code(ownRule({ ...base, inObservation: true }))).toBe("restructured-observation");
    });
    it("分类办法第三章: a restructured NPL is not upgraded during observation", () => {
      expect(code(ownRule({ ...base, inObservation: true, nonPerformingBeforeRestructuring: true }))).toBe("restructured-npl");
    });
    it.each([[0, false, "restructured-observation"], [1, false, "restructured-default"], [0, true, "restructured-default"]])(
      "分类办法第二十条: restructured, %i days overdue, missed a payment in observation %s → %s", (dpd, missed, rule) => {
        expect(code(ownRule({ ...base, inObservation: true, daysPastDue: dpd, missedInObservation: missed }))).toBe(rule);
      });
    it("a worse day floor wins over restructuring and keeps its name", () => {
      expect(code(ownRule({ ...base, inObservation: true, daysPastDue: 300 }))).toBe("dpd-floor-270");
    });
    it("分类办法第十三条: a pending upgrade keeps an NPL at substandard", () => {
      expect(code(ownRule({ ...base, upgradePending: true }))).toBe("npl-upgrade-pending");
    });
    it.each([[0, "doubtful", "card-fraud"], [150, "doubtful", "card-band-121-180"], [200, "loss", "card-band-180"]])(
      "信用卡办法第九十三条: confirmed card fraud, %i days past due → %s (%s): directly 可疑 or 损失", (dpd, expected, rule) => {
        const id = ownRule({ ...base, creditCard: true, cardFraud: true, daysPastDue: dpd });
        expect(cls(id)).toBe(expected);
        expect(code(id)).toBe(rule);
      });
  });

  describe("bankContagion", () => {
    it.each([[10n, 100n, false], [11n, 100n, true], [9n, 100n, false], [1n, 10n, false], [2n, 10n, true]])("分类办法第七条第二款 (超过10%%): %s of %s → %s", (bad, total, expected) => {
      expect(bankContagion(bad, total)).toBe(expected);
    });
  });
  describe("crossBankContagion", () => {
    it.each([[0.2, false], [0.2000001, true], [0.19, false], [1, true]])("分类办法第十条 (超过20%%): cross-bank share %s → %s", (share, expected) => {
      expect(crossBankContagion(share)).toBe(expected);
    });
  });
  describe("retailForClassification", () => {
    it.each([
      ["retail", "consumer", true], ["retail", "sme", true], ["corporate", "sme", true], ["corporate", "credit-card", true],
      ["corporate", "corporate", false], ["corporate", "mortgage", false],
    ])("分类办法第八条 (小微企业债权 are retail assets): a %s debtor's %s loan → retail %s", (type, product, expected) => {
      expect(retailForClassification(type, product)).toBe(expected);
    });
    it("the on-chain retail flag stays the transfer pilot's natural person: a company's sme loan is not retail there", () => {
      const req = (type: "retail" | "corporate") => ({
        originatorCode: "DEVBANK", contractNo: `HT-${type}`, debtor: { name: "x", idNumber: "X0000", type, debtorId: "x" },
        principal: "100", outstanding: "100", originatedAt: "2020-01-01", maturityAt: "2021-01-01", product: "sme" as const,
      });
      expect(normalizeClaim(req("corporate"), "originator-secret-for-tests-0001").retail).toBe(false);
      expect(normalizeClaim(req("retail"), "originator-secret-for-tests-0001").retail).toBe(true);
    });
  });

  describe("classifyAndScore (classification in a portfolio)", () => {
    it.each([[1, "special-mention"], [7, "special-mention"], [8, "special-mention"], [90, "special-mention"], [91, "substandard"], [270, "substandard"], [271, "doubtful"], [360, "doubtful"], [361, "loss"]])(
      "分类办法第九至十二条: given %i days past due and no technical flag → %s", (dpd, expected) => {
        expect(one({ daysPastDue: dpd }).cls).toBe(expected);
      });
    it("分类办法第九条第一项: a 5-day delay is 关注 unless the bank flags it as technical; an 8-day one is 关注 either way", () => {
      expect(one({ daysPastDue: 5 })).toMatchObject({ cls: "special-mention", rule: "dpd-overdue" });
      expect(one({ daysPastDue: 5, technicalDelay: true })).toMatchObject({ cls: "pass", rule: "technical-delay" });
      expect(one({ daysPastDue: 8, technicalDelay: true })).toMatchObject({ cls: "special-mention", rule: "dpd-overdue" });
    });
    it("分类办法第九条第一项: the technical allowance cannot be configured beyond 7 days", () => {
      expect(() => classifyAndScore({ asOf: "2025-06-30", loans: [loan()] }, { technicalDelayDays: 8 })).toThrow(expect.objectContaining({ field: "technicalDelayDays" }));
    });
    it("分类办法第九条第一项: grace days never lower the class — 3 days unpaid with a 5-day grace period is 关注", () => {
      const schedule = monthly("2025-06", 12);
      expect(one({ daysPastDue: undefined, schedule, payments: [], graceDays: 5 }, "2025-06-13")).toMatchObject({ cls: "special-mention", dpd: 3, rule: "dpd-overdue" });
      expect(one({ daysPastDue: undefined, schedule, payments: [], graceDays: 5, technicalDelay: true }, "2025-06-13")).toMatchObject({ cls: "pass", dpd: 3 });
      expect(one({ daysPastDue: undefined, schedule, payments: [{ paidAt: "2025-06-12", amount: "1000" }], graceDays: 5 }, "2025-06-20")).toMatchObject({ cls: "pass", dpd: 0 });
    });

    // A corporate debtor C1 with a bad loan of `bad` fen and a good loan of `good` fen, and another debtor C2.
    function debtorWith(bad: string, good: string, debtorType: "corporate" | "retail" = "corporate", product: LoanRequest["product"] = "corporate") {
      const r = classifyAndScore({
        asOf: "2025-06-30",
        loans: [
          loan({ loanId: "bad", product, debtorType, debtorId: "C1", outstanding: bad, daysPastDue: 100 }),
          loan({ loanId: "good", product, debtorType, debtorId: "C1", outstanding: good, daysPastDue: 0 }),
          loan({ loanId: "other", product, debtorType, debtorId: "C2", outstanding: "100", daysPastDue: 0 }),
        ],
      });
      return { good: CLASSIFICATIONS[r.classIndex[1]!], rule: code(r.rule[1]!), other: CLASSIFICATIONS[r.classIndex[2]!], contagion: r.contagion[1] };
    }
    it("分类办法第七条第二款 and 第九条第四项: exactly 10% non-performing (by outstanding) does not make the rest 不良, but it is 关注", () => {
      expect(debtorWith("100", "900")).toMatchObject({ good: "special-mention", rule: "non-retail-npl-anywhere", other: "pass" });
    });
    it("分类办法第七条第二款: just over 10% spreads 不良 to all the debtor's claims, and only that debtor's", () => {
      expect(debtorWith("101", "900")).toMatchObject({ good: "substandard", rule: "contagion-bank-10", other: "pass", contagion: 1 });
    });
    it("分类办法第八条: retail debtors, and a company's small-business loans, are classified loan by loan", () => {
      expect(debtorWith("500", "500", "retail").good).toBe("pass");
      expect(debtorWith("500", "500", "corporate", "sme")).toMatchObject({ good: "pass", contagion: 0 });
    });
    it("分类办法第七条第二款: works exactly for amounts beyond 2^53 fen", () => {
      const big = 10n ** 20n;
      expect(debtorWith((big + 1n).toString(), (big * 9n).toString()).good).toBe("substandard");
      expect(debtorWith(big.toString(), (big * 9n).toString()).good).toBe("special-mention");
    });
    it.each([[0.2, "special-mention", "non-retail-npl-anywhere"], [0.21, "substandard", "contagion-cross-bank-20"], [0, "pass", "performing"]])(
      "分类办法第十条 and 第九条第四项: cross-bank share overdue more than 90 days %s → %s", (share, expected, rule) => {
        const r = classifyAndScore({
          asOf: "2025-06-30",
          loans: [loan({ product: "corporate", debtorType: "corporate", debtorId: "C9" })],
          debtors: [{ debtorId: "C9", crossBankOverdue90Share: share }],
        });
        expect(CLASSIFICATIONS[r.classIndex[0]!]).toBe(expected);
        expect(code(r.rule[0]!)).toBe(rule);
      });
    it("分类办法第九条第四项: a non-retail debtor with a non-performing debt at another bank → at least 关注; a retail one is not touched", () => {
      const loans = [
        loan({ loanId: "co", product: "corporate", debtorType: "corporate", debtorId: "C1" }),
        loan({ loanId: "person", debtorId: "P1" }),
        loan({ loanId: "co-sme", product: "sme", debtorType: "corporate", debtorId: "C2" }),
      ];
      const debtors = [{ debtorId: "C1", nonPerformingElsewhere: true }, { debtorId: "P1", nonPerformingElsewhere: true }, { debtorId: "C2", nonPerformingElsewhere: true }];
      expect(all({ loans, debtors })).toEqual([
        { loanId: "co", cls: "special-mention", rule: "non-retail-npl-anywhere" },
        { loanId: "person", cls: "pass", rule: "performing" },
        { loanId: "co-sme", cls: "pass", rule: "performing" },
      ]);
    });
    it("分类办法第九条第四项: a non-retail debtor's non-performing small-business loan here makes its corporate loan 关注", () => {
      const loans = [
        loan({ loanId: "sme", product: "sme", debtorType: "corporate", debtorId: "C1", outstanding: "1", daysPastDue: 120 }),
        loan({ loanId: "term", product: "corporate", debtorType: "corporate", debtorId: "C1", outstanding: "1000000" }),
      ];
      expect(all({ loans })[1]).toEqual({ loanId: "term", cls: "special-mention", rule: "non-retail-npl-anywhere" });
    });
    it("分类办法第九条第四项: a debtors[] entry needs none of the optional figures, and bad ones are named", () => {
      expect(() => classifyAndScore({ asOf: "2025-06-30", loans: [loan()], debtors: [{ debtorId: "D1" }] })).not.toThrow();
      expect(() => classifyAndScore({ asOf: "2025-06-30", loans: [loan()], debtors: [{ debtorId: "D1", nonPerformingElsewhere: "yes" as never }] }))
        .toThrow(expect.objectContaining({ field: "debtors[0].nonPerformingElsewhere" }));
    });

    describe("restructuring observation (分类办法第二十条)", () => {
      // Restructured 2024-03-15; the restructured plan pays 1000 fen on the 10th of each month from 2024-04-10.
      const schedule = monthly("2024-04", 36);
      it.each([["2025-03-20", "special-mention"], ["2025-04-09", "special-mention"], ["2025-04-10", "pass"]])(
        "分类办法第二十条: starts at the first due date after restructuring (2024-04-10), lasts a year: asOf %s → %s", (asOf, expected) => {
          expect(one({ daysPastDue: undefined, restructuredAt: "2024-03-15", schedule, payments: paidOnTime(schedule).filter((p) => p.paidAt <= asOf) }, asOf).cls).toBe(expected);
        });
      it("分类办法第二十条: at least two repayment periods — with annual installments it runs to the second due date after its start", () => {
        const annual = ["2024-12-31", "2025-12-31", "2026-12-31", "2027-12-31"].map((dueDate) => ({ dueDate, principal: "1000" }));
        const paid = annual.map((r) => ({ paidAt: r.dueDate, amount: "1000" }));
        const at = (asOf: string) => one({ daysPastDue: undefined, restructuredAt: "2024-03-15", schedule: annual, payments: paid.filter((p) => p.paidAt <= asOf) }, asOf);
        expect(at("2026-06-30").cls).toBe("special-mention");
        expect(at("2026-12-30").cls).toBe("special-mention");
        expect(at("2026-12-31").cls).toBe("pass");
      });
      it("分类办法第二十条: a payment missed in observation (paid 5 days late) makes it 次级 and restarts the year from the missed due date", () => {
        const payments = paidOnTime(schedule, { "2024-09-10": "2024-09-15" });
        const at = (asOf: string) => one({ daysPastDue: undefined, restructuredAt: "2024-03-15", schedule, payments: payments.filter((p) => p.paidAt <= asOf) }, asOf);
        expect(at("2024-09-12")).toMatchObject({ cls: "substandard", rule: "restructured-default" });
        expect(at("2025-04-10")).toMatchObject({ cls: "substandard", rule: "restructured-default" });
        expect(at("2025-09-09")).toMatchObject({ cls: "substandard", rule: "restructured-default" });
        expect(at("2025-09-10")).toMatchObject({ cls: "pass" });
      });
      it("分类办法第二十条: without a schedule, from restructuredFirstDueAt (else a month after restructuring), one year", () => {
        expect(one({ restructuredAt: "2024-06-30", restructuredFirstDueAt: "2024-09-30" }, "2025-09-29").cls).toBe("special-mention");
        expect(one({ restructuredAt: "2024-06-30", restructuredFirstDueAt: "2024-09-30" }, "2025-09-30").cls).toBe("pass");
        expect(one({ restructuredAt: "2024-06-30" }, "2025-07-29").cls).toBe("special-mention");
        expect(one({ restructuredAt: "2024-06-30" }, "2025-07-30").cls).toBe("pass");
        expect(one({ restructuredAt: "2024-06-30", daysPastDue: 3 }, "2025-09-29")).toMatchObject({ cls: "substandard", rule: "restructured-default" });
      });
      it("restructuredFirstDueAt needs restructuredAt and comes after it", () => {
        expect(() => one({ restructuredFirstDueAt: "2024-09-30" })).toThrow(expect.objectContaining({ field: "loans[0].restructuredFirstDueAt" }));
        expect(() => one({ restructuredAt: "2024-06-30", restructuredFirstDueAt: "2024-06-30" })).toThrow(expect.objectContaining({ field: "loans[0].restructuredFirstDueAt" }));
      });
      it("分类办法第三章: a restructured former NPL (prior class) stays substandard during observation", () => {
        expect(one({ restructuredAt: "2025-01-15", priorClassification: "doubtful", arrearsRepaidAt: "2025-01-15" })).toMatchObject({ cls: "substandard", rule: "restructured-npl" });
      });
    });

    describe("upgrade of an NPL after cure (分类办法第十三条)", () => {
      // Monthly installments of 1000 fen due on the 1st; installments Jan–Mar 2024 paid late (>90 days) on 2024-06-10.
      const schedule = Array.from({ length: 24 }, (_, k) => ({ dueDate: `${2024 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}-01`, principal: "900", interest: "100" }));
      const payments = [
        { paidAt: "2024-06-10", amount: "6000" }, // clears Jan–Jun
        ...Array.from({ length: 17 }, (_, k) => ({ paidAt: `${2024 + Math.floor((k + 6) / 12)}-${String(((k + 6) % 12) + 1).padStart(2, "0")}-01`, amount: "1000" })),
      ];
      it.each([["2024-12-09", "substandard", "npl-upgrade-pending"], ["2024-12-10", "pass", "performing"]])("分类办法第十三条: two periods or six months, the longer — asOf %s → %s (%s)", (asOf, expected, rule) => {
        expect(one({ daysPastDue: undefined, schedule, payments }, asOf)).toMatchObject({ cls: expected, rule, dpd: 0 });
      });
      it("分类办法第十三条: with the arrears repaid date only: six months", () => {
        expect(one({ priorClassification: "substandard", arrearsRepaidAt: "2025-01-31" }, "2025-07-30").cls).toBe("substandard");
        expect(one({ priorClassification: "substandard", arrearsRepaidAt: "2025-01-31" }, "2025-07-31").cls).toBe("pass");
      });
      it("分类办法第十三条: a prior NPL with no evidence of cure stays substandard", () => {
        expect(one({ priorClassification: "loss" })).toMatchObject({ cls: "substandard", rule: "npl-upgrade-pending" });
      });
      it("分类办法第十三条: a cured NPL is not upgraded while the debtor has another credit-impaired asset at the bank", () => {
        const cured = loan({ loanId: "cured", debtorId: "P1", priorClassification: "substandard", arrearsRepaidAt: "2024-10-31" });
        const other = loan({ loanId: "card", product: "credit-card", debtorId: "P1", daysPastDue: 150 });
        const stranger = loan({ loanId: "stranger", debtorId: "P2", daysPastDue: 150 });
        expect(all({ loans: [cured, other] })[0]).toEqual({ loanId: "cured", cls: "substandard", rule: "npl-upgrade-other-impaired" });
        expect(all({ loans: [cured, stranger] })[0]).toEqual({ loanId: "cured", cls: "pass", rule: "performing" });
        expect(all({ loans: [cured], debtors: [{ debtorId: "P1", otherCreditImpairedAtBank: true }] })[0]).toMatchObject({ cls: "substandard", rule: "npl-upgrade-other-impaired" });
        // Only an impaired (non-performing) other asset blocks: one merely 关注 does not.
        expect(all({ loans: [cured, { ...other, daysPastDue: 30 }] })[0]).toMatchObject({ cls: "pass" });
      });
    });

    describe("card fraud (信用卡办法第九十三条)", () => {
      it("信用卡办法第九十三条: a confirmed fraud on a current card → 可疑", () => {
        expect(one({ product: "credit-card", cardFraud: true })).toMatchObject({ cls: "doubtful", rule: "card-fraud" });
        expect(one({ product: "credit-card", cardFraud: true, daysPastDue: 181 })).toMatchObject({ cls: "loss", rule: "card-band-180" });
      });
      it("信用卡办法第九十三条: the flag applies to credit cards only", () => {
        expect(() => one({ product: "consumer", cardFraud: true })).toThrow(expect.objectContaining({ field: "loans[0].cardFraud" }));
      });
    });

    describe("validation", () => {
      it.each([
        [{ outstanding: "1.5" }, "loans[0].outstanding"],
        [{ product: "boat" as never }, "loans[0].product"],
        [{ daysPastDue: -1 }, "loans[0].daysPastDue"],
        [{ daysPastDue: undefined }, "loans[0].daysPastDue"],
        [{ restructuredAt: "2025-02-30" }, "loans[0].restructuredAt"],
        [{ graceDays: 91 }, "loans[0].graceDays"],
        [{ technicalDelay: "yes" as never }, "loans[0].technicalDelay"],
        [{ daysPastDue: undefined, schedule: [{ dueDate: "2025-01-01", principal: "x" }] }, "loans[0].schedule[0].principal"],
      ])("%j → error on %s", (over, field) => {
        expect(() => classifyAndScore({ asOf: "2025-06-30", loans: [loan(over as Partial<LoanRequest>)] })).toThrow(expect.objectContaining({ field }));
      });
    });
  });
});
