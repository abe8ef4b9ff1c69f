import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, waitJob, type TestStack } from "../helpers/stack.js";
import { withIdCheckCharacter } from "../../src/core/id-number.js";

/**
 * What a newcomer trips over in the first hour (issue 18), against a real chain and API: registration checks
 * (GB 11643 ID numbers, GB/T 2260 regions, implausible amounts), permission before validation, finding a
 * claim by contract number, id prefix or debtor name (never by a name the caller may not read), and errors
 * with a code and params whose message follows Accept-Language.
 */
let stack: TestStack;
let ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({ EVIDENCE_BATCH_AGE_MS: "3600000" });
  for (const [no, name, region] of [["HT-2024-0001", "张三", "上海"], ["HT-2024-0002", "张三丰", "310000"], ["HT-2024-0103", "李四", "Beijing"]] as const) {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, { region, debtor: { name, idNumber: withIdCheckCharacter(`11010119800101${no.slice(-3)}`), type: "retail", debtorId: `D-${no}` } }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[no] = r.body.claimId;
  }
}, 120_000);
afterAll(async () => stack?.stop());

describe("registration checks what a person typed", () => {
  it("refuses an ID number with a wrong check digit (GB 11643), naming the field and the right digit", async () => {
    const good = withIdCheckCharacter("11010119900307777");
    const bad = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("HT-BAD-ID", { debtor: { name: "王五", idNumber: bad, type: "retail", debtorId: "D-BAD" } }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: "debtor.idNumber", rule: "id-number-check-digit", code: "validation.id-number-check-digit", params: { expected: good[17] } });
    // A company's code is not a resident ID: not checked against GB 11643.
    const corp = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("HT-CORP", { product: "corporate", debtor: { name: "某公司", idNumber: "91110101MA0000005X", type: "corporate", debtorId: "D-CORP" } }));
    expect(corp.status, JSON.stringify(corp.body)).toBe(201);
  });

  it("stores a region as its canonical key: 上海, 310000 and Shanghai are one region; free text is refused", async () => {
    const list = (await call(stack, "GET", "/v1/claims?q=HT-2024-0", "dev-bank")).body;
    expect(Object.fromEntries(list.claims.map((c: any) => [c.contractNo, c.region]))).toEqual({ "HT-2024-0001": "shanghai", "HT-2024-0002": "shanghai", "HT-2024-0103": "beijing" });
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("HT-REGION", { region: "北京朝阳某街道" }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: "region", rule: "region-unknown", code: "validation.region-unknown" });
  });

  it("flags implausible amounts (¥850,000 outstanding on ¥1.00) for confirmation; confirmed, they register", async () => {
    const odd = claimRequest("HT-ODD", { principal: "100", outstanding: "85000000" });
    const refused = await call(stack, "POST", "/v1/claims", "dev-bank", odd);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: "principal", rule: "implausible-amount" });
    const triple = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("HT-ODD2", { principal: "1000000", outstanding: "85000000" }));
    expect(triple.body).toMatchObject({ field: "outstanding", rule: "implausible-amount", code: "validation.implausible-outstanding" });
    const confirmed = await call(stack, "POST", "/v1/claims", "dev-bank", { ...odd, confirmImplausible: true });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(201);
    // The batch job checks each item the same way: a bad one fails alone, naming its index.
    const batch = await call(stack, "POST", "/v1/claims/batch", "dev-bank", { claims: [claimRequest("HT-B1", { region: "浙江省" }), claimRequest("HT-B2", { region: "Atlantis" })] });
    expect(batch.status).toBe(202);
    const job = await waitJob(stack, batch.body.jobId);
    expect(job.results.map((r: any) => r.status)).toEqual(["registered", "failed"]);
    expect(job.results[1].error).toMatchObject({ field: "claims[1].region", rule: "region-unknown" });
  });
});

