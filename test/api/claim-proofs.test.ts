import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { caseView, runCycle } from "../helpers/oracle.js";
import { advanceChain, chainTimeMs, chinaDay, DAY_MS } from "../helpers/clock.js";
import { addMonths, dayOf, formatDay } from "../../src/core/dates.js";
import { syntheticIdNumber } from "../../src/core/id-number.js";

/**
 * Service of documents (送达) and the claim's 证据目录 / 时效中断证明 over HTTP on a real chain node. Dates come from
 * the chain's clock: the claim fell due three years less 40 days ago, so without an interruption its limitation
 * period is expiring; a letter sent now and proven delivered makes it run three years from delivery.
 */

let stack: TestStack;
let now: number;
let maturity: number;
let claim: string;
let other: string;
let letter: string;
let n = 0;

const iso = (ms: number) => new Date(ms).toISOString();
function record(claimId: string, kind: string, at: number, extra: Record<string, unknown> = {}) {
  n++;
  return {
    claimId, kind, channel: "post", direction: "outbound", occurredAt: iso(at), actor: "collector-3",
    counterparty: { name: "王五", relation: "debtor" }, content: `文书 ${n} / document ${n}`, ...extra,
  };
}
const proof = (claimId: string, notice: string, at: number, delivery: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  record(claimId, "delivery-proof", at, { direction: "inbound", delivery: { notice, ...delivery }, ...extra });
const get = (path: string, key: string | null) => stack.api.inject({ method: "GET", url: path, headers: key ? { authorization: `Bearer ${key}` } : {} });

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  const today = dayOf(chinaDay(await chainTimeMs(stack.chainUrl)));
  maturity = addMonths(today, -36) + 40;
  const register = async (no: string) => {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, {
      originatedAt: formatDay(addMonths(maturity, -36)), maturityAt: formatDay(maturity),
      debtor: { name: "王五", idNumber: syntheticIdNumber("110101", ++n), type: "retail", debtorId: `D-${no}` },
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.claimId as string;
  };
  claim = await register("SVC-1");
  other = await register("SVC-2");
  now = await chainTimeMs(stack.chainUrl);
  const sent = await call(stack, "POST", "/v1/evidence", "dev-bank", record(claim, "letter", now + 1000));
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  letter = sent.body.recordId;
}, 180_000);
afterAll(async () => stack?.stop());

