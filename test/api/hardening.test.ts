import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { request as httpRequest, createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { startStack, buildApi, call, type TestStack } from "../helpers/stack.js";
import { loadConfig } from "../../src/config/config.js";
import { AuthFailureLimiter } from "../../src/api/plugins/auth.js";
import { generateCaseHistory } from "../../src/core/synthetic.js";
import { comparableToRow } from "../../src/core/comparables.js";

/** Service hardening (issue 14): failed-auth limit, limiter keyed by key id, body limits, /healthz. */

const MIB = 1024 * 1024;
let stack: TestStack;
const extra: Array<{ api: FastifyInstance; dir: string }> = [];

beforeAll(async () => {
  // Bulk routes take 4 MiB here; everything else the default 1 MiB.
  stack = await startStack({ ORACLE_ENABLED: "0", BODY_LIMIT_BYTES: String(4 * MIB) });
}, 120_000);
afterAll(async () => {
  for (const e of extra) {
    await e.api.close().catch(() => undefined);
    rmSync(e.dir, { recursive: true, force: true });
  }
  await stack?.stop();
});

/** A second API on the same chain and deployment, with its own store and `env`. */
async function secondApi(env: Record<string, string>, chainUrl = stack.chainUrl): Promise<FastifyInstance> {
  const dir = mkdtempSync(join(tmpdir(), "debtrail-hardening-"));
  const api = await buildApi(loadConfig({
    DEBTRAIL_DEV_CHAIN: "1", CHAIN_RPC_URL: chainUrl, DATA_DIR: dir, DEPLOYMENT_FILE: stack.config.deploymentFile,
    LOG_LEVEL: "silent", ORACLE_ENABLED: "0", ...env,
  }));
  extra.push({ api, dir });
  return api;
}

/** The value of one labelled Prometheus counter (0 when absent). */
async function counter(api: FastifyInstance, name: string, labels: string): Promise<number> {
  const text = (await api.inject({ method: "GET", url: "/metrics" })).body;
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("failed authentications are limited per address before the key is looked up", () => {
  it("the 31st bad key from one address gets 429 without a key lookup; so does a correct key from it; other addresses and anonymous reads go on", async () => {
    const api = stack.api;
    const from = (ip: string, key?: string, url = "/v1/me") =>
      api.inject({ method: "GET", url, remoteAddress: ip, headers: key ? { authorization: `Bearer ${key}` } : {} });
    const attacker = "192.0.2.31";
    for (let i = 1; i <= 30; i++) expect((await from(attacker, `guess-${i}`)).statusCode).toBe(401);
    const lookups = await counter(api, "debtrail_auth_attempts_total", 'outcome="unknown-key"');
    const over = await from(attacker, "guess-31");
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ error: "RATE_LIMITED" });
    expect(Number(over.headers["retry-after"])).toBeGreaterThan(0);
    // Refused before the lookup: the unknown-key count did not move, the blocked count did.
    expect(await counter(api, "debtrail_auth_attempts_total", 'outcome="unknown-key"')).toBe(lookups);
    expect(await counter(api, "debtrail_auth_attempts_total", 'outcome="blocked"')).toBeGreaterThanOrEqual(1);
    // A correct key from the same address is refused too: a 200 would tell the guesser it hit.
    expect((await from(attacker, "dev-amc")).statusCode).toBe(429);
    // Malformed headers count as failures as well, and are refused while blocked.
    expect((await api.inject({ method: "GET", url: "/v1/me", remoteAddress: attacker, headers: { authorization: "Basic x" } })).statusCode).toBe(429);
    // Without a key the address may still read public routes.
    expect((await from(attacker, undefined, "/healthz")).statusCode).toBe(200);
    // Another address is not affected.
    expect((await from("192.0.2.32", "dev-amc")).statusCode).toBe(200);
  });

  it("AuthFailureLimiter: a fixed one-minute window per address, bounded in memory", () => {
    const limiter = new AuthFailureLimiter(3, 60_000, 4);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.fail("a", t0 + i);
    expect(limiter.blockedFor("a", t0 + 10)).toBe(60);
    expect(limiter.blockedFor("b", t0 + 10)).toBe(0);
    expect(limiter.blockedFor("a", t0 + 60_000)).toBe(0); // the window is over
    limiter.fail("a", t0 + 60_001);
    expect(limiter.blockedFor("a", t0 + 60_002)).toBe(0);
    // A flood of addresses: the oldest are dropped, the limiter never holds more than 4.
    for (let i = 0; i < 100; i++) limiter.fail(`flood-${i}`, t0 + 70_000);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(4);
  });

  it("AuthFailureLimiter.quiet: true only once every window has ended (the key check then skips the address)", () => {
    const limiter = new AuthFailureLimiter(2, 60_000);
    const t0 = 5_000_000;
    expect(limiter.quiet(t0)).toBe(true);
    limiter.fail("a", t0);
    limiter.fail("b", t0 + 30_000);
    expect(limiter.quiet(t0 + 1)).toBe(false);
    expect(limiter.quiet(t0 + 60_000)).toBe(false); // b's window runs to t0 + 90 s
    limiter.fail("b", t0 + 60_001);
    expect(limiter.blockedFor("b", t0 + 60_002)).toBeGreaterThan(0);
    expect(limiter.quiet(t0 + 90_000)).toBe(true);
    expect(limiter.blockedFor("b", t0 + 90_000)).toBe(0);
  });
});

