import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { chainTimeMs, chinaDay } from "../helpers/clock.js";
import { addMonths, dayOf, formatDay } from "../../src/core/dates.js";

/**
 * The court page verifies a claim's 时效中断证明 in a real Chromium, in both languages: the claim fell due three
 * years less 40 days before the chain's today; a letter sent now, proven delivered (signed receipt), restarts the
 * period from delivery.
 */
let stack: TestStack;
let browser: Browser;
let proof: any;
let expires: string;
const dir = mkdtempSync(join(tmpdir(), "debtrail-proof-page-"));

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  const maturity = addMonths(dayOf(chinaDay(await chainTimeMs(stack.chainUrl))), -36) + 40;
  const reg = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("PROOF-PAGE-1", {
    originatedAt: formatDay(addMonths(maturity, -36)), maturityAt: formatDay(maturity),
  }));
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const claimId = reg.body.claimId;
  const now = await chainTimeMs(stack.chainUrl); // after the registration: nothing is recorded before the holding
  const base = { claimId, channel: "post", actor: "collector-9", counterparty: { name: "赵六", relation: "debtor" } };
  const letter = await call(stack, "POST", "/v1/evidence", "dev-bank", { ...base, kind: "letter", direction: "outbound", occurredAt: new Date(now + 1000).toISOString(), content: "催收函 PROOF-PAGE-1" });
  expect(letter.status, JSON.stringify(letter.body)).toBe(201);
  const receipt = await call(stack, "POST", "/v1/evidence", "dev-bank", {
    ...base, kind: "delivery-proof", direction: "inbound", occurredAt: new Date(now + 60_000).toISOString(), content: "签收回执 PROOF-PAGE-1",
    delivery: { notice: letter.body.recordId, method: "signed-receipt" },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
  expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).body.status).toBe("anchored");
  proof = (await call(stack, "GET", `/v1/claims/${claimId}/interruption-proof`, "dev-bank")).body;
  expires = proof.periods[0].expiresAt;
  expect(expires).toBe(formatDay(addMonths(dayOf(chinaDay(now + 60_000)), 36)));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openAndUpload(name: string, content: object, rpc?: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${stack.baseUrl}/verify`);
  await page.waitForSelector("body[data-ready=true]");
  if (rpc) {
    await page.click("#rpc-box summary");
    await page.fill("#rpc", rpc);
  }
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content, null, 2));
  await page.setInputFiles("#file", path);
  await page.waitForSelector("#certificate:not([hidden])");
  return { page, errors };
}
const field = (page: Page, name: string) => page.locator(`#certificate [data-field="${name}"]`).innerText();

describe("court page /verify with a 时效中断证明", () => {
  it("verifies it in zh-CN, then in English: the recomputed last day, the maturity on chain, each link and record", async () => {
    const { page, errors } = await openAndUpload("proof.json", proof);
    await page.waitForSelector("#certificate[data-verified=true]");
    expect(await field(page, "title")).toBe("诉讼时效中断证明核验结果");
    expect(await field(page, "result")).toContain("通过");
    expect(await field(page, "recomputed")).toContain(expires);
    expect(await field(page, "maturity")).toContain(proof.claim.maturityAt.slice(0, 10));
    expect(await field(page, "chain")).toContain("催收送达");
    expect(await field(page, "chain")).toContain("签收回执");
    expect(await page.locator('#certificate [data-field="records"] li').count()).toBe(2);
    expect(await field(page, "records")).toContain("此后未被改动");
    expect(await field(page, "scope")).toContain("第十六条至第十八条");

    await page.click('button[data-lang="en"]');
    expect(await field(page, "title")).toBe("Verification of a proof of the interruption of the limitation period");
    expect(await field(page, "result")).toMatch(/verified — every record is anchored/);
    expect(await field(page, "chain")).toContain("demand delivered");
    expect(await page.locator("#certificate").innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("as the dishonest holder: a last day moved a year later is not verified, and the page says the recomputed day does not match", async () => {
    const later = structuredClone(proof);
    later.periods[0].expiresAt = formatDay(dayOf(expires) + 365);
    const { page, errors } = await openAndUpload("later.json", later);
    await page.waitForSelector("#certificate[data-verified=false]");
    expect(await field(page, "result")).toContain("未通过");
    expect(await field(page, "recomputed")).toContain("与所述届满日不一致");
    await page.click('button[data-lang="en"]');
    expect(await field(page, "recomputed")).toContain("does not match the stated day");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("as the dishonest holder: a delivery date rewritten inside the receipt's record fails that record in the browser; the court's own node checks the anchors", async () => {
    const forged = structuredClone(proof);
    forged.links[0].delivery.proof.bundle.record.occurredAt = new Date(Date.parse(forged.links[0].delivery.proof.bundle.record.occurredAt) + 86_400_000).toISOString();
    const { page, errors } = await openAndUpload("forged.json", forged, stack.chainUrl);
    await page.waitForSelector("#certificate[data-verified=false]");
    const failed = page.locator('#certificate [data-field="records"] li.failed');
    expect(await failed.count()).toBe(1);
    expect(await failed.getAttribute("data-at")).toBe("links[0].delivery.proof");
    expect(await field(page, "checkedBy")).toContain(stack.chainUrl);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
