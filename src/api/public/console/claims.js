// Claims: GET /v1/claims — the claims the caller may see, filtered, a page at a time.
import { ctx, t, api, el, money, int, named, select, errorText, message, classBadge, stateBadge, claimLink, fill } from "./app.js";

const FILTERS = ["holder", "region", "product", "classification", "state"];

export async function mount(view) {
  const q = new URLSearchParams(location.search);
  const filters = {};
  for (const k of FILTERS) if (q.get(k)) filters[k] = q.get(k);
  const query = (cursor) => {
    const p = new URLSearchParams({ ...filters, limit: "100" });
    if (cursor) p.set("cursor", cursor);
    return `/v1/claims?${p}`;
  };
  const first = await api("GET", query());
  const claims = [...first.claims];
  let next = first.nextCursor;
  let error = null;
  let lookup = "";

  async function more() {
    try {
      const page = await api("GET", query(next));
      claims.push(...page.claims);
      next = page.nextCursor;
    } catch (e) {
      error = errorText(e);
    }
    draw();
  }

  function draw() {
    const filterForm = el("form", { class: "filters", on: { submit: (e) => {
      e.preventDefault();
      const fd = new FormData(e.target);
      const p = new URLSearchParams();
      for (const [k, v] of fd.entries()) if (v) p.set(k, String(v));
      location.href = `/console/claims${p.size ? `?${p}` : ""}`;
    } } },
      select("classification", ["pass", "special-mention", "substandard", "doubtful", "loss"].map((c) => ({ value: c, label: named("console.class", c) })), filters.classification, t("console.filter.classification")),
      select("state", ["performing", "overdue", "warned", "demanded", "in-arbitration", "ruled", "closed", "restructured"].map((s) => ({ value: s, label: named("console.state", s) })), filters.state, t("console.filter.state")),
      select("product", ["mortgage", "consumer", "credit-card", "sme", "corporate"].map((p) => ({ value: p, label: named("console.product", p) })), filters.product, t("console.filter.product")),
      filters.region ? el("input", { type: "hidden", name: "region", value: filters.region }) : null,
      filters.holder ? el("input", { type: "hidden", name: "holder", value: filters.holder }) : null,
      el("button", { type: "submit", class: "primary" }, t("console.filter.apply")));
    const open = el("form", { class: "filters", id: "open-claim", on: { submit: (e) => {
      e.preventDefault();
      const id = String(new FormData(e.target).get("claimId") ?? "").trim();
      if (/^0x[0-9a-fA-F]{64}$/.test(id)) location.href = `/console/claims/${id.toLowerCase()}`;
      else {
        lookup = t("console.claims.badId");
        draw();
      }
    } } },
      el("label", { class: "field wide" }, el("span", {}, t("console.claims.openById")), el("input", { name: "claimId", placeholder: "0x…", spellcheck: "false", autocomplete: "off" })),
      el("button", { type: "submit" }, t("console.claims.open")),
      lookup ? el("span", { class: "msg error" }, lookup) : null);
    fill(view, 
      el("div", { class: "title-row" }, el("h1", {}, t("console.claims.title")), el("span", { class: "hint", id: "claims-total" }, t("console.claims.total", { count: int(first.total) }))),
      open,
      filterForm,
      error ? message("error", error) : null,
      el("div", { class: "scroll" }, el("table", { id: "claims" },
        el("thead", {}, el("tr", {}, ["contractNo", "debtor", "product", "region", "holder", "outstanding", "class", "grade", "state"].map((h) =>
          el("th", { class: h === "outstanding" ? "num" : null }, t(`console.claims.col.${h}`))))),
        el("tbody", {}, claims.map((c) => el("tr", { "data-claim": c.claimId },
          el("td", {}, claimLink(c.claimId, c.contractNo)),
          el("td", {}, c.debtorName ?? el("span", { class: "muted" }, t("console.redacted"))),
          el("td", {}, named("console.product", c.product)),
          el("td", {}, named("console.region", c.region ?? "-")),
          el("td", { title: c.holder }, c.holderName ?? c.holder),
          el("td", { class: "num" }, money(c.outstanding)),
          el("td", {}, classBadge(c.classification)),
          el("td", {}, c.grade),
          el("td", {}, stateBadge(c.state))))))),
      next ? el("button", { type: "button", id: "more", on: { click: () => void more() } }, t("console.more")) : null);
  }

  ctx.redraw = draw;
  draw();
}
