import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Type } from "typebox";
import { resolveConfig } from "../../core/compliance.js";
import { regionByKey } from "../../core/regions.js";
import { catalog, type Lang } from "../../i18n/messages.js";
import { consoleCatalog } from "../../i18n/console.js";
import { errorCatalog } from "../../i18n/errors.js";
import { pageSchema, sendAsset, sendPage } from "../page-reply.js";
import { CONSOLE_PERMISSIONS } from "./console.js";

/**
 * The console's pages (src/api/public/console/): one HTML shell for every page, its scripts and Chart.js from
 * node_modules (no CDN), under a strict CSP. `/` opens the console; a console path that is no page gets the
 * same shell with 404, which says so in the page's language.
 */
const PUBLIC_DIR = fileURLToPath(new URL("../public/console/", import.meta.url));
const require = createRequire(import.meta.url);
const PAGE_FILES = ["app.js", "forms.js", "signin.js", "dashboard.js", "queue.js", "claims.js", "lists.js", "claim.js", "claim-mediation.js", "contact.js", "packages.js", "tx.js", "disputes.js", "dispute.js", "market.js", "market-listings.js", "listing.js", "relist.js", "room.js", "console.css"];

/** The console's page paths (app.js routes the same ones); anything else under /console is not a page. */
export const CONSOLE_PAGE_PATHS: readonly RegExp[] = [
  /^\/console\/?$/,
  /^\/console\/(sign-in|queue|claims|packages|disputes|market)\/?$/,
  /^\/console\/market\/0x[0-9a-fA-F]{40}\/0x[0-9a-fA-F]{64}\/?$/,
  /^\/console\/market\/listings\/0x[0-9a-fA-F]{64}\/?$/,
  /^\/console\/claims\/0x[0-9a-fA-F]{64}\/?$/,
  /^\/console\/disputes\/[1-9][0-9]{0,19}\/?$/,
  /^\/console\/tx\/0x[0-9a-fA-F]{64}\/?$/,
];

// Pages talk to this server only; charts draw on canvas; blob: for downloading a proof bundle.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const consolePages: FastifyPluginAsyncTypebox = async (fastify) => {
  const compliance = resolveConfig(fastify.config.evidence.compliance);
  const langs: Lang[] = ["zh-CN", "en"];
  // The ~2,850 districts' and counties' names (both languages, ~300 kB) come as one cached asset, not in every page.
  const isCounty = (k: string) => k.startsWith("console.region.") && regionByKey(k.slice("console.region.".length))?.level === "county";
  const texts = (lang: Lang) => Object.entries({ ...catalog(lang, ["kind.", "channel."]), ...consoleCatalog(lang), ...errorCatalog(lang) });
  const regionsBody = JSON.stringify(Object.fromEntries(langs.map((lang) => [lang, Object.fromEntries(texts(lang).filter(([k]) => isCounty(k)))])));
  const regionsAsset = `console/regions-${createHash("sha256").update(regionsBody).digest("hex").slice(0, 12)}.json`;
  const data = {
    i18n: Object.fromEntries(langs.map((lang) => [lang, Object.fromEntries(texts(lang).filter(([k]) => !isCounty(k)))])),
    regionNames: `/assets/${regionsAsset}`,
    permissions: CONSOLE_PERMISSIONS,
    timeZone: fastify.config.evidence.defaultTimeZone,
    contactHours: `${compliance.contactHours.start}–${compliance.contactHours.end}`,
    dailyCap: compliance.dailyCap,
    weeklyCap: compliance.weeklyCap,
  };
  const template = await readFile(join(PUBLIC_DIR, "console.html"), "utf8");
  // Inside <script type="application/json">: no "</script>" or "<!--" can appear.
  const html = Buffer.from(template.replace("<!--PAGE-DATA-->", `<script type="application/json" id="page-data">${JSON.stringify(data).replace(/</g, "\\u003c")}</script>`));
  const assets: Record<string, { body: Buffer; type: string; cache: string }> = {};
  for (const name of PAGE_FILES) {
    assets[`console/${name}`] = {
      body: await readFile(join(PUBLIC_DIR, name)),
      type: name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      cache: "no-cache",
    };
  }
  assets[regionsAsset] = { body: Buffer.from(regionsBody), type: "application/json; charset=utf-8", cache: "public, max-age=31536000, immutable" };
  // Chart.js (a maintained charting library), its UMD build from node_modules.
  const chartDir = dirname(require.resolve("chart.js")); // .../chart.js/dist/chart.cjs
  assets["chart.umd.min.js"] = { body: await readFile(join(chartDir, "chart.umd.min.js")), type: "text/javascript; charset=utf-8", cache: "public, max-age=86400" };

  // `/` is where a newcomer lands after `npm start`: the console (its sign-in when there is no key yet).
  fastify.get("/", { schema: { hide: true, tags: ["pages"], summary: "Opens the console", response: { 302: Type.Null() } } }, async (_request, reply) => reply.redirect("/console", 302));
  fastify.get("/console", { schema: pageSchema("Console") }, async (_request, reply) => sendPage(reply, html, CSP));
  fastify.get("/console/*", { schema: { ...pageSchema("Console page (unknown paths: the console's not-found page, 404)"), response: { 200: Type.String(), 404: Type.String() } } }, async (request, reply) => {
    const path = request.url.split("?")[0]!;
    return sendPage(reply.status(CONSOLE_PAGE_PATHS.some((p) => p.test(path)) ? 200 : 404), html, CSP);
  });
  for (const [name, asset] of Object.entries(assets)) {
    fastify.get(`/assets/${name}`, { schema: pageSchema(`Console asset ${name}`) }, async (_request, reply) => sendAsset(reply, asset, asset.body));
  }
};

export default consolePages;
