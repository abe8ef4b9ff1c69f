// The court's list (GET /v1/disputes): the disputes before it, waiting ones first, each opening its page.
import { ctx, t, api, el, money, int, named, dateTime, stateBadge, fill, short } from "./app.js";

export async function mount(view) {
  const q = new URLSearchParams(location.search);
  const status = ["waiting", "solved"].includes(q.get("status")) ? q.get("status") : "";
  const list = await api("GET", `/v1/disputes${status ? `?status=${status}` : ""}`);

  function draw() {
    const tabs = el("nav", { class: "filters", id: "dispute-tabs", "aria-label": t("console.disputes.title") },
      ["", "waiting", "solved"].map((s) => el("a", { href: `/console/disputes${s ? `?status=${s}` : ""}`, class: "button", "aria-current": s === status ? "page" : null, "data-status": s || "all" }, t(`console.disputes.tab.${s || "all"}`))));
    fill(view,
      el("div", { class: "title-row" }, el("h1", {}, t("console.disputes.title")), el("span", { class: "hint", id: "disputes-total" }, t("console.disputes.total", { count: int(list.total) }))),
      el("p", { class: "hint" }, t("console.disputes.intro")),
      tabs,
      list.disputes.length === 0
        ? el("p", { class: "empty", id: "no-disputes" }, t(status === "waiting" ? "console.disputes.noneWaiting" : "console.disputes.none"))
        : el("div", { class: "scroll" }, el("table", { id: "disputes" },
          el("thead", {}, el("tr", {}, ["id", "contractNo", "debtor", "outstanding", "state", "status", "openedAt"].map((h) => el("th", { class: h === "outstanding" ? "num" : null }, t(`console.disputes.col.${h}`))))),
          el("tbody", {}, list.disputes.map((d) => el("tr", { "data-dispute": d.disputeId, "data-status": d.status },
            el("td", {}, el("a", { href: `/console/disputes/${d.disputeId}` }, `#${d.disputeId}`)),
            el("td", {}, el("a", { href: `/console/disputes/${d.disputeId}` }, d.contractNo ?? short(d.claimId)), el("div", { class: "hash muted", title: d.claimId }, short(d.claimId))),
            el("td", {}, d.debtorName ?? el("span", { class: "muted" }, t("console.redacted"))),
            el("td", { class: "num" }, money(d.outstanding)),
            el("td", {}, stateBadge(d.state)),
            el("td", { "data-col": "status" }, d.status === "solved" ? `${named("console.disputeStatus", d.status)} · ${named("console.ruling", d.ruling)}` : named("console.disputeStatus", d.status)),
            el("td", {}, dateTime(d.openedAt))))))));
  }
  ctx.redraw = draw;
  draw();
}
