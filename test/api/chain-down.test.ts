import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { startStack, buildApi, claimRequest, type TestStack } from "../helpers/stack.js";
import { loadConfig } from "../../src/config/config.js";
import { startFaultProxy, type FaultProxy } from "../../scripts/soak/fault-proxy.js";

let stack: TestStack;
let proxy: FaultProxy;
let api: FastifyInstance;
let dir: string;
let base: string;
let registered: string;

beforeAll(async () => {
  stack = await startStack();
  const target = new URL(stack.chainUrl);
  proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
  dir = mkdtempSync(join(tmpdir(), "debtrail-chain-down-"));
  // A second API reaching the chain only through the proxy, on its own store.
  api = await buildApi(loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: proxy.url, DATA_DIR: dir, DEPLOYMENT_FILE: stack.config.deploymentFile, LOG_LEVEL: "silent", ORACLE_ENABLED: "0" }));
  base = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
}, 120_000);
afterAll(async () => {
  proxy.mode = "pass";
  await api?.close();
  await proxy?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown) => fetch(`${base}/v1/claims`, { method: "POST", headers: { authorization: "Bearer dev-bank", "content-type": "application/json" }, body: JSON.stringify(body) });

describe("chain node down", () => {
  it.each(["drop", "reset"] as const)("with connections %s, a write answers 503 with a clear message (never 500), then works again", async (mode) => {
    proxy.mode = mode;
    proxy.cutAll();
    const down = await post(claimRequest(`DOWN-${mode}`));
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: "UNAVAILABLE", message: expect.stringMatching(/chain node|try again/) });
    // Reads answer from the chain index while the node is away (issue 15): a claim registered before, an unknown one 404.
    if (mode === "reset") {
      const known = await fetch(`${base}/v1/claims/${registered}`, { headers: { authorization: "Bearer dev-bank" } });
      expect(known.status).toBe(200);
      expect(await known.json()).toMatchObject({ claimId: registered, status: "registered", asOfBlock: expect.any(Number) });
    }
    const read = await fetch(`${base}/v1/claims/0x${"ab".repeat(32)}`, { headers: { authorization: "Bearer dev-bank" } });
    expect(read.status).toBe(404);
    proxy.mode = "pass";
    const up = await post(claimRequest(`DOWN-${mode}`));
    expect(up.status).toBe(201);
    registered = (await up.json()).claimId;
  });
});
