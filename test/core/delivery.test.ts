import { describe, it, expect } from "vitest";
import { createEvidenceRecord, recordHash, validateEvidenceRecord, GENESIS_PREV_HASH, type EvidenceInput, type EvidenceRecord, type Relation } from "../../src/core/evidence.js";
import { validateDelivery, type DeliveryDetails } from "../../src/core/delivery-record.js";
import { deliveriesOf, deliveryOf, noticeWait, type RecordRef } from "../../src/core/delivery.js";
import { DELIVERY_MESSAGES, deliveryReason, noticeWaitText } from "../../src/i18n/delivery.js";
import { claimFromRecords, type LimitationRecord } from "../../src/core/limitation/records.js";
import { claimPeriods } from "../../src/core/limitation.js";
import { dayOf } from "../../src/core/dates.js";

/**
 * Hand-worked examples with fixed dates and an explicit as-of: nothing here depends on the day the suite runs.
 * China time is UTC+8: "2024-05-13T02:00:00.000Z" is 10:00 on 13 May 2024 in China.
 */

const CLAIM = `0x${"c1".repeat(32)}`;
const OTHER_CLAIM = `0x${"c2".repeat(32)}`;
const h = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const ADDRESS_A = h(0xa);
const ADDRESS_B = h(0xb);
const AS_OF = Date.parse("2024-12-31T00:00:00.000Z");

/** Builds a claim's records as a chain, each linked to the previous one. */
function chain(inputs: Array<Partial<EvidenceInput> & { kind: EvidenceInput["kind"]; occurredAt: string }>): RecordRef[] {
  const out: RecordRef[] = [];
  let prev = GENESIS_PREV_HASH;
  for (const [i, x] of inputs.entries()) {
    const record = createEvidenceRecord({
      claimId: CLAIM, channel: "post", direction: "outbound", actor: "collector-1",
      counterparty: { hash: h(1000 + i), relation: "debtor" }, contentHash: h(2000 + i), ...x,
    } as EvidenceInput, prev);
    prev = recordHash(record);
    out.push({ recordId: prev, record });
  }
  return out;
}

const letter = (occurredAt: string, relation: Relation = "debtor") => ({ kind: "letter" as const, occurredAt, counterparty: { hash: h(7), relation } });
const proof = (notice: string, occurredAt: string, delivery: Omit<DeliveryDetails, "notice">, relation: Relation | null = "debtor") => ({
  kind: "delivery-proof" as const, occurredAt, direction: "inbound" as const,
  counterparty: relation === null ? null : { hash: h(8), relation }, delivery: { notice, ...delivery } as DeliveryDetails,
});

/** A letter sent 2024-05-10 (China) and the proofs built from it. */
function withLetter(...proofs: Array<(notice: string) => Parameters<typeof chain>[0][number]>): RecordRef[] {
  const [first] = chain([letter("2024-05-10T02:00:00.000Z")]);
  return chain([letter("2024-05-10T02:00:00.000Z"), ...proofs.map((p) => p(first!.recordId))]);
}

describe("delivery-record", () => {
  describe("validateDelivery", () => {
    it("names the field and the rule: a method's missing field, a field the method does not take, an unknown field", () => {
      expect(() => validateDelivery({ notice: h(1), method: "ems" })).toThrow(expect.objectContaining({ field: "delivery.outcome", rule: "required-with-method-ems" }));
      expect(() => validateDelivery({ notice: h(1), method: "signed-receipt", medium: "national" })).toThrow(expect.objectContaining({ field: "delivery.medium", rule: "not-with-method-signed-receipt" }));
      expect(() => validateDelivery({ notice: h(1), method: "ems", outcome: "signed", trackingNo: "EA123" })).toThrow(expect.objectContaining({ field: "delivery.trackingNo", rule: "unknown-field" }));
      expect(() => validateDelivery({ notice: h(1), method: "confirmed-address", outcome: "returned", confirmation: h(2) })).toThrow(expect.objectContaining({ field: "delivery.addressHash" }));
      expect(() => validateDelivery({ notice: "0xABC", method: "signed-receipt" })).toThrow(expect.objectContaining({ field: "delivery.notice" }));
      expect(validateDelivery({ notice: h(1), method: "announcement", medium: "provincial", addresseeMissing: true })).toMatchObject({ medium: "provincial" });
    });
  });

  describe("validateEvidenceRecord", () => {
    it("delivery only with kind delivery-proof, confirmedAddress only with kind address-confirmation", () => {
      const [l] = withLetter();
      expect(() => validateEvidenceRecord({ ...l!.record, delivery: { notice: h(1), method: "signed-receipt" } })).toThrow(expect.objectContaining({ field: "delivery", rule: "only-with-kind-delivery-proof" }));
      expect(() => validateEvidenceRecord({ ...l!.record, confirmedAddress: ADDRESS_A })).toThrow(expect.objectContaining({ field: "confirmedAddress" }));
      expect(() => validateEvidenceRecord({ ...l!.record, kind: "delivery-proof" })).toThrow(expect.objectContaining({ field: "delivery" }));
    });
  });
});

