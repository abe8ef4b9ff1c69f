import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, type TestStack } from "../helpers/stack.js";

/**
 * POST /v1/limitation over HTTP (app.inject against the real app on a real chain node). The requests
 * carry fixed, hand-worked legal examples with an explicit asOf, so nothing depends on the day it runs.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => stack?.stop());

async function post(body: unknown, key: string | null = "dev-amc", query = ""): Promise<{ status: number; body: any }> {
  const res = await stack.api.inject({
    method: "POST",
    url: `/v1/limitation${query}`,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), "content-type": "application/json" },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() };
}

const periodsOf = (body: any, id: string) => body.results.find((r: { id: string }) => r.id === id).periods as any[];
const kind = (periods: any[], k: string) => periods.find((p) => p.kind === k);

describe("POST /v1/limitation", () => {
  it("民法典第188、195、203条: the worked examples — due 2022-03-01 → 2025-03-01 (to Monday 2025-03-03); a demand delivered 2024-05-13 → 2027-05-13", async () => {
    const res = await post({
      asOf: "2024-06-01",
      claims: [
        { id: "NPL-001", maturityAt: "2022-03-01", events: [] },
        { id: "NPL-002", maturityAt: "2022-03-01", events: [{ type: "demand", at: "2024-05-10T09:30:00+08:00", deliveredAt: "2024-05-13" }] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { id: string }) => r.id)).toEqual(["NPL-001", "NPL-002"]);
    const first = kind(periodsOf(res.body, "NPL-001"), "litigation");
    expect(first).toMatchObject({ expiresAt: "2025-03-01", extendedTo: "2025-03-03", status: "running", rule: "《民法典》第一百八十八条、第一百九十五条" });
    expect(first.basis).toEqual([
      { event: "maturityAt", effect: "start", reason: expect.stringContaining("民法典第一百八十八条") },
      { event: "calendar", effect: "extended", reason: expect.stringContaining("星期六") },
    ]);
    const second = kind(periodsOf(res.body, "NPL-002"), "litigation");
    expect(second).toMatchObject({ expiresAt: "2027-05-13", status: "running" });
    expect(second).not.toHaveProperty("extendedTo");
    expect(second.basis[1]).toMatchObject({ event: "events[0]", effect: "interrupted", reason: expect.stringContaining("2024-05-13送达债务人") });
  });

  it("民法典第203条: reasons in English with ?lang=en; the rule stays the Chinese citation", async () => {
    const res = await post({ asOf: "2024-06-01", claims: [{ id: "A", maturityAt: "2022-03-01", events: [] }] }, "dev-amc", "?lang=en");
    expect(res.status).toBe(200);
    const p = res.body.results[0].periods[0];
    expect(p.basis[1].reason).toBe("The last day, 2025-03-01, is a Saturday (a rest day); the period ends on the day after the rest days, 2025-03-03 (Civil Code art. 203(1))");
    expect(p.rule).toBe("《民法典》第一百八十八条、第一百九十五条");
  });

  it("法释〔2001〕12号第十条: a newspaper announcement interrupts for an AMC's claim and not for a bank's", async () => {
    const claimOf = (id: string, holder: string) => ({ id, maturityAt: "2020-09-30", holder, events: [{ type: "announcement", at: "2023-04-10" }] });
    const res = await post({ asOf: "2024-01-01", claims: [claimOf("held-by-bank", "bank"), claimOf("held-by-amc", "amc")] });
    expect(res.status).toBe(200);
    const bank = kind(periodsOf(res.body, "held-by-bank"), "litigation");
    // 2023-09-30 is in 中秋国庆 2023 (to 10-06); Saturday 10-07 was a working day.
    expect(bank).toMatchObject({ expiresAt: "2023-09-30", extendedTo: "2023-10-07", status: "expired" });
    expect(bank.basis.find((b: { event: string }) => b.event === "events[0]")).toMatchObject({ effect: "no-effect", reason: expect.stringContaining("资产管理公司") });
    const amc = kind(periodsOf(res.body, "held-by-amc"), "litigation");
    expect(amc).toMatchObject({ expiresAt: "2026-04-10", status: "running" });
    expect(amc.basis.find((b: { event: string }) => b.event === "events[0]")).toMatchObject({ effect: "interrupted" });
  });

  it("诉讼时效规定第8条: a seller's package padded with undelivered demands shows the claims as time-barred, each demand marked as interrupting nothing", async () => {
    const res = await post({
      asOf: "2024-04-01",
      claims: [{ id: "padded", maturityAt: "2021-03-10", collateral: true, events: [{ type: "demand", at: "2022-06-01" }, { type: "demand", at: "2023-12-01" }] }],
    }, "dev-bank");
    expect(res.status).toBe(200);
    const ps = periodsOf(res.body, "padded");
    expect(kind(ps, "litigation")).toMatchObject({ expiresAt: "2024-03-10", extendedTo: "2024-03-11", status: "expired" });
    expect(kind(ps, "mortgage")).toMatchObject({ expiresAt: "2024-03-10", status: "expired" });
    const demands = kind(ps, "litigation").basis.filter((b: { event: string }) => b.event.startsWith("events["));
    expect(demands).toHaveLength(2);
    for (const b of demands) expect(b).toMatchObject({ effect: "no-effect", reason: expect.stringContaining("没有送达证明") });
  });

  it("民法典第693–694条: joint vs general guarantee, a pending suit (suspended), a judgment's enforcement period (民事诉讼法第250条)", async () => {
    const events = [
      { type: "demand", at: "2022-05-08", deliveredAt: "2022-05-10", party: "guarantor" },
      { type: "suit", at: "2022-07-01" },
    ];
    const res = await post({
      asOf: "2024-06-01",
      claims: [
        { id: "joint", maturityAt: "2022-03-01", guarantee: { type: "joint" }, events },
        { id: "general", maturityAt: "2022-03-01", guarantee: { type: "general" }, events: events.slice(0, 1) },
        { id: "judged", judgment: { performBy: "2023-06-30" }, collateral: true, events: [] },
      ],
    });
    expect(res.status).toBe(200);
    const joint = periodsOf(res.body, "joint");
    expect(kind(joint, "litigation")).toMatchObject({ expiresAt: "2027-06-01", status: "running" }); // suit pending: earliest
    expect(kind(joint, "litigation").basis.find((b: { event: string }) => b.event === "events[1]")).toMatchObject({ effect: "suspended" });
    expect(kind(joint, "guarantee-litigation")).toMatchObject({ expiresAt: "2025-05-10", status: "running" });
    const general = periodsOf(res.body, "general");
    expect(kind(general, "guarantee-period")).toMatchObject({ expiresAt: "2022-09-01", status: "expired" });
    expect(kind(general, "guarantee-period")).not.toHaveProperty("extendedTo");
    const judged = periodsOf(res.body, "judged");
    expect(judged.map((p: { kind: string }) => p.kind)).toEqual(["enforcement", "mortgage"]);
    expect(kind(judged, "enforcement")).toMatchObject({ expiresAt: "2025-06-30", status: "running", rule: "《民事诉讼法》（2023年修正）第二百五十条" });
  });

  it("民法典第188条 (due diligence before buying): any key may ask (court, collector, bank); without a key it is 401", async () => {
    const body = { asOf: "2024-06-01", claims: [{ id: "A", maturityAt: "2022-03-01", events: [] }] };
    for (const key of ["dev-court", "dev-collector", "dev-bank", "dev-admin"]) expect((await post(body, key)).status).toBe(200);
    expect((await post(body, null)).status).toBe(401);
  });

  describe("bad input → 400 naming the field and the rule", () => {
    const three = (third: Record<string, unknown>) => ({
      asOf: "2024-06-01",
      claims: [{ id: "A", maturityAt: "2022-03-01", events: [] }, { id: "B", maturityAt: "2022-03-01", events: [] }, { id: "C", maturityAt: "2022-03-01", events: [], ...third }],
    });

    it("诉讼时效规定第8条: a demand delivered before it was sent: claims[2].events[0].deliveredAt", async () => {
      const res = await post(three({ events: [{ type: "demand", at: "2024-05-13", deliveredAt: "2024-05-10" }] }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "VALIDATION", field: "claims[2].events[0].deliveredAt", rule: "delivered-before-sent" });
    });
    it("民法典第201条: not a real date: claims[2].maturityAt", async () => {
      const res = await post(three({ maturityAt: "2022-02-30" }));
      expect(res.body).toMatchObject({ error: "VALIDATION", field: "claims[2].maturityAt", rule: "date" });
      expect(res.status).toBe(400);
    });
    it("民法典第188、195条: no due date: claims[2].maturityAt; endedAt on a demand: only-for-suit; a repeated id: unique", async () => {
      expect((await post(three({ maturityAt: undefined }))).body).toMatchObject({ field: "claims[2].maturityAt", rule: "maturity-or-installments-required" });
      expect((await post(three({ events: [{ type: "demand", at: "2024-05-13", endedAt: "2024-06-01" }] }))).body).toMatchObject({ field: "claims[2].events[0].endedAt", rule: "only-for-suit" });
      expect((await post(three({ id: "A" }))).body).toMatchObject({ field: "claims[2].id", rule: "unique" });
    });
    it("个人信息保护法第6条 and the schema: an unknown event type, a missing asOf, a debtor's name slipped in, a name as id, an unknown lang", async () => {
      const type = await post(three({ events: [{ type: "visit", at: "2024-05-13" }] }));
      expect(type.status).toBe(400);
      expect(type.body.field).toBe("body.claims[2].events[0].type");
      const asOf = await post({ claims: [{ id: "A", maturityAt: "2022-03-01", events: [] }] });
      expect(asOf.body).toMatchObject({ error: "VALIDATION", field: "body.asOf" });
      const extra = await post(three({ debtorName: "张三" }));
      expect(extra.body).toMatchObject({ field: "body.claims[2].debtorName", rule: "is not an allowed property" });
      const id = await post(three({ id: "张三" }));
      expect(id.body).toMatchObject({ field: "body.claims[2].id", rule: expect.stringContaining("opaque reference") });
      const lang = await post(three({}), "dev-amc", "?lang=fr");
      expect(lang.body).toMatchObject({ field: "querystring.lang" });
    });
    it("民法典第188条, per claim, within limits: too many claims or events: the array is named", async () => {
      const claims = Array.from({ length: 10_001 }, (_, i) => ({ id: `L${i}`, maturityAt: "2022-03-01", events: [] }));
      const many = await post({ asOf: "2024-06-01", claims });
      expect(many.status).toBe(400);
      expect(many.body.field).toBe("body.claims");
      const events = Array.from({ length: 201 }, () => ({ type: "payment", at: "2023-01-01" }));
      const manyEvents = await post(three({ events }));
      expect(manyEvents.body.field).toBe("body.claims[2].events");
    });
  });
});
