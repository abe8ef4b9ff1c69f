import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, type TestStack } from "../helpers/stack.js";
import { storeDigest } from "../security/support.js";

/**
 * POST /v1/claim-amounts over HTTP (app.inject against the real app on a real chain node). The requests
 * carry fixed, hand-worked examples with an explicit cutoff, so nothing depends on the day it runs.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0" });
}, 180_000);
afterAll(async () => stack?.stop());

async function post(body: unknown, key: string | null = "dev-amc", query = ""): Promise<{ status: number; body: any }> {
  const res = await stack.api.inject({
    method: "POST",
    url: `/v1/claim-amounts${query}`,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), "content-type": "application/json" },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() };
}

/** 1,000,000.00 yuan at 3.6%, one installment on 31 January 2023. */
const LOAN = {
  id: "NPL-001", principal: "100000000", disbursedAt: "2023-01-01", annualRateBps: 360, penaltyMarkupBps: 5000, compound: true,
  schedule: [{ dueDate: "2023-01-31", principal: "100000000" }],
};

describe("POST /v1/claim-amounts", () => {
  it("银发〔2003〕251号第三条、民法典第561条: the hand-worked loan — penalty 1,500.00, compound 4.50 yuan; a part payment goes to the enforcement costs, then interest", async () => {
    const res = await post({
      cutoff: "2023-02-09",
      loans: [
        LOAN,
        { ...LOAN, id: "NPL-002", fees: [{ at: "2023-02-05", amount: "10000", kind: "enforcement" }], payments: [{ paidAt: "2023-02-05", amount: "200000" }] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.method).toMatchObject({ dayCount: "actual/360", capDayCount: "actual/365", rounding: "half-up-per-accrual", allocation: ["enforcementFees", "interest", "penaltyInterest", "compoundInterest", "otherFees", "principal"] });
    expect(res.body.method.rules.allocation).toContain("第五百六十一条");
    const [first, second] = res.body.results;
    expect(first).toMatchObject({
      id: "NPL-001", asOf: "2023-02-09", principalOutstanding: "100000000", principalOverdue: "100000000", interest: "300000",
      penaltyInterest: "150000", compoundInterest: "450", fees: "0", total: "100450450",
      rates: { annualRateBps: "360", penaltyRateBps: "540", penaltyMarkupBps: "5000", compoundRateBps: "540" },
      courtCapped: { total: "100450450", cutBy: "0", capRateBps: "2400", basis: "法发〔2017〕22号第二条" },
    });
    expect(second).toMatchObject({
      interest: "110000", penaltyInterest: "150000", compoundInterest: "308", total: "100260308",
      paid: { enforcementFees: "10000", interest: "190000", penaltyInterest: "0", compoundInterest: "0", otherFees: "0", principal: "0" },
    });
    expect(first).not.toHaveProperty("steps");
  });

  it("法发〔2017〕22号第二条、九民纪要第51条: 36% and a service fee above 24% a year — the contractual total and what a court would likely allow, with the basis (English notes)", async () => {
    const res = await post({
      cutoff: "2023-01-10",
      loans: [{
        id: "HIGH-1", principal: "36500000", disbursedAt: "2023-01-01", annualRateBps: "3600",
        schedule: [{ dueDate: "2023-01-11", principal: "36500000" }],
        fees: [{ at: "2023-01-01", amount: "50000", kind: "service" }, { at: "2023-01-05", amount: "20000", kind: "enforcement" }],
      }],
    }, "dev-bank", "?lang=en");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body.results[0];
    expect(r).toMatchObject({ total: "36935000", interest: "365000", fees: "70000", feesEnforcement: "20000" });
    expect(r.courtCapped).toMatchObject({
      total: "36760000", cutBy: "175000", chargesContractual: "415000", chargesAllowed: "240000",
      basis: "法发〔2017〕22号第二条；《全国法院民商事审判工作会议纪要》第五十一条",
    });
    expect(r.notes.map((n: { code: string }) => n.code)).toEqual(["disguised-fees", "cap-applied"]);
    expect(r.notes[1].text).toBe("Interest, penalty and compound interest and fees total 4,150.00 yuan, above 24% a year of the principal outstanding (2,400.00 yuan): a court would likely cut the 1,750.00 yuan above it (Fa Fa [2017] No. 22, art. 2)");
  });

  it("四舍五入 per accrual: with steps, each accrual shows its days, base, rate and rounded amount", async () => {
    const res = await post({
      cutoff: "2023-01-02", steps: true,
      loans: [{ id: "S-1", principal: "5000", disbursedAt: "2023-01-01", annualRateBps: 360, schedule: [{ dueDate: "2023-03-01", principal: "5000" }], fees: [{ at: "2023-01-02", amount: "1", kind: "enforcement" }] }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body.results[0];
    expect(r.interest).toBe("2");
    expect(r.steps.filter((s: { of?: string }) => s.of === "interest")).toEqual([
      { kind: "accrual", of: "interest", from: "2023-01-01", to: "2023-01-01", days: 1, base: "5000", rateBps: "360", amount: "1" },
      { kind: "accrual", of: "interest", from: "2023-01-02", to: "2023-01-02", days: 1, base: "5000", rateBps: "360", amount: "1" },
    ]);
    expect(r.steps[0]).toEqual({ at: "2023-01-01", kind: "disbursed", principal: "5000" });
  });

  it("bad input → 400 naming the field and the rule, never a 5xx", async () => {
    const cases: Array<[unknown, string, string | RegExp]> = [
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, penaltyMarkupBps: 6000 }] }, "loans[0].penaltyMarkupBps", "pboc-30-50"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, penaltyMarkupBps: "2500" }] }, "loans[0].penaltyMarkupBps", "pboc-30-50"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, annualRateBps: "4.35%" }] }, "loans[0].annualRateBps", "bps"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, schedule: [{ dueDate: "2023-01-31", principal: "1" }] }] }, "loans[0].schedule", "principal-sum"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, payments: [{ paidAt: "2023-13-01", amount: "5" }] }] }, "loans[0].payments[0].paidAt", "date"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, id: "王五" }] }, "loans[0].id", "opaque-id"],
      [{ cutoff: "not a date", loans: [LOAN] }, "cutoff", "date"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, annualRateBps: 4.35 }] }, "body.loans[0].annualRateBps", /.+/],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, debtor: { name: "王五" } }] }, "body.loans[0].debtor", "is not an allowed property"],
      [{ cutoff: "2023-02-09", loans: [{ ...LOAN, fees: [{ at: "2023-01-05", amount: "1", kind: "bribe" }] }] }, "body.loans[0].fees[0].kind", /.+/],
      [{ cutoff: "2023-02-09", loans: [] }, "body.loans", /.+/],
      [{ cutoff: "2023-02-09" }, "body.loans", /.+/],
    ];
    for (const [body, field, rule] of cases) {
      const res = await post(body);
      expect({ field, status: res.status }, JSON.stringify(res.body)).toEqual({ field, status: 400 });
      expect(res.body).toMatchObject({ error: "VALIDATION", field });
      expect(res.body.rule).toMatch(rule);
    }
    expect((await post("{not json")).status).toBe(400);
  });

  it("answers any key, refuses no key, and stores nothing", async () => {
    const before = await storeDigest(stack);
    for (const key of ["dev-admin", "dev-bank", "dev-amc", "dev-collector", "dev-court"]) {
      expect((await post({ cutoff: "2023-02-09", loans: [LOAN] }, key)).status).toBe(200);
    }
    expect((await post({ cutoff: "2023-02-09", loans: [LOAN] }, null)).status).toBe(401);
    expect((await storeDigest(stack)).sha256).toBe(before.sha256);
  });
});
