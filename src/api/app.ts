import type { FastifyInstance, FastifyServerOptions } from "fastify";
import rateLimit from "@fastify/rate-limit";
import { createHash } from "node:crypto";
import type { Config } from "../config/config.js";
import { ErrorBody } from "./schemas.js";
import contextPlugin from "./plugins/context.js";
import errorsPlugin from "./plugins/errors.js";
import authPlugin from "./plugins/auth.js";
import metricsPlugin from "./plugins/metrics.js";
import docsPlugin from "./plugins/docs.js";
import servicesPlugin from "./plugins/services.js";
import opsRoutes from "./routes/ops.js";
import claimRoutes from "./routes/claims.js";
import jobRoutes from "./routes/jobs.js";
import assignmentRoutes from "./routes/assignments.js";
import evidenceRoutes from "./routes/evidence.js";
import assessmentRoutes from "./routes/assessments.js";
import oracleRoutes from "./routes/oracle.js";
import consoleRoutes from "./routes/console.js";
import offerRoutes from "./routes/offers.js";
import pageRoutes from "./routes/pages.js";

export interface AppOptions {
  config: Config;
}

/** Server options the app needs (timeouts are 0 = unlimited in Fastify by default). */
export function serverOptions(config: Config): FastifyServerOptions {
  return {
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    connectionTimeout: config.requestTimeoutMs + 10_000,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 10_000,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false, verbose: true } },
  };
}

/** The Debtrail API as a Fastify plugin; `server.ts` only boots it. */
export default async function app(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  fastify.addSchema(ErrorBody);
  await fastify.register(contextPlugin, { config: opts.config });
  await fastify.register(errorsPlugin);
  await fastify.register(authPlugin);
  await fastify.register(rateLimit, {
    max: opts.config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      request.headers.authorization ? createHash("sha256").update(request.headers.authorization).digest("hex").slice(0, 16) : request.ip,
  });
  await fastify.register(docsPlugin); // before any route, so every route is in the OpenAPI document
  await fastify.register(metricsPlugin);
  await fastify.register(servicesPlugin);
  await fastify.register(opsRoutes);
  await fastify.register(claimRoutes);
  await fastify.register(jobRoutes);
  await fastify.register(assignmentRoutes);
  await fastify.register(evidenceRoutes);
  await fastify.register(assessmentRoutes);
  await fastify.register(oracleRoutes);
  await fastify.register(pageRoutes);
  await fastify.register(offerRoutes);
  await fastify.register(import("./routes/surveys.js"));
  await fastify.register(import("./routes/feeds.js"));
  await fastify.register(import("./routes/limitation.js"));
  await fastify.register(consoleRoutes);
}
