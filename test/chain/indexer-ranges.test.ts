import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, randomBytes, type JsonRpcProvider } from "ethers";
import { ClaimRegistry__factory, type ClaimRegistry } from "../../types/ethers-contracts/index.js";
import { startChain } from "../helpers/stack.js";
import { chainNow } from "../helpers/oracle.js";
import { loadConfig, deployOptionsFrom } from "../../src/config/config.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import { connectProvider } from "../../src/chain/provider.js";
import { devWallet } from "../../src/config/dev-accounts.js";
import { originatorCodeToBytes32 } from "../../src/chain/roles.js";
import { ZERO_HASH } from "../../src/chain/reports.js";
import type { Deployment } from "../../src/chain/deployment.js";
import { openStore, type Store } from "../../src/store/db.js";
import { openChainIndex } from "../../src/store/repos/chain-index.js";
import { createIndexer, suggestedRange, systemClock, type IndexerOptions } from "../../src/chain/indexer.js";

/**
 * The indexer against a node that refuses eth_getLogs: a real hardhat node behind a real HTTP JSON-RPC proxy
 * that refuses ranges wider than N blocks, answers with more than M logs, or answers too large — as an error
 * (geth, Infura), an HTTP error, or no answer at all. The index must hold every event exactly once.
 */

interface Rule {
  /** Refuse an eth_getLogs spanning more blocks (a JSON-RPC error). */
  maxSpan?: number;
  /** An answer with more logs is refused: how. */
  maxLogs?: number;
  how?: "error" | "error-with-hint" | "http-413" | "hang";
  /** Calls to ClaimRegistry.registeredTermsOf reach the node with an unknown selector: a registry deployed before it. */
  registryWithoutTermsOf?: boolean;
}

const TERMS_OF = ClaimRegistry__factory.createInterface().getFunction("registeredTermsOf")!.selector;

interface Answered {
  from: number;
  to: number;
  logs: number;
}

/** A JSON-RPC proxy in front of `upstream`, applying `rule` to eth_getLogs (also inside batches) and recording what it let through. */
async function startProxy(upstream: string) {
  let rule: Rule = {};
  const answered: Answered[] = [];
  const refused: Array<{ from: number; to: number; why: string }> = [];
  const hung: ServerResponse[] = [];
  /** The selectors of the eth_calls made through the proxy. */
  const calls: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks).toString("utf8");
    const sent = JSON.parse(body) as { method: string; params: Array<{ data?: string }> } | Array<{ method: string; params: Array<{ data?: string }> }>;
    for (const q of Array.isArray(sent) ? sent : [sent]) {
      if (q.method !== "eth_call") continue;
      calls.push(q.params[0]!.data!.slice(0, 10));
      if (rule.registryWithoutTermsOf && q.params[0]!.data!.startsWith(TERMS_OF)) q.params[0]!.data = `0xdeadbeef${q.params[0]!.data!.slice(10)}`;
    }
    body = JSON.stringify(sent);
    const up = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await up.text();
    const request = JSON.parse(body) as { id: number; method: string; params: Array<{ fromBlock: string; toBlock: string }> } | Array<{ id: number; method: string; params: Array<{ fromBlock: string; toBlock: string }> }>;
    let answer = JSON.parse(text) as { id: number; result?: unknown } | Array<{ id: number; result?: unknown }>;
    const requests = Array.isArray(request) ? request : [request];
    const answers = Array.isArray(answer) ? answer : [answer];
    const passed: Answered[] = [];
    for (const q of requests) {
      if (q.method !== "eth_getLogs") continue;
      const a = answers.find((x) => x.id === q.id)!;
      const from = Number(q.params[0]!.fromBlock);
      const to = Number(q.params[0]!.toBlock);
      const logs = (a.result as Array<{ blockNumber: string }> | undefined) ?? [];
      let error: { code: number; message: string } | null = null;
      if (rule.maxSpan !== undefined && to - from + 1 > rule.maxSpan) {
        error = { code: -32005, message: `block range is too wide: at most ${rule.maxSpan} blocks` };
      } else if (rule.maxLogs !== undefined && logs.length > rule.maxLogs) {
        if (rule.how === "hang") {
          refused.push({ from, to, why: "hang" });
          hung.push(res);
          return;
        }
        if (rule.how === "http-413") {
          refused.push({ from, to, why: "413" });
          res.writeHead(413, { "content-type": "text/plain" }).end("response too large");
          return;
        }
        // Infura's hint: the range up to the block before the one holding the first log past the limit.
        const last = Number(logs[rule.maxLogs]!.blockNumber) - 1;
        const hint = rule.how === "error-with-hint" && last >= from ? ` Try with this block range [0x${from.toString(16)}, 0x${last.toString(16)}].` : "";
        error = { code: -32005, message: `query returned more than ${rule.maxLogs} results.${hint}` };
      }
      if (error) {
        refused.push({ from, to, why: error.message });
        const i = answers.indexOf(a);
        answers[i] = { jsonrpc: "2.0", id: q.id, error } as never;
      } else {
        passed.push({ from, to, logs: logs.length });
      }
    }
    answered.push(...passed);
    answer = Array.isArray(answer) ? answers : answers[0]!;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    answered,
    refused,
    calls,
    set(r: Rule) {
      rule = r;
      answered.length = 0;
      refused.length = 0;
      calls.length = 0;
    },
    async stop() {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}

