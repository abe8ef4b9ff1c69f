// The market page's listings (issue 19): a seller's listings with the form that lists a package — claims it holds,
// or a data room's package — for sealed bids (POST /v1/market/listings), and the other organisations' listings a
// buyer may bid on (GET /v1/market/listings). Each listing opens its own page (listing.js): bids, award, payment.
import { ctx, t, api, el, money, int, named, errorText, message, section, table, dateTime, short } from "./app.js";
import { claimIdsOf, toFen } from "./packages.js";

/** Unix seconds → the console's date and time. */
export const at = (s) => (s ? dateTime(new Date(s * 1000).toISOString()) : "-");
/** 基准日 (00:00 UTC+8 in unix seconds) → YYYY-MM-DD. */
export const day = (s) => new Date((s + 8 * 3600) * 1000).toISOString().slice(0, 10);
/** Who may bid, with the rule that decided it. */
export const ruleOf = (l) => (!l.licensedAmcOnly ? "open" : l.retailClaims > 0 ? "personal" : l.claimIds.length >= 10 ? "batch" : "amc");
export const statusBadge = (s) => el("span", { class: "badge", "data-status": s }, named("console.listing.status", s));
export const listingLink = (l) => el("a", { href: `/console/market/listings/${l.listingId}`, "data-listing": l.listingId, title: l.listingId }, l.label ?? short(l.listingId));
export const reserveText = (l) => (l.reserveHidden && l.reserve === null ? t("console.listings.hidden") : l.reserve === null || l.reserve === "0" ? t("console.listings.noReserve") : money(l.reserve));

