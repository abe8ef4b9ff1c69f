import fp from "fastify-plugin";
import { hash } from "node:crypto";
import { isIPv6 } from "node:net";
import { Wallet } from "ethers";
import { Counter } from "prom-client";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiKeyConfig } from "../../config/config.js";
import type { ApiRole } from "../../config/roles.js";
import { coded, ForbiddenError, UnauthorizedError } from "../../core/errors.js";

import type { Caller } from "../../app/access.js";

export type { Caller };

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyInstance {
    /** Hook that requires one of `roles` (any role when empty); the app runs it at onRequest, before the body is read. */
    requireRole(...roles: ApiRole[]): (request: FastifyRequest, reply: unknown, done: (e?: Error) => void) => void;
  }
}

/** Verified Authorization headers kept (a key's holder may spell the header a few ways; more is a flood: start over). */
const MAX_VERIFIED_HEADERS = 1_024;

/** Every function requireRole made: app.ts runs them at onRequest, before a body is read. */
const ROLE_CHECKS = new WeakSet<object>();

/** True for a hook made by `fastify.requireRole`. */
export function isRoleCheck(hook: unknown): boolean {
  return typeof hook === "function" && ROLE_CHECKS.has(hook);
}

function digest(key: string): Buffer {
  // One-shot: no Hash object per request (the key check is on every authenticated request's path).
  return hash("sha256", key, "buffer");
}

/** The callers configured by API keys, with each key's SHA-256 digest. */
export function callersFromConfig(apiKeys: ApiKeyConfig[]): Array<{ digest: Buffer; caller: Caller }> {
  return apiKeys.map((k) => ({
    digest: digest(k.key),
    caller: {
      role: k.role,
      name: k.name ?? k.role,
      address: k.privateKey ? new Wallet(k.privateKey).address : undefined,
      privateKey: k.privateKey,
      originatorCode: k.originatorCode,
      worksFor: k.worksFor,
      keyId: digest(k.key).toString("hex").slice(0, 12),
    },
  }));
}

/**
 * The client an address stands for, as every per-address limit counts it: an IPv4 address as itself (also
 * when a dual-stack socket shows it as `::ffff:a.b.c.d`), an IPv6 address by its /64 prefix — one host is
 * handed a whole /64, so counting single IPv6 addresses would give an attacker 2^64 fresh buckets.
 */
export function clientKeyOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * Events counted per key in fixed windows: failed authentications per client ({@link clientKeyOf}),
 * and content lookups that reveal nothing per API key (POST /v1/verify). Holds at most `maxEntries` addresses:
 * expired windows are swept when it is full, then the oldest is dropped (a flood of addresses costs
 * memory once, never more).
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly max: number, private readonly windowMs = 60_000, private readonly maxEntries = 100_000) {}

  /** When the last open window ends. */
  private until = 0;

  /** Whether no window is open at `now` (nobody can be blocked; the common case); the expired ones are then dropped. */
  quiet(now: number): boolean {
    if (this.windows.size === 0) return true;
    if (now < this.until) return false;
    this.windows.clear();
    return true;
  }

  /** Seconds until `key` may go on, or 0 when it is not over the limit. */
  blockedFor(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now || w.count < this.max) return 0;
    return Math.max(1, Math.ceil((w.resetAt - now) / 1000));
  }

  /** Counts one event of `key`. */
  fail(key: string, now: number): void {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= this.maxEntries) this.sweep(now);
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.delete(key);
      this.windows.set(key, w);
      this.until = Math.max(this.until, w.resetAt);
    }
    w.count++;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    while (this.windows.size >= this.maxEntries) this.windows.delete(this.windows.keys().next().value!);
  }
}

/**
 * API keys → callers. A key is looked up by its SHA-256 digest (never by the key itself: a lookup of a guess tells nothing of how much of it matched). An address with more than
 * AUTH_FAILURES_PER_MINUTE failed authentications gets 429 for every request that carries a key until its
 * minute is over, before the key is looked up: a correct key from that address is refused too, or the
 * limit would tell a guesser which of its guesses was right. Requests without a key are not affected.
 */
