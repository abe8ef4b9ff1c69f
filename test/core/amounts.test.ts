import { describe, it, expect } from "vitest";
import {
  accrue, bpsText, claimAmountsReport, loanAmounts, parseAmountsRequest, parseBps, roundHalfUp, type AmountsLoanInput, type LoanAmounts,
} from "../../src/core/amounts.js";
import { AMOUNT_MESSAGES, amountsNote } from "../../src/i18n/amounts.js";
import { ValidationError } from "../../src/core/errors.js";

/**
 * Hand-worked examples, each with fixed dates and an explicit cutoff: the figures depend on the rules,
 * never on the day the suite runs. Amounts are fen; "1,000,000.00 yuan" is 100,000,000 fen.
 */

type LoanIn = Partial<AmountsLoanInput>;

const BULLET: AmountsLoanInput = {
  id: "L-1", principal: "100000000", disbursedAt: "2023-01-01", annualRateBps: 360,
  schedule: [{ dueDate: "2023-01-31", principal: "100000000" }],
};

function run(loan: LoanIn, cutoff: string, steps = false): LoanAmounts {
  const req = parseAmountsRequest({ cutoff, steps, loans: [{ ...BULLET, ...loan }] });
  return loanAmounts(req.loans[0]!, req.cutoff, req.steps);
}

