import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, EXIT } from "../src/cli.js";
import { parseClaimsFile } from "../src/cli/claims-file.js";
import { startStack, type TestStack } from "./helpers/stack.js";
import { anchoredLetter } from "./pages/anchored-letter.js";
import { contentHashOf } from "../src/core/evidence.js";
import { documentCommitment } from "../src/core/commitment.js";

let stack: TestStack;
const dir = mkdtempSync(join(tmpdir(), "debtrail-cli-"));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const header = "originatorCode,contractNo,debtorName,debtorIdNumber,debtorPhone,debtorType,debtorId,principal,outstanding,currency,originatedAt,maturityAt,product,region";
const row = (no: string, principal = "5000000") => `DEVBANK,${no},王五,110101198001011232,13900001111,retail,D-${no},${principal},4500000,CNY,2022-01-01,2025-01-01,consumer,Beijing`;

beforeAll(async () => {
  stack = await startStack({ EVIDENCE_BATCH_AGE_MS: "3600000" });
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
      expect(zh.code, zh.err).toBe(EXIT.ok);
      expect(zh.out).toContain("持有人");
      expect(zh.out).toContain("登记");
      const json = await run("status", claimId, "--api", stack.baseUrl, "--key", "dev-bank", "--json");
      expect(JSON.parse(json.out).history[0].type).toBe("registered");
    });

    it("finds a claim by contract number, claim id prefix or debtor name; several or none → exit 1, saying so in the CLI's language", async () => {
      const file = join(dir, "found.csv");
      writeFileSync(file, `${header}\n${row("CLI-F1")}\n${row("CLI-F2")}\n`);
      expect((await run("import", "claims", file, "--api", stack.baseUrl, "--key", "dev-bank", "--json")).code).toBe(EXIT.ok);
      const byNo = await run("status", "cli-f1", "--api", stack.baseUrl, "--key", "dev-bank", "--lang", "en", "--json");
      expect(byNo.code).toBe(EXIT.ok);
      const claim = JSON.parse(byNo.out);
      expect(claim.offChain.contractNo).toBe("CLI-F1");
      const byPrefix = await run("status", claim.claimId.slice(0, 12), "--api", stack.baseUrl, "--key", "dev-bank", "--lang", "zh-CN");
      expect(byPrefix.code, byPrefix.err).toBe(EXIT.ok);
      expect(byPrefix.out).toContain("合同号: CLI-F1");
      const several = await run("status", "CLI-F", "--api", stack.baseUrl, "--key", "dev-bank", "--lang", "en");
      expect(several.code).toBe(EXIT.failed);
      expect(several.err).toMatch(/^2 claims match CLI-F/);
      expect(several.err).toContain("CLI-F2");
      const none = await run("status", "NO-SUCH-CONTRACT", "--api", stack.baseUrl, "--key", "dev-bank", "--lang", "en");
      expect(none).toMatchObject({ code: EXIT.failed, err: expect.stringContaining("No claim matches NO-SUCH-CONTRACT") });
      // An unknown key: the API's error in the CLI's language, not the server's English.
      const badKey = await run("status", "CLI-F1", "--api", stack.baseUrl, "--key", "not-a-key", "--lang", "zh-CN");
      expect(badKey.code).toBe(EXIT.failed);
      expect(badKey.err).toContain("错误 401");
      expect(badKey.err).toContain("API 密钥无效");
      expect(badKey.err).not.toMatch(/unknown API key/);
    });

    it("exit codes: 2 without an argument, 1 for an unknown claim, 4 when the API is down", async () => {
      expect((await run("status", "--api", stack.baseUrl)).code).toBe(EXIT.usage);
      expect((await run("status", "0x" + "ab".repeat(32), "--api", stack.baseUrl, "--key", "dev-bank")).code).toBe(EXIT.failed);
      expect((await run("status", "0x" + "ab".repeat(32), "--api", "http://127.0.0.1:9", "--key", "dev-bank")).code).toBe(EXIT.unavailable);
      expect((await run("frobnicate")).code).toBe(EXIT.usage);
    });
  });

  describe("verify", () => {
    let bundle: any;
    let bundleFile: string;

    beforeAll(async () => {
      ({ bundle } = await anchoredLetter(stack, "CLI-V1", "催收函 CLI-V1：请于十五日内偿还欠款。Demand letter CLI-V1.", 2));
      bundleFile = join(dir, "bundle.json");
      writeFileSync(bundleFile, JSON.stringify(bundle, null, 2));
    });

    it("prints a zh-CN certificate by default and exits 0 for a valid bundle, with only the RPC endpoint", async () => {
      // --api points nowhere: verify must not need the Debtrail API.
      const res = await run("verify", bundleFile, "--rpc", stack.chainUrl, "--api", "http://127.0.0.1:9");
      expect(res.code).toBe(EXIT.ok);
      expect(res.out).toContain("存证核验证书");
      expect(res.out).toContain("核验通过");
      expect(res.out).toContain(bundle.anchor.txHash);
      expect(res.out).toContain(bundle.recordHash);
      expect(res.out).toContain(bundle.record.claimId);
      expect(res.out).toContain("信函 (letter)");
      expect(bundle.proof.length).toBeGreaterThan(0);
      for (const hash of bundle.proof) expect(res.out).toContain(hash);
      expect(res.out).toContain(new Date(bundle.anchor.blockTimestamp * 1000).toISOString());
      // 在线诉讼规则第十六至十八条: unchanged since anchoring (at the block's time), the event time is the recorder's statement.
      expect(res.out).toContain(`该记录自锚定（区块时间 ${new Date(bundle.anchor.blockTimestamp * 1000).toISOString()}）后未被改动`);
      expect(res.out).toContain("《人民法院在线诉讼规则》第十六条至第十八条");
      expect(res.out).toContain("事件发生时间（记录人陈述）");
      expect(res.out).not.toContain("该记录未被改动");
      const en = await run("verify", bundleFile, "--rpc", stack.chainUrl, "--lang", "en");
      expect(en.code).toBe(EXIT.ok);
      expect(en.out).toContain("Evidence verification certificate");
      expect(en.out).toContain("VERIFIED");
      expect(en.out).toContain(`Block number`);
      expect(en.out).toContain(String(bundle.anchor.blockNumber));
      expect(en.out).toContain(`The record has not been changed since it was anchored (block time ${new Date(bundle.anchor.blockTimestamp * 1000).toISOString()})`);
      expect(en.out).toContain("Time of the event (the recorder's statement)");
      expect(en.out).toContain("Online Litigation Rules arts. 16–18");
    });

    it("exits 1 with the reason for a tampered bundle (a changed record field)", async () => {
      const tampered = structuredClone(bundle);
      tampered.record.occurredAt = "2026-11-05T03:00:00.000Z";
      const file = join(dir, "tampered.json");
      writeFileSync(file, JSON.stringify(tampered));
      const en = await run("verify", file, "--rpc", stack.chainUrl, "--lang", "en");
      expect(en.code).toBe(EXIT.failed);
      expect(en.out).toContain("NOT VERIFIED");
      expect(en.out).toContain("The record does not hash to the stated record hash");
      expect(en.out).toContain("record-hash-mismatch");
      const zh = await run("verify", file, "--rpc", stack.chainUrl);
      expect(zh.code).toBe(EXIT.failed);
      expect(zh.out).toContain("核验未通过");
      expect(zh.out).toContain("记录的哈希与证明包中的记录哈希不符");
    });

    it("a bundle with a document commitment (a notice's): the commitment is recomputed from salt and content hash and printed", async () => {
      const salt = contentHashOf("salt for the CLI test");
      const withDocument = { ...structuredClone(bundle), document: { salt, commitment: documentCommitment(salt, bundle.record.contentHash) } };
      const file = join(dir, "notice-bundle.json");
      writeFileSync(file, JSON.stringify(withDocument));
      const ok = await run("verify", file, "--rpc", stack.chainUrl, "--lang", "en");
      expect(ok.code).toBe(EXIT.ok);
      expect(ok.out).toContain("Document commitment on chain");
      expect(ok.out).toContain(withDocument.document.commitment);
      expect(ok.out).toContain(salt);
      const json = await run("verify", file, "--rpc", stack.chainUrl, "--json");
      expect(JSON.parse(json.out)).toMatchObject({ verified: true, commitment: withDocument.document.commitment, salt });
      // Another salt (a forged or mistyped one) does not give the commitment.
      writeFileSync(file, JSON.stringify({ ...withDocument, document: { ...withDocument.document, salt: contentHashOf("another salt") } }));
      const bad = await run("verify", file, "--rpc", stack.chainUrl, "--lang", "en");
      expect(bad.code).toBe(EXIT.failed);
      expect(bad.out).toContain("commitment-mismatch");
      const zh = await run("verify", file, "--rpc", stack.chainUrl);
      expect(zh.out).toContain("文件承诺值不等于");
    });

    it("--json prints the certificate as JSON; a receipt with its status verifies too", async () => {
      const file = join(dir, "receipt.json");
      writeFileSync(file, JSON.stringify({ status: "anchored", ...bundle }));
      const ok = await run("verify", file, "--rpc", stack.chainUrl, "--json");
      expect(ok.code).toBe(EXIT.ok);
      expect(JSON.parse(ok.out)).toMatchObject({
        verified: true, txHash: bundle.anchor.txHash, recordId: bundle.recordHash, blockNumber: bundle.anchor.blockNumber,
        chainId: bundle.chainId, contract: bundle.contract, root: bundle.root, proofLength: bundle.proof.length, kind: "letter",
      });
      const other = structuredClone(bundle);
      other.chainId = 1;
      writeFileSync(file, JSON.stringify(other));
      const bad = await run("verify", file, "--rpc", stack.chainUrl, "--json");
      expect(bad.code).toBe(EXIT.failed);
      const parsed = JSON.parse(bad.out);
      expect(parsed).toMatchObject({ verified: false, reason: "chain-mismatch" });
      expect(parsed.messages["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
    });

    it("exit codes: 2 for a missing file, bad JSON or no --rpc (naming the problem), 4 for an unreachable node", async () => {
      const missing = await run("verify", join(dir, "nope.json"), "--rpc", stack.chainUrl, "--lang", "en");
      expect(missing.code).toBe(EXIT.usage);
      expect(missing.err).toContain("cannot read the bundle file");
      expect(missing.err).toContain("nope.json");
      expect(missing.err).toContain("no such file");
      const zhMissing = await run("verify", join(dir, "nope.json"), "--rpc", stack.chainUrl);
      expect(zhMissing.err).toContain("无法读取证明包文件");
      expect(zhMissing.err).toContain("文件不存在");
      const broken = join(dir, "broken.json");
      writeFileSync(broken, "{ not json");
      const notJson = await run("verify", broken, "--rpc", stack.chainUrl, "--lang", "en");
      expect(notJson.code).toBe(EXIT.usage);
      expect(notJson.err).toContain("is not valid JSON");
      const zhNotJson = await run("verify", broken, "--rpc", stack.chainUrl, "--lang", "zh-CN");
      expect(zhNotJson.err).toContain("不是有效的 JSON");
      const saved = process.env.CHAIN_RPC_URL;
      delete process.env.CHAIN_RPC_URL;
      try {
        const noRpc = await run("verify", bundleFile, "--lang", "en");
        expect(noRpc.code).toBe(EXIT.usage);
        expect(noRpc.err).toContain("--rpc");
      } finally {
        if (saved !== undefined) process.env.CHAIN_RPC_URL = saved;
      }
      expect((await run("verify", "--rpc", stack.chainUrl)).code).toBe(EXIT.usage);
      const down = await run("verify", bundleFile, "--rpc", "http://127.0.0.1:9", "--lang", "en");
      expect(down.code).toBe(EXIT.unavailable);
      expect(down.err).toContain("cannot reach the JSON-RPC endpoint http://127.0.0.1:9");
    });
  });
});

