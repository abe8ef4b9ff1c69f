import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, EXIT } from "../src/cli.js";
import { parseClaimsFile } from "../src/cli/claims-file.js";
import { startStack, type TestStack } from "./helpers/stack.js";

let stack: TestStack;
const dir = mkdtempSync(join(tmpdir(), "debtrail-cli-"));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const header = "originatorCode,contractNo,debtorName,debtorIdNumber,debtorPhone,debtorType,debtorId,principal,outstanding,currency,originatedAt,maturityAt,product,region";
const row = (no: string, principal = "5000000") => `DEVBANK,${no},王五,110101198001011234,13900001111,retail,D-${no},${principal},4500000,CNY,2022-01-01,2025-01-01,consumer,Beijing`;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

describe("cli", () => {
  describe("parseClaimsFile", () => {
    it("maps CSV columns to claim requests and names a missing column", () => {
      const [c] = parseClaimsFile("a.csv", `${header}\n${row("C-1")}\n`);
      expect(c).toMatchObject({ contractNo: "C-1", principal: "5000000", debtor: { name: "王五", type: "retail" } });
      expect(() => parseClaimsFile("a.csv", "contractNo\nX\n")).toThrow(/originatorCode/);
    });
  });

  describe("import claims", () => {
    it("imports a CSV, reports failures per row and exits 3 when some failed", async () => {
      const file = join(dir, "claims.csv");
      writeFileSync(file, [header, row("CLI-1"), row("CLI-2"), row("CLI-3", "12.5")].join("\n"));
      const res = await run("import", "claims", file, "--api", stack.baseUrl, "--key", "dev-bank", "--lang", "en");
      expect(res.code).toBe(EXIT.partial);
      expect(res.out).toContain("2 registered, 1 failed of 3");
      expect(res.out).toContain("claims[2].principal");
    });

    it("prints JSON for scripts and exits 0 when all succeeded", async () => {
      const file = join(dir, "claims.json");
      writeFileSync(file, JSON.stringify({ claims: parseClaimsFile("x.csv", `${header}\n${row("CLI-J1")}\n`) }));
      const res = await run("import", "claims", file, "--api", stack.baseUrl, "--key", "dev-bank", "--json");
      expect(res.code).toBe(EXIT.ok);
      expect(JSON.parse(res.out)).toMatchObject({ total: 1, registered: 1, failed: 0 });
    });
  });

  describe("status", () => {
    it("shows holder and history in zh-CN by default, JSON with --json", async () => {
      const file = join(dir, "one.csv");
      writeFileSync(file, `${header}\n${row("CLI-S1")}\n`);
      const imported = await run("import", "claims", file, "--api", stack.baseUrl, "--key", "dev-bank", "--json");
      const jobId = JSON.parse(imported.out).jobId;
      const job = await fetch(`${stack.baseUrl}/v1/jobs/${jobId}`, { headers: { authorization: "Bearer dev-bank" } }).then((r) => r.json() as Promise<any>);
      const claimId = job.results[0].claimId;
      const zh = await run("status", claimId, "--api", stack.baseUrl, "--key", "dev-bank", "--lang", "zh-CN");
      expect(zh.code).toBe(EXIT.ok);
      expect(zh.out).toContain("持有人");
      expect(zh.out).toContain("登记");
      const json = await run("status", claimId, "--api", stack.baseUrl, "--key", "dev-bank", "--json");
      expect(JSON.parse(json.out).history[0].type).toBe("registered");
    });

    it("exit codes: 2 without an argument, 1 for an unknown claim, 4 when the API is down", async () => {
      expect((await run("status", "--api", stack.baseUrl)).code).toBe(EXIT.usage);
      expect((await run("status", "0x" + "ab".repeat(32), "--api", stack.baseUrl, "--key", "dev-bank")).code).toBe(EXIT.failed);
      expect((await run("status", "0x" + "ab".repeat(32), "--api", "http://127.0.0.1:9", "--key", "dev-bank")).code).toBe(EXIT.unavailable);
      expect((await run("frobnicate")).code).toBe(EXIT.usage);
    });
  });
});