describe("POST /v1/evidence (delivery-proof)", () => {
  it("as the dishonest holder: a proof of another claim's letter, one dated before the letter was sent, delivery details on a letter, and a proof without them are refused, naming the field", async () => {
    const foreign = await call(stack, "POST", "/v1/evidence", "dev-bank", proof(other, letter, now + 5000, { method: "signed-receipt" }));
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ field: "delivery.notice", rule: "notice-of-this-claim" });
    const backdated = await call(stack, "POST", "/v1/evidence", "dev-bank", proof(claim, letter, now, { method: "signed-receipt" }));
    expect(backdated.body).toMatchObject({ field: "occurredAt", rule: "delivered-before-sent" });
    const onLetter = await call(stack, "POST", "/v1/evidence", "dev-bank", record(claim, "letter", now + 2000, { delivery: { notice: letter, method: "signed-receipt" } }));
    expect(onLetter.body).toMatchObject({ field: "delivery", rule: "only-with-kind-delivery-proof" });
    const bare = await call(stack, "POST", "/v1/evidence", "dev-bank", record(claim, "delivery-proof", now + 2000, { direction: "inbound" }));
    expect(bare.body).toMatchObject({ field: "delivery", rule: "required-with-kind-delivery-proof" });
    const noOutcome = await call(stack, "POST", "/v1/evidence", "dev-bank", proof(claim, letter, now + 2000, { method: "ems" }));
    expect(noOutcome.body).toMatchObject({ field: "delivery.outcome", rule: "required-with-method-ems" });
  });

  it("诉讼时效规定第八条: the letter proven delivered (EMS signed for by the debtor) interrupts: the period runs three years from delivery; the address reaches the record only as a salted hash", async () => {
    const before = JSON.parse((await get(`/v1/claims/${claim}/limitation`, "dev-bank")).body);
    expect(before.periods.find((p: { kind: string }) => p.kind === "litigation")).toMatchObject({ expiresAt: formatDay(addMonths(maturity, 36)), status: "expiring" });
    const delivered = now + 120_000;
    const res = await call(stack, "POST", "/v1/evidence", "dev-bank", proof(claim, letter, delivered, { method: "ems", outcome: "signed", address: "北京市朝阳区某路8号" }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const list = await call(stack, "GET", `/v1/claims/${claim}/evidence`, "dev-bank");
    const stored = list.body.records.at(-1).record;
    expect(stored.delivery).toMatchObject({ notice: letter, method: "ems", outcome: "signed", addressHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(JSON.stringify(stored)).not.toContain("朝阳");
    const after = JSON.parse((await get(`/v1/claims/${claim}/limitation?lang=en`, "dev-bank")).body);
    const day = dayOf(chinaDay(delivered));
    expect(after.periods.find((p: { kind: string }) => p.kind === "litigation")).toMatchObject({ expiresAt: formatDay(addMonths(day, 36)), status: "running" });
    expect(after.records.find((r: { recordId: string }) => r.recordId === letter)).toMatchObject({ event: "events[0]", type: "demand", delivery: { proof: res.body.recordId, method: "ems" } });
    expect(after.deliveries).toEqual([{ notice: letter, delivered: expect.objectContaining({ proof: res.body.recordId }), proofs: [expect.objectContaining({ counted: true, reasonCode: "ems-signed", reason: expect.stringContaining("art. 8(1)(2)") })] }]);
  });
});

describe("GET /v1/claims/:id/interruption-proof, /evidence-catalogue; POST /v1/verify/interruption-proof", () => {
  let proofDoc: any;
  beforeAll(async () => {
    const flush = await call(stack, "POST", "/v1/evidence/flush", "dev-admin");
    expect(flush.body.status, JSON.stringify(flush.body)).toBe("anchored");
    const res = await get(`/v1/claims/${claim}/interruption-proof`, "dev-bank");
    expect(res.statusCode, res.body).toBe(200);
    proofDoc = JSON.parse(res.body);
  }, 60_000);

  it("the proof's chain is the delivered letter with its bundle and its delivery proof's bundle; anyone verifies it without a key", async () => {
    expect(proofDoc).toMatchObject({ type: "limitation-interruption-proof", claimId: claim, complete: true, claim: { holder: "bank", collateral: false } });
    expect(proofDoc.links).toHaveLength(1);
    expect(proofDoc.links[0]).toMatchObject({ type: "demand", effect: "interrupted", record: { status: "anchored" }, delivery: { method: "ems", proof: { status: "anchored" } } });
    const v = await stack.api.inject({ method: "POST", url: "/v1/verify/interruption-proof", payload: proofDoc });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ verified: true, check: { ok: true }, maturity: { stated: formatDay(maturity), onChain: formatDay(maturity), ok: true } });
    expect(v.json().bundles.map((b: { at: string; verified: boolean }) => [b.at, b.verified])).toEqual([["links[0].record", true], ["links[0].delivery.proof", true]]);
  });

  it("as the dishonest holder: a later stated last day, or a later stated maturity, fails verification", async () => {
    const later = structuredClone(proofDoc);
    later.periods[0].expiresAt = formatDay(dayOf(later.periods[0].expiresAt) + 365);
    const a = (await stack.api.inject({ method: "POST", url: "/v1/verify/interruption-proof", payload: later })).json();
    expect(a).toMatchObject({ verified: false, check: { problems: [expect.objectContaining({ code: "period-mismatch" })] } });
    const moved = structuredClone(proofDoc);
    moved.claim.maturityAt = formatDay(maturity + 200);
    const b = (await stack.api.inject({ method: "POST", url: "/v1/verify/interruption-proof", payload: moved })).json();
    expect(b).toMatchObject({ verified: false, maturity: { ok: false, onChain: formatDay(maturity) } });
    const junk = await stack.api.inject({ method: "POST", url: "/v1/verify/interruption-proof", payload: { type: "limitation-interruption-proof" } });
    expect(junk.statusCode).toBe(200);
    expect(junk.json()).toMatchObject({ verified: false, check: { problems: [expect.objectContaining({ code: "malformed" })] } });
  });

  it("printable: ?format=html is Chinese first, then the English translation, with no script", async () => {
    const res = await get(`/v1/claims/${claim}/interruption-proof?format=html`, "dev-bank");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    const body = res.body.slice(res.body.indexOf("<body"));
    expect(body.indexOf("诉讼时效中断证明")).toBeLessThan(body.indexOf("Proof of the interruption"));
    expect(body).not.toContain("<script");
  });

  it("在线诉讼规则第十六至十九条: the catalogue lists the letter (delivered, pointing at its proof) and the proof (pointing back), each anchored", async () => {
    const res = await get(`/v1/claims/${claim}/evidence-catalogue`, "dev-admin");
    expect(res.statusCode, res.body).toBe(200);
    const c = JSON.parse(res.body);
    expect(c.items.map((i: { kind: string; proves: { key: string } }) => [i.kind, i.proves.key])).toEqual([["letter", "demand-delivered"], ["delivery-proof", "delivery-proof"]]);
    expect(c.items[0]).toMatchObject({ delivery: { proofNo: 2, method: "ems" }, event: "events[0]", record: { status: "anchored" } });
    expect(c.items[1].delivers).toBe(1);
    const html = await get(`/v1/claims/${claim}/evidence-catalogue?format=html`, "dev-bank");
    expect(html.body).toContain("证据目录");
  });

  it("only the claim's parties read them (403 for another AMC and a court without a case, 401 without a key); bad asOf → 400", async () => {
    for (const path of [`/v1/claims/${claim}/interruption-proof`, `/v1/claims/${claim}/evidence-catalogue`]) {
      expect((await get(path, "dev-amc2")).statusCode, path).toBe(403);
      expect((await get(path, "dev-court")).statusCode, path).toBe(403);
      expect((await get(path, null)).statusCode, path).toBe(401);
      const bad = await get(`${path}?asOf=2024-02-30`, "dev-bank");
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ field: "asOf" });
    }
    expect((await get(`/v1/claims/0x${"ab".repeat(32)}/interruption-proof`, "dev-bank")).statusCode).toBe(404);
  });
});

