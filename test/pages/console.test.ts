import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStack, call, type TestStack } from "../helpers/stack.js";
import { seedDemo, demoHistoryDays } from "../../src/demo/seed.js";
import { chainTimeMs, chinaDay } from "../helpers/clock.js";
import { openConsole, signInConsole } from "../helpers/console-page.js";

/**
 * The console in headless Chromium against a real chain and API, seeded with the demo portfolio:
 * sign-in, dashboard numbers checked against GET /v1/portfolio, the work queue by priority, recording a
 * contact (and a refused one at 23:00, the rule shown in the page's language), the claim page, packages,
 * and what a role may not see.
 */

let stack: TestStack;
let browser: Browser;
let amc: string;
let amc2: string;

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" }, { startDaysAgo: demoHistoryDays() });
  await seedDemo({ api: stack.baseUrl, rpcUrl: stack.chainUrl, claims: 60 });
  amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 150_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** As the pages format fen. */
function money(fen: string): string {
  const v = BigInt(fen);
  const major = (v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `¥${major}.${(v % 100n).toString().padStart(2, "0")}`;
}

/** YYYY-MM-DD of yesterday in China by the chain's clock (after the seed's sales, whichever way the seed moved the chain). */
async function yesterdayInChina(): Promise<string> {
  return chinaDay(await chainTimeMs(stack.chainUrl), -1);
}

/** A fresh browser context (in China's time zone), signed in with `key`; the page's errors are collected. */
async function signIn(key: string, path?: string): Promise<{ page: Page; errors: string[] }> {
  const session = await signInConsole(browser, stack.baseUrl, key);
  if (path) await open(session.page, path);
  return session;
}

const open = (page: Page, path: string) => openConsole(page, stack.baseUrl, path);

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe("console pages", () => {
  it("are served by the API (no CDN, strict CSP, Chart.js from node_modules); signing in needs a known key", async () => {
    const res = await fetch(`${stack.baseUrl}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ["console/app.js", "console/dashboard.js", "console/console.css", "chart.umd.min.js"]) {
      expect({ asset, status: (await fetch(`${stack.baseUrl}/assets/${asset}`)).status }).toEqual({ asset, status: 200 });
    }
    // Without a key the console sends you to sign in; an unknown key is refused there.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/console/queue`);
    await page.waitForURL((u) => u.pathname === "/console/sign-in");
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await page.fill("#api-key", "not-a-key");
    await page.click("#signin button[type=submit]");
    await page.waitForSelector("#signin-status.error");
    expect(await text(page, "#signin-status")).toContain("密钥无效");
    await page.fill("#api-key", "dev-collector");
    await page.click("#signin button[type=submit]");
    await page.waitForURL((u) => u.pathname === "/console/queue");
    // The key lives in sessionStorage only.
    expect(await page.evaluate(() => [sessionStorage.getItem("debtrail.apiKey"), localStorage.length])).toEqual(["dev-collector", 0]);
    await context.close();
  });

  it("dashboard renders the demo portfolio's numbers as GET /v1/portfolio gives them, in zh-CN and English", async () => {
    const { page, errors } = await signIn("dev-amc");
    expect(new URL(page.url()).pathname).toBe("/console");
    const api = (await call(stack, "GET", "/v1/portfolio", "dev-amc")).body;
    expect(api.count).toBe(40);
    expect(await text(page, "[data-kpi=count] .value")).toBe(String(api.count));
    expect(await text(page, "[data-kpi=outstanding] .value")).toBe(money(api.outstanding));
    expect(await text(page, "[data-kpi=expectedRecovery] .value")).toBe(money(api.expectedRecovery));
    // 诉讼时效 (issue 17): claims whose period ends within 90 days, and the time-barred ones, as the API counts them.
    expect(await text(page, "[data-kpi=limitationExpiring] .value")).toBe(String(api.limitation.expiring));
    expect(await text(page, "[data-kpi=limitationExpiring] .note")).toContain(`已过诉讼时效 ${api.limitation.expired} 笔`);
    for (const c of api.byClass) {
      const row = `table[data-table=class] tr[data-key="${c.classification}"]`;
      expect(await text(page, `${row} td[data-col=count]`)).toBe(String(c.count));
      expect(await text(page, `${row} td[data-col=outstanding]`)).toBe(money(c.outstanding));
    }
    expect(await text(page, 'table[data-table=class] tr[data-key="substandard"] td[data-col=class]')).toBe("次级");
    for (const s of api.byState.filter((x: any) => x.count > 0)) {
      expect(await text(page, `table[data-table=state] tr[data-key="${s.state}"] td[data-col=count]`)).toBe(String(s.count));
    }
    for (const r of api.byRegion) expect(await text(page, `table[data-table=region] tr[data-key="${r.region}"] td[data-col=outstanding]`)).toBe(money(r.outstanding));
    for (const p of api.byProduct) expect(await text(page, `table[data-table=product] tr[data-key="${p.product}"] td[data-col=count]`)).toBe(String(p.count));
    expect(await text(page, `table[data-table=holder] tr[data-key="${api.byHolder[0].holder}"] td[data-col=holder]`)).toBe("Demo AMC (dev)");
    // The trend: the seeded oracle history (rebuilt from the reports on chain) and today's snapshot.
    expect(api.trend.length).toBeGreaterThanOrEqual(2);
    expect(api.trend.map((d: any) => d.source)).toContain("reports");
    expect(api.trend.at(-1).source).toBe("live");
    expect(await page.locator("table[data-table=trend] tbody tr").count()).toBe(api.trend.length);
    // The charts hold the same figures (Chart.js, yuan).
    const classChart = await page.evaluate(() => (window as any).Chart.getChart(document.getElementById("class")).data.datasets[0].data);
    expect(classChart).toEqual(api.byClass.map((c: any) => Number(BigInt(c.outstanding)) / 100));
    const trendChart = await page.evaluate(() => (window as any).Chart.getChart(document.getElementById("trend")).data.labels);
    expect(trendChart).toEqual(api.trend.map((d: any) => d.day));

    // A filter: the figures follow the API's for the same filter, and the URL keeps it.
    const filtered = (await call(stack, "GET", "/v1/portfolio?classification=substandard", "dev-amc")).body;
    await page.selectOption("#filters select[name=classification]", "substandard");
    await page.click("#filters button[type=submit]");
    await page.waitForURL((u) => u.search.includes("classification=substandard"));
    await page.waitForSelector("#view[data-loaded=true]");
    expect(await text(page, "[data-kpi=count] .value")).toBe(String(filtered.count));
    expect(await text(page, "[data-kpi=outstanding] .value")).toBe(money(filtered.outstanding));
    await page.click("#clear-filters");
    await page.waitForSelector("#view[data-loaded=true]");
    expect(await text(page, "[data-kpi=count] .value")).toBe(String(api.count));

    // English: every visible text switches (debtor names are not on this page).
    await page.click('button[data-lang="en"]');
    expect(await text(page, "h1")).toBe("Portfolio at a glance");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await text(page, 'table[data-table=class] tr[data-key="substandard"] td[data-col=class]')).toBe("Substandard");
    expect(await page.locator("#view").innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator("#nav").innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await text(page, "[data-kpi=outstanding] .value")).toBe(money(api.outstanding));
    expect(await text(page, "[data-kpi=limitationExpiring] .label")).toBe("Limitation ends within 90 days");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the work queue lists the AMC's open cases by priority, with reasons, deadlines, last contact and the disposal path", async () => {
    const { page, errors } = await signIn("dev-collector", "/console/queue");
    const api = (await call(stack, "GET", "/v1/queue?limit=50", "dev-collector")).body;
    expect(api.total).toBeGreaterThan(5);
    const rows = page.locator("#queue tbody tr[data-claim]");
    expect(await rows.count()).toBe(api.items.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-claim")))).toEqual(api.items.map((i: any) => i.claimId));
    const priorities = await page.locator("#queue td[data-col=priority]").evaluateAll((tds) => tds.map((td) => BigInt(td.getAttribute("data-value")!)));
    for (let i = 1; i < priorities.length; i++) expect(priorities[i - 1] >= priorities[i]).toBe(true);
    const first = api.items[0];
    expect(await text(page, "#queue tr[data-rank='1'] td[data-col=priority]")).toBe(money(first.priority));
    expect(await page.locator("#queue tr[data-rank='1'] [data-col=reasons] li").count()).toBeGreaterThan(0);
    expect(await text(page, "#queue tr[data-rank='1'] [data-col=reasons]")).toContain(first.reasons[0].zh);
    expect(await text(page, "#queue tr[data-rank='1'] [data-col=path]")).toBe({ "self-collection": "自行清收", restructuring: "债务重组", "package-sale": "批量转让", "litigation-auction": "诉讼及司法拍卖", "write-off": "核销" }[first.recommended.path as string]);
    expect(api.items.some((i: any) => i.nextDeadline)).toBe(true);
    expect(api.items.some((i: any) => i.lastContact)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("records a contact from the queue; one at 23:00 is refused with the contact-hours rule shown, in the page's language", async () => {
    const { page, errors } = await signIn("dev-collector", "/console/queue");
    const claimId = await page.locator("#queue tr[data-rank='1']").getAttribute("data-claim");
    await page.click("#queue tr[data-rank='1'] button.record-contact");
    const form = page.locator(`tr[data-form-for="${claimId}"] form.contact-form`);
    await form.waitFor();
    const day = await yesterdayInChina();
    await form.locator("select[name=kind]").selectOption("call");
    await form.locator("input[name=occurredAt]").fill(`${day}T10:30`);
    expect(await form.locator("input[name=name]").inputValue()).not.toBe(""); // the debtor, as the collector may see it
    await form.locator("textarea[name=content]").fill("电话联系债务人，对方承诺月底前还款。");
    await form.locator("button[type=submit]").click();
    const recorded = form.locator("[data-outcome=recorded]");
    await recorded.waitFor();
    const recordId = await recorded.getAttribute("data-record");
    const chain = (await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-collector")).body;
    const record = chain.records.find((r: any) => r.recordId === recordId);
    expect(record.record).toMatchObject({ kind: "call", channel: "phone", direction: "outbound", occurredAt: new Date(`${day}T10:30:00+08:00`).toISOString() });
    expect(chain.complete).toBe(true);
    expect(await text(page, "#queue tr[data-rank='1'] td[data-col=contact]")).toContain("电话");

    // 23:00 in the debtor's time zone: refused, the rule named, nothing recorded.
    await form.locator("input[name=occurredAt]").fill(`${day}T23:00`);
    await form.locator("textarea[name=content]").fill("夜间电话");
    await form.locator("button[type=submit]").click();
    const refused = form.locator("[data-outcome=refused]");
    await refused.waitFor();
    expect(await refused.getAttribute("data-rule")).toBe("contact-hours");
    expect(await refused.innerText()).toContain("联系时段");
    expect(await refused.innerText()).toContain("23:00");
    expect(await refused.innerText()).toContain("08:00–21:00");
    const after = (await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-collector")).body;
    expect(after.count).toBe(chain.count);

    // The same refusal in English.
    await page.click('button[data-lang="en"]');
    const formEn = page.locator(`tr[data-form-for="${claimId}"] form.contact-form`);
    await formEn.locator("input[name=occurredAt]").fill(`${day}T23:00`);
    await formEn.locator("textarea[name=content]").fill("night call");
    await formEn.locator("button[type=submit]").click();
    const refusedEn = formEn.locator("[data-outcome=refused]");
    await refusedEn.waitFor();
    expect(await refusedEn.innerText()).toContain("Refused (contact-hours)");
    expect(await refusedEn.innerText()).toContain("outside contact hours 08:00–21:00");
    expect(await refusedEn.innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    const audit = (await call(stack, "GET", "/v1/evidence/refused", "dev-admin")).body.refused;
    expect(audit.filter((r: any) => r.claimId === claimId && r.rule === "contact-hours").length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the claim page shows terms, ownership chain, case timeline and dispute, evidence with hash-chain status, each linked to its transaction", async () => {
    // The seed's ruled dispute (the other one still waits in arbitration): an award is final, executed at once.
    const list = (await call(stack, "GET", "/v1/claims?state=ruled", "dev-amc")).body;
    expect(list.total).toBe(1);
    const { claimId, contractNo } = list.claims[0];
    const [history, kase, evidence] = await Promise.all([
      call(stack, "GET", `/v1/claims/${claimId}/history`, "dev-amc"),
      call(stack, "GET", `/v1/cases/${claimId}`, "dev-amc"),
      call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc"),
    ]);
    const { page, errors } = await signIn("dev-amc", `/console/claims/${claimId}`);
    expect(await text(page, "#claim-title")).toContain(contractNo);
    expect(await text(page, "[data-field=holder]")).toBe(amc);
    expect(await text(page, "[data-field=contractNo]")).toBe(contractNo);
    // The coverage threshold reads as a percentage, never basis points (issue 17's review).
    expect(await text(page, "[data-field=clauses]")).toMatch(/押品覆盖率低于\d+(\.\d+)?%/);
    expect(await text(page, "[data-field=clauses]")).not.toContain("基点");
    // Ownership: registered, then sold in the demo package, each with its transaction.
    expect(await page.locator("#ownership li").count()).toBe(history.body.events.length);
    expect(await page.locator("#ownership li[data-event=assigned]").innerText()).toContain("PKG-DEMO-1");
    expect(await page.locator("#ownership a[data-tx]").evaluateAll((as) => as.map((a) => a.getAttribute("data-tx")))).toEqual(history.body.events.map((e: any) => e.txHash));
    // Case: oracle reports, warning and demand (with notice hashes), arbitration; the dispute and its ruling.
    expect(await page.locator("#case-timeline li").count()).toBe(kase.body.timeline.length);
    expect(await page.locator("#case-timeline li a[data-tx]").count()).toBe(kase.body.timeline.length);
    expect(await page.locator("#case-timeline li[data-event=report]").count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator("#case-timeline li.warning").count()).toBe(2);
    expect(await page.locator("#case-timeline li[data-event=arbitration-started]").innerText()).toContain(`#${kase.body.disputeId}`);
    expect(await text(page, "#dispute [data-field=ruling]")).toContain("支持债权");
    expect(await text(page, "#dispute")).toContain("终局裁决"); // no appeal period shown: the award is final
    // Evidence: the hash chain is complete; anchored records link to the anchoring transaction.
    expect(await page.locator("#chain-status").getAttribute("data-complete")).toBe("true");
    expect(await page.locator("#evidence-timeline > li").count()).toBe(evidence.body.count);
    const anchored = evidence.body.records.filter((r: any) => r.status === "anchored");
    expect(anchored.length).toBeGreaterThan(0);
    expect(await page.locator('#evidence-timeline li[data-status=anchored] a[data-tx]').first().getAttribute("data-tx")).toBe(anchored[0].anchor.txHash);
    expect(await page.locator("a[href='/verify']").count()).toBeGreaterThan(0);

    // A transaction link opens the transaction: block, status and decoded events.
    const report = kase.body.timeline.find((i: any) => i.type === "report");
    await page.click(`#case-timeline a[data-tx="${report.txHash}"] >> nth=0`);
    await page.waitForURL((u) => u.pathname === `/console/tx/${report.txHash}`);
    await page.waitForSelector("#view[data-loaded=true]");
    expect(await text(page, "[data-field=status]")).toBe("成功");
    expect(await text(page, "[data-field=block]")).toBe(String(report.blockNumber));
    expect(await page.locator("#events li[data-event=ReportApplied]").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the claim page labels the originator's prior history as its statement with the date it was entered, never as a contact", async () => {
    // A demo claim the bank kept (registered by the seed, which never moves the chain back 500 days).
    const bank = (await call(stack, "GET", "/v1/me", "dev-bank")).body.address;
    const claimId = (await call(stack, "GET", `/v1/claims?holder=${bank}&limit=1`, "dev-bank")).body.claims[0].claimId;
    const registeredAt = await chainTimeMs(stack.chainUrl);
    const statement = await call(stack, "POST", "/v1/evidence", "dev-bank", {
      claimId, kind: "prior-history", priorEvent: "demand", channel: "post", direction: "outbound",
      occurredAt: new Date(registeredAt - 500 * 86_400_000).toISOString(), actor: "bank-archive",
      counterparty: { name: "张三", relation: "debtor" }, content: "登记前的催收函（银行档案）",
    });
    expect(statement.status, JSON.stringify(statement.body)).toBe(201);
    const { page, errors } = await signIn("dev-bank", `/console/claims/${claimId}`);
    const item = page.locator(`#evidence-timeline li[data-record="${statement.body.recordId}"]`);
    expect(await item.getAttribute("data-nature")).toBe("originator-statement");
    expect(await item.innerText()).toContain("既往事项（原始债权人陈述）");
    expect(await item.locator(".statement").innerText()).toContain("非同期记录");
    await page.click('button[data-lang="en"]');
    const itemEn = page.locator(`#evidence-timeline li[data-record="${statement.body.recordId}"] .statement`);
    await expect.poll(() => itemEn.innerText()).toContain("not a contemporaneous record");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the claim page values the collateral from comparables: a P10–P90 range and the comparables used", async () => {
    const list = (await call(stack, "GET", "/v1/claims?product=mortgage&limit=50", "dev-amc")).body;
    const secured = list.claims.find((c: any) => c.collateralValue !== null && c.region);
    expect(secured).toBeDefined();
    const { page, errors } = await signIn("dev-amc", `/console/claims/${secured.claimId}`);
    expect(await page.locator("#no-valuation").count()).toBe(1); // no building age on file yet
    await page.fill("#valuation-form input[name=age]", "12");
    await page.click("#valuation-form button[type=submit]");
    await page.waitForSelector("#valuation");
    const api = (await call(stack, "GET", `/v1/claims/${secured.claimId}/assessment?collateralAgeYears=12&daysPastDue=${secured.daysPastDue}`, "dev-amc")).body;
    expect(await text(page, "#valuation [data-field=value]")).toBe(money(api.result.valuation.value));
    expect(await text(page, "#valuation [data-field=range]")).toBe(`区间 P10 ${money(api.result.valuation.p10)} – P90 ${money(api.result.valuation.p90)}`);
    expect(await page.locator("#comparables tbody tr").count()).toBe(api.result.valuation.comparables.length);
    expect(await page.locator("#paths .recommended").innerText()).toContain("推荐");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("packages: filter, preview (valuation and expected recovery as the API gives them), assign to a holder in one transaction", async () => {
    const preview = (await call(stack, "POST", "/v1/packages/preview", "dev-amc", { filter: { product: "corporate" } })).body;
    expect(preview.assignable.count).toBeGreaterThan(0);
    const { page, errors } = await signIn("dev-amc", "/console/packages");
    await page.selectOption("#package-filter select[name=product]", "corporate");
    await page.click("#package-filter button[type=submit]");
    await page.waitForSelector("#package-claims");
    expect(await text(page, "[data-totals=all] [data-field=count]")).toBe(String(preview.all.count));
    expect(await text(page, "[data-totals=all] [data-field=outstanding]")).toBe(money(preview.all.outstanding));
    expect(await text(page, "[data-totals=all] [data-field=expectedRecovery]")).toBe(money(preview.all.expectedRecovery));
    expect(await text(page, "[data-totals=all] [data-field=indicativePrice]")).toBe(money(preview.all.indicativePrice));
    expect(await page.locator("#package-claims tbody tr").count()).toBe(preview.claims.length);
    expect(await page.locator("#package-claims input[type=checkbox]:checked").count()).toBe(preview.assignable.count);
    expect(await page.locator("#assign input[name=to]").inputValue()).toBe(amc2);
    // The notice's operative text is Chinese, delivery starts it (民法典第五百四十六条); the English is a labelled translation.
    const notice = await page.locator("#assign textarea[name=notice]").inputValue();
    expect(notice).toMatch(/^债权转让通知：/);
    expect(notice).toContain("自本通知送达之日起");
    expect(notice.indexOf("英文译文（仅供参考；中英文本如有不一致，以中文文本为准）")).toBeLessThan(notice.indexOf("Notice of assignment"));
    await page.click("#assign-submit");
    await page.waitForSelector("#assigned");
    expect(await page.locator("#assigned a[data-tx]").count()).toBe(1);
    for (const c of preview.claims) {
      const claim = (await call(stack, "GET", `/v1/claims/${c.claimId}`, "dev-amc2")).body;
      expect(claim.onChain.holder).toBe(amc2);
    }
    const history = (await call(stack, "GET", `/v1/claims/${preview.claims[0].claimId}/history`, "dev-amc2")).body.events;
    expect(history.at(-1)).toMatchObject({ type: "assigned", from: amc, to: amc2 });
    expect((await call(stack, "GET", "/v1/portfolio", "dev-amc2")).body.count).toBe(preview.assignable.count);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the claim page proposes settlement offers and lists them; the work queue shows the offer's status", async () => {
    const held = async (state: string) => (await call(stack, "GET", `/v1/claims?state=${state}&holder=${amc}&limit=100`, "dev-amc")).body.claims;
    const candidates = [...(await held("demanded")), ...(await held("warned"))];
    expect(candidates.length).toBeGreaterThan(0);
    const { claimId, contractNo } = candidates[0];
    const { page, errors } = await signIn("dev-amc", `/console/claims/${claimId}`);
    expect(await page.locator("#no-offers").count()).toBe(1);
    await page.click("#propose-offers");
    await page.waitForSelector("#offer-msg");
    await page.waitForSelector("#view[data-loaded=true]");
    const listed = (await call(stack, "GET", `/v1/claims/${claimId}/offers`, "dev-amc")).body;
    expect(listed.count, await text(page, "#offer-msg")).toBeGreaterThan(0);
    expect(await page.locator("#offer-msg .msg.ok").count()).toBe(1);
    expect(await page.locator("#offers tbody tr").count()).toBe(listed.count);
    const zh: Record<string, string> = { "pending-approval": "方案待审批", proposed: "已发出待接受" };
    for (const o of listed.offers) {
      const row = page.locator(`#offers tr[data-key="${o.offerId}"]`);
      expect(await row.locator("[data-col=status] [data-status]").getAttribute("data-status")).toBe(o.status);
      expect(await row.locator("[data-col=status]").innerText()).toBe(zh[o.status]);
      expect(await row.locator("[data-col=figures]").innerText()).toContain(money(o.figures.total));
      expect(await row.locator("button.approve-offer").count()).toBe(o.status === "pending-approval" ? 1 : 0);
      expect(await row.locator("button.accept-offer").count()).toBe(o.status === "proposed" ? 1 : 0);
    }
    // The work queue shows the claim's latest offer.
    const latest = listed.offers[listed.offers.length - 1];
    const queued = (await call(stack, "GET", `/v1/queue?limit=1000`, "dev-amc")).body.items.find((i: any) => i.claimId === claimId);
    expect(queued.offer).toMatchObject({ offerId: latest.offerId, status: latest.status });
    const state = (await call(stack, "GET", `/v1/cases/${claimId}`, "dev-amc")).body.state;
    await open(page, `/console/queue?state=${state}`);
    const cell = page.locator(`#queue tr[data-claim="${claimId}"] [data-col=offer] [data-offer]`);
    expect(await cell.getAttribute("data-offer")).toBe(latest.status);
    expect(await cell.innerText()).toBe(zh[latest.status]);
    expect(contractNo).toBeTruthy();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the claim page records a field survey from the collateral type's checklist; structural damage is listed with its reason", async () => {
    const list = (await call(stack, "GET", `/v1/claims?product=mortgage&holder=${amc}&limit=100`, "dev-amc")).body.claims;
    let claimId: string | undefined;
    for (const c of list) {
      const full = (await call(stack, "GET", `/v1/claims/${c.claimId}`, "dev-amc")).body;
      if (full.offChain?.collateral?.type === "residential") {
        claimId = c.claimId;
        break;
      }
    }
    expect(claimId).toBeDefined();
    const checklist = (await call(stack, "GET", "/v1/surveys/checklists", "dev-amc")).body.checklists.find((c: any) => c.assetType === "residential");
    const { page, errors } = await signIn("dev-amc", `/console/claims/${claimId}`);
    expect(await page.locator("#no-surveys").count()).toBe(1);
    expect(await page.locator("#survey-form [data-item]").count()).toBe(checklist.items.length);
    await page.fill("#survey-form input[name=surveyor]", "surveyor-017");
    await page.fill("#survey-form input[data-region-input=region]", "上海");
    await page.selectOption('#survey-form select[name="item:structure"]', "structural-damage");
    await page.fill('#survey-form input[name="note:structure"]', "承重墙斜向贯通裂缝 / diagonal crack through a load-bearing wall");
    await page.click("#survey-form button[type=submit]");
    await page.waitForSelector("#surveys li[data-survey]");
    await page.waitForSelector("#view[data-loaded=true]");
    const api = (await call(stack, "GET", `/v1/claims/${claimId}/surveys`, "dev-amc")).body;
    expect(api.count).toBe(1);
    const sv = api.surveys[0];
    expect(sv.adjustments).toEqual([expect.objectContaining({ flag: "structural-damage", factorBps: 7500 })]);
    expect(await page.locator("#survey-msg .msg.ok").innerText()).toContain(sv.id);
    const item = page.locator(`#surveys li[data-survey="${sv.id}"]`);
    expect(await item.locator("[data-flag=structural-damage]").innerText()).toContain(sv.adjustments[0].zh);
    expect(sv.judged).toContainEqual(expect.objectContaining({ item: "structure", value: "structural-damage", note: expect.stringContaining("承重墙") }));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("what a role may not see is not shown: a court has no dashboard, queue, packages or record-contact button", async () => {
    // A judge lands on the disputes before the court (issue 18); claims and the court page beside them.
    const { page, errors } = await signIn("dev-court");
    expect(new URL(page.url()).pathname).toBe("/console/disputes");
    expect(await page.locator("#nav a").evaluateAll((as) => as.map((a) => a.getAttribute("data-nav")))).toEqual(["claims", "disputes", "verify"]);
    await open(page, "/console/claims");
    // A court lists the claims whose case is before it (a dispute), not every claim (issue 14).
    const disputed = (await call(stack, "GET", "/v1/claims?limit=1000", "dev-admin")).body.claims.filter((c: { disputeId: string | null }) => c.disputeId !== null);
    expect(disputed.length).toBeGreaterThan(0);
    expect(await text(page, "#claims-total")).toContain(String(disputed.length));
    await open(page, "/console/packages");
    expect(await page.locator("#forbidden").isVisible()).toBe(true);
    expect(await page.locator("#package-filter").count()).toBe(0);
    await open(page, "/console/queue");
    expect(await page.locator("#forbidden").isVisible()).toBe(true);
    const claimId = (await call(stack, "GET", "/v1/claims?state=in-arbitration", "dev-court")).body.claims[0].claimId;
    await open(page, `/console/claims/${claimId}`);
    expect(await page.locator("#record-contact").count()).toBe(0);
    expect(await page.locator("button.record-contact").count()).toBe(0);
    expect(await page.locator("#propose-offers, #survey-form, button.approve-offer, button.accept-offer").count()).toBe(0);
    expect(await page.locator("[data-section=offers]").count()).toBe(1); // offers are visible, not the buttons
    expect(await text(page, "[data-field=debtor]")).not.toContain("个人信息不可见"); // a court reads personal data
    expect((await call(stack, "POST", "/v1/packages/preview", "dev-court", { filter: {} })).status).toBe(403);
    // A claim not before it: the on-chain facts, and a note that the off-chain details are withheld.
    const notBefore = (await call(stack, "GET", "/v1/claims?state=warned&limit=1", "dev-admin")).body.claims[0].claimId;
    await open(page, `/console/claims/${notBefore}`);
    expect(await page.locator("#evidence-withheld").isVisible()).toBe(true);
    expect(await text(page, "#evidence-withheld")).toContain("链下信息仅向");
    expect(await page.locator("#evidence-timeline").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();

    // A collector: the queue (with the record button) and claims, no dashboard or packages.
    const collector = await signIn("dev-collector");
    expect(await collector.page.locator("#nav a").evaluateAll((as) => as.map((a) => a.getAttribute("data-nav")))).toEqual(["queue", "claims", "verify"]);
    expect(await collector.page.locator("button.record-contact").count()).toBeGreaterThan(0);
    await collector.page.context().close();

    // Another AMC sees none of the first AMC's claims' personal data and cannot record evidence on them.
    const other = await signIn("dev-amc2", `/console/claims/${claimId}`);
    expect(await other.page.locator("#record-contact").count()).toBe(0);
    expect(await text(other.page, "[data-field=debtor]")).toContain("个人信息不可见");
    await other.page.context().close();
  });
});
