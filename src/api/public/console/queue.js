// Work queue: GET /v1/queue — the open cases of the caller's holder by priority (the scoring core's
// expected loss × urgency) with the reasons, the next clause deadline, the last contact and the
// recommended disposal path; a contact is recorded right from the row.
import { ctx, t, el, money, int, dateTime, named, bi, message, classBadge, stateBadge, claimLink, may, fill, select } from "./app.js";
import { paged, filtersForm } from "./lists.js";
import { contactForm } from "./contact.js";

const PAGE = 50;

export async function mount(view) {
  const q = new URLSearchParams(location.search);
  const filters = {};
  for (const k of ["classification", "state", "product", "region", "limitation"]) if (q.get(k)) filters[k] = q.get(k);
  const list = await paged("/v1/queue", filters, PAGE, "items", () => draw());
  const open = new Set();

  function deadline(d) {
    if (!d) return el("span", { class: "muted" }, t("console.queue.noDeadline"));
    const when = dateTime(d.at);
    return el("span", { class: d.reached ? "due" : d.daysLeft <= 7 ? "soon" : null, "data-clause": d.clause },
      t(d.reached ? "console.queue.deadlineReached" : "console.queue.deadline", { clause: named("console.clause", d.clause), time: when, days: d.daysLeft }));
  }

  function contact(c) {
    if (!c) return el("span", { class: "muted" }, t("console.queue.neverContacted"));
    return el("span", {}, `${dateTime(c.occurredAt)} · ${named("kind", c.kind)}`);
  }

  function row(item) {
    const tr = el("tr", { "data-claim": item.claimId, "data-rank": item.rank },
      el("td", { class: "num", "data-col": "rank" }, String(item.rank)),
      el("td", { "data-col": "claim" }, claimLink(item.claimId, item.contractNo), item.debtorName ? el("div", { class: "muted" }, item.debtorName) : null),
      el("td", { "data-col": "class" }, classBadge(item.classification), " ", el("span", { class: "grade" }, item.grade)),
      el("td", { "data-col": "state" }, stateBadge(item.state)),
      el("td", { class: "num", "data-col": "dpd" }, String(item.daysPastDue)),
      el("td", { class: "num", "data-col": "outstanding" }, money(item.outstanding)),
      el("td", { class: "num", "data-col": "priority", "data-value": item.priority }, money(item.priority)),
      el("td", { "data-col": "reasons" }, el("ul", { class: "reasons" }, item.reasons.slice(0, 4).map((r) => el("li", { "data-reason": r.code }, bi(r))))),
      el("td", { "data-col": "deadline" }, deadline(item.nextDeadline)),
      el("td", { "data-col": "contact" }, contact(item.lastContact)),
      el("td", { "data-col": "offer" }, item.offer
        ? el("span", { "data-offer": item.offer.status }, named("console.offerStatus", item.offer.status))
        : el("span", { class: "muted" }, t("console.queue.noOffer"))),
      el("td", { "data-col": "path" }, item.recommended ? named("console.path", item.recommended.path) : "-"),
      el("td", { "data-col": "action" }, may("recordContact")
        ? el("button", { type: "button", class: "record-contact", "aria-expanded": String(open.has(item.claimId)), on: { click: () => {
          if (open.has(item.claimId)) open.delete(item.claimId);
          else open.add(item.claimId);
          draw();
        } } }, t("console.queue.recordContact"))
        : null));
    if (!open.has(item.claimId)) return [tr];
    const form = contactForm(item, (accepted, request) => {
      item.lastContact = { recordId: accepted.recordId, kind: request.kind, channel: request.channel, direction: "outbound", occurredAt: request.occurredAt };
      tr.querySelector("[data-col=contact]").replaceChildren(contact(item.lastContact));
    });
    return [tr, el("tr", { class: "form-row", "data-form-for": item.claimId }, el("td", { colspan: 13 }, form))];
  }

  function draw() {
    // 诉讼时效: the claims whose period ends within 90 days (the dashboard links here with ?limitation=expiring).
    const filterForm = filtersForm("queue", filters, ["overdue", "warned", "demanded", "in-arbitration", "ruled", "restructured", "performing"],
      select("limitation", ["expiring", "expired", "running"].map((v) => ({ value: v, label: t(`console.limitation.${v}`) })), filters.limitation, t("console.filter.limitation")));
    const head = ["rank", "claim", "class", "state", "dpd", "outstanding", "priority", "reasons", "deadline", "contact", "offer", "path", "action"];
    fill(view, 
      el("div", { class: "title-row" }, el("h1", {}, t("console.queue.title")), el("span", { class: "hint", id: "queue-total" }, t("console.queue.total", { count: int(list.first.total) }))),
      el("p", { class: "hint" }, t("console.queue.intro")),
      filterForm,
      list.error ? message("error", list.error) : null,
      list.items.length === 0 ? message("ok", t("console.queue.empty")) : null,
      el("div", { class: "scroll" }, el("table", { id: "queue", class: "queue" },
        el("thead", {}, el("tr", {}, head.map((h) => el("th", { class: ["rank", "dpd", "outstanding", "priority"].includes(h) ? "num" : null }, t(`console.queue.col.${h}`))))),
        el("tbody", {}, list.items.flatMap(row)))),
      list.next ? el("button", { type: "button", id: "more", on: { click: () => void list.more() } }, t("console.more")) : null);
  }

  ctx.redraw = draw;
  draw();
}
