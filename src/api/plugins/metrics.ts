import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { Registry, collectDefaultMetrics, Counter, Gauge } from "prom-client";
import { Type } from "typebox";
import type { AppMetrics } from "../../app/deps.js";
import { RequestStats } from "../request-stats.js";

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
    // Requests per route: plain numbers read at scrape time (src/api/request-stats.ts), not prom-client children.
    const stats = new RequestStats();
    stats.register(registry);
    const chainTransactions = new Counter({
      name: "debtrail_chain_transactions_total",
      help: "Transactions sent by kind and outcome",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    });
    const jobsQueued = new Gauge({ name: "debtrail_jobs_open", help: "Import jobs not finished", registers: [registry] });
    fastify.decorate("metrics", { registry, chainTransactions, jobsQueued });

    fastify.addHook("onResponse", (request, reply, done) => {
      stats.record(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
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
