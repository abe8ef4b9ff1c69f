import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startStack, call, claimRequest, type TestStack } from "../helpers/stack.js";
import { openConsole, signInConsole } from "../helpers/console-page.js";

/**
 * The console's region input (issue 18) in headless Chromium, in zh-CN and English, against a real chain and API:
 * a searchable list of every province, city and district of GB/T 2260 in the page's language; a province includes
 * its cities' and districts' claims; a path typed by hand is read by the API; a name two districts share is refused
 * in the page's language, naming the candidates.
 */
let stack: TestStack;
let browser: Browser;
const REGISTERED: Record<string, string> = {
  "RG-NANSHAN": "广东省深圳市南山区", "RG-FUTIAN": "深圳市福田区", "RG-GUANGZHOU": "广州", "RG-BJ-CHAOYANG": "北京市朝阳区",
  "RG-CC-CHAOYANG": "长春市朝阳区", "RG-SHANGHAI": "Shanghai",
};

beforeAll(async () => {
  stack = await startStack({ ORACLE_ENABLED: "0", EVIDENCE_BATCH_AGE_MS: "3600000" });
  for (const [no, region] of Object.entries(REGISTERED)) {
    const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(no, { region }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 150_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const contracts = async (page: Page) => (await page.locator("#claims tbody tr td:nth-child(1)").allInnerTexts()).map((s) => s.trim()).sort();
const input = "#claim-filters input[data-region-input=region]";

async function filterBy(page: Page, typed: string) {
  await page.fill(input, typed);
  await page.click("#claim-filters button[type=submit]");
  await page.waitForURL((u) => u.searchParams.has("region"));
  await page.waitForSelector("#view[data-loaded=true]");
}

describe("the console's region input", () => {
  it("stores what registration read: districts by code, old regions by their keys", async () => {
    const list = (await call(stack, "GET", "/v1/claims?q=RG-", "dev-bank")).body.claims;
    expect(Object.fromEntries(list.map((c: { contractNo: string; region: string }) => [c.contractNo, c.region]))).toEqual({
      "RG-NANSHAN": "440305", "RG-FUTIAN": "440304", "RG-GUANGZHOU": "guangzhou", "RG-BJ-CHAOYANG": "110105", "RG-CC-CHAOYANG": "220104", "RG-SHANGHAI": "shanghai",
    });
    // The API's filter: a province includes its cities and districts.
    const gd = (await call(stack, "GET", `/v1/claims?region=${encodeURIComponent("广东")}`, "dev-bank")).body.claims.map((c: { contractNo: string }) => c.contractNo).sort();
    expect(gd).toEqual(["RG-FUTIAN", "RG-GUANGZHOU", "RG-NANSHAN"]);
    // Registration: a name two districts share is refused naming the field and both, in the reader's language.
    for (const lang of ["zh-CN", "en"]) {
      const res = await fetch(`${stack.baseUrl}/v1/claims`, {
        method: "POST", headers: { authorization: "Bearer dev-bank", "content-type": "application/json", "accept-language": lang },
        body: JSON.stringify(claimRequest(`RG-AMBIGUOUS-${lang}`, { region: "朝阳区" })),
      });
      const body = (await res.json()) as { field: string; rule: string; code: string; params: Record<string, string>; message: string };
      expect(res.status).toBe(400);
      expect(body).toMatchObject({ field: "region", rule: "region-ambiguous", code: "validation.region-ambiguous", params: { codes: "110105,220104" } });
      expect(body.message).toContain("110105");
      expect(body.message).toContain("220104");
      expect(/[\u4e00-\u9fff]{4}/.test(body.message.replace(/“朝阳区”|"朝阳区"/, "")), body.message).toBe(lang === "zh-CN");
    }
    const unknown = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest("RG-UNKNOWN", { region: "深圳市朝阳区" }));
    expect(unknown.body).toMatchObject({ field: "region", rule: "region-unknown" });
    const amb = await call(stack, "GET", `/v1/claims?region=${encodeURIComponent("朝阳区")}`, "dev-bank");
    expect(amb.status).toBe(400);
    expect(amb.body).toMatchObject({ field: "region", rule: "region-ambiguous", code: "validation.region-ambiguous" });
  });

  it("the districts' names come once, as a cached asset, not inside every console page", async () => {
    const html = await (await fetch(`${stack.baseUrl}/console/claims`)).text();
    expect(html).not.toContain("南山区（深圳）");
    expect(html).toContain("深圳"); // cities and provinces stay in the page
    const url = /"regionNames":"([^"]+)"/.exec(html)![1]!;
    const asset = await fetch(`${stack.baseUrl}${url}`);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const names = (await asset.json()) as Record<string, Record<string, string>>;
    expect(names["zh-CN"]!["console.region.440305"]).toBe("南山区（深圳）");
    expect(names.en!["console.region.440305"]).toBe("Nanshan District, Shenzhen");
    expect(Object.keys(names.en!).length).toBeGreaterThan(2800);
  });

  it("zh-CN: searches every district in Chinese; a province filters its cities' and districts' claims", async () => {
    const { page, errors } = await signInConsole(browser, stack.baseUrl, "dev-bank");
    await openConsole(page, stack.baseUrl, "/console/claims");
    const list = await page.getAttribute(input, "list");
    const options = await page.locator(`datalist#${list} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options.length).toBeGreaterThan(3000);
    for (const name of ["广东省", "深圳", "南山区（深圳）", "朝阳区（北京）", "朝阳区（长春）", "城关区（兰州）"]) expect(options, name).toContain(name);
    expect(options.join("")).not.toMatch(/District|County/);
    await filterBy(page, "广东省");
    expect(new URL(page.url()).searchParams.get("region")).toBe("guangdong");
    expect(await contracts(page)).toEqual(["RG-FUTIAN", "RG-GUANGZHOU", "RG-NANSHAN"]);
    // The input shows the region in words after the reload, not its key.
    expect(await page.inputValue(input)).toBe("广东省");
    await filterBy(page, "朝阳区（长春）");
    expect(new URL(page.url()).searchParams.get("region")).toBe("220104");
    expect(await contracts(page)).toEqual(["RG-CC-CHAOYANG"]);
    // A path typed by hand goes as typed; the API reads it.
    await filterBy(page, "深圳市南山区");
    expect(await contracts(page)).toEqual(["RG-NANSHAN"]);
    // A name two districts share: refused in words, naming both.
    await filterBy(page, "朝阳区");
    const refusal = await page.locator("#view p.msg.error").first().innerText();
    expect(refusal).toContain("110105");
    expect(refusal).toContain("220104");
    expect(refusal).toMatch(/多个行政区划/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("English: the same list in English, the city filter includes its districts", async () => {
    const { page, errors } = await signInConsole(browser, stack.baseUrl, "dev-bank", { lang: "en" });
    await openConsole(page, stack.baseUrl, "/console/claims");
    const list = await page.getAttribute(input, "list");
    const options = await page.locator(`datalist#${list} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options.length).toBeGreaterThan(3000);
    for (const name of ["Guangdong", "Shenzhen", "Nanshan District, Shenzhen", "Chaoyang District, Beijing", "Chaoyang District, Changchun"]) expect(options, name).toContain(name);
    expect(options.join("")).not.toMatch(/[\u4e00-\u9fff]/);
    await filterBy(page, "Shenzhen");
    expect(new URL(page.url()).searchParams.get("region")).toBe("shenzhen");
    expect(await contracts(page)).toEqual(["RG-FUTIAN", "RG-NANSHAN"]);
    expect(await page.inputValue(input)).toBe("Shenzhen");
    // The table names each claim's district in English.
    expect((await page.locator("#claims tbody tr td:nth-child(4)").allInnerTexts()).sort()).toEqual(["Futian District, Shenzhen", "Nanshan District, Shenzhen"]);
    await filterBy(page, "Chaoyang District, Beijing");
    expect(await contracts(page)).toEqual(["RG-BJ-CHAOYANG"]);
    await filterBy(page, "Chaoyang District");
    const refusal = await page.locator("#view p.msg.error").first().innerText();
    expect(refusal).toContain("110105");
    expect(refusal).not.toMatch(/[\u4e00-\u9fff]/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
