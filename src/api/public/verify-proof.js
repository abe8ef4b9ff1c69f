// Court page (/verify): a 时效中断证明 (limitation-interruption-proof, src/core/interruption-proof.ts) dropped on the
// page. This browser re-checks every bundle's integrity and each delivery proof's link to its letter itself; each
// bundle's anchor is checked on the court's own node when it gives one (else by the server); the server computes
// the period again from the proof's own records and checks the stated maturity against ClaimRegistry
// (POST /v1/verify/interruption-proof). Every text comes from the page data (src/i18n/messages.ts, proof.*).

/** Whether parsed JSON is a 时效中断证明. */
export function isProof(data) {
  return data !== null && typeof data === "object" && !Array.isArray(data) && data.type === "limitation-interruption-proof";
}

const anchored = (r) => r !== null && typeof r === "object" && r.status === "anchored" && r.bundle !== null && typeof r.bundle === "object";

/** Every record of the proof: where it sits, and its bundle or that it is pending. */
function recordsOf(p) {
  const out = [];
  const add = (at, r) => {
    if (r === undefined) return;
    out.push(anchored(r) ? { at, bundle: r.bundle } : { at, pending: true });
  };
  (Array.isArray(p.links) ? p.links : []).forEach((l, i) => {
    add(`links[${i}].record`, l?.record);
    add(`links[${i}].delivery.proof`, l?.delivery?.proof);
    add(`links[${i}].delivery.confirmation`, l?.delivery?.confirmation);
  });
  return out;
}

/**
 * Checks a proof: integrity and links here, anchors on the court's node (or the server), the period and the
 * maturity by the server. `tools` are the page's own checkIntegrity, verifyOnNode and postJson.
 */
export async function checkProof(p, rpc, tools) {
  const claimId = String(p.claimId ?? "").toLowerCase();
  const items = recordsOf(p).map((r) => {
    if (r.pending) return { ...r, integrity: { ok: false, reason: "pending" } };
    const integrity = tools.checkIntegrity(r.bundle);
    const sameClaim = String(r.bundle.record?.claimId ?? "").toLowerCase() === claimId;
    return { ...r, integrity: integrity.ok && !sameClaim ? { ok: false, reason: "other-claim" } : integrity };
  });
  const links = (Array.isArray(p.links) ? p.links : []).map((l) => ({
    event: l?.event, type: l?.type, day: l?.day, method: l?.delivery?.method,
    deliveryOk: !l?.delivery || (anchored(l.delivery.proof) && anchored(l.record)
      && String(l.delivery.proof.bundle.record?.delivery?.notice ?? "") === String(l.record.bundle.recordHash ?? "").toLowerCase()),
  }));
  const server = await tools.postJson("/v1/verify/interruption-proof", p);
  for (const item of items) {
    if (item.pending) continue;
    item.chain = rpc ? await tools.verifyOnNode(item.bundle, rpc) : (server.bundles ?? []).find((b) => b.at === item.at);
  }
  const main = (Array.isArray(p.periods) ? p.periods : []).find((x) => x?.kind === "litigation" || x?.kind === "enforcement");
  const verified = items.length > 0 && items.every((i) => i.integrity.ok && i.chain?.verified) && links.every((l) => l.deliveryOk)
    && Boolean(server.check?.ok) && Boolean(server.maturity?.ok);
  return { verified, items, links, server, stated: main, claimId, asOf: p.asOf, complete: p.complete === true };
}

/** The proof's certificate into `cert`: verdict, period stated and recomputed, maturity, each link and each record. */
export function renderProof(cert, o, ui) {
  const { t, el, lang, timeText, isoTime, reasonText } = ui;
  const colon = lang === "en" ? ": " : "：";
  const r = o.proof;
  cert.dataset.verified = String(r.verified);
  cert.append(el("h2", { "data-field": "title" }, t("proof.title")));
  cert.append(el("p", { class: "result", "data-field": "result" }, `${r.verified ? "✔" : "✘"} ${t("cert.result")}${colon}${t(r.verified ? "proof.verified" : "proof.notVerified")}`));
  cert.append(el("p", { class: "note", "data-field": "scope" }, t("cert.scope")));
  const dl = el("dl");
  const row = (field, labelKey, value) => {
    dl.append(el("dt", {}, t(labelKey)));
    dl.append(value instanceof Node ? el("dd", { "data-field": field }, value) : el("dd", { "data-field": field }, value ?? "-"));
  };
  row("input", "page.input", t("page.inputBundle", { name: o.input.name }));
  row("claimId", "cert.claimId", r.claimId);
  row("asOf", "proof.asOf", r.asOf ?? "-");
  const last = (x) => (x ? (x.extendedTo ? t("proof.lastDayExtended", { date: x.expiresAt, extendedTo: x.extendedTo }) : x.expiresAt) : "-");
  row("stated", "proof.stated", last(r.stated));
  const recomputed = r.server.check?.recomputed;
  const same = recomputed && r.stated && recomputed.expiresAt === r.stated.expiresAt && (recomputed.extendedTo ?? null) === (r.stated.extendedTo ?? null);
  row("recomputed", "proof.recomputed", el("span", { class: same ? "passed" : "failed" }, `${last(recomputed)} — ${t(same ? "page.passed" : "proof.mismatch")}`));
  const m = r.server.maturity ?? {};
  row("maturity", "proof.maturity", el("span", { class: m.ok ? "passed" : "failed" }, t("proof.maturityText", { stated: m.stated || "-", onChain: m.onChain ?? "-" })));
  if (!r.complete) row("pending", "proof.pendingLabel", t("proof.pending"));
  const links = el("ol");
  r.links.forEach((l, i) => {
    const lag = r.server.check?.lags?.[i]?.anchorLagDays;
    links.append(el("li", { "data-link": String(i), class: l.deliveryOk ? "passed" : "failed" },
      t("proof.link", { event: l.event ?? "-", type: t(`proof.type.${l.type}`), day: l.day ?? "-" }),
      l.method ? t("proof.delivered", { method: t(`proof.method.${l.method}`) }) : "",
      l.deliveryOk ? "" : ` ${t("proof.deliveryMismatch")}`,
      lag === null || lag === undefined ? "" : ` ${t("proof.lag", { days: lag })}`));
  });
  row("chain", "proof.chain", links);
  const records = el("ul", { class: "checks" });
  for (const item of r.items) {
    const ok = item.integrity.ok && item.chain?.verified;
    const own = ["pending", "other-claim"].includes(item.integrity.reason);
    const why = !item.integrity.ok ? (own ? t(`proof.reason.${item.integrity.reason}`) : reasonText(item.integrity.reason)) : reasonText(item.chain?.reason, item.chain?.messages);
    const when = item.bundle?.anchor ? timeText(isoTime(item.bundle.anchor.blockTimestamp)) : "-";
    records.append(el("li", { "data-at": item.at, class: ok ? "passed" : "failed" },
      `${item.at}${colon}${ok ? t("proof.recordOk", { block: item.bundle.anchor.blockNumber, time: when }) : t("page.failed", { message: why })}`));
  }
  row("records", "proof.records", records);
  row("checkedBy", "page.checks", o.by === "node" ? t("page.byNode", { url: o.node }) : t("page.byServer"));
  row("checkedAt", "cert.checkedAt", timeText(o.checkedAt.toISOString()));
  cert.append(dl);
}
