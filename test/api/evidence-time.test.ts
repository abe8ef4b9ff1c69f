import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { advanceChain, chainTimeMs, DAY_MS } from "../helpers/clock.js";
import { verifyBundleOnChain } from "../../src/chain/verify-bundle.js";
import { checkEvidenceTime } from "../../src/core/evidence-time.js";

/**
 * The time rules of evidence records (issue 14), as a dishonest recorder would try them: a buyer
 * backdating a contact into the seller's time (or 1999), a contact recorded weeks after it happened, and
 * prior history that only the originator may state, shown as its statement, never as a contact.
 */

let stack: TestStack;
let sold: string; // registered, then sold to dev-amc three days later
let kept: string; // registered and kept by the bank
let registeredAt: number; // block time of the registrations, ms
let soldAt: number; // block time of the sale, ms
let now: number; // the chain's time once moved on 40 days, ms
let n = 0;

const iso = (ms: number) => new Date(ms).toISOString();

/** A letter (not bound to contact hours) on `claimId`, dated `at`. */
function letter(claimId: string, at: number, extra: Record<string, unknown> = {}) {
  n++;
  return {
    claimId, kind: "letter", channel: "post", direction: "outbound", occurredAt: iso(at), actor: "collector-9",
    counterparty: { name: "赵六", relation: "debtor" }, content: `催收函 ${n} / demand letter ${n}`, ...extra,
  };
}

/** The originator's statement of an event from before the registration. */
function prior(claimId: string, at: number, extra: Record<string, unknown> = {}) {
  n++;
  return {
    claimId, kind: "prior-history", priorEvent: "demand", channel: "post", direction: "outbound", occurredAt: iso(at), actor: "bank-archive",
    counterparty: { name: "赵六", relation: "debtor" }, content: `登记前的催收函（银行档案）${n} / demand letter before registration ${n}`, ...extra,
  };
}

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  const register = async (no: string) => {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, { debtor: { name: "赵六", idNumber: "110101198505055554", phone: "13600136000", type: "retail", debtorId: `D-${no}` } }));
    expect(r.status).toBe(201);
    return r.body.claimId as string;
  };
  sold = await register("TIME-1");
  kept = await register("TIME-2");
  registeredAt = await chainTimeMs(stack.chainUrl);
  await advanceChain(stack.chainUrl, 3 * DAY_MS);
  const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [sold], to: amc, packageId: "PKG-TIME", price: "1", notice: "债权转让通知" })).status).toBe(201);
  soldAt = await chainTimeMs(stack.chainUrl);
  now = await advanceChain(stack.chainUrl, 40 * DAY_MS);
}, 120_000);
afterAll(async () => stack?.stop());

describe("a contact may not predate the recorder's holding of the claim", () => {
  it("a buyer's contact dated 1999 is refused with 422 naming the rule before-holding", async () => {
    const r = await call(stack, "POST", "/v1/evidence", "dev-amc", letter(sold, Date.UTC(1999, 4, 1, 2)));
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: "COMPLIANCE", rule: "before-holding", field: "occurredAt" });
    expect(r.body.details).toMatchObject({ holdingSince: iso(soldAt) });
    expect(r.body.details.messages["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
  });

  it("nor may the buyer (or its collector) date a contact in the seller's time, after the registration but before the sale", async () => {
    for (const key of ["dev-amc", "dev-collector"]) {
      const r = await call(stack, "POST", "/v1/evidence", key, letter(sold, registeredAt + DAY_MS));
      expect(r.status).toBe(422);
      expect(r.body.rule).toBe("before-holding");
    }
    // In a batch, the item is refused by index and names its field.
    const batch = await call(stack, "POST", "/v1/evidence/batch", "dev-amc", { records: [letter(sold, now - DAY_MS), letter(sold, soldAt - 1000)] });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ accepted: 1, refused: 1 });
    expect(batch.body.results[1].error).toMatchObject({ error: "COMPLIANCE", rule: "before-holding", field: "records[1].occurredAt" });
  });
});

describe("a contact may not lie more than EVIDENCE_MAX_BACKDATE_DAYS (30) before it is recorded", () => {
  it("31 days old: refused with the rule backdated; 29 days old: accepted", async () => {
    const old = await call(stack, "POST", "/v1/evidence", "dev-amc", letter(sold, now - 31 * DAY_MS));
    expect(old.status).toBe(422);
    expect(old.body).toMatchObject({ rule: "backdated", field: "occurredAt", details: { maxBackdateDays: 30 } });
    const recent = await call(stack, "POST", "/v1/evidence", "dev-amc", letter(sold, now - 29 * DAY_MS));
    expect(recent.status).toBe(201);
    // The bank, holding its claim since the registration, is bound by the same window.
    expect((await call(stack, "POST", "/v1/evidence", "dev-bank", letter(kept, now - 31 * DAY_MS))).body.rule).toBe("backdated");
  });

  it("the rule reads the configured window (core, time as an argument)", () => {
    const facts = { nowMs: 100 * DAY_MS, holdingSinceMs: 0, registeredAtMs: 0, maxBackdateDays: 10 };
    expect(checkEvidenceTime("call", 89 * DAY_MS, facts, "outbound")?.rule).toBe("backdated");
    expect(checkEvidenceTime("call", 91 * DAY_MS, facts, "outbound")).toBeNull();
    expect(checkEvidenceTime("survey", 1, facts, "internal")).toBeNull(); // facts about the collateral are not contacts
    expect(checkEvidenceTime("survey", 1, facts, "inbound")?.rule).toBe("backdated"); // a person on the other side: a contact
    expect(checkEvidenceTime("prior-history", 91 * DAY_MS, facts, "outbound")?.rule).toBe("after-registration");
  });
});

