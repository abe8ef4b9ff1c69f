import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import hre from "hardhat";
import { JsonRpcProvider, Wallet, id, type Signer } from "ethers";
import { EvidenceLog__factory, type EvidenceLog } from "../../types/ethers-contracts/index.js";
import { verifyBundleOnChain, BUNDLE_FAILURE_MESSAGES } from "../../src/chain/verify-bundle.js";
import { buildBundle, checkBundleIntegrity, type ProofBundle } from "../../src/core/bundle.js";
import { buildTree, initHashing, type MerkleTree } from "../../src/core/merkle.js";
import {
  createEvidenceRecord, recordHash, contentHashOf, GENESIS_PREV_HASH, type EvidenceRecord,
} from "../../src/core/evidence.js";
import { saltedHash } from "../../src/core/pii.js";
import { roleId } from "../../src/chain/roles.js";
import { documentCommitment } from "../../src/core/commitment.js";

const connection = await hre.network.create();
const { ethers } = connection;

/**
 * The in-process chain behind a real HTTP JSON-RPC endpoint, so the verifier is exercised exactly as a
 * court would run it: `new JsonRpcProvider(url)` and nothing else.
 */
function serveJsonRpc(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const one = async (call: { id: unknown; method: string; params?: unknown[] }) => {
        try {
          return { jsonrpc: "2.0", id: call.id, result: await connection.provider.request({ method: call.method, params: call.params ?? [] }) };
        } catch (error) {
          return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: (error as Error).message } };
        }
      };
      const payload = JSON.parse(body);
      const reply = Array.isArray(payload) ? await Promise.all(payload.map(one)) : await one(payload);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(reply));
    });
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => {
    ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
  }));
}

const SECRET = "deployment-secret-0123456789abcdef";
const CLAIM = id("claim-42");

/** A claim's chain of `n` records plus `fill` other record hashes: one batch. */
function batch(n: number, fill: number, seed: string): { records: EvidenceRecord[]; hashes: string[] } {
  const records: EvidenceRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push(createEvidenceRecord({
      claimId: CLAIM, kind: i % 2 ? "sms" : "call", channel: i % 2 ? "sms" : "phone", direction: "outbound",
      occurredAt: new Date(Date.UTC(2026, 10, 23, 2, i)), actor: `collector-${seed}`,
      counterparty: { hash: saltedHash(SECRET, "13800138000", "phone"), relation: "debtor" },
      contentHash: contentHashOf(`${seed} transcript ${i}`),
    }, i === 0 ? GENESIS_PREV_HASH : recordHash(records[i - 1])));
  }
  return { records, hashes: [...records.map(recordHash), ...Array.from({ length: fill }, (_, i) => id(`${seed}-other-${i}`))] };
}