/** "YYYY-MM-DDTHH:MM" in this browser's time zone, `seconds` from now (a datetime-local's value). */
function localIn(seconds) {
  const d = new Date(Date.now() + seconds * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The listings' sections of the market page; `redraw` draws the whole page again. */
export function listingsPart(redraw, rooms) {
  const me = ctx.me.address?.toLowerCase();
  let listings = [];
  let error = null;
  let notice = null;
  let busy = false;
  const form = {
    room: "", ids: "", label: "", cutoff: new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10),
    commitEnd: localIn(3 * 86_400), revealEnd: localIn(4 * 86_400), days: "30", deposit: "", reserve: "", hideReserve: false, openToInvestors: false,
  };

  async function load() {
    listings = (await api("GET", "/v1/market/listings")).listings;
  }

  const yuan = (text, field, optional) => {
    if (optional && !text.trim()) return undefined;
    const fen = toFen(text);
    if (fen === null) throw new Error(t("console.listings.badAmount", { field: t(`console.listings.${field}`) }));
    return fen;
  };
  const seconds = (local, field) => {
    const ms = new Date(local).getTime();
    if (!local || Number.isNaN(ms)) throw new Error(t("console.listings.badTime", { field: t(`console.listings.${field}`) }));
    return Math.floor(ms / 1000);
  };

  async function fromRoom(roomId) {
    form.room = roomId;
    if (!roomId) return;
    const { room, tape } = await api("GET", `/v1/market/rooms/${roomId}`);
    form.ids = tape.lines.map((l) => l.claimId).join("\n");
    form.cutoff = room.cutOff;
    if (!form.label && room.label) form.label = room.label;
  }

  async function submit() {
    error = null;
    notice = null;
    busy = true;
    redraw();
    try {
      const reserve = yuan(form.reserve, "reserve", true);
      const body = {
        label: form.label.trim(), claimIds: await claimIdsOf(form.ids), cutoffDate: form.cutoff,
        commitEnd: seconds(form.commitEnd, "commitEnd"), revealEnd: seconds(form.revealEnd, "revealEnd"),
        executionPeriodSeconds: Math.round(Number(form.days) * 86_400), deposit: yuan(form.deposit, "deposit"),
        ...(reserve !== undefined ? { reserve, hideReserve: form.hideReserve } : {}),
        ...(form.openToInvestors ? { licensedAmcOnly: false } : {}),
        // From a data room: the listing commits to the room's tape (buyers check it against the chain).
        ...(form.room ? { roomId: form.room } : {}),
      };
      const r = await api("POST", "/v1/market/listings", body);
      notice = t("console.listings.listed", { listingId: short(r.listingId) });
      Object.assign(form, { room: "", ids: "", label: "", reserve: "", deposit: "" });
      await load();
    } catch (e) {
      error = e;
    }
    busy = false;
    redraw();
  }

  const cols = (...ids) => {
    const all = {
      listing: { label: t("console.listings.col.listing"), cell: listingLink },
      seller: { label: t("console.listings.col.seller"), cell: (l) => el("span", { class: "hash", title: l.seller }, short(l.seller)) },
      status: { label: t("console.listings.col.status"), cell: (l) => statusBadge(l.status) },
      claims: { label: t("console.listings.col.claims"), num: true, cell: (l) => int(l.claimIds.length) },
      cutoff: { label: t("console.listings.col.cutoff"), cell: (l) => day(l.cutoffDate) },
      commitEnd: { label: t("console.listings.col.commitEnd"), cell: (l) => at(l.commitEnd) },
      revealEnd: { label: t("console.listings.col.revealEnd"), cell: (l) => at(l.revealEnd) },
      deposit: { label: t("console.listings.col.deposit"), num: true, cell: (l) => money(l.deposit) },
      reserve: { label: t("console.listings.col.reserve"), num: true, cell: reserveText },
      buyers: { label: t("console.listings.col.buyers"), cell: (l) => el("span", { "data-rule": ruleOf(l) }, named("console.listing.rule", ruleOf(l))) },
      bidders: { label: t("console.listings.col.bidders"), num: true, cell: (l) => int(l.bidders.length) },
      revealed: { label: t("console.listings.col.revealed"), num: true, cell: (l) => int(l.revealed) },
      winner: { label: t("console.listings.col.winner"), cell: (l) => (l.winner ? el("span", { class: "hash", title: l.winner }, short(l.winner)) : "-") },
      myBid: { label: t("console.listings.col.myBid"), cell: (l) => (l.bidders.some((b) => b.toLowerCase() === me) ? t("console.listings.bidPlaced") : "-") },
    };
    return ids.map((id) => ({ id, ...all[id] }));
  };

  function seller() {
    const mine = listings.filter((l) => l.seller.toLowerCase() === me);
    const field = (key, input) => el("label", { class: "field" }, el("span", {}, t(`console.listings.${key}`)), input);
    const bind = (name, type = "text", extra = {}) => el("input", { type, name, value: form[name], ...extra, on: { input: (e) => (form[name] = e.target.value) } });
    const check = (name) => el("label", {}, el("input", { type: "checkbox", name, checked: form[name], on: { change: (e) => (form[name] = e.target.checked) } }), t(`console.listings.${name}`));
    const creator = el("form", { id: "listing-new", class: "filters", on: { submit: (e) => { e.preventDefault(); void submit(); } } },
      rooms().length ? field("fromRoom", el("select", { name: "room", on: { change: (e) => void fromRoom(e.target.value).then(redraw, (x) => { error = x; redraw(); }) } },
        el("option", { value: "" }, t("console.listings.noRoom")),
        rooms().map((r) => el("option", { value: r.roomId, selected: r.roomId === form.room }, `${r.label || short(r.roomId)} · ${r.cutOff} · ${int(r.claims)}`)))) : null,
      field("label", bind("label", "text", { maxlength: 64, required: true })),
      el("label", { class: "field wide" }, el("span", {}, t("console.listings.claimIds")),
        el("textarea", { name: "claimIds", rows: 2, spellcheck: "false", on: { input: (e) => (form.ids = e.target.value) } }, form.ids)),
      field("cutoff", bind("cutoff", "date")),
      field("commitEnd", bind("commitEnd", "datetime-local")), field("revealEnd", bind("revealEnd", "datetime-local")),
      field("executionDays", bind("days", "number", { min: 1, step: 1 })),
      field("deposit", bind("deposit", "text", { inputmode: "decimal" })), field("reserve", bind("reserve", "text", { inputmode: "decimal" })),
      check("hideReserve"), check("openToInvestors"),
      el("p", { class: "hint wide" }, t("console.listings.rulesDecide")),
      el("button", { type: "submit", class: "primary", disabled: busy }, t("console.listings.submit")));
    return section("console.listings.mine", el("p", { class: "hint" }, t("console.listings.mineIntro")),
      error ? el("div", { id: "listing-error" }, message("error", error instanceof Error && !("status" in error) ? error.message : errorText(error))) : null,
      notice ? el("div", { id: "listing-notice" }, message("ok", notice)) : null,
      mine.length ? table(cols("listing", "status", "claims", "cutoff", "commitEnd", "revealEnd", "reserve", "buyers", "bidders", "revealed", "winner"), mine.map((l) => ({ ...l, key: l.listingId })), { id: "my-listings" })
        : el("p", { id: "no-listings" }, t("console.listings.none")),
      el("h3", {}, t("console.listings.new")), creator);
  }

  function buyer() {
    const others = listings.filter((l) => l.seller.toLowerCase() !== me && (l.status === "open" || l.bidders.some((b) => b.toLowerCase() === me)));
    return section("console.listings.open", el("p", { class: "hint" }, t("console.listings.openIntro")),
      others.length ? table(cols("listing", "seller", "status", "claims", "cutoff", "commitEnd", "revealEnd", "deposit", "reserve", "buyers", "bidders", "myBid"), others.map((l) => ({ ...l, key: l.listingId })), { id: "open-listings" })
        : el("p", { id: "no-open-listings" }, t("console.listings.noOpen")));
  }

  return { load, seller, buyer };
}
