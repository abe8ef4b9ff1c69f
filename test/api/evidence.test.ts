import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startStack, call, claimRequest, appScope, type TestStack } from "../helpers/stack.js";
import { contentHashOf } from "../../src/core/evidence.js";
import { EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { advanceChain, chainTimeMs, chinaTime, DAY_MS } from "../helpers/clock.js";

let stack: TestStack;
let claimId: string;
let otherClaimId: string;
let amc: string;
let n = 0;
/** Block time (ms) of the sale to dev-amc: contacts are dated on the days after it (the chain is moved 14 days on). */
let soldAt: number;
/** `hh:mm` China time on the `d`-th day after the sale. */
const at = (d: number, hhmm: string) => chinaTime(soldAt, d, hhmm);

/** An evidence request for `claim`; a call at 10:00 Shanghai time on a fresh day unless overridden. */
function contact(claim: string, overrides: Record<string, unknown> = {}) {
  n++;
  return {
    claimId: claim,
    kind: "call",
    channel: "phone",
    direction: "outbound",
    occurredAt: at(2, "10:00"),
    actor: "collector-007",
    counterparty: { name: "张三", phone: "13800138000", relation: "debtor" },
    content: `通话记录 ${n}: 债务人承诺月底前还款。Call transcript ${n}: promised to pay by month end.`,
    ...overrides,
  };
}

async function register(contractNo: string, idNumber: string): Promise<string> {
  const r = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(contractNo, {
    debtor: { name: "李四", idNumber, phone: "13900139000", type: "retail", debtorId: `D-${contractNo}` },
  }));
  expect(r.status).toBe(201);
  return r.body.claimId;
}

beforeAll(async () => {
  // Batches close at 8 records, or by flush; the age rule is set out of the way here.
  stack = await startStack({ EVIDENCE_BATCH_SIZE: "8", EVIDENCE_BATCH_AGE_MS: "3600000" });
  claimId = await register("EV-001", "110101199001011237");
  otherClaimId = await register("EV-002", "110101199202022346");
  amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", {
    claimIds: [claimId, otherClaimId], to: amc, packageId: "PKG-EV", price: "1000", notice: "债权转让通知",
  });
  expect(sold.status).toBe(201);
  soldAt = await chainTimeMs(stack.chainUrl);
  await advanceChain(stack.chainUrl, 14 * DAY_MS);
}, 120_000);
afterAll(async () => stack?.stop());

