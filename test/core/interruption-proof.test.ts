import { describe, it, expect, beforeAll } from "vitest";
import { id } from "ethers";
import { buildBundle, type ProofBundle } from "../../src/core/bundle.js";
import { buildTree, initHashing } from "../../src/core/merkle.js";
import { createEvidenceRecord, recordHash, GENESIS_PREV_HASH, type EvidenceInput } from "../../src/core/evidence.js";
import type { DeliveryDetails } from "../../src/core/delivery-record.js";
import { buildInterruptionProof, checkInterruptionProof, proofBundles, type InterruptionProof, type ProofEntry } from "../../src/core/interruption-proof.js";
import { buildCatalogue, checkCatalogue } from "../../src/core/evidence-catalogue.js";
import { catalogueHtml, interruptionProofHtml } from "../../src/i18n/proof-print.js";
import { dayOf } from "../../src/core/dates.js";

/**
 * A hand-worked claim (fixed dates, explicit as-of): due 2021-03-01; a letter of 2022-11-10 signed for on
 * 2022-11-14 interrupts (→ 2025-11-14); the debtor's payment of 2024-02-20 interrupts again (→ 2027-02-20);
 * a letter of 2024-06-03 never delivered interrupts nothing.
 */
const CLAIM = id("claim-17");
const h = (s: string) => id(s);
const ANCHOR = { txHash: h("tx"), blockNumber: 42, blockTimestamp: Date.parse("2024-06-05T00:00:00Z") / 1000, submitter: `0x${"ab".repeat(20)}` };
const CONTRACT = `0x${"cd".repeat(20)}`;
const FACTS = { maturityAt: "2021-03-01", collateral: false, holder: "bank" as const };
const AS_OF = dayOf("2024-12-31");

function entries(): ProofEntry[] {
  const inputs: Array<Partial<EvidenceInput> & Pick<EvidenceInput, "kind" | "occurredAt">> = [
    { kind: "letter", occurredAt: "2022-11-10T02:00:00.000Z" },
    { kind: "delivery-proof", occurredAt: "2022-11-14T02:00:00.000Z", direction: "inbound", delivery: { notice: "", method: "ems", outcome: "signed" } as DeliveryDetails },
    { kind: "call", occurredAt: "2023-05-01T02:00:00.000Z", channel: "phone" },
    { kind: "payment", occurredAt: "2024-02-20T02:00:00.000Z", direction: "inbound", channel: "bank-transfer" },
    { kind: "letter", occurredAt: "2024-06-03T02:00:00.000Z" },
  ];
  const out: ProofEntry[] = [];
  let prev = GENESIS_PREV_HASH;
  for (const [i, x] of inputs.entries()) {
    const delivery = x.delivery ? { ...x.delivery, notice: out[0]!.recordId } : undefined;
    const record = createEvidenceRecord({
      claimId: CLAIM, channel: "post", direction: "outbound", actor: "collector-1",
      counterparty: { hash: h(`cp${i}`), relation: "debtor" }, contentHash: h(`content${i}`), ...x, ...(delivery ? { delivery } : {}),
    } as EvidenceInput, prev);
    prev = recordHash(record);
    out.push({ recordId: prev, record });
  }
  return out;
}

/** The claim's records, all anchored in one batch. */
async function anchoredEntries(): Promise<ProofEntry[]> {
  await initHashing();
  const es = entries();
  const tree = buildTree(es.map((e) => e.recordId));
  return es.map((e, i) => ({ ...e, bundle: buildBundle({ record: e.record, tree, index: i, chainId: 31337n, contract: CONTRACT, anchor: ANCHOR }) }));
}

