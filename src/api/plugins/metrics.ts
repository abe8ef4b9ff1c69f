import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { Registry, collectDefaultMetrics, Counter, Histogram, Gauge } from "prom-client";
import { Type } from "typebox";
import type { AppMetrics } from "../../app/deps.js";

declare module "fastify" {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

/** Prometheus metrics at GET /metrics: request counts and latency per route, chain writes, jobs. */
export default fp(
  async function metricsPlugin(fastify: FastifyInstance) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({
      name: "debtrail_http_requests_total",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    });
    const duration = new Histogram({
      name: "debtrail_http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const chainTransactions = new Counter({
      name: "debtrail_chain_transactions_total",
      help: "Transactions sent by kind and outcome",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    });
    const jobsQueued = new Gauge({ name: "debtrail_jobs_open", help: "Import jobs not finished", registers: [registry] });
    fastify.decorate("metrics", { registry, chainTransactions, jobsQueued });

    // Per-request cost: the labelled children are looked up once per (method, route, status) and kept,
    // instead of hashing the label set twice on every response.
    const counted = new Map<string, { inc(): void }>();
    const timed = new Map<string, { observe(v: number): void }>();
    fastify.addHook("onResponse", (request, reply, done) => {
      const route = request.routeOptions.url ?? "unmatched";
      const at = `${request.method} ${route}`;
      const key = `${at} ${reply.statusCode}`;
      let c = counted.get(key);
      if (!c) counted.set(key, (c = requests.labels(request.method, route, String(reply.statusCode))));
      c.inc();
      let t = timed.get(at);
      if (!t) timed.set(at, (t = duration.labels(request.method, route)));
      t.observe(reply.elapsedTime / 1000);
      done();
    });

    fastify.get(
      "/metrics",
      {
        schema: {
          tags: ["ops"],
          summary: "Prometheus metrics",
          security: [],
          response: { 200: Type.String({ description: "Prometheus text format" }) },
        },
      },
      async (_request, reply) => {
        reply.type(registry.contentType);
        return registry.metrics();
      },
    );
  },
  { name: "metrics" },
);
