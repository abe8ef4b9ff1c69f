// One listing (GET /v1/market/listings/:id): its terms and who may bid, the bids as the chain shows them (a sealed
// bid's amount nowhere before its reveal — the seller's page included), and the steps of whoever reads it: the
// seller awards, executes the award as the sale, withdraws before any bid or awards the runner-up after the
// deadline; a buyer commits a sealed bid with its deposit's reference, reveals it (its node also does by itself)
// and, having won, records its payment. Every refusal is shown in the page's language.
import { ctx, t, api, el, money, int, named, errorText, message, section, table, fill, short, txLink } from "./app.js";
import { toFen } from "./packages.js";
import { at, day, ruleOf, statusBadge, reserveText } from "./market-listings.js";
import { relistPart } from "./relist.js";

export async function mount(view, listingId) {
  const me = ctx.me.address?.toLowerCase();
  let data = await api("GET", `/v1/market/listings/${listingId}`);
  let error = null;
  let done = null;
  let busy = false;
  const form = { amount: "", depositProof: "", paymentProof: "", notice: null };
  // A package that did not sell: its seller sees the disposal model's advice and relists from here.
  const relist = relistPart(listingId, () => draw());
  const unsold = (l) => l && ["unsold", "failed", "cancelled"].includes(l.status) && l.seller.toLowerCase() === me;
  if (unsold(data.listing)) await relist.load();

  async function act(fn) {
    error = null;
    done = null;
    busy = true;
    draw();
    try {
      const r = await fn();
      done = r?.txHash ?? null;
    } catch (e) {
      error = e;
    }
    data = await api("GET", `/v1/market/listings/${listingId}`).catch(() => data);
    if (unsold(data.listing)) await relist.load();
    busy = false;
    draw();
  }
  const post = (step, body) => act(() => api("POST", `/v1/market/listings/${listingId}/${step}`, body));

  const bidAmount = () => {
    const fen = toFen(form.amount);
    if (fen === null) throw new Error(t("console.listings.badAmount", { field: t("console.listing.amount") }));
    return fen;
  };

  function summary(l) {
    const row = (label, value, field) => el("div", { class: "kpi" }, el("span", { class: "label" }, label), el("strong", { class: "value", "data-field": field }, value));
    return section("console.listing.summary",
      el("div", { class: "kpis", id: "listing-summary" },
        row(t("console.listings.col.status"), statusBadge(l.status), "status"),
        row(t("console.listings.col.seller"), el("span", { class: "hash", title: l.seller }, short(l.seller)), "seller"),
        row(t("console.listings.col.claims"), int(l.claimIds.length), "claims"),
        row(t("console.listings.col.cutoff"), day(l.cutoffDate), "cutoff"),
        row(t("console.listings.col.commitEnd"), at(l.commitEnd), "commitEnd"),
        row(t("console.listings.col.revealEnd"), at(l.revealEnd), "revealEnd"),
        row(t("console.listing.executionPeriod"), t("console.listing.days", { days: Math.round(l.executionPeriod / 8640) / 10 }), "executionPeriod"),
        row(t("console.listings.col.deposit"), money(l.deposit), "deposit"),
        row(t("console.listings.col.reserve"), data.mine?.reserve ? money(data.mine.reserve) : reserveText(l), "reserve"),
        row(t("console.listings.col.bidders"), int(l.bidders.length), "bidders"),
        row(t("console.listings.col.revealed"), int(l.revealed), "revealed"),
        l.winner ? row(t("console.listings.col.winner"), el("span", { class: "hash", title: l.winner }, short(l.winner)), "winner") : null,
        l.winningBid ? row(t("console.listing.winningBid"), money(l.winningBid), "winningBid") : null,
        l.deadline ? row(t("console.listing.deadline"), at(l.deadline), "deadline") : null),
      el("p", { id: "listing-rule", "data-rule": ruleOf(l) }, `${t("console.listings.col.buyers")}: ${named("console.listing.rule", ruleOf(l))}`),
      l.winner ? el("p", { id: "listing-paid", "data-paid": String(l.paid) }, t(l.paid ? "console.listing.paid" : "console.listing.unpaid")) : null);
  }

  function bidsSection(l) {
    const cols = [
      { id: "seq", label: t("console.listing.col.seq"), num: true, cell: (b) => int(b.seq) },
      { id: "bidder", label: t("console.listing.col.bidder"), cell: (b) => el("span", { class: "hash", title: b.bidder }, short(b.bidder) + (b.bidder.toLowerCase() === me ? t("console.listing.you") : "")) },
      { id: "committedAt", label: t("console.listing.col.committedAt"), cell: (b) => at(b.committedAt) },
      { id: "amount", label: t("console.listing.col.amount"), num: true, cell: (b) => (b.amount === null ? el("span", { "data-sealed": "true" }, t("console.listing.sealed")) : money(b.amount)) },
      { id: "status", label: t("console.listing.col.status"), cell: (b) => el("span", { "data-bid-status": b.status }, named("console.listing.bidStatus", b.status)) },
    ];
    return section("console.listing.bids", el("p", { class: "hint" }, t("console.listing.bidsIntro")),
      data.bids.length ? table(cols, data.bids.map((b) => ({ ...b, key: b.bidder.toLowerCase() })), { id: "bids" }) : el("p", { id: "no-bids" }, t("console.listing.noBids")));
  }

  function sellerSteps(l) {
    const button = (id, label, fn, hint) => el("div", {}, el("button", { type: "button", id, class: "primary", disabled: busy, on: { click: fn } }, t(label)), hint ? el("span", { class: "hint" }, ` ${t(hint)}`) : null);
    const steps = [];
    if (l.status === "open") {
      steps.push(button("award", "console.listing.award", () => post("award"), "console.listing.awardHint"));
      if (l.bidders.length === 0) steps.push(button("cancel-listing", "console.listing.cancel", () => post("cancel"), "console.listing.cancelHint"));
    }
    if (l.status === "awarded") {
      form.notice ??= t("console.listing.noticeDefault");
      steps.push(el("form", { id: "execute", class: "filters", on: { submit: (e) => { e.preventDefault(); void post("execute", { notice: form.notice }); } } },
        el("label", { class: "field wide" }, el("span", {}, t("console.listing.notice")),
          el("textarea", { name: "notice", rows: 2, on: { input: (e) => (form.notice = e.target.value) } }, form.notice)),
        el("button", { type: "submit", class: "primary", disabled: busy }, t("console.listing.execute"))));
      steps.push(button("runner-up", "console.listing.runnerUp", () => post("runner-up"), "console.listing.runnerUpHint"));
    }
    return steps.length ? section("console.listing.seller", ...steps) : null;
  }

  function buyerSteps(l) {
    const mine = data.bids.find((b) => b.bidder.toLowerCase() === me);
    const parts = [];
    if (data.myBid) {
      const status = mine?.status ?? data.myBid.status;
      parts.push(el("p", { id: "my-bid", "data-bid-status": status }, t("console.listing.myBidText", { amount: money(data.myBid.amount), status: named("console.listing.bidStatus", status) })));
      if (status === "committed" && l.status === "open") {
        parts.push(el("div", {}, el("button", { type: "button", id: "reveal", disabled: busy, on: { click: () => post("reveal") } }, t("console.listing.reveal")),
          el("span", { class: "hint" }, ` ${t("console.listing.revealHint")}`)));
      }
    } else if (l.status === "open") {
      parts.push(el("p", { id: "bid-rule", "data-rule": ruleOf(l) }, `${t("console.listings.col.buyers")}: ${named("console.listing.rule", ruleOf(l))}`));
      parts.push(el("form", { id: "bid", class: "filters", on: { submit: (e) => { e.preventDefault(); void act(() => api("POST", `/v1/market/listings/${listingId}/bids`, { amount: bidAmount(), depositProof: form.depositProof.trim() })); } } },
        el("label", { class: "field" }, el("span", {}, t("console.listing.amount")), el("input", { type: "text", name: "amount", inputmode: "decimal", value: form.amount, on: { input: (e) => (form.amount = e.target.value) } })),
        el("label", { class: "field" }, el("span", {}, t("console.listing.depositProof")), el("input", { type: "text", name: "depositProof", maxlength: 200, value: form.depositProof, on: { input: (e) => (form.depositProof = e.target.value) } })),
        el("button", { type: "submit", class: "primary", disabled: busy }, t("console.listing.placeBid"))));
    }
    if (l.winner?.toLowerCase() === me) {
      parts.push(el("p", { id: "won", "data-listing-status": l.status }, t(l.status === "sold" ? "console.listing.won" : "console.listing.awardedToYou")));
      if (l.status === "awarded" && !l.paid) {
        parts.push(el("form", { id: "payment", class: "filters", on: { submit: (e) => { e.preventDefault(); void post("payment", { paymentProof: form.paymentProof.trim() }); } } },
          el("label", { class: "field" }, el("span", {}, t("console.listing.paymentProof")), el("input", { type: "text", name: "paymentProof", maxlength: 200, value: form.paymentProof, on: { input: (e) => (form.paymentProof = e.target.value) } })),
          el("button", { type: "submit", class: "primary", disabled: busy }, t("console.listing.recordPayment"))));
      }
    }
    return parts.length ? section("console.listing.bid", ...parts) : null;
  }

  function draw() {
    const l = data.listing;
    const seller = l && l.seller.toLowerCase() === me;
    fill(view, el("h1", {}, `${t("console.title.listing")} ${data.mine?.label ?? short(listingId)}`),
      error ? el("div", { id: "listing-error" }, message("error", error instanceof Error && !("status" in error) ? error.message : errorText(error))) : null,
      done ? el("div", { id: "listing-done" }, message("ok", t("console.listing.done", { tx: short(done) })), txLink(done)) : null,
      l ? [summary(l), seller && unsold(l) ? relist.draw() : null, bidsSection(l), seller ? sellerSteps(l) : buyerSteps(l)] : el("p", { id: "listing-pending" }, t("console.listings.none")));
  }
  ctx.redraw = draw;
  draw();
}
