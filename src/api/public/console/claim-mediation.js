// The claim page's mediation and survey sections (src/api/public/console/claim.js mounts them): offers with
// their approval, acceptance and installments, and field surveys with the checklist form.
import { t, api, el, money, pct, dateTime, named, bi, message, section, table, regionInput } from "./app.js";
import { localNow, withOffset } from "./contact.js";

/** "12,345.67" yuan → fen as a decimal string (null if not an amount). */
function fenOf(yuan) {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.replace(/,/g, "").trim());
  return m ? (BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"))).toString() : null;
}

/**
 * The claim's mediation offers: propose (the holder's side), approve, accept, and each offer's plan and installments.
 * @param s {{ id: string, offers: {offers: object[]}, may: {propose: boolean, approve: boolean, accept: boolean}, msg: [string, string] | null, act: (fn: () => Promise<string>) => Promise<void> }}
 */
export function offersSection(s) {
  const { id, offers, may, msg, act } = s;
  const form = may.propose ? el("form", { class: "filters", id: "offer-form", on: { submit: (e) => {
    e.preventDefault();
    const fd = new FormData(e.target);
    const body = {};
    const outstanding = String(fd.get("outstanding") ?? "").trim();
    const dpd = String(fd.get("daysPastDue") ?? "").trim();
    if (outstanding) body.outstanding = fenOf(outstanding) ?? outstanding;
    if (dpd) body.daysPastDue = Number(dpd);
    void act(async () => {
      const r = await api("POST", `/v1/claims/${id}/offers`, body);
      return r.offers.length > 0
        ? t("console.claim.offers.proposed", { count: r.offers.length })
        : t("console.claim.offers.declined", { reasons: r.declined.map(bi).join("；") || "-" });
    });
  } } },
    el("label", { class: "field" }, el("span", {}, t("console.claim.offers.outstanding")), el("input", { name: "outstanding", inputmode: "decimal" })),
    el("label", { class: "field" }, el("span", {}, t("console.claim.offers.dpd")), el("input", { name: "daysPastDue", type: "number", min: 0, step: "1" })),
    el("button", { type: "submit", class: "primary", id: "propose-offers" }, t("console.claim.offers.propose"))) : null;
  const list = [...offers.offers].reverse();
  return section("console.claim.offers",
    may.propose ? el("p", { class: "hint" }, t("console.claim.offers.proposeHint")) : null,
    form,
    msg ? el("div", { id: "offer-msg" }, message(msg[0], msg[1])) : null,
    list.length === 0 ? el("p", { class: "muted", id: "no-offers" }, t("console.claim.offers.none")) : table([
      { id: "type", label: t("console.claim.offers.col.type"), cell: (o) => named("console.offerType", o.type) },
      { id: "status", label: t("console.claim.offers.col.status"), cell: (o) => el("span", { "data-status": o.status }, named("console.offerStatus", o.status)) },
      { id: "figures", label: t("console.claim.offers.col.figures"), cell: (o) => el("span", { title: o.reasons.map(bi).join("；") }, t("console.claim.offers.figures", {
        total: money(o.figures.total), forgiven: money(o.figures.forgiven), discount: pct(o.figures.discountBps), installments: o.figures.installments,
        pv: money(o.figures.expectedPresentValue), benchmark: `${named("console.path", o.benchmark.path)} ${money(o.benchmark.presentValue)}`,
      })) },
      { id: "plan", label: t("console.claim.offers.col.plan"), cell: (o) => (o.planStatus ? el("span", { "data-plan": o.planStatus }, named("console.planStatus", o.planStatus)) : "-") },
      { id: "next", label: t("console.claim.offers.col.nextDue"), cell: (o) => (o.tracking?.nextDue ? t("console.claim.offers.due", { date: o.tracking.nextDue.dueDate, amount: money(o.tracking.nextDue.amount) }) : "-") },
      { id: "missed", label: t("console.claim.offers.col.missed"), num: true, cell: (o) => (o.tracking ? String(o.tracking.missedCount) : "-") },
      { id: "action", label: t("console.claim.offers.col.action"), cell: (o) => [
        o.status === "pending-approval" && may.approve ? el("button", { type: "button", class: "approve-offer", on: { click: () => void act(async () => {
          await api("POST", `/v1/offers/${o.offerId}/approve`);
          return t("console.claim.offers.approved");
        }) } }, t("console.claim.offers.approve")) : null,
        o.status === "proposed" && may.accept ? el("button", { type: "button", class: "accept-offer", on: { click: () => void act(async () => {
          await api("POST", `/v1/offers/${o.offerId}/accept`, { channel: "in-person" });
          return t("console.claim.offers.accepted");
        }) } }, t("console.claim.offers.accept")) : null,
      ].filter(Boolean) },
    ], list.map((o) => ({ ...o, key: o.offerId })), { id: "offers", class: "compact" }));
}

