import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { chainTimeMs, DAY_MS } from "../helpers/clock.js";
import { contentHashOf } from "../../src/core/evidence.js";

/**
 * Red team of issue 14's service hardening and evidence time rules, as an anonymous outsider, a dishonest
 * AMC with an ordinary API key, and a collector backdating a contact.
 */

let stack: TestStack;
let sold: string; // registered by dev-bank, sold to dev-amc
let kept: string; // registered and kept by dev-bank
let soldAt: number;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  const register = async (no: string) => {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no));
    expect(r.status).toBe(201);
    return r.body.claimId as string;
  };
  sold = await register("RT-1");
  kept = await register("RT-2");
  const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [sold], to: amc, packageId: "PKG-RT", price: "1", notice: "债权转让通知" })).status).toBe(201);
  soldAt = await chainTimeMs(stack.chainUrl);
}, 120_000);
afterAll(async () => stack?.stop());

const guess = (i: number) => JSON.stringify({ contentHash: contentHashOf(`尊敬的 候选人${i}：催收函 / guess ${i}`) });

function verifyFrom(remoteAddress: string, key?: string, payload = guess(0), extraHeaders: Record<string, string> = {}) {
  return stack.api.inject({
    method: "POST", url: "/v1/verify", remoteAddress,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...extraHeaders },
    payload,
  });
}

describe("per-address limits cannot be dodged by rotating addresses", () => {
  it("anonymous verification: 61 addresses of one IPv6 /64 share one bucket (the 61st guess is 429)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await verifyFrom(`2001:db8:61:1::${(i + 1).toString(16)}`, undefined, guess(i))).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    // The same /64 spelled out in full, with other interface bits: still the same bucket.
    expect((await verifyFrom("2001:0db8:0061:0001:ffff:ffff:ffff:ffff")).statusCode).toBe(429);
    // Another /64 is another client.
    expect((await verifyFrom("2001:db8:61:2::1")).statusCode).toBe(200);
  });

  it("an IPv4 client seen as IPv4-mapped IPv6 (dual-stack socket) is the same client", async () => {
    for (let i = 0; i < 60; i++) expect((await verifyFrom("10.62.0.1", undefined, guess(i))).statusCode).toBe(200);
    expect((await verifyFrom("::ffff:10.62.0.1")).statusCode).toBe(429);
  });

  it("X-Forwarded-For is not believed (no trustProxy): a forged header does not open a new bucket", async () => {
    for (let i = 0; i < 60; i++) await verifyFrom("10.63.0.1", undefined, guess(i), { "x-forwarded-for": `198.51.100.${i}` });
    expect((await verifyFrom("10.63.0.1", undefined, guess(99), { "x-forwarded-for": "203.0.113.7", "X-Real-IP": "203.0.113.8" })).statusCode).toBe(429);
  });

  it("failed authentications: 31 bad keys from 31 addresses of one IPv6 /64 are the 31st failure of one client", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await stack.api.inject({
        method: "GET", url: "/v1/me", remoteAddress: `2001:db8:64:1:${(i + 1).toString(16)}::1`, headers: { authorization: `Bearer guess-${i}` },
      })).statusCode);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect((await stack.api.inject({ method: "GET", url: "/v1/me", remoteAddress: "2001:db8:64:1::99", headers: { authorization: "Bearer dev-amc" } })).statusCode).toBe(429);
  });
});

describe("an API key is no licence to guess letters 100 times faster than an anonymous caller", () => {
  it("content-hash lookups a key may not read are limited like anonymous ones (VERIFY_RATE_LIMIT_PER_MINUTE per key)", async () => {
    const statuses: number[] = [];
    // A dishonest AMC's collector key, from ever-new addresses: the limit follows the key.
    for (let i = 0; i < 61; i++) statuses.push((await verifyFrom(`10.64.${i}.1`, "dev-collector", guess(1000 + i))).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    // A file posted raw is the same lookup.
    const file = await stack.api.inject({
      method: "POST", url: "/v1/verify", remoteAddress: "10.64.99.1",
      headers: { "content-type": "application/octet-stream", authorization: "Bearer dev-collector" }, payload: Buffer.from("guess file"),
    });
    expect(file.statusCode).toBe(429);
    // Another key is not affected.
    expect((await verifyFrom("10.64.99.2", "dev-amc2", guess(5000))).statusCode).toBe(200);
  });

  it("a key checking its own claim's letters is not limited by it (only answers that reveal nothing count)", async () => {
    const content = `催收函 / demand letter on ${kept}`;
    const rec = await call(stack, "POST", "/v1/evidence", "dev-bank", {
      claimId: kept, kind: "letter", channel: "post", direction: "outbound", occurredAt: new Date(soldAt).toISOString(), actor: "collector-rt",
      counterparty: { name: "张三", relation: "debtor" }, content,
    });
    expect(rec.status).toBe(201);
    expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).body).toMatchObject({ status: "anchored" });
    for (let i = 0; i < 70; i++) {
      const r = await verifyFrom(`10.65.${i}.1`, "dev-bank", JSON.stringify({ contentHash: contentHashOf(content) }));
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ verified: true, detailsRedacted: false });
    }
  });
});

describe("the collateral exemption of the time rules is not a back door for contacts", () => {
  const contact = (kind: string, at: number, extra: Record<string, unknown> = {}) => ({
    claimId: sold, kind, channel: "post", direction: "inbound", occurredAt: new Date(at).toISOString(), actor: "collector-rt",
    counterparty: { name: "张三", relation: "debtor" }, content: `债务人来信确认欠款 / the debtor acknowledges the debt (${kind} ${at})`, ...extra,
  });

  it("a debtor's letter recorded as kind valuation, dated 1999 or in the seller's time, is refused like any contact", async () => {
    const old = await call(stack, "POST", "/v1/evidence", "dev-amc", contact("valuation", Date.UTC(1999, 4, 1, 2)));
    expect(old.status).toBe(422);
    expect(old.body).toMatchObject({ error: "COMPLIANCE", rule: "before-holding", field: "occurredAt" });
    const survey = await call(stack, "POST", "/v1/evidence/batch", "dev-amc", { records: [contact("survey", soldAt - DAY_MS)] });
    expect(survey.body.results[0].error).toMatchObject({ rule: "before-holding", field: "records[0].occurredAt" });
  });

  it("a survey or valuation of the collateral (internal, nobody on the other side) keeps its exemption", async () => {
    const r = await call(stack, "POST", "/v1/evidence", "dev-amc", {
      claimId: sold, kind: "valuation", channel: "system", direction: "internal", occurredAt: new Date(soldAt - 10 * DAY_MS).toISOString(),
      actor: "appraiser-rt", content: "评估报告 / appraisal report",
    });
    expect(r.status).toBe(201);
  });
});