describe("registration's legal terms, PUT /v1/claims/:id/legal-status", () => {
  let held: string;
  beforeAll(async () => {
    const last = formatDay(maturity - 31);
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("SVC-LEGAL", {
      originatedAt: formatDay(addMonths(maturity, -36)), maturityAt: formatDay(maturity),
      debtor: { name: "钱七", idNumber: syntheticIdNumber("110102", 1), type: "retail", debtorId: "D-SVC-LEGAL" },
      legal: { installments: [formatDay(maturity - 62), last], guarantors: [{ name: "孙八", type: "joint" }], rates: { annualRateBps: 435, penaltyMarkupBps: 5000 } },
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    held = r.body.claimId;
  });

  it("诉讼时效规定第四条: registered installments make the claim's period run from the last one; the terms are read back by the claim's parties only", async () => {
    const lim = JSON.parse((await get(`/v1/claims/${held}/limitation`, "dev-bank")).body);
    expect(lim.periods.find((p: { kind: string }) => p.kind === "litigation")).toMatchObject({ expiresAt: formatDay(addMonths(maturity - 31, 36)) });
    expect(lim.periods.find((p: { kind: string }) => p.kind === "guarantee-period")).toBeDefined();
    const mine = await call(stack, "GET", `/v1/claims/${held}`, "dev-bank");
    expect(mine.body.offChain.legal.guarantors[0]).toMatchObject({ name: "孙八", type: "joint" });
    const theirs = await call(stack, "GET", `/v1/claims/${held}`, "dev-amc2");
    expect(theirs.body.offChain?.legal).toBeUndefined();
  });

  it("a debtor's 异议 pauses collection, a bankruptcy stops it (企业破产法第十六条): outbound letters refused naming the rule, inbound records kept; only the holder's side records them", async () => {
    const at = await chainTimeMs(stack.chainUrl);
    expect((await call(stack, "PUT", `/v1/claims/${held}/legal-status`, "dev-amc2", { objection: true })).status).toBe(403);
    const objected = await call(stack, "PUT", `/v1/claims/${held}/legal-status`, "dev-bank", { objection: true });
    expect(objected.status, JSON.stringify(objected.body)).toBe(200);
    const refused = await call(stack, "POST", "/v1/evidence", "dev-bank", record(held, "letter", at + 1000));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: "COMPLIANCE", rule: "debtor-objection", details: { messages: { "zh-CN": expect.stringContaining("暂停催收") } } });
    const inbound = await call(stack, "POST", "/v1/evidence", "dev-bank", record(held, "promise-to-pay", at + 2000, { direction: "inbound", channel: "phone" }));
    expect(inbound.status, JSON.stringify(inbound.body)).toBe(201);
    const today = dayOf(chinaDay(at));
    const bankrupt = await call(stack, "PUT", `/v1/claims/${held}/legal-status`, "dev-bank", {
      objection: false, bankruptcy: { acceptedAt: formatDay(today - 5), announcedAt: formatDay(today - 3), filingDeadline: formatDay(today + 40) },
    });
    expect(bankrupt.status, JSON.stringify(bankrupt.body)).toBe(200);
    expect(bankrupt.body.legal.objection).toBeUndefined();
    const stopped = await call(stack, "POST", "/v1/evidence", "dev-bank", record(held, "letter", at + 3000));
    expect(stopped.body).toMatchObject({ rule: "debtor-in-bankruptcy", details: { messages: { en: expect.stringContaining("Enterprise Bankruptcy Law arts. 16, 48") } } });
    const badDeadline = await call(stack, "PUT", `/v1/claims/${held}/legal-status`, "dev-bank", { bankruptcy: { acceptedAt: formatDay(today - 5), announcedAt: formatDay(today - 3), filingDeadline: formatDay(today) } });
    expect(badDeadline.status).toBe(400);
    expect(badDeadline.body).toMatchObject({ field: "bankruptcy.filingDeadline" });
  });

  it("企业破产法第十六、二十一条: while the debtor is in bankruptcy the oracle moves no clause (no warning, no arbitration); once the holder records its end, the ladder goes on", async () => {
    const legal = JSON.parse((await get(`/v1/claims/${held}`, "dev-bank")).body).offChain.legal;
    expect(legal.bankruptcy).toBeDefined(); // left by the test before
    const report = async (days: number) => {
      const asOf = new Date(await chainTimeMs(stack.chainUrl)).toISOString();
      const r = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: held, asOf, daysPastDue: days, outstanding: "85000000", collateralValue: "0" });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      return runCycle(stack);
    };
    const paused = await report(40);
    expect(paused.skipped?.["collection-paused"], JSON.stringify(paused)).toBe(1);
    expect(paused.notices).toBe(0);
    const caseNow = async () => (await caseView(stack, held)).state as string;
    expect(await caseNow()).not.toMatch(/warned|demanded|in-arbitration/);
    const ended = await call(stack, "PUT", `/v1/claims/${held}/legal-status`, "dev-bank", { bankruptcy: null });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    await advanceChain(stack.chainUrl, 60_000);
    const resumed = await report(41);
    expect(resumed.skipped?.["collection-paused"]).toBeUndefined();
    expect(resumed.notices, JSON.stringify(resumed)).toBe(1);
    expect(await caseNow()).toMatch(/warned|demanded/);
  });
});

