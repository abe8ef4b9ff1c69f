/**
 * The printable pages of a claim's 证据目录 and 时效中断证明 (core/evidence-catalogue.ts, core/interruption-proof.ts):
 * one HTML document each, the Chinese text first, then its English translation under the translation label (the
 * Chinese prevails). The page prints what the JSON proof holds; it is checked by dropping the JSON file on the
 * court page (/verify), never by reading the printout.
 */
import type { Lang } from "./messages.js";
import { catalog } from "./messages.js";
import { TRANSLATION_LABEL } from "./letters.js";
import { limitationReason } from "./limitation.js";
import type { EvidenceCatalogue } from "../core/evidence-catalogue.js";
import type { InterruptionProof, ProofRecord } from "../core/interruption-proof.js";

const t = (zh: string, en: string) => ({ "zh-CN": zh, en });

export const PROVES: Record<string, Record<Lang, string>> = {
  "demand-delivered": t("向{relation}主张权利（催收），已于{deliveredOn}送达（民法典第一百九十五条第一项）", "A demand on {relation}, delivered on {deliveredOn} (Civil Code art. 195(1))"),
  "demand-sent": t("向{relation}发出的催收；尚无送达证明，不产生中断效力（诉讼时效规定第八条）", "A demand sent to {relation}; no proof of delivery yet, so it interrupts nothing (SPC Limitation Provisions art. 8)"),
  "assignment-delivered": t("债权转让暨催收通知，已于{deliveredOn}送达{relation}（民法典第五百四十六条第一款）", "Notice of assignment and demand, delivered to {relation} on {deliveredOn} (Civil Code art. 546(1))"),
  "assignment-sent": t("债权转让通知；尚无送达证明（民法典第五百四十六条第一款）", "Notice of assignment; no proof of delivery yet (Civil Code art. 546(1))"),
  "delivery-proof": t("送达凭证（{method}）", "Proof of delivery ({method})"),
  "address-confirmation": t("{relation}签署的送达地址确认书", "Confirmation of an address for service signed by {relation}"),
  "promise-to-pay": t("{relation}承诺还款，属同意履行义务（民法典第一百九十五条第二项）", "A promise to pay by {relation}: agreement to perform (Civil Code art. 195(2))"),
  acknowledgement: t("{relation}签署的债权确认书/对账单，承认债务（民法典第一百九十五条第二项）", "A statement of the debt signed by {relation}: acknowledgement (Civil Code art. 195(2))"),
  payment: t("还款（部分履行，民法典第一百九十五条第二项）", "A payment (part performance, Civil Code art. 195(2))"),
  announcement: t("具有催收内容的报纸公告（资产管理公司：法释〔2001〕12号第十条）", "A newspaper announcement with collection content (AMCs: Fa Shi [2001] No. 12 art. 10)"),
  call: t("与{relation}的电话联系记录", "A call with {relation}"),
  sms: t("发给{relation}的短信记录", "An SMS to {relation}"),
  visit: t("对{relation}的上门拜访记录", "A visit to {relation}"),
  restructuring: t("债务重组记录", "A restructuring"),
  valuation: t("担保物估值", "A valuation of the collateral"),
  survey: t("担保物现场勘察", "A field survey of the collateral"),
  "desk-search": t("查册/资信调查（法院执行、登记、征信信息）", "A desk search (court, registry or credit records)"),
  "prior-history": t("原始债权人对登记前事项（{priorEvent}）的陈述", "The originator's statement of an event before registration ({priorEvent})"),
};

