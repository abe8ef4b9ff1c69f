import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { openConsole, signInConsole } from "../helpers/console-page.js";
import { advanceChain, chainTimeMs } from "../helpers/clock.js";

/**
 * The market's console pages in Chromium (issue 19), both languages, one stack: the bank (中文) lists two personal
 * NPLs — refused first when opened to qualified investors, the rule named — two licensed AMCs (English, 中文) bid
 * sealed through the page, the seller's page shows no amount before the reveal, the chain's time moves past the
 * window, the bids reveal (one by hand, one by its node), the seller awards and executes from the page, the winner
 * pays and sees "won"; a qualified investor is refused the bid with the rule in both languages. No buyer's page
 * carries the debtors' personal data.
 */
let stack: TestStack;
let browser: Browser;
const chainNow = async () => Math.floor((await chainTimeMs(stack.chainUrl)) / 1000);
/** Moves the chain's clock to unix second `t` (a block mined there). */
const jumpTo = async (t: number) => advanceChain(stack.chainUrl, Math.max(0, t - (await chainNow())) * 1000);
/** Unix seconds as a datetime-local value in China (the browser contexts' time zone). */
const local = (s: number) => new Date((s + 8 * 3600) * 1000).toISOString().slice(0, 16);

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 150_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const PERSONAL = ["张三", "110101199003077774", "13800138000", "1101011990", "MKTPG-"];
async function noPersonalData(page: Page) {
  const seen = `${await page.content()}\n${await page.locator("body").innerText()}`;
  for (const p of PERSONAL) expect(seen, p).not.toContain(p);
}