describe("the work queue, the dashboard and a package preview show the limitation periods", () => {
  let barred: string;
  beforeAll(async () => {
    const today = dayOf(chinaDay(await chainTimeMs(stack.chainUrl)));
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("SVC-BARRED", {
      originatedAt: formatDay(addMonths(today, -80)), maturityAt: formatDay(addMonths(today, -36) - 10),
      debtor: { name: "周九", idNumber: syntheticIdNumber("110102", 2), type: "retail", debtorId: "D-SVC-BARRED" },
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    barred = r.body.claimId;
  });

  it("民法典第一百八十八条: the queue puts the expiring claim's deadline first among its reasons and filters by it; the delivered one runs; the old one is time-barred", async () => {
    const q = await call(stack, "GET", "/v1/queue", "dev-bank");
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const item = (id: string) => q.body.items.find((i: { claimId: string }) => i.claimId === id);
    expect(item(other)).toMatchObject({ limitation: { status: "expiring", lastDay: expect.any(String) } });
    expect(item(other).reasons[0]).toMatchObject({ code: "limitation-expiring", zh: expect.stringContaining("届满") });
    expect(item(claim).limitation.status).toBe("running"); // the delivery proof was recorded after its last chain event: touched
    expect(item(barred)).toMatchObject({ limitation: { status: "expired" } });
    expect(item(barred).reasons.map((r: { code: string }) => r.code)).toContain("limitation-expired");
    const expiring = await call(stack, "GET", "/v1/queue?limitation=expiring", "dev-bank");
    expect(expiring.body.items.map((i: { claimId: string }) => i.claimId)).toContain(other);
    expect(expiring.body.items.every((i: { limitation: { status: string } }) => i.limitation.status === "expiring")).toBe(true);
    const bad = await call(stack, "GET", "/v1/queue?limitation=soon", "dev-bank");
    expect(bad.status).toBe(400);
  });

  it("the dashboard counts expiring and time-barred claims; a package preview counts the time-barred ones", async () => {
    const p = await call(stack, "GET", "/v1/portfolio", "dev-bank");
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.limitation.expired).toBe(1);
    expect(p.body.limitation.expiring).toBeGreaterThanOrEqual(1);
    const preview = await call(stack, "POST", "/v1/packages/preview", "dev-bank", { claimIds: [other, claim, barred] });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.all).toMatchObject({ count: 3, timeBarred: 1, limitationExpiring: 1 });
    // 民法典第一百九十二条第二款: the debtor's promise to pay after expiry revives the claim — the counts follow the new record at once.
    const promised = await call(stack, "POST", "/v1/evidence", "dev-bank", record(barred, "promise-to-pay", await chainTimeMs(stack.chainUrl), { direction: "inbound", channel: "phone" }));
    expect(promised.status, JSON.stringify(promised.body)).toBe(201);
    expect((await call(stack, "GET", "/v1/portfolio", "dev-bank")).body.limitation.expired).toBe(0);
  });
});