export default fp(
  async function authPlugin(fastify: FastifyInstance) {
    const callers = callersFromConfig(fastify.config.apiKeys);
    const limiter = new AuthFailureLimiter(fastify.config.authFailuresPerMinute);
    const attempts = new Counter({
      name: "debtrail_auth_attempts_total",
      help: "Requests with an API key by outcome: ok, unknown-key and malformed (failures), blocked (refused with 429 before the key was looked up)",
      labelNames: ["outcome"],
      registers: [],
    });
    fastify.addHook("onReady", async () => {
      fastify.metrics?.registry.registerMetric(attempts);
    });

    // The outcomes' children, bound once (a label set hashed per request is a measurable part of a read).
    const outcome = {
      ok: attempts.labels("ok"), blocked: attempts.labels("blocked"), malformed: attempts.labels("malformed"), unknown: attempts.labels("unknown-key"),
    };
    // Keys by their SHA-256 digest: the digest of what the caller sent is looked up, never the key itself
    // (a lookup by the secret string would take longer the more of it matched).
    const byDigest = new Map(callers.map((c) => [c.digest.toString("hex"), c.caller]));
    // Authorization headers whose key was found, as sent: the next request with the same header skips the
    // regex and the digest (over half of the key check's CPU, bench:api). Only headers that matched a key are
    // here, so a guess never lands in it; and a guess looked up in it costs the same whatever it shares with
    // a kept header: V8 compares two strings' contents only when their whole-string hashes (seeded per
    // process) are equal. Keys are fixed at start, so a kept header stays right.
    const verified = new Map<string, Caller>();

    fastify.decorateRequest("caller", undefined);
    fastify.addHook("onRequest", (request, reply, done) => {
      const header = request.headers.authorization;
      if (!header) return done();
      const now = Date.now();
      // The client's address is worked out only when some address failed lately (or this request fails).
      const quiet = limiter.quiet(now);
      const client = quiet ? "" : clientKeyOf(request.ip);
      const wait = quiet ? 0 : limiter.blockedFor(client, now);
      if (wait > 0) {
        outcome.blocked.inc();
        reply.header("retry-after", String(wait));
        return done(Object.assign(new Error(`too many failed authentications from this address; try again in ${wait} s`), { statusCode: 429 }));
      }
      const known = verified.get(header);
      if (known) {
        outcome.ok.inc();
        request.caller = known;
        return done();
      }
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) {
        outcome.malformed.inc();
        limiter.fail(client || clientKeyOf(request.ip), now);
        return done(new UnauthorizedError("Authorization must be \"Bearer <api key>\"", "auth.malformed"));
      }
      const found = byDigest.get(hash("sha256", match[1]!, "hex"));
      if (!found) {
        outcome.unknown.inc();
        limiter.fail(client || clientKeyOf(request.ip), now);
        request.log.warn({ ip: request.ip }, "unknown API key");
        return done(new UnauthorizedError("unknown API key", "auth.unknown-key"));
      }
      outcome.ok.inc();
      if (verified.size >= MAX_VERIFIED_HEADERS) verified.clear();
      verified.set(header, found);
      request.caller = found;
      done();
    });

    fastify.decorate("requireRole", (...roles: ApiRole[]) => {
      const check = (request: FastifyRequest, _reply: unknown, done: (e?: Error) => void) => {
        if (!request.caller) return done(new UnauthorizedError());
        if (roles.length > 0 && !roles.includes(request.caller.role)) {
          return done(coded(new ForbiddenError(`role ${request.caller.role} may not do this; needs ${roles.join(" or ")}`, { roles }), "forbidden.role", { role: request.caller.role }));
        }
        done();
      };
      ROLE_CHECKS.add(check);
      return check;
    });
  },
  { name: "auth", dependencies: ["context"] },
);

/**
 * The rate limit of the verification routes (POST /v1/verify, /v1/verify/interruption-proof): anyone may verify —
 * anonymous callers per client address at VERIFY_RATE_LIMIT_PER_MINUTE, keyed ones per key at the general limit.
 */
export function verifyRateLimit(config: { rateLimitPerMinute: number; verifyRateLimitPerMinute: number }) {
  return {
    max: (request: { caller?: unknown }) => (request.caller ? config.rateLimitPerMinute : config.verifyRateLimitPerMinute),
    timeWindow: 60_000,
    keyGenerator: (request: { caller?: { keyId: string }; ip: string }) => (request.caller ? `verify-key:${request.caller.keyId}` : `verify-ip:${clientKeyOf(request.ip)}`),
  };
}
