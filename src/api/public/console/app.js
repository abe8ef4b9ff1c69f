// Debtrail console: the shell of every page (sign-in, navigation, language, API calls, formatting).
// Served by the API (src/api/routes/console.ts) with a strict CSP; every text comes from the page data the
// server embeds (src/i18n/console.ts and src/i18n/messages.ts), values go into the page via textContent only.
// The API key lives in sessionStorage (gone when the tab closes); GET /v1/me tells the role, and the pages
// and actions a role may not use are not shown at all (the API refuses them anyway).

import { snapshotFields, restoreFields } from "./forms.js";

const DATA = JSON.parse(document.getElementById("page-data").textContent);
const LANGS = ["zh-CN", "en"];
const KEY = "debtrail.apiKey";
const LANG = "debtrail.lang";

const queryLang = new URLSearchParams(location.search).get("lang");
if (LANGS.includes(queryLang)) sessionStorage.setItem(LANG, queryLang);
export const ctx = {
  lang: LANGS.includes(queryLang) ? queryLang : LANGS.includes(sessionStorage.getItem(LANG)) ? sessionStorage.getItem(LANG) : "zh-CN",
  me: null,
  data: DATA,
  /** Set by the page on mount: redraws its content (after a language switch). */
  redraw: null,
};

export function t(key, vars = {}) {
  const text = DATA.i18n[ctx.lang][key] ?? DATA.i18n.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** The message `key` in `lang`, whatever the page's language: a letter's operative Chinese text and its translation. */
export function tIn(lang, key, vars = {}) {
  const text = DATA.i18n[lang]?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** A share in basis points as a plain percentage, as a person writes it: 12000 → "120%", 12550 → "125.5%". */
export function percent(bps) {
  return `${Number((bps / 100).toFixed(2))}%`;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(DATA.i18n[ctx.lang], key);
}

/** A bilingual text object from the API ({zh, en} or {"zh-CN", en}) in the page's language. */
export function bi(o) {
  if (!o) return "";
  return ctx.lang === "en" ? o.en ?? "" : o.zh ?? o["zh-CN"] ?? o.en ?? "";
}

/** May the signed-in role use this page or action? (The same table the API's routes enforce.) */
export function may(what) {
  return Boolean(ctx.me && (DATA.permissions[what] ?? []).includes(ctx.me.role));
}

// ---------------------------------------------------------------------------------------------
// API

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export async function api(method, path, body) {
  const key = apiKey();
  const res = await fetch(path, {
    method,
    headers: { "accept-language": ctx.lang, ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== "/v1/me") {
    signOut();
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * An API error in words, in the page's language: the error's bilingual message or its code's text
 * (src/i18n/errors.ts) with its params, else the server's message (asked for in this language).
 */
export function errorText(error) {
  if (!(error instanceof ApiError)) return t("console.error.network", { message: error?.message ?? String(error) });
  const b = error.body;
  const own = bi(b.details?.messages) || (b.code && has(`error.${b.code}`) ? t(`error.${b.code}`, b.params ?? {}) : "") || b.message || "";
  if (b.error === "COMPLIANCE") return t("console.error.compliance", { rule: named("console.rule", b.rule ?? ""), message: own });
  if (error.status === 401 || error.status === 403 || error.status === 400 || error.status === 404 || error.status === 409) return own;
  return t("console.error.http", { status: error.status, message: own });
}

// ---------------------------------------------------------------------------------------------
// DOM and formatting

/** Replaces the children of `node` (skipping null, undefined and false, which replaceChildren would print). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "on") for (const [event, fn] of Object.entries(v)) node.addEventListener(event, fn);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Fen (decimal string) → "¥1,234,567.89", exact (BigInt). */
export function money(fen) {
  if (fen === null || fen === undefined || fen === "") return "-";
  const v = BigInt(fen);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const major = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}¥${major}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Fen → yuan as a number (charts only). */
export function yuan(fen) {
  return Number(BigInt(fen ?? "0")) / 100;
}

/** Compact amounts for chart axes: 1.2万 / 12K. */
export function compact(value) {
  return new Intl.NumberFormat(ctx.lang === "en" ? "en" : "zh-CN", { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

export function int(n) {
  return new Intl.NumberFormat(ctx.lang === "en" ? "en" : "zh-CN").format(n);
}

export function pct(bps) {
  return `${(bps / 100).toFixed(1)}%`;
}

export function dateTime(iso) {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(ctx.lang === "en" ? "en-GB" : "zh-CN", { timeZone: DATA.timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}

export function date(iso) {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(ctx.lang === "en" ? "en-GB" : "zh-CN", { timeZone: DATA.timeZone });
}

export function short(hash) {
  return typeof hash === "string" && hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-6)}` : hash ?? "-";
}

/** A transaction hash linked to its page (block, status, decoded events). */
export function txLink(hash) {
  if (!hash) return "-";
  return el("a", { href: `/console/tx/${hash}`, class: "hash", title: hash, "data-tx": hash }, short(hash));
}

export function claimLink(claimId, label) {
  return el("a", { href: `/console/claims/${claimId}`, "data-claim": claimId }, label ?? short(claimId));
}

/** A named value: "正常" in zh-CN (the code as a tooltip), the English name in English. */
export function named(prefix, value) {
  if (value === null || value === undefined) return "-";
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : String(value);
}

export function classBadge(classification) {
  return el("span", { class: `badge class-${classification}`, "data-class": classification }, named("console.class", classification));
}

export function stateBadge(state) {
  return el("span", { class: `badge state-${state}`, "data-state": state }, named("console.state", state));
}

export function table(columns, rows, attrs = {}) {
  return el("table", attrs,
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { class: c.num ? "num" : null }, c.label)))),
    el("tbody", {}, rows.map((row) => el("tr", { "data-key": row.key ?? null }, columns.map((c) => el("td", { "data-col": c.id, class: c.num ? "num" : null }, c.cell(row)))))),
  );
}

export function section(titleKey, ...children) {
  return el("section", { class: "card", "data-section": titleKey.split(".").pop() }, el("h2", {}, t(titleKey)), ...children);
}

export function message(kind, text) {
  return el("p", { class: `msg ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/**
 * A region, searchable: a text input over every division of GB/T 2260 (provinces, cities, districts and counties,
 * 3,200 names in the page's language, src/i18n/console/names.ts) from a datalist. The form gets the region's key
 * (a hidden input); text that names no listed region goes as typed (the API reads codes and paths too, and names
 * the field if it cannot).
 */
export function regionInput(name, current, label, attrs = {}) {
  const prefix = "console.region.";
  const dict = DATA.i18n[ctx.lang];
  const listId = `regions-${ctx.lang}`;
  if (!document.getElementById(listId)) {
    const list = el("datalist", { id: listId });
    for (const key of Object.keys(dict)) if (key.startsWith(prefix) && key !== `${prefix}-`) list.append(el("option", { value: dict[key] }));
    document.body.append(list);
  }
  const keyOf = (text) => {
    const v = text.trim();
    for (const key of Object.keys(dict)) if (key.startsWith(prefix) && dict[key] === v) return key.slice(prefix.length);
    return v;
  };
  const hidden = el("input", { type: "hidden", name, value: current ?? "" });
  const shown = current ? named("console.region", current) : "";
  const input = el("input", {
    type: "search", list: listId, value: shown, autocomplete: "off", spellcheck: "false", maxlength: "64", "data-region-input": name,
    placeholder: t("console.filter.regionPlaceholder"), ...attrs,
    on: { input: (e) => { hidden.value = keyOf(e.target.value); }, change: (e) => { hidden.value = keyOf(e.target.value); } },
  });
  return el("label", { class: "field" }, el("span", {}, label), input, hidden);
}

/** The select of a filter: "all" plus the values, labelled. */
export function select(name, values, current, label) {
  return el("label", { class: "field" }, el("span", {}, label),
    el("select", { name }, el("option", { value: "" }, t("console.filter.all")),
      values.map((v) => el("option", { value: v.value, selected: v.value === current }, v.label))));
}

// ---------------------------------------------------------------------------------------------
// Shell: header, navigation, sign-in, routing

const PAGES = [
  { page: "dashboard", path: /^\/console\/?$/, nav: "/console" },
  { page: "queue", path: /^\/console\/queue\/?$/, nav: "/console/queue" },
  { page: "claims", path: /^\/console\/claims\/?$/, nav: "/console/claims" },
  { page: "claim", path: /^\/console\/claims\/(0x[0-9a-fA-F]{64})\/?$/ },
  { page: "packages", path: /^\/console\/packages\/?$/, nav: "/console/packages" },
  { page: "market", path: /^\/console\/market\/?$/, nav: "/console/market" },
  { page: "listing", path: /^\/console\/market\/listings\/(0x[0-9a-fA-F]{64})\/?$/ },
  { page: "room", path: /^\/console\/market\/(0x[0-9a-fA-F]{40})\/(0x[0-9a-fA-F]{64})\/?$/ },
  { page: "disputes", path: /^\/console\/disputes\/?$/, nav: "/console/disputes" },
  { page: "dispute", path: /^\/console\/disputes\/([1-9][0-9]{0,19})\/?$/ },
  { page: "tx", path: /^\/console\/tx\/(0x[0-9a-fA-F]{64})\/?$/ },
  { page: "signin", path: /^\/console\/sign-in\/?$/ },
  { page: "notfound", path: /^$/ },
];

export function signOut() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem("debtrail.me");
  ctx.me = null;
}

export function landing() {
  // A judge starts at the disputes before the court; the others at their figures or work.
  for (const p of ctx.me?.role === "court" ? ["disputes", "claims"] : ["dashboard", "queue", "claims"]) if (may(p)) return PAGES.find((x) => x.page === p).nav;
  return "/verify";
}

function header(route) {
  const nav = el("nav", { id: "nav", "aria-label": t("console.nav.label") });
  if (ctx.me) {
    for (const p of PAGES.filter((x) => x.nav && may(x.page))) {
      nav.append(el("a", { href: p.nav, "data-nav": p.page, "aria-current": route.page === p.page || (route.page === "claim" && p.page === "claims") || ((route.page === "listing" || route.page === "room") && p.page === "market") || (route.page === "dispute" && p.page === "disputes") ? "page" : null }, t(`console.nav.${p.page}`)));
    }
  }
  nav.append(el("a", { href: `/verify${ctx.lang === "en" ? "?lang=en" : ""}`, "data-nav": "verify" }, t("console.nav.verify")));
  const langs = el("span", { class: "lang", role: "group", "aria-label": t("console.language") },
    LANGS.map((l) => el("button", { type: "button", "data-lang": l, lang: l, "aria-pressed": String(l === ctx.lang), on: { click: () => switchLang(l) } }, l === "en" ? "English" : "中文")));
  const who = ctx.me
    ? el("span", { class: "who", id: "who" },
      el("span", { "data-role": ctx.me.role }, `${ctx.me.name} · ${named("console.role", ctx.me.role)}`),
      // What the chain makes this account as a buyer (licensed AMC, qualified investor): who may bid on what follows it.
      ctx.me.buyerKind ? el("span", { class: "badge", id: "buyer-kind", "data-buyer-kind": ctx.me.buyerKind }, named("console.market.buyer", ctx.me.buyerKind)) : null,
      el("button", { type: "button", id: "sign-out", on: { click: () => { signOut(); location.href = "/console/sign-in"; } } }, t("console.signOut")))
    : null;
  return el("header", { class: "bar" },
    el("a", { class: "brand", href: ctx.me ? landing() : "/console/sign-in" }, t("console.brand")),
    nav, el("span", { class: "spacer" }), who, langs);
}

function switchLang(lang) {
  const view = document.getElementById("view");
  const saved = snapshotFields(view);
  ctx.lang = lang;
  sessionStorage.setItem(LANG, lang);
  drawShell();
  ctx.redraw?.();
  restoreFields(view, saved);
}

let currentRoute = null;

function drawShell() {
  document.documentElement.lang = ctx.lang;
  document.title = `${t(`console.title.${currentRoute.page}`)} · Debtrail`;
  const old = document.querySelector("header.bar");
  const fresh = header(currentRoute);
  if (old) old.replaceWith(fresh);
  else document.body.prepend(fresh);
}

/** After a key was accepted: kept in this tab's session storage with who it is. */
export function remember(key, me) {
  sessionStorage.setItem(KEY, key);
  ctx.me = me;
  sessionStorage.setItem("debtrail.me", JSON.stringify(me));
}

async function main() {
  const path = location.pathname;
  currentRoute = PAGES.find((p) => p.path.test(path)) ?? PAGES.find((p) => p.page === "notfound");
  const params = path.match(currentRoute.path)?.slice(1) ?? [];
  const view = document.getElementById("view");
  view.dataset.page = currentRoute.page;
  if (currentRoute.page === "signin") {
    signOut();
    drawShell();
    (await import("./signin.js")).mount(view);
    document.body.dataset.ready = "true";
    view.dataset.loaded = "true";
    return;
  }
  if (!apiKey()) {
    location.replace(`/console/sign-in?next=${encodeURIComponent(path + location.search)}`);
    return;
  }
  // The districts' names (a cached asset): the pages name a claim's district, the region input lists them.
  const regionNames = fetch(DATA.regionNames).then((r) => (r.ok ? r.json() : {})).then((names) => {
    for (const lang of Object.keys(names)) Object.assign(DATA.i18n[lang], names[lang]);
  }).catch(() => undefined);
  try {
    ctx.me = await api("GET", "/v1/me");
    await regionNames;
  } catch {
    signOut();
    location.replace(`/console/sign-in?next=${encodeURIComponent(path + location.search)}`);
    return;
  }
  drawShell();
  if (currentRoute.page === "notfound") {
    const draw = () => fill(view, el("section", { class: "card", id: "not-found" }, el("h1", {}, t("console.notFound.title")),
      el("p", {}, t("console.notFound.text", { path })), el("p", {}, el("a", { href: landing(), id: "not-found-home" }, t("console.notFound.home")))));
    ctx.redraw = draw;
    draw();
    document.body.dataset.ready = "true";
    view.dataset.loaded = "true";
    return;
  }
  if (!may(currentRoute.page)) {
    const draw = () => fill(view, el("section", { class: "card" }, el("h1", {}, t("console.forbidden.title")), el("p", { id: "forbidden" }, t("console.forbidden.text", { role: named("console.role", ctx.me.role) }))));
    ctx.redraw = draw;
    draw();
    document.body.dataset.ready = "true";
    view.dataset.loaded = "true";
    return;
  }
  const module = await import(`./${currentRoute.page}.js`);
  document.body.dataset.ready = "true";
  try {
    await module.mount(view, ...params);
  } catch (error) {
    fill(view, message("error", errorText(error)));
  }
  view.dataset.loaded = "true";
}

void main();
