import { describe, it, expect } from "vitest";
import { keccak256, toUtf8Bytes, id } from "ethers";
import {
  createEvidenceRecord, validateEvidenceRecord, recordHash, contentHashOf, checkChain, GENESIS_PREV_HASH,
  type EvidenceInput, type EvidenceRecord,
} from "../../src/core/evidence.js";
import { canonicalJson } from "../../src/core/canonical.js";
import { saltedHash } from "../../src/core/pii.js";
import { ValidationError } from "../../src/core/errors.js";

const SECRET = "deployment-secret-0123456789abcdef";
const CLAIM = id("claim-1");

function input(n: number, overrides: Partial<EvidenceInput> = {}): EvidenceInput {
  return {
    claimId: CLAIM, kind: "call", channel: "phone", direction: "outbound",
    occurredAt: new Date(Date.UTC(2026, 10, 23, 2, n)), actor: "collector-7",
    counterparty: { hash: saltedHash(SECRET, "13800138000", "phone"), relation: "debtor" },
    contentHash: contentHashOf(`transcript ${n}`),
    ...overrides,
  };
}

/** A claim's chain of `n` records, linked as the API would write them. */
function chain(n: number): EvidenceRecord[] {
  const out: EvidenceRecord[] = [];
  for (let i = 0; i < n; i++) out.push(createEvidenceRecord(input(i), i === 0 ? GENESIS_PREV_HASH : recordHash(out[i - 1])));
  return out;
}

describe("evidence", () => {
  describe("createEvidenceRecord / validateEvidenceRecord", () => {
    it("normalises spellings so the same facts give the same hash", () => {
      const a = createEvidenceRecord(input(1), GENESIS_PREV_HASH);
      const b = createEvidenceRecord(input(1, {
        claimId: CLAIM.toUpperCase().replace("0X", "0x"), occurredAt: "2026-11-23T10:01:00+08:00", attachments: [],
      }), GENESIS_PREV_HASH.toUpperCase().replace("0X", "0x"));
      expect(b).toEqual(a);
      expect(recordHash(b)).toBe(recordHash(a));
      expect(a.occurredAt).toBe("2026-11-23T02:01:00.000Z");
      expect("attachments" in a).toBe(false);
    });
    it("hashes exactly the canonical JSON bytes", () => {
      const r = createEvidenceRecord(input(2, { attachments: [id("photo")] }), GENESIS_PREV_HASH);
      expect(recordHash(r)).toBe(keccak256(toUtf8Bytes(canonicalJson(r))));
      expect(recordHash({ ...r, attachments: [id("other")] })).not.toBe(recordHash(r));
    });
    it("keeps personal data out: the counterparty is a salted hash", () => {
      const r = createEvidenceRecord(input(3), GENESIS_PREV_HASH);
      expect(canonicalJson(r)).not.toMatch(/13800138000/);
    });
    it.each([
      ["claimId", { claimId: "0x1234" }],
      ["kind", { kind: "threat" }],
      ["channel", { channel: "fax" }],
      ["direction", { direction: "sideways" }],
      ["occurredAt", { occurredAt: "2026-11-23T02:01:00Z" }],
      ["actor", { actor: "张三 138" }],
      ["counterparty.hash", { counterparty: { hash: "13800138000", relation: "debtor" } }],
      ["counterparty.relation", { counterparty: { hash: id("x"), relation: "neighbour" } }],
      ["counterparty", { counterparty: null }],
      ["contentHash", { contentHash: id("x").toUpperCase() }],
      ["attachments", { attachments: [] }],
      ["prevHash", { prevHash: "0x" }],
      ["phone", { phone: "13800138000" }],
    ])("refuses a bad %s naming it", (field, patch) => {
      const good = createEvidenceRecord(input(4), GENESIS_PREV_HASH);
      try { validateEvidenceRecord({ ...good, ...patch }); expect.unreachable(); } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe(field);
      }
    });
    it("wants no counterparty on internal records (valuation)", () => {
      const v = createEvidenceRecord(input(5, { kind: "valuation", channel: "system", direction: "internal", counterparty: null }), GENESIS_PREV_HASH);
      expect(v.counterparty).toBeNull();
      expect(() => validateEvidenceRecord({ ...v, counterparty: input(0).counterparty })).toThrow(/null-when-internal/);
    });
  });

  describe("checkChain", () => {
    it("accepts an intact chain", () => {
      const records = chain(5);
      expect(checkChain(records)).toEqual({ complete: true, breaks: [] });
      expect(checkChain(records, { head: recordHash(records[4]) }).complete).toBe(true);
      expect(checkChain([]).complete).toBe(true);
    });
    it("finds each deleted record, including the first", () => {
      const records = chain(6);
      for (let gone = 0; gone < 5; gone++) {
        const rest = records.filter((_, i) => i !== gone);
        expect(checkChain(rest).breaks).toEqual([{ index: gone, recordId: recordHash(rest[gone]), reason: "missing-previous" }]);
      }
    });
    it("finds a deleted last record against the known head", () => {
      const records = chain(4);
      const head = recordHash(records[3]);
      expect(checkChain(records.slice(0, 3)).complete).toBe(true); // a chain alone cannot tell
      expect(checkChain(records.slice(0, 3), { head }).breaks).toEqual([{ index: 3, recordId: head, reason: "missing-previous" }]);
    });
    it("names an altered record when the stored hash is known, once", () => {
      const records = chain(5);
      const entries = records.map((record) => ({ record, recordHash: recordHash(record), id: `ev-${record.occurredAt}` }));
      entries[2] = { ...entries[2], record: { ...entries[2].record, contentHash: contentHashOf("edited transcript") } };
      expect(checkChain(entries).breaks).toEqual([{ index: 2, recordId: entries[2].id, reason: "altered" }]);
    });
    it("without stored hashes, an altered record breaks the next link", () => {
      const records = chain(4);
      records[1] = { ...records[1], actor: "someone-else" };
      expect(checkChain(records).breaks.map((b) => [b.index, b.reason])).toEqual([[2, "missing-previous"]]);
    });
    it("flags a record of another claim spliced in", () => {
      const records = chain(3);
      const foreign = createEvidenceRecord(input(9, { claimId: id("claim-2") }), recordHash(records[2]));
      expect(checkChain([...records, foreign]).breaks).toEqual([{ index: 3, recordId: recordHash(foreign), reason: "missing-previous" }]);
    });
    it("flags reordered records", () => {
      const records = chain(4);
      const swapped = [records[0], records[2], records[1], records[3]];
      expect(checkChain(swapped).breaks.map((b) => b.index)).toEqual([1, 2, 3]);
    });
  });
});
