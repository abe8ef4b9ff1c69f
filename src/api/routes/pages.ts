import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLE_FAILURE_MESSAGES, EVIDENCE_LOG_VERIFY_ABI } from "../../chain/verify-bundle.js";
import { catalog, type Lang } from "../../i18n/messages.js";
import { pageSchema, sendAsset, sendPage } from "../page-reply.js";

const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));
const require = createRequire(import.meta.url);

/** Files under /assets: the page's own, and the two libraries it runs in the browser (ESM builds). */
function assetFiles(): Record<string, { path: string; type: string; cache: string }> {
  const ethersDist = join(dirname(require.resolve("ethers")), "..", "dist", "ethers.min.js"); // .../ethers/lib.commonjs/index.js
  const own = "no-cache";
  const lib = "public, max-age=86400";
  return {
    "verify.js": { path: join(PUBLIC_DIR, "verify.js"), type: "text/javascript; charset=utf-8", cache: own },
    "verify-bundle.js": { path: join(PUBLIC_DIR, "verify-bundle.js"), type: "text/javascript; charset=utf-8", cache: own },
    "verify-proof.js": { path: join(PUBLIC_DIR, "verify-proof.js"), type: "text/javascript; charset=utf-8", cache: own },
    "verify.css": { path: join(PUBLIC_DIR, "verify.css"), type: "text/css; charset=utf-8", cache: own },
    "ethers.min.js": { path: ethersDist, type: "text/javascript; charset=utf-8", cache: lib },
    "canonicalize.js": { path: require.resolve("canonicalize"), type: "text/javascript; charset=utf-8", cache: lib },
  };
}

/** What the page needs besides its files: every text it shows, in both languages, and the contract ABI it reads. */
function pageData(): string {
  const langs: Lang[] = ["zh-CN", "en"];
  const i18n = Object.fromEntries(langs.map((lang) => [lang, {
    ...catalog(lang, ["page.", "cert.", "kind.", "channel.", "proof."]),
    ...Object.fromEntries(Object.entries(BUNDLE_FAILURE_MESSAGES).map(([reason, m]) => [`reason.${reason}`, m[lang]])),
  }]));
  // Inside <script type="application/json">: no "</script>" or "<!--" can appear.
  return JSON.stringify({ i18n, abi: EVIDENCE_LOG_VERIFY_ABI }).replace(/</g, "\\u003c");
}

// The page talks to this server and, when the court gives one, to its own JSON-RPC node (any URL).
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The court page: GET /verify and its assets. No key needed. A dropped file is hashed in the browser
 * and only its hash is posted to /v1/verify; a proof bundle is re-checked in the browser too.
 */
const pageRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const template = await readFile(join(PUBLIC_DIR, "verify.html"), "utf8");
  const html = Buffer.from(template.replace("<!--PAGE-DATA-->", `<script type="application/json" id="page-data">${pageData()}</script>`));
  const assets = assetFiles();
  const bodies = Object.fromEntries(await Promise.all(Object.entries(assets).map(async ([name, a]) => [name, await readFile(a.path)] as const)));

  fastify.get("/verify", { schema: pageSchema("Court page: verify a proof bundle or a file (zh-CN / English)") }, async (_request, reply) => sendPage(reply, html, CSP));

  for (const [name, asset] of Object.entries(assets)) {
    fastify.get(`/assets/${name}`, { schema: pageSchema(`Asset of the court page: ${name}`) }, async (_request, reply) => sendAsset(reply, asset, bodies[name]));
  }
};

export default pageRoutes;
