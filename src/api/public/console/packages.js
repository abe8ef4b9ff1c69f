// Packages: build a package from a filter (or a list of claim ids), see what it holds and is worth
// (POST /v1/packages/preview), then assign it to a holder (POST /v1/assignments, one transaction); the sales
// made so far (GET /v1/packages), so a sale is found again after a reload.
import { ctx, t, tIn, api, ApiError, el, money, int, named, select, errorText, message, classBadge, stateBadge, claimLink, txLink, section, table, fill, dateTime, short } from "./app.js";

/** "12,345.67" or "12345.67" yuan → fen as a decimal string; null when not an amount. */
export function toFen(text) {
  const m = /^\s*(\d{1,30})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/,/g, ""));
  if (!m) return null;
  return (BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"))).toString();
}

function fenToYuanText(fen) {
  const v = BigInt(fen);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, "0")}`;
}

function defaultPackageId() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `PKG-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

/**
 * Claim ids from what was pasted: ids as they are, contract numbers (合同号) looked up among the caller's
 * claims (GET /v1/claims?q=, an exact match); one that matches no claim, or several, is said by name.
 */
export async function claimIdsOf(text) {
  const out = [];
  for (const token of text.split(/[\s,;，；、]+/).map((x) => x.trim()).filter(Boolean)) {
    if (/^0x[0-9a-fA-F]{64}$/.test(token)) {
      out.push(token.toLowerCase());
      continue;
    }
    const found = (await api("GET", `/v1/claims?${new URLSearchParams({ q: token, limit: "20" })}`)).claims.filter((c) => c.contractNo.toUpperCase() === token.toUpperCase());
    if (found.length !== 1) throw new Error(t(found.length ? "console.packages.ambiguousNo" : "console.packages.unknownNo", { contractNo: token }));
    out.push(found[0].claimId);
  }
  return out;
}