const LABELS = {
  catalogueTitle: t("证据目录", "Evidence catalogue"),
  proofTitle: t("诉讼时效中断证明", "Proof of the interruption of the limitation period"),
  claim: t("债权编号", "Claim"),
  asOf: t("基准日", "As of"),
  no: t("序号", "No."),
  evidence: t("证据", "Evidence"),
  occurred: t("事件发生时间（记录人陈述）", "Time of the event (the recorder's statement)"),
  proves: t("证明内容", "What it proves"),
  record: t("存证记录", "Evidence record"),
  delivery: t("送达凭证", "Proof of delivery"),
  anchor: t("锚定（区块 / 区块时间 / 交易）", "Anchor (block / block time / transaction)"),
  pending: t("待锚定", "awaiting anchoring"),
  deliveredBy: t("见第{no}项，{date}送达", "see item {no}, delivered {date}"),
  delivers: t("送达第{no}项", "delivers item {no}"),
  period: t("期间", "Period"),
  expires: t("届满日", "Last day"),
  extended: t("顺延至", "moved to"),
  status: t("状态", "Status"),
  basis: t("计算依据", "Basis"),
  chain: t("中断事由链", "The chain of interruptions"),
  event: t("事由", "Event"),
  effectiveOn: t("生效日", "Effective on"),
  stated: t("陈述的起算事实：主债务履行期限届满日{maturityAt}；{collateral}；持有人{holder}", "Stated facts: the debt fell due on {maturityAt}; {collateral}; holder: {holder}"),
  secured: t("有担保物", "secured"),
  unsecured: t("无担保物", "unsecured"),
  note: t(
    "区块链锚定证明记录自锚定（区块时间）后未被改动；锚定前的内容与事件发生时间为记录人的陈述，应结合其他证据审查（《人民法院在线诉讼规则》第十六条至第十八条）。核验方法：将本证明的 JSON 文件拖入核验页面（/verify），逐项核验存证并重新计算时效期间。",
    "Anchoring proves a record has not changed since it was anchored (block time); its content before anchoring and the time of the event are the recorder's statement, to be weighed with other evidence (Online Litigation Rules arts. 16–18). To verify: drop this proof's JSON file on the verification page (/verify), which checks each record and computes the period again.",
  ),
  incomplete: t("部分记录尚未锚定，本证明暂不能完整核验。", "Some records are not anchored yet: this proof cannot be verified in full."),
};

const STATUS = { running: t("进行中", "running"), expiring: t("90日内届满", "ends within 90 days"), expired: t("已届满", "expired") };
const KINDS = { litigation: t("诉讼时效", "limitation"), enforcement: t("申请执行期间", "enforcement period"), mortgage: t("抵押权行使期间", "mortgage"), "guarantee-period": t("保证期间", "guarantee period"), "guarantee-litigation": t("保证债务诉讼时效", "guarantee limitation") };
const HOLDERS = { bank: t("银行", "a bank"), amc: t("资产管理公司", "an AMC"), unknown: t("未确认", "not confirmed") };
const METHODS: Record<string, Record<Lang, string>> = {
  ems: t("邮政特快专递签收", "EMS, signed for"), "signed-receipt": t("签收回执", "signed receipt"), "e-delivery": t("电子送达", "electronic delivery"),
  "confirmed-address": t("寄往确认的送达地址", "sent to the confirmed address"), announcement: t("公告送达", "announcement"),
};
const RELATIONS: Record<string, Record<Lang, string>> = {
  debtor: t("债务人", "the debtor"), "co-debtor": t("共同债务人", "a co-debtor"), guarantor: t("保证人", "the guarantor"),
  "legal-representative": t("法定代表人", "the legal representative"), "authorised-agent": t("授权代理人", "an authorised agent"),
  family: t("家属", "a family member"), employer: t("雇主", "the employer"), colleague: t("同事", "a colleague"), other: t("其他人", "someone else"),
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, n: string) => (vars[n] === undefined ? `{${n}}` : String(vars[n])));
const short = (h: string) => `${h.slice(0, 10)}…${h.slice(-6)}`;

const KIND_NAMES = { "zh-CN": catalog("zh-CN", ["kind."]), en: catalog("en", ["kind."]) };

function kindName(lang: Lang, kind: string): string {
  return KIND_NAMES[lang][`kind.${kind}`] ?? kind;
}

function provesText(lang: Lang, key: string, vars: Record<string, string>): string {
  const named = { ...vars, relation: RELATIONS[vars.relation ?? ""]?.[lang] ?? (lang === "en" ? "the other side" : "对方"), method: METHODS[vars.method ?? ""]?.[lang] ?? vars.method ?? "" };
  return fill(PROVES[key]?.[lang] ?? kindName(lang, key), named);
}

function recordCells(lang: Lang, r: ProofRecord): string {
  if (r.status === "pending") return `<td><code>${esc(short(r.recordId))}</code></td><td>${esc(LABELS.pending[lang])}</td>`;
  const a = r.bundle.anchor;
  const time = new Date(a.blockTimestamp * 1000).toISOString().replace(".000Z", "Z");
  return `<td><code title="${esc(r.bundle.recordHash)}">${esc(short(r.bundle.recordHash))}</code></td><td>#${a.blockNumber} / ${esc(time)} / <code title="${esc(a.txHash)}">${esc(short(a.txHash))}</code></td>`;
}

