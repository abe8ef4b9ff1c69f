// Record a collection contact (POST /v1/evidence) from the queue or a claim page. The server checks the
// compliance rules (contact hours in the debtor's time zone, daily/weekly caps, no third parties); a
// refusal is shown with its rule, in the page's language.
import { ctx, t, api, el, errorText, ApiError, bi, named, fill } from "./app.js";

const KINDS = [["call", "phone"], ["sms", "sms"], ["visit", "in-person"], ["letter", "post"]];
const RELATIONS = ["debtor", "co-debtor", "guarantor", "legal-representative", "authorised-agent", "family", "employer", "colleague", "other"];

/** "YYYY-MM-DDTHH:MM" of now in this browser's time zone (the value of a datetime-local input). */
export function localNow() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value in this browser's time zone as ISO 8601 with its offset. */
export function withOffset(local) {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return local;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const p = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${local.length === 16 ? `${local}:00` : local}${sign}${p(off / 60)}:${p(off % 60)}`;
}

/**
 * The form. `claim` needs claimId and (when the caller may see it) debtorName; `onRecorded(accepted, request)`
 * runs after a 201.
 */
export function contactForm(claim, onRecorded) {
  const result = el("div", { class: "result", "aria-live": "polite" });
  const form = el("form", { class: "contact-form", "data-claim": claim.claimId, on: { submit: (e) => { e.preventDefault(); void submit(); } } },
    el("label", { class: "field" }, el("span", {}, t("console.contact.kind")),
      el("select", { name: "kind" }, KINDS.map(([k]) => el("option", { value: k }, named("console.contactKind", k))))),
    el("label", { class: "field" }, el("span", {}, t("console.contact.occurredAt")),
      el("input", { type: "datetime-local", name: "occurredAt", value: localNow(), required: true })),
    el("label", { class: "field" }, el("span", {}, t("console.contact.relation")),
      el("select", { name: "relation" }, RELATIONS.map((r) => el("option", { value: r }, named("console.relationOption", r))))),
    el("label", { class: "field" }, el("span", {}, t("console.contact.counterparty")),
      el("input", { type: "text", name: "name", value: claim.debtorName ?? "", required: true, maxlength: 200, autocomplete: "off" })),
    el("label", { class: "field wide" }, el("span", {}, t("console.contact.content")),
      el("textarea", { name: "content", rows: 2, required: true, maxlength: 10000 })),
    el("div", { class: "actions" },
      el("button", { type: "submit", class: "primary" }, t("console.contact.submit")),
      el("span", { class: "hint" }, t("console.contact.rules", { hours: ctx.data.contactHours, daily: ctx.data.dailyCap, weekly: ctx.data.weeklyCap }))),
    result);

  async function submit() {
    const fd = new FormData(form);
    const kind = String(fd.get("kind"));
    const request = {
      claimId: claim.claimId,
      kind,
      channel: KINDS.find(([k]) => k === kind)[1],
      direction: "outbound",
      occurredAt: withOffset(String(fd.get("occurredAt"))),
      actor: ctx.me.address ?? ctx.me.role,
      counterparty: { name: String(fd.get("name")), relation: String(fd.get("relation")) },
      content: String(fd.get("content")),
    };
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fill(result, el("p", { class: "msg" }, t("console.contact.sending")));
    try {
      const accepted = await api("POST", "/v1/evidence", request);
      fill(result, el("p", { class: "msg ok", "data-outcome": "recorded", "data-record": accepted.recordId },
        t("console.contact.recorded", { seq: accepted.seq + 1, recordId: accepted.recordId }))); // seq counts from 0, people from 1
      form.querySelector("textarea").value = "";
      onRecorded?.(accepted, request);
    } catch (error) {
      const refused = error instanceof ApiError && error.body.error === "COMPLIANCE";
      fill(result, el("div", { class: "msg error refusal", role: "alert", "data-outcome": refused ? "refused" : "error", "data-rule": refused ? error.body.rule : null },
        refused ? el("strong", {}, t("console.contact.refused", { rule: named("console.rule", error.body.rule) })) : null,
        refused ? el("p", { "data-field": "rule-text" }, bi(error.body.details?.messages) || error.body.message) : el("p", {}, errorText(error)),
        refused ? el("p", { class: "hint" }, t("console.contact.ruleCode", { rule: error.body.rule })) : null));
    } finally {
      button.disabled = false;
    }
  }
  return form;
}
