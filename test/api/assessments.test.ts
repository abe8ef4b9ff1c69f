import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { generateCaseHistory, generatePortfolio } from "../../src/core/synthetic.js";
import { comparableToRow, COMPARABLE_COLUMNS, type ComparableCase } from "../../src/core/comparables.js";
import { hashComparables } from "../../src/core/valuation.js";

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** A CSV body as scripts/gen-portfolio writes it. */
function csvOf(cases: ComparableCase[]): string {
  const rows = cases.map(comparableToRow) as unknown as Record<string, unknown>[];
  return [COMPARABLE_COLUMNS.join(","), ...rows.map((r) => COMPARABLE_COLUMNS.map((c) => r[c] ?? "").join(","))].join("\n") + "\n";
}

async function postCsv(text: string, key = "dev-amc"): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}/v1/comparables/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
    body: text,
  });
  return { status: res.status, body: await res.json() };
}

const loan = (loanId: string, product: string, daysPastDue: number, extra: Record<string, unknown> = {}) => ({
  loanId, product, debtorType: "retail", debtorId: `P-${loanId}`, outstanding: "5000000", daysPastDue, ...extra,
});

describe("assessments API", () => {
  describe("POST /v1/assessments", () => {
    it("classifies at the day-count boundaries, with the Chinese class and the deciding rule (分类办法第九至十二条; 信用卡办法第九十二条)", async () => {
      // 7 days overdue is 关注 unless the bank flags the delay as technical (分类办法第九条第一项): see the extra loan below.
      const cases: [string, number, string, string][] = [
        ["consumer", 7, "special-mention", "关注"],
        ["consumer", 8, "special-mention", "关注"],
        ["consumer", 90, "special-mention", "关注"],
        ["consumer", 91, "substandard", "次级"],
        ["consumer", 270, "substandard", "次级"],
        ["consumer", 271, "doubtful", "可疑"],
        ["consumer", 360, "doubtful", "可疑"],
        ["consumer", 361, "loss", "损失"],
        ["credit-card", 90, "special-mention", "关注"],
        ["credit-card", 91, "substandard", "次级"],
        ["credit-card", 120, "substandard", "次级"],
        ["credit-card", 121, "doubtful", "可疑"],
        ["credit-card", 180, "doubtful", "可疑"],
        ["credit-card", 181, "loss", "损失"],
      ];
      const res = await call(stack, "POST", "/v1/assessments", "dev-bank", {
        asOf: "2025-06-30",
        loans: [...cases.map(([product, dpd], i) => loan(`L${i}`, product, dpd)), { ...loan("TECH", "consumer", 7), technicalDelay: true }],
      });
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(cases.length + 1);
      expect(res.body.results[cases.length]).toMatchObject({ loanId: "TECH", classification: "pass", rule: { code: "technical-delay" } });
      expect(res.body.results[cases.length].rule.zh).toContain("第九条第一项");
      cases.forEach(([product, dpd, cls, zh], i) => {
        const r = res.body.results[i];
        expect({ product, dpd, loanId: r.loanId, cls: r.classification, zh: r.classificationZh }).toEqual({ product, dpd, loanId: `L${i}`, cls, zh });
        expect(r.daysPastDue).toBe(dpd);
        expect(r.rule.code && r.rule.zh && r.rule.en).toBeTruthy();
        expect(r.risk.grade).toMatch(/^[A-E]$/);
        expect(r.risk.priority).toMatch(/^\d+$/);
      });
      expect(res.body.summary).toEqual({ pass: 1, "special-mention": 4, substandard: 4, doubtful: 4, loss: 2 });
      expect(res.body.valuationModel).toMatchObject({ ready: false, comparables: { count: 0 } });
    });

    it("refuses bad input with 400 naming the field, and nothing without a key", async () => {
      const bad = await call(stack, "POST", "/v1/assessments", "dev-amc", {
        asOf: "2025-06-30",
        loans: [loan("A", "consumer", 3), loan("B", "consumer", 3, { outstanding: "-5" })],
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: "VALIDATION", field: "loans[1].outstanding" });
      const product = await call(stack, "POST", "/v1/assessments", "dev-amc", { asOf: "2025-06-30", loans: [loan("A", "boat", 3)] });
      expect(product.status).toBe(400);
      expect(product.body.field).toBe("loans[0].product");
      const asOf = await call(stack, "POST", "/v1/assessments", "dev-amc", { asOf: "2025-02-30", loans: [loan("A", "consumer", 3)] });
      expect(asOf.status).toBe(400);
      expect(asOf.body.field).toBe("asOf");
      // 国发〔2020〕18号: an equipment mortgage is registered in 动产融资统一登记公示系统, not with the vehicle office.
      const registry = await call(stack, "POST", "/v1/assessments", "dev-amc", {
        asOf: "2025-06-30", loans: [loan("A", "corporate", 100, { collateral: { assetType: "equipment", region: "wuhan", area: 1, appraisedValue: "100", registration: "vehicle" } })],
      });
      expect(registry.status).toBe(400);
      expect(registry.body.field).toBe("loans[0].collateral.registration");
      const fraud = await call(stack, "POST", "/v1/assessments", "dev-amc", { asOf: "2025-06-30", loans: [loan("A", "consumer", 3, { cardFraud: true })] });
      expect(fraud.status).toBe(400);
      expect(fraud.body.field).toBe("loans[0].cardFraud");
      const missing = await call(stack, "POST", "/v1/assessments", "dev-amc", { loans: [loan("A", "consumer", 3)] });
      expect(missing.status).toBe(400);
      expect(missing.body.field).toBe("body.asOf");
      expect((await call(stack, "POST", "/v1/assessments", undefined, { asOf: "2025-06-30", loans: [loan("A", "consumer", 3)] })).status).toBe(401);
      expect((await call(stack, "POST", "/v1/assessments", "dev-court", { asOf: "2025-06-30", loans: [loan("A", "consumer", 3)] })).status).toBe(403);
    });
  });

  describe("comparables and valuation", () => {
    const { cases } = generateCaseHistory(11, { count: 3000, to: "2025-06-30" });
    let hash: string;

    it("imports comparables (JSON), and the stats carry the hash of the set", async () => {
      expect((await call(stack, "POST", "/v1/comparables/import", "dev-bank", { cases: [comparableToRow(cases[0]!)] })).status).toBe(403);
      const res = await call(stack, "POST", "/v1/comparables/import", "dev-amc", { cases: cases.map(comparableToRow) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ imported: 3000, added: 3000, replaced: 0, count: 3000 });
      hash = hashComparables(cases);
      expect(res.body.hash).toBe(hash);
      const stats = await call(stack, "GET", "/v1/comparables/stats", "dev-collector");
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({ count: 3000, hash, valuation: { ready: true, comparables: { count: 3000, hash } } });
      expect(stats.body.market + stats.body.auction).toBe(3000);
      expect(Object.values(stats.body.byAssetType as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3000);
      expect(stats.body.byRegion.shanghai.count).toBe(cases.filter((c) => c.region === "shanghai").length);
      expect(stats.body.valuation.modelHash).toMatch(/^0x[0-9a-f]{64}$/);
    });

    it("values collateral from the comparables: P10–P90, the comparables used and hashes that match the stats", async () => {
      const stats = (await call(stack, "GET", "/v1/comparables/stats", "dev-amc")).body;
      const res = await call(stack, "POST", "/v1/assessments", "dev-amc", {
        asOf: "2025-06-30",
        loans: [loan("M1", "mortgage", 200, { outstanding: "300000000", collateral: { assetType: "residential", region: "shanghai", area: 90, ageYears: 10 } })],
      });
      expect(res.status).toBe(200);
      const [r] = res.body.results;
      expect(r.classification).toBe("substandard");
      const v = r.valuation;
      expect(BigInt(v.p10)).toBeLessThan(BigInt(v.value));
      expect(BigInt(v.value)).toBeLessThan(BigInt(v.p90));
      expect(v.comparables.length).toBeGreaterThan(0);
      expect(v.modelHash).toBe(stats.valuation.modelHash);
      expect(res.body.valuationModel).toMatchObject({ ready: true, modelHash: stats.valuation.modelHash, comparables: { count: 3000, hash: stats.hash } });
      // The valuation's own hash is re-derivable from the imported cases it names.
      const used = new Set(v.comparables.map((c: { caseId: string }) => c.caseId));
      expect(v.comparablesHash).toBe(hashComparables(cases.filter((c) => used.has(c.caseId))));
      expect(BigInt(v.auction.rounds[0].reserve) * 10n >= BigInt(v.value) * 7n).toBe(true);
      expect(r.recovery.recommended).toBeTruthy();
      expect(r.missing.documents.length).toBeGreaterThan(0);
    });

    it("refuses a CSV with a bad row with 400 naming the row and field; nothing is written", async () => {
      const extra = generateCaseHistory(12, { count: 5, prefix: "X", to: "2025-06-30" }).cases;
      const lines = csvOf(extra).split("\n");
      const cols = lines[2]!.split(",");
      cols[COMPARABLE_COLUMNS.indexOf("price")] = "12.5";
      lines[2] = cols.join(",");
      const res = await postCsv(lines.join("\n"));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "VALIDATION", field: "rows[1].price", details: { row: 1, line: 3, errorCount: 1 } });
      const typo = await postCsv(csvOf(extra).replace("price,", "pirce,"));
      expect(typo.status).toBe(400);
      expect(typo.body.field).toBe("columns.pirce");
      expect((await call(stack, "GET", "/v1/comparables/stats", "dev-amc")).body).toMatchObject({ count: 3000, hash });
      const good = await postCsv(csvOf(extra));
      expect(good.status).toBe(201);
      expect(good.body).toMatchObject({ imported: 5, added: 5, count: 3005, hash: hashComparables([...cases, ...extra]) });
    });

    it("imports 100,000 rows as a job with progress", async () => {
      const big = generateCaseHistory(13, { count: 100_000, prefix: "B", to: "2025-06-30" }).cases;
      const t0 = performance.now();
      const res = await call(stack, "POST", "/v1/comparables/import", "dev-admin", big.map(comparableToRow));
      expect(res.status).toBe(202);
      expect(res.body.total).toBe(100_000);
      const seen = new Set<string>();
      let job: any;
      for (;;) {
        job = (await call(stack, "GET", `/v1/comparables/import/${res.body.jobId}`, "dev-admin")).body;
        seen.add(job.status);
        if (job.status === "done" || job.status === "failed") break;
        expect(job.total).toBe(100_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      const ms = performance.now() - t0;
      expect(job).toMatchObject({ status: "done", total: 100_000, done: 100_000, imported: 100_000, added: 100_000, count: 103_005, errors: [] });
      const stats = (await call(stack, "GET", "/v1/comparables/stats", "dev-amc")).body;
      expect(stats.count).toBe(103_005);
      expect(stats.hash).toBe(job.hash);
      expect(stats.valuation.modelHash).toBe(job.modelHash);
      console.log(`import of 100,000 comparables: ${ms.toFixed(0)} ms (statuses seen: ${[...seen].join(", ")})`);
      expect((await call(stack, "GET", "/v1/comparables/import/00000000-0000-4000-8000-000000000000", "dev-admin")).status).toBe(404);

      // The database and the job survive a restart of the API; the model is rebuilt from the store.
      await stack.restartApi();
      const again = (await call(stack, "GET", "/v1/comparables/stats", "dev-amc")).body;
      expect(again).toMatchObject({ count: 103_005, hash: stats.hash, valuation: { modelHash: stats.valuation.modelHash } });
      expect((await call(stack, "GET", `/v1/comparables/import/${res.body.jobId}`, "dev-admin")).body).toMatchObject({ status: "done", hash: job.hash });
    });
  });

  describe("GET /v1/claims/:claimId/assessment", () => {
    let claimId: string;

    it("assesses a registered claim from its record; days past due from maturity or the query", async () => {
      const reg = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("AS-001", {
        originatedAt: "2019-01-01",
        maturityAt: "2024-01-01",
        collateral: { type: "residential", region: "Shanghai", areaSqm: 90, appraisedValue: "300000000" },
      }));
      expect(reg.status).toBe(201);
      claimId = reg.body.claimId;
      // Sold to dev-amc: its side (the AMC, its collector) and the originator (read-only) may assess it.
      const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
      expect((await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [claimId], to: amc, packageId: "PKG-AS-1", price: "1", notice: "债权转让通知" })).status).toBe(201);
      // Another AMC, and a court before which no case on it is, read nothing of it.
      for (const key of ["dev-amc2", "dev-court"]) expect((await call(stack, "GET", `/v1/claims/${claimId}/assessment?asOf=2024-04-01`, key)).status, key).toBe(403);

      const fromMaturity = await call(stack, "GET", `/v1/claims/${claimId}/assessment?asOf=2024-04-01`, "dev-bank");
      expect(fromMaturity.status).toBe(200);
      expect(fromMaturity.body).toMatchObject({ claimId, asOf: "2024-04-01", daysPastDueFrom: "maturity" });
      expect(fromMaturity.body.result).toMatchObject({ loanId: claimId, daysPastDue: 91, classification: "substandard", classificationZh: "次级", collateralValue: "300000000" });
      expect(fromMaturity.body.notes.map((n: { code: string }) => n.code)).toEqual(["collateral-not-valued"]);
      expect(fromMaturity.body.result.valuation).toBeUndefined();

      const day90 = await call(stack, "GET", `/v1/claims/${claimId}/assessment?asOf=2024-03-31`, "dev-amc");
      expect(day90.body.result).toMatchObject({ daysPastDue: 90, classification: "special-mention", classificationZh: "关注" });

      const given = await call(stack, "GET", `/v1/claims/${claimId}/assessment?asOf=2025-06-30&daysPastDue=400&collateralAgeYears=12`, "dev-collector");
      expect(given.status).toBe(200);
      expect(given.body).toMatchObject({ daysPastDueFrom: "query", notes: [] });
      expect(given.body.result).toMatchObject({ daysPastDue: 400, classification: "loss", classificationZh: "损失" });
      expect(BigInt(given.body.result.valuation.p10)).toBeLessThan(BigInt(given.body.result.valuation.p90));
      expect(given.body.result.recovery.region).toBe("shanghai");
      expect(given.body.result.risk.reasons[0]).toMatchObject({ code: expect.any(String), zh: expect.any(String), en: expect.any(String), points: expect.any(Number) });
      expect(given.body.result.missing.stageZh).toBeTruthy();
      expect(given.body.valuationModel.comparables.hash).toBe((await call(stack, "GET", "/v1/comparables/stats", "dev-amc")).body.hash);
    });

    it("404 for an unknown claim, 400 for a bad query, 401 without a key", async () => {
      const unknown = "0x" + "ab".repeat(32);
      const res = await call(stack, "GET", `/v1/claims/${unknown}/assessment?asOf=2025-06-30`, "dev-amc");
      expect(res.status).toBe(404);
      expect(res.body.error).toBe("NOT_FOUND");
      const bad = await call(stack, "GET", `/v1/claims/${claimId}/assessment?daysPastDue=-3`, "dev-amc");
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe("querystring.daysPastDue");
      const badDate = await call(stack, "GET", `/v1/claims/${claimId}/assessment?asOf=2024-13-01`, "dev-amc");
      expect(badDate.status).toBe(400);
      expect(badDate.body.field).toBe("asOf");
      expect((await call(stack, "GET", `/v1/claims/${claimId}/assessment`)).status).toBe(401);
    });
  });

  it("documents every route in the OpenAPI document", async () => {
    const doc = (await call(stack, "GET", "/docs/json")).body;
    for (const [path, method] of [["/v1/assessments", "post"], ["/v1/claims/{claimId}/assessment", "get"], ["/v1/comparables/import", "post"], ["/v1/comparables/import/{jobId}", "get"], ["/v1/comparables/stats", "get"]] as const) {
      expect(doc.paths[path]?.[method]?.responses?.["200"] ?? doc.paths[path]?.[method]?.responses?.["201"]).toBeDefined();
    }
    expect(Object.keys(doc.paths["/v1/comparables/import"].post.requestBody.content)).toEqual(["application/json", "text/csv"]);
  });

  describe("scale", () => {
    it("assesses 100,000 loans in one request", async () => {
      const portfolio = generatePortfolio(5, { count: 100_000 });
      const t0 = performance.now();
      const res = await fetch(`${stack.baseUrl}/v1/assessments`, {
        method: "POST",
        headers: { authorization: "Bearer dev-amc", "content-type": "application/json" },
        body: JSON.stringify(portfolio),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      const ms = performance.now() - t0;
      const body = JSON.parse(text);
      expect(body.count).toBe(100_000);
      expect(body.results.length).toBe(100_000);
      expect(body.results[99_999].loanId).toBe(portfolio.loans[99_999]!.loanId);
      expect(Object.values(body.summary as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(100_000);
      expect(body.results.filter((r: { valuation?: unknown }) => r.valuation).length).toBeGreaterThan(10_000);
      console.log(`POST /v1/assessments with 100,000 loans: ${ms.toFixed(0)} ms round trip, ${(text.length / 1e6).toFixed(0)} MB response`);
    }, 120_000);
  });
});
