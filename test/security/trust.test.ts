/**
 * Organisations acting against each other through the API (issue 14): a seller that keeps acting on a
 * claim it sold, and keys reading another holder's off-chain details. Written as the dishonest party.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { CHECKLISTS } from "../../src/core/survey.js";
import { ORACLE_KEY, securityEnv } from "./support.js";

const FEED_KEY = "dev-feed";
let stack: TestStack;
let provider: JsonRpcProvider;
let amc1: string;
let bank: string;
/** Registered by dev-bank, a status reported, then sold to dev-amc1. */
let sold: string;
let soldStatusAsOf: number;
const CONTRACT_NO = "TRUST-SOLD-0001";

const chainNow = async () => (await provider.getBlock("latest"))!.timestamp;
const iso = (unix: number) => new Date(unix * 1000).toISOString();
const day = (unix: number) => new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);

function survey(surveyedAt: string) {
  const answers: Record<string, unknown> = {};
  for (const it of CHECKLISTS.residential.items) if (it.required) answers[it.id] = { value: it.options[0]!.value, ...(it.judgment ? { note: "judged on site" } : {}) };
  return { assetType: "residential", surveyedAt, surveyor: "surveyor-trust", location: { region: "shanghai" }, answers };
}
function appraisal(claimId: string, at: number, n: number) {
  return {
    type: "appraisal", claimId,
    provenance: { source: "appraiser.example", fetchedAt: iso(at), contentHash: contentHashOf(`appraisal ${n}`) },
    data: { appraiser: "Appraiser Co.", reportNo: `R-TRUST-${n}`, valuedAt: day(at - 86_400), value: "10", method: "market-comparison" },
  };
}
function valuation(claimId: string, at: number, n: number) {
  return { claimId, kind: "valuation", channel: "system", direction: "internal", occurredAt: iso(at), actor: "valuer-1", content: `valuation note ${n}` };
}

beforeAll(async () => {
  stack = await startStack(securityEnv({ EVIDENCE_BATCH_SIZE: "1", CONTACT_DAILY_CAP: "1" }));
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 });
  amc1 = (await call(stack, "GET", "/v1/me", "dev-amc1")).body.address;
  bank = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address;
  const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(CONTRACT_NO, {
    debtor: { name: "卖方测试", idNumber: "110101199001017778", type: "retail", debtorId: "D-TRUST-SOLD" },
    collateral: { type: "residential", region: "shanghai", areaSqm: 90, appraisedValue: "300000000" },
  }));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  sold = r.body.claimId;
  // While it holds the claim, the bank reports it 40 days overdue; no cycle runs before the sale.
  soldStatusAsOf = await chainNow();
  const before = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: sold, asOf: iso(soldStatusAsOf), daysPastDue: 40, outstanding: "85000000" });
  expect(before.status, JSON.stringify(before.body)).toBe(202);
  const sale = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [sold], to: amc1, packageId: "PKG-TRUST", price: "1000", notice: "债权转让通知" });
  expect(sale.status, JSON.stringify(sale.body)).toBe(201);
}, 180_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