describe("the oracle records a demand before the limitation period ends (ORACLE_LIMITATION_DEMAND_DAYS)", () => {
  it("民法典第一百九十五条第一项: a claim ending within 60 days gets one demand letter (once per period end); a time-barred one and one ending later get none", async () => {
    const at = new Date(await chainTimeMs(stack.chainUrl)).toISOString();
    for (const id of [other, claim]) {
      const s = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: id, asOf: at, outstanding: "85000000", daysPastDue: 900, collateralValue: "0" });
      expect(s.status, JSON.stringify(s.body)).toBe(202);
    }
    const letters = async (id: string) => (await call(stack, "GET", `/v1/claims/${id}/evidence`, "dev-bank")).body.records
      .filter((r: { record: { kind: string; actor: string } }) => r.record.kind === "letter" && r.record.actor === "oracle");
    const run = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.limitationDemands).toBe(1);
    const sent = await letters(other);
    expect(sent).toHaveLength(1);
    expect(sent[0].content).toContain("本通知书送达之日起诉讼时效中断并重新计算");
    expect(await letters(claim)).toHaveLength(0); // its period runs three years from the delivered letter
    // Another status and cycle: the same period end gets no second letter.
    const again = await call(stack, "POST", "/v1/loan-status", "dev-bank", { claimId: other, asOf: new Date(Date.parse(at) + 1000).toISOString(), outstanding: "85000000", daysPastDue: 901, collateralValue: "0" });
    expect(again.status).toBe(202);
    expect((await call(stack, "POST", "/v1/oracle/run", "dev-admin")).body.limitationDemands ?? 0).toBe(0);
    expect(await letters(other)).toHaveLength(1);
  });
});