describe("evidence routes", () => {
  describe("POST /v1/evidence", () => {
    it("accepts a compliant contact from the holder's collector as pending, durable, linked to the claim's chain", async () => {
      const first = await call(stack, "POST", "/v1/evidence", "dev-collector", contact(claimId, { occurredAt: at(1, "09:00") }));
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: "pending", seq: 0, prevHash: `0x${"0".repeat(64)}` });
      const second = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(claimId, { occurredAt: at(1, "11:00"), kind: "sms", channel: "sms" }));
      expect(second.status).toBe(201);
      expect(second.body.prevHash).toBe(first.body.recordId);
      expect(second.body.seq).toBe(1);
      const receipt = await call(stack, "GET", `/v1/evidence/${first.body.recordId}/receipt`, "dev-amc");
      expect(receipt.body).toMatchObject({ status: "pending", recordId: first.body.recordId });
      // A court sees a claim's records once its case is before it (issue 14); this one has no dispute.
      expect((await call(stack, "GET", `/v1/evidence/${first.body.recordId}/receipt`, "dev-court")).status).toBe(403);
    });

    it("refuses a caller that does not hold the claim (the bank sold it) with 403", async () => {
      const r = await call(stack, "POST", "/v1/evidence", "dev-bank", contact(claimId));
      expect(r.status).toBe(403);
    });

    it("names the field of bad input with 400, and needs a key (401)", async () => {
      const noContent = await call(stack, "POST", "/v1/evidence", "dev-amc", { ...contact(claimId), content: undefined });
      expect(noContent.status).toBe(400);
      expect(noContent.body.field).toBe("content");
      const badKind = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(claimId, { kind: "threat" }));
      expect(badKind.status).toBe(400);
      expect(badKind.body.field).toBe("body.kind");
      const future = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(claimId, { occurredAt: new Date(Date.now() + 400 * DAY_MS).toISOString() }));
      expect(future.status).toBe(400);
      expect(future.body).toMatchObject({ field: "occurredAt", rule: "not-in-the-future" });
      const noKey = await call(stack, "POST", "/v1/evidence", undefined, contact(claimId));
      expect(noKey.status).toBe(401);
      const unknown = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(`0x${"ab".repeat(32)}`));
      expect(unknown.status).toBe(404);
    });
  });

  describe("compliance", () => {
    it("refuses contacts outside hours, with third parties and over the daily cap with 422 naming the rule, and logs each refusal", async () => {
      const late = await call(stack, "POST", "/v1/evidence", "dev-collector", contact(otherClaimId, { occurredAt: at(3, "21:30") }));
      expect(late.status).toBe(422);
      expect(late.body).toMatchObject({ error: "COMPLIANCE", rule: "contact-hours" });
      expect(late.body.details.messages["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
      const family = await call(stack, "POST", "/v1/evidence", "dev-collector", contact(otherClaimId, {
        occurredAt: at(3, "10:00"), counterparty: { name: "王五", relation: "family" },
      }));
      expect(family.status).toBe(422);
      expect(family.body.rule).toBe("third-party");
      for (const hour of ["09", "10", "11"]) {
        const ok = await call(stack, "POST", "/v1/evidence", "dev-collector", contact(otherClaimId, { occurredAt: at(4, `${hour}:00`) }));
        expect(ok.status).toBe(201);
      }
      const fourth = await call(stack, "POST", "/v1/evidence", "dev-collector", contact(otherClaimId, { occurredAt: at(4, "15:00") }));
      expect(fourth.status).toBe(422);
      expect(fourth.body.rule).toBe("daily-cap");
      // A letter does not count towards the cap and is not a call at night.
      const letter = await call(stack, "POST", "/v1/evidence", "dev-collector", contact(otherClaimId, { kind: "letter", channel: "post", occurredAt: at(4, "16:00") }));
      expect(letter.status).toBe(201);
      const audit = await call(stack, "GET", `/v1/evidence/refused?claimId=${otherClaimId}`, "dev-admin");
      expect(audit.status).toBe(200);
      expect(audit.body.refused.map((r: { rule: string }) => r.rule).sort()).toEqual(["contact-hours", "daily-cap", "third-party"]);
      expect(JSON.stringify(audit.body)).not.toContain("王五");
    });
  });

  describe("batches, receipts and verification", () => {
    let recordA: string;
    let bundleA: any;
    let bundleB: any;
    const fileText = "催收函 Demand letter EV-001: 请于十五日内偿还欠款。";

    it("flush closes a batch and anchors it; the receipt becomes a proof bundle", async () => {
      const letter = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(claimId, {
        kind: "letter", channel: "post", occurredAt: at(5, "10:00"), content: fileText,
      }));
      expect(letter.status).toBe(201);
      recordA = letter.body.recordId;
      const flushed = await call(stack, "POST", "/v1/evidence/flush", "dev-admin");
      expect(flushed.status).toBe(200);
      expect(flushed.body).toMatchObject({ closed: true, status: "anchored" });
      const receipt = await call(stack, "GET", `/v1/evidence/${recordA}/receipt`, "dev-amc");
      expect(receipt.body.status).toBe("anchored");
      expect(receipt.body.root).toBe(flushed.body.root);
      expect(receipt.body.contract).toBe(stack.deployment.contracts.EvidenceLog.address);
      bundleA = { ...receipt.body };
      delete bundleA.status;
      // The root is on chain, emitted as the first indexed topic of RootAnchored.
      const provider = new JsonRpcProvider(stack.chainUrl);
      const log = EvidenceLog__factory.connect(stack.deployment.contracts.EvidenceLog.address, provider);
      const events = await log.queryFilter(log.filters.RootAnchored(bundleA.root));
      expect(events).toHaveLength(1);
      expect(events[0].topics[1]).toBe(bundleA.root);
      provider.destroy();
      expect(await call(stack, "POST", "/v1/evidence/flush", "dev-court")).toMatchObject({ status: 403 });
    });

    it("POST /v1/verify (no key) verifies the bundle and refuses any changed field with the reason", async () => {
      const ok = await call(stack, "POST", "/v1/verify", undefined, bundleA);
      expect(ok.body).toMatchObject({ verified: true, txHash: bundleA.anchor.txHash, blockNumber: bundleA.anchor.blockNumber });
      expect((await call(stack, "POST", "/v1/verify", undefined, { bundle: bundleA })).body.verified).toBe(true);

      const tampered: Array<[string, (b: any) => void, string]> = [
        ["record.occurredAt", (b) => (b.record.occurredAt = new Date(Date.parse(b.record.occurredAt) + 1000).toISOString()), "record-hash-mismatch"],
        ["record.kind", (b) => (b.record.kind = "visit"), "record-hash-mismatch"],
        ["record.contentHash", (b) => (b.record.contentHash = contentHashOf("something else")), "record-hash-mismatch"],
        ["recordHash", (b) => (b.recordHash = contentHashOf("x")), "record-hash-mismatch"],
        ["leaf", (b) => (b.leaf = contentHashOf("y")), "leaf-mismatch"],
        ["proof", (b) => (b.proof = [contentHashOf("z"), ...b.proof]), "proof-invalid"],
        ["chainId", (b) => (b.chainId = 1), "chain-mismatch"],
        ["anchor.blockNumber", (b) => (b.anchor.blockNumber += 1), "anchor-mismatch"],
        ["anchor.txHash", (b) => (b.anchor.txHash = contentHashOf("t")), "anchor-tx-not-found"],
        ["version", (b) => (b.version = 2), "malformed"],
      ];
      for (const [field, change, reason] of tampered) {
        const b = structuredClone(bundleA);
        change(b);
        const r = await call(stack, "POST", "/v1/verify", undefined, b);
        expect({ field, ...r.body }).toMatchObject({ field, verified: false, reason });
        expect(r.body.messages.en.length).toBeGreaterThan(0);
      }
    });

    it("a file is verified by its hash: as raw bytes or as {contentHash}; an unknown file is not", async () => {
      const raw = await fetch(`${stack.baseUrl}/v1/verify`, { method: "POST", headers: { "content-type": "application/octet-stream", authorization: "Bearer dev-amc" }, body: Buffer.from(fileText, "utf8") });
      const byFile = (await raw.json()) as any;
      expect(byFile).toMatchObject({ verified: true, recordId: recordA, contentHash: contentHashOf(fileText), detailsRedacted: false });
      expect(byFile.bundle.recordHash).toBe(recordA);
      const byHash = await call(stack, "POST", "/v1/verify", "dev-amc", { contentHash: contentHashOf(fileText) });
      expect(byHash.body).toMatchObject({ verified: true, recordId: recordA });
      const unknown = await call(stack, "POST", "/v1/verify", undefined, { contentHash: contentHashOf("never recorded") });
      expect(unknown.body).toMatchObject({ verified: false, reason: "unknown-content" });
    });

    it("a content hash without a key that may read the claim confirms only verified and the anchor, never the record or its claim", async () => {
      const hash = contentHashOf(fileText);
      for (const key of [undefined, "dev-amc2"]) {
        const r = await call(stack, "POST", "/v1/verify", key, { contentHash: hash });
        expect(r.status).toBe(200);
        expect({ key, ...r.body }).toMatchObject({ key, verified: true, detailsRedacted: true, txHash: bundleA.anchor.txHash, blockNumber: bundleA.anchor.blockNumber });
        expect(r.body.bundle).toBeUndefined();
        expect(r.body.recordId).toBeUndefined();
        expect(r.body.records).toBeUndefined();
        expect(JSON.stringify(r.body)).not.toContain(claimId.slice(2));
        const file = await fetch(`${stack.baseUrl}/v1/verify`, { method: "POST", headers: { "content-type": "text/plain", ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: fileText });
        const body = (await file.json()) as any;
        expect(body).toMatchObject({ verified: true, detailsRedacted: true });
        expect(JSON.stringify(body)).not.toContain(claimId.slice(2));
      }
    });

    it("JSON over 1 MiB is refused with 413; a 20 MiB file streams through and verifies (or not) by its hash", async () => {
      const big = await call(stack, "POST", "/v1/verify", undefined, { contentHash: contentHashOf("x"), padding: "x".repeat(1024 * 1024 + 10) });
      expect(big.status).toBe(413);
      // A 20 MiB file recorded by its hash, then posted raw: hashed as it streams (the JSON limit is 1 MiB).
      const bytes = Buffer.alloc(20 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE((i * 2654435761) >>> 0, i);
      const hash = contentHashOf(bytes);
      const rec = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(claimId, {
        kind: "valuation", channel: "system", direction: "internal", counterparty: undefined,
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(), content: undefined, contentHash: hash,
      }));
      expect(rec.status).toBe(201);
      expect((await call(stack, "POST", "/v1/evidence/flush", "dev-admin")).body.status).toBe("anchored");
      const post = async (body: Buffer) => {
        const res = await fetch(`${stack.baseUrl}/v1/verify`, { method: "POST", headers: { "content-type": "application/octet-stream", authorization: "Bearer dev-amc" }, body: new Uint8Array(body) });
        return { status: res.status, body: (await res.json()) as any };
      };
      const ok = await post(bytes);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ verified: true, contentHash: hash, recordId: rec.body.recordId });
      bytes[bytes.length - 1] ^= 1;
      const changed = await post(bytes);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ verified: false, reason: "unknown-content", contentHash: contentHashOf(bytes) });
    }, 60_000);

    it("anonymous verification is limited per IP (the 61st call in a minute is 429); a keyed caller is not limited by it", async () => {
      const from = (remoteAddress: string, key?: string) => stack.api.inject({
        method: "POST", url: "/v1/verify", remoteAddress,
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        payload: JSON.stringify({ contentHash: contentHashOf("guess") }),
      });
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) statuses.push((await from("10.61.0.1")).statusCode);
      expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
      expect(statuses[60]).toBe(429);
      expect((await from("10.61.0.1")).statusCode).toBe(429);
      // The same address with a key: its key's own (general) limit, not the anonymous one.
      for (let i = 0; i < 5; i++) expect((await from("10.61.0.1", "dev-court")).statusCode).toBe(200);
      // Another address is not affected.
      expect((await from("10.61.0.2")).statusCode).toBe(200);
    });

    it("batches close on size by themselves; a proof from batch A does not verify against batch B", async () => {
      // Eight letters on a fresh claim: the batch size is 8, so the batcher closes and anchors them alone.
      const third = await register("EV-003", "110101199303033458");
      await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [third], to: amc, packageId: "PKG-EV3", price: "1", notice: "通知" });
      const thirdSoldAt = await chainTimeMs(stack.chainUrl); // letters are not bound to contact hours: dated just after this sale
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await call(stack, "POST", "/v1/evidence", "dev-amc", contact(third, { kind: "letter", channel: "post", occurredAt: new Date(thirdSoldAt + i * 1000).toISOString() }));
        expect(r.status).toBe(201);
        ids.push(r.body.recordId);
      }
      let receipt: any;
      for (let t = 0; t < 100; t++) {
        receipt = (await call(stack, "GET", `/v1/evidence/${ids[7]}/receipt`, "dev-amc")).body;
        if (receipt.status === "anchored") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(receipt.status).toBe("anchored");
      bundleB = { ...receipt };
      delete bundleB.status;
      expect(bundleB.root).not.toBe(bundleA.root);
      expect((await call(stack, "POST", "/v1/verify", undefined, bundleB)).body.verified).toBe(true);
      // A's record and proof under B's (anchored) root and anchor.
      const mixed = { ...structuredClone(bundleA), root: bundleB.root, anchor: bundleB.anchor };
      const r = await call(stack, "POST", "/v1/verify", undefined, mixed);
      expect(r.body).toMatchObject({ verified: false, reason: "proof-invalid" });
    });
  });

  describe("POST /v1/evidence/batch", () => {
    it("accepts valid items, refuses bad ones by index with the field or the rule", async () => {
      const r = await call(stack, "POST", "/v1/evidence/batch", "dev-collector", {
        records: [
          contact(claimId, { occurredAt: at(10, "10:00") }),
          { ...contact(claimId), kind: "threat" },
          contact(claimId, { occurredAt: at(10, "23:00") }),
          contact(claimId, { direction: "inbound", occurredAt: at(10, "23:30") }),
        ],
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ accepted: 2, refused: 2 });
      expect(r.body.results[1].error).toMatchObject({ error: "VALIDATION", field: "records[1].kind" });
      expect(r.body.results[2].error).toMatchObject({ error: "COMPLIANCE", rule: "contact-hours" });
      expect(r.body.results[3].prevHash).toBe(r.body.results[0].recordId);
    });
  });

  describe("GET /v1/claims/:claimId/evidence", () => {
    it("lists the chain in order, complete; a deleted record is named", async () => {
      const list = await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc");
      expect(list.status).toBe(200);
      expect(list.body.complete).toBe(true);
      const records = list.body.records;
      expect(records.length).toBeGreaterThanOrEqual(5);
      records.forEach((r: any, i: number) => expect(r.seq).toBe(i));
      expect(records[0].content).toMatch(/通话记录/);
      // The operator's admin reads the records without personal data: no content or counterparty in clear.
      const redacted = await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-admin");
      expect(redacted.body.personalDataRedacted).toBe(true);
      expect(JSON.stringify(redacted.body)).not.toContain("张三");
      // Another AMC reads none of it (issue 14).
      expect((await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc2")).status).toBe(403);

      // Someone deletes record #2 from the store behind the API's back.
      const victim = records[2].recordId;
      await appScope(stack.api).store.sub("evidence").del(victim);
      const broken = await call(stack, "GET", `/v1/claims/${claimId}/evidence`, "dev-amc");
      expect(broken.body.complete).toBe(false);
      expect(broken.body.breaks).toEqual([expect.objectContaining({ reason: "missing-previous", missingRecordId: victim })]);
    });
  });
});
