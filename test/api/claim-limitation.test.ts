import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { chainTimeMs, chinaDay, DAY_MS } from "../helpers/clock.js";
import { addMonths, dayOf, formatDay } from "../../src/core/dates.js";
import { claimFromRecords } from "../../src/core/limitation/records.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

/**
 * GET /v1/claims/:id/limitation over HTTP on a real chain node: the periods come from the claim's own
 * records. Every date is derived from the chain's clock (a maturity almost three years before today),
 * so the suite passes on any day it runs.
 */

let stack: TestStack;
let now: number; // chain time after the registrations, ms
let today: number; // its China calendar day
let maturity: number; // 3 years less 40 days before today
let bankClaim: string; // held by the bank that registered it
let soldClaim: string; // sold to dev-amc
let n = 0;

const iso = (ms: number) => new Date(ms).toISOString();
/** Noon (China) of day number `day`, as an ISO instant. */
const noonOf = (day: number) => iso(day * DAY_MS + 4 * 3_600_000);

function record(claimId: string, kind: string, at: string, extra: Record<string, unknown> = {}) {
  n++;
  return {
    claimId, kind, channel: "post", direction: "outbound", occurredAt: at, actor: "collector-3",
    counterparty: { name: "李四", relation: "debtor" }, content: `记录 ${n} / record ${n}`, ...extra,
  };
}
const prior = (claimId: string, priorEvent: string, day: number, extra: Record<string, unknown> = {}) =>
  record(claimId, "prior-history", noonOf(day), { priorEvent, actor: "bank-archive", ...extra });

async function get(claimId: string, key: string | null, query = ""): Promise<{ status: number; body: any }> {
  const res = await stack.api.inject({ method: "GET", url: `/v1/claims/${claimId}/limitation${query}`, headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.statusCode, body: res.json() };
}
const period = (body: any, kind: string) => body.periods.find((p: { kind: string }) => p.kind === kind);

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  today = dayOf(chinaDay(await chainTimeMs(stack.chainUrl)));
  maturity = addMonths(today, -36) + 40;
  const register = async (no: string) => {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, {
      originatedAt: formatDay(addMonths(maturity, -36)), maturityAt: formatDay(maturity),
      collateral: { type: "residential", region: "shanghai", areaSqm: 90 },
      debtor: { name: "李四", idNumber: syntheticIdNumber("110101", ++n), type: "retail", debtorId: `D-${no}` },
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.claimId as string;
  };
  bankClaim = await register("LIM-BANK");
  soldClaim = await register("LIM-SOLD");
  now = await chainTimeMs(stack.chainUrl);
  const ok = async (key: string, body: unknown) => {
    const r = await call(stack, "POST", "/v1/evidence", key, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  // The bank's file on bankClaim: an old demand with no proof of delivery, a suit whose end it does not state, a letter sent today.
  await ok("dev-bank", prior(bankClaim, "demand", maturity + 30));
  await ok("dev-bank", prior(bankClaim, "suit", maturity + 200));
  await ok("dev-bank", record(bankClaim, "letter", iso(now + 1000)));
  // soldClaim: the debtor paid 100 days after maturity (the originator's statement); then sold to dev-amc.
  await ok("dev-bank", prior(soldClaim, "payment", maturity + 100, { channel: "bank-transfer", direction: "inbound" }));
  const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  const sale = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [soldClaim], to: amc, packageId: "PKG-LIM", price: "1", notice: "债权转让通知" });
  expect(sale.status, JSON.stringify(sale.body)).toBe(201);
}, 180_000);
afterAll(async () => stack?.stop());