describe("POST /v1/cases/:id/notice-delivery: the due-process wait runs from proven delivery (民法典第137条)", () => {
  it("as a dishonest party: a stranger, a proof of another document, an undelivered notice are refused; the holder's proof of the warning's delivery goes on chain once and the case's timeline shows it", async () => {
    // `claim` is warned: the oracle run above applied its report with the warning notice (recorded as evidence, committed on chain).
    const warned = (await call(stack, "GET", `/v1/cases/${claim}`, "dev-bank")).body;
    expect(warned.state).toBe("warned");
    const notices = (await call(stack, "GET", `/v1/claims/${claim}/evidence`, "dev-bank")).body.records.filter((r: { record: { kind: string } }) => r.record.kind === "notice");
    expect(notices).toHaveLength(1);
    const warning = notices[0].recordId;
    // The letter's delivery proof from earlier delivers another document.
    const letterProof = (await call(stack, "GET", `/v1/claims/${claim}/evidence`, "dev-bank")).body.records.find((r: { record: { kind: string } }) => r.record.kind === "delivery-proof").recordId;
    const other = await call(stack, "POST", `/v1/cases/${claim}/notice-delivery`, "dev-bank", { proof: letterProof });
    expect(other.status).toBe(409);
    expect(other.body.details.reason).toBe("not-the-case-notice");
    // A receipt signed by a colleague proves nothing.
    const now = await advanceChain(stack.chainUrl, 3_600_000);
    const colleague = await call(stack, "POST", "/v1/evidence", "dev-bank", proof(claim, warning, now - 600_000, { method: "signed-receipt" }, { counterparty: { name: "同事", relation: "colleague" } }));
    expect(colleague.status, JSON.stringify(colleague.body)).toBe(201);
    const notDelivered = await call(stack, "POST", `/v1/cases/${claim}/notice-delivery`, "dev-bank", { proof: colleague.body.recordId });
    expect(notDelivered.body, JSON.stringify(notDelivered.body)).toMatchObject({ details: { reason: "not-proven-delivered", messages: { "zh-CN": expect.stringContaining("签收人") } } });
    const signed = await call(stack, "POST", "/v1/evidence", "dev-bank", proof(claim, warning, now - 300_000, { method: "signed-receipt" }));
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect((await call(stack, "POST", `/v1/cases/${claim}/notice-delivery`, "dev-amc2", { proof: signed.body.recordId })).status).toBe(403);
    const ok = await call(stack, "POST", `/v1/cases/${claim}/notice-delivery`, "dev-bank", { proof: signed.body.recordId });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ recorded: true, proof: signed.body.recordId, deliveredAt: new Date(now - 300_000).toISOString() });
    const after = (await call(stack, "GET", `/v1/cases/${claim}?minBlock=${ok.body.blockNumber}`, "dev-bank")).body;
    expect(after.timeline.find((i: { type: string }) => i.type === "notice-delivered")).toMatchObject({ details: { deliveredAt: new Date(Math.floor((now - 300_000) / 1000) * 1000).toISOString() } });
    const again = await call(stack, "POST", `/v1/cases/${claim}/notice-delivery`, "dev-bank", { proof: signed.body.recordId });
    expect(again.body.details.reason).toBe("no-notice-awaiting-delivery");
  });
});

