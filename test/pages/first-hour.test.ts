import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStack, call, type TestStack } from "../helpers/stack.js";
import { seedDemo, demoHistoryDays } from "../../src/demo/seed.js";
import { chainTimeMs, chinaDay } from "../helpers/clock.js";
import { openConsole, signInConsole } from "../helpers/console-page.js";
import { NAMES_TEXTS } from "../../src/i18n/console/names.js";

/**
 * The console's first hour (issue 18) in headless Chromium, in zh-CN and English, against a real chain and API
 * seeded with the demo portfolio: / opens the console and an unknown page says so; finding a claim by contract
 * number or debtor name, a region filter and empty states; a contact's confirmation on the claim page; a
 * language switch that keeps a form; packages named in Chinese, their history after a reload and each claim's
 * share of the price; the court's disputes, evidence and ruling; a transaction in words; errors in the page's language.
 */
let stack: TestStack;
let browser: Browser;
let amc2: string;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" }, { startDaysAgo: demoHistoryDays() });
  await seedDemo({ api: stack.baseUrl, rpcUrl: stack.chainUrl, claims: 60 });
  amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 150_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(key: string, path?: string, lang: "zh-CN" | "en" = "zh-CN"): Promise<{ page: Page; errors: string[] }> {
  const session = await signInConsole(browser, stack.baseUrl, key, { lang });
  if (path) await open(session.page, path);
  return session;
}

const open = (page: Page, path: string) => openConsole(page, stack.baseUrl, path);

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
const noChinese = async (page: Page) => expect(await page.locator("#view").innerText()).not.toMatch(/[\u4e00-\u9fff]/);