export async function mount(view) {
  let filter = {};
  let ids = "";
  let mode = "filter";
  let preview = null;
  let selected = new Set();
  let error = null;
  let outcome = null;
  let busy = false;
  const assign = { to: "", packageId: defaultPackageId(), price: "", notice: "" };
  let history = (await api("GET", "/v1/packages")).packages;
  const regions = (await api("GET", "/v1/claims?limit=1")).regions.filter((r) => r.region !== "-");

  async function runPreview() {
    error = null;
    outcome = null;
    busy = true;
    draw();
    try {
      const body = mode === "ids" ? { claimIds: await claimIdsOf(ids) } : { filter };
      preview = await api("POST", "/v1/packages/preview", body);
      selected = new Set(preview.claims.filter((c) => c.assignable).slice(0, preview.maxPerAssignment).map((c) => c.claimId));
      assign.price = fenToYuanText(priceOf());
      // Chinese is the operative text in any console language; the English follows as a labelled translation.
      assign.notice ||= [
        tIn("zh-CN", "console.packages.noticeTemplate"), "",
        tIn("zh-CN", "console.letter.translation"), tIn("en", "console.letter.translation"), "",
        tIn("en", "console.packages.noticeTemplate"),
      ].join("\n");
      if (!assign.to && preview.knownHolders.length) assign.to = preview.knownHolders[0].address;
    } catch (e) {
      error = e instanceof ApiError ? errorText(e) : e.message;
      preview = null;
    }
    busy = false;
    draw();
  }

  function chosen() {
    return preview ? preview.claims.filter((c) => selected.has(c.claimId)) : [];
  }

  function priceOf() {
    return chosen().reduce((s, c) => s + BigInt(c.packagePrice), 0n).toString();
  }

  async function runAssign() {
    const price = toFen(assign.price);
    if (price === null) {
      error = t("console.packages.badPrice");
      draw();
      return;
    }
    error = null;
    busy = true;
    draw();
    try {
      const res = await api("POST", "/v1/assignments", { claimIds: [...selected], to: assign.to.trim(), packageId: assign.packageId.trim(), price, notice: assign.notice });
      outcome = { ...res, count: selected.size, to: assign.to.trim() };
      assign.packageId = defaultPackageId();
      history = (await api("GET", "/v1/packages")).packages;
      preview = null;
      selected = new Set();
    } catch (e) {
      error = errorText(e);
    }
    busy = false;
    draw();
  }

  function builder() {
    const byFilter = el("form", { id: "package-filter", class: "filters", on: { submit: (e) => {
      e.preventDefault();
      const fd = new FormData(e.target);
      filter = {};
      for (const [k, v] of fd.entries()) if (v) filter[k] = String(v);
      mode = "filter";
      void runPreview();
    } } },
      select("classification", ["pass", "special-mention", "substandard", "doubtful", "loss"].map((c) => ({ value: c, label: named("console.class", c) })), filter.classification, t("console.filter.classification")),
      select("state", ["performing", "overdue", "warned", "demanded", "in-arbitration", "ruled", "restructured"].map((s) => ({ value: s, label: named("console.state", s) })), filter.state, t("console.filter.state")),
      select("product", ["mortgage", "consumer", "credit-card", "sme", "corporate"].map((p) => ({ value: p, label: named("console.product", p) })), filter.product, t("console.filter.product")),
      select("region", regions.map((r) => ({ value: r.region, label: named("console.region", r.region) })), filter.region, t("console.filter.region")),
      el("button", { type: "submit", class: "primary", disabled: busy }, t("console.packages.preview")));
    const byIds = el("form", { id: "package-ids", class: "filters", on: { submit: (e) => {
      e.preventDefault();
      ids = String(new FormData(e.target).get("claimIds") ?? "");
      mode = "ids";
      void runPreview();
    } } },
      el("label", { class: "field wide" }, el("span", {}, t("console.packages.ids")), el("textarea", { name: "claimIds", rows: 2, spellcheck: "false" }, ids)),
      el("button", { type: "submit", disabled: busy }, t("console.packages.previewIds")));
    return section("console.packages.build", el("p", { class: "hint" }, t("console.packages.intro")), byFilter, byIds);
  }

  function totals(label, s, id) {
    return el("div", { class: "kpis", "data-totals": id },
      el("div", { class: "kpi" }, el("span", { class: "label" }, label), el("strong", { class: "value", "data-field": "count" }, int(s.count))),
      el("div", { class: "kpi" }, el("span", { class: "label" }, t("console.kpi.outstanding")), el("strong", { class: "value", "data-field": "outstanding" }, money(s.outstanding))),
      el("div", { class: "kpi" }, el("span", { class: "label" }, t("console.kpi.expectedRecovery")), el("strong", { class: "value", "data-field": "expectedRecovery" }, money(s.expectedRecovery))),
      el("div", { class: "kpi" }, el("span", { class: "label" }, t("console.packages.indicativePrice")), el("strong", { class: "value", "data-field": "indicativePrice" }, money(s.indicativePrice))),
      // 诉讼时效: how many claims of the package are time-barred (the server's count; the selection counts its rows).
      s.timeBarred === undefined ? null
        : el("div", { class: "kpi" }, el("span", { class: "label" }, t("console.packages.timeBarred")), el("strong", { class: "value", "data-field": "timeBarred" }, int(s.timeBarred))));
  }

  function previewSection() {
    if (!preview) return null;
    const list = chosen();
    const sel = {
      count: list.length,
      outstanding: list.reduce((s, c) => s + BigInt(c.outstanding), 0n).toString(),
      expectedRecovery: list.reduce((s, c) => s + BigInt(c.expectedRecovery), 0n).toString(),
      indicativePrice: priceOf(),
      timeBarred: list.filter((c) => c.limitation?.status === "expired").length,
    };
    const toggle = (claimId, on) => {
      if (on) selected.add(claimId);
      else selected.delete(claimId);
      assign.price = fenToYuanText(priceOf());
      draw();
    };
    return section("console.packages.previewTitle",
      totals(t("console.packages.matching"), preview.all, "all"),
      totals(t("console.packages.selected"), sel, "selected"),
      el("p", { class: "hint" }, t("console.packages.valuationNote")),
      table([
        { id: "class", label: t("console.col.class"), cell: (r) => classBadge(r.classification) },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
      ], preview.byClass.filter((c) => c.count > 0).map((c) => ({ ...c, key: c.classification })), { class: "compact", "data-table": "package-class" }),
      el("div", { class: "scroll" }, el("table", { id: "package-claims" },
        el("thead", {}, el("tr", {}, ["", "contractNo", "class", "state", "outstanding", "expectedRecovery", "packagePrice", "note"].map((h) => el("th", {}, h ? t(`console.packages.col.${h}`) : "")))),
        el("tbody", {}, preview.claims.map((c) => el("tr", { "data-claim": c.claimId, class: c.assignable ? null : "muted" },
          el("td", {}, el("input", { type: "checkbox", checked: selected.has(c.claimId), disabled: !c.assignable, "aria-label": c.contractNo, on: { change: (e) => toggle(c.claimId, e.target.checked) } })),
          el("td", {}, claimLink(c.claimId, c.contractNo)),
          el("td", {}, classBadge(c.classification)),
          el("td", {}, stateBadge(c.state)),
          el("td", { class: "num" }, money(c.outstanding)),
          el("td", { class: "num" }, money(c.expectedRecovery)),
          el("td", { class: "num" }, money(c.packagePrice)),
          el("td", {}, c.reason ? t(`console.packages.reason.${c.reason}`) : "")))))),
      assignForm(list.length));
  }

  function assignForm(count) {
    const tooMany = count > preview.maxPerAssignment;
    return el("form", { id: "assign", class: "assign", on: { submit: (e) => { e.preventDefault(); void runAssign(); } } },
      el("h3", {}, t("console.packages.assignTitle")),
      el("label", { class: "field wide" }, el("span", {}, t("console.packages.to")),
        el("input", { name: "to", list: "known-holders", value: assign.to, required: true, pattern: "^0x[0-9a-fA-F]{40}$", spellcheck: "false", autocomplete: "off", on: { input: (e) => { assign.to = e.target.value; } } }),
        el("datalist", { id: "known-holders" }, preview.knownHolders.map((h) => el("option", { value: h.address }, h.name)))),
      preview.knownHolders.length ? el("p", { class: "hint" }, t("console.packages.known", { list: preview.knownHolders.map((h) => `${h.name} ${h.address}`).join("; ") })) : null,
      el("label", { class: "field" }, el("span", {}, t("console.packages.packageId")),
        el("input", { name: "packageId", value: assign.packageId, required: true, maxlength: "64", on: { input: (e) => { assign.packageId = e.target.value; } } }),
        el("span", { class: "hint" }, t("console.packages.packageIdHint"))),
      el("label", { class: "field" }, el("span", {}, t("console.packages.price")),
        el("input", { name: "price", value: assign.price, required: true, inputmode: "decimal", on: { input: (e) => { assign.price = e.target.value; } } })),
      el("label", { class: "field wide" }, el("span", {}, t("console.packages.notice")),
        el("textarea", { name: "notice", rows: 3, required: true, on: { input: (e) => { assign.notice = e.target.value; } } }, assign.notice)),
      tooMany ? message("error", t("console.packages.tooMany", { max: preview.maxPerAssignment })) : null,
      el("button", { type: "submit", class: "primary", id: "assign-submit", disabled: busy || count === 0 || tooMany }, t("console.packages.assign", { count })));
  }

  /** The sales made so far, newest first: name, buyer, claims with each one's share of the price, transaction. */
  function historySection() {
    if (!history.length) return section("console.packages.history", el("p", { class: "empty", id: "no-packages" }, t("console.packages.noHistory")));
    return section("console.packages.history", el("div", { class: "scroll" }, el("table", { id: "package-history" },
      el("thead", {}, el("tr", {}, ["packageId", "buyer", "claims", "price", "status", "tx", "date"].map((h) => el("th", { class: h === "price" ? "num" : null }, t(`console.packages.hist.${h}`))))),
      el("tbody", {}, history.map((p) => el("tr", { "data-package": p.packageId, "data-status": p.status },
        el("td", {}, el("strong", {}, p.packageId), el("div", { class: "hash muted", title: t("console.packages.refHint") }, short(p.packageRef))),
        el("td", { class: "hash", title: p.buyer }, p.buyerName ? [p.buyerName, el("div", { class: "muted" }, p.buyer)] : p.buyer),
        el("td", {}, el("details", {}, el("summary", {}, t("console.packages.hist.count", { count: int(p.count) })),
          el("ul", { class: "shares" }, p.claimIds.map((id) => el("li", { "data-claim": id }, claimLink(id, p.contractNos[id.toLowerCase()]), " ", money(p.priceShares[id.toLowerCase()])))))),
        el("td", { class: "num" }, money(p.price)),
        el("td", {}, named("console.packages.status", p.status)),
        el("td", {}, p.txHash ? txLink(p.txHash) : "-"),
        el("td", {}, dateTime(p.createdAt))))))),
      el("p", { class: "hint" }, t("console.packages.sharesNote")));
  }

  function draw() {
    fill(view, 
      el("div", { class: "title-row" }, el("h1", {}, t("console.packages.title"))),
      builder(),
      busy ? message("", t("console.working")) : null,
      error ? message("error", error) : null,
      outcome ? el("div", { class: "msg ok", id: "assigned" },
        t("console.packages.assigned", { count: outcome.count, packageId: outcome.packageId, to: outcome.to }), " ", txLink(outcome.txHash)) : null,
      previewSection(),
      historySection());
  }

  ctx.redraw = draw;
  draw();
}
