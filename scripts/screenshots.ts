/**
 * `npm run screenshots` — PNGs of each console page and the court page, for docs/ and the README.
 *
 * Starts its own stack (a `hardhat node`, the deployment and the API in a temporary data dir, as the tests
 * do), seeds the demo portfolio (DEMO_CLAIMS, default 120), drives Debian's Chromium with playwright-core
 * and writes docs/screenshots/*.png. Chinese text needs a CJK font on the machine (Debian:
 * `apt-get install fonts-noto-cjk`); without one the zh-CN pages show boxes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { startStack, call } from "../test/helpers/stack.js";
import { chainTimeMs } from "../test/helpers/clock.js";
import { openConsole, signInConsole } from "../test/helpers/console-page.js";
import { seedDemo, demoHistoryDays } from "../src/demo/seed.js";

const OUT = "docs/screenshots";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

mkdirSync(OUT, { recursive: true });
const stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000", LOG_LEVEL: "silent" }, { startDaysAgo: demoHistoryDays() });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
try {
  const claims = Number(process.env.DEMO_CLAIMS ?? 120);
  console.log(`seeding a demo portfolio of ${claims} claims …`);
  await seedDemo({ api: stack.baseUrl, rpcUrl: stack.chainUrl, claims, log: (l) => console.log(`  ${l}`) });

  const signedIn = async (key: string, lang: "zh-CN" | "en" = "zh-CN"): Promise<Page> => (await signInConsole(browser, stack.baseUrl, key, { lang, height: 900 })).page;
  const go = (page: Page, path: string) => openConsole(page, stack.baseUrl, path);
  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
    console.log(`wrote ${OUT}/${name}.png`);
  }

  // Sign-in.
  {
    const context = await browser.newContext({ viewport: { width: 1400, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/console/sign-in`);
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#api-key", "dev-amc");
    await shot(page, "sign-in", false);
    await context.close();
  }

  // Dashboard, in zh-CN and English.
  const amc = await signedIn("dev-amc");
  await shot(amc, "dashboard");
  const amcEn = await signedIn("dev-amc", "en");
  await shot(amcEn, "dashboard-en");
  await amcEn.context().close();

  // Work queue as the collector, with a contact at 23:00 refused by the contact-hours rule.
  const collector = await signedIn("dev-collector");
  await collector.click("#queue tr[data-rank='2'] button.record-contact");
  const form = collector.locator("tr.form-row form.contact-form");
  // Yesterday by the chain's clock (the seed moves it): after the claims' sale, within the backdating window.
  const chainNow = await chainTimeMs(stack.chainUrl);
  const yesterday = new Date(chainNow - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  await form.locator("input[name=occurredAt]").fill(`${yesterday}T23:00`);
  await form.locator("textarea[name=content]").fill("夜间电话催收");
  await form.locator("button[type=submit]").click();
  await form.locator("[data-outcome=refused]").waitFor();
  await shot(collector, "queue", false);
  await collector.context().close();

  // The claim in arbitration: terms, ownership, case timeline with the dispute, evidence, valuation.
  const disputed = (await call(stack, "GET", "/v1/claims?state=in-arbitration", "dev-amc")).body.claims[0];
  await go(amc, `/console/claims/${disputed.claimId}`);
  if (disputed.collateralValue !== null) {
    await amc.fill("#valuation-form input[name=age]", "12");
    await amc.click("#valuation-form button[type=submit]");
    await amc.waitForSelector("#view[data-loaded=true]");
  }
  await shot(amc, "claim");

  // A transaction behind one of the claim's links.
  const history = (await call(stack, "GET", `/v1/claims/${disputed.claimId}/history`, "dev-amc")).body.events;
  await go(amc, `/console/tx/${history.at(-1).txHash}`);
  await shot(amc, "transaction", false);

  // Packages: a consumer-loan package sold under a Chinese name (listed below with each claim's share), then
  // corporate claims previewed for the next sale.
  const amc2 = (await call(stack, "GET", "/v1/me", "dev-amc2")).body.address;
  const sellable: string[] = [];
  for (const product of ["consumer", "credit-card", "sme", "mortgage", "corporate"]) {
    const preview = (await call(stack, "POST", "/v1/packages/preview", "dev-amc", { filter: { product } })).body;
    if (preview.assignable.count > 0 && preview.assignable.count <= preview.maxPerAssignment) sellable.push(product);
  }
  await go(amc, "/console/packages");
  await amc.selectOption("#package-filter select[name=product]", sellable[0]!);
  await amc.click("#package-filter button[type=submit]");
  await amc.waitForSelector("#package-claims");
  await amc.fill("#assign input[name=to]", amc2);
  await amc.fill("#assign input[name=packageId]", "2026年第一批不良资产包");
  await amc.click("#assign-submit");
  await amc.waitForSelector("#assigned");
  const sold = (await call(stack, "GET", "/v1/packages", "dev-amc")).body.packages[0];
  await amc.selectOption("#package-filter select[name=product]", sellable.includes("corporate") && sellable[0] !== "corporate" ? "corporate" : sellable.at(-1)!);
  await amc.click("#package-filter button[type=submit]");
  await amc.waitForSelector("#package-claims");
  await amc.evaluate(() => document.querySelector("#package-history details")?.setAttribute("open", ""));
  await shot(amc, "packages");
  // The sale's transaction, in words, as the buyer reads it (the seller no longer reads the claims' details).
  const buyer = await signedIn("dev-amc2");
  await go(buyer, `/console/tx/${sold.txHash}`);
  await shot(buyer, "transaction-package", false);
  await buyer.context().close();

  // Finding a claim by contract number, and a search with no match (an empty state), in English.
  const bank = await signedIn("dev-bank", "en");
  const some = (await call(stack, "GET", "/v1/claims?limit=5", "dev-bank")).body.claims[3];
  await go(bank, `/console/claims?q=${encodeURIComponent(some.contractNo.slice(0, -1))}`);
  await shot(bank, "claims-search-en", false);
  await bank.context().close();
  await amc.context().close();

  // The court: the disputes before it, and one waiting dispute with the ruling form filled in.
  const court = await signedIn("dev-court");
  await shot(court, "disputes", false);
  const waiting = (await call(stack, "GET", "/v1/disputes?status=waiting", "dev-court")).body.disputes[0];
  if (waiting) {
    await go(court, `/console/disputes/${waiting.disputeId}`);
    await court.check("#ruling-form input[value=enforce]");
    await court.check("#ruling-form input[name=confirm]");
    await shot(court, "dispute");
  }
  await court.context().close();

  // A console path that is no page.
  const lost = await signedIn("dev-collector", "en");
  await go(lost, "/console/no-such-page");
  await shot(lost, "not-found-en", false);
  await lost.context().close();

  // The court page with a certificate for an anchored collection record.
  const evidence = (await call(stack, "GET", `/v1/claims/${disputed.claimId}/evidence`, "dev-court")).body;
  const anchored = evidence.records.find((r: { status: string }) => r.status === "anchored");
  const receipt = (await call(stack, "GET", `/v1/evidence/${anchored.recordId}/receipt`, "dev-court")).body;
  const { status: _status, ...bundle } = receipt;
  const dir = mkdtempSync(join(tmpdir(), "debtrail-shots-"));
  const bundleFile = join(dir, "bundle.json");
  writeFileSync(bundleFile, JSON.stringify(bundle, null, 2));
  {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, timezoneId: "Asia/Shanghai", locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/verify`);
    await page.waitForSelector("body[data-ready=true]");
    await page.setInputFiles("#file", bundleFile);
    await page.waitForSelector("#certificate[data-verified=true]");
    await shot(page, "verify");
    await context.close();
  }
  // The certificate at phone width: values below their labels, nothing cut off.
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: "Asia/Shanghai", locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/verify`);
    await page.waitForSelector("body[data-ready=true]");
    await page.setInputFiles("#file", bundleFile);
    await page.waitForSelector("#certificate[data-verified=true]");
    await shot(page, "verify-phone");
    await context.close();
  }
} finally {
  await browser.close();
  await stack.stop();
}
