import { LogController, type FastifyInstance, type FastifyServerOptions, type RouteOptions } from "fastify";
import rateLimit from "@fastify/rate-limit";
import type { Config } from "../config/config.js";
import { ErrorBody } from "./schemas.js";
import contextPlugin from "./plugins/context.js";
import errorsPlugin from "./plugins/errors.js";
import authPlugin, { isRoleCheck } from "./plugins/auth.js";
import rateLimitPlugin from "./plugins/rate-limit.js";
import metricsPlugin from "./plugins/metrics.js";
import docsPlugin from "./plugins/docs.js";
import servicesPlugin from "./plugins/services.js";
import personalDataLog from "./plugins/personal-data-log.js";
import compressPlugin from "./plugins/compress.js";
import opsRoutes from "./routes/ops.js";
import claimRoutes from "./routes/claims.js";
import jobRoutes from "./routes/jobs.js";
import assignmentRoutes from "./routes/assignments.js";
import evidenceRoutes from "./routes/evidence.js";
import assessmentRoutes from "./routes/assessments.js";
import oracleRoutes from "./routes/oracle.js";
import caseRoutes from "./routes/cases.js";
import consoleRoutes from "./routes/console.js";
import offerRoutes from "./routes/offers.js";
import pageRoutes from "./routes/pages.js";

export interface AppOptions {
  config: Config;
}

/**
 * The authenticated bulk routes: the only ones that take bodies up to BODY_LIMIT_BYTES. Every other
 * route takes DEFAULT_BODY_LIMIT_BYTES (1 MiB), except one evidence record (a transcript of up to a
 * million characters, up to 4 bytes each in UTF-8) and a 时效中断证明 to verify (4 MiB).
 */
export const BULK_ROUTES: readonly string[] = [
  "POST /v1/claims/batch",
  "POST /v1/assessments",
  "POST /v1/comparables/import",
  "POST /v1/loan-status/batch",
  "POST /v1/evidence/batch",
  "POST /v1/feeds",
  "POST /v1/feeds/import",
  "POST /v1/oracle/sign",
];
const DOCUMENT_ROUTES: Readonly<Record<string, number>> = {
  "POST /v1/evidence": 4 * 1024 * 1024 + 64 * 1024,
  // A 时效中断证明: a few kB per bundle, three bundles per interruption.
  "POST /v1/verify/interruption-proof": 4 * 1024 * 1024,
};

/** Server options the app needs (timeouts are 0 = unlimited in Fastify by default). */
export function serverOptions(config: Config): FastifyServerOptions {
  return {
    logger: { level: config.logLevel },
    // One line per request, at REQUEST_LOG_LEVEL (debug on the local dev chain): see requestLog below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.defaultBodyLimitBytes,
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
  requestLog(fastify, opts.config.requestLogLevel);
  await fastify.register(authPlugin);
  fastify.addHook("onRoute", (route) => bodyPolicy(route, opts.config));
  // After auth's onRequest hook: a caller is counted by its key (however the header is spelled), anyone else by
  // client (its IPv4 address or IPv6 /64). The plugin serves the routes with a limit of their own (POST /v1/verify).
  await fastify.register(rateLimitPlugin, { max: opts.config.rateLimitPerMinute });
  await fastify.register(rateLimit, { global: false });
  await fastify.register(docsPlugin); // before any route, so every route is in the OpenAPI document
  await fastify.register(metricsPlugin);
  await fastify.register(servicesPlugin);
  await fastify.register(personalDataLog); // before the routes: its hook logs every answer that shows personal data
  await fastify.register(compressPlugin); // after it: the log reads the answer as the route made it
  await fastify.register(opsRoutes);
  await fastify.register(claimRoutes);
  await fastify.register(jobRoutes);
  await fastify.register(assignmentRoutes);
  await fastify.register(evidenceRoutes);
  await fastify.register(assessmentRoutes);
  await fastify.register(oracleRoutes);
  await fastify.register(caseRoutes);
  await fastify.register(pageRoutes);
  await fastify.register(offerRoutes);
  await fastify.register(import("./routes/surveys.js"));
  await fastify.register(import("./routes/feeds.js"));
  await fastify.register(import("./routes/limitation.js"));
  await fastify.register(import("./routes/claim-amounts.js"));
  await fastify.register(import("./routes/claim-limitation.js"));
  await fastify.register(import("./routes/claim-proofs.js"));
  await fastify.register(import("./routes/packages.js"));
  await fastify.register(import("./routes/disputes.js"));
  await fastify.register(consoleRoutes);
  await fastify.register(import("./routes/handover.js"));
  await fastify.register(import("./routes/market-room.js"));
  await fastify.register(import("./routes/market.js"));
}

/** Pino's level numbers (a logger at one level writes that level and those above). */
const LOG_LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** One log line per answered request (method, URL, status, time), at `level`, instead of Fastify's two at info. */
export function requestLog(fastify: FastifyInstance, level: "debug" | "info"): void {
  // Not added at all when the logger's level is above `level` (a hook costs every request, even one that logs nothing).
  if ((LOG_LEVELS[fastify.log.level] ?? 0) > LOG_LEVELS[level]!) return;
  fastify.addHook("onResponse", (request, reply, done) => {
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request");
    done();
  });
}

/**
 * Applied to every route as it is added: role checks run at onRequest, before the body is read (an
 * anonymous upload is refused without being parsed), and bulk routes take BODY_LIMIT_BYTES.
 */
function bodyPolicy(route: RouteOptions, config: Config): void {
  const pre = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  const checks = pre.filter(isRoleCheck);
  if (checks.length > 0) {
    const onRequest = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...onRequest, ...checks] as RouteOptions["onRequest"];
    const rest = pre.filter((h) => !isRoleCheck(h));
    route.preHandler = rest.length > 0 ? (rest as RouteOptions["preHandler"]) : undefined;
  }
  for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
    const id = `${method} ${route.url}`;
    if (BULK_ROUTES.includes(id)) route.bodyLimit = config.bodyLimitBytes;
    else if (DOCUMENT_ROUTES[id] !== undefined) route.bodyLimit = Math.max(config.defaultBodyLimitBytes, Math.min(DOCUMENT_ROUTES[id], config.bodyLimitBytes));
  }
}