describe("the seller after a sale", () => {
  it("may no longer report statuses, push outside data, survey, offer or record evidence for the claim (403)", async () => {
    const now = await chainNow();
    const repaid = { claimId: sold, asOf: iso(now), daysPastDue: 0, outstanding: "0" };
    const tries: Record<string, { status: number; body: any }> = {
      "loan-status": await call(stack, "POST", "/v1/loan-status", "dev-bank", repaid),
      "loan-status/batch": await call(stack, "POST", "/v1/loan-status/batch", "dev-bank", { statuses: [repaid] }),
      feeds: await call(stack, "POST", "/v1/feeds", "dev-bank", { items: [appraisal(sold, now, 1)] }),
      "feeds/import": await call(stack, "POST", "/v1/feeds/import", "dev-bank", { format: "debtrail-feeds/1", items: [appraisal(sold, now, 2)] }),
      surveys: await call(stack, "POST", `/v1/claims/${sold}/surveys`, "dev-bank", survey(iso(now))),
      offers: await call(stack, "POST", `/v1/claims/${sold}/offers`, "dev-bank", {}),
      evidence: await call(stack, "POST", "/v1/evidence", "dev-bank", valuation(sold, now, 1)),
    };
    const statuses = Object.fromEntries(Object.entries(tries).map(([k, v]) => [k, v.status]));
    expect(statuses, JSON.stringify(tries)).toEqual(Object.fromEntries(Object.keys(tries).map((k) => [k, 403])));
    for (const [what, r] of Object.entries(tries)) expect(r.body, what).toMatchObject({ error: "FORBIDDEN", message: expect.stringContaining(sold) });
    const batch = await call(stack, "POST", "/v1/evidence/batch", "dev-bank", { records: [valuation(sold, now, 2)] });
    expect(batch.body.results[0].error).toMatchObject({ error: "FORBIDDEN" });
  });

  it("a status the seller reported before the sale never becomes a report after it", async () => {
    const r = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ planned: 0, applied: 0 });
    expect(r.body.skipped["not-from-holder"]).toBe(1);
    const kase = (await call(stack, "GET", `/v1/cases/${sold}`, "dev-amc1")).body;
    expect(kase.state).toBe("performing");
    expect(kase.timeline.filter((i: { type: string }) => i.type === "report")).toEqual([]);
    // Nothing of it is kept to be proposed later either.
    expect((await call(stack, "POST", "/v1/oracle/run", "dev-admin")).body).toMatchObject({ considered: 0, planned: 0 });
  });

  it("the buyer reports its own figures, even dated before the seller's last status, and they are proposed", async () => {
    const own = await call(stack, "POST", "/v1/loan-status", "dev-amc1", { claimId: sold, asOf: iso(soldStatusAsOf - 3600), daysPastDue: 3, outstanding: "84000000" });
    expect(own.status, JSON.stringify(own.body)).toBe(202);
    const r = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
    expect(r.body).toMatchObject({ planned: 1, applied: 1 });
    const reports = (await call(stack, "GET", `/v1/cases/${sold}`, "dev-amc1")).body.timeline.filter((i: { type: string }) => i.type === "report");
    expect(reports.map((x: { details: { outstanding: string; daysPastDue: number } }) => [x.details.outstanding, x.details.daysPastDue])).toEqual([["84000000", 3]]);
  });

  it("keeps reading the claim it originated (retention), read-only", async () => {
    const claim = await call(stack, "GET", `/v1/claims/${sold}`, "dev-bank");
    expect(claim.body.offChain).toMatchObject({ contractNo: CONTRACT_NO, personalDataRedacted: false });
    expect((await call(stack, "GET", `/v1/claims/${sold}/evidence`, "dev-bank")).status).toBe(200);
  });
});

describe("a status for a claim that is not registered", () => {
  it("is refused (404) for every key that may report, a bank's own pending record included", async () => {
    const pending = `0x${"5e".repeat(32)}`;
    const record = { ...(await appScope(stack.api).repos.claims.get(sold))!, claimId: pending, status: "pending", originator: bank, txHash: undefined, blockNumber: undefined };
    await appScope(stack.api).repos.claims.put(pending, record as never);
    const status = { claimId: pending, asOf: iso(await chainNow()), daysPastDue: 1, outstanding: "1" };
    for (const key of ["dev-bank", "dev-amc1", FEED_KEY]) {
      const r = await call(stack, "POST", "/v1/loan-status", key, status);
      expect({ key, status: r.status, body: r.body }).toMatchObject({ key, status: 404, body: { error: "NOT_FOUND" } });
      expect((await call(stack, "POST", "/v1/loan-status/batch", key, { statuses: [status] })).status, key).toBe(404);
    }
    expect(await appScope(stack.api).store.sub("oracle-status").get(pending)).toBeUndefined();
  });
});