describe("chain indexer: eth_getLogs refused by the node (a real proxy before a real hardhat node)", () => {
  let chain: Awaited<ReturnType<typeof startChain>>;
  let provider: JsonRpcProvider;
  let deployment: Deployment;
  let namespace: string;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let registry: ClaimRegistry;
  let head: { number: number; hash: string };
  let reference: { dump: Awaited<ReturnType<ReturnType<typeof openChainIndex>["dump"]>>; logs: number };
  const dirs: string[] = [];
  const stores: Store[] = [];

  /** A fresh index of the whole chain through `url`. */
  async function indexThrough(url: string, options: IndexerOptions) {
    const dir = mkdtempSync(join(tmpdir(), "debtrail-ranges-"));
    dirs.push(dir);
    const store = await openStore(dir, namespace);
    stores.push(store);
    const index = openChainIndex(store);
    const p = await connectProvider(url);
    const refusals: string[] = [];
    const indexer = createIndexer({ provider: p, index, deployment, clock: systemClock, log: { info: () => {}, warn: () => {} }, metrics: { refused: (r) => refusals.push(r.message) } }, { reorgDepth: 4, ...options });
    try {
      await indexer.sync();
    } finally {
      await indexer.stop();
      p.destroy();
    }
    return { dump: await index.dump(), cursor: await index.cursor(), refusals };
  }

  /** The ranges the proxy answered cover the deployment's blocks to the head, each block once, and hold every log once. */
  function expectEveryBlockOnce() {
    const ranges = [...proxy.answered].sort((a, b) => a.from - b.from);
    const first = Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
    expect(ranges[0]!.from).toBe(first);
    ranges.forEach((r, i) => i > 0 && expect(r.from, JSON.stringify(ranges.slice(i - 1, i + 1))).toBe(ranges[i - 1]!.to + 1));
    expect(ranges.at(-1)!.to).toBe(head.number);
    expect(ranges.reduce((n, r) => n + r.logs, 0)).toBe(reference.logs);
  }

  beforeAll(async () => {
    chain = await startChain();
    const dataDir = mkdtempSync(join(tmpdir(), "debtrail-ranges-deploy-"));
    dirs.push(dataDir);
    const config = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chain.url, DATA_DIR: dataDir, LOG_LEVEL: "silent" });
    deployment = await deployDebtrail({ ...deployOptionsFrom(config, {}), deploymentId: `test-ranges-${randomUUID()}` });
    namespace = `test-${randomUUID()}`;
    provider = await connectProvider(chain.url);
    const bank = devWallet(1).connect(provider);
    registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, bank);
    // Dense stretches (batches of 40 registrations: 80 logs a block) between empty ones, then a long empty tail.
    const now = await chainNow(provider);
    for (let b = 0; b < 8; b++) {
      const regs = Array.from({ length: 40 }, (_, i) => ({
        originatorCode: originatorCodeToBytes32("DEVBANK"), loanRef: keccak256(randomBytes(32)),
        terms: {
          principal: 1_000_000_00n + BigInt(i), outstanding: 800_000_00n, currency: "0x434e59", originatedAt: now - 1000 * 86_400, maturityAt: now - 10 * 86_400,
          retail: i % 2 === 0, clauses: { warnDays: 0, demandDays: 0, arbitrationDays: 0, coverageBps: 0, noticeDays: 0 }, collateralHash: ZERO_HASH, documentsRoot: ZERO_HASH,
        },
      }));
      await (await registry.registerBatch(regs)).wait();
      if (b % 3 === 2) await provider.send("hardhat_mine", ["0x1e"]); // 30 empty blocks
    }
    await provider.send("hardhat_mine", ["0x190"]); // 400 empty blocks
    const h = (await provider.getBlock("latest"))!;
    head = { number: h.number, hash: h.hash! };
    proxy = await startProxy(chain.url);
    // The reference: the whole chain through the proxy letting everything through, in one request (two: the
    // last reorgDepth blocks are read apart, with every header).
    proxy.set({});
    const whole = await indexThrough(proxy.url, { maxBlockRange: 100_000, initialBlockRange: 100_000 });
    reference = { dump: whole.dump, logs: proxy.answered.reduce((n, r) => n + r.logs, 0) };
    expect(proxy.answered.length).toBeLessThanOrEqual(2);
    expect(reference.logs).toBeGreaterThanOrEqual(8 * 40);
    expect(reference.dump.claims).toHaveLength(8 * 40);
  }, 240_000);

  afterAll(async () => {
    await proxy?.stop();
    for (const s of stores) await s.close().catch(() => undefined);
    provider?.destroy();
    await chain?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (deployment) rmSync(`ignition/deployments/${deployment.deploymentId}`, { recursive: true, force: true });
  });

  it("a node refusing ranges wider than 16 blocks: split until accepted, every block once, wider ranges tried again only now and then", async () => {
    proxy.set({ maxSpan: 16 });
    const got = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000, rangeProbeAfter: 8 });
    expect(got.cursor).toMatchObject(head);
    expect(got.dump).toEqual(reference.dump);
    expect(proxy.refused.length).toBeGreaterThan(0);
    expect(proxy.answered.every((r) => r.to - r.from + 1 <= 16)).toBe(true);
    expectEveryBlockOnce();
    // Binary splits find the limit in a few refusals; after that a wider range is tried once per 8 accepted chunks.
    expect(proxy.refused.length).toBeLessThanOrEqual(12 + Math.ceil(proxy.answered.length / 8) * 2);
    expect(got.refusals).toHaveLength(proxy.refused.length);
  }, 120_000);

  it("a node refusing answers of more than 100 logs (geth's error): split, then grown back over the empty tail", async () => {
    proxy.set({ maxLogs: 100, how: "error" });
    const got = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000, rangeProbeAfter: 4 });
    expect(got.cursor).toMatchObject(head);
    expect(got.dump).toEqual(reference.dump);
    expect(proxy.refused.length).toBeGreaterThan(0);
    expect(proxy.answered.every((r) => r.logs <= 100)).toBe(true);
    expectEveryBlockOnce();
    // The 400 empty blocks at the end are not read at the narrow width the dense blocks needed.
    const narrowest = Math.min(...proxy.refused.map((r) => r.to - r.from + 1));
    const tail = proxy.answered.filter((r) => r.from > head.number - 400);
    expect(Math.max(...tail.map((r) => r.to - r.from + 1))).toBeGreaterThan(narrowest);
  }, 120_000);

  it("a node naming the range to use (Infura's hint): the next request asks for that range", async () => {
    proxy.set({ maxLogs: 100, how: "error-with-hint" });
    const got = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000 });
    expect(got.dump).toEqual(reference.dump);
    expectEveryBlockOnce();
    const firstRefused = proxy.refused[0]!;
    const hinted = /\[0x([0-9a-f]+), 0x([0-9a-f]+)\]/.exec(firstRefused.why)!;
    expect(proxy.answered.some((r) => r.from === Number(`0x${hinted[1]}`) && r.to === Number(`0x${hinted[2]}`))).toBe(true);
  }, 120_000);

  it("a transport refusing answers too large (HTTP 413): split until they fit", async () => {
    proxy.set({ maxLogs: 100, how: "http-413" });
    const got = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000 });
    expect(got.cursor).toMatchObject(head);
    expect(got.dump).toEqual(reference.dump);
    expect(proxy.refused.length).toBeGreaterThan(0);
    expectEveryBlockOnce();
  }, 120_000);

  it("a node that never answers an oversized query: given up after getLogsTimeoutMs, split, every event once", async () => {
    proxy.set({ maxLogs: 100, how: "hang" });
    const t = performance.now();
    const got = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000, getLogsTimeoutMs: 1_500 });
    expect(got.cursor).toMatchObject(head);
    expect(got.dump).toEqual(reference.dump);
    expect(proxy.refused.length).toBeGreaterThan(0);
    expectEveryBlockOnce();
    // Each unanswered query cost its timeout once, not the transport's five minutes.
    expect(performance.now() - t).toBeLessThan(proxy.refused.length * 1_500 + 60_000);
  }, 180_000);

  it("sizes ranges from the answers' density: starts narrow, grows while sparse, one dense block at a time over the target", async () => {
    proxy.set({});
    const got = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 2, targetLogs: 60 });
    expect(got.dump).toEqual(reference.dump);
    expectEveryBlockOnce();
    expect(proxy.refused).toHaveLength(0);
    // Starts at 2 blocks and grows while sparse; over 80-log blocks a range holds one block (60 is the target).
    expect(proxy.answered[0]!.to - proxy.answered[0]!.from + 1).toBe(2);
    expect(Math.max(...proxy.answered.map((r) => r.to - r.from + 1))).toBeGreaterThan(64);
  }, 120_000);

  it("reads registrations' stored terms in one call per chunk of registrations, and claim by claim from a registry that predates that call", async () => {
    proxy.set({});
    const batched = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000 });
    expect(batched.dump).toEqual(reference.dump);
    const selectors = ClaimRegistry__factory.createInterface();
    const count = (name: "registeredTermsOf" | "clausesOf" | "isRetail") => proxy.calls.filter((c) => c === selectors.getFunction(name)!.selector).length;
    expect(count("registeredTermsOf")).toBeGreaterThan(0);
    expect(count("registeredTermsOf")).toBeLessThanOrEqual(3); // 320 registrations in at most a chunk or three
    expect(count("clausesOf") + count("isRetail")).toBe(0);

    proxy.set({ registryWithoutTermsOf: true });
    const older = await indexThrough(proxy.url, { maxBlockRange: 1_000, initialBlockRange: 1_000, targetLogs: 100_000 });
    expect(older.cursor).toMatchObject(head);
    expect(older.dump).toEqual(reference.dump);
    expect(count("clausesOf")).toBe(8 * 40);
    expect(count("isRetail")).toBe(8 * 40);
    // The terms as the registry holds them: retail every other claim, the default clauses.
    expect(older.dump.claims.filter(([, c]) => (c as { terms: { retail: boolean } }).terms.retail)).toHaveLength(8 * 20);
  }, 120_000);

  it("reads a node's suggested range from its message", () => {
    expect(suggestedRange(new Error("query returned more than 10000 results. Try with this block range [0x10, 0x1f]."))).toBe(16);
    expect(suggestedRange({ message: "could not coalesce error", error: { message: "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range" } })).toBe(2000);
    expect(suggestedRange(new Error("timeout"))).toBeNull();
    expect(suggestedRange(new Error("range [0x20, 0x10]"))).toBeNull();
  });
});