describe("a verified Authorization header is kept: only a header that matched a key skips the digest", () => {
  it("a guess one character off a kept header is looked up and refused; the kept header answers as its key", async () => {
    // The general limit raised: this test sends over a thousand requests with one key.
    const api = await secondApi({ RATE_LIMIT_PER_MINUTE: "100000" });
    const me = (authorization: string) => api.inject({ method: "GET", url: "/v1/me", remoteAddress: "192.0.2.50", headers: { authorization } });
    expect((await me("Bearer dev-amc")).json()).toMatchObject({ role: "amc" });
    const unknown = await counter(api, "debtrail_auth_attempts_total", 'outcome="unknown-key"');
    for (const guess of ["Bearer dev-amd", "Bearer dev-am", "Bearer dev-amcc", "Bearer Dev-amc"]) expect((await me(guess)).statusCode).toBe(401);
    // Each guess went to the digest look-up (and counts as a failure of its address), none to the kept header.
    expect(await counter(api, "debtrail_auth_attempts_total", 'outcome="unknown-key"')).toBe(unknown + 4);
    expect((await me("Bearer dev-amc")).json()).toMatchObject({ role: "amc" });
    expect((await me("Bearer dev-bank")).json()).toMatchObject({ role: "bank" });
    // A key holder sending 1,100 spellings of its own header, more than the 1,024 kept: the kept set starts
    // over on the way, every spelling still answers as its key, and a guess after it is still refused.
    for (let i = 1; i <= 1_100; i++) {
      const r = await me(`Bearer${" ".repeat(i)}dev-amc`);
      expect(r.statusCode).toBe(200);
      expect(r.json().role).toBe("amc");
    }
    expect((await me("Bearer dev-amd")).statusCode).toBe(401);
    expect((await me("Bearer dev-amc")).json()).toMatchObject({ role: "amc" });
  });
});

describe("the general rate limit counts a caller by its key id, not by the header's spelling", () => {
  it("anonymous requests from an address do not spend the bucket of a key used from it, nor the other way round", async () => {
    const api = await secondApi({ RATE_LIMIT_PER_MINUTE: "3" });
    const from = (key?: string) => api.inject({ method: "GET", url: "/healthz", remoteAddress: "192.0.2.41", headers: key ? { authorization: `Bearer ${key}` } : {} });
    for (let i = 0; i < 3; i++) expect((await from()).statusCode).toBe(200);
    expect((await from()).statusCode).toBe(429);
    const keyed = await from("dev-amc");
    expect(keyed.statusCode).toBe(200);
    expect(keyed.headers["x-ratelimit-remaining"]).toBe("2");
  });

  it('"Bearer k" and "bearer   k" share one bucket; another key has its own', async () => {
    const api = await secondApi({ RATE_LIMIT_PER_MINUTE: "4" });
    const me = (authorization: string) => api.inject({ method: "GET", url: "/v1/me", remoteAddress: "192.0.2.40", headers: { authorization } });
    expect((await me("Bearer dev-amc")).statusCode).toBe(200);
    expect((await me("bearer   dev-amc")).statusCode).toBe(200);
    expect((await me("BEARER dev-amc")).statusCode).toBe(200);
    expect((await me("Bearer\tdev-amc")).statusCode).toBe(200);
    expect((await me("bearer dev-amc")).statusCode).toBe(429);
    expect((await me("Bearer dev-bank")).statusCode).toBe(200);
  });
});

