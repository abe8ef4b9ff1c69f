import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, EXIT } from "../src/cli.js";
import { startStack, call, claimRequest, type TestStack } from "./helpers/stack.js";
import { generateCaseHistory, generatePortfolio } from "../src/core/synthetic.js";
import { comparableToRow, COMPARABLE_COLUMNS } from "../src/core/comparables.js";
import { chinaDay } from "./helpers/clock.js";

/** `debtrail import loan-status|cases` and `debtrail assess` against a real chain and API. */

let stack: TestStack;
const claims: string[] = [];
/** Status dates relative to today (the oracle refuses statuses older than 7 days of block time). */
const day = (days: number) => chinaDay(Date.now(), days);
const dir = mkdtempSync(join(tmpdir(), "debtrail-cli-import-"));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  for (const no of ["CLI-LS-1", "CLI-LS-2", "CLI-LS-3", "CLI-LS-4"]) {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no));
    expect(r.status).toBe(201);
    claims.push(r.body.claimId);
  }
}, 120_000);
afterAll(async () => stack?.stop());

describe("debtrail import loan-status", () => {
  it("sends a CSV in chunks; rows the API refuses are set aside with the reason and the rest go in (exit 3)", async () => {
    const unknown = `0x${"ab".repeat(32)}`;
    const csv = [
      "claimId,asOf,daysPastDue,outstanding,collateralValue",
      `${claims[0]},${day(-2)},45,85000000,30000000`,
      `${unknown},${day(-2)},10,1000,`, // not registered → 404 from the API
      `${claims[1]},${day(-2)},ten,85000000,`, // refused here, never sent
      `${claims[1]},${day(-2)},12,85000000,`,
      `${claims[2]},${day(400)},3,85000000,`, // in the future → 400 naming statuses[k].asOf
      `${claims[3]},${day(-2)},0,85000000,`,
    ].join("\n");
    const res = await run("import", "loan-status", file("statuses.csv", csv), "--api", stack.baseUrl, "--key", "dev-bank", "--chunk", "2", "--lang", "en");
    expect(res.code).toBe(EXIT.partial);
    expect(res.out).toContain("3 accepted, 3 failed of 6 loan statuses");
    expect(res.out).toContain(`row 2 (line 3): ${unknown}: claim ${unknown} not found`);
    expect(res.out).toContain("row 3 (line 4):");
    expect(res.out).toContain("daysPastDue: must be a whole number of days");
    expect(res.out).toMatch(/row 5 \(line 6\): 0x[0-9a-f]{64}: .*asOf.*(not-in-the-future|must not be in the future)/);
    // Progress on stderr (a line per tenth when stderr is not a terminal).
    expect(res.err).toContain("read 6 loan statuses");
    expect(res.err).toMatch(/loan statuses \[#+ *\] 100% 5\/5/);
    // The accepted statuses reach the chain at the next oracle cycle.
    expect((await call(stack, "POST", "/v1/oracle/run", "dev-admin")).body.applied).toBe(3);
    const kase = (await call(stack, "GET", `/v1/cases/${claims[0]}`, "dev-bank")).body;
    expect(kase.timeline.find((i: any) => i.type === "report").details).toMatchObject({ daysPastDue: 45, outstanding: "85000000", collateralValue: "30000000" });
  });

  it("JSON for scripts: exit 0 when all went in; exit 1 when none did", async () => {
    const ok = await run("import", "loan-status", file("statuses.json", { statuses: [{ claimId: claims[2], asOf: day(-1), daysPastDue: 4, outstanding: "85000000" }] }), "--api", stack.baseUrl, "--key", "dev-bank", "--json");
    expect(ok.code).toBe(EXIT.ok);
    expect(JSON.parse(ok.out)).toEqual({ total: 1, accepted: 1, failed: 0, failures: [] });
    expect(ok.err).toBe("");
    // An older status than the one recorded: refused (409), named.
    const old = await run("import", "loan-status", file("old.json", [{ claimId: claims[2], asOf: day(-20), daysPastDue: 1, outstanding: "85000000" }]), "--api", stack.baseUrl, "--key", "dev-bank", "--json");
    expect(old.code).toBe(EXIT.failed);
    expect(JSON.parse(old.out).failures[0]).toMatchObject({ row: 1, claimId: claims[2], error: "CONFLICT" });
    // A role that may not report statuses: the whole import stops (exit 1).
    const court = await run("import", "loan-status", file("court.json", [{ claimId: claims[2], asOf: day(-1), daysPastDue: 1, outstanding: "1" }]), "--api", stack.baseUrl, "--key", "dev-court");
    expect(court.code).toBe(EXIT.failed);
    expect(court.err).toContain("403");
  });
});

describe("debtrail import cases", () => {
  it("imports comparable cases from CSV in chunks; bad rows are named with their line and left out (exit 3)", async () => {
    const { cases } = generateCaseHistory(11, { count: 120 });
    const rows = cases.map(comparableToRow) as unknown as Record<string, unknown>[];
    rows[7] = { ...rows[7], area: "-5" };
    rows[64] = { ...rows[64], saleDate: "2025-02-30" };
    const csv = [COMPARABLE_COLUMNS.join(","), ...rows.map((r) => COMPARABLE_COLUMNS.map((c) => r[c] ?? "").join(","))].join("\n");
    const res = await run("import", "cases", file("cases.csv", csv), "--api", stack.baseUrl, "--key", "dev-amc", "--chunk", "50");
    expect(res.code).toBe(EXIT.partial);
    expect(res.out).toContain("共 120 个可比案例：导入 118 个（新增 118，替换 0），失败 2 个");
    expect(res.out).toContain(`第 8 条（文件第 9 行）：${rows[7].caseId}: cases[7].area`);
    expect(res.out).toContain(`第 65 条（文件第 66 行）：${rows[64].caseId}: cases[14].saleDate`);
    expect(res.err).toMatch(/可比案例 \[#+\] 100% 120\/120/);
    const stats = (await call(stack, "GET", "/v1/comparables/stats", "dev-amc")).body;
    expect(stats.count).toBe(118);
    expect(res.out).toContain(stats.hash);
  });

  it("a JSON file of good cases: exit 0, JSON summary; a file that is not JSON: exit 1", async () => {
    const { cases } = generateCaseHistory(12, { count: 40 });
    const res = await run("import", "cases", file("cases.json", { cases: cases.map((c) => ({ ...comparableToRow(c), caseId: `J-${c.caseId}` })) }), "--api", stack.baseUrl, "--key", "dev-amc", "--json");
    expect(res.code).toBe(EXIT.ok);
    expect(JSON.parse(res.out)).toMatchObject({ total: 40, imported: 40, added: 40, failed: 0, count: 158 });
    expect((await run("import", "cases", file("broken.json", "{not json"), "--api", stack.baseUrl, "--key", "dev-amc")).code).toBe(EXIT.failed);
  });
});

describe("debtrail assess", () => {
  it("prints a summary table by five-tier class (zh-CN by default, English with --lang en) and JSON with --json", async () => {
    const portfolio = generatePortfolio(3, { count: 60, asOf: "2025-06-30" });
    const path = file("portfolio.json", portfolio);
    const zh = await run("assess", path, "--api", stack.baseUrl, "--key", "dev-amc");
    expect(zh.code).toBe(EXIT.ok);
    expect(zh.out).toContain("评估基准日 2025-06-30：共 60 笔贷款");
    for (const c of ["正常 pass", "关注 special-mention", "次级 substandard", "可疑 doubtful", "损失 loss", "合计", "风险等级：A"]) expect(zh.out).toContain(c);
    const json = await run("assess", path, "--api", stack.baseUrl, "--key", "dev-amc", "--json");
    const body = JSON.parse(json.out);
    expect(body.count).toBe(60);
    // The table's counts are the API's.
    for (const [c, n] of Object.entries(body.summary as Record<string, number>)) {
      expect(zh.out).toMatch(new RegExp(`${c}\\s+${n}\\s`));
    }
    const en = await run("assess", path, "--api", stack.baseUrl, "--key", "dev-amc", "--lang", "en");
    expect(en.out).toContain("Assessment as of 2025-06-30: 60 loans");
    expect(en.out).toContain("five-tier class");
    expect(en.out).toContain("highest priority (expected loss × urgency):");
    expect(en.out).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("reads a CSV of loans; a bad loan → exit 1 naming the field", async () => {
    const csv = [
      "loanId,product,debtorType,debtorId,outstanding,daysPastDue,region,collateralAssetType,collateralArea,collateralAgeYears",
      "L-1,mortgage,retail,P1,300000000,91,shanghai,residential,90,10",
      "L-2,consumer,retail,P2,5000000,400,,,,",
    ].join("\n");
    const ok = await run("assess", file("loans.csv", csv), "--api", stack.baseUrl, "--key", "dev-amc", "--as-of", "2025-06-30", "--json");
    expect(ok.code).toBe(EXIT.ok);
    const body = JSON.parse(ok.out);
    expect(body.results.map((r: any) => r.classification)).toEqual(["substandard", "loss"]);
    expect(body.results[0].valuation).toBeDefined(); // valued from the comparables imported above
    const bad = await run("assess", file("bad.csv", csv.replace("5000000", "5,000")), "--api", stack.baseUrl, "--key", "dev-amc", "--lang", "en");
    expect(bad.code).toBe(EXIT.failed);
  });

  it("exit codes: 2 usage (no file, unreadable file, unknown import kind, bad --chunk), 4 API unreachable", async () => {
    expect((await run("import", "loan-status", "--api", stack.baseUrl)).code).toBe(EXIT.usage);
    expect((await run("import", "cases", join(dir, "nope.csv"), "--api", stack.baseUrl)).code).toBe(EXIT.usage);
    expect((await run("assess", "--api", stack.baseUrl)).code).toBe(EXIT.usage);
    expect((await run("import", "debtors", "x.csv")).code).toBe(EXIT.usage);
    expect((await run("import", "cases", join(dir, "cases.json"), "--chunk", "0")).code).toBe(EXIT.usage);
    const down = await run("import", "loan-status", file("down.json", [{ claimId: claims[0], asOf: day(-1), daysPastDue: 1, outstanding: "1" }]), "--api", "http://127.0.0.1:9", "--key", "dev-bank");
    expect(down.code).toBe(EXIT.unavailable);
    expect((await run("assess", join(dir, "portfolio.json"), "--api", "http://127.0.0.1:9", "--key", "dev-amc")).code).toBe(EXIT.unavailable);
  });
});
