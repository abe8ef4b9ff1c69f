// One claim: terms, ownership chain (chain events), case and oracle reports, warnings, dispute and ruling
// (chain events), evidence timeline with its hash-chain status, valuation with range and comparables.
// Every on-chain fact links to its transaction.
import { ctx, t, api, el, money, pct, percent, dateTime, date, named, bi, short, txLink, errorText, message, classBadge, stateBadge, section, table, may, fill } from "./app.js";
import { contactForm } from "./contact.js";
import { offersSection, surveysSection } from "./claim-mediation.js";

const same = (a, b) => Boolean(a && b && a.toLowerCase() === b.toLowerCase());

export async function mount(view, claimId) {
  const id = claimId.toLowerCase();
  // Off-chain details (evidence, offers, surveys, valuation) are only for the claim's parties: others see
  // the on-chain facts and a note that the rest is withheld (403).
  const [claim, history, evidence, kase] = await Promise.all([
    api("GET", `/v1/claims/${id}`),
    api("GET", `/v1/claims/${id}/history`),
    api("GET", `/v1/claims/${id}/evidence`).catch((e) => {
      if (e?.status === 403) return null;
      throw e;
    }),
    api("GET", `/v1/cases/${id}`),
  ]);
  const reports = kase.timeline.filter((i) => i.type === "report");
  const lastReport = reports[reports.length - 1];
  let ageYears = "";
  let assessment = null;
  let assessmentError = null;
  let dispute = null;
  let showForm = false;
  /** The contact just recorded here: its confirmation (hash-chain position, record id) stays until the next one. */
  let recorded = null;
  let downloadError = null;

  async function assess() {
    const q = new URLSearchParams();
    if (lastReport) q.set("daysPastDue", String(lastReport.details.daysPastDue));
    if (ageYears) q.set("collateralAgeYears", ageYears);
    try {
      assessment = await api("GET", `/v1/claims/${id}/assessment?${q}`);
      assessmentError = null;
    } catch (e) {
      assessmentError = errorText(e);
    }
  }
  await assess();
  if (kase.disputeId) dispute = await api("GET", `/v1/disputes/${kase.disputeId}`).catch(() => null);

  const holder = claim.onChain?.holder;
  const holderSide = same(holder, ctx.me.address) || (ctx.me.role === "collector" && same(holder, ctx.me.worksFor));
  const mayRecord = may("recordContact") && holderSide;
  const mayPropose = may("proposeOffer") && holderSide;
  const mayApprove = may("approveOffer") && (ctx.me.role === "admin" || holderSide);
  const mayAccept = may("acceptOffer") && (ctx.me.role === "admin" || holderSide);
  const maySurvey = may("recordSurvey") && holderSide;

  // Mediation offers and field surveys (issue 8).
  let offers = await api("GET", `/v1/claims/${id}/offers`).catch(() => ({ offers: [] }));
  let surveys = await api("GET", `/v1/claims/${id}/surveys`).catch(() => ({ surveys: [] }));
  const assetType = claim.offChain?.collateral?.type ?? null;
  const checklist = maySurvey && assetType
    ? (await api("GET", "/v1/surveys/checklists").catch(() => null))?.checklists.find((c) => c.assetType === assetType) ?? null
    : null;
  let offerMsg = null;
  let surveyMsg = null;

  async function download(recordId) {
    try {
      const receipt = await api("GET", `/v1/evidence/${recordId}/receipt`);
      if (receipt.status !== "anchored") {
        downloadError = t("console.claim.evidence.pending");
        draw();
        return;
      }
      const { status: _s, ...bundle } = receipt;
      const a = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: "application/json" })), download: `bundle-${recordId.slice(2, 10)}.json` });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      downloadError = errorText(e);
      draw();
    }
  }

  function dl(pairs) {
    return el("dl", { class: "facts" }, pairs.filter(Boolean).flatMap(([label, value, field]) => [el("dt", {}, label), el("dd", { "data-field": field ?? null }, value ?? "-")]));
  }

  function terms() {
    const c = claim.onChain;
    const o = claim.offChain ?? {};
    const clauses = c?.clauses ?? kase.clauses;
    return section("console.claim.terms",
      dl([
        [t("console.claim.contractNo"), o.contractNo, "contractNo"],
        [t("console.claim.claimId"), el("span", { class: "hash" }, id), "claimId"],
        [t("console.claim.product"), named("console.product", o.product)],
        [t("console.claim.region"), named("console.region", o.region ?? "-")],
        [t("console.claim.principal"), c ? money(c.principal) : "-", "principal"],
        [t("console.claim.outstandingAtRegistration"), c ? money(c.outstanding) : "-", "outstanding"],
        [t("console.claim.currency"), c?.currency],
        [t("console.claim.originatedAt"), date(c?.originatedAt)],
        [t("console.claim.maturityAt"), date(c?.maturityAt)],
        [t("console.claim.retail"), c ? t(c.retail ? "console.claim.retailYes" : "console.claim.retailNo") : "-"],
        [t("console.claim.holder"), el("span", { class: "hash" }, holder ?? "-"), "holder"],
        [t("console.claim.resale"), c ? t(c.resaleRestricted ? "console.claim.resaleRestricted" : "console.claim.resaleFree") : "-"],
        [t("console.claim.registeredTx"), txLink(o.registeredTx)],
        [t("console.claim.clauses"), t("console.claim.clauseText", { ...clauses, coverage: percent(clauses.coverageBps) }), "clauses"],
        o.debtor
          ? [t("console.claim.debtor"), `${o.debtor.name} · ${named("console.debtorType", o.debtor.type)}${o.debtor.phone ? ` · ${o.debtor.phone}` : ""}`, "debtor"]
          : [t("console.claim.debtor"), el("span", { class: "muted" }, t("console.redacted")), "debtor"],
        o.collateral ? [t("console.claim.collateral"), collateralText(o.collateral), "collateral"] : null,
      ]));
  }

  function collateralText(c) {
    return [named("console.asset", c.type), c.region ? named("console.region", c.region) : null, c.areaSqm ? `${c.areaSqm} m²` : null,
      c.appraisedValue ? t("console.claim.appraised", { value: money(c.appraisedValue), date: c.appraisedAt ?? "-" }) : null].filter(Boolean).join(" · ");
  }

  function ownership() {
    return section("console.claim.ownership",
      el("ol", { class: "timeline", id: "ownership" }, history.events.map((e) => el("li", { "data-event": e.type },
        el("span", { class: "when" }, dateTime(e.timestamp)),
        el("strong", {}, named("console.ownership", e.type)),
        el("span", {}, e.type === "registered"
          ? t("console.claim.ownership.to", { to: short(e.to) })
          : t("console.claim.ownership.fromTo", { from: short(e.from), to: short(e.to) })),
        e.packageId ? el("span", { "data-field": "package" }, e.priceShare !== undefined
          ? t("console.claim.ownership.packageShare", { packageId: e.packageId, share: money(e.priceShare), price: money(e.price) })
          : t("console.claim.ownership.package", { packageId: e.packageId.startsWith("0x") ? short(e.packageId) : e.packageId, price: money(e.price) })) : null,
        e.noticeHash ? el("span", { class: "hash", title: e.noticeHash }, t("console.claim.ownership.notice", { hash: short(e.noticeHash) })) : null,
        txLink(e.txHash)))));
  }

  function caseItem(item) {
    const d = item.details;
    let text;
    switch (item.type) {
      case "report":
        text = t("console.claim.case.report", {
          asOf: date(d.asOf), dpd: d.daysPastDue, outstanding: money(d.outstanding), collateral: money(d.collateralValue),
          cls: named("console.class", ["pass", "special-mention", "substandard", "doubtful", "loss"][d.classification]), grade: d.riskGrade,
        });
        break;
      case "state-changed":
        text = t(d.noticeHash ? "console.claim.case.stateWithNotice" : "console.claim.case.state", { from: named("console.state", d.from), to: named("console.state", d.to), hash: short(d.noticeHash) });
        break;
      case "arbitration-started":
        text = t("console.claim.case.arbitration", { disputeId: d.disputeId, dpd: d.daysPastDue, coverage: pct(d.coverageBps) });
        break;
      case "ruling-applied":
        text = t("console.claim.case.ruling", { disputeId: d.disputeId, ruling: named("console.ruling", d.ruling) });
        break;
      case "enforcement-ordered":
        text = t("console.claim.case.enforcement", { disputeId: d.disputeId });
        break;
      case "closed":
        text = t("console.claim.case.closed", { reason: named("console.closure", d.reason) });
        break;
      case "restructured":
        text = t("console.claim.case.restructured", { installments: d.installments });
        break;
      default:
        text = item.type;
    }
    const warning = item.type === "state-changed" && (d.to === "warned" || d.to === "demanded");
    return el("li", { "data-event": item.type, class: warning ? "warning" : null },
      el("span", { class: "when" }, dateTime(item.timestamp)),
      el("strong", {}, named("console.caseEvent", item.type)),
      el("span", {}, text),
      txLink(item.txHash));
  }

  function caseSection() {
    return section("console.claim.case",
      dl([
        [t("console.claim.state"), stateBadge(kase.state), "state"],
        [t("console.claim.lastReport"), lastReport ? t("console.claim.lastReportText", { asOf: date(lastReport.details.asOf), dpd: lastReport.details.daysPastDue }) : t("console.claim.noReport")],
        [t("console.claim.lastNotice"), dateTime(kase.lastNoticeAt)],
      ]),
      kase.timeline.length
        ? el("ol", { class: "timeline", id: "case-timeline" }, kase.timeline.map(caseItem))
        : el("p", { class: "muted" }, t("console.claim.case.empty")),
      dispute ? el("div", { class: "dispute", id: "dispute" },
        el("h3", {}, t("console.claim.dispute.title", { id: dispute.disputeId })),
        dl([
          [t("console.claim.dispute.status"), named("console.disputeStatus", dispute.status), "dispute-status"],
          [t("console.claim.dispute.ruling"), dispute.ruling ? named("console.ruling", dispute.ruling) : t("console.claim.dispute.noRuling"), "ruling"],
          [t("console.claim.dispute.ruledAt"), dispute.ruledAt ? dateTime(dispute.ruledAt) : "-"],
          [t("console.claim.dispute.executed"), t(dispute.executed ? "console.yes" : "console.no")],
        ]),
        el("p", { class: "muted" }, t("console.claim.dispute.final"))) : null);
  }

  function evidenceSection() {
    if (!evidence) return section("console.claim.evidence", el("p", { class: "muted", id: "evidence-withheld" }, t("console.claim.withheld")));
    const status = evidence.complete
      ? el("p", { class: "msg ok", id: "chain-status", "data-complete": "true" }, t("console.claim.evidence.complete", { count: evidence.count }))
      : el("div", { class: "msg error", id: "chain-status", "data-complete": "false" },
        el("p", {}, t("console.claim.evidence.broken", { count: evidence.breaks.length })),
        el("ul", {}, evidence.breaks.map((b) => el("li", {}, t(`console.claim.evidence.break.${b.reason}`, { record: short(b.recordId), missing: short(b.missingRecordId) })))));
    return section("console.claim.evidence",
      status,
      downloadError ? message("error", downloadError) : null,
      evidence.records.length === 0 ? el("p", { class: "muted" }, t("console.claim.evidence.none")) : null,
      el("ol", { class: "timeline", id: "evidence-timeline" }, evidence.records.map((r) => el("li", { id: `record-${r.recordId}`, "data-record": r.recordId, "data-status": r.status, "data-nature": r.nature ?? "contemporaneous" },
        el("span", { class: "when" }, dateTime(r.record.occurredAt)),
        el("strong", {}, `${t("console.claim.evidence.entry", { n: r.seq + 1 })} ${named("kind", r.record.kind)}`),
        // Prior history is the originator's later statement of an earlier event: said so, never shown as a contact of its date.
        r.nature === "originator-statement"
          ? el("span", { class: "statement" }, t("console.claim.evidence.statement", { recordedAt: dateTime(r.statement.recordedAt), event: t(`console.claim.evidence.priorEvent.${r.statement.event}`) }))
          : null,
        el("span", {}, `${named("channel", r.record.channel)} · ${named("console.direction", r.record.direction)}${r.record.counterparty ? ` · ${named("console.relation", r.record.counterparty.relation)}` : ""}`),
        r.content ? el("span", { class: "content" }, r.content) : null,
        el("span", { class: "hash", title: r.recordId }, t("console.claim.evidence.record", { id: short(r.recordId), prev: short(r.record.prevHash) })),
        r.status === "anchored"
          ? el("span", { class: "anchored" }, t("console.claim.evidence.anchored", { block: r.anchor.blockNumber }), " ", txLink(r.anchor.txHash), " ",
            el("button", { type: "button", class: "link", on: { click: () => void download(r.recordId) } }, t("console.claim.evidence.bundle")))
          : el("span", { class: "pending" }, t("console.claim.evidence.pendingShort"))))),
      el("p", { class: "hint" }, t("console.claim.evidence.verifyHint"), " ", el("a", { href: `/verify${ctx.lang === "en" ? "?lang=en" : ""}` }, t("console.nav.verify"))));
  }

  function valuationSection() {
    const form = el("form", { class: "filters", id: "valuation-form", on: { submit: async (e) => {
      e.preventDefault();
      ageYears = String(new FormData(e.target).get("age") ?? "").trim();
      view.dataset.loaded = "false";
      await assess();
      draw();
      view.dataset.loaded = "true";
    } } },
      el("label", { class: "field" }, el("span", {}, t("console.claim.valuation.age")), el("input", { name: "age", type: "number", min: 0, max: 100, step: "1", value: ageYears })),
      el("button", { type: "submit" }, t("console.claim.valuation.run")));
    if (assessmentError) return section("console.claim.valuation", form, message("error", assessmentError));
    const r = assessment.result;
    const v = r.valuation;
    const rec = r.recovery;
    return section("console.claim.valuation",
      dl([
        [t("console.claim.valuation.class"), el("span", {}, classBadge(r.classification), " ", bi(r.rule)), "classification"],
        [t("console.claim.valuation.score"), t("console.claim.valuation.scoreText", { score: r.risk.score, grade: r.risk.grade })],
        [t("console.claim.valuation.expectedLoss"), money(r.risk.expectedLoss)],
        [t("console.claim.valuation.priority"), r.risk.priorityReasons.length ? `${money(r.risk.priority)}（${r.risk.priorityReasons.map(bi).join("；")}）` : money(r.risk.priority)],
        [t("console.claim.valuation.reasons"), r.risk.reasons.map((x) => `${bi(x)} +${x.points}`).join("；") || "-"],
      ]),
      assessment.notes.map((n) => el("p", { class: "hint", "data-note": n.code }, bi(n))),
      form,
      v ? el("div", { id: "valuation" },
        el("p", { class: "range" },
          el("span", {}, t("console.claim.valuation.value")), " ", el("strong", { "data-field": "value" }, money(v.value)), " ",
          el("span", { "data-field": "range" }, t("console.claim.valuation.range", { p10: money(v.p10), p90: money(v.p90) }))),
        el("p", { class: "hint" }, t("console.claim.valuation.method", { method: v.method, adj: pct(v.timeAdjustmentBps), hash: short(v.comparablesHash) })),
        el("p", { class: "hint" }, t("console.claim.valuation.auction", { proceeds: money(v.auction.expectedProceeds), p: pct(Math.round(v.auction.sellProbability * 10000)) })),
        table([
          { id: "case", label: t("console.claim.valuation.case"), cell: (c) => c.caseId },
          { id: "date", label: t("console.claim.valuation.saleDate"), cell: (c) => c.saleDate },
          { id: "price", label: t("console.claim.valuation.price"), num: true, cell: (c) => money(c.price) },
          { id: "adjusted", label: t("console.claim.valuation.adjusted"), num: true, cell: (c) => money(c.adjustedValue) },
        ], v.comparables, { id: "comparables", class: "compact" }))
        : el("p", { class: "muted", id: "no-valuation" }, r.collateralValue ? t("console.claim.valuation.appraisalOnly", { value: money(r.collateralValue) }) : t("console.claim.valuation.none")),
      rec ? el("div", {},
        el("h3", {}, t("console.claim.valuation.paths")),
        table([
          { id: "path", label: t("console.claim.valuation.path"), cell: (p) => el("span", { class: p.path === rec.recommended ? "recommended" : null }, named("console.path", p.path), p.path === rec.recommended ? ` ★ ${t("console.claim.valuation.recommended")}` : "") },
          { id: "pv", label: t("console.claim.valuation.pv"), num: true, cell: (p) => (p.eligible ? money(p.presentValue) : t("console.claim.valuation.ineligible")) },
          { id: "months", label: t("console.claim.valuation.months"), num: true, cell: (p) => String(p.durationMonths) },
          { id: "bps", label: t("console.claim.valuation.rate"), num: true, cell: (p) => pct(p.recoveryBps) },
        ], rec.paths.map((p) => ({ ...p, key: p.path })), { id: "paths", class: "compact" }),
        el("ul", { class: "reasons" }, rec.reasons.map((x) => el("li", {}, bi(x))))) : null,
      r.missing ? el("p", { class: "hint" }, t("console.claim.valuation.missing", { stage: named("console.stage", r.missing.stage), items: [...r.missing.documents, ...r.missing.steps].map(bi).join("、") || "-" })) : null);
  }

  /** Runs an action of the offers or surveys section, then reloads what it changed and redraws. */
  async function act(fn, setMsg) {
    view.dataset.loaded = "false";
    try {
      setMsg(["ok", await fn()]);
    } catch (e) {
      setMsg(["error", errorText(e)]);
    }
    offers = await api("GET", `/v1/claims/${id}/offers`).catch(() => offers);
    draw();
    view.dataset.loaded = "true";
  }

  function draw() {
    const o = claim.offChain ?? {};
    fill(view, 
      el("div", { class: "title-row" },
        el("h1", { id: "claim-title" }, t("console.claim.title", { contractNo: o.contractNo ?? short(id) })),
        stateBadge(kase.state),
        mayRecord ? el("button", { type: "button", id: "record-contact", class: "record-contact primary", on: { click: () => { showForm = !showForm; draw(); } } }, t("console.queue.recordContact")) : null),
      recorded ? el("p", { class: "msg ok", id: "contact-recorded", role: "status", "data-outcome": "recorded", "data-record": recorded.recordId, "data-seq": String(recorded.seq) },
        t("console.contact.recorded", { seq: recorded.seq + 1, recordId: short(recorded.recordId) }), " ",
        el("a", { href: `#record-${recorded.recordId}` }, t("console.contact.see"))) : null,
      showForm ? el("div", { class: "card" }, contactForm({ claimId: id, debtorName: o.debtor?.name }, async (accepted) => {
        recorded = accepted;
        showForm = false;
        Object.assign(evidence, await api("GET", `/v1/claims/${id}/evidence`));
        draw();
      })) : null,
      el("div", { class: "grid two" }, terms(), caseSection(), ownership(), valuationSection()),
      offersSection({ id, offers, may: { propose: mayPropose, approve: mayApprove, accept: mayAccept }, msg: offerMsg, act: (fn) => act(fn, (m) => { offerMsg = m; }) }),
      surveysSection({
        id, claim, surveys, checklist, assetType, may: maySurvey, msg: surveyMsg, act: (fn) => act(fn, (m) => { surveyMsg = m; }),
        recorded: async () => {
          surveys = await api("GET", `/v1/claims/${id}/surveys`).catch(() => surveys);
          await assess();
        },
      }),
      evidenceSection());
  }

  ctx.redraw = draw;
  draw();
}


