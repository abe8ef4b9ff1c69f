import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStack, type TestStack } from "../helpers/stack.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { documentCommitment } from "../../src/core/commitment.js";
import { anchoredLetter } from "./anchored-letter.js";

let stack: TestStack;
let browser: Browser;
let bundle: any;
let recordId: string;
const dir = mkdtempSync(join(tmpdir(), "debtrail-page-"));
const letterText = "催收函 PAGE-1：请于十五日内偿还欠款人民币 850,000.00 元。Demand letter PAGE-1: please repay within 15 days.";

beforeAll(async () => {
  stack = await startStack({ EVIDENCE_BATCH_AGE_MS: "3600000" });
  ({ bundle, recordId } = await anchoredLetter(stack, "PAGE-1", letterText, 2));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A fresh page on /verify, with the page's errors collected. */
async function openPage(query = ""): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${stack.baseUrl}/verify${query}`);
  await page.waitForSelector("body[data-ready=true]");
  return { page, errors };
}

function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

async function upload(page: Page, path: string): Promise<void> {
  await page.setInputFiles("#file", path);
  await page.waitForSelector("#certificate:not([hidden])");
}

const field = (page: Page, name: string) => page.locator(`#certificate [data-field="${name}"]`).innerText();

describe("court page /verify", () => {
  it("is served without a key, self-contained (assets from this server only), zh-CN by default", async () => {
    const res = await fetch(`${stack.baseUrl}/verify`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // no CDN
    for (const asset of ["verify.js", "verify-bundle.js", "verify.css", "ethers.min.js", "canonicalize.js"]) {
      const a = await fetch(`${stack.baseUrl}/assets/${asset}`);
      expect({ asset, status: a.status }).toEqual({ asset, status: 200 });
    }
    const docs = (await (await fetch(`${stack.baseUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toContain("/v1/verify");
    expect(Object.keys(docs.paths).filter((p) => p === "/verify" || p.startsWith("/assets/"))).toEqual([]);
    const { page, errors } = await openPage();
    expect(await page.locator("h1").innerText()).toBe("催收存证核验");
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.locator("#certificate").isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("verifies a proof bundle: certificate in zh-CN, then in English after the switch", async () => {
    const { page, errors } = await openPage();
    const requests: string[] = [];
    page.on("request", (r) => r.method() === "POST" && requests.push(`${r.url()} ${r.postData() ?? ""}`));
    await upload(page, file("bundle.json", bundle));
    await page.waitForSelector("#certificate[data-verified=true]");

    expect(await field(page, "title")).toBe("存证核验证书");
    expect(await field(page, "result")).toContain("核验通过");
    expect(await field(page, "summary")).toContain(String(bundle.chainId));
    // 在线诉讼规则第十六至十八条: what the chain proves is "unchanged since anchoring (block time …)"; the event time is the recorder's statement.
    expect(await field(page, "summary")).toContain(`该记录自锚定（区块时间 ${new Date(bundle.anchor.blockTimestamp * 1000).toISOString()}）后未被改动`);
    expect(await field(page, "scope")).toContain("锚定前的内容及事件发生时间为记录人的陈述");
    expect(await field(page, "scope")).toContain("第十六条至第十八条");
    expect(await page.locator("#certificate").innerText()).toContain("事件发生时间（记录人陈述）");
    expect(await field(page, "recordId")).toBe(bundle.recordHash);
    expect(await field(page, "claimId")).toBe(bundle.record.claimId);
    expect(await field(page, "kind")).toContain("信函");
    expect(await field(page, "occurredAt")).toContain(bundle.record.occurredAt);
    expect(await field(page, "blockTime")).toContain(new Date(bundle.anchor.blockTimestamp * 1000).toISOString());
    expect(await field(page, "blockNumber")).toBe(String(bundle.anchor.blockNumber));
    expect(await field(page, "txHash")).toBe(bundle.anchor.txHash);
    expect(await field(page, "contract")).toBe(bundle.contract);
    expect(await field(page, "chainId")).toBe(String(bundle.chainId));
    expect(await field(page, "root")).toBe(bundle.root);
    expect(bundle.proof.length).toBeGreaterThan(0);
    expect(await page.locator('#certificate [data-field="proof"] li').allInnerTexts()).toEqual(bundle.proof);
    expect(await page.locator('[data-check="integrity"]').innerText()).toContain("通过");
    expect(await page.locator('[data-check="chain"]').innerText()).toContain("Debtrail 服务器");
    // The bundle itself went to /v1/verify for the on-chain check.
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain("/v1/verify");
    expect(JSON.parse(requests[0].slice(requests[0].indexOf(" ") + 1)).bundle.recordHash).toBe(bundle.recordHash);

    await page.click('button[data-lang="en"]');
    expect(await page.locator("h1").innerText()).toBe("Verify collection evidence");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await field(page, "title")).toBe("Evidence verification certificate");
    expect(await field(page, "result")).toContain("VERIFIED");
    expect(await field(page, "result")).not.toContain("NOT");
    expect(await field(page, "kind")).toBe("letter");
    expect(await page.locator("#certificate").innerText()).toContain("Anchoring block time");
    expect(await field(page, "summary")).toContain("The record has not been changed since it was anchored (block time ");
    expect(await page.locator("#certificate").innerText()).toContain("Time of the event (the recorder's statement)");
    expect(await field(page, "scope")).toContain("Online Litigation Rules arts. 16–18");
    expect(await page.locator('[data-check="chain"]').innerText()).toContain("the Debtrail server: passed");
    expect(await page.locator("#certificate").innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator("main").innerText()).not.toMatch(/[\u4e00-\u9fff]/);

    await page.click('button[data-lang="zh-CN"]');
    expect(await field(page, "result")).toContain("核验通过");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("refuses a tampered bundle (a changed record field) with the reason, in both languages", async () => {
    const tampered = structuredClone(bundle);
    tampered.record.occurredAt = "2026-11-05T03:00:00.000Z";
    const { page, errors } = await openPage();
    await upload(page, file("tampered.json", tampered));
    await page.waitForSelector("#certificate[data-verified=false]");
    expect(await field(page, "result")).toContain("核验未通过");
    expect(await page.locator('#certificate [data-field="reason"]').getAttribute("data-reason")).toBe("record-hash-mismatch");
    expect(await field(page, "reason")).toContain("记录的哈希与证明包中的记录哈希不符");
    expect(await field(page, "stated")).toContain("未经区块链确认");
    expect(await page.locator('[data-check="integrity"]').innerText()).toContain("未通过");
    await page.click('button[data-lang="en"]');
    expect(await field(page, "result")).toContain("NOT VERIFIED");
    expect(await field(page, "reason")).toContain("The record does not hash to the stated record hash");
    expect(await page.locator('[data-check="chain"]').innerText()).toContain("failed");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("verifies the letter's own file by its hash, computed in the browser; the file's text is never sent; without a key only the anchor is shown", async () => {
    const { page, errors } = await openPage("?lang=en");
    const posted: Array<{ url: string; body: string }> = [];
    page.on("request", (r) => posted.push({ url: r.url(), body: r.postData() ?? "" }));
    await upload(page, file("letter.txt", letterText));
    await page.waitForSelector("#certificate[data-verified=true]");
    expect(await field(page, "result")).toContain("VERIFIED");
    expect(await field(page, "fileHash")).toBe(contentHashOf(letterText));
    expect(await field(page, "input")).toContain("not uploaded");
    // The server answers an anonymous hash with the anchor only: no record, no claim on the page.
    expect(await field(page, "redacted")).toContain("shown only with the proof bundle");
    expect(await field(page, "txHash")).toBe(bundle.anchor.txHash);
    expect(await field(page, "blockNumber")).toBe(String(bundle.anchor.blockNumber));
    expect(await page.locator('#certificate [data-field="recordId"]').count()).toBe(0);
    expect(await page.locator('#certificate [data-field="claimId"]').count()).toBe(0);
    expect(await page.locator("#certificate").innerText()).not.toContain(bundle.record.claimId);
    expect(await page.locator('[data-check="chain"]').innerText()).toContain("the Debtrail server: passed");
    const posts = posted.filter((p) => p.body.length > 0);
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0].body)).toEqual({ contentHash: contentHashOf(letterText) });
    for (const p of posted) {
      expect(p.body).not.toContain("PAGE-1");
      expect(p.body).not.toContain("催收函");
      expect(p.url).not.toContain("PAGE-1");
    }
    // A file no record has: not verified, named as such.
    await upload(page, file("other.txt", "a file nobody recorded"));
    await page.waitForSelector("#certificate[data-verified=false]");
    expect(await field(page, "reason")).toContain("No evidence record has this file's hash");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a bundle with a document commitment (a notice's): the page recomputes the commitment, shows it, and refuses a wrong salt", async () => {
    const salt = contentHashOf("page salt");
    const withDocument = { ...structuredClone(bundle), document: { salt, commitment: documentCommitment(salt, bundle.record.contentHash) } };
    const { page, errors } = await openPage("?lang=en");
    await upload(page, file("notice-bundle.json", withDocument));
    await page.waitForSelector("#certificate[data-verified=true]");
    expect(await field(page, "commitment")).toBe(withDocument.document.commitment);
    expect(await field(page, "salt")).toBe(salt);
    // A wrong salt: the browser's own integrity check fails (the server's does too).
    const forged = { ...withDocument, document: { ...withDocument.document, salt: contentHashOf("guessed") } };
    await upload(page, file("forged-notice-bundle.json", forged));
    await page.waitForSelector("#certificate[data-verified=false]");
    expect(await page.locator('#certificate [data-field="reason"]').getAttribute("data-reason")).toBe("commitment-mismatch");
    expect(await page.locator('[data-check="integrity"]').innerText()).toContain("failed");
    expect(await field(page, "reason")).toContain("The document commitment is not");
    await page.click('button[data-lang="zh-CN"]');
    expect(await field(page, "reason")).toContain("文件承诺值不等于");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("checks the anchor from the browser against the court's own node when an RPC URL is given", async () => {
    const { page, errors } = await openPage();
    const posted: string[] = [];
    page.on("request", (r) => r.method() === "POST" && posted.push(r.url()));
    await page.click("#rpc-box summary");
    await page.fill("#rpc", stack.chainUrl);
    await upload(page, file("bundle-node.json", bundle));
    await page.waitForSelector("#certificate[data-verified=true]");
    expect(await page.locator('[data-check="chain"]').innerText()).toContain(`本浏览器直连节点 ${stack.chainUrl}`);
    expect(posted.some((u) => u.includes("/v1/verify"))).toBe(false);
    expect(posted.some((u) => u.startsWith(stack.chainUrl))).toBe(true);
    // The same node refuses a bundle naming a block the root was not anchored in.
    const moved = structuredClone(bundle);
    moved.anchor.blockNumber += 1;
    await upload(page, file("moved.json", moved));
    await page.waitForSelector("#certificate[data-verified=false]");
    expect(await page.locator('#certificate [data-field="reason"]').getAttribute("data-reason")).toBe("anchor-mismatch");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("says what happened: a damaged .json bundle is not hashed as a file; an unreachable own node is named, in both languages (issue 18)", async () => {
    const { page } = await openPage();
    await page.setInputFiles("#file", file("damaged-bundle.json", JSON.stringify(bundle).slice(0, -40)));
    await page.waitForSelector("#status.error");
    expect(await page.locator("#status").innerText()).toContain("damaged-bundle.json 不是有效的 JSON");
    expect(await page.locator("#certificate").isHidden()).toBe(true);
    // A bundle with a field removed is a damaged bundle (malformed), not an ordinary file.
    const { proof: _proof, ...noProof } = bundle;
    await upload(page, file("no-proof.json", noProof));
    await page.waitForSelector("#certificate[data-verified=false]");
    expect(await page.locator('#certificate [data-field="reason"]').getAttribute("data-reason")).toBe("malformed");
    // The court's own node that nothing answers at: named, never "Failed to fetch".
    await page.click("#rpc-box summary");
    await page.fill("#rpc", "http://127.0.0.1:9");
    await page.setInputFiles("#file", file("bundle-down.json", bundle));
    await page.waitForSelector("#status.error");
    expect(await page.locator("#status").innerText()).toContain("本浏览器无法连接区块链节点 http://127.0.0.1:9");
    expect(await page.locator("#status").innerText()).not.toContain("Failed to fetch");
    await page.click('[data-lang="en"]');
    await page.setInputFiles("#file", file("bundle-down-en.json", bundle));
    await page.waitForFunction(() => document.getElementById("status")!.textContent!.includes("cannot be reached"));
    expect(await page.locator("#status").innerText()).toContain("the chain node at http://127.0.0.1:9 cannot be reached from this browser");
    await page.context().close();
  });

  it("a file dropped on the drop zone is checked like a chosen one", async () => {
    const { page, errors } = await openPage("?lang=en");
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "dropped-letter.txt", { type: "text/plain" }));
      document.getElementById("drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, letterText);
    await page.waitForSelector("#certificate[data-verified=true]");
    expect(await field(page, "input")).toContain("dropped-letter.txt");
    expect(await field(page, "txHash")).toBe(bundle.anchor.txHash);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the certificate is printable: controls are hidden in print, the certificate and its fields are not", async () => {
    const { page } = await openPage();
    await upload(page, file("bundle-print.json", bundle));
    await page.waitForSelector("#certificate[data-verified=true]");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#input").isHidden()).toBe(true);
    expect(await page.locator("#lang").isHidden()).toBe(true);
    expect(await page.locator("#certificate").isVisible()).toBe(true);
    for (const name of ["result", "recordId", "claimId", "kind", "occurredAt", "blockTime", "blockNumber", "txHash", "contract", "chainId", "root", "proof"]) {
      expect({ name, visible: await page.locator(`#certificate [data-field="${name}"]`).isVisible() }).toEqual({ name, visible: true });
    }
    await page.context().close();
  });
});