describe("body limits", () => {
  /** Sends headers announcing `size` bytes and only the first 64 KiB; resolves with the status once the server answers. */
  function partialUpload(path: string, size: number, key?: string): Promise<{ status: number; ms: number }> {
    const url = new URL(stack.baseUrl + path);
    const started = Date.now();
    return new Promise((ok, fail) => {
      const req = httpRequest({
        host: url.hostname, port: url.port, path: url.pathname, method: "POST",
        headers: { "content-type": "application/json", "content-length": String(size), ...(key ? { authorization: `Bearer ${key}` } : {}) },
      }, (res) => {
        res.resume();
        ok({ status: res.statusCode!, ms: Date.now() - started });
        req.destroy();
      });
      req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : fail(e)));
      req.write(`{"claims":[${"0".repeat(64 * 1024)}`);
      setTimeout(() => {
        req.destroy();
        fail(new Error(`no answer within 5 s to a partial upload to ${path}: the server waits for the body`));
      }, 5_000);
    });
  }

  it("an anonymous 60 MiB upload to a bulk route is refused with 401 before its body is read", async () => {
    const r = await partialUpload("/v1/claims/batch", 60 * MIB);
    expect(r.status).toBe(401);
    expect(r.ms).toBeLessThan(5_000);
    // A known key without the role: 403, also before the body.
    expect((await partialUpload("/v1/assessments", 60 * MIB, "dev-court")).status).toBe(403);
  });

  it("over its limit a route answers 413: a bulk route past BODY_LIMIT_BYTES, any other route past 1 MiB", async () => {
    expect((await partialUpload("/v1/claims/batch", 5 * MIB, "dev-bank")).status).toBe(413);
    expect((await partialUpload("/v1/claims", 2 * MIB, "dev-bank")).status).toBe(413);
  });

  it("an authenticated bulk route still takes a body over 1 MiB", async () => {
    const { cases } = generateCaseHistory(21, { count: 9000, prefix: "BIG" });
    const body = { cases: cases.map(comparableToRow) };
    const size = Buffer.byteLength(JSON.stringify(body));
    expect(size).toBeGreaterThan(1.2 * MIB);
    expect(size).toBeLessThan(4 * MIB);
    const r = await call(stack, "POST", "/v1/comparables/import", "dev-amc", body);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(300);
  });
});

describe("/healthz never echoes the node's error", () => {
  let gateway: Server | undefined;
  afterAll(() => new Promise<void>((ok) => (gateway ? gateway.close(() => ok()) : ok())));

  it("with an RPC URL holding a key and its gateway failing: 503 with a fixed reason, no URL, no key", async () => {
    // A hosted-RPC-like gateway on loopback: the key is in the path; it forwards to the node until it fails with 502.
    let failing = false;
    gateway = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", async () => {
        if (failing) {
          res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
          return;
        }
        const upstream = await fetch(stack.chainUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
        res.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
      });
    });
    await new Promise<void>((ok) => gateway!.listen(0, "127.0.0.1", () => ok()));
    const secret = "k3y5ecretdonotleak0123456789";
    const api = await secondApi({}, `http://127.0.0.1:${(gateway.address() as { port: number }).port}/v3/${secret}`);
    expect((await api.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    failing = true;
    // /healthz reports the node as the chain indexer last polled it (every second): degraded once a poll failed.
    let down = await api.inject({ method: "GET", url: "/healthz" });
    for (let i = 0; i < 100 && down.statusCode !== 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      down = await api.inject({ method: "GET", url: "/healthz" });
    }
    expect(down.statusCode).toBe(503);
    expect(down.body).not.toContain(secret);
    expect(down.body).not.toContain("/v3/");
    expect(down.json()).toMatchObject({ status: "degraded", reason: "chain-unreachable" });
    failing = false;
  }, 60_000);
});
