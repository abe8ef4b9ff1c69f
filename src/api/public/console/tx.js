// One transaction of this deployment (GET /v1/tx/:txHash): block, time, sender, status and its events,
// decoded with the contracts' ABIs — what the links from the claim page open.
import { ctx, t, api, el, dateTime, section, named, fill } from "./app.js";

export async function mount(view, txHash) {
  const tx = await api("GET", `/v1/tx/${txHash}`);
  function value(v) {
    if (Array.isArray(v)) return v.length ? v.map(value).join(", ") : "[]";
    return String(v);
  }
  function draw() {
    fill(view, 
      el("div", { class: "title-row" }, el("h1", {}, t("console.tx.title"))),
      section("console.tx.facts", el("dl", { class: "facts" },
        el("dt", {}, t("console.tx.hash")), el("dd", { class: "hash", "data-field": "txHash" }, tx.txHash),
        el("dt", {}, t("console.tx.status")), el("dd", { "data-field": "status" }, named("console.txStatus", tx.status)),
        el("dt", {}, t("console.tx.block")), el("dd", { "data-field": "block" }, String(tx.blockNumber)),
        el("dt", {}, t("console.tx.time")), el("dd", {}, `${dateTime(tx.timestamp)} (${tx.timestamp})`),
        el("dt", {}, t("console.tx.chain")), el("dd", {}, tx.chainId),
        el("dt", {}, t("console.tx.from")), el("dd", { class: "hash" }, tx.from),
        el("dt", {}, t("console.tx.to")), el("dd", { class: "hash" }, `${tx.contract ?? ""} ${tx.to ?? ""}`),
        el("dt", {}, t("console.tx.gas")), el("dd", {}, tx.gasUsed))),
      section("console.tx.events", el("ol", { class: "events", id: "events" }, tx.events.map((e) => el("li", { "data-event": e.name ?? "" },
        el("strong", {}, `${e.contract}.${e.name ?? "?"}`),
        el("dl", { class: "facts compact" }, Object.entries(e.args).flatMap(([k, v]) => [el("dt", {}, k), el("dd", { class: "hash" }, value(v))])))))));
  }
  ctx.redraw = draw;
  draw();
}