describe("permission before validation", () => {
  it("an AMC posting {} to /v1/claims gets 403, no key 401 — never a 400 naming a field", async () => {
    const amc = await call(stack, "POST", "/v1/claims", "dev-amc", {});
    expect(amc.status).toBe(403);
    expect(amc.body.code).toBe("forbidden.role");
    const anonymous = await call(stack, "POST", "/v1/claims", undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe("auth.missing-key");
    const batch = await call(stack, "POST", "/v1/claims/batch", "dev-collector", { nonsense: true });
    expect(batch.status).toBe(403);
  });
});

describe("finding a claim", () => {
  it("by contract number (exact or prefix, any case) and claim id prefix", async () => {
    const exact = (await call(stack, "GET", "/v1/claims?q=ht-2024-0103", "dev-bank")).body;
    expect(exact.claims.map((c: any) => c.claimId)).toEqual([ids["HT-2024-0103"]]);
    const prefix = (await call(stack, "GET", "/v1/claims?q=HT-2024-000", "dev-bank")).body;
    expect(prefix.claims.map((c: any) => c.contractNo)).toEqual(["HT-2024-0001", "HT-2024-0002"]);
    const byId = (await call(stack, "GET", `/v1/claims?q=${ids["HT-2024-0002"]!.slice(0, 10)}`, "dev-bank")).body;
    expect(byId.claims.map((c: any) => c.contractNo)).toContain("HT-2024-0002");
    const none = (await call(stack, "GET", "/v1/claims?q=NO-SUCH", "dev-bank")).body;
    expect(none).toMatchObject({ total: 0, claims: [] });
  });

  it("by debtor name only for who may read personal data: the admin (no personal data) finds nothing by a name", async () => {
    const bank = (await call(stack, "GET", `/v1/claims?q=${encodeURIComponent("张三")}`, "dev-bank")).body;
    const names = Object.fromEntries(bank.claims.map((c: any) => [c.contractNo, c.debtorName]));
    expect(names).toMatchObject({ "HT-2024-0001": "张三", "HT-2024-0002": "张三丰" }); // exact and prefix
    expect(Object.values(names).every((n) => String(n).startsWith("张三"))).toBe(true);
    const exactName = (await call(stack, "GET", `/v1/claims?q=${encodeURIComponent("张三丰")}`, "dev-bank")).body;
    expect(exactName.claims.map((c: any) => c.contractNo)).toEqual(["HT-2024-0002"]);
    // The operator's admin lists every claim but may not read personal data: a guessed name confirms nothing.
    const admin = (await call(stack, "GET", `/v1/claims?q=${encodeURIComponent("张三")}`, "dev-admin")).body;
    expect(admin).toMatchObject({ total: 0, claims: [] });
    expect((await call(stack, "GET", "/v1/claims?q=HT-2024-0001", "dev-admin")).body.claims[0]).not.toHaveProperty("debtorName");
    // Another AMC sees none of the bank's claims, by any search.
    expect((await call(stack, "GET", "/v1/claims?q=HT-2024", "dev-amc2")).body.total).toBe(0);
  });

  it("the list says the regions of the caller's claims and filters by one", async () => {
    const list = (await call(stack, "GET", "/v1/claims?limit=1", "dev-bank")).body;
    expect(list.regions).toEqual(expect.arrayContaining([{ region: "shanghai", count: expect.any(Number) }, { region: "beijing", count: expect.any(Number) }]));
    const beijing = (await call(stack, "GET", "/v1/claims?region=beijing&q=HT-2024", "dev-bank")).body;
    expect(beijing.claims.map((c: any) => c.contractNo)).toEqual(["HT-2024-0103"]);
  });
});

describe("errors in the reader's language", () => {
  it("carry code and params beside the old fields; message follows Accept-Language", async () => {
    const en = await fetch(`${stack.baseUrl}/v1/claims`, { method: "POST", headers: { authorization: "Bearer dev-bank", "content-type": "application/json" }, body: JSON.stringify({ ...claimRequest("HT-X"), principal: "12.5" }) });
    const enBody = await en.json();
    expect(enBody).toMatchObject({ error: "VALIDATION", field: "body.principal", code: "validation.pattern", params: expect.objectContaining({ field: "body.principal" }) });
    expect(enBody.message).not.toMatch(/\^|\$|\[0-9\]/); // no regular expression in words for people
    const zh = await fetch(`${stack.baseUrl}/v1/me`, { headers: { authorization: "Bearer nope", "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" } });
    expect(await zh.json()).toMatchObject({ error: "UNAUTHORIZED", code: "auth.unknown-key", message: expect.stringContaining("API 密钥无效") });
    const enUnknown = await fetch(`${stack.baseUrl}/v1/me`, { headers: { authorization: "Bearer nope", "accept-language": "en-GB" } });
    expect((await enUnknown.json()).message).toBe("unknown API key");
    const forbidden = await fetch(`${stack.baseUrl}/v1/claims`, { method: "POST", headers: { authorization: "Bearer dev-amc", "accept-language": "zh", "content-type": "application/json" }, body: "{}" });
    expect(await forbidden.json()).toMatchObject({ code: "forbidden.role", params: { role: "amc", roles: "bank" }, message: "当前角色（amc）不能执行此操作；需要：bank。" });
  });
});
