// Portfolio dashboard: GET /v1/portfolio with the filters in the URL; figures as cards, charts (Chart.js,
// served from this server) and the exact numbers in tables beneath each chart.
import { ctx, t, api, el, money, yuan, compact, int, pct, date, named, table, section, select, errorText, message, classBadge, stateBadge, fill } from "./app.js";

const FILTERS = ["holder", "region", "product", "classification", "state"];
const CLASS_COLORS = { pass: "#2e7d32", "special-mention": "#f9a825", substandard: "#ef6c00", doubtful: "#c62828", loss: "#4a148c" };
const PALETTE = ["#1f5fa8", "#2e7d32", "#ef6c00", "#8e24aa", "#00838f", "#c62828", "#6d4c41", "#546e7a", "#f9a825", "#3949ab"];
const charts = [];

function chart(canvas, config) {
  const Chart = window.Chart;
  const options = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { display: config.legend ?? false, position: "bottom" } },
    ...config.options,
  };
  charts.push(new Chart(canvas, { type: config.type, data: config.data, options }));
}

function moneyAxis() {
  return { ticks: { callback: (v) => compact(v) }, beginAtZero: true };
}

function filtersFromUrl() {
  const q = new URLSearchParams(location.search);
  const f = {};
  for (const k of FILTERS) if (q.get(k)) f[k] = q.get(k);
  return f;
}