describe("POST /v1/assignments with transfer terms (26号文, 1191号文; 民法典第546、696条)", () => {
  let t1: string;
  let t2: string;
  let amc: string;
  let today: string;
  beforeAll(async () => {
    today = chinaDay(await chainTimeMs(stack.chainUrl));
    const reg = async (no: string, extra: Record<string, unknown>) => {
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, { debtor: { name: `债务人${no}`, idNumber: syntheticIdNumber("110103", Number(no.slice(-4))), type: "retail", debtorId: `D-${no}` }, ...extra }));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.claimId as string;
    };
    t1 = await reg("TR-0001", { legal: { guarantors: [{ name: "担保人甲", type: "joint" }] } });
    t2 = await reg("TR-0002", { collateral: { type: "residential", region: "shanghai", areaSqm: 80 } });
    amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  });
  const sale = (claimIds: string[], transfer: Record<string, unknown>, key = "dev-bank", to = amc) =>
    call(stack, "POST", "/v1/assignments", key, { claimIds, to, packageId: `PKG-${Object.keys(transfer).length}-${claimIds.length}`, price: "1000", notice: "债权转让通知（资产包）", transfer });
  const terms = () => ({ buyerKind: "amc-national", transferee: "乙资产管理公司", transfereeContact: "400-800-0000", cutoffDate: today, listingNo: "YD-2026-0001", announcement: true });

  it("as a dishonest seller: personal NPLs to an unlicensed buyer, without a listing number, or with a secured loan are refused before anything is sent, naming each rule", async () => {
    const investor = await sale([t1, t2], { ...terms(), buyerKind: "investor", listingNo: undefined });
    expect(investor.status).toBe(409);
    expect(investor.body.details.refusals.map((r: { code: string }) => r.code)).toEqual(["personal-buyer-not-amc", "personal-secured-excluded", "listing-missing"]);
    expect(investor.body.details.messages["zh-CN"]).toContain("26号文");
    const secured = await sale([t1, t2], terms());
    expect(secured.body).toMatchObject({ error: "CONFLICT", field: "claimIds[1]", rule: "personal-secured-excluded", details: { reason: "transfer-refused" } });
    expect((await call(stack, "GET", `/v1/claims/${t1}/history`, "dev-bank")).body.events).toHaveLength(1); // nothing sold
  });

  it("one joint notice per debtor and per guarantor, Chinese first, with the buyer's name and contact, recorded as evidence; the announcement lists both claims; the buyer cannot sell them on (1191号文)", async () => {
    const res = await sale([t1, t2], { ...terms(), allowSecuredPersonal: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const letters = res.body.transfer.letters;
    expect(letters.map((l: { claimId: string; party: string }) => [l.claimId, l.party])).toEqual([[t1, "debtor"], [t1, "guarantor"], [t2, "debtor"]]);
    const records = (await call(stack, "GET", `/v1/claims/${t1}/evidence`, "dev-amc")).body.records.filter((r: { record: { kind: string } }) => r.record.kind === "assignment-notice");
    expect(records).toHaveLength(2);
    expect(records[0].content.indexOf("债权转让暨催收联合通知书")).toBe(0);
    expect(records[0].content).toContain("联系方式：400-800-0000");
    expect(records[1].counterparty).toMatchObject({ name: "担保人甲", relation: "guarantor" });
    expect(res.body.transfer.announcement.claimIds).toEqual([t1, t2]);
    expect(res.body.transfer.announcement.text).toContain("债务人TR-0002");
    const again = await sale([t1], { ...terms(), buyerKind: "amc-local" }, "dev-amc", (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address);
    expect(again.status).toBe(409);
    expect(again.body.details.refusals.map((r: { code: string }) => r.code)).toContain("resale-prohibited");
  });
});

// Silence an unused import when the day helpers change.
void DAY_MS;