function refused(body: unknown): ValidationError {
  try {
    parseAmountsRequest(body);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("not refused");
}

const withLoan = (loan: Record<string, unknown>, cutoff = "2023-02-09") => ({ cutoff, loans: [{ ...BULLET, ...loan }] });

describe("amounts/rates", () => {
  describe("roundHalfUp / accrue", () => {
    it("四舍五入: half a fen rounds up, less than half rounds down", () => {
      expect(roundHalfUp(1n, 2n)).toBe(1n);
      expect(roundHalfUp(149n, 100n)).toBe(1n);
      expect(roundHalfUp(150n, 100n)).toBe(2n);
      expect(roundHalfUp(0n, 7n)).toBe(0n);
    });
    it("银发〔2005〕129号 (日利率 = 年利率 ÷ 360): 5,000 fen at 3.6% for one day is 0.5 fen, rounded up to 1", () => {
      const rate = parseBps(360, "r", 100_000);
      expect(accrue(5_000n, rate, 1, 360n)).toBe(1n);
      // A 365-day year would give 0.493… fen, rounded down to 0: the bank's 360 is what makes it 1.
      expect(accrue(5_000n, rate, 1, 365n)).toBe(0n);
    });
  });

  describe("parseBps / bpsText", () => {
    it("rates are exact: \"478.5\" bps is 4.785%, and 435 bps raised by 30% is 565.5 bps", () => {
      expect(bpsText(parseBps("478.5", "r", 100_000))).toBe("478.5");
      expect(run({ annualRateBps: 435, penaltyMarkupBps: 3000 }, "2023-01-05").rates).toMatchObject({ annualRateBps: "435", penaltyRateBps: "565.5", penaltyMarkupBps: "3000" });
    });
    it("refuses a float, a negative number and too many decimals, naming the field", () => {
      for (const bad of [4.35, -1, "4.35%", "1.23456", "", "01"]) {
        const e = refused(withLoan({ annualRateBps: bad }));
        expect({ bad, field: e.field, rule: e.rule }).toEqual({ bad, field: "loans[0].annualRateBps", rule: "bps" });
      }
      expect(refused(withLoan({ annualRateBps: 100_001 })).rule).toBe("bps-range");
    });
  });
});

describe("amounts/loanAmounts", () => {
  describe("contract interest", () => {
    it("银发〔2005〕129号 (日利率 = 年利率 ÷ 360): 1,000,000.00 yuan at 3.6% accrues 100.00 yuan a day; 1 to 30 January (cutoff counted) is 3,000.00 yuan, not yet due", () => {
      const r = run({ schedule: [{ dueDate: "2023-03-01", principal: "100000000" }] }, "2023-01-30");
      expect(r).toMatchObject({ principalOutstanding: 100_000_000n, principalOverdue: 0n, interest: 300_000n, interestDue: 0n, penaltyInterest: 0n, total: 100_300_000n });
    });

    it("四舍五入 once per accrual: 5,000 fen at 3.6% — one day is 1 fen (0.5 rounded up); two days in one accrual 1 fen; two days split by a fee into two accruals 2 fen", () => {
      const small = { principal: "5000", schedule: [{ dueDate: "2023-03-01", principal: "5000" }] };
      expect(run(small, "2023-01-01").interest).toBe(1n);
      expect(run(small, "2023-01-02").interest).toBe(1n);
      const split = run({ ...small, fees: [{ at: "2023-01-02", amount: "100", kind: "enforcement" }] }, "2023-01-02", true);
      expect(split.interest).toBe(2n);
      const accruals = split.steps!.filter((st) => st.kind === "accrual" && st.of === "interest");
      expect(accruals).toEqual([
        { kind: "accrual", of: "interest", from: "2023-01-01", to: "2023-01-01", days: 1, base: 5_000n, rateBps: "360", amount: 1n },
        { kind: "accrual", of: "interest", from: "2023-01-02", to: "2023-01-02", days: 1, base: 5_000n, rateBps: "360", amount: 1n },
      ]);
    });

    it("installments: interest on principal not yet due falls due with each installment; paid on time nothing is overdue (120,000.00 yuan in two halves)", () => {
      const loan: LoanIn = {
        principal: "12000000",
        schedule: [{ dueDate: "2023-01-31", principal: "6000000" }, { dueDate: "2023-03-02", principal: "6000000" }],
        payments: [{ paidAt: "2023-01-31", amount: "6036000" }],
      };
      const r = run(loan, "2023-02-14");
      // 30 days × 1,200 fen = 36,000 due on 31 January, paid; then 6,000,000 × 0.01% × 15 days = 9,000 accrued.
      expect(r).toMatchObject({ principalOutstanding: 6_000_000n, principalOverdue: 0n, interest: 9_000n, penaltyInterest: 0n, total: 6_009_000n });
      expect(r.paid).toMatchObject({ interest: 36_000n, principal: 6_000_000n });
    });

    it("an installment's stated interest is what falls due; the computed figure is noted", () => {
      const r = run({
        principal: "12000000",
        schedule: [{ dueDate: "2023-01-31", principal: "6000000", interest: "35000" }, { dueDate: "2023-03-02", principal: "6000000" }],
        payments: [{ paidAt: "2023-01-31", amount: "6035000" }],
      }, "2023-02-14");
      expect(r.total).toBe(6_009_000n);
      expect(r.notes).toContainEqual({ key: "stated-interest", vars: { field: "schedule[0]", stated: "35000", computed: "36000" } });
    });

    it("a payment before its due date is held as a credit and applied when the installment falls due", () => {
      const r = run({
        principal: "12000000",
        schedule: [{ dueDate: "2023-01-31", principal: "6000000" }, { dueDate: "2023-03-02", principal: "6000000" }],
        payments: [{ paidAt: "2023-01-20", amount: "6036000" }],
      }, "2023-02-14", true);
      expect(r).toMatchObject({ total: 6_009_000n, credit: 0n, principalOverdue: 0n });
      expect(r.steps!.find((st) => st.kind === "credit-applied")).toMatchObject({ at: "2023-01-31", amount: 6_036_000n, credit: 0n });
    });
  });

  describe("penalty and compound interest", () => {
    it("银发〔2003〕251号第三条: penalty interest at the contract rate plus 50% (5.4%) on overdue principal, compound interest at the same rate on unpaid interest", () => {
      const r = run({ penaltyMarkupBps: 5000, compound: true }, "2023-02-09");
      // 30 days' interest 300,000 due on 31 January; 31 January to 9 February is 10 days overdue:
      // penalty 100,000,000 × 5.4% / 360 × 10 = 150,000; compound 300,000 × 5.4% / 360 × 10 = 450.
      expect(r).toMatchObject({
        principalOutstanding: 100_000_000n, principalOverdue: 100_000_000n, interest: 300_000n, interestDue: 300_000n,
        penaltyInterest: 150_000n, compoundInterest: 450n, fees: 0n, total: 100_450_450n,
      });
      expect(r.rates).toEqual({ annualRateBps: "360", penaltyRateBps: "540", penaltyMarkupBps: "5000", compoundRateBps: "540" });
    });

    it("银发〔2003〕251号第三条: a 30% markup gives 4.68%, and without an agreed compound clause no compound interest accrues", () => {
      const r = run({ penaltyMarkupBps: 3000 }, "2023-02-09");
      expect(r).toMatchObject({ penaltyInterest: 130_000n, compoundInterest: 0n, total: 100_430_000n });
      expect(r.rates.compoundRateBps).toBeNull();
    });

    it("银发〔2003〕251号第三条: a markup outside 30%–50% is refused naming penaltyMarkupBps; 3000 and 5000 are accepted", () => {
      for (const bad of [2999, 5001, "2999.9999", 0, 10_000]) {
        const e = refused(withLoan({ penaltyMarkupBps: bad }));
        expect({ bad, field: e.field, rule: e.rule }).toEqual({ bad, field: "loans[0].penaltyMarkupBps", rule: "pboc-30-50" });
        expect(e.message).toContain("银发〔2003〕251号第三条");
      }
      expect(() => parseAmountsRequest(withLoan({ penaltyMarkupBps: 3000 }))).not.toThrow();
      expect(() => parseAmountsRequest(withLoan({ penaltyMarkupBps: "5000" }))).not.toThrow();
    });

    it("民法典第六百七十六条: a contract without a markup — overdue principal bears the contract rate, and the result says so", () => {
      const r = run({}, "2023-02-09");
      expect(r).toMatchObject({ penaltyInterest: 100_000n, total: 100_400_000n });
      expect(r.rates).toMatchObject({ penaltyRateBps: "360", penaltyMarkupBps: null });
      expect(r.notes.map((n) => n.key)).toContain("no-markup");
    });
  });

  describe("payment allocation", () => {
    it("民法典第561条: a part payment goes to the enforcement costs first, then interest; principal and the later accruals stay", () => {
      const r = run({
        penaltyMarkupBps: 5000, compound: true,
        fees: [{ at: "2023-02-05", amount: "10000", kind: "enforcement" }],
        payments: [{ paidAt: "2023-02-05", amount: "200000" }],
      }, "2023-02-09");
      // To 4 February: penalty 5 × 15,000 = 75,000, compound 5 × 45 = 225. The payment: 10,000 fees, 190,000 interest.
      // 5 to 9 February: penalty 75,000 more; compound on the 110,000 interest left: 110,000 × 5.4% / 360 × 5 = 82.5 → 83.
      expect(r.paid).toEqual({ enforcementFees: 10_000n, interest: 190_000n, penaltyInterest: 0n, compoundInterest: 0n, otherFees: 0n, principal: 0n });
      expect(r).toMatchObject({ principalOutstanding: 100_000_000n, interest: 110_000n, penaltyInterest: 150_000n, compoundInterest: 308n, fees: 0n, total: 100_260_308n });
    });

    it("民法典第561条、第560条第2款: a larger payment clears fees, overdue interest, penalty and compound interest before any principal", () => {
      const r = run({
        penaltyMarkupBps: 5000, compound: true,
        fees: [{ at: "2023-02-05", amount: "10000", kind: "enforcement" }],
        payments: [{ paidAt: "2023-02-05", amount: "400000" }],
      }, "2023-02-09");
      expect(r.paid).toEqual({ enforcementFees: 10_000n, interest: 300_000n, penaltyInterest: 75_000n, compoundInterest: 225n, otherFees: 0n, principal: 14_775n });
      // 99,985,225 × 5.4% / 360 × 5 = 74,988.91875 → 74,989.
      expect(r).toMatchObject({ principalOutstanding: 99_985_225n, interest: 0n, penaltyInterest: 74_989n, compoundInterest: 0n, total: 100_060_214n });
    });

    it("a payment dated after the cutoff is not counted, and named", () => {
      const r = run({ payments: [{ paidAt: "2023-02-10", amount: "400000" }] }, "2023-02-09");
      expect(r.paid.interest).toBe(0n);
      expect(r.notCounted).toEqual([{ field: "payments[0]", reason: "after-cutoff" }]);
    });
  });

  describe("court cap", () => {
    const HIGH: LoanIn = { principal: "36500000", annualRateBps: 3600, schedule: [{ dueDate: "2023-01-11", principal: "36500000" }] };

    it("法发〔2017〕22号第二条、九民纪要第51条: 36% interest and a service fee above 24% a year are cut; the enforcement costs are not", () => {
      const r = run({
        ...HIGH,
        fees: [{ at: "2023-01-01", amount: "50000", kind: "service" }, { at: "2023-01-05", amount: "20000", kind: "enforcement" }],
      }, "2023-01-10");
      // 10 days: interest 36,500,000 × 36% / 360 × 10 = 365,000; cap 36,500,000 × 24% / 365 × 10 = 240,000.
      // Charges 365,000 + 50,000 (service fee, 九民纪要第51条) = 415,000 → 175,000 above the cap.
      expect(r).toMatchObject({ interest: 365_000n, fees: 70_000n, feesEnforcement: 20_000n, total: 36_935_000n });
      expect(r.court).toMatchObject({
        chargesContractual: 415_000n, chargesAllowed: 240_000n, cutFromUnpaid: 175_000n, appliedToPrincipal: 0n,
        total: 36_760_000n, cutBy: 175_000n, disguisedFees: 50_000n,
      });
      const out = claimAmountsReport({ cutoff: "2023-01-10", loans: [{ ...BULLET, ...HIGH, fees: [{ at: "2023-01-01", amount: "50000", kind: "service" }] }] }, "zh-CN");
      expect(out.results[0]!.courtCapped.basis).toBe("法发〔2017〕22号第二条；《全国法院民商事审判工作会议纪要》第五十一条");
      expect(out.results[0]!.notes.map((n) => n.code)).toEqual(["disguised-fees", "cap-applied"]);
    });

    it("法发〔2017〕22号第二条、民法典第680条: charges already paid above the cap come off the principal", () => {
      const r = run({ ...HIGH, payments: [{ paidAt: "2023-01-11", amount: "365000" }] }, "2023-01-11");
      // 365,000 interest paid on its due date; 11 January overdue at the contract rate: 36,500. Cap: 11 × 24,000 = 264,000.
      // Charges 401,500, 137,500 above the cap: 36,500 unpaid is cut, the other 101,000 comes off the principal.
      expect(r).toMatchObject({ principalOutstanding: 36_500_000n, penaltyInterest: 36_500n, total: 36_536_500n });
      expect(r.court).toMatchObject({ chargesContractual: 401_500n, chargesAllowed: 264_000n, chargesPaid: 365_000n, cutFromUnpaid: 36_500n, appliedToPrincipal: 101_000n, total: 36_399_000n, cutBy: 137_500n, overpaid: 0n });
      expect(r.notes.map((n) => n.key)).toEqual(["no-markup", "cap-applied", "paid-above-cap"]);
    });

    it("法发〔2017〕22号第二条: charges within 24% a year are not cut (the 3.6% loan: 3,000.00 yuan against a cap of 19,726.03 yuan)", () => {
      const r = run({ schedule: [{ dueDate: "2023-03-01", principal: "100000000" }] }, "2023-01-30");
      expect(r.court).toMatchObject({ chargesContractual: 300_000n, chargesAllowed: 300_000n, total: 100_300_000n, cutBy: 0n });
      expect(r.notes).toEqual([{ key: "cap-not-reached", vars: { charges: "300000", cap: "1972603" } }]);
    });
  });
});

describe("amounts/input", () => {
  it("names the field and the rule of each bad input", () => {
    const cases: Array<[unknown, string, string]> = [
      [{ ...withLoan({}), cutoff: "2023-02-30" }, "cutoff", "date"],
      [withLoan({ schedule: [{ dueDate: "2023-01-31", principal: "90000000" }] }), "loans[0].schedule", "principal-sum"],
      [withLoan({ schedule: [{ dueDate: "2023-02-28", principal: "50000000" }, { dueDate: "2023-01-31", principal: "50000000" }] }), "loans[0].schedule[1].dueDate", "ascending"],
      [withLoan({ schedule: [{ dueDate: "2022-12-31", principal: "100000000" }] }), "loans[0].schedule[0].dueDate", "after-disbursement"],
      [withLoan({ schedule: [] }), "loans[0].schedule", "non-empty"],
      [withLoan({ principal: "1.5" }), "loans[0].principal", "fen"],
      [withLoan({ principal: "0" }), "loans[0].principal", "positive"],
      [withLoan({ id: "张三的贷款" }), "loans[0].id", "opaque-id"],
      [withLoan({ payments: [{ paidAt: "2022-12-01", amount: "1" }] }), "loans[0].payments[0].paidAt", "before-disbursement"],
      [withLoan({ payments: [{ paidAt: "2023-01-05", amount: "0" }] }), "loans[0].payments[0].amount", "positive"],
      [withLoan({ fees: [{ at: "2023-01-05", amount: "1", kind: "penalty" }] }), "loans[0].fees[0].kind", "one-of"],
      [withLoan({ compound: "yes" }), "loans[0].compound", "boolean"],
      [withLoan({ disbursedAt: "2023-03-01" }), "loans[0].disbursedAt", "after-cutoff"],
      [withLoan({ debtorName: "张三" }), "loans[0].debtorName", "not-allowed"],
      [withLoan({ annualRateBps: undefined }), "loans[0].annualRateBps", "required"],
      [{ cutoff: "2023-02-09", loans: [BULLET, BULLET] }, "loans[1].id", "unique"],
      [{ cutoff: "2023-02-09", loans: [] }, "loans", "non-empty"],
    ];
    for (const [body, field, rule] of cases) {
      const e = refused(body);
      expect({ field: e.field, rule: e.rule }).toEqual({ field, rule });
    }
  });

  it("accepts a date-time with an offset as its China calendar day", () => {
    const req = parseAmountsRequest(withLoan({ payments: [{ paidAt: "2023-02-04T17:30:00Z", amount: "1" }] }));
    expect(req.loans[0]!.payments[0]!.day).toBe(parseAmountsRequest(withLoan({ payments: [{ paidAt: "2023-02-05", amount: "1" }] })).loans[0]!.payments[0]!.day);
  });
});

describe("claimAmountsReport", () => {
  it("money goes out as decimal strings of fen, notes in the language asked for, steps only when asked", () => {
    const body = { cutoff: "2023-02-09", loans: [{ ...BULLET, penaltyMarkupBps: 5000, compound: true }] };
    const zh = claimAmountsReport(body, "zh-CN").results[0]!;
    expect(zh).toMatchObject({ id: "L-1", asOf: "2023-02-09", total: "100450450", penaltyInterest: "150000", courtCapped: { total: "100450450", cutBy: "0", capRateBps: "2400" } });
    expect(zh).not.toHaveProperty("steps");
    expect(zh.notes[0]!.text).toContain("法发〔2017〕22号第二条");
    const en = claimAmountsReport({ ...body, steps: true }, "en").results[0]!;
    expect(en.notes[0]!.text).toMatch(/^Interest, penalty and compound interest and fees total 4,504\.50 yuan/);
    expect(en.steps!.find((st) => st.kind === "due")).toEqual({ at: "2023-01-31", kind: "due", field: "schedule[0]", principal: "100000000", interest: "300000", interestComputed: "300000" });
  });

  it("every note has a zh-CN and an English text citing its rule", () => {
    for (const [key, texts] of Object.entries(AMOUNT_MESSAGES)) {
      if (key === "stated-interest" || key === "credit") continue; // facts of the request, not rules
      expect(texts["zh-CN"], key).toMatch(/第.+条|〔\d{4}〕/);
      expect(texts.en, key).toMatch(/art\. \d+/);
    }
    expect(amountsNote("zh-CN", "paid-above-cap", { amount: "10100000" })).toContain("101,000.00元");
  });
});
