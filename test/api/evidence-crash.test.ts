import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { JsonRpcProvider } from "ethers";
import { EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { startStack, freePort, claimRequest, type TestStack } from "../helpers/stack.js";

let stack: TestStack;
let provider: JsonRpcProvider;
let port: number;
let child: ChildProcess | undefined;

beforeAll(async () => {
  stack = await startStack();
  await stack.api.close(); // the API runs as a separate process this test can kill
  provider = new JsonRpcProvider(stack.chainUrl);
  port = await freePort();
}, 120_000);
afterAll(async () => {
  child?.kill("SIGKILL");
  provider?.destroy();
  await stack?.stop();
});

async function spawnApi(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", resolve("src/api/server.ts")], {
    env: {
      ...process.env, DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: stack.chainUrl, DATA_DIR: stack.dataDir, PORT: String(port),
      LOG_LEVEL: "silent", EVIDENCE_BATCH_SIZE: "16", EVIDENCE_BATCH_AGE_MS: "3600000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 90_000; // a loaded machine starts tsx slowly
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return proc;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("API did not start");
}

function kill9(proc: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    proc.once("exit", () => ok());
    proc.kill("SIGKILL");
  });
}

async function api(method: string, path: string, key: string | undefined, body?: unknown): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { ...((await res.json()) as object), http: res.status };
}

let letterNo = 0;
/** Block time (ms) of the claim's sale: the letters are dated a second apart after it. */
let soldAt = 0;
function letter(claimId: string) {
  letterNo++;
  return {
    claimId, kind: "letter", channel: "post", direction: "outbound", actor: "system",
    occurredAt: new Date(soldAt + letterNo * 1000).toISOString(),
    counterparty: { phone: "13800138000", relation: "debtor" },
    content: `催收函 No.${letterNo} / demand letter No.${letterNo}`,
  };
}

/** Every RootAnchored event of the deployment: root → count. */
async function anchoredRoots(): Promise<Map<string, number>> {
  const log = EvidenceLog__factory.connect(stack.deployment.contracts.EvidenceLog.address, provider);
  const events = await log.queryFilter(log.filters.RootAnchored(), 0);
  const roots = new Map<string, number>();
  for (const e of events) {
    expect(roots.has(e.args.root), `root ${e.args.root} anchored twice`).toBe(false);
    roots.set(e.args.root, Number(e.args.count));
  }
  return roots;
}

async function waitAnchored(recordIds: string[]): Promise<Map<string, any>> {
  const bundles = new Map<string, any>();
  const deadline = Date.now() + 60_000;
  while (bundles.size < recordIds.length && Date.now() < deadline) {
    await api("POST", "/v1/evidence/flush", "dev-admin");
    for (const id of recordIds) {
      if (bundles.has(id)) continue;
      const r = await api("GET", `/v1/evidence/${id}/receipt`, "dev-amc");
      if (r.http === 200 && r.root) bundles.set(id, r);
    }
  }
  return bundles;
}

describe("evidence service", () => {
  describe("crash between accept and anchor", () => {
    let claimId: string;
    const acknowledged: string[] = [];

    it("after SIGKILL right after the 201s, every acknowledged record is anchored exactly once", async () => {
      child = await spawnApi();
      const reg = await api("POST", "/v1/claims", "dev-bank", claimRequest("CRASH-EV-1"));
      expect(reg.http).toBe(201);
      claimId = reg.claimId;
      const amc = (await api("GET", "/v1/me", "dev-amc")).address;
      expect((await api("POST", "/v1/assignments", "dev-bank", { claimIds: [claimId], to: amc, packageId: "P-CRASH", price: "1", notice: "通知" })).http).toBe(201);
      soldAt = (await provider.getBlock("latest"))!.timestamp * 1000;

      // 36 records: two full batches of 16 close and start anchoring by themselves; 4 wait.
      const batch = await api("POST", "/v1/evidence/batch", "dev-amc", { records: Array.from({ length: 30 }, () => letter(claimId)) });
      expect(batch.accepted).toBe(30);
      acknowledged.push(...batch.results.map((r: { recordId: string }) => r.recordId));
      for (let i = 0; i < 6; i++) {
        const one = await api("POST", "/v1/evidence", "dev-amc", letter(claimId));
        expect(one.http).toBe(201);
        acknowledged.push(one.recordId);
      }
      await kill9(child);

      child = await spawnApi();
      const bundles = await waitAnchored(acknowledged);
      expect(bundles.size).toBe(acknowledged.length);
      for (const id of acknowledged) {
        const v = await api("POST", "/v1/verify", undefined, { ...bundles.get(id), status: undefined, http: undefined });
        expect(v.verified).toBe(true);
      }
      const roots = await anchoredRoots();
      expect([...roots.values()].reduce((a, b) => a + b, 0)).toBe(acknowledged.length);
    }, 240_000);

    it("after SIGKILL during an anchor (flush in flight), nothing is lost or anchored twice and the chain continues", async () => {
      const more: string[] = [];
      for (let i = 0; i < 5; i++) more.push((await api("POST", "/v1/evidence", "dev-amc", letter(claimId))).recordId);
      void api("POST", "/v1/evidence/flush", "dev-admin").catch(() => undefined);
      await new Promise((r) => setTimeout(r, 40));
      await kill9(child!);

      child = await spawnApi();
      const bundles = await waitAnchored(more);
      expect(bundles.size).toBe(more.length);
      const roots = await anchoredRoots();
      expect([...roots.values()].reduce((a, b) => a + b, 0)).toBe(acknowledged.length + more.length);
      const list = await api("GET", `/v1/claims/${claimId}/evidence`, "dev-amc");
      expect(list.complete).toBe(true);
      expect(list.count).toBe(acknowledged.length + more.length);
      expect(list.records.map((r: { recordId: string }) => r.recordId)).toEqual([...acknowledged, ...more]);
    }, 240_000);

    it("an anchor whose block disappears is anchored again", async () => {
      const id = (await api("POST", "/v1/evidence", "dev-amc", letter(claimId))).recordId;
      const snapshot = await provider.send("evm_snapshot", []);
      const flushed = await api("POST", "/v1/evidence/flush", "dev-admin");
      expect(flushed.http).toBe(200);
      expect(flushed.anchor.blockNumber).toBeGreaterThan(0);
      // The block with the anchor vanishes (a reorg; on the dev node, a revert to the snapshot).
      expect(await provider.send("evm_revert", [snapshot])).toBe(true);
      const log = EvidenceLog__factory.connect(stack.deployment.contracts.EvidenceLog.address, provider);
      expect(await log.isAnchored(flushed.root)).toBe(false);

      const deadline = Date.now() + 30_000;
      let receipt: any;
      while (Date.now() < deadline) {
        receipt = await api("GET", `/v1/evidence/${id}/receipt`, "dev-amc");
        if (receipt.root && (await log.isAnchored(receipt.root))) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await log.isAnchored(flushed.root)).toBe(true);
      // The receipt now names the new anchor (the same signed bytes may be re-sent, so compare with the chain).
      expect(Number((await log.anchoredAt(receipt.root)).blockNumber)).toBe(receipt.anchor.blockNumber);
      const v = await api("POST", "/v1/verify", undefined, { ...receipt, status: undefined, http: undefined });
      expect(v.verified).toBe(true);
    }, 60_000);
  });
});
