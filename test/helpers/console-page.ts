import type { Browser, Page } from "playwright-core";

/**
 * A console session in Chromium for the browser tests and `npm run screenshots`: a fresh context in China's
 * time zone, signed in with `key` (in `lang`), with the page's errors collected.
 */
export async function signInConsole(browser: Browser, baseUrl: string, key: string, opts: { lang?: "zh-CN" | "en"; width?: number; height?: number } = {}): Promise<{ page: Page; errors: string[] }> {
  const lang = opts.lang ?? "zh-CN";
  const context = await browser.newContext({ timezoneId: "Asia/Shanghai", locale: lang, viewport: { width: opts.width ?? 1400, height: opts.height ?? 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && !m.text().includes("status of 4") && errors.push(m.text()));
  await page.goto(`${baseUrl}/console/sign-in${lang === "en" ? "?lang=en" : ""}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.fill("#api-key", key);
  await page.click("#signin button[type=submit]");
  await page.waitForURL((u) => !u.pathname.includes("sign-in"));
  await page.waitForSelector("#view[data-loaded=true]");
  return { page, errors };
}

/** Opens a console page and waits until it has drawn. */
export async function openConsole(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector("#view[data-loaded=true]");
}