describe("history from before the registration: the originator's statement, kind prior-history", () => {
  let recordId: string;

  it("is accepted from the originator, dated years before the registration, outside contact hours too", async () => {
    const r = await call(stack, "POST", "/v1/evidence", "dev-bank", prior(kept, registeredAt - 2 * 365 * DAY_MS));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    recordId = r.body.recordId;
    const payment = await call(stack, "POST", "/v1/evidence", "dev-bank", prior(kept, registeredAt - 400 * DAY_MS, {
      priorEvent: "payment", kind: "prior-history", channel: "bank-transfer", direction: "inbound",
    }));
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
  });

  it("is listed as the originator's statement with the date it was entered, never as a contemporaneous record", async () => {
    const list = await call(stack, "GET", `/v1/claims/${kept}/evidence`, "dev-bank");
    expect(list.status).toBe(200);
    const row = list.body.records.find((x: any) => x.recordId === recordId);
    expect(row).toMatchObject({
      nature: "originator-statement",
      statement: { by: "originator", event: "demand" },
      record: { kind: "prior-history", priorEvent: "demand", occurredAt: iso(registeredAt - 2 * 365 * DAY_MS) },
    });
    // recordedAt is in the hashed record: when the statement was made, not when the event was.
    expect(row.record.recordedAt).toBe(row.statement.recordedAt);
    expect(Date.parse(row.record.recordedAt)).toBeGreaterThan(registeredAt);
    for (const other of list.body.records.filter((x: any) => x.record.kind !== "prior-history")) expect(other.nature).toBe("contemporaneous");
    // Anchored, its proof bundle carries the statement and verifies against the chain alone.
    expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).status).toBe(200);
    const receipt = (await call(stack, "GET", `/v1/evidence/${recordId}/receipt`, "dev-bank")).body;
    expect(receipt.status).toBe("anchored");
    expect(receipt.record).toMatchObject({ kind: "prior-history", priorEvent: "demand", recordedAt: row.record.recordedAt });
    const provider = new JsonRpcProvider(stack.chainUrl);
    const { status: _s, ...bundle } = receipt;
    expect((await verifyBundleOnChain(bundle, provider)).verified).toBe(true);
    provider.destroy();
  });

  it("is refused from anyone but the originator (the buyer, its collector), and when dated after the registration", async () => {
    for (const key of ["dev-amc", "dev-collector"]) {
      const r = await call(stack, "POST", "/v1/evidence", key, prior(sold, registeredAt - 30 * DAY_MS));
      expect(r.status).toBe(403);
    }
    const amc = await call(stack, "POST", "/v1/evidence", "dev-amc", prior(sold, registeredAt - 30 * DAY_MS));
    expect(amc.body).toMatchObject({ error: "FORBIDDEN", rule: "originator-only" });
    const later = await call(stack, "POST", "/v1/evidence", "dev-bank", prior(kept, registeredAt + DAY_MS));
    expect(later.status).toBe(422);
    expect(later.body).toMatchObject({ rule: "after-registration", field: "occurredAt" });
  });

  it("needs priorEvent, and priorEvent goes with prior-history only (400 naming the field)", async () => {
    const { priorEvent: _p, ...without } = prior(kept, registeredAt - DAY_MS);
    const missing = await call(stack, "POST", "/v1/evidence", "dev-bank", without);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ field: "priorEvent", rule: "required-with-kind-prior-history" });
    const stray = await call(stack, "POST", "/v1/evidence", "dev-bank", letter(kept, now - DAY_MS, { priorEvent: "demand" }));
    expect(stray.status).toBe(400);
    expect(stray.body.field).toBe("priorEvent");
    const unknown = await call(stack, "POST", "/v1/evidence", "dev-bank", prior(kept, registeredAt - DAY_MS, { priorEvent: "threat" }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe("body.priorEvent");
  });
});

describe("the service's own records", () => {
  it("system notices (recordSystemMany) are dated by the service and keep working", async () => {
    const [r] = await appScope(stack.api).evidence.recordSystemMany([{
      claimId: sold, kind: "notice", channel: "post", direction: "outbound", occurredAt: iso(soldAt - DAY_MS), actor: "oracle",
      counterparty: { name: "赵六", relation: "debtor" }, content: `系统通知 ${now}`,
    }]);
    expect(r.created).toBe(true);
  });
});