describe("interruption-proof", () => {
  let all: ProofEntry[];
  beforeAll(async () => {
    all = await anchoredEntries();
  });
  const build = (es = all) => buildInterruptionProof({ claimId: CLAIM, asOf: AS_OF, claim: FACTS, entries: es });

  describe("buildInterruptionProof", () => {
    it("民法典第一百九十五条; 诉讼时效规定第八条: the chain is the delivered letter (with its EMS proof) then the payment; the undelivered letter and the call are not links", () => {
      const p = build();
      expect(p.periods[0]).toMatchObject({ kind: "litigation", expiresAt: "2027-02-20", extendedTo: "2027-02-22", status: "running" }); // a Saturday
      expect(p.links.map((l) => [l.event, l.type, l.effect, l.day])).toEqual([["events[0]", "demand", "interrupted", "2022-11-14"], ["events[1]", "payment", "interrupted", "2024-02-20"]]);
      expect(p.links[0]!.delivery).toMatchObject({ method: "ems", deliveredAt: "2022-11-14T02:00:00.000Z", proof: { status: "anchored" } });
      expect(p.complete).toBe(true);
      expect(proofBundles(p).map((b) => b.at)).toEqual(["links[0].record", "links[0].delivery.proof", "links[1].record"]);
    });

    it("a link whose record awaits anchoring makes the proof incomplete", () => {
      const pending = all.map((e, i) => (i === 3 ? { recordId: e.recordId, record: e.record } : e));
      const p = build(pending);
      expect(p.complete).toBe(false);
      expect(p.links[1]!.record).toMatchObject({ status: "pending", recordId: all[3]!.recordId });
      expect(checkInterruptionProof(p).problems).toContainEqual({ code: "pending", at: "links[1].record" });
    });
  });

  describe("checkInterruptionProof", () => {
    it("an honest proof checks, also after JSON, and the period computed from its own records ends on the stated day", () => {
      const c = checkInterruptionProof(JSON.parse(JSON.stringify(build())));
      expect(c).toMatchObject({ ok: true, problems: [], recomputed: { expiresAt: "2027-02-20" } });
      expect(c.lags).toEqual([{ event: "events[0]", anchorLagDays: 573 }, { event: "events[1]", anchorLagDays: 106 }]);
    });

    it("as the dishonest holder: a stated last day moved later is a period-mismatch", () => {
      const p: InterruptionProof = JSON.parse(JSON.stringify(build()));
      p.periods[0]!.expiresAt = "2028-02-20";
      expect(checkInterruptionProof(p).problems).toContainEqual({ code: "period-mismatch", stated: "2028-02-20", recomputed: "2027-02-20" });
    });

    it("as the dishonest holder: a delivery date rewritten inside a bundle breaks the bundle; a proof of another letter is a delivery-mismatch", () => {
      const p: InterruptionProof = JSON.parse(JSON.stringify(build()));
      const proof = p.links[0]!.delivery!.proof as { status: "anchored"; bundle: ProofBundle };
      proof.bundle.record.occurredAt = "2024-11-14T02:00:00.000Z";
      expect(checkInterruptionProof(p).problems).toContainEqual({ code: "bundle-invalid", at: "links[0].delivery.proof", reason: "record-hash-mismatch" });
      const q: InterruptionProof = JSON.parse(JSON.stringify(build()));
      q.links[0]!.delivery!.proof = JSON.parse(JSON.stringify(q.links[1]!.record));
      expect(checkInterruptionProof(q).problems.map((x) => x.code)).toEqual(expect.arrayContaining(["delivery-mismatch"]));
    });

    it("as the dishonest holder: a stated maturity pushed later changes the recomputed period only if the stated one moved too (the maturity is checked on chain)", () => {
      const p: InterruptionProof = JSON.parse(JSON.stringify(build()));
      p.claim.maturityAt = "2023-03-01";
      expect(checkInterruptionProof(p).ok).toBe(true); // consistent in itself: the on-chain terms decide (src/chain/verify-proof.ts)
    });

    it("a malformed proof is refused, never thrown", () => {
      expect(checkInterruptionProof(null).problems[0]!.code).toBe("malformed");
      expect(checkInterruptionProof({ type: "limitation-interruption-proof", version: 1, claimId: CLAIM, asOf: "2024-12-31", claim: FACTS, periods: [], links: [{ record: { status: "anchored", bundle: {} } }] }).problems[0]!.code).toBe("bundle-invalid");
    });
  });

  describe("interruptionProofHtml", () => {
    it("prints Chinese first, then the labelled English translation, with the reasons and the anchors", () => {
      const html = interruptionProofHtml(build());
      const zh = html.indexOf("诉讼时效中断证明", html.indexOf("<body"));
      const en = html.indexOf("Proof of the interruption of the limitation period", zh + 10);
      expect(zh).toBeGreaterThan(0);
      expect(html.indexOf("以中文文本为准")).toBeGreaterThan(zh);
      expect(en).toBeGreaterThan(html.indexOf("以中文文本为准"));
      expect(html).toContain("2027-02-20");
      expect(html).toContain("第一百九十五条");
      expect(html).toContain("#42");
      expect(html).toContain("在线诉讼规则》第十六条至第十八条");
      expect(html).not.toContain("<script");
    });
  });
});

describe("evidence-catalogue", () => {
  let all: ProofEntry[];
  beforeAll(async () => {
    all = await anchoredEntries();
  });

  it("在线诉讼规则第十六至十九条: every record with what it proves, its bundle, and the delivery links both ways", () => {
    const c = buildCatalogue({ claimId: CLAIM, asOf: AS_OF, entries: all, events: new Map([[all[0]!.recordId, "events[0]"]]) });
    expect(c.items.map((i) => [i.no, i.kind, i.proves.key])).toEqual([
      [1, "letter", "demand-delivered"], [2, "delivery-proof", "delivery-proof"], [3, "call", "call"], [4, "payment", "payment"], [5, "letter", "demand-sent"],
    ]);
    expect(c.items[0]).toMatchObject({ delivery: { proofNo: 2, method: "ems" }, event: "events[0]", proves: { vars: { deliveredOn: "2022-11-14" } } });
    expect(c.items[1]!.delivers).toBe(1);
    expect(checkCatalogue(JSON.parse(JSON.stringify(c)))).toEqual({ ok: true, problems: [] });
    const html = catalogueHtml(c);
    expect(html.indexOf("证据目录")).toBeLessThan(html.indexOf("Evidence catalogue", html.indexOf("<body")));
    expect(html).toContain("已于2022-11-14送达");
    expect(html).toContain("delivered on 2022-11-14");
  });

  it("as the dishonest holder: an item dropped from the catalogue is a chain break; a delivery link re-pointed is a mismatch", () => {
    const c = buildCatalogue({ claimId: CLAIM, asOf: AS_OF, entries: all });
    const dropped = { ...c, items: c.items.filter((i) => i.no !== 3) };
    expect(checkCatalogue(dropped).problems).toContainEqual({ code: "chain-break", at: "items[2]", detail: "missing-previous" });
    const repointed = { ...c, items: c.items.map((i) => (i.no === 2 ? { ...i, delivers: 5 } : i)) };
    expect(checkCatalogue(repointed).problems).toContainEqual({ code: "delivery-mismatch", at: "items[1]" });
  });
});
