import { documentCommitment } from "../../src/core/commitment.js";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { advanceDays, caseView, chainNow as chainClock, runCycle } from "../helpers/oracle.js";
import { contentHashOf } from "../../src/core/evidence.js";

const DAY = 86_400;
const CLAUSES = { warnDays: 5, demandDays: 30, arbitrationDays: 180, coverageBps: 12_000, noticeDays: 15 };
const COLLATERAL = "40000000";
let stack: TestStack;
let provider: JsonRpcProvider;
let amc: string;
let defaulting: string; // accepted, one installment paid, the next missed
let repaying: string; // accepted, every installment paid

const chainNow = () => chainClock(provider);
const advance = (days: number) => advanceDays(provider, days);
/** Moves the chain clock to noon (China time) of `date` plus `days`. */
async function advanceTo(date: string, days: number): Promise<void> {
  const target = Date.parse(`${date}T12:00:00+08:00`) / 1000 + days * DAY;
  const now = await chainNow();
  if (target > now) {
    await provider.send("evm_increaseTime", [target - now]);
    await provider.send("evm_mine", []);
  }
}
async function status(claimId: string, figures: Record<string, unknown>) {
  const r = await call(stack, "POST", "/v1/loan-status", "dev-amc", {
    claimId, asOf: new Date((await chainNow()) * 1000).toISOString(), collateralValue: COLLATERAL, ...figures,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
}
/** A status reported against the plan: its installments as the schedule, the payments made so far. */
async function planStatus(claimId: string, plan: any, payments: Array<{ paidAt: string; amount: string }>, outstanding: string) {
  await status(claimId, { schedule: plan.installments.map((i: any) => ({ dueDate: i.dueDate, principal: i.amount })), payments, outstanding });
}
const cycle = () => runCycle(stack);
const caseOf = (claimId: string) => caseView(stack, claimId);
const path = (c: any) => c.timeline.filter((t: any) => t.type === "state-changed").map((t: any) => t.details.to);
async function offer(id: string, key = "dev-amc") {
  const r = await call(stack, "GET", `/v1/offers/${id}`, key);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
async function verifies(contentHash: string, kind: string, direction: string) {
  // With the holder's key: an anonymous caller learns only verified and the anchor, not the record.
  const v = await call(stack, "POST", "/v1/verify", "dev-amc", { contentHash });
  expect(v.status).toBe(200);
  expect(v.body.verified, JSON.stringify(v.body)).toBe(true);
  expect(v.body.bundle.record).toMatchObject({ kind, direction });
}

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  provider = new JsonRpcProvider(stack.chainUrl, undefined, { cacheTimeout: -1 }); // "latest" right after evm_mine
  const register = async (contractNo: string, name: string, idNumber: string) => {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(contractNo, {
      debtor: { name, idNumber, type: "retail", debtorId: `D-${contractNo}` }, clauses: CLAUSES,
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.claimId as string;
  };
  defaulting = await register("MED-1", "孙八", "110101198003030031");
  repaying = await register("MED-2", "周九", "110101198004040047");
  amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", {
    claimIds: [defaulting, repaying], to: amc, packageId: "PKG-MED", price: "30000000", notice: "债权转让通知 / notice of assignment",
  });
  expect(sold.status, JSON.stringify(sold.body)).toBe(201);
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await stack?.stop();
});

describe("mediation end to end", () => {
  let pendingId: string;
  let planOfDefaulting: any;

  it("the claims go overdue → warned → demanded from loan statuses", async () => {
    await status(defaulting, { daysPastDue: 0, outstanding: "85000000" });
    await status(repaying, { daysPastDue: 0, outstanding: "85000000" });
    await cycle();
    await advance(2);
    await status(defaulting, { daysPastDue: 6, outstanding: "85000000" });
    await status(repaying, { daysPastDue: 6, outstanding: "85000000" });
    await cycle();
    expect((await caseOf(repaying)).state).toBe("warned");
    await advance(15); // the demand waits the warning's notice period (15 days) in block time
    await status(defaulting, { daysPastDue: 35, outstanding: "85000000" });
    await cycle();
    const c = await caseOf(defaulting);
    expect(c.state).toBe("demanded");
    expect(path(c)).toEqual(["overdue", "warned", "demanded"]);
  });

  it("a collector's plan beyond its discount limit waits for approval; its letter is not sent yet", async () => {
    const r = await call(stack, "POST", `/v1/claims/${defaulting}/offers`, "dev-collector", { plan: { installments: 3, discountBps: 1_500 }, lumpSum: false });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.facts).toMatchObject({ source: "loan-status", daysPastDue: 35, outstanding: "85000000", classification: "special-mention", region: "shanghai" });
    expect(r.body.offers).toHaveLength(1);
    const o = r.body.offers[0];
    expect(o.status).toBe("pending-approval");
    expect(o.authority).toMatchObject({ proposerRole: "collector", withinAuthority: false, exceeds: ["discount"] });
    expect(o.authority.approverRoles).toContain("amc");
    expect(BigInt(o.figures.expectedPresentValue)).toBeGreaterThan(BigInt(r.body.benchmark.presentValue));
    expect(o.plan.installments.reduce((s: bigint, i: any) => s + BigInt(i.amount), 0n)).toBe(BigInt(o.plan.total));
    expect(o.plan.total).toBe("72250000");
    expect(o.reasons.map((x: any) => x.code)).toEqual(expect.arrayContaining(["beats-best-path", "needs-approval"]));
    expect(o.letter.recordId).toBeNull();
    expect(o.letter.text).toContain("和解方案通知书");
    expect(o.letter.text).toContain("孙八");
    expect(o.letter.text).toContain(o.planHash);
    expect(contentHashOf(o.letter.text)).toBe(o.letter.contentHash);
    pendingId = o.offerId;
    planOfDefaulting = o.plan;

    const notYet = await call(stack, "POST", `/v1/offers/${pendingId}/accept`, "dev-collector", { channel: "in-person" });
    expect(notYet.status).toBe(409);
    expect(notYet.body.rule).toBeUndefined();
    expect(notYet.body.details).toMatchObject({ reason: "needs-approval" });
    expect(notYet.body.details.messages["zh-CN"]).toMatch(/审批/);
  });

  it("callers off the holder's side may not propose nor read offers; the operator's admin reads them without personal data", async () => {
    const other = await call(stack, "POST", `/v1/claims/${defaulting}/offers`, "dev-amc2", {});
    expect(other.status).toBe(403);
    expect(other.body.details.messages["zh-CN"]).toMatch(/持有人/);
    const byBank = await call(stack, "POST", `/v1/claims/${defaulting}/offers`, "dev-bank", {});
    expect(byBank.status).toBe(403); // sold: the bank no longer holds it
    // Another AMC reads none of another holder's offers (issue 14).
    expect((await call(stack, "GET", `/v1/offers/${pendingId}`, "dev-amc2")).status).toBe(403);
    expect((await call(stack, "GET", `/v1/claims/${defaulting}/offers`, "dev-amc2")).status).toBe(403);
    const redacted = await call(stack, "GET", `/v1/offers/${pendingId}`, "dev-admin");
    expect(redacted.body.personalDataRedacted).toBe(true);
    expect(redacted.body.letter.text).toBeUndefined();
  });

  it("the holder approves; the letter is issued and recorded as evidence", async () => {
    expect((await call(stack, "POST", `/v1/offers/${pendingId}/approve`, "dev-collector")).status).toBe(403);
    expect((await call(stack, "POST", `/v1/offers/${pendingId}/approve`, "dev-amc2")).status).toBe(403);
    const r = await call(stack, "POST", `/v1/offers/${pendingId}/approve`, "dev-amc");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe("proposed");
    expect(r.body.approval.by.role).toBe("amc");
    expect(r.body.letter.recordId).toMatch(/^0x[0-9a-f]{64}$/);
    const again = await call(stack, "POST", `/v1/offers/${pendingId}/approve`, "dev-amc");
    expect(again.body.letter.recordId).toBe(r.body.letter.recordId);
    const evidence = await call(stack, "GET", `/v1/claims/${defaulting}/evidence`, "dev-amc");
    const letters = evidence.body.records.filter((x: any) => x.record.contentHash === r.body.letter.contentHash);
    expect(letters).toHaveLength(1);
    expect(letters[0].record).toMatchObject({ kind: "restructuring", direction: "outbound" });
  });

  it("the debtor accepts: the acceptance is evidence and the case is restructured on chain with the plan's hash", async () => {
    const r = await call(stack, "POST", `/v1/offers/${pendingId}/accept`, "dev-collector", { channel: "in-person" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe("accepted");
    // On chain a salted commitment to the plan (its terms are guessable: a bare hash would give them away).
    expect(r.body.case).toMatchObject({ state: "restructured", planHash: r.body.planCommitment, planOnChain: true });
    expect(r.body.planCommitment).not.toBe(r.body.planHash);
    expect(documentCommitment(r.body.planSalt, r.body.planHash)).toBe(r.body.planCommitment);
    expect(r.body.acceptance.text).toContain("和解方案确认书");
    expect(r.body.acceptance.text).toContain(r.body.planHash);
    expect(r.body.acceptance.recordId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(r.body.planStatus).toBe("in-force");
    const c = await caseOf(defaulting);
    expect(c.state).toBe("restructured");
    const restructured = c.timeline.find((t: any) => t.type === "restructured");
    expect(restructured.details).toEqual({ planHash: r.body.planCommitment, installments: 3 });
    expect(restructured.txHash).toBe(r.body.restructure.txHash);
    // Accepting again changes nothing and sends nothing.
    const again = await call(stack, "POST", `/v1/offers/${pendingId}/accept`, "dev-collector", { channel: "in-person" });
    expect(again.body.restructure.txHash).toBe(r.body.restructure.txHash);
    // No new offers while the plan is in force.
    const busy = await call(stack, "POST", `/v1/claims/${defaulting}/offers`, "dev-amc", {});
    expect(busy.status).toBe(409);
    expect(busy.body.details.reason).toBe("plan-in-force");
  });

  it("an installment paid on time keeps the case restructured; the offer shows it paid", async () => {
    const [first] = planOfDefaulting.installments;
    await advanceTo(first.dueDate, 1);
    await planStatus(defaulting, planOfDefaulting, [{ paidAt: first.dueDate, amount: first.amount }], String(72_250_000n - BigInt(first.amount)));
    const r = await cycle();
    expect(r.applied).toBe(1);
    const c = await caseOf(defaulting);
    expect(c.state).toBe("restructured");
    expect(c.timeline.at(-1)).toMatchObject({ type: "report", details: { daysPastDue: 0, outstanding: String(72_250_000n - BigInt(first.amount)) } });
    const o = await offer(pendingId);
    expect(o.tracking.installments.map((i: any) => i.state)).toEqual(["paid", "upcoming", "upcoming"]);
    expect(o.tracking.installments[0].paidOn).toBe(first.dueDate);
    expect(o.tracking).toMatchObject({ source: "payments", paidCount: 1, missedCount: 0, completed: false });
    expect(o.planStatus).toBe("in-force");
  });

  it("a missed installment resumes the ladder: restructured → overdue", async () => {
    const [first, second] = planOfDefaulting.installments;
    await advanceTo(second.dueDate, 2);
    await planStatus(defaulting, planOfDefaulting, [{ paidAt: first.dueDate, amount: first.amount }], String(72_250_000n - BigInt(first.amount)));
    await cycle();
    const c = await caseOf(defaulting);
    expect(c.state).toBe("overdue");
    expect(path(c)).toEqual(["overdue", "warned", "demanded", "restructured", "overdue"]);
    const o = await offer(pendingId);
    expect(o.tracking.installments.map((i: any) => i.state)).toEqual(["paid", "missed", "upcoming"]);
    expect(o.tracking.nextDue.n).toBe(2);
    expect(o.planStatus).toBe("defaulted");
    expect(o.case).toMatchObject({ state: "overdue", planOnChain: true });
    // With the plan in default, new offers may be made again.
    const fresh = await call(stack, "POST", `/v1/claims/${defaulting}/offers`, "dev-amc", {});
    expect([200, 201]).toContain(fresh.status);
  });

  describe("the happy path: every installment paid closes the case", () => {
    let offerId: string;
    let plan: any;
    const signedCopy = contentHashOf("scan of the signed acceptance 周九 / 签字确认书扫描件");

    it("the holder proposes a plan within its authority (proposed at once) and the debtor accepts", async () => {
      const r = await call(stack, "POST", `/v1/claims/${repaying}/offers`, "dev-amc", { plan: { installments: 2, discountBps: 500 } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const o = r.body.offers.find((x: any) => x.type === "installments");
      expect(o.status).toBe("proposed");
      expect(o.authority.withinAuthority).toBe(true);
      expect(o.letter.recordId).toMatch(/^0x[0-9a-f]{64}$/);
      const lump = r.body.offers.find((x: any) => x.type === "lump-sum");
      if (lump) expect(lump.terms).toBe("searched");
      offerId = o.offerId;
      plan = o.plan;
      const accepted = await call(stack, "POST", `/v1/offers/${offerId}/accept`, "dev-amc", { channel: "app", signedCopyHash: signedCopy });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(accepted.body.case.state).toBe("restructured");
      expect(accepted.body.acceptance.attachments).toEqual([signedCopy]);
      // The other offer of the same proposal is superseded by the accepted one.
      if (lump) expect((await offer(lump.offerId)).status).toBe("superseded");
    });

    it("an acceptance interrupted after the transaction went out is finished by a retry without a second transaction", async () => {
      const { offers } = appScope(stack.api).repos.offers;
      const stored = (await offers.get(offerId))!;
      const txHash = stored.restructure!.txHash;
      await offers.put(offerId, { ...stored, status: "accepting", restructure: undefined, acceptedAt: undefined });
      expect((await offer(offerId)).status).toBe("accepting");
      const retry = await call(stack, "POST", `/v1/offers/${offerId}/accept`, "dev-amc", { channel: "app" });
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      expect(retry.body.status).toBe("accepted");
      expect(retry.body.restructure.txHash).toBe(txHash);
      expect((await caseOf(repaying)).timeline.filter((t: any) => t.type === "restructured")).toHaveLength(1);
    });

    it("installments paid → outstanding 0 → closed; the offer shows the plan completed", async () => {
      const [first, second] = plan.installments;
      await advanceTo(first.dueDate, 0);
      await planStatus(repaying, plan, [{ paidAt: first.dueDate, amount: first.amount }], second.amount);
      await cycle();
      expect((await caseOf(repaying)).state).toBe("restructured");
      await advanceTo(second.dueDate, 0);
      await planStatus(repaying, plan, [{ paidAt: first.dueDate, amount: first.amount }, { paidAt: second.dueDate, amount: second.amount }], "0");
      await cycle();
      const c = await caseOf(repaying);
      expect(c.state).toBe("closed");
      expect(c.timeline.find((t: any) => t.type === "closed").details.reason).toBe("repaid");
      expect(path(c)).toEqual(["overdue", "warned", "restructured", "closed"]);
      const o = await offer(offerId);
      expect(o.planStatus).toBe("completed");
      expect(o.tracking.installments.map((i: any) => i.state)).toEqual(["paid", "paid"]);
      expect(o.tracking.remaining).toBe("0");
      // The originating bank keeps reading it (retention); a court only once a case is before it.
      const list = await call(stack, "GET", `/v1/claims/${repaying}/offers`, "dev-bank");
      expect(list.body.offers.map((x: any) => x.offerId)).toContain(offerId);
      expect((await call(stack, "GET", `/v1/claims/${repaying}/offers`, "dev-court")).status).toBe(403);
    });
  });

  it("every document along the way verifies as evidence once anchored", async () => {
    const flushed = await call(stack, "POST", "/v1/evidence/flush", "dev-admin");
    expect(flushed.body.status, JSON.stringify(flushed.body)).toBe("anchored");
    const docs = [];
    for (const claimId of [defaulting, repaying]) {
      const list = await call(stack, "GET", `/v1/claims/${claimId}/offers`, "dev-amc");
      for (const o of list.body.offers.filter((x: any) => x.status === "accepted")) {
        docs.push([o.letter.contentHash, "restructuring", "outbound"], [o.acceptance.contentHash, "restructuring", "inbound"]);
        for (const a of o.acceptance.attachments ?? []) docs.push([a, "restructuring", "inbound"]);
      }
    }
    expect(docs).toHaveLength(5);
    for (const [hash, kind, direction] of docs) await verifies(hash!, kind!, direction!);
  });

  it("bad input names the field", async () => {
    const bad = await call(stack, "POST", `/v1/claims/${repaying}/offers`, "dev-amc", { plan: { discountBps: 20_000 } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toMatch(/plan/);
    const unknown = await call(stack, "GET", `/v1/offers/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`, "dev-amc");
    expect(unknown.status).toBe(404);
    const closed = await call(stack, "POST", `/v1/claims/${repaying}/offers`, "dev-amc", {});
    expect(closed.status).toBe(409);
    expect(closed.body.details.reason).toBe("case-state");
  });
});