describe("the market's listing and bidding pages", () => {
  it("seller lists, buyers bid sealed, reveal, award, payment, execution — and the refusals, in both languages", async () => {
    const claimIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(`MKTPG-${Date.now()}-${i}`));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      claimIds.push(r.body.claimId);
    }
    const addr = async (key: string) => ((await call(stack, "GET", "/v1/me", key)).body.address as string).toLowerCase();
    const amcA = await addr("dev-amc");
    const amcB = await addr("dev-amc2");
    const now = await chainNow();
    const commitEnd = Math.ceil((now + 900) / 60) * 60;
    const revealEnd = commitEnd + 600;

    // The seller (中文) lists, first opened to qualified investors: refused with the rule (26号文), in Chinese.
    const bank = await signInConsole(browser, stack.baseUrl, "dev-bank");
    await openConsole(bank.page, stack.baseUrl, "/console/market");
    const f = "#listing-new";
    await bank.page.fill(`${f} [name=label]`, "页面测试个人不良包");
    await bank.page.fill(`${f} [name=claimIds]`, claimIds.join("\n"));
    await bank.page.fill(`${f} [name=commitEnd]`, local(commitEnd));
    await bank.page.fill(`${f} [name=revealEnd]`, local(revealEnd));
    await bank.page.fill(`${f} [name=days]`, "1");
    await bank.page.fill(`${f} [name=deposit]`, "10000");
    await bank.page.fill(`${f} [name=reserve]`, "500000");
    await bank.page.check(`${f} [name=hideReserve]`);
    await bank.page.check(`${f} [name=openToInvestors]`);
    await bank.page.click(`${f} button[type=submit]`);
    await bank.page.waitForSelector("#listing-error");
    expect(await bank.page.innerText("#listing-error")).toMatch(/licensedAmcOnly.*个人不良贷款.*26号文/);
    await bank.page.uncheck(`${f} [name=openToInvestors]`);
    await bank.page.click(`${f} button[type=submit]`);
    await bank.page.waitForSelector("#my-listings");
    const row = bank.page.locator("#my-listings tbody tr").first();
    expect(await row.locator("[data-col=buyers] [data-rule]").getAttribute("data-rule")).toBe("personal");
    expect(await row.locator("[data-col=reserve]").innerText()).toBe("保密");
    const id = (await row.getAttribute("data-key"))!;

    // amcA (English) bids 700,000.00 yuan; amcB (中文) 900,000.00 yuan, each through its page.
    const bid = async (key: string, lang: "en" | "zh-CN", yuan: string, ref: string) => {
      const s = await signInConsole(browser, stack.baseUrl, key, { lang });
      await openConsole(s.page, stack.baseUrl, "/console/market");
      await s.page.click(`#open-listings a[data-listing="${id}"]`);
      await s.page.waitForSelector("#bid");
      await s.page.fill("#bid [name=amount]", yuan);
      await s.page.fill("#bid [name=depositProof]", ref);
      await s.page.click("#bid button[type=submit]");
      await s.page.waitForSelector("#my-bid[data-bid-status=committed]");
      return s;
    };
    const a = await bid("dev-amc", "en", "700000", "DEP-PAGE-A");
    expect(await a.page.innerText("#my-bid")).toContain("¥700,000.00");
    expect(await a.page.locator("#bid").count()).toBe(0); // the form is gone once the bid is in
    const b = await bid("dev-amc2", "zh-CN", "900000", "DEP-PAGE-B");
    expect(await b.page.innerText("#my-bid")).toContain("已出价（密封）");

    // A qualified investor: told the rule before bidding, refused with it, in English and after a switch in 中文.
    const inv = await signInConsole(browser, stack.baseUrl, "dev-investor", { lang: "en" });
    await openConsole(inv.page, stack.baseUrl, `/console/market/listings/${id}`);
    expect(await inv.page.innerText("#bid-rule")).toContain("licensed AMCs only: personal NPLs");
    await inv.page.fill("#bid [name=amount]", "990000");
    await inv.page.fill("#bid [name=depositProof]", "DEP-INV");
    await inv.page.click("#bid button[type=submit]");
    await inv.page.waitForSelector("#listing-error");
    expect(await inv.page.innerText("#listing-error")).toContain("only licensed AMCs may bid (CBIRC No. 26)");
    await inv.page.click("button[data-lang=zh-CN]");
    expect(await inv.page.innerText("#listing-error")).toContain("仅持牌资产管理公司可以出价（26号文）");

    // The seller's page before the reveal: two sealed bids, no amount anywhere on the page.
    await openConsole(bank.page, stack.baseUrl, `/console/market/listings/${id}`);
    expect(await bank.page.locator("#bids [data-sealed=true]").count()).toBe(2);
    const before = await bank.page.content();
    for (const amount of ["700,000", "900,000", "70000000", "90000000"]) expect(before).not.toContain(amount);
    expect(await bank.page.innerText("[data-field=reserve]")).toBe("¥500,000.00"); // its own hidden reserve

    // Bidding closes on chain: amcA reveals by hand, amcB's node by itself.
    await jumpTo(commitEnd + 1);
    await a.page.reload();
    await a.page.waitForSelector("#view[data-loaded=true]");
    await a.page.click("#reveal");
    await a.page.waitForSelector("#my-bid[data-bid-status=revealed]");
    for (let i = 0; i < 60; i++) {
      const bids = (await call(stack, "GET", `/v1/market/listings/${id}`, "dev-bank")).body.bids;
      if (bids.every((x: any) => x.status === "revealed")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await jumpTo(revealEnd + 1);

    // The seller sees the amounts, awards (to amcB), the winner pays, the seller executes: amcB has "won".
    await bank.page.reload();
    await bank.page.waitForSelector("#view[data-loaded=true]");
    expect(await bank.page.innerText(`#bids tr[data-key="${amcB}"] [data-col=amount]`)).toBe("¥900,000.00");
    expect(await bank.page.innerText(`#bids tr[data-key="${amcA}"] [data-col=amount]`)).toBe("¥700,000.00");
    await bank.page.click("#award");
    await bank.page.waitForSelector("#execute");
    expect(await bank.page.innerText("[data-field=winningBid]")).toBe("¥900,000.00");

    await b.page.reload();
    await b.page.waitForSelector("#payment");
    await b.page.fill("#payment [name=paymentProof]", "PAY-PAGE-B");
    await b.page.click("#payment button[type=submit]");
    await b.page.waitForSelector("#listing-paid[data-paid=true]");

    await bank.page.reload();
    await bank.page.waitForSelector("#execute");
    await bank.page.click("#execute button[type=submit]");
    await bank.page.waitForSelector("[data-field=status] [data-status=sold]");

    await b.page.reload();
    await b.page.waitForSelector("#won[data-listing-status=sold]");
    expect(await b.page.innerText("#won")).toBe("您已中标。");
    expect(await b.page.getAttribute(`#bids tr[data-key="${amcB}"] [data-bid-status]`, "data-bid-status")).toBe("won");
    await a.page.reload();
    await a.page.waitForSelector("#view[data-loaded=true]");
    expect(await a.page.getAttribute("#my-bid", "data-bid-status")).toBe("revealed");
    expect((await call(stack, "GET", `/v1/claims/${claimIds[0]}`, "dev-amc2")).body.onChain.holder.toLowerCase()).toBe(amcB);

    // Nothing on the buyers' pages names a debtor.
    for (const p of [a.page, b.page, inv.page]) await noPersonalData(p);
    await openConsole(a.page, stack.baseUrl, "/console/market");
    await noPersonalData(a.page);
    for (const s of [bank, a, b, inv]) expect(s.errors).toEqual([]);
  }, 300_000);

  it("the seller of a package that did not sell sees the advice with its reasons and relists as a split, in both languages", async () => {
    const claimIds: string[] = [];
    for (const [i, corporate] of [false, true].entries()) {
      const no = `MKTPG-RL-${Date.now()}-${i}`;
      const r = await call(stack, "POST", "/v1/claims", "dev-bank", corporate
        ? claimRequest(no, { product: "sme", debtor: { name: "周九商贸有限公司", idNumber: "91110101MA0000005X", type: "corporate", debtorId: `D-${no}` } })
        : claimRequest(no));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      claimIds.push(r.body.claimId);
    }
    const now = await chainNow();
    const listed = await call(stack, "POST", "/v1/market/listings", "dev-bank", {
      label: "页面测试流拍包", claimIds, cutoffDate: new Date((now - 86_400) * 1000).toISOString().slice(0, 10), commitEnd: now + 600, revealEnd: now + 1200,
      executionPeriodSeconds: 3600, deposit: "100000", reserve: "500000000",
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    const id = listed.body.listingId as string;
    expect((await call(stack, "POST", `/v1/market/listings/${id}/bids`, "dev-amc", { amount: "200000000", depositProof: "DEP-RL" })).status).toBe(201);
    await jumpTo(now + 700);
    const rev = await call(stack, "POST", `/v1/market/listings/${id}/reveal`, "dev-amc");
    expect(rev.status, JSON.stringify(rev.body)).toBe(200);
    await jumpTo(now + 1300);
    expect((await call(stack, "POST", `/v1/market/listings/${id}/award`, "dev-bank")).status).toBe(200);

    // The seller's page (中文): why it did not sell, the options with their reasons, the split recommended.
    const bank = await signInConsole(browser, stack.baseUrl, "dev-bank");
    await openConsole(bank.page, stack.baseUrl, `/console/market/listings/${id}`);
    await bank.page.waitForSelector("#relist-outcome[data-outcome=below-reserve]");
    expect(await bank.page.innerText("#relist-reasons")).toContain("低于保留价");
    expect(await bank.page.innerText("#relist-reasons")).toContain("¥2,000,000.00");
    const split = bank.page.locator('[data-option="split:personal"]');
    expect(await split.getAttribute("data-recommended")).toBe("true");
    expect(await split.innerText()).toContain("合格投资者");
    expect(await split.locator('[data-part=corporate] [data-buyers]').getAttribute("data-buyers")).toBe("open");
    expect(await split.locator('[data-part=personal] [data-buyers]').getAttribute("data-buyers")).toBe("licensed");
    // The same advice in English after a switch.
    await bank.page.click("button[data-lang=en]");
    expect(await bank.page.innerText("#relist-reasons")).toContain("below the reserve");
    expect(await split.innerText()).toContain("qualified investors");
    expect(await split.innerText()).toContain("Split: personal / corporate");

    // Relist as the split, with a deposit per package: two new listings, linked from here.
    await bank.page.fill("#relist-options [name=deposit-0]", "1000");
    await bank.page.fill("#relist-options [name=deposit-1]", "1000");
    await bank.page.click("#relist-form button[type=submit]");
    await bank.page.waitForSelector("#relisted");
    expect(await bank.page.innerText("#relist-done")).toContain("2 new listings");
    const ids = await bank.page.locator("#relisted a[data-listing]").evaluateAll((as) => as.map((a) => a.getAttribute("data-listing")));
    expect(ids).toHaveLength(2);
    for (const newId of ids) {
      const l = (await call(stack, "GET", `/v1/market/listings/${newId}`, "dev-bank")).body.listing;
      expect(l.status).toBe("open");
    }
    await bank.page.click("button[data-lang=zh-CN]");
    expect(await bank.page.innerText("#relisted")).toContain("已重新挂牌为");
    // A buyer's page of the old listing shows no advice.
    const amc = await signInConsole(browser, stack.baseUrl, "dev-amc", { lang: "en" });
    await openConsole(amc.page, stack.baseUrl, `/console/market/listings/${id}`);
    await amc.page.waitForSelector("#view[data-loaded=true]");
    expect(await amc.page.locator("#relist-outcome").count()).toBe(0);
    // The header says what the chain makes each organisation as a buyer.
    expect(await amc.page.getAttribute("#buyer-kind", "data-buyer-kind")).toBe("licensed-amc");
    expect(await amc.page.innerText("#buyer-kind")).toBe("licensed AMC");
    expect(await bank.page.locator("#buyer-kind").count()).toBe(0);
    for (const s of [bank, amc]) expect(s.errors).toEqual([]);
  }, 300_000);
});