describe("verifyBundleOnChain", () => {
  let admin: Signer, recorder: Signer;
  let log: EvidenceLog;
  let chainId: number;
  let rpc: { server: Server; url: string };
  let provider: JsonRpcProvider;
  let treeA: MerkleTree, treeB: MerkleTree;
  let recordsA: EvidenceRecord[];
  let bundle: ProofBundle;

  async function anchor(tree: MerkleTree, uri: string) {
    const tx = await log.connect(recorder).anchor(tree.root, tree.length, uri);
    const receipt = (await tx.wait())!;
    const block = (await ethers.provider.getBlock(receipt.blockNumber))!;
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber, blockTimestamp: block.timestamp, submitter: await recorder.getAddress() };
  }

  beforeAll(async () => {
    await initHashing();
    [admin, recorder] = await ethers.getSigners();
    log = await new EvidenceLog__factory(admin).deploy(await admin.getAddress());
    await log.waitForDeployment();
    await (await log.grantRole(roleId("RECORDER"), await recorder.getAddress())).wait();
    chainId = Number((await ethers.provider.getNetwork()).chainId);

    const a = batch(4, 60, "A");
    recordsA = a.records;
    treeA = buildTree(a.hashes);
    treeB = buildTree(batch(3, 20, "B").hashes);
    const anchorA = await anchor(treeA, "ipfs://batch-a");
    await anchor(treeB, "ipfs://batch-b");
    bundle = buildBundle({ record: recordsA[2], tree: treeA, index: 2, chainId, contract: await log.getAddress(), anchor: anchorA });

    rpc = await serveJsonRpc();
    provider = new JsonRpcProvider(rpc.url, undefined, { cacheTimeout: -1 });
  });

  afterAll(async () => {
    provider?.destroy();
    await new Promise((ok) => rpc?.server.close(ok));
  });

  it("verifies a bundle built from our tree and anchored by EvidenceLog", async () => {
    expect(checkBundleIntegrity(bundle)).toEqual({ ok: true });
    const result = await verifyBundleOnChain(bundle, provider);
    expect(result).toEqual({
      verified: true, anchoredAt: bundle.anchor.blockTimestamp, blockNumber: bundle.anchor.blockNumber,
      txHash: bundle.anchor.txHash, chainId, contract: bundle.contract,
    });
  });

  it("verifies every record of the batch, and survives a JSON round trip", async () => {
    for (let i = 0; i < recordsA.length; i++) {
      const b = JSON.parse(JSON.stringify({ ...bundle, ...buildBundle({ ...bundle, record: recordsA[i], tree: treeA, index: i }) }));
      expect((await verifyBundleOnChain(b, provider)).verified).toBe(true);
    }
  });

  const flip = (hash: string) => `0x${(BigInt(hash) ^ 1n).toString(16).padStart(64, "0")}`;
  const tampered: [string, (b: ProofBundle) => unknown, string][] = [
    ["record", (b) => ({ ...b, record: { ...b.record, actor: "someone-else" } }), "record-hash-mismatch"],
    ["record.occurredAt", (b) => ({ ...b, record: { ...b.record, occurredAt: "2026-11-24T02:02:00.000Z" } }), "record-hash-mismatch"],
    ["recordHash", (b) => ({ ...b, recordHash: flip(b.recordHash) }), "record-hash-mismatch"],
    ["leaf", (b) => ({ ...b, leaf: flip(b.leaf) }), "leaf-mismatch"],
    ["proof element", (b) => ({ ...b, proof: [flip(b.proof[0]), ...b.proof.slice(1)] }), "proof-invalid"],
    ["proof length", (b) => ({ ...b, proof: b.proof.slice(1) }), "proof-invalid"],
    ["root", (b) => ({ ...b, root: flip(b.root) }), "proof-invalid"],
    ["chainId", (b) => ({ ...b, chainId: b.chainId + 1 }), "chain-mismatch"],
    ["contract", (b) => ({ ...b, contract: Wallet.createRandom().address }), "no-contract"],
    ["anchor.blockNumber", (b) => ({ ...b, anchor: { ...b.anchor, blockNumber: b.anchor.blockNumber - 1 } }), "anchor-mismatch"],
    ["anchor.blockTimestamp", (b) => ({ ...b, anchor: { ...b.anchor, blockTimestamp: b.anchor.blockTimestamp - 60 } }), "anchor-mismatch"],
    ["anchor.submitter", (b) => ({ ...b, anchor: { ...b.anchor, submitter: Wallet.createRandom().address } }), "anchor-mismatch"],
    ["anchor.txHash", (b) => ({ ...b, anchor: { ...b.anchor, txHash: flip(b.anchor.txHash) } }), "anchor-tx-not-found"],
    ["version", (b) => ({ ...b, version: 2 }), "malformed"],
    ["record field", (b) => ({ ...b, record: { ...b.record, phone: "13800138000" } }), "malformed"],
    ["proof type", (b) => ({ ...b, proof: "0x00" }), "malformed"],
    ["anchor", (b) => ({ ...b, anchor: undefined }), "malformed"],
  ];
  it.each(tampered)("a tampered %s fails with the right reason", async (_field, tamper, reason) => {
    const result = await verifyBundleOnChain(tamper(bundle) as ProofBundle, provider);
    expect(result.verified).toBe(false);
    expect(result.reason).toBe(reason);
    expect(BUNDLE_FAILURE_MESSAGES[result.reason!]["zh-CN"]).toBeTruthy();
  });

  it("a bundle carrying a document commitment verifies when salt and content hash give the commitment, not otherwise", async () => {
    const salt = id("notice salt");
    const good = { ...bundle, document: { salt, commitment: documentCommitment(salt, bundle.record.contentHash) } };
    expect((await verifyBundleOnChain(JSON.parse(JSON.stringify(good)), provider)).verified).toBe(true);
    const wrong = { ...good, document: { ...good.document, salt: id("guessed salt") } };
    expect(await verifyBundleOnChain(wrong, provider)).toMatchObject({ verified: false, reason: "commitment-mismatch" });
    expect(BUNDLE_FAILURE_MESSAGES["commitment-mismatch"]["zh-CN"]).toBeTruthy();
  });

  it("a proof from batch A does not verify against batch B", async () => {
    const against = { ...bundle, root: treeB.root };
    expect(checkBundleIntegrity(against)).toEqual({ ok: false, reason: "proof-invalid" });
    expect((await verifyBundleOnChain(against, provider)).reason).toBe("proof-invalid");
    expect(await log.verifyRecord(bundle.recordHash, bundle.proof, treeB.root)).toBe(false);
    expect(await log.verifyRecord(bundle.recordHash, bundle.proof, treeA.root)).toBe(true);
  });

  it("a consistent bundle of a batch that was never anchored fails", async () => {
    const unanchored = buildTree([...treeA.recordHashes, id("one more")]);
    const b = buildBundle({ record: recordsA[0], tree: unanchored, index: 0, chainId, contract: bundle.contract, anchor: bundle.anchor });
    expect(checkBundleIntegrity(b).ok).toBe(true);
    expect(await verifyBundleOnChain(b, provider)).toMatchObject({ verified: false, reason: "root-not-anchored" });
  });

  it("another EvidenceLog (other deployment) has not anchored the root", async () => {
    const other = await new EvidenceLog__factory(admin).deploy(await admin.getAddress());
    const result = await verifyBundleOnChain({ ...bundle, contract: await other.getAddress() }, provider);
    expect(result).toMatchObject({ verified: false, reason: "root-not-anchored" });
  });

  it("a transaction in the anchoring block that did not emit the root's event fails", async () => {
    const treeC = buildTree(batch(2, 5, "C").hashes);
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      const anchorTx = await log.connect(recorder).anchor(treeC.root, treeC.length, "ipfs://batch-c");
      const otherTx = await log.connect(admin).grantRole(roleId("RECORDER"), Wallet.createRandom().address);
      await ethers.provider.send("evm_mine", []);
      const [r1, r2] = [(await anchorTx.wait())!, (await otherTx.wait())!];
      expect(r2.blockNumber).toBe(r1.blockNumber);
      const block = (await ethers.provider.getBlock(r1.blockNumber))!;
      const anchorC = { txHash: r1.hash, blockNumber: r1.blockNumber, blockTimestamp: block.timestamp, submitter: await recorder.getAddress() };
      const treeCRecords = batch(2, 5, "C").records;
      const b = buildBundle({ record: treeCRecords[1], tree: treeC, index: 1, chainId, contract: bundle.contract, anchor: anchorC });
      expect((await verifyBundleOnChain(b, provider)).verified).toBe(true);
      const wrongTx = await verifyBundleOnChain({ ...b, anchor: { ...anchorC, txHash: r2.hash } }, provider);
      expect(wrongTx).toMatchObject({ verified: false, reason: "anchor-log-missing" });
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
  });
});
