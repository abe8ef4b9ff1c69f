// One transaction of this deployment (GET /v1/tx/:txHash), said for people: who (account names), which claims
// (contract numbers, linked), which package (its name), amounts in yuan, dates — each event as a sentence, the
// raw decoded arguments kept below for whoever checks them against the chain.
import { ctx, t, api, el, dateTime, date, section, named, fill, money, short, claimLink, has } from "./app.js";

const CASE_STATES = ["performing", "overdue", "warned", "demanded", "in-arbitration", "ruled", "closed", "restructured"];
const CLASSES = ["pass", "special-mention", "substandard", "doubtful", "loss"];
const RULINGS = ["refused", "enforce", "dismiss", "settle"];
const CLOSURES = ["repaid", "dismissed", "settled"];
const ZERO = "0x0000000000000000000000000000000000000000";

export async function mount(view, txHash) {
  const tx = await api("GET", `/v1/tx/${txHash}`);
  const { accounts, claims, packages } = tx.people;

  const who = (a) => {
    if (!a || a === ZERO) return t("console.tx.nobody");
    const name = accounts[a.toLowerCase()];
    return el("span", { class: "who-account", title: a }, name ? `${name} (${short(a)})` : short(a));
  };
  const claimIdOf = (v) => (/^[0-9]{60,78}$/.test(String(v)) ? `0x${BigInt(v).toString(16).padStart(64, "0")}` : String(v).toLowerCase());
  const claim = (v) => {
    const id = claimIdOf(v);
    return claimLink(id, claims[id] ? t("console.tx.contract", { contractNo: claims[id] }) : short(id));
  };
  const pkg = (ref) => (packages[ref.toLowerCase()] ? el("strong", { title: ref }, packages[ref.toLowerCase()]) : el("span", { class: "hash", title: ref }, short(ref)));
  const when = (unix) => date(new Date(Number(unix) * 1000).toISOString());

  /** An event as a sentence with its parts (names, links, yuan), or null for those said as a list. */
  function sentence(e) {
    const a = e.args;
    const parts = (key, vars) => {
      // The sentence's text with {placeholders} replaced by nodes (links, names), in order.
      const text = t(key, Object.fromEntries(Object.keys(vars).map((k) => [k, `\u0000${k}\u0000`])));
      return text.split("\u0000").map((piece, i) => (i % 2 ? vars[piece] : piece));
    };
    switch (`${e.contract}.${e.name}`) {
      case "ClaimRegistry.ClaimRegistered": return parts("console.tx.say.registered", { claim: claim(a.claimId), originator: who(a.originator), principal: money(a.principal), outstanding: money(a.outstanding) });
      case "ClaimRegistry.ClaimAssigned": return parts("console.tx.say.assigned", { claim: claim(a.claimId), from: who(a.from), to: who(a.to), package: pkg(a.packageId), price: money(a.price) });
      case "ClaimRegistry.PackageAssigned": return parts("console.tx.say.package", { package: pkg(a.packageId), count: String(a.claimCount), price: money(a.price), from: who(a.from), to: who(a.to) });
      case "ClaimRegistry.Transfer": return parts(a.from === ZERO ? "console.tx.say.minted" : "console.tx.say.transfer", { claim: claim(a.tokenId), from: who(a.from), to: who(a.to) });
      case "ClaimRegistry.ResaleRestricted": return parts("console.tx.say.restricted", { claim: claim(a.claimId), holder: who(a.holder) });
      case "CollectionClauses.ReportApplied": return parts("console.tx.say.report", { claim: claim(a.claimId), asOf: when(a.asOf), dpd: String(a.daysPastDue), outstanding: money(a.outstanding), collateral: money(a.collateralValue), cls: named("console.class", CLASSES[Number(a.classification)]), grade: "ABCDE"[Number(a.riskGrade)] ?? "?" });
      case "CollectionClauses.CaseStateChanged": return parts("console.tx.say.state", { claim: claim(a.claimId), from: named("console.state", CASE_STATES[Number(a.from)]), to: named("console.state", CASE_STATES[Number(a.to)]) });
      case "CollectionClauses.ArbitrationStarted": return parts("console.tx.say.arbitration", { claim: claim(a.claimId), dispute: disputeLink(a.disputeId), dpd: String(a.daysPastDue) });
      case "CollectionClauses.RulingApplied": return parts("console.tx.say.ruling", { claim: claim(a.claimId), dispute: disputeLink(a.disputeId), ruling: named("console.ruling", RULINGS[Number(a.ruling)]) });
      case "CollectionClauses.EnforcementOrdered": return parts("console.tx.say.enforcement", { claim: claim(a.claimId), dispute: disputeLink(a.disputeId) });
      case "CollectionClauses.CaseClosed": return parts("console.tx.say.closed", { claim: claim(a.claimId), reason: named("console.closure", CLOSURES[Number(a.reason)]) });
      case "EvidenceLog.RootAnchored": return parts("console.tx.say.anchored", { count: String(a.count), submitter: who(a.submitter) });
      case "Arbitrator.RulingGiven": return parts("console.tx.say.rulingGiven", { dispute: disputeLink(a.disputeId), ruling: named("console.ruling", RULINGS[Number(a.ruling)]), by: who(a.arbitrator) });
      default: return null;
    }
  }
  const disputeLink = (id) => el("a", { href: `/console/disputes/${id}` }, `#${id}`);

  function raw(v) {
    if (Array.isArray(v)) return v.length ? v.map(raw).join(", ") : "[]";
    return String(v);
  }

  function draw() {
    const label = (e) => (e.name && has(`console.tx.event.${e.name}`) ? t(`console.tx.event.${e.name}`) : e.name ?? "?");
    fill(view,
      el("div", { class: "title-row" }, el("h1", {}, t("console.tx.title"))),
      section("console.tx.facts", el("dl", { class: "facts" },
        el("dt", {}, t("console.tx.status")), el("dd", { "data-field": "status" }, named("console.txStatus", tx.status)),
        el("dt", {}, t("console.tx.time")), el("dd", {}, dateTime(tx.timestamp)),
        el("dt", {}, t("console.tx.from")), el("dd", { "data-field": "from" }, who(tx.from)),
        el("dt", {}, t("console.tx.to")), el("dd", {}, tx.contract ? named("console.contract", tx.contract) : short(tx.to)),
        el("dt", {}, t("console.tx.block")), el("dd", { "data-field": "block" }, String(tx.blockNumber)),
        el("dt", {}, t("console.tx.hash")), el("dd", { class: "hash", "data-field": "txHash" }, tx.txHash),
        el("dt", {}, t("console.tx.chain")), el("dd", {}, tx.chainId),
        el("dt", {}, t("console.tx.gas")), el("dd", {}, tx.gasUsed))),
      section("console.tx.events", el("ol", { class: "events", id: "events" }, tx.events.map((e) => {
        const said = sentence(e);
        return el("li", { "data-event": e.name ?? "" },
          el("strong", {}, label(e)),
          said ? el("p", { class: "said" }, said) : null,
          el("details", { class: "raw" }, el("summary", {}, t("console.tx.raw", { contract: e.contract, name: e.name ?? "?" })),
            el("dl", { class: "facts compact" }, Object.entries(e.args).flatMap(([k, v]) => [el("dt", {}, k), el("dd", { class: "hash" }, raw(v))]))));
      }))));
  }
  ctx.redraw = draw;
  draw();
}
