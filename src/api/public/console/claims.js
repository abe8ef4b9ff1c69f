// Claims: GET /v1/claims — the claims the caller may see, filtered, a page at a time.
import { ctx, t, el, money, int, named, message, classBadge, stateBadge, claimLink, fill, paged, filtersForm } from "./app.js";

const FILTERS = ["holder", "region", "product", "classification", "state"];

export async function mount(view) {
  const q = new URLSearchParams(location.search);
  const filters = {};
  for (const k of FILTERS) if (q.get(k)) filters[k] = q.get(k);
  const list = await paged("/v1/claims", filters, 100, "claims", () => draw());
  let lookup = "";

  function draw() {
    const filterForm = filtersForm("claims", filters, ["performing", "overdue", "warned", "demanded", "in-arbitration", "ruled", "closed", "restructured"],
      filters.region ? el("input", { type: "hidden", name: "region", value: filters.region }) : null,
      filters.holder ? el("input", { type: "hidden", name: "holder", value: filters.holder }) : null);
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
      el("div", { class: "title-row" }, el("h1", {}, t("console.claims.title")), el("span", { class: "hint", id: "claims-total" }, t("console.claims.total", { count: int(list.first.total) }))),
      open,
      filterForm,
      list.error ? message("error", list.error) : null,
      el("div", { class: "scroll" }, el("table", { id: "claims" },
        el("thead", {}, el("tr", {}, ["contractNo", "debtor", "product", "region", "holder", "outstanding", "class", "grade", "state"].map((h) =>
          el("th", { class: h === "outstanding" ? "num" : null }, t(`console.claims.col.${h}`))))),
        el("tbody", {}, list.items.map((c) => el("tr", { "data-claim": c.claimId },
          el("td", {}, claimLink(c.claimId, c.contractNo)),
          el("td", {}, c.debtorName ?? el("span", { class: "muted" }, t("console.redacted"))),
          el("td", {}, named("console.product", c.product)),
          el("td", {}, named("console.region", c.region ?? "-")),
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