function queryOf(f) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export async function mount(view) {
  let filters = filtersFromUrl();
  let data = await api("GET", `/v1/portfolio${queryOf(filters)}`);
  // The options of the filters come from the whole (unfiltered) portfolio.
  let options = Object.keys(filters).length ? await api("GET", "/v1/portfolio") : data;
  let error = null;

  async function apply(next) {
    filters = next;
    history.replaceState(null, "", `/console${queryOf(filters)}`);
    view.dataset.loaded = "false";
    try {
      data = await api("GET", `/v1/portfolio${queryOf(filters)}`);
      error = null;
    } catch (e) {
      error = errorText(e);
    }
    draw();
    view.dataset.loaded = "true";
  }

  function filterBar() {
    const form = el("form", { class: "filters", id: "filters", on: { submit: (e) => {
      e.preventDefault();
      const fd = new FormData(e.target);
      const next = {};
      for (const k of FILTERS) if (fd.get(k)) next[k] = String(fd.get(k));
      void apply(next);
    } } },
      select("holder", options.byHolder.map((h) => ({ value: h.holder, label: h.name ?? h.holder })), filters.holder, t("console.filter.holder")),
      select("region", options.byRegion.map((r) => ({ value: r.region, label: named("console.region", r.region || "-") })), filters.region, t("console.filter.region")),
      select("product", options.byProduct.map((p) => ({ value: p.product, label: named("console.product", p.product) })), filters.product, t("console.filter.product")),
      select("classification", options.byClass.map((c) => ({ value: c.classification, label: named("console.class", c.classification) })), filters.classification, t("console.filter.classification")),
      select("state", options.byState.map((s) => ({ value: s.state, label: named("console.state", s.state) })), filters.state, t("console.filter.state")),
      el("button", { type: "submit", class: "primary" }, t("console.filter.apply")),
      el("button", { type: "button", id: "clear-filters", on: { click: () => void apply({}) } }, t("console.filter.clear")));
    return form;
  }

  function kpi(id, labelKey, value, note) {
    return el("div", { class: "kpi", "data-kpi": id }, el("span", { class: "label" }, t(labelKey)), el("strong", { class: "value" }, value), note ? el("span", { class: "note" }, note) : null);
  }

  function draw() {
    while (charts.length) charts.pop().destroy();
    const canvas = (id) => el("div", { class: "chart" }, el("canvas", { id, role: "img", "aria-label": t(`console.chart.${id}`) }));
    const claimsLink = el("a", { href: `/console/claims${queryOf(filters)}`, id: "to-claims" }, t("console.dashboard.toClaims", { count: int(data.count) }));

    const byClass = section("console.dashboard.byClass", canvas("class"),
      table([
        { id: "class", label: t("console.col.class"), cell: (r) => classBadge(r.classification) },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
      ], data.byClass.map((r) => ({ ...r, key: r.classification })), { "data-table": "class" }));
    const byState = section("console.dashboard.byState", canvas("state"),
      table([
        { id: "state", label: t("console.col.state"), cell: (r) => stateBadge(r.state) },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
      ], data.byState.filter((r) => r.count > 0).map((r) => ({ ...r, key: r.state })), { "data-table": "state" }));
    const byRegion = section("console.dashboard.byRegion", canvas("region"),
      table([
        { id: "region", label: t("console.col.region"), cell: (r) => named("console.region", r.region || "-") },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
      ], data.byRegion.map((r) => ({ ...r, key: r.region })), { "data-table": "region" }));
    const byProduct = section("console.dashboard.byProduct", canvas("product"),
      table([
        { id: "product", label: t("console.col.product"), cell: (r) => named("console.product", r.product) },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
      ], data.byProduct.map((r) => ({ ...r, key: r.product })), { "data-table": "product" }));
    const byHolder = section("console.dashboard.byHolder",
      table([
        { id: "holder", label: t("console.col.holder"), cell: (r) => el("span", { title: r.holder }, r.name ?? r.holder) },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
        { id: "recovery", label: t("console.col.expectedRecovery"), num: true, cell: (r) => money(r.expectedRecovery) },
      ], data.byHolder.map((r) => ({ ...r, key: r.holder })), { "data-table": "holder" }));
    // The trend is the whole portfolio's (the daily snapshots are not kept per filter): said so when a filter is on.
    const filtered = Object.keys(filters).length > 0;
    const trend = section("console.dashboard.trend", canvas("trend"),
      el("p", { class: "hint" }, t("console.dashboard.trendNote")),
      filtered ? el("p", { class: "hint", id: "trend-unfiltered" }, t("console.dashboard.trendUnfiltered")) : null,
      el("div", { class: "table-scroll" }, table([
        { id: "day", label: t("console.col.day"), cell: (r) => r.day },
        { id: "count", label: t("console.col.count"), num: true, cell: (r) => String(r.count) },
        { id: "outstanding", label: t("console.col.outstanding"), num: true, cell: (r) => money(r.outstanding) },
        { id: "npl", label: t("console.col.npl"), num: true, cell: (r) => String(r.classCount[2] + r.classCount[3] + r.classCount[4]) },
        { id: "source", label: t("console.col.source"), cell: (r) => t(`console.trend.${r.source}`) },
      ], data.trend.map((r) => ({ ...r, key: r.day })), { "data-table": "trend", class: "compact" })));

    fill(view, 
      el("div", { class: "title-row" }, el("h1", {}, t("console.dashboard.title")), el("span", { class: "hint" }, t("console.dashboard.asOf", { time: date(data.asOf), block: data.block }))),
      filterBar(),
      error ? message("error", error) : null,
      el("div", { class: "kpis" },
        kpi("count", "console.kpi.count", int(data.count)),
        kpi("outstanding", "console.kpi.outstanding", money(data.outstanding)),
        kpi("expectedRecovery", "console.kpi.expectedRecovery", money(data.expectedRecovery), t("console.kpi.recoveryRate", { rate: pct(data.recoveryBps) })),
        kpi("collateralValue", "console.kpi.collateral", money(data.collateralValue)),
        kpi("npl", "console.kpi.npl", int(data.byClass.slice(2).reduce((s, c) => s + c.count, 0))),
        // 诉讼时效 ending within 90 days (民法典第188条), and already time-barred: each links to the queue filtered by it.
        kpi("limitationExpiring", "console.kpi.limitationExpiring", el("a", { href: "/console/queue?limitation=expiring" }, int(data.limitation.expiring)), t("console.kpi.timeBarred", { count: int(data.limitation.expired) }))),
      el("p", { class: "hint" }, t("console.dashboard.recoveryNote"), " ", claimsLink),
      data.count === 0
        ? el("p", { class: "empty", id: "dashboard-empty" }, t(filtered ? "console.dashboard.noneFiltered" : "console.dashboard.none"))
        : el("div", { class: "grid" }, byClass, byState, byRegion, byProduct, trend, byHolder));
    if (data.count === 0) return;

    chart(document.getElementById("class"), {
      type: "bar",
      data: {
        labels: data.byClass.map((c) => named("console.class", c.classification)),
        datasets: [{ label: t("console.col.outstanding"), data: data.byClass.map((c) => yuan(c.outstanding)), backgroundColor: data.byClass.map((c) => CLASS_COLORS[c.classification]) }],
      },
      options: { scales: { y: moneyAxis() } },
    });
    const states = data.byState.filter((s) => s.count > 0);
    chart(document.getElementById("state"), {
      type: "bar",
      data: { labels: states.map((s) => named("console.state", s.state)), datasets: [{ label: t("console.col.count"), data: states.map((s) => s.count), backgroundColor: "#1f5fa8" }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    chart(document.getElementById("region"), {
      type: "bar",
      data: { labels: data.byRegion.map((r) => named("console.region", r.region || "-")), datasets: [{ label: t("console.col.outstanding"), data: data.byRegion.map((r) => yuan(r.outstanding)), backgroundColor: "#00838f" }] },
      options: { indexAxis: "y", scales: { x: moneyAxis() } },
    });
    chart(document.getElementById("product"), {
      type: "doughnut",
      legend: true,
      data: { labels: data.byProduct.map((p) => named("console.product", p.product)), datasets: [{ data: data.byProduct.map((p) => yuan(p.outstanding)), backgroundColor: PALETTE }] },
    });
    chart(document.getElementById("trend"), {
      type: "line",
      legend: true,
      data: {
        labels: data.trend.map((s) => s.day),
        datasets: data.byClass.map((c, i) => ({
          label: named("console.class", c.classification),
          data: data.trend.map((s) => yuan(s.classOutstanding[i])),
          borderColor: CLASS_COLORS[c.classification],
          backgroundColor: `${CLASS_COLORS[c.classification]}55`,
          fill: i === 0 ? "origin" : "-1",
        })),
      },
      options: { scales: { y: { ...moneyAxis(), stacked: true } } },
    });
  }

  ctx.redraw = draw;
  draw();
}
