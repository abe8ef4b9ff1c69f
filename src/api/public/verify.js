// Court page (/verify). Runs in the browser: hashes dropped files locally (only the hash is sent),
// re-checks a proof bundle's integrity itself (record hash, leaf and root as src/core/bundle.ts
// checkBundleIntegrity computes them; the record's field-by-field validation is left to the server),
// and asks POST /v1/verify — or, when the court gives one, its own JSON-RPC node — whether the root
// is anchored. Every text comes from the page data the server embeds (src/i18n/messages.ts).
import { keccak256 } from "/assets/ethers.min.js";
import { checkIntegrity, isObject, verifyOnNode } from "/assets/verify-bundle.js";
import { isProof, checkProof, renderProof } from "/assets/verify-proof.js";

const DATA = JSON.parse(document.getElementById("page-data").textContent);
const LANGS = ["zh-CN", "en"];
/** Largest file read as text to see whether it is a proof bundle (bundles are a few kB). */
const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

let lang = LANGS.includes(new URLSearchParams(location.search).get("lang")) ? new URLSearchParams(location.search).get("lang") : "zh-CN";
/** The last outcome, kept so a language switch re-renders the certificate. */
let outcome = null;
/** The last status line: [key, vars, isError]. */
let status = null;

function t(key, vars = {}) {
  const text = DATA.i18n[lang][key] ?? DATA.i18n.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

function has(key) {
  return Object.prototype.hasOwnProperty.call(DATA.i18n[lang], key);
}

// ---------------------------------------------------------------------------------------------
// Talking to the Debtrail server: only a bundle or a hash is ever posted.

async function postVerify(body, path = "/v1/verify") {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json", "accept-language": lang }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(t("page.httpError", { status: res.status, message: data.message ?? res.statusText }));
  return data;
}

/** The bundle inside a parsed JSON file, or undefined if it is not one (then it is an ordinary file). */
function bundleIn(data) {
  if (!isObject(data)) return undefined;
  if (!("record" in data) && isObject(data.bundle)) return data.bundle; // a saved POST /v1/verify answer
  // Any of a bundle's own fields makes it a bundle: a damaged one is then said to be damaged, not hashed as a file.
  if (!["record", "recordHash", "leaf", "proof", "root"].some((k) => k in data)) return undefined;
  if (data.status === "anchored") {
    const { status: _status, ...bundle } = data; // a receipt as GET /v1/evidence/:id/receipt gives it
    return bundle;
  }
  return data;
}

async function handleFile(file) {
  const rpc = document.getElementById("rpc").value.trim();
  outcome = null;
  render();
  try {
    setStatus("page.reading", { name: file.name });
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bundle;
    let parsed;
    if (bytes.length <= MAX_BUNDLE_BYTES) {
      try {
        parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, ""));
        bundle = bundleIn(parsed);
      } catch (error) {
        // A .json file that is not JSON is most likely a damaged proof bundle: said so, not hashed as an ordinary file.
        if (/\.json$/i.test(file.name)) {
          setStatus("page.corruptJson", { name: file.name, reason: error?.message ?? String(error) }, true);
          render();
          return;
        }
        bundle = undefined; // not UTF-8 JSON: an ordinary file
      }
    }
    const next = { checkedAt: new Date(), by: rpc ? "node" : "server", node: rpc, input: { name: file.name, size: bytes.length } };
    if (isProof(parsed)) {
      // A 时效中断证明: every bundle and link checked here, the period and maturity by the server (verify-proof.js).
      next.input.type = "proof";
      setStatus("page.checking");
      next.proof = await checkProof(parsed, rpc, { checkIntegrity, verifyOnNode: (b, url) => verifyOnNode(b, url, DATA.abi), postJson: (path, body) => postVerify(body, path) });
    } else if (bundle !== undefined) {
      next.input.type = "bundle";
      next.bundle = bundle;
      next.integrity = checkIntegrity(bundle);
      setStatus("page.checking");
      next.chain = rpc ? await verifyOnNode(bundle, rpc, DATA.abi) : await postVerify({ bundle });
    } else {
      next.input.type = "file";
      setStatus("page.hashing", { name: file.name });
      next.input.contentHash = keccak256(bytes); // as contentHashOf in src/core/evidence.ts
      setStatus("page.checking");
      const found = await postVerify({ contentHash: next.input.contentHash });
      if (found.bundle) {
        next.bundle = found.bundle;
        next.integrity = checkIntegrity(found.bundle);
        next.chain = rpc ? await verifyOnNode(found.bundle, rpc, DATA.abi) : found;
      } else {
        next.chain = found; // unknown-content or pending: no record to show
      }
    }
    outcome = next;
    setStatus("page.done");
  } catch (error) {
    const message = error?.rpcProblem ? t(error.rpcProblem === "unreachable" ? "page.rpcUnreachable" : "page.rpcBadAnswer", { url: error.url }) : error?.message ?? String(error);
    setStatus("page.error", { message }, true);
  }
  render();
}