describe("the console's first hour", () => {
  it("/ opens the console; an unknown console path is a console page saying so (404), in both languages", async () => {
    const root = await fetch(`${stack.baseUrl}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/console");
    expect((await fetch(`${stack.baseUrl}/console/no-such-page`)).status).toBe(404);
    const { page, errors } = await signIn("dev-amc", "/console/no-such-page");
    expect(await text(page, "#not-found h1")).toBe("没有这个页面");
    expect(await text(page, "#not-found")).toContain("/console/no-such-page");
    await page.click('button[data-lang="en"]');
    expect(await text(page, "#not-found h1")).toBe("There is no such page");
    await page.click("#not-found-home");
    await page.waitForURL((u) => u.pathname === "/console");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the dashboard says when a filter matches nothing, and that its trend is the whole portfolio's", async () => {
    const { page, errors } = await signIn("dev-amc", "/console?classification=substandard");
    expect(await text(page, "#trend-unfiltered")).toContain("不受上方筛选影响");
    await open(page, "/console?region=beijing"); // the demo lends nowhere in Beijing
    expect(await page.locator("canvas").count()).toBe(0);
    expect(await text(page, "#dashboard-empty")).toBe("没有符合筛选条件的债权：请放宽或清除筛选。");
    await page.click('button[data-lang="en"]');
    expect(await text(page, "#dashboard-empty")).toBe("No claim matches these filters: widen or clear them.");
    await noChinese(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("finds a claim by contract number or debtor name, filters by region, and says when nothing matches", async () => {
    const all = (await call(stack, "GET", "/v1/claims?limit=100", "dev-bank")).body;
    const target = all.claims[7];
    const { page, errors } = await signIn("dev-bank", "/console/claims");
    await page.fill("#claim-search input[name=q]", target.contractNo.toLowerCase());
    await page.click("#claim-search button[type=submit]");
    await page.waitForURL((u) => u.search.includes("q="));
    await page.waitForSelector("#view[data-loaded=true]");
    expect(await page.locator("#claims tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-claim")))).toEqual([target.claimId]);
    // By the debtor's name (a bank reads its debtors' names).
    await open(page, `/console/claims?q=${encodeURIComponent(target.debtorName)}`);
    const names = await page.locator("#claims tbody tr td:nth-child(2)").allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith(target.debtorName))).toBe(true);
    // A region filter (a searchable input over every division, test/pages/regions.test.ts), named in the page's language.
    await open(page, "/console/claims");
    const region = all.regions[0].region;
    await page.fill("#claim-filters input[data-region-input=region]", NAMES_TEXTS[`console.region.${region}`]!["zh-CN"]!);
    await page.click("#claim-filters button[type=submit]");
    await page.waitForURL((u) => u.search.includes(`region=${region}`));
    await page.waitForSelector("#view[data-loaded=true]");
    const regionNames = new Set(await page.locator("#claims tbody tr td:nth-child(4)").allInnerTexts());
    expect(regionNames.size).toBe(1);
    expect([...regionNames][0]).toMatch(/[\u4e00-\u9fff]/);
    // Nothing matches: a sentence, not an empty table.
    await open(page, "/console/claims?q=NO-SUCH-CONTRACT");
    expect(await page.locator("#claims").count()).toBe(0);
    expect(await text(page, "#claims-empty")).toContain("没有与“NO-SUCH-CONTRACT”匹配的债权");
    await page.click('button[data-lang="en"]');
    expect(await text(page, "#claims-empty")).toBe('No claim matches "NO-SUCH-CONTRACT".');
    await noChinese(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the claim page confirms a recorded contact with its hash-chain position; a language switch keeps a form in progress", async () => {
    const queue = (await call(stack, "GET", "/v1/queue?limit=5", "dev-collector")).body.items;
    const claimId = queue[2].claimId;
    const day = chinaDay(await chainTimeMs(stack.chainUrl), -1);
    const { page, errors } = await signIn("dev-collector", `/console/claims/${claimId}`);
    await page.click("#record-contact");
    const form = page.locator("form.contact-form");
    await form.locator("input[name=occurredAt]").fill(`${day}T10:00`);
    await form.locator("select[name=relation]").selectOption("guarantor");
    await form.locator("textarea[name=content]").fill("与担保人通话，约定下周面谈。");
    // Switching language keeps what was typed.
    await page.click('button[data-lang="en"]');
    expect(await form.locator("textarea[name=content]").inputValue()).toBe("与担保人通话，约定下周面谈。");
    expect(await form.locator("select[name=relation]").inputValue()).toBe("guarantor");
    expect(await form.locator("input[name=occurredAt]").inputValue()).toBe(`${day}T10:00`);
    await page.click('button[data-lang="zh-CN"]');
    await form.locator("button[type=submit]").click();
    const done = page.locator("#contact-recorded");
    await done.waitFor();
    const evidence = (await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-collector")).body;
    const last = evidence.records.at(-1);
    expect(await done.getAttribute("data-record")).toBe(last.recordId);
    expect(await done.getAttribute("data-seq")).toBe(String(evidence.count - 1)); // the API counts from 0, people from 1
    expect(await done.innerText()).toContain(`哈希链第 ${evidence.count} 条`);
    expect(await page.locator(`#evidence-timeline li[data-record="${last.recordId}"]`).count()).toBe(1);
    await page.click('button[data-lang="en"]');
    expect(await text(page, "#contact-recorded")).toContain(`entry ${evidence.count} of the hash chain`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("packages: a Chinese package id, the sale found again after a reload with each claim's share, the same id refused in the page's language", async () => {
    // Two products of which the AMC holds assignable claims: one to sell, one to try the same id again.
    const products: string[] = [];
    for (const product of ["consumer", "credit-card", "mortgage", "sme", "corporate"]) {
      const preview = (await call(stack, "POST", "/v1/packages/preview", "dev-amc", { filter: { product } })).body;
      if (preview.assignable.count > 0 && preview.assignable.count <= preview.maxPerAssignment) products.push(product);
    }
    expect(products.length).toBeGreaterThanOrEqual(2);
    const { page, errors } = await signIn("dev-amc", "/console/packages");
    expect(await page.locator("#package-history tr[data-package='PKG-DEMO-1']").count()).toBe(0); // sold by the bank, not by this AMC
    // A package by contract numbers (合同号), as people know the claims; an unknown one is named.
    const some = (await call(stack, "POST", "/v1/packages/preview", "dev-amc", { filter: { product: products[0] } })).body.claims.slice(0, 2);
    await page.fill("#package-ids textarea[name=claimIds]", some.map((c: any) => c.contractNo.toLowerCase()).join("，"));
    await page.click("#package-ids button[type=submit]");
    await page.waitForSelector("#package-claims");
    expect(await page.locator("#package-claims tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-claim")))).toEqual(some.map((c: any) => c.claimId));
    await page.fill("#package-ids textarea[name=claimIds]", "NO-SUCH-CONTRACT");
    await page.click("#package-ids button[type=submit]");
    await page.waitForSelector(".msg.error");
    expect(await text(page, ".msg.error")).toBe("没有合同号为 NO-SUCH-CONTRACT 的债权（或您无权查看）。");
    await page.selectOption("#package-filter select[name=product]", products[0]!);
    await page.click("#package-filter button[type=submit]");
    await page.waitForSelector("#package-claims");
    await page.fill("#assign input[name=to]", amc2);
    await page.fill("#assign input[name=packageId]", "2026年第一批消费贷资产包");
    await page.fill("#assign input[name=price]", "1000.01");
    await page.click("#assign-submit");
    await page.waitForSelector("#assigned");
    await page.reload();
    await page.waitForSelector("#view[data-loaded=true]");
    const row = page.locator("#package-history tr[data-package='2026年第一批消费贷资产包']");
    expect(await row.getAttribute("data-status")).toBe("done");
    expect(await row.locator("ul.shares li a").first().textContent()).toMatch(/^DEMO-\d{4}$/); // the claims by contract number
    const sold = (await call(stack, "GET", "/v1/packages", "dev-amc")).body.packages[0];
    expect(sold).toMatchObject({ packageId: "2026年第一批消费贷资产包", price: "100001", status: "done" });
    const shares = Object.values(sold.priceShares as Record<string, string>).map(BigInt);
    expect(shares.reduce((a, b) => a + b, 0n)).toBe(100_001n);
    // The chain carries a salted ref, never the name; the history names it for who may read the claim.
    const history = (await call(stack, "GET", `/v1/claims/${sold.claimIds[0]}/history`, "dev-amc2")).body.events.at(-1);
    expect(history).toMatchObject({ type: "assigned", packageId: "2026年第一批消费贷资产包", packageRef: sold.packageRef, price: "100001", priceShare: sold.priceShares[sold.claimIds[0].toLowerCase()] });
    expect(sold.packageRef).toMatch(/^0x[0-9a-f]{64}$/);
    // The claim page shows this claim's share, not the whole price as if it were the claim's.
    const buyer = await signIn("dev-amc2", `/console/claims/${sold.claimIds[0]}`);
    expect(await buyer.page.locator("#ownership [data-field=package]").last().innerText()).toContain("本笔分摊价格");
    await buyer.page.context().close();
    // The same id again: refused, said in Chinese.
    await page.selectOption("#package-filter select[name=product]", products[1]!);
    await page.click("#package-filter button[type=submit]");
    await page.waitForSelector("#package-claims");
    await page.fill("#assign input[name=to]", amc2);
    await page.fill("#assign input[name=packageId]", "2026年第一批消费贷资产包");
    await page.click("#assign-submit");
    await page.waitForSelector(".msg.error");
    expect(await text(page, ".msg.error")).toContain("资产包编号 2026年第一批消费贷资产包 已被本机构使用");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the court: disputes before it, the evidence, a ruling given with a confirmation and its execution, in both languages", async () => {
    const waiting = (await call(stack, "GET", "/v1/disputes?status=waiting", "dev-court")).body.disputes;
    expect(waiting.length).toBeGreaterThan(0);
    const d = waiting[0];
    const { page, errors } = await signIn("dev-court");
    expect(new URL(page.url()).pathname).toBe("/console/disputes");
    expect(await page.locator(`#disputes tr[data-dispute="${d.disputeId}"][data-status=waiting]`).count()).toBe(1);
    await page.click(`#disputes tr[data-dispute="${d.disputeId}"] a >> nth=0`);
    await page.waitForURL((u) => u.pathname === `/console/disputes/${d.disputeId}`);
    await page.waitForSelector("#view[data-loaded=true]");
    expect(await text(page, "#dispute-title")).toContain(d.contractNo);
    expect(await page.locator("#dispute-records li").count()).toBeGreaterThan(0);
    expect(await page.locator("#dispute-chain").getAttribute("data-complete")).toBe("true");
    await page.click('button[data-lang="en"]');
    expect(await text(page, "#ruling-form")).toContain("I confirm: this ruling is final");
    await page.click('button[data-lang="zh-CN"]');
    expect(await page.locator("#give-ruling").isDisabled()).toBe(true);
    await page.check("#ruling-form input[value=enforce]");
    expect(await page.locator("#give-ruling").isDisabled()).toBe(true); // not without the confirmation
    await page.check("#ruling-form input[name=confirm]");
    await page.click("#give-ruling");
    await page.waitForSelector("#ruled");
    expect(await text(page, "#ruled")).toContain("支持债权");
    expect(await page.locator("#execution li[data-event=ruling-applied] a[data-tx]").count()).toBe(1);
    expect(await page.locator("#execution li[data-event=enforcement-ordered]").count()).toBe(1);
    const after = (await call(stack, "GET", `/v1/disputes/${d.disputeId}`, "dev-court")).body;
    expect(after).toMatchObject({ status: "solved", ruling: "enforce", executed: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a transaction reads as sentences: names, contract numbers, the package's name, yuan — not bytes32 and raw fen", async () => {
    const sold = (await call(stack, "GET", "/v1/packages", "dev-amc")).body.packages.find((p: any) => p.status === "done");
    const first = (await call(stack, "GET", `/v1/claims?q=${sold.claimIds[0]}`, "dev-amc2")).body.claims[0];
    const { page, errors } = await signIn("dev-amc2", `/console/tx/${sold.txHash}`);
    const packageEvent = await text(page, "#events li[data-event=PackageAssigned] .said");
    expect(packageEvent).toContain(sold.packageId);
    expect(packageEvent).toContain("¥1,000.01");
    expect(packageEvent).toContain("Demo AMC");
    expect(packageEvent).not.toMatch(/0x[0-9a-f]{64}/);
    expect(await text(page, `#events li[data-event=ClaimAssigned] .said >> nth=0`)).toContain("合同");
    expect(await page.locator(`#events a[data-claim="${first.claimId}"]`).count()).toBeGreaterThan(0);
    await page.click('button[data-lang="en"]');
    expect(await text(page, "#events li[data-event=PackageAssigned] .said")).toMatch(/^Package .* claims assigned by/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