describe("cli oracle", () => {
  // Intentional change (issue 15): `debtrail oracle` is the oracle alone (src/oracle/main.ts), no HTTP; it prints
  // its status when started (before: always undefined) and each cycle, instead of serving /v1/oracle/status.
  it("runs the daemon as its own process with cycles on, prints its status and each cycle, and stops on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["bin/debtrail.js", "oracle", "--lang", "en", "--json"], {
      env: {
        ...process.env, DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: stack.chainUrl, DEPLOYMENT_FILE: stack.config.deploymentFile,
        DATA_DIR: mkdtempSync(join(tmpdir(), "debtrail-oracle-cli-")), LOG_LEVEL: "silent", ORACLE_INTERVAL_MS: "500",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => (stdout += d));
    const lines = () => stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    for (let t = 0; t < 150 && !lines().some((l) => l.cycle); t++) await new Promise((r) => setTimeout(r, 200));
    const [status, ...rest] = lines();
    expect(status).toMatchObject({ enabled: true, intervalMs: 500, quorum: 1, pendingReports: 0, store: "host" });
    expect(status.signer).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const cycle = rest.find((l) => l.cycle)?.cycle;
    expect(cycle.finishedAt).toBeTruthy(); // a cycle ran on its own
    expect(cycle).toMatchObject({ considered: 0, applied: 0, failed: 0 });
    expect(stderr).toContain("oracle daemon running");
    const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