describe("reading another holder's claim", () => {
  let recordId: string;
  let offerId: string;

  beforeAll(async () => {
    // dev-amc1 (the holder) and its collector work the claim: evidence, a survey, outside data, an offer.
    const now = await chainNow();
    const ev = await call(stack, "POST", "/v1/evidence", "dev-amc1", valuation(sold, now, 3));
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    recordId = ev.body.recordId;
    expect((await call(stack, "POST", `/v1/claims/${sold}/surveys`, "dev-collector", survey(iso(now)))).status).toBe(201);
    expect((await call(stack, "POST", "/v1/feeds", "dev-amc1", { items: [appraisal(sold, now, 3)] })).status).toBe(201);
    const offer = await call(stack, "POST", `/v1/claims/${sold}/offers`, "dev-amc1", {});
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    offerId = offer.body.offers[0].offerId;
    // Two calls to the debtor now: the second at least breaks the daily cap of 1 (the first may break the hours).
    for (let i = 0; i < 2; i++) {
      await call(stack, "POST", "/v1/evidence", "dev-amc1", {
        claimId: sold, kind: "call", channel: "phone", direction: "outbound", occurredAt: iso(now), actor: "collector-1",
        counterparty: { name: "卖方测试", relation: "debtor" }, content: `call ${i}`,
      });
    }
    await call(stack, "POST", "/v1/evidence/flush", "dev-admin");
  }, 60_000);

  const reads = () => ({
    evidence: `/v1/claims/${sold}/evidence`,
    receipt: `/v1/evidence/${recordId}/receipt`,
    feeds: `/v1/claims/${sold}/feeds`,
    surveys: `/v1/claims/${sold}/surveys`,
    offers: `/v1/claims/${sold}/offers`,
    offer: `/v1/offers/${offerId}`,
    assessment: `/v1/claims/${sold}/assessment`,
  });

  it("another AMC, a court without a case before it, an oracle peer and a feed read on-chain facts only", async () => {
    for (const key of ["dev-amc2", "dev-court", ORACLE_KEY, FEED_KEY]) {
      const refused: Record<string, number> = {};
      for (const [what, path] of Object.entries(reads())) {
        const r = await call(stack, "GET", path, key);
        refused[what] = r.status;
        if (r.status === 403) expect(r.body, `${key} ${what}`).toMatchObject({ error: "FORBIDDEN", details: { messages: { en: expect.any(String), "zh-CN": expect.any(String) } } });
      }
      expect({ key, refused }).toEqual({ key, refused: Object.fromEntries(Object.keys(reads()).map((k) => [k, 403])) });
      // The claim itself: holder and terms (on chain) yes; contract number and off-chain details no.
      const claim = await call(stack, "GET", `/v1/claims/${sold}`, key);
      expect(claim.status).toBe(200);
      expect(claim.body.onChain.holder.toLowerCase()).toBe(amc1.toLowerCase());
      expect(claim.body.offChain, key).toBeNull();
      expect(claim.body.offChainWithheld, key).toMatchObject({ reason: "not-a-party" });
      expect(JSON.stringify(claim.body)).not.toContain(CONTRACT_NO);
      // The case: its on-chain timeline yes, the off-chain items (feeds, surveys) no.
      const kase = await call(stack, "GET", `/v1/cases/${sold}`, key);
      expect(kase.status).toBe(200);
      expect(kase.body.timeline.filter((i: { type: string }) => i.type === "report")).toHaveLength(1);
      expect(kase.body.timeline.filter((i: { offChain?: boolean }) => i.offChain), key).toEqual([]);
      expect(kase.body.offChainWithheld, key).toBe(true);
      // Lists: the claim is not among the caller's.
      const list = await call(stack, "GET", "/v1/claims?limit=1000", key);
      expect(JSON.stringify(list.body), key).not.toContain(sold.slice(2, 20));
      expect(JSON.stringify(list.body), key).not.toContain(CONTRACT_NO);
    }
  });

  it("the audit of refused contacts: the operator's admin sees them, a court only for claims before it", async () => {
    const admin = await call(stack, "GET", `/v1/evidence/refused?claimId=${sold}`, "dev-admin");
    expect(admin.body.refused.length).toBeGreaterThan(0);
    const court = await call(stack, "GET", `/v1/evidence/refused?claimId=${sold}`, "dev-court");
    expect(court.status).toBe(200);
    expect(court.body.refused).toEqual([]);
  });

  it("the holder, its collector, the originating bank and the operator's admin read the details", async () => {
    for (const key of ["dev-amc1", "dev-collector", "dev-bank", "dev-admin"]) {
      for (const [what, path] of Object.entries(reads())) {
        const r = await call(stack, "GET", path, key);
        expect({ key, what, status: r.status }).toEqual({ key, what, status: 200 });
      }
      const claim = await call(stack, "GET", `/v1/claims/${sold}`, key);
      expect(claim.body.offChain.contractNo, key).toBe(CONTRACT_NO);
      // Personal data: the parties yes, the operator's admin no.
      expect(claim.body.offChain.personalDataRedacted, key).toBe(key === "dev-admin");
      const kase = await call(stack, "GET", `/v1/cases/${sold}`, key);
      expect(kase.body.timeline.filter((i: { offChain?: boolean }) => i.offChain).length, key).toBeGreaterThan(0);
    }
  });
});
