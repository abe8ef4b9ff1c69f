import { describe, it, expect, beforeAll } from "vitest";
import { id } from "ethers";
import { buildBundle, checkBundleIntegrity, type ProofBundle } from "../../src/core/bundle.js";
import { buildTree, initHashing, leafOf } from "../../src/core/merkle.js";
import { createEvidenceRecord, recordHash, contentHashOf, GENESIS_PREV_HASH } from "../../src/core/evidence.js";
import { ValidationError } from "../../src/core/errors.js";
import { documentCommitment } from "../../src/core/commitment.js";

const record = createEvidenceRecord({
  claimId: id("claim"), kind: "visit", channel: "in-person", direction: "outbound", occurredAt: "2026-11-23T03:00:00Z",
  actor: "collector-1", counterparty: { hash: id("salted"), relation: "guarantor" }, contentHash: contentHashOf("visit report"),
  attachments: [contentHashOf("photo 1")],
}, GENESIS_PREV_HASH);
const anchor = { txHash: id("tx"), blockNumber: 12, blockTimestamp: 1_790_000_000, submitter: `0x${"ab".repeat(20)}` };
const contract = `0x${"cd".repeat(20)}`;

describe("bundle", () => {
  let bundle: ProofBundle;
  beforeAll(async () => {
    await initHashing();
    const tree = buildTree([id("x"), recordHash(record), id("y"), id("z")]);
    bundle = buildBundle({ record, tree, index: 1, chainId: 31337n, contract, anchor });
  });

  describe("buildBundle", () => {
    it("carries record, hashes, proof and anchor", () => {
      expect(bundle).toMatchObject({ version: 1, record, recordHash: recordHash(record), leaf: leafOf(recordHash(record)), chainId: 31337, contract, anchor });
      expect(bundle.proof).toHaveLength(2);
    });
    it("refuses a record that is not at the index", () => {
      const tree = buildTree([id("x"), recordHash(record)]);
      expect(() => buildBundle({ record, tree, index: 0, chainId: 1, contract, anchor })).toThrow(ValidationError);
    });
  });

  describe("checkBundleIntegrity", () => {
    it("accepts an intact bundle, also after JSON", () => {
      expect(checkBundleIntegrity(bundle)).toEqual({ ok: true });
      expect(checkBundleIntegrity(JSON.parse(JSON.stringify(bundle)))).toEqual({ ok: true });
    });
    it.each([
      ["record-hash-mismatch", (b: ProofBundle) => ({ ...b, record: { ...b.record, attachments: [contentHashOf("photo 2")] } })],
      ["record-hash-mismatch", (b: ProofBundle) => ({ ...b, recordHash: id("other") })],
      ["leaf-mismatch", (b: ProofBundle) => ({ ...b, leaf: recordHash(record) })],
      ["proof-invalid", (b: ProofBundle) => ({ ...b, proof: [...b.proof].reverse() })],
      ["proof-invalid", (b: ProofBundle) => ({ ...b, proof: [...b.proof, id("extra")] })],
      ["proof-invalid", (b: ProofBundle) => ({ ...b, root: id("root") })],
      ["malformed", () => null],
      ["malformed", (b: ProofBundle) => ({ ...b, version: "1" })],
      ["malformed", (b: ProofBundle) => ({ ...b, proof: Array(65).fill(id("p")) })],
      ["malformed", (b: ProofBundle) => ({ ...b, leaf: "0x1234" })],
      ["malformed", (b: ProofBundle) => ({ ...b, chainId: 0 })],
      ["malformed", (b: ProofBundle) => ({ ...b, contract: "0xabc" })],
      ["malformed", (b: ProofBundle) => ({ ...b, anchor: { ...b.anchor, blockNumber: -1 } })],
      ["malformed", (b: ProofBundle) => ({ ...b, record: { ...b.record, counterparty: { hash: "13800138000", relation: "debtor" } } })],
    ])("reports %s", (reason, tamper) => {
      expect(checkBundleIntegrity(tamper(bundle))).toMatchObject({ ok: false, reason });
    });
    it("a document's salted commitment is recomputed from its salt and the record's content hash", () => {
      const salt = id("salt");
      const document = { salt, commitment: documentCommitment(salt, record.contentHash) };
      const withDocument = buildBundle({ record, tree: buildTree([id("x"), recordHash(record), id("y"), id("z")]), index: 1, chainId: 31337n, contract, anchor, document });
      expect(withDocument.document).toEqual(document);
      expect(checkBundleIntegrity(JSON.parse(JSON.stringify(withDocument)))).toEqual({ ok: true });
      expect(checkBundleIntegrity({ ...withDocument, document: { ...document, salt: id("guess") } })).toEqual({ ok: false, reason: "commitment-mismatch" });
      expect(checkBundleIntegrity({ ...withDocument, document: { ...document, commitment: record.contentHash } })).toEqual({ ok: false, reason: "commitment-mismatch" });
      expect(checkBundleIntegrity({ ...withDocument, document: { salt: "0x12", commitment: document.commitment } })).toEqual({ ok: false, reason: "malformed", detail: "document.salt: bytes32 hex" });
      expect(checkBundleIntegrity({ ...withDocument, document: { ...document, text: "x" } })).toMatchObject({ ok: false, reason: "malformed" });
    });
    it("says what is malformed", () => {
      expect(checkBundleIntegrity({ ...bundle, contract: "0xabc" })).toEqual({ ok: false, reason: "malformed", detail: "contract: address" });
    });
  });
});