describe("GET /v1/claims/:id/limitation", () => {
  it("民法典第188条、诉讼时效规定第八条: from the claim's maturity, with undelivered demands interrupting nothing (no proof of delivery recorded) and a stated suit without an end not counted: expiring", async () => {
    const res = await get(bankClaim, "dev-bank");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: bankClaim, asOf: formatDay(today), holder: { kind: "bank" }, evidence: { count: 3, complete: true } });
    const lit = period(res.body, "litigation");
    expect(lit).toMatchObject({ expiresAt: formatDay(addMonths(maturity, 36)), status: "expiring", rule: "《民法典》第一百八十八条、第一百九十五条" });
    expect(lit.basis[0]).toMatchObject({ event: "maturityAt", effect: "start" });
    for (const ref of ["events[0]", "events[1]"]) {
      expect(lit.basis.find((b: { event: string }) => b.event === ref)).toMatchObject({ effect: "no-effect", reason: expect.stringContaining("没有送达证明") });
    }
    // The mortgage follows the main claim's period (民法典第四百一十九条): the record names collateral.
    expect(period(res.body, "mortgage")).toBeDefined();
    expect(res.body.records).toEqual([
      expect.objectContaining({ kind: "prior-history", priorEvent: "demand", nature: "originator-statement", event: "events[0]", type: "demand", party: "debtor", noteCode: "no-delivery-proof", note: expect.stringContaining("未记录送达证明") }),
      expect.objectContaining({ kind: "prior-history", priorEvent: "suit", event: null, noteCode: "suit-end-unknown" }),
      expect.objectContaining({ kind: "letter", nature: "contemporaneous", event: "events[1]", type: "demand", noteCode: "no-delivery-proof" }),
    ]);
  });

  it("民法典第188条: asked as of 100 days from now (?asOf=), the same claim is expired; reasons in English with ?lang=en", async () => {
    const res = await get(bankClaim, "dev-bank", `?asOf=${formatDay(today + 100)}&lang=en`);
    expect(res.status).toBe(200);
    expect(period(res.body, "litigation").status).toBe("expired");
    expect(res.body.records[0].note).toMatch(/^No proof of delivery recorded/);
    expect(period(res.body, "litigation").basis.find((b: { event: string }) => b.event === "events[0]").reason).toMatch(/has no proof of delivery and interrupts nothing/);
  });

  it("民法典第195条第2项: the originator's stated payment interrupts; sold to an AMC, the holder is an AMC; the debtor's promise to pay to the buyer interrupts again from today", async () => {
    const before = await get(soldClaim, "dev-amc");
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.holder.kind).toBe("amc");
    const lit = period(before.body, "litigation");
    expect(lit).toMatchObject({ expiresAt: formatDay(addMonths(maturity + 100, 36)), status: "running" });
    expect(lit.basis.find((b: { event: string }) => b.event === "events[0]")).toMatchObject({ effect: "interrupted" });

    // After the sale's block (on a loaded machine the sale may come seconds after `now`): the buyer records nothing before it holds the claim.
    const promisedAt = await chainTimeMs(stack.chainUrl);
    const promised = await call(stack, "POST", "/v1/evidence", "dev-amc", record(soldClaim, "promise-to-pay", iso(promisedAt), { channel: "phone", direction: "inbound" }));
    expect(promised.status, JSON.stringify(promised.body)).toBe(201);
    const after = await get(soldClaim, "dev-collector"); // the holder's collector reads it too
    expect(after.status).toBe(200);
    const day = dayOf(chinaDay(promisedAt));
    expect(period(after.body, "litigation")).toMatchObject({ expiresAt: formatDay(addMonths(day, 36)), status: "running" });
    expect(after.body.records.at(-1)).toMatchObject({ kind: "promise-to-pay", event: "events[1]", type: "acknowledgement" });
  });

  it("only the claim's parties: another AMC and a court without a case get 403; the seller (originator), the holder and the operator read it; no key 401", async () => {
    for (const key of ["dev-amc2", "dev-court"]) {
      const res = await get(soldClaim, key);
      expect({ key, status: res.status }).toEqual({ key, status: 403 });
      expect(res.body).toMatchObject({ error: "FORBIDDEN", details: { reason: "not-a-party" } });
    }
    for (const key of ["dev-bank", "dev-amc", "dev-admin"]) expect((await get(soldClaim, key)).status, key).toBe(200);
    expect((await get(soldClaim, null)).status).toBe(401);
  });

  it("bad input → 400 naming the field; an unknown claim → 404", async () => {
    const bad = await get(bankClaim, "dev-bank", "?asOf=2023-02-30");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "VALIDATION", field: "asOf", rule: "date" });
    expect((await get("0x" + "ab".repeat(32), "dev-bank")).status).toBe(404);
    const malformed = await get("not-a-claim", "dev-bank");
    expect(malformed.status).toBe(400);
    expect(malformed.body.field).toBe("params.claimId");
  });
});

describe("core/limitation/records claimFromRecords", () => {
  const facts = { claimId: "C", maturityAt: "2021-06-30T00:00:00.000Z", collateral: false };
  const rec = (kind: string, extra: Record<string, unknown> = {}) => ({ recordId: `0x${kind}`, kind, occurredAt: "2022-01-10T02:00:00.000Z", relation: "debtor", ...extra }) as any;

  it("诉讼时效规定第八条: calls, SMS and visits are not demands; a third party's or an altered record does not count; valuations are not events", () => {
    const { claim, uses } = claimFromRecords(facts, [
      rec("call"), rec("sms"), rec("visit"), rec("payment", { relation: "family" }), rec("payment", { altered: true }),
      rec("valuation", { relation: null }), rec("restructuring"), rec("assignment-notice"), rec("payment", { relation: null }), rec("promise-to-pay", { relation: "guarantor" }),
    ]);
    expect(uses.map((u) => u.note ?? `${u.event}:${u.type}:${u.party}`)).toEqual([
      "not-a-demand-record", "not-a-demand-record", "not-a-demand-record", "third-party", "altered",
      "restructuring", "assignment-notice", "events[0]:payment:debtor", "events[1]:acknowledgement:guarantor",
    ]);
    expect(claim.events.map((e) => [e.ref, e.type, e.party, formatDay(e.at)])).toEqual([
      ["events[0]", "payment", "debtor", "2022-01-10"],
      ["events[1]", "acknowledgement", "guarantor", "2022-01-10"],
    ]);
    expect(claim.due).toEqual({ day: dayOf("2021-06-30"), ref: "maturityAt", installments: false });
  });
});