function surveyForm(s) {
  const { id, claim, checklist, assetType, act, recorded } = s;
  if (!s.may) return null;
  if (!checklist) return assetType && assetType !== "unsecured" ? el("p", { class: "muted" }, t("console.claim.surveys.noChecklist")) : null;
  const o = claim.offChain ?? {};
  const form = el("form", { id: "survey-form", class: "survey-form", on: { submit: (e) => {
    e.preventDefault();
    const fd = new FormData(e.target);
    const answers = {};
    for (const it of checklist.items) {
      const value = String(fd.get(`item:${it.id}`) ?? "");
      if (!value) continue;
      const note = String(fd.get(`note:${it.id}`) ?? "").trim();
      answers[it.id] = note && it.judgment ? { value, note } : { value };
    }
    const body = {
      assetType, checklistVersion: checklist.version, surveyedAt: withOffset(String(fd.get("surveyedAt"))),
      surveyor: String(fd.get("surveyor") ?? "").trim(), location: { region: String(fd.get("region") ?? "").trim() }, answers,
    };
    void act(async () => {
      const r = await api("POST", `/v1/claims/${id}/surveys`, body);
      await recorded();
      return t("console.claim.surveys.recorded", { id: r.survey.id, factor: pct(r.survey.factorBps) });
    });
  } } },
    el("h3", {}, t("console.claim.surveys.formTitle", { asset: named("console.asset", assetType) })),
    el("div", { class: "filters" },
      el("label", { class: "field" }, el("span", {}, t("console.claim.surveys.surveyedAt")), el("input", { type: "datetime-local", name: "surveyedAt", value: localNow(), required: true })),
      el("label", { class: "field" }, el("span", {}, t("console.claim.surveys.surveyor")), el("input", { name: "surveyor", required: true, pattern: "[A-Za-z0-9._:@\\-]{1,64}" })),
      regionInput("region", o.collateral?.region ?? o.region ?? "", t("console.claim.surveys.region"), { required: true })),
    el("div", { class: "checklist" }, checklist.items.map((it) => el("div", { class: "field", "data-item": it.id },
      el("label", {}, el("span", {}, bi(it)), it.judgment ? el("span", { class: "badge judgment" }, t("console.claim.surveys.judgment")) : null, " ",
        el("select", { name: `item:${it.id}`, required: it.required },
          it.required ? null : el("option", { value: "" }, "-"),
          it.options.map((op) => el("option", { value: op.value }, bi(op))))),
      it.judgment ? el("label", {}, el("span", { class: "hint" }, t("console.claim.surveys.note")), " ", el("input", { name: `note:${it.id}`, maxlength: 200 })) : null))),
    el("button", { type: "submit", class: "primary" }, t("console.claim.surveys.submit")));
  return form;
}

/**
 * The claim's field surveys (the latest five) and, for the holder's side, the checklist form of its collateral.
 * @param s {{ id: string, claim: object, surveys: {surveys: object[]}, checklist: object | null, assetType: string | null, may: boolean, msg: [string, string] | null, act: (fn: () => Promise<string>) => Promise<void>, recorded: () => Promise<void> }}
 */
export function surveysSection(s) {
  const list = s.surveys.surveys.slice(0, 5);
  return section("console.claim.surveys",
    s.msg ? el("div", { id: "survey-msg" }, message(s.msg[0], s.msg[1])) : null,
    list.length === 0 ? el("p", { class: "muted", id: "no-surveys" }, t("console.claim.surveys.none")) : el("ol", { class: "timeline", id: "surveys" }, list.map((sv) => el("li", { "data-survey": sv.id },
      el("span", { class: "when" }, dateTime(sv.surveyedAt)),
      el("strong", {}, `${sv.id} · ${named("console.asset", sv.assetType)}`),
      el("span", {}, t("console.claim.surveys.item", { when: named("console.region", sv.location.region), surveyor: sv.surveyor, factor: pct(sv.factorBps) })),
      sv.adjustments.length
        ? el("ul", { class: "reasons" }, sv.adjustments.map((a) => el("li", { "data-flag": a.flag }, `${bi(a)} (${pct(a.factorBps)})`)))
        : el("span", { class: "muted" }, t("console.claim.surveys.noFlags"))))),
    surveyForm(s));
}
