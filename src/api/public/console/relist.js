// The seller's advice for its listing that did not sell (GET /v1/market/listings/:id/advice) on the listing page:
// why it did not sell, the claims the disposal model says to keep (worth more collected or litigated), and the
// options — relist whole, or split — each with its packages, their reserves, who may buy, and the reasons; the
// seller relists as one option from here (POST /v1/market/listings/:id/relist). Reasons are rendered from their
// codes and parameters in the page's language, so a language switch redraws them.
import { t, api, el, money, int, named, percent, errorText, message, section, short, claimLink } from "./app.js";
import { toFen } from "./packages.js";

/** A reason in the page's language: money parameters as yuan, shares as percentages, a path by its name. */
export function reasonText(r) {
  const MONEY = ["reserve", "p10", "bid", "bestBid", "pathValue", "saleValue"];
  const vars = {};
  for (const [k, v] of Object.entries(r.params ?? {})) {
    vars[k] = MONEY.includes(k) ? money(String(v)) : k.endsWith("Bps") ? percent(Number(v)) : k === "path" ? named("console.path", v) : v;
  }
  return t(`console.relist.reason.${r.code}`, vars);
}

const reasonList = (reasons, attrs = {}) => el("ul", { class: "reasons", ...attrs }, reasons.map((r) => el("li", { "data-reason": r.code }, reasonText(r))));
const yuanText = (fen) => `${BigInt(fen) / 100n}.${(BigInt(fen) % 100n).toString().padStart(2, "0")}`;
/** Unix seconds ↔ a datetime-local value in this browser's time zone. */
function local(s) {
  const d = new Date(s * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
const seconds = (v) => Math.floor(new Date(v).getTime() / 1000);
const partName = (key) => (key.startsWith("region:") && key !== "region:other" ? named("console.region", key.slice(7)) : named("console.relist.part", key));

/** The advice's section; `redraw` redraws the page, `reload` reloads the listing after a relist. */
export function relistPart(listingId, redraw) {
  let advice = null;
  let error = null;
  let busy = false;
  let done = null;
  let choice = null;
  const forms = {};

  async function load() {
    try {
      advice = await api("GET", `/v1/market/listings/${listingId}/advice`);
      choice ??= advice.recommended;
      for (const o of advice.options) {
        forms[o.id] ??= {
          parts: o.parts.map((p) => ({ reserve: yuanText(p.reserve), deposit: "" })),
          commitEnd: local(advice.window.commitEnd), revealEnd: local(advice.window.revealEnd), days: String(Math.max(1, Math.round(advice.window.executionPeriod / 86_400))),
        };
      }
    } catch (e) {
      error = e;
    }
  }

  async function submit(option) {
    const f = forms[option.id];
    error = null;
    busy = true;
    redraw();
    try {
      const parts = f.parts.map((p) => {
        const reserve = toFen(p.reserve), deposit = toFen(p.deposit || "0");
        if (reserve === null) throw new Error(t("console.listings.badAmount", { field: t("console.relist.reserve") }));
        if (deposit === null) throw new Error(t("console.listings.badAmount", { field: t("console.relist.deposit") }));
        return { reserve, deposit };
      });
      done = await api("POST", `/v1/market/listings/${listingId}/relist`, {
        option: option.id, parts, commitEnd: seconds(f.commitEnd), revealEnd: seconds(f.revealEnd), executionPeriodSeconds: Math.round(Number(f.days) * 86_400),
      });
      await load();
    } catch (e) {
      error = e;
    }
    busy = false;
    redraw();
  }

  function optionCard(o) {
    const f = forms[o.id];
    const chosen = choice === o.id;
    const input = (value, on, attrs = {}) => el("input", { type: "text", inputmode: "decimal", value, ...attrs, on: { input: (e) => on(e.target.value) } });
    return el("div", { class: "card relist-option", "data-option": o.id, "data-recommended": String(o.id === advice.recommended) },
      el("label", {}, el("input", { type: "radio", name: "relist-option", value: o.id, checked: chosen, on: { change: () => { choice = o.id; redraw(); } } }), " ", el("strong", {}, named("console.relist.option", o.id))),
      reasonList(o.reasons),
      el("table", {}, el("tbody", {}, o.parts.map((p, i) => el("tr", { "data-part": p.key },
        el("td", {}, el("strong", {}, partName(p.key))),
        el("td", {}, t("console.relist.claims", { claims: int(p.claimIds.length), balance: money(p.balance), p10: money(p.value.p10), p90: money(p.value.p90) }),
          el("div", { class: "hint", "data-buyers": p.licensedAmcOnly ? "licensed" : "open" }, t(p.licensedAmcOnly ? "console.relist.buyers.licensed" : "console.relist.buyers.open")),
          reasonList(p.reasons)),
        chosen ? el("td", {},
          el("label", { class: "field" }, el("span", {}, t("console.relist.reserve")), input(f.parts[i].reserve, (v) => (f.parts[i].reserve = v), { name: `reserve-${i}` })),
          el("label", { class: "field" }, el("span", {}, t("console.relist.deposit")), input(f.parts[i].deposit, (v) => (f.parts[i].deposit = v), { name: `deposit-${i}` }))) : null)))),
      chosen ? el("form", { class: "filters", id: "relist-form", on: { submit: (e) => { e.preventDefault(); void submit(o); } } },
        el("label", { class: "field" }, el("span", {}, t("console.listings.commitEnd")), el("input", { type: "datetime-local", name: "commitEnd", value: f.commitEnd, on: { input: (e) => (f.commitEnd = e.target.value) } })),
        el("label", { class: "field" }, el("span", {}, t("console.listings.revealEnd")), el("input", { type: "datetime-local", name: "revealEnd", value: f.revealEnd, on: { input: (e) => (f.revealEnd = e.target.value) } })),
        el("label", { class: "field" }, el("span", {}, t("console.listings.executionDays")), el("input", { type: "number", name: "days", min: 1, step: 1, value: f.days, on: { input: (e) => (f.days = e.target.value) } })),
        el("button", { type: "submit", class: "primary", disabled: busy }, t("console.relist.submit"))) : null);
  }

  function draw() {
    if (!advice) return error ? section("console.relist.title", el("div", { id: "relist-error" }, message("error", errorText(error)))) : null;
    const relisted = advice.relisted;
    return section("console.relist.title",
      el("p", { class: "hint" }, t("console.relist.intro")),
      el("p", { id: "relist-outcome", "data-outcome": advice.outcome }, el("strong", {}, named("console.relist.outcome", advice.outcome))),
      reasonList(advice.reasons, { id: "relist-reasons" }),
      error ? el("div", { id: "relist-error" }, message("error", error instanceof Error && !("status" in error) ? error.message : errorText(error))) : null,
      done ? el("div", { id: "relist-done" }, message("ok", t("console.relist.done", { count: done.listings.length }))) : null,
      relisted ? el("div", { id: "relisted", "data-option": relisted.option }, t("console.relist.relisted"), " ",
        relisted.listings.map((id) => el("a", { href: `/console/market/listings/${id}`, "data-listing": id, class: "hash", title: id }, short(id), " "))) : null,
      advice.withdraw.length ? el("div", { id: "relist-withdraw" }, el("h3", {}, t("console.relist.withdraw")),
        el("ul", {}, advice.withdraw.map((w) => el("li", { "data-claim": w.claimId }, claimLink(w.claimId), " ", reasonList(w.reasons))))) : null,
      advice.options.length === 0 ? el("p", { id: "relist-none" }, t("console.relist.none")) : null,
      relisted ? null : el("div", { id: "relist-options" }, advice.options.map(optionCard)));
  }

  return { load, draw };
}