// ---------------------------------------------------------------------------------------------
// Rendering. Every text comes from DATA.i18n; values go in through textContent only.

function setStatus(key, vars = {}, isError = false) {
  status = [key, vars, isError];
  renderStatus();
}

function renderStatus() {
  const el = document.getElementById("status");
  el.textContent = status ? t(status[0], status[1]) : "";
  el.classList.toggle("error", Boolean(status?.[2]));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function isoTime(seconds) {
  return typeof seconds === "number" && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
}

/** ISO instant, and the same instant in this browser's time zone and language. */
function timeText(iso) {
  if (typeof iso !== "string") return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${iso}  (${d.toLocaleString(lang === "en" ? "en-GB" : "zh-CN", { timeZoneName: "short" })})`;
}

function named(prefix, value) {
  if (typeof value !== "string") return "-";
  const key = `${prefix}.${value}`;
  if (!has(key)) return value;
  return lang === "en" ? t(key) : `${t(key)}（${value}）`;
}

function reasonText(reason, messages) {
  if (messages?.[lang]) return messages[lang];
  return has(`reason.${reason}`) ? t(`reason.${reason}`) : String(reason ?? "");
}

function render() {
  document.documentElement.lang = lang;
  document.title = t("page.title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.getElementById("lang").setAttribute("aria-label", t("page.language"));
  for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  renderStatus();

  const cert = document.getElementById("certificate");
  const print = document.getElementById("print");
  cert.replaceChildren();
  cert.hidden = outcome === null;
  print.hidden = outcome === null;
  if (outcome === null) return;
  if (outcome.proof) return renderProof(cert, outcome, { t, el, lang, timeText, isoTime, reasonText });

  const { bundle, integrity, chain, input } = outcome;
  // A file checked by its hash without a key: the server says only whether it is anchored, and where.
  const verified = bundle ? Boolean(integrity?.ok && chain?.verified) : Boolean(chain?.verified);
  cert.dataset.verified = String(verified);

  cert.append(el("h2", { "data-field": "title" }, t("cert.title")));
  const colon = lang === "en" ? ": " : "：";
  cert.append(el("p", { class: "result", "data-field": "result" }, `${verified ? "✔" : "✘"} ${t("cert.result")}${colon}${t(verified ? "cert.verified" : "cert.notVerified")}`));
  if (verified) {
    // What the chain proves, and no more (在线诉讼规则第十六至十八条): unchanged since anchoring, at the block's time.
    const anchoredAt = chain?.anchoredAt ? isoTime(chain.anchoredAt) : isoTime(bundle?.anchor?.blockTimestamp);
    cert.append(el("p", { class: "note", "data-field": "summary" }, t("cert.verifiedText", { chainId: bundle?.chainId ?? chain?.chainId ?? "-", blockTime: anchoredAt ?? "-" })));
    cert.append(el("p", { class: "note", "data-field": "scope" }, t("cert.scope")));
  } else {
    const failure = integrity && !integrity.ok ? reasonText(integrity.reason) : reasonText(chain?.reason, chain?.messages);
    const code = integrity && !integrity.ok ? integrity.reason : chain?.reason;
    cert.append(el("p", { class: "note", "data-field": "reason", "data-reason": code ?? "" }, `${t("cert.reason")}${colon}${failure}`));
    if (bundle) cert.append(el("p", { class: "note", "data-field": "stated" }, t("cert.stated")));
  }

  const dl = el("dl");
  const row = (field, labelKey, value, { hash = false } = {}) => {
    dl.append(el("dt", {}, t(labelKey)));
    const dd = value instanceof Node ? el("dd", { "data-field": field }, value) : el("dd", { "data-field": field }, value ?? "-");
    if (hash) dd.classList.add("hash");
    dl.append(dd);
  };
  row("input", "page.input", input.type === "bundle"
    ? t("page.inputBundle", { name: input.name })
    : t("page.inputFile", { name: input.name, size: input.size }));
  if (input.type === "file") row("fileHash", "page.fileHash", input.contentHash, { hash: true });
  if (!bundle && chain?.verified) {
    row("redacted", "page.detailsLabel", t("page.detailsRedacted"));
    row("blockTime", "cert.blockTime", timeText(isoTime(chain.anchoredAt)));
    row("blockNumber", "cert.blockNumber", chain.blockNumber === undefined ? "-" : String(chain.blockNumber));
    row("txHash", "cert.txHash", chain.txHash, { hash: true });
    row("contract", "cert.contract", chain.contract, { hash: true });
    row("chainId", "cert.chainId", chain.chainId === undefined ? "-" : String(chain.chainId));
  }

  if (bundle) {
    const record = isObject(bundle.record) ? bundle.record : {};
    const anchor = isObject(bundle.anchor) ? bundle.anchor : {};
    const blockTime = chain?.verified && chain.anchoredAt ? isoTime(chain.anchoredAt) : isoTime(anchor.blockTimestamp);
    row("recordId", "cert.recordId", bundle.recordHash, { hash: true });
    row("claimId", "cert.claimId", record.claimId, { hash: true });
    row("kind", "cert.kind", named("kind", record.kind));
    row("channel", "cert.channel", named("channel", record.channel));
    row("occurredAt", "cert.occurredAt", timeText(record.occurredAt));
    const content = el("span", { class: "hash" }, record.contentHash ?? "-");
    if (input.type === "file" && typeof record.contentHash === "string" && record.contentHash.toLowerCase() === input.contentHash) {
      row("contentHash", "cert.contentHash", el("span", {}, content, el("br"), t("page.fileMatches")));
    } else {
      row("contentHash", "cert.contentHash", content);
    }
    if (isObject(bundle.document)) {
      row("commitment", "cert.commitment", bundle.document.commitment, { hash: true });
      row("salt", "cert.salt", bundle.document.salt, { hash: true });
    }
    row("blockTime", "cert.blockTime", timeText(blockTime));
    row("blockNumber", "cert.blockNumber", anchor.blockNumber === undefined ? "-" : String(anchor.blockNumber));
    row("txHash", "cert.txHash", anchor.txHash, { hash: true });
    row("contract", "cert.contract", bundle.contract, { hash: true });
    row("chainId", "cert.chainId", bundle.chainId === undefined ? "-" : String(bundle.chainId));
    row("submitter", "cert.submitter", anchor.submitter, { hash: true });
    row("root", "cert.root", bundle.root, { hash: true });
    const proof = Array.isArray(bundle.proof) ? bundle.proof : [];
    const list = proof.length > 0
      ? el("ol", { start: "0" }, ...proof.map((p) => el("li", { class: "hash" }, String(p))))
      : el("span", {}, t("page.proofEmpty"));
    row("proof", "cert.proof", el("span", {}, t("cert.proofLength", { count: proof.length }), list));
  }

  const outcomeText = (ok, reason, messages) =>
    el("span", { class: ok === undefined ? "" : ok ? "passed" : "failed" },
      ok === undefined ? t("page.notRun") : ok ? t("page.passed") : t("page.failed", { message: reasonText(reason, messages) }));
  const checks = el("ul", { class: "checks" });
  const integrityItem = el("li", { "data-check": "integrity" });
  integrityItem.append(...splitAround(t("page.checkIntegrity", { outcome: "\u0000" }), outcomeText(integrity?.ok, integrity?.reason)));
  const who = outcome.by === "node" ? t("page.byNode", { url: outcome.node }) : t("page.byServer");
  const chainItem = el("li", { "data-check": "chain" });
  chainItem.append(...splitAround(t("page.checkChain", { who, outcome: "\u0000" }), outcomeText(bundle || chain?.verified ? chain?.verified : undefined, chain?.reason, chain?.messages)));
  checks.append(integrityItem, chainItem);
  row("checks", "page.checks", checks);
  row("checkedAt", "cert.checkedAt", timeText(outcome.checkedAt.toISOString()));
  cert.append(dl);
}

/** A sentence with a marker replaced by a node: [text before, node, text after]. */
function splitAround(text, node) {
  const [before, after = ""] = text.split("\u0000");
  return [before, node, after];
}

// ---------------------------------------------------------------------------------------------
// Wiring.

for (const button of document.querySelectorAll("[data-lang]")) {
  button.addEventListener("click", () => {
    lang = button.dataset.lang;
    const url = new URL(location.href);
    url.searchParams.set("lang", lang);
    history.replaceState(null, "", url);
    render();
  });
}

const input = document.getElementById("file");
input.addEventListener("change", () => {
  const file = input.files?.[0];
  input.value = ""; // choosing the same file again checks it again
  if (file) void handleFile(file);
});

const drop = document.getElementById("drop");
for (const type of ["dragenter", "dragover"]) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
}
for (const type of ["dragleave", "drop"]) drop.addEventListener(type, () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files?.[0];
  if (file) void handleFile(file);
});
// A file dropped beside the drop zone must not make the browser open it instead.
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());

document.getElementById("print").addEventListener("click", () => window.print());

render();
document.body.dataset.ready = "true";