function page(title: string, sections: string[]): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;line-height:1.5}table{border-collapse:collapse;width:100%;margin:1em 0}
td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top;font-size:.9em}code{font-size:.85em}.label{margin:2em 0 1em;border-top:2px solid #333;padding-top:1em}
section[lang=en]{color:#222}@media print{body{margin:1cm}}</style></head>
<body>
${sections.join("\n")}
</body></html>
`;
}

function translationLabel(): string {
  return `<p class="label">${esc(TRANSLATION_LABEL["zh-CN"])}<br>${esc(TRANSLATION_LABEL.en)}</p>`;
}

function catalogueSection(lang: Lang, c: EvidenceCatalogue): string {
  const L = (k: keyof typeof LABELS) => esc(LABELS[k][lang]);
  const rows = c.items.map((i) => {
    const delivery = i.delivery ? fill(LABELS.deliveredBy[lang], { no: i.delivery.proofNo, date: i.delivery.deliveredAt.slice(0, 10) })
      : i.delivers !== undefined ? fill(LABELS.delivers[lang], { no: i.delivers }) : "";
    return `<tr><td>${i.no}</td><td>${esc(kindName(lang, i.kind))}</td><td>${esc(i.occurredAt)}</td><td>${esc(provesText(lang, i.proves.key, i.proves.vars))}</td>${recordCells(lang, i.record)}<td>${esc(delivery)}</td></tr>`;
  }).join("\n");
  return `<section lang="${lang}"><h1>${L("catalogueTitle")}</h1>
<p>${L("claim")}: <code>${esc(c.claimId)}</code><br>${L("asOf")}: ${esc(c.asOf)}</p>
${c.complete ? "" : `<p><strong>${L("incomplete")}</strong></p>`}
<table><thead><tr><th>${L("no")}</th><th>${L("evidence")}</th><th>${L("occurred")}</th><th>${L("proves")}</th><th>${L("record")}</th><th>${L("anchor")}</th><th>${L("delivery")}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>${L("note")}</p></section>`;
}

/** The printable 证据目录: Chinese, then the English translation. */
export function catalogueHtml(c: EvidenceCatalogue): string {
  return page(`${LABELS.catalogueTitle["zh-CN"]} · ${LABELS.catalogueTitle.en}`, [catalogueSection("zh-CN", c), translationLabel(), catalogueSection("en", c)]);
}

function proofSection(lang: Lang, p: InterruptionProof): string {
  const L = (k: keyof typeof LABELS) => esc(LABELS[k][lang]);
  const periods = p.periods.map((x) => `<h2>${esc(KINDS[x.kind][lang])}</h2>
<p>${L("expires")}: <strong>${esc(x.expiresAt)}</strong>${x.extendedTo ? `（${L("extended")} ${esc(x.extendedTo)}）` : ""} · ${L("status")}: ${esc(STATUS[x.status][lang])}<br>${esc(x.rule)}</p>
<ol>${x.basis.map((b) => `<li>${esc(limitationReason(lang, b.key, b.vars))}</li>`).join("")}</ol>`).join("\n");
  const links = p.links.map((l, i) => {
    const record = l.record.status === "anchored" ? l.record.bundle.record : l.record.record;
    const delivery = l.delivery ? `${esc(METHODS[l.delivery.method]?.[lang] ?? l.delivery.method)} ${esc(l.delivery.deliveredAt.slice(0, 10))}` : "";
    return `<tr><td>${i + 1}</td><td>${esc(kindName(lang, record.kind))} (${esc(l.event)})</td><td>${esc(record.occurredAt)}</td><td>${esc(l.day)}</td>${recordCells(lang, l.record)}<td>${delivery}${l.delivery ? `<br>${recordCells(lang, l.delivery.proof).replace(/<\/?td>/g, " ")}` : ""}</td></tr>`;
  }).join("\n");
  const stated = fill(LABELS.stated[lang], {
    maturityAt: p.claim.maturityAt.slice(0, 10), collateral: (p.claim.collateral ? LABELS.secured : LABELS.unsecured)[lang], holder: HOLDERS[p.claim.holder][lang],
  });
  return `<section lang="${lang}"><h1>${L("proofTitle")}</h1>
<p>${L("claim")}: <code>${esc(p.claimId)}</code><br>${L("asOf")}: ${esc(p.asOf)}<br>${esc(stated)}</p>
${p.complete ? "" : `<p><strong>${L("incomplete")}</strong></p>`}
${periods}
<h2>${L("chain")}</h2>
<table><thead><tr><th>${L("no")}</th><th>${L("event")}</th><th>${L("occurred")}</th><th>${L("effectiveOn")}</th><th>${L("record")}</th><th>${L("anchor")}</th><th>${L("delivery")}</th></tr></thead>
<tbody>
${links}
</tbody></table>
<p>${L("note")}</p></section>`;
}

/** The printable 时效中断证明: Chinese, then the English translation. */
export function interruptionProofHtml(p: InterruptionProof): string {
  return page(`${LABELS.proofTitle["zh-CN"]} · ${LABELS.proofTitle.en}`, [proofSection("zh-CN", p), translationLabel(), proofSection("en", p)]);
}
