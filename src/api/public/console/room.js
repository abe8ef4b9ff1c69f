// A data room's de-identified tape: the seller's own room (GET /v1/market/rooms/:id) or, for a buyer, the copy
// its node keeps of what the seller's node showed it (GET /v1/market/peer-rooms/:seller/:id) with the seller's
// signed receipt. Nothing here names a person: debtors by pseudonym, ID numbers by their last four, districts.
import { ctx, t, api, el, money, int, named, section, table, fill, short } from "./app.js";

export async function mount(view, seller, roomId) {
  const mine = ctx.me.address?.toLowerCase() === seller.toLowerCase();
  const data = mine ? await api("GET", `/v1/market/rooms/${roomId}`) : await api("GET", `/v1/market/peer-rooms/${seller}/${roomId}`);
  const { room, tape, receipt } = data;
  const s = tape.totals;

  const kpi = (label, value, field) => el("div", { class: "kpi" }, el("span", { class: "label" }, label), el("strong", { class: "value", "data-field": field }, value));
  const range = (v) => (v ? `${money(v.p10)} – ${money(v.p90)}` : "-");

  function draw() {
    const cols = [
      { id: "debtor", label: t("console.room.col.debtor"), cell: (l) => l.debtor },
      { id: "idTail", label: t("console.room.col.idTail"), cell: (l) => (l.idTail ? `****${l.idTail}` : "-") },
      { id: "product", label: t("console.room.col.product"), cell: (l) => named("console.product", l.product) },
      { id: "balance", label: t("console.room.col.balance"), num: true, cell: (l) => money(l.balance) },
      { id: "dpd", label: t("console.room.col.dpd"), num: true, cell: (l) => int(l.daysPastDue) },
      { id: "class", label: t("console.room.col.class"), cell: (l) => named("console.class", l.class) },
      { id: "collateral", label: t("console.room.col.collateral"), cell: (l) => named("console.asset", l.collateralType) },
      { id: "region", label: t("console.room.col.region"), cell: (l) => named("console.region", l.region ?? "-") },
      { id: "district", label: t("console.room.col.district"), cell: (l) => l.district ?? "-" },
      { id: "valuation", label: t("console.room.col.valuation"), num: true, cell: (l) => range(l.valuation) },
      { id: "path", label: t("console.room.col.path"), cell: (l) => named("console.path", l.disposalPath) },
      { id: "limitation", label: t("console.room.col.limitation"), cell: (l) => (l.limitation ? el("span", { "data-limitation": l.limitation.status }, `${named("console.limitation", l.limitation.status)} (${l.limitation.lastDay})`) : "-") },
    ];
    fill(view, el("h1", {}, `${t("console.title.room")} ${short(room.roomId)}`),
      section("console.room.summary",
        el("p", { class: "hint", id: "deidentified" }, t("console.room.deidentified")),
        el("p", {}, `${t("console.market.col.cutOff")}: ${room.cutOff} · ${t("console.market.col.buyers")}: ${room.rule.buyers.map((b) => named("console.market.buyer", b)).join(" / ")}`),
        el("div", { class: "kpis", id: "room-totals" },
          kpi(t("console.room.claims"), int(s.claims), "claims"), kpi(t("console.room.debtors"), int(s.debtors), "debtors"),
          kpi(t("console.room.personal"), int(s.personalClaims), "personal"), kpi(t("console.room.balance"), money(s.balance), "balance"),
          kpi(t("console.room.valuation"), `${money(s.valuation.p10)} / ${money(s.valuation.p50)} / ${money(s.valuation.p90)}`, "valuation"),
          kpi(t("console.room.recovery"), money(s.expectedRecovery), "recovery"),
          kpi(t("console.room.timeBarred"), int(s.timeBarred), "timeBarred"), kpi(t("console.room.expiring"), int(s.expiring), "expiring")),
        el("p", { class: "hint" }, `${t("console.room.tapeHash")}: `, el("span", { class: "hash", title: room.tapeHash }, short(room.tapeHash))),
        receipt ? el("p", { class: "hint", id: "receipt" }, t("console.room.receipt", { seq: receipt.seq, signature: short(receipt.signature) })) : null),
      section("console.room.tape", table(cols, tape.lines.map((l) => ({ ...l, key: l.claimId })), { id: "tape" })));
  }
  ctx.redraw = draw;
  draw();
}
