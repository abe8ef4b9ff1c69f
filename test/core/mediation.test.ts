import { describe, it, expect } from "vitest";
import {
  checkAuthority, discountFactors, mayApprove, planHashOf, proposeOffers, renderAcceptance, renderOfferLetter, splitInstallments,
  trackInstallments, DEFAULT_AUTHORITY, type MediationFacts, type MediationOptions, type Offer,
} from "../../src/core/mediation.js";
import { adviseRecovery } from "../../src/core/recovery.js";
import { canonicalHash, canonicalJson } from "../../src/core/canonical.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { ValidationError } from "../../src/core/errors.js";

const claimId = `0x${"ab".repeat(32)}`;
const facts: MediationFacts = {
  claimId, outstanding: 85_000_000n, classIndex: 1, daysPastDue: 35, region: "shanghai", auctionProceeds: 30_000_000n, asOfDate: "2026-03-15",
};
const epv = (o: Offer) => BigInt(o.figures.expectedPresentValue);
const plan = (p: ReturnType<typeof proposeOffers>) => p.offers.find((o) => o.type === "installments")!;
const lump = (p: ReturnType<typeof proposeOffers>) => p.offers.find((o) => o.type === "lump-sum")!;

describe("mediation", () => {
  describe("splitInstallments: whole yuan, the last carries the remainder, the sum is exact", () => {
    it.each([
      [100_000n, 1, [100_000n]],
      [100_000n, 3, [33_300n, 33_300n, 33_400n]],
      [72_250_000n, 3, [24_083_300n, 24_083_300n, 24_083_400n]],
      [60_000n, 6, [10_000n, 10_000n, 10_000n, 10_000n, 10_000n, 10_000n]],
      [1_001n, 3, [300n, 300n, 401n]],
      [299n, 3, [99n, 99n, 101n]], // under one yuan per installment: whole fen
      [3n, 3, [1n, 1n, 1n]],
      [1_234_567n, 12, [...Array(11).fill(102_800n), 1_234_567n - 11n * 102_800n]],
    ])("%s fen in %s installments", (total, n, expected) => {
      const parts = splitInstallments(total as bigint, n as number);
      expect(parts).toEqual(expected);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
      expect(parts[parts.length - 1]! - parts[0]!).toBeLessThan(100n * BigInt(n as number));
    });
    it.each([[2n, 3, "total"], [100n, 0, "installments"], [100n, 1.5, "installments"]])("refuses %s fen in %s installments (field %s)", (total, n, field) => {
      expect(() => splitInstallments(total as bigint, n as number)).toThrow(ValidationError);
      try {
        splitInstallments(total as bigint, n as number);
      } catch (e) {
        expect((e as ValidationError).field).toBe(field);
      }
    });
  });

  describe("authority limits by role", () => {
    it.each([
      // role, discount bps, installments, within, approvers
      ["collector", 0, 1, true, []],
      ["collector", 1_000, 12, true, []],
      ["collector", 1_050, 12, false, ["bank", "amc", "admin"]],
      ["collector", 1_000, 13, false, ["bank", "amc", "admin"]],
      ["collector", 2_000, 24, false, ["bank", "amc", "admin"]],
      ["collector", 2_050, 12, false, ["amc", "admin"]],
      ["collector", 1_000, 25, false, ["amc", "admin"]],
      ["collector", 3_000, 36, false, ["amc", "admin"]],
      ["collector", 3_050, 2, false, ["admin"]],
      ["amc", 3_000, 36, true, []],
      ["amc", 3_050, 36, false, ["admin"]],
      ["amc", 1_000, 37, false, ["admin"]],
      ["bank", 2_000, 24, true, []],
      ["admin", 5_000, 60, true, []],
      ["admin", 5_050, 60, false, []],
    ])("%s offering %s bps over %s installments: within=%s, approvers %j", (role, d, n, within, approvers) => {
      const a = checkAuthority(role as string, d as number, n as number);
      expect(a.withinAuthority).toBe(within);
      expect(a.approverRoles).toEqual(approvers);
    });
    it.each([
      ["collector", 500, 3, false],
      ["amc", 3_000, 36, true],
      ["amc", 3_050, 36, false],
      ["bank", 2_000, 24, true],
      ["admin", 5_000, 60, true],
      ["court", 0, 1, false],
    ])("%s may approve %s bps over %s installments: %s", (role, d, n, ok) => {
      expect(mayApprove(role as string, d as number, n as number)).toBe(ok);
    });

    it.each([
      // fixed plan terms proposed by a collector → status
      [{ discountBps: 1_000, installments: 12 }, "proposed"],
      [{ discountBps: 1_050, installments: 12 }, "pending-approval"],
      [{ discountBps: 1_000, installments: 13 }, "pending-approval"],
      [{ discountBps: 0, installments: 3 }, "proposed"],
    ])("a collector's plan %j is %s", (terms, status) => {
      const p = proposeOffers(facts, { proposerRole: "collector", plan: terms, lumpSum: false });
      expect(p.offers).toHaveLength(1);
      expect(plan(p).status).toBe(status);
      expect(plan(p).terms).toBe("requested");
      expect(plan(p).reasons.map((r) => r.code)).toContain(status === "proposed" ? "within-authority" : "needs-approval");
    });

    it("a discount beyond the managers' limits goes to the 资产处置审查委员会 (an NPL discount is a disposal decision, not the 审贷委员会's)", () => {
      const p = proposeOffers(facts, { proposerRole: "collector", plan: { discountBps: 1_050, installments: 12 }, lumpSum: false });
      const reason = plan(p).reasons.find((r) => r.code === "needs-approval")!;
      expect(reason.zh).toContain("或资产处置审查委员会审批后方可发出");
      expect(reason.en).toContain("the asset disposal review committee");
      expect(JSON.stringify(p)).not.toContain("审贷委员会");
    });

    it.each([
      [{ lumpSum: { discountBps: 5_050 } }, "lumpSum.discountBps"],
      [{ plan: { installments: 61 } }, "plan.installments"],
      [{ lumpSum: { installments: 2 } }, "lumpSum.installments"],
      [{ plan: { discountBps: 10_000 } }, "plan.discountBps"],
    ])("terms beyond every role's authority are refused: %j", (terms, field) => {
      try {
        proposeOffers(facts, { proposerRole: "collector", ...terms } as MediationOptions);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe(field);
      }
    });

    it("an unknown proposer role is refused", () => {
      expect(() => proposeOffers(facts, { proposerRole: "court" })).toThrow(/proposerRole/);
    });

    it("searched offers stay within the proposer's authority when that beats the other paths", () => {
      for (const role of ["collector", "bank", "amc", "admin"]) {
        const p = proposeOffers(facts, { proposerRole: role });
        for (const o of p.offers) {
          expect(o.status).toBe("proposed");
          expect(o.figures.discountBps).toBeLessThanOrEqual(DEFAULT_AUTHORITY[role]!.maxDiscountBps);
          expect(o.figures.installments).toBeLessThanOrEqual(DEFAULT_AUTHORITY[role]!.maxInstallments);
          expect(o.reasons.map((r) => r.code)).toContain("best-within-authority");
        }
      }
    });

    it("when nothing within the proposer's authority beats the other paths, the best beyond it needs approval", () => {
      const authority = { ...DEFAULT_AUTHORITY, collector: { ...DEFAULT_AUTHORITY.collector!, maxDiscountBps: 0, maxInstallments: 1 } };
      const p = proposeOffers(facts, { proposerRole: "collector", authority, lumpSum: false });
      const o = plan(p);
      expect(o.status).toBe("pending-approval");
      expect(o.authority.exceeds).toContain("installments");
      expect(o.reasons.map((r) => r.code)).toContain("best-beyond-authority");
    });
  });

  describe("expected present value", () => {
    it("discount factors fall month by month and match (1 + r)^(-m/12)", () => {
      const df = discountFactors(800, 24);
      for (let m = 1; m <= 24; m++) expect(df[m]!).toBeLessThan(df[m - 1]!);
      const S = 10n ** 18n;
      expect(Number((df[12]! * 1_000_000n) / S)).toBeCloseTo(1_000_000 / 1.08, -1);
      expect(discountFactors(0, 3)).toEqual([S, S, S, S]);
    });

    it("the benchmark is the recommended path of adviseRecovery, and every offer beats it", () => {
      const p = proposeOffers(facts, { proposerRole: "collector" });
      const advice = adviseRecovery({ ...facts }, { discountRate: 0.08 });
      expect(p.benchmark.path).toBe(advice.recommended);
      expect(p.benchmark.presentValue).toBe(advice.paths.find((x) => x.path === advice.recommended)!.presentValue);
      expect(p.offers.length).toBe(2);
      for (const o of p.offers) {
        expect(epv(o)).toBeGreaterThan(BigInt(p.benchmark.presentValue));
        expect(BigInt(o.figures.margin)).toBe(epv(o) - BigInt(p.benchmark.presentValue));
        expect(o.reasons[0]!.code).toBe("beats-best-path");
      }
    });

    it("offers come highest expected present value first", () => {
      for (const [cls, dpd] of [[1, 35], [2, 120], [3, 300], [4, 500]]) {
        const p = proposeOffers({ ...facts, classIndex: cls!, daysPastDue: dpd! }, { proposerRole: "amc" });
        for (let i = 1; i < p.offers.length; i++) expect(epv(p.offers[i - 1]!)).toBeGreaterThanOrEqual(epv(p.offers[i]!));
      }
    });

    it.each([
      ["a higher discount rate lowers the value", { discountRateBps: 500 }, { discountRateBps: 1_500 }],
      ["a worse class lowers the value (less acceptance, more defaults)", {}, { classIndex: 3 }],
    ])("%s", (_what, a, b) => {
      const terms: MediationOptions = { proposerRole: "admin", plan: { discountBps: 1_000, installments: 12 }, lumpSum: { discountBps: 1_000 } };
      const pa = proposeOffers({ ...facts, ...(a as object) }, { ...terms, ...(a as object) });
      const pb = proposeOffers({ ...facts, ...(b as object) }, { ...terms, ...(b as object) });
      for (const type of ["installments", "lump-sum"] as const) {
        const va = pa.offers.find((o) => o.type === type);
        const vb = pb.offers.find((o) => o.type === type);
        if (va && vb) expect(epv(va)).toBeGreaterThan(epv(vb));
      }
    });

    it("with acceptance not depending on the terms: more installments and more discount are worth less", () => {
      const model = { planAcceptancePerInstallment: 0, planAcceptancePerDiscountPct: 0, lumpSumAcceptancePerDiscountPct: 0 };
      const value = (terms: MediationOptions["plan"], type: "plan" | "lumpSum" = "plan") => {
        const p = proposeOffers(facts, { proposerRole: "admin", model, lumpSum: false, plan: false, [type]: terms });
        return p.offers.length ? epv(p.offers[0]!) : BigInt(p.declined[0]!.bestExpectedPresentValue!);
      };
      const byCount = [2, 3, 6, 12, 24].map((n) => value({ discountBps: 0, installments: n }));
      for (let i = 1; i < byCount.length; i++) expect(byCount[i]!).toBeLessThan(byCount[i - 1]!);
      const byDiscount = [0, 500, 1_000, 2_000].map((d) => value({ discountBps: d }, "lumpSum"));
      for (let i = 1; i < byDiscount.length; i++) expect(byDiscount[i]!).toBeLessThan(byDiscount[i - 1]!);
    });

    it("a searched offer is the best on its grid: no neighbouring terms are worth more", () => {
      const p = proposeOffers(facts, { proposerRole: "amc" });
      const best = lump(p);
      for (const d of [best.figures.discountBps - 50, best.figures.discountBps + 50].filter((x) => x >= 0 && x <= 3_000)) {
        const q = proposeOffers(facts, { proposerRole: "amc", plan: false, lumpSum: { discountBps: d } });
        const v = q.offers[0] ? epv(q.offers[0]) : BigInt(q.declined[0]!.bestExpectedPresentValue!);
        expect(v).toBeLessThanOrEqual(epv(best));
      }
    });

    it.each([
      ["nobody accepts", { model: { lumpSumAcceptanceBps: [0, 0, 0, 0, 0], planAcceptanceBps: [0, 0, 0, 0, 0], lumpSumAcceptancePerDiscountPct: 0, planAcceptancePerDiscountPct: 0, planAcceptancePerInstallment: 0 } }, "cannot-beat-best-path"],
      ["a margin no offer reaches", { model: { minMarginBps: 5_000 } }, "cannot-beat-best-path"],
    ])("says so when no offer can beat the best other path: %s", (_what, options, code) => {
      const p = proposeOffers(facts, { proposerRole: "admin", ...(options as object) } as MediationOptions);
      expect(p.offers).toHaveLength(0);
      expect(p.declined.map((d) => d.code)).toEqual([code, code]);
      for (const d of p.declined) {
        expect(BigInt(d.bestExpectedPresentValue!)).toBeLessThanOrEqual(BigInt(d.benchmarkPresentValue) + 85_000_000n * 5_000n / 10_000n);
        expect(d.zh).toMatch(/不高于最优替代方案/);
        expect(d.en).toMatch(/not more than the best other path/);
      }
    });

    it("a claim that is not overdue gets no offers, with the reason", () => {
      const p = proposeOffers({ ...facts, daysPastDue: 0, classIndex: 0 }, { proposerRole: "collector" });
      expect(p.offers).toHaveLength(0);
      expect(p.declined.map((d) => d.code)).toEqual(["not-overdue", "not-overdue"]);
    });

    it.each([
      ["outstanding", { outstanding: 0n }],
      ["classIndex", { classIndex: 5 }],
      ["daysPastDue", { daysPastDue: -1 }],
      ["asOfDate", { asOfDate: "2026-02-30" }],
      ["claimId", { claimId: "0x12" }],
    ])("bad facts name the field: %s", (field, bad) => {
      try {
        proposeOffers({ ...facts, ...(bad as object) }, { proposerRole: "collector" });
        expect.unreachable();
      } catch (e) {
        expect((e as ValidationError).field).toBe(field);
      }
    });
  });

  describe("plans", () => {
    it("the plan names its figures; installments sum to the total; due dates are monthly from the offer day", () => {
      const p = proposeOffers({ ...facts, asOfDate: "2026-01-31" }, { proposerRole: "admin", plan: { discountBps: 1_500, installments: 3 }, lumpSum: { discountBps: 500 } });
      const o = plan(p);
      expect(o.plan).toMatchObject({ version: 1, claimId, type: "installments", currency: "CNY", outstanding: "85000000", discountBps: 1_500, total: "72250000", forgiven: "12750000", issuedOn: "2026-01-31", validUntil: "2026-02-14" });
      expect(o.plan.installments.map((i) => i.dueDate)).toEqual(["2026-02-28", "2026-03-31", "2026-04-30"]);
      expect(o.plan.installments.reduce((s, i) => s + BigInt(i.amount), 0n)).toBe(72_250_000n);
      const l = lump(p);
      expect(l.plan.installments).toEqual([{ n: 1, dueDate: "2026-03-02", amount: "80750000" }]);
    });

    it("the plan hash is keccak256 of the plan's canonical JSON; it changes with any term", () => {
      const a = plan(proposeOffers(facts, { proposerRole: "admin", plan: { discountBps: 1_000, installments: 6 }, lumpSum: false }));
      expect(a.planHash).toBe(canonicalHash(a.plan));
      expect(a.planHash).toBe(planHashOf(JSON.parse(canonicalJson(a.plan))));
      const b = plan(proposeOffers(facts, { proposerRole: "admin", plan: { discountBps: 1_050, installments: 6 }, lumpSum: false }));
      const c = plan(proposeOffers({ ...facts, asOfDate: "2026-03-16" }, { proposerRole: "admin", plan: { discountBps: 1_000, installments: 6 }, lumpSum: false }));
      expect(new Set([a.planHash, b.planHash, c.planHash]).size).toBe(3);
      expect(plan(proposeOffers(facts, { proposerRole: "admin", plan: { discountBps: 1_000, installments: 6 }, lumpSum: false })).planHash).toBe(a.planHash);
    });
  });

  describe("trackInstallments", () => {
    const p = plan(proposeOffers(facts, { proposerRole: "admin", plan: { discountBps: 0, installments: 3 }, lumpSum: false })).plan;
    // 85,000,000 in 3: 28,333,300 / 28,333,300 / 28,333,400, due 04-15, 05-15, 06-15
    it.each([
      ["nothing paid before the first due date", "2026-04-10", [], ["upcoming", "upcoming", "upcoming"], 0],
      ["the first paid on time", "2026-04-20", [["2026-04-14", 28_333_300n]], ["paid", "upcoming", "upcoming"], 0],
      ["the second missed", "2026-05-18", [["2026-04-14", 28_333_300n]], ["paid", "missed", "upcoming"], 1],
      ["the second partly paid before its due date", "2026-05-10", [["2026-04-14", 28_333_300n], ["2026-05-01", 1_000_000n]], ["paid", "partly-paid", "upcoming"], 0],
      ["a payment before the plan does not count", "2026-04-20", [["2026-03-01", 28_333_300n]], ["missed", "upcoming", "upcoming"], 1],
      ["all paid, in two payments", "2026-06-20", [["2026-04-15", 50_000_000n], ["2026-06-15T10:00:00+08:00", 35_000_000n]], ["paid", "paid", "paid"], 0],
    ])("%s", (_what, asOf, payments, states, missed) => {
      const t = trackInstallments(p, { asOfDate: asOf as string, payments: (payments as [string, bigint][]).map(([paidAt, amount]) => ({ paidAt, amount })) });
      expect(t.installments.map((i) => i.state)).toEqual(states);
      expect(t.missedCount).toBe(missed);
      expect(t.completed).toBe((states as string[]).every((s) => s === "paid"));
      if (t.completed) expect(t.remaining).toBe("0");
    });

    it("without payments, the amount paid (from the outstanding) is applied in order", () => {
      const t = trackInstallments(p, { asOfDate: "2026-05-20", paidTotal: 30_000_000n });
      expect(t.source).toBe("outstanding");
      expect(t.installments.map((i) => [i.state, i.paid])).toEqual([["paid", "28333300"], ["missed", "1666700"], ["upcoming", "0"]]);
      expect(t.nextDue?.n).toBe(2);
      expect(t.remaining).toBe("55000000");
    });

    it("records the day an installment was covered", () => {
      const t = trackInstallments(p, { asOfDate: "2026-05-20", payments: [{ paidAt: "2026-04-10", amount: 20_000_000n }, { paidAt: "2026-04-14", amount: 10_000_000n }] });
      expect(t.installments[0]!.paidOn).toBe("2026-04-14");
    });
  });

  describe("letters", () => {
    const o = plan(proposeOffers(facts, { proposerRole: "admin", plan: { discountBps: 1_500, installments: 3 }, lumpSum: false }));
    const letter = renderOfferLetter({ plan: o.plan, planHash: o.planHash, contractNo: "HT-001", debtorName: "王五", creditor: "Demo AMC", daysPastDue: 35 });

    it("the offer letter is the operative Chinese text then its labelled English translation, names the figures as 人民币…元, the schedule by 2026年4月15日-style dates and the plan hash, and hashes its text", () => {
      expect(letter.text).toMatch(/^和解方案通知书\n王五：/);
      expect(letter.text.indexOf("英文译文（仅供参考；中英文本如有不一致，以中文文本为准）")).toBeLessThan(letter.text.indexOf("Settlement offer"));
      expect(letter.text.indexOf("债权人：Demo AMC")).toBeLessThan(letter.text.indexOf("英文译文"));
      expect(letter.text).toContain("人民币850,000.00元");
      expect(letter.text).toContain("人民币722,500.00元");
      expect(letter.text).toContain("人民币127,500.00元（15.0%）");
      expect(letter.text).toContain("2026年4月15日  人民币240,833.00元");
      expect(letter.text).toContain("2026年6月15日  人民币240,834.00元");
      expect(letter.text).toContain("15 June 2026  RMB 240,834.00");
      expect(letter.text).not.toMatch(/CNY|\d{4}-\d{2}-\d{2}/);
      expect(letter.text).toContain(o.planHash);
      expect(letter.text).toContain("HT-001");
      expect(letter.contentHash).toBe(contentHashOf(letter.text));
      expect(renderOfferLetter({ plan: o.plan, planHash: o.planHash, contractNo: "HT-001", debtorName: "王五", creditor: "Demo AMC", daysPastDue: 35 })).toEqual(letter);
    });

    it("a lump-sum letter states the single payment and its due date", () => {
      const l = lump(proposeOffers(facts, { proposerRole: "admin", plan: false, lumpSum: { discountBps: 500 } }));
      const text = renderOfferLetter({ plan: l.plan, planHash: l.planHash, creditor: "Demo AMC", daysPastDue: 35 }).text;
      expect(text).toContain("于2026年4月14日前一次性支付人民币807,500.00元");
      expect(text).toContain("pay RMB 807,500.00 in one payment by 14 April 2026");
      expect(text).toContain("借款人：");
    });

    it("the acceptance names the plan and its hash, in both languages", () => {
      const a = renderAcceptance({ plan: o.plan, planHash: o.planHash, offerId: "off-1", debtorName: "王五", creditor: "Demo AMC", acceptedOn: "2026-03-20", channel: "in-person" });
      expect(a.text).toMatch(/^和解方案确认书\n王五于2026年3月20日/);
      expect(a.text).toContain("Acceptance of settlement");
      expect(a.text).toContain(o.planHash);
      expect(a.contentHash).toBe(contentHashOf(a.text));
      expect(() => renderAcceptance({ plan: o.plan, planHash: "0x12", offerId: "x", creditor: "c", acceptedOn: "2026-03-20", channel: "app" })).toThrow(ValidationError);
    });
  });
});
