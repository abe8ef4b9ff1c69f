// One dispute, as a judge works on it: the claim and its case, the evidence group (ERC-1497 submissions on
// chain and the claim's evidence records with their hash-chain status), the ruling (final, executed on chain
// when given) and its execution, each linked to its transaction.
import { ctx, t, api, el, money, named, dateTime, short, txLink, claimLink, errorText, message, section, may, fill, stateBadge } from "./app.js";

const RULINGS = ["enforce", "dismiss", "settle", "refused"];

export async function mount(view, disputeId) {
  let dispute = await api("GET", `/v1/disputes/${disputeId}`);
  let record = await api("GET", `/v1/disputes/${disputeId}/record`);
  const claimId = record.claimId;
  const [claim, kase, evidence] = await Promise.all([
    api("GET", `/v1/claims/${claimId}`),
    api("GET", `/v1/cases/${claimId}`),
    api("GET", `/v1/claims/${claimId}/evidence`).catch(() => null),
  ]);
  let ruling = "";
  let confirmed = false;
  let busy = false;
  let error = null;
  let outcome = null;

  async function rule() {
    busy = true;
    error = null;
    draw();
    try {
      outcome = await api("POST", `/v1/disputes/${disputeId}/ruling`, { ruling });
      dispute = await api("GET", `/v1/disputes/${disputeId}?minBlock=${outcome.blockNumber}`);
      record = await api("GET", `/v1/disputes/${disputeId}/record?minBlock=${outcome.blockNumber}`);
    } catch (e) {
      error = errorText(e);
    }
    busy = false;
    draw();
  }

  function facts() {
    const o = claim.offChain ?? {};
    const rows = [
      [t("console.dispute.status"), dispute.status === "solved" ? `${named("console.disputeStatus", "solved")} · ${named("console.ruling", dispute.ruling)}` : named("console.disputeStatus", "waiting"), "status"],
      [t("console.dispute.claim"), claimLink(claimId, o.contractNo ?? short(claimId)), "claim"],
      [t("console.claim.debtor"), o.debtor?.name ?? t("console.redacted"), "debtor"],
      [t("console.claim.outstandingAtRegistration"), money(claim.onChain?.outstanding), "outstanding"],
      [t("console.claim.state"), stateBadge(kase.state), "state"],
      [t("console.dispute.ruledAt"), dispute.ruledAt ? [dateTime(dispute.ruledAt), " ", record.ruledTx ? txLink(record.ruledTx) : ""] : "-", "ruledAt"],
    ];
    return section("console.dispute.facts", el("dl", { class: "facts" }, rows.flatMap(([k, v, f]) => [el("dt", {}, k), el("dd", { "data-field": f }, v)])));
  }

  function evidenceSection() {
    const group = record.evidenceGroup.length
      ? el("ol", { class: "timeline", id: "evidence-group" }, record.evidenceGroup.map((e) => el("li", { "data-tx": e.txHash },
        el("span", { class: "when" }, dateTime(e.timestamp)), el("span", { class: "hash", title: e.party }, short(e.party)), el("span", { class: "hash" }, e.uri), txLink(e.txHash))))
      : el("p", { class: "empty", id: "no-evidence-group" }, t("console.dispute.noGroup"));
    const records = !evidence ? el("p", { class: "muted" }, t("console.claim.withheld"))
      : el("div", {},
        el("p", { id: "dispute-chain", "data-complete": String(evidence.complete), class: evidence.complete ? "msg ok" : "msg error" },
          evidence.complete ? t("console.claim.evidence.complete", { count: evidence.count }) : t("console.claim.evidence.broken", { count: evidence.breaks.length })),
        el("ol", { class: "timeline", id: "dispute-records" }, evidence.records.map((r) => el("li", { "data-record": r.recordId, "data-status": r.status },
          el("span", { class: "when" }, dateTime(r.record.occurredAt)),
          el("strong", {}, named("kind", r.record.kind)),
          r.status === "anchored" ? el("span", { class: "anchored" }, t("console.claim.evidence.anchored", { block: r.anchor.blockNumber }), " ", txLink(r.anchor.txHash)) : el("span", { class: "pending" }, t("console.claim.evidence.pending"))))),
        el("p", { class: "hint" }, t("console.claim.evidence.verifyHint"), " ", el("a", { href: `/verify${ctx.lang === "en" ? "?lang=en" : ""}` }, t("console.nav.verify"))));
    return section("console.dispute.evidence", el("h3", {}, t("console.dispute.group")), el("p", { class: "hint" }, t("console.dispute.groupHint")), group,
      el("h3", {}, t("console.dispute.records")), records);
  }

  function rulingSection() {
    if (dispute.status === "solved") return null;
    if (!may("rule")) return section("console.dispute.rule", el("p", { class: "muted" }, t("console.dispute.ruleNotYours")));
    return section("console.dispute.rule",
      el("form", { id: "ruling-form", on: { submit: (e) => { e.preventDefault(); if (ruling && confirmed) void rule(); } } },
        el("fieldset", { class: "rulings" }, el("legend", {}, t("console.dispute.choose")),
          RULINGS.map((r) => el("label", { class: "ruling-choice" },
            el("input", { type: "radio", name: "ruling", value: r, checked: ruling === r, on: { change: () => { ruling = r; draw(); } } }),
            el("strong", {}, named("console.ruling", r)), el("span", { class: "hint" }, t(`console.dispute.effect.${r}`))))),
        el("label", { class: "confirm" }, el("input", { type: "checkbox", name: "confirm", checked: confirmed, on: { change: (e) => { confirmed = e.target.checked; draw(); } } }), " ", t("console.dispute.confirm")),
        el("p", { class: "hint" }, t("console.claim.dispute.final")),
        el("button", { type: "submit", class: "primary", id: "give-ruling", disabled: busy || !ruling || !confirmed }, t("console.dispute.give"))));
  }

  function executionSection() {
    if (dispute.status !== "solved") return null;
    const text = (x) => {
      if (x.type === "ruling-applied") return t("console.claim.case.ruling", { disputeId, ruling: named("console.ruling", ["refused", "enforce", "dismiss", "settle"][Number(x.details.ruling)] ?? x.details.ruling) });
      if (x.type === "enforcement-ordered") return t("console.claim.case.enforcement", { disputeId });
      if (x.type === "closed") return t("console.claim.case.closed", { reason: named("console.closure", x.details.reason) });
      return x.type;
    };
    return section("console.dispute.execution",
      el("ol", { class: "timeline", id: "execution" }, record.execution.map((x) => el("li", { "data-event": x.type },
        el("span", { class: "when" }, dateTime(x.timestamp)), el("span", {}, text(x)), txLink(x.txHash)))),
      el("p", { class: "hint" }, t("console.dispute.executionNote")));
  }

  function draw() {
    fill(view,
      el("div", { class: "title-row" }, el("h1", { id: "dispute-title" }, t("console.dispute.title", { id: disputeId, contractNo: claim.offChain?.contractNo ?? short(claimId) })),
        el("a", { href: "/console/disputes" }, t("console.dispute.back"))),
      busy ? message("", t("console.working")) : null,
      error ? message("error", error) : null,
      outcome ? el("p", { class: "msg ok", id: "ruled", role: "status" }, t("console.dispute.ruled", { ruling: named("console.ruling", outcome.ruling) }), " ", txLink(outcome.txHash)) : null,
      el("div", { class: "grid two" }, facts(), rulingSection() ?? executionSection()),
      evidenceSection());
  }
  ctx.redraw = draw;
  draw();
}