describe("delivery", () => {
  describe("deliveryOf", () => {
    it("诉讼时效规定第八条第一款第一项: a receipt the debtor signed on 13 May delivers the letter of 10 May on 13 May", () => {
      const rs = withLetter((n) => proof(n, "2024-05-13T02:00:00.000Z", { method: "signed-receipt" }));
      const d = deliveryOf(rs[0]!, rs, AS_OF);
      expect(d.delivered).toMatchObject({ proof: rs[1]!.recordId, method: "signed-receipt", deliveredAt: "2024-05-13T02:00:00.000Z", interruptsAt: "2024-05-13T02:00:00.000Z" });
      expect(d.proofs).toEqual([expect.objectContaining({ counted: true, reason: "signed-receipt" })]);
    });

    it("诉讼时效规定第八条第一款第二项: EMS signed for by the debtor or an adult family member delivers; by a colleague, or returned to an unconfirmed address, it does not", () => {
      for (const [relation, counted] of [["debtor", true], ["family", true], ["colleague", false], ["employer", false]] as const) {
        const rs = withLetter((n) => proof(n, "2024-05-12T02:00:00.000Z", { method: "ems", outcome: "signed" }, relation));
        expect(deliveryOf(rs[0]!, rs, AS_OF).delivered !== null, relation).toBe(counted);
      }
      const returned = withLetter((n) => proof(n, "2024-05-20T02:00:00.000Z", { method: "ems", outcome: "returned", addressHash: ADDRESS_A }));
      const d = deliveryOf(returned[0]!, returned, AS_OF);
      expect(d.delivered).toBeNull();
      expect(d.proofs[0]).toMatchObject({ counted: false, reason: "post-not-signed", vars: { outcome: "returned" } });
    });

    it("a letter to the guarantor is not delivered by the debtor's signature (the addressee's side signs)", () => {
      const [first] = chain([letter("2024-05-10T02:00:00.000Z", "guarantor")]);
      const rs = chain([letter("2024-05-10T02:00:00.000Z", "guarantor"), proof(first!.recordId, "2024-05-13T02:00:00.000Z", { method: "signed-receipt" }, "debtor")]);
      expect(deliveryOf(rs[0]!, rs, AS_OF).proofs[0]).toMatchObject({ counted: false, reason: "signer-third-party" });
    });

    describe("送达地址确认书 (confirmed-address)", () => {
      /** Confirmation first, then the letter, then the returned item. */
      function confirmed(opts: { confirmedAt?: string; by?: Relation; confirmed?: string; sentTo?: string; claimId?: string } = {}) {
        const confirmation = { kind: "address-confirmation" as const, occurredAt: opts.confirmedAt ?? "2023-01-05T02:00:00.000Z", direction: "inbound" as const,
          counterparty: { hash: h(9), relation: opts.by ?? "debtor" }, confirmedAddress: opts.confirmed ?? ADDRESS_A, ...(opts.claimId ? { claimId: opts.claimId } : {}) };
        const [c, l] = chain([confirmation, letter("2024-05-10T02:00:00.000Z")]);
        return chain([confirmation, letter("2024-05-10T02:00:00.000Z"),
          proof(l!.recordId, "2024-05-20T02:00:00.000Z", { method: "confirmed-address", outcome: "refused", confirmation: c!.recordId, addressHash: opts.sentTo ?? ADDRESS_A })]);
      }

      it("诉讼时效规定第八条第一款第二项 (应当到达); 法院专递规定第十一条: refused at the address the debtor confirmed beforehand → delivered on the day of return", () => {
        const rs = confirmed();
        const d = deliveryOf(rs[1]!, rs, AS_OF);
        expect(d.delivered).toMatchObject({ method: "confirmed-address", deliveredAt: "2024-05-20T02:00:00.000Z" });
      });

      it("as the dishonest holder: a confirmation signed after the letter was sent, for another address, by a colleague, or of another claim, makes nothing delivered", () => {
        expect(deliveryOf(confirmed({ confirmedAt: "2024-05-15T02:00:00.000Z" })[1]!, confirmed({ confirmedAt: "2024-05-15T02:00:00.000Z" }), AS_OF).proofs[0])
          .toMatchObject({ counted: false, reason: "confirmation-after-sending", vars: { confirmedAt: "2024-05-15", sentAt: "2024-05-10" } });
        const other = confirmed({ sentTo: ADDRESS_B });
        expect(deliveryOf(other[1]!, other, AS_OF).proofs[0]).toMatchObject({ counted: false, reason: "confirmation-other-address" });
        const colleague = confirmed({ by: "colleague" });
        expect(deliveryOf(colleague[1]!, colleague, AS_OF).proofs[0]).toMatchObject({ counted: false, reason: "confirmation-not-addressee" });
        const foreign = confirmed({ claimId: OTHER_CLAIM });
        expect(deliveryOf(foreign[1]!, foreign, AS_OF).proofs[0]).toMatchObject({ counted: false, reason: "confirmation-missing" });
      });
    });

    it("民法典第一百三十七条第二款: an e-mail to the address the debtor designated is delivered when it enters that system; to another one only once opened", () => {
      const designated = withLetter((n) => proof(n, "2024-05-10T03:00:00.000Z", { method: "e-delivery", designated: true }));
      expect(deliveryOf(designated[0]!, designated, AS_OF).delivered).toMatchObject({ deliveredAt: "2024-05-10T03:00:00.000Z" });
      const read = withLetter((n) => proof(n, "2024-05-10T03:00:00.000Z", { method: "e-delivery", designated: false, readAt: "2024-06-02T01:00:00.000Z" }));
      expect(deliveryOf(read[0]!, read, AS_OF).delivered).toMatchObject({ deliveredAt: "2024-06-02T01:00:00.000Z", interruptsAt: "2024-06-02T01:00:00.000Z" });
      const unread = withLetter((n) => proof(n, "2024-05-10T03:00:00.000Z", { method: "e-delivery", designated: false }));
      expect(deliveryOf(unread[0]!, unread, AS_OF)).toMatchObject({ delivered: null, proofs: [{ reason: "e-delivery-unread" }] });
    });

    it("诉讼时效规定第八条第一款第四项; 民事诉讼法第九十五条: an announcement for a debtor whose whereabouts are unknown interrupts on publication, and periods run from 30 days later", () => {
      const rs = withLetter((n) => proof(n, "2024-06-03T00:00:00.000Z", { method: "announcement", medium: "provincial", addresseeMissing: true }));
      expect(deliveryOf(rs[0]!, rs, AS_OF).delivered).toMatchObject({ interruptsAt: "2024-06-03T00:00:00.000Z", deliveredAt: "2024-07-03T00:00:00.000Z" });
      for (const d of [{ medium: "local", addresseeMissing: true }, { medium: "national", addresseeMissing: false }] as const) {
        const no = withLetter((n) => proof(n, "2024-06-03T00:00:00.000Z", { method: "announcement", ...d }));
        expect(deliveryOf(no[0]!, no, AS_OF)).toMatchObject({ delivered: null, proofs: [{ reason: "announcement-not-applicable" }] });
      }
    });

    it("as the dishonest holder: a receipt dated before the letter was sent, one after as-of, and an altered proof count for nothing", () => {
      const backdated = withLetter((n) => proof(n, "2024-05-09T02:00:00.000Z", { method: "signed-receipt" }));
      expect(deliveryOf(backdated[0]!, backdated, AS_OF).proofs[0]).toMatchObject({ counted: false, reason: "before-sent", vars: { date: "2024-05-09", sentAt: "2024-05-10" } });
      const later = withLetter((n) => proof(n, "2025-01-02T02:00:00.000Z", { method: "signed-receipt" }));
      expect(deliveryOf(later[0]!, later, AS_OF).proofs[0]).toMatchObject({ counted: false, reason: "after-as-of" });
      const rs = withLetter((n) => proof(n, "2024-05-13T02:00:00.000Z", { method: "signed-receipt" }));
      rs[1]!.altered = true;
      expect(deliveryOf(rs[0]!, rs, AS_OF)).toMatchObject({ delivered: null, proofs: [{ reason: "altered" }] });
    });

    it("a proof of a call (not a notice) proves nothing; several proofs of one letter — the earliest decides", () => {
      const [call] = chain([{ kind: "call", occurredAt: "2024-05-10T02:00:00.000Z", channel: "phone" }]);
      const calls = chain([{ kind: "call", occurredAt: "2024-05-10T02:00:00.000Z", channel: "phone" }, proof(call!.recordId, "2024-05-11T02:00:00.000Z", { method: "signed-receipt" })]);
      expect(deliveryOf(calls[0]!, calls, AS_OF).proofs[0]).toMatchObject({ reason: "not-a-notice", vars: { kind: "call" } });
      const rs = withLetter(
        (n) => proof(n, "2024-05-20T02:00:00.000Z", { method: "signed-receipt" }),
        (n) => proof(n, "2024-05-12T02:00:00.000Z", { method: "ems", outcome: "signed" }),
      );
      const d = deliveryOf(rs[0]!, rs, AS_OF);
      expect(d.delivered).toMatchObject({ proof: rs[2]!.recordId, deliveredAt: "2024-05-12T02:00:00.000Z" });
      expect(d.proofs.find((p) => p.proof === rs[1]!.recordId)).toMatchObject({ counted: false, reason: "later-than-proven", vars: { earlier: "2024-05-12" } });
    });
  });

  describe("deliveriesOf", () => {
    it("groups proofs by notice; a proof naming a record the claim does not have is listed as unknown-notice", () => {
      const rs = withLetter((n) => proof(n, "2024-05-13T02:00:00.000Z", { method: "signed-receipt" }));
      const stray = chain([letter("2024-05-10T02:00:00.000Z"), proof(h(99), "2024-05-13T02:00:00.000Z", { method: "signed-receipt" })]);
      const all = deliveriesOf([...rs, stray[1]!], AS_OF);
      expect(all.get(rs[0]!.recordId)?.delivered?.proof).toBe(rs[1]!.recordId);
      expect(all.get(h(99))).toMatchObject({ delivered: null, proofs: [{ reason: "unknown-notice" }] });
    });
  });

  describe("noticeWait", () => {
    it("民法典第二百零一条、第二百零三条: a 15-day cure period from delivery on Fri 14 Feb 2025 ends Sat 1 Mar, moved to Mon 3 Mar; before delivery it has not begun", () => {
      expect(noticeWait(null, 15, dayOf("2025-03-10"))).toMatchObject({ status: "awaiting-delivery" });
      const delivered = { notice: h(1), proof: h(2), method: "signed-receipt" as const, deliveredAt: "2025-02-14T02:00:00.000Z", interruptsAt: "2025-02-14T02:00:00.000Z", reason: "signed-receipt" as const };
      expect(noticeWait(delivered, 15, dayOf("2025-03-03"))).toEqual({ status: "running", days: 15, deliveredOn: "2025-02-14", endsAt: "2025-03-01", extendedTo: "2025-03-03", rule: expect.stringContaining("第二百零一条") });
      expect(noticeWait(delivered, 15, dayOf("2025-03-04")).status).toBe("ended");
      // 23:30 UTC on 13 Feb is 07:30 on 14 Feb in China: the China day counts.
      expect(noticeWait({ ...delivered, deliveredAt: "2025-02-13T23:30:00.000Z" }, 15, dayOf("2025-03-01"))).toMatchObject({ deliveredOn: "2025-02-14" });
      expect(noticeWaitText("zh-CN", noticeWait(delivered, 15, dayOf("2025-03-03")))).toContain("2025-03-03");
      expect(noticeWaitText("en", noticeWait(null, 15, 0))).toContain("has not begun");
    });
  });

  describe("deliveryReason", () => {
    it("every reason reads in zh-CN and English; the ones that count cite their article in both", () => {
      for (const [key, texts] of Object.entries(DELIVERY_MESSAGES)) {
        expect(texts["zh-CN"].length, key).toBeGreaterThan(5);
        expect(texts.en.length, key).toBeGreaterThan(5);
      }
      for (const key of ["signed-receipt", "ems-signed", "confirmed-address", "e-delivery-designated", "e-delivery-read", "announcement"] as const) {
        expect(DELIVERY_MESSAGES[key]["zh-CN"], key).toMatch(/第[一二三四五六七八九十百零]+条/);
        expect(DELIVERY_MESSAGES[key].en, key).toMatch(/art\. \d+/);
      }
      expect(deliveryReason("zh-CN", "ems-signed", { date: "2024-05-12", relation: "family" })).toContain("同住成年家属");
      expect(deliveryReason("en", "post-not-signed", { outcome: "refused" })).toContain("(refused)");
    });
  });
});

