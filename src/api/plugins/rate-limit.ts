import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { clientKeyOf } from "./auth.js";

/** Requests per key in one fixed window: counted, and the window's end. Bounded in memory. */
export class RequestWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly windowMs = 60_000, private readonly maxEntries = 100_000) {}

  /** Counts one request of `key` at `now`; answers its count in the window and when the window ends. */
  hit(key: string, now: number): { count: number; resetAt: number } {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= this.maxEntries) {
        for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
        while (this.windows.size >= this.maxEntries) this.windows.delete(this.windows.keys().next().value!);
      }
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.delete(key);
      this.windows.set(key, w);
    }
    w.count++;
    return w;
  }
}

/**
 * The general rate limit: RATE_LIMIT_PER_MINUTE requests per caller — counted by its key id (after auth's
 * onRequest hook: however the header is spelled), anyone else by client (its IPv4 address or IPv6 /64) —
 * in fixed one-minute windows, with the usual x-ratelimit-* headers and 429 + retry-after over it. One
 * synchronous map update per request (the @fastify/rate-limit plugin it replaces took several promises and
 * an LRU cache per request); routes with a limit of their own (`config.rateLimit`, e.g. POST /v1/verify)
 * keep the plugin's and are not counted here.
 */
export default fp(
  async function rateLimitPlugin(fastify: FastifyInstance, opts: { max: number; windowMs?: number }) {
    // Keyed callers by their key id as it is (a string made once, its hash kept: a look-up per request costs no
    // new string), anyone else by client address.
    const byKey = new RequestWindows(opts.windowMs ?? 60_000);
    const byClient = new RequestWindows(opts.windowMs ?? 60_000);
    const limit = String(opts.max);
    fastify.addHook("onRequest", (request, reply, done) => {
      if ((request.routeOptions.config as { rateLimit?: unknown } | undefined)?.rateLimit) return done();
      const now = Date.now();
      const w = request.caller ? byKey.hit(request.caller.keyId, now) : byClient.hit(clientKeyOf(request.ip), now);
      const reset = String(Math.max(1, Math.ceil((w.resetAt - now) / 1000)));
      reply.header("x-ratelimit-limit", limit);
      reply.header("x-ratelimit-remaining", String(Math.max(0, opts.max - w.count)));
      reply.header("x-ratelimit-reset", reset);
      if (w.count <= opts.max) return done();
      reply.header("retry-after", reset);
      done(Object.assign(new Error(`Rate limit exceeded, retry in ${reset} s`), { statusCode: 429 }));
    });
  },
  { name: "rate-limit", dependencies: ["auth"] },
);
