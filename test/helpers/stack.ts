import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { loadConfig, deployOptionsFrom, type Config } from "../../src/config/config.js";
import { waitForRpc } from "../../src/chain/provider.js";
import { deployDebtrail } from "../../src/chain/deploy.js";
import app, { serverOptions } from "../../src/api/app.js";
import type { Deployment } from "../../src/chain/deployment.js";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
}

/**
 * A real `hardhat node` over JSON-RPC on a free loopback port; with `startDaysAgo`, its history starts that
 * many days before now (as `npm start` does for the demo seed).
 */
export async function startChain(opts: { startDaysAgo?: number } = {}): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const env = { ...process.env };
  if (opts.startDaysAgo !== undefined) env.DEBTRAIL_CHAIN_START = new Date(Date.now() - opts.startDaysAgo * 86_400_000).toISOString();
  else delete env.DEBTRAIL_CHAIN_START;
  const child = spawn(resolve("node_modules/.bin/hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForRpc(url, 60_000);
  return {
    url,
    process: child,
    stop: () =>
      new Promise((ok) => {
        if (child.exitCode !== null) return ok();
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

export interface TestStack {
  chainUrl: string;
  config: Config;
  deployment: Deployment;
  dataDir: string;
  /** The API, built in-process but listening on loopback. */
  api: FastifyInstance;
  baseUrl: string;
  /** Restarts the API on the same chain and data dir (a crash/restart in tests); `between` runs while it is down. */
  restartApi(between?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const appScopes = new WeakMap<FastifyInstance, FastifyInstance>();

/** The app plugin's own instance inside a server built by {@link buildApi}: its store, chain and services. */
export function appScope(server: FastifyInstance): FastifyInstance {
  const scope = appScopes.get(server);
  if (!scope) throw new Error("not a server built by buildApi");
  return scope;
}

export async function buildApi(config: Config, port = 0): Promise<FastifyInstance> {
  const fastify = Fastify({ ...serverOptions(config), logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  let scope: FastifyInstance | undefined;
  // The app is an encapsulated plugin; keep its instance so tests can reach its decorations (store, services).
  await fastify.register(async (instance, opts: { config: Config }) => {
    await app(instance as unknown as FastifyInstance, opts);
    scope = instance as unknown as FastifyInstance;
  }, { config });
  await fastify.listen({ port, host: "127.0.0.1" });
  appScopes.set(fastify as unknown as FastifyInstance, scope!);
  return fastify as unknown as FastifyInstance;
}

/** Chain node + deployment + API with the documented dev keys, in a temporary data dir. */
export async function startStack(env: Record<string, string> = {}, chainOpts: { startDaysAgo?: number } = {}): Promise<TestStack> {
  const chain = await startChain(chainOpts);
  const dataDir = mkdtempSync(join(tmpdir(), "debtrail-test-"));
  const config = loadConfig({ DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chain.url, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env });
  const deployment = await deployDebtrail({ ...deployOptionsFrom(config, {}), deploymentId: `test-debtrail-${randomUUID()}` });
  const stack: TestStack = {
    chainUrl: chain.url,
    config,
    deployment,
    dataDir,
    api: await buildApi(config),
    baseUrl: "",
    async restartApi(between) {
      await stack.api.close();
      await between?.();
      stack.api = await buildApi(config);
      stack.baseUrl = `http://127.0.0.1:${(stack.api.server.address() as { port: number }).port}`;
    },
    async stop() {
      await stack.api.close().catch(() => undefined);
      await chain.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`ignition/deployments/${deployment.deploymentId}`, { recursive: true, force: true });
    },
  };
  stack.baseUrl = `http://127.0.0.1:${(stack.api.server.address() as { port: number }).port}`;
  return stack;
}

/** fetch with a dev key; returns status and parsed JSON. */
export async function call(stack: TestStack, method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAt(stack.baseUrl, method, path, key, body);
}

/** {@link call} against any node's base URL (a peer daemon's, say). */
export async function callAt(baseUrl: string, method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

/** Polls GET /v1/jobs/:id (up to 20 s) until the job is done; returns the job as last read. */
export async function waitJob(stack: TestStack, jobId: string, key = "dev-bank"): Promise<any> {
  let job;
  for (let i = 0; i < 200; i++) {
    job = (await call(stack, "GET", `/v1/jobs/${jobId}`, key)).body;
    if (job.status === "done") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return job;
}

/**
 * The default maturity: about nine months before today (China day), so that a claim is overdue but its
 * 诉讼时效 (three years from maturity) stays far from ending whatever day the suite runs — a fixed date
 * would one day bring the oracle's demand-before-expiry letters into every test.
 */
const DEFAULT_MATURITY = new Date(Date.now() + 8 * 3_600_000 - 270 * 86_400_000).toISOString().slice(0, 10);

/** A claim request for the dev bank. */
export function claimRequest(contractNo: string, overrides: Record<string, unknown> = {}) {
  return {
    originatorCode: "DEVBANK",
    contractNo,
    debtor: { name: "张三", idNumber: "110101199003077774", phone: "13800138000", type: "retail", debtorId: `D-${contractNo}` },
    principal: "100000000",
    outstanding: "85000000",
    originatedAt: "2021-03-01",
    maturityAt: DEFAULT_MATURITY,
    product: "mortgage",
    region: "Shanghai",
    ...overrides,
  };
}