describe("limitation/records with deliveries", () => {
  function limitationRecords(rs: RecordRef[]): LimitationRecord[] {
    return rs.map((r) => ({ recordId: r.recordId, kind: r.record.kind, occurredAt: r.record.occurredAt, relation: r.record.counterparty?.relation ?? null }));
  }
  const facts = { claimId: CLAIM, maturityAt: "2022-03-01", collateral: false };

  it("民法典第一百九十五条第一项、诉讼时效规定第八条: due 2022-03-01, a letter of 10 May 2024 delivered 13 May 2024 → litigation ends 2027-05-13; without the proof 2025-03-01 (extended to 3 March)", () => {
    const rs = withLetter((n) => proof(n, "2024-05-13T02:00:00.000Z", { method: "signed-receipt" }));
    const asOf = dayOf("2024-12-31");
    const delivered = claimFromRecords(facts, limitationRecords(rs), deliveriesOf(rs, AS_OF));
    expect(delivered.uses[0]).toMatchObject({ event: "events[0]", type: "demand", delivery: { proof: rs[1]!.recordId, method: "signed-receipt" } });
    expect(delivered.uses).toHaveLength(1); // the proof itself is not an event
    expect(claimPeriods(delivered.claim, asOf)[0]).toMatchObject({ kind: "litigation", expiresAt: "2027-05-13" });
    const undelivered = claimFromRecords(facts, limitationRecords(rs.slice(0, 1)), deliveriesOf(rs.slice(0, 1), AS_OF));
    expect(undelivered.uses[0]).toMatchObject({ note: "no-delivery-proof" });
    expect(claimPeriods(undelivered.claim, dayOf("2025-01-01"))[0]).toMatchObject({ expiresAt: "2025-03-01", extendedTo: "2025-03-03" });
  });

  it("诉讼时效规定第八条: an assignment notice counts as a demand only once delivered; a signed 债权确认书 is an acknowledgement", () => {
    const [n0] = chain([{ kind: "assignment-notice", occurredAt: "2024-05-10T02:00:00.000Z" }]);
    const rs = chain([
      { kind: "assignment-notice", occurredAt: "2024-05-10T02:00:00.000Z" },
      proof(n0!.recordId, "2024-05-14T02:00:00.000Z", { method: "ems", outcome: "signed" }),
      { kind: "acknowledgement", occurredAt: "2024-08-01T02:00:00.000Z", direction: "inbound" },
    ]);
    const { uses, claim } = claimFromRecords(facts, limitationRecords(rs), deliveriesOf(rs, AS_OF));
    expect(uses.map((u) => [u.kind, u.type, u.note])).toEqual([["assignment-notice", "demand", undefined], ["acknowledgement", "acknowledgement", undefined]]);
    expect(claimPeriods(claim, dayOf("2024-12-31"))[0]).toMatchObject({ expiresAt: "2027-08-01" });
    const bare = claimFromRecords(facts, limitationRecords(rs.slice(0, 1)));
    expect(bare.uses[0]).toMatchObject({ event: null, note: "assignment-notice" });
  });
});

// Keep the helper types honest: an EvidenceRecord built here validates as the API would store it.
it("the test chain's records validate", () => {
  const rs = withLetter((n) => proof(n, "2024-05-13T02:00:00.000Z", { method: "signed-receipt" }));
  for (const r of rs) expect(validateEvidenceRecord(r.record as EvidenceRecord)).toBeTruthy();
});
