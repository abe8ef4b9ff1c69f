// Claims: GET /v1/claims — the claims the caller may see, searched (contract number, claim id or its prefix,
// debtor's name where the caller may read it) and filtered (class, state, product, region), a page at a time.
import { ctx, t, el, money, int, named, regionInput, message, classBadge, stateBadge, claimLink, fill } from "./app.js";
import { paged, filtersForm } from "./lists.js";

const FILTERS = ["holder", "region", "product", "classification", "state", "q"];

export async function mount(view) {
  const q = new URLSearchParams(location.search);
  const filters = {};
  for (const k of FILTERS) if (q.get(k)) filters[k] = q.get(k);
  const list = await paged("/v1/claims", filters, 100, "claims", () => draw());
  const regionLabel = (r) => (r === "-" ? t("console.region.-") : named("console.region", r));

  /** The search keeps the filters, and the filters keep the search. */
  const go = (form) => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (String(v).trim()) p.set(k, String(v).trim());
    location.href = `/console/claims${p.size ? `?${p}` : ""}`;
  };

  function draw() {
    const filterForm = filtersForm("claims", filters, ["performing", "overdue", "warned", "demanded", "in-arbitration", "ruled", "closed", "restructured"],
      // Any division, searchable; a province or city includes its districts' claims.
      regionInput("region", filters.region, t("console.filter.region")),
      filters.holder ? el("input", { type: "hidden", name: "holder", value: filters.holder }) : null,
      filters.q ? el("input", { type: "hidden", name: "q", value: filters.q }) : null,
      Object.keys(filters).length ? el("a", { href: "/console/claims", id: "clear-claim-filters", class: "button" }, t("console.filter.clear")) : null);
    filterForm.id = "claim-filters";
    const search = el("form", { class: "filters", id: "claim-search", role: "search", on: { submit: (e) => { e.preventDefault(); go(e.target); } } },
      el("label", { class: "field wide" }, el("span", {}, t("console.claims.search")),
        el("input", { name: "q", type: "search", value: filters.q ?? "", placeholder: t("console.claims.searchPlaceholder"), spellcheck: "false", autocomplete: "off", maxlength: "128" })),
      ...["holder", "region", "product", "classification", "state"].filter((k) => filters[k]).map((k) => el("input", { type: "hidden", name: k, value: filters[k] })),
      el("button", { type: "submit" }, t("console.claims.find")),
      el("span", { class: "hint" }, t(ctx.me && ["admin", "oracle"].includes(ctx.me.role) ? "console.claims.searchHintNoNames" : "console.claims.searchHint")));
    const empty = list.items.length === 0
      ? el("p", { class: "empty", id: "claims-empty" }, filters.q ? t("console.claims.noMatch", { q: filters.q }) : Object.keys(filters).length ? t("console.claims.noneFiltered") : t("console.claims.none"))
      : null;
    fill(view,
      el("div", { class: "title-row" }, el("h1", {}, t("console.claims.title")), el("span", { class: "hint", id: "claims-total" }, t(filters.q ? "console.claims.found" : "console.claims.total", { count: int(list.first.total), q: filters.q ?? "" }))),
      search,
      filterForm,
      list.error ? message("error", list.error) : null,
      empty ?? el("div", { class: "scroll" }, el("table", { id: "claims" },
        el("thead", {}, el("tr", {}, ["contractNo", "debtor", "product", "region", "holder", "outstanding", "class", "grade", "state"].map((h) =>
          el("th", { class: h === "outstanding" ? "num" : null }, t(`console.claims.col.${h}`))))),
        el("tbody", {}, list.items.map((c) => el("tr", { "data-claim": c.claimId },
          el("td", {}, claimLink(c.claimId, c.contractNo)),
          el("td", {}, c.debtorName ?? el("span", { class: "muted" }, t("console.redacted"))),
          el("td", {}, named("console.product", c.product)),
          el("td", {}, regionLabel(c.region ?? "-")),
          el("td", { title: c.holder }, c.holderName ?? c.holder),
          el("td", { class: "num" }, money(c.outstanding)),
          el("td", {}, classBadge(c.classification)),
          el("td", {}, c.grade),
          el("td", {}, stateBadge(c.state))))))),
      list.next ? el("button", { type: "button", id: "more", on: { click: () => void list.more() } }, t("console.more")) : null);
  }

  ctx.redraw = draw;
  draw();
}
