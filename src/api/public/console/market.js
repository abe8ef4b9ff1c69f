// The market: a seller's data rooms (GET/POST /v1/market/rooms) with each room's access log
// (GET /v1/market/rooms/:id/accesses), and a buyer's data rooms fetched from sellers' nodes
// (GET/POST /v1/market/peer-rooms), each opened on its own page (room.js); the listings for sealed bids
// (market-listings.js), each opened on its own page (listing.js).
import { ctx, t, api, el, money, int, named, errorText, message, section, table, fill, dateTime, short } from "./app.js";
import { claimIdsOf } from "./packages.js";
import { listingsPart } from "./market-listings.js";

const buyersText = (rule) => rule.buyers.map((b) => named("console.market.buyer", b)).join(" / ");

export async function mount(view) {
  const buyer = ctx.me.role === "amc";
  let rooms = (await api("GET", "/v1/market/rooms")).rooms;
  let fetched = buyer ? (await api("GET", "/v1/market/peer-rooms")).rooms : [];
  const PRODUCTS = ["mortgage", "consumer", "credit-card", "sme", "corporate"];
  let profile = buyer ? await api("GET", "/v1/market/profile").catch(() => null) : null;
  /** The recommendations in the page's language (their reasons are sentences), asked again after a language switch. */
  let recs = null;
  let recListings = null;
  let recsLang = null;
  async function loadRecs() {
    recsLang = ctx.lang;
    recs = profile ? (await api("GET", `/v1/market/recommendations?lang=${ctx.lang}`)).recommendations : null;
    // The live listings ranked for the same profile (those whose room this node read and checked).
    recListings = profile ? (await api("GET", `/v1/market/recommended-listings?lang=${ctx.lang}`)).recommendations : null;
  }
  if (buyer) await loadRecs();
  const listings = listingsPart(() => draw(), () => rooms);
  await listings.load();
  let log = null;
  let error = null;
  let notice = null;
  let busy = false;
  const form = { ids: "", cutOff: new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10), label: "", seller: "", roomId: "" };

  async function act(fn) {
    error = null;
    notice = null;
    busy = true;
    draw();
    try {
      await fn();
    } catch (e) {
      error = e instanceof Error && !("status" in e) ? e.message : errorText(e);
    }
    busy = false;
    draw();
  }

  const openRoom = () => act(async () => {
    const r = await api("POST", "/v1/market/rooms", { claimIds: await claimIdsOf(form.ids), cutOff: form.cutOff, ...(form.label ? { label: form.label } : {}) });
    notice = t("console.market.opened", { roomId: r.roomId });
    form.ids = "";
    form.label = "";
    rooms = (await api("GET", "/v1/market/rooms")).rooms;
  });

  const showLog = (roomId) => act(async () => {
    log = await api("GET", `/v1/market/rooms/${roomId}/accesses`);
  });

  const saveProfile = (fd) => act(async () => {
    const regions = String(fd.get("regions") ?? "").split(/[\s,;，；、]+/).map((x) => x.trim()).filter(Boolean);
    const assetTypes = PRODUCTS.filter((p) => fd.get(`asset-${p}`));
    profile = await api("PUT", "/v1/market/profile", { regions, assetTypes });
    await loadRecs();
  });

  const fetchRoom = () => act(async () => {
    const r = await api("POST", "/v1/market/peer-rooms", { seller: form.seller.trim(), roomId: form.roomId.trim() });
    location.href = `/console/market/${r.seller}/${r.room.roomId}`;
  });

  function sellerSection() {
    const cols = [
      { id: "room", label: t("console.market.col.room"), cell: (r) => el("a", { href: `/console/market/${r.seller}/${r.roomId}`, class: "hash", title: r.roomId, "data-room": r.roomId }, short(r.roomId)) },
      { id: "label", label: t("console.market.col.label"), cell: (r) => r.label || "-" },
      { id: "cutOff", label: t("console.market.col.cutOff"), cell: (r) => r.cutOff },
      { id: "claims", label: t("console.market.col.claims"), num: true, cell: (r) => int(r.claims) },
      { id: "balance", label: t("console.market.col.balance"), num: true, cell: (r) => money(r.totals.balance) },
      { id: "buyers", label: t("console.market.col.buyers"), cell: (r) => buyersText(r.rule) },
      { id: "shown", label: t("console.market.col.shown"), num: true, cell: (r) => int(r.accesses.shown) },
      { id: "refused", label: t("console.market.col.refused"), num: true, cell: (r) => int(r.accesses.refused) },
      { id: "last", label: t("console.market.col.last"), cell: (r) => dateTime(r.accesses.last) },
      { id: "log", label: "", cell: (r) => el("button", { type: "button", "data-log": r.roomId, on: { click: () => showLog(r.roomId) } }, t("console.market.showAccesses")) },
    ];
    const opener = el("form", { id: "room-open", class: "filters", on: { submit: (e) => { e.preventDefault(); void openRoom(); } } },
      el("label", { class: "field wide" }, el("span", {}, t("console.market.ids")),
        el("textarea", { name: "claimIds", rows: 2, spellcheck: "false", on: { input: (e) => (form.ids = e.target.value) } }, form.ids)),
      el("label", { class: "field" }, el("span", {}, t("console.market.cutOff")), el("input", { type: "date", name: "cutOff", value: form.cutOff, on: { input: (e) => (form.cutOff = e.target.value) } })),
      el("label", { class: "field" }, el("span", {}, t("console.market.label")), el("input", { type: "text", name: "label", value: form.label, maxlength: 120, on: { input: (e) => (form.label = e.target.value) } })),
      el("button", { type: "submit", class: "primary", disabled: busy }, t("console.market.open")));
    return section("console.market.mine", el("p", { class: "hint" }, t("console.market.mineIntro")),
      rooms.length ? table(cols, rooms.map((r) => ({ ...r, key: r.roomId })), { id: "my-rooms" }) : el("p", { id: "no-rooms" }, t("console.market.noRooms")),
      opener, logSection());
  }

  function logSection() {
    if (!log) return null;
    const cols = [
      { id: "at", label: t("console.market.acc.at"), cell: (a) => dateTime(a.at) },
      { id: "who", label: t("console.market.acc.who"), cell: (a) => el("span", { title: a.account }, `${a.name} (${short(a.account)})`) },
      { id: "kind", label: t("console.market.acc.kind"), cell: (a) => named("console.market.buyer", a.kind) },
      { id: "via", label: t("console.market.acc.via"), cell: (a) => named("console.market.via", a.via) },
      { id: "outcome", label: t("console.market.acc.outcome"), cell: (a) => el("span", { "data-outcome": a.outcome }, named("console.market.outcome", a.outcome)) },
      { id: "rule", label: t("console.market.acc.rule"), cell: (a) => (a.rule ? named("console.market.rule", a.rule) : "-") },
    ];
    const chain = log.chain === "intact" ? t("console.market.chainIntact") : t("console.market.chainBroken", log.chain);
    return el("div", { id: "room-log", "data-room": log.roomId }, el("h3", {}, t("console.market.accesses", { roomId: short(log.roomId) })),
      el("p", { class: "hint", "data-chain": log.chain === "intact" ? "intact" : "broken" }, chain),
      log.accesses.length ? table(cols, log.accesses.map((a) => ({ ...a, key: String(a.seq) }))) : el("p", {}, t("console.market.noAccesses")));
  }

  function buyerSection() {
    if (!buyer) return null;
    const cols = [
      { id: "room", label: t("console.market.col.room"), cell: (r) => el("a", { href: `/console/market/${r.seller}/${r.room.roomId}`, class: "hash", title: r.room.roomId, "data-room": r.room.roomId }, short(r.room.roomId)) },
      { id: "seller", label: t("console.market.col.seller"), cell: (r) => el("span", { class: "hash", title: r.seller }, short(r.seller)) },
      { id: "cutOff", label: t("console.market.col.cutOff"), cell: (r) => r.room.cutOff },
      { id: "claims", label: t("console.market.col.claims"), num: true, cell: (r) => int(r.totals.claims) },
      { id: "balance", label: t("console.market.col.balance"), num: true, cell: (r) => money(r.totals.balance) },
      { id: "timeBarred", label: t("console.market.col.timeBarred"), num: true, cell: (r) => int(r.totals.timeBarred) },
      { id: "fetchedAt", label: t("console.market.col.fetchedAt"), cell: (r) => dateTime(r.fetchedAt) },
    ];
    const asker = el("form", { id: "room-fetch", class: "filters", on: { submit: (e) => { e.preventDefault(); void fetchRoom(); } } },
      el("label", { class: "field" }, el("span", {}, t("console.market.seller")), el("input", { type: "text", name: "seller", value: form.seller, spellcheck: "false", on: { input: (e) => (form.seller = e.target.value) } })),
      el("label", { class: "field wide" }, el("span", {}, t("console.market.roomId")), el("input", { type: "text", name: "roomId", value: form.roomId, spellcheck: "false", on: { input: (e) => (form.roomId = e.target.value) } })),
      el("button", { type: "submit", class: "primary", disabled: busy }, t("console.market.fetch")));
    return section("console.market.fetched", el("p", { class: "hint" }, t("console.market.fetchedIntro")), asker,
      fetched.length ? table(cols, fetched.map((r) => ({ ...r, key: r.room.roomId })), { id: "fetched-rooms" }) : el("p", { id: "no-fetched" }, t("console.market.noFetched")));
  }

  function recommendedSection() {
    if (!buyer) return null;
    if (recs && recsLang !== ctx.lang) void loadRecs().then(draw);
    const form = el("form", { id: "profile", class: "filters", on: { submit: (e) => { e.preventDefault(); void saveProfile(new FormData(e.target)); } } },
      el("label", { class: "field" }, el("span", {}, t("console.market.profile.regions")),
        el("input", { type: "text", name: "regions", value: (profile?.regions ?? []).map((r) => named("console.region", r)).join("，") })),
      el("fieldset", { class: "field" }, el("legend", {}, t("console.market.profile.assetTypes")),
        PRODUCTS.map((p) => el("label", {}, el("input", { type: "checkbox", name: `asset-${p}`, checked: (profile?.assetTypes ?? []).includes(p) }), named("console.product", p)))),
      el("button", { type: "submit", disabled: busy }, t("console.market.profile.save")));
    const cols = [
      { id: "room", label: t("console.market.col.room"), cell: (r) => el("a", { href: `/console/market/${r.seller}/${r.roomId}`, class: "hash", title: r.roomId, "data-room": r.roomId }, short(r.roomId)) },
      { id: "claims", label: t("console.market.col.claims"), num: true, cell: (r) => int(r.claims) },
      { id: "balance", label: t("console.market.col.balance"), num: true, cell: (r) => money(r.balance) },
      { id: "value", label: t("console.market.col.predictedValue"), num: true, cell: (r) => money(r.predictedValue) },
      { id: "reasons", label: t("console.market.col.reasons"), cell: (r) => el("ul", { class: "reasons" }, r.reasons.map((x) => el("li", {}, x))) },
    ];
    const listingCols = [
      { id: "listing", label: t("console.listings.col.listing"), cell: (r) => el("a", { href: `/console/market/listings/${r.listingId}`, class: "hash", title: r.listingId, "data-listing": r.listingId }, short(r.listingId)) },
      { id: "commitEnd", label: t("console.listings.col.commitEnd"), cell: (r) => dateTime(new Date(r.commitEnd * 1000).toISOString()) },
      { id: "claims", label: t("console.market.col.claims"), num: true, cell: (r) => int(r.claims) },
      { id: "reserve", label: t("console.listings.col.reserve"), num: true, cell: (r) => (r.reserve === null ? "-" : money(r.reserve)) },
      { id: "value", label: t("console.market.col.predictedValue"), num: true, cell: (r) => money(r.predictedValue) },
      { id: "reasons", label: t("console.market.col.reasons"), cell: (r) => el("ul", { class: "reasons" }, r.reasons.map((x) => el("li", {}, x))) },
    ];
    return section("console.market.recommended", el("p", { class: "hint" }, t("console.market.recommendedIntro")), form,
      !profile ? el("p", { id: "no-profile" }, t("console.market.noProfile"))
        : recs?.length ? table(cols, recs.map((r) => ({ ...r, key: r.roomId })), { id: "recommended" }) : el("p", { id: "no-recommended" }, t("console.market.noFetched")),
      recListings?.length ? [el("h3", {}, t("console.market.recommendedListings")), table(listingCols, recListings.map((r) => ({ ...r, key: r.listingId })), { id: "recommended-listings" })] : null);
  }

  function draw() {
    fill(view, el("h1", {}, t("console.title.market")),
      error ? el("div", { id: "market-error" }, message("error", error)) : null,
      notice ? el("div", { id: "market-notice" }, message("ok", notice)) : null,
      listings.seller(), buyer ? listings.buyer() : null, sellerSection(), recommendedSection(), buyerSection());
  }
  ctx.redraw = draw;
  draw();
}
