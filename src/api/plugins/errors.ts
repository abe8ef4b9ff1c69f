import fp from "fastify-plugin";
import type { FastifyError, FastifyInstance } from "fastify";
import { DebtrailError } from "../../core/errors.js";
import { codeOfError, localise, schemaErrorCode } from "../error-codes.js";

/** ethers error codes that mean "the node could not answer", not "the request was wrong". */
const CHAIN_UNAVAILABLE = new Set(["NETWORK_ERROR", "SERVER_ERROR", "TIMEOUT", "BAD_DATA", "UNKNOWN_ERROR", "CANCELLED"]);

/** HTTP status of each coded error. */
const STATUS: Record<string, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  COMPLIANCE: 422,
  CHAIN_REVERT: 409,
  UNAVAILABLE: 503,
};

/** The one error handler: coded errors → HTTP, schema errors → 400 naming the field, the rest → 500 (logged). */
export default fp(
  async function errorsPlugin(fastify: FastifyInstance) {
    fastify.setErrorHandler((error: FastifyError | DebtrailError, request, reply) => {
      if (error instanceof DebtrailError) {
        const status = STATUS[error.code] ?? 400;
        if (status >= 500) request.log.warn({ err: error }, "dependency unavailable");
        const { field, rule, ...rest } = error.details as { field?: string; rule?: string };
        const { code, params } = codeOfError(error);
        return reply.status(status).send({ error: error.code, message: localise(request, code, params, error.message, rest), field, rule, details: rest, code, params });
      }
      const fe = error as FastifyError;
      // The store failed (disk full, I/O error, closed): nothing was acknowledged; the caller may retry.
      const storeCode = (error as { code?: string; cause?: { code?: string } }).code ?? "";
      if (storeCode.startsWith("LEVEL_") || /ENOSPC|EIO|EROFS/.test(String((error as { cause?: { code?: string } }).cause?.code ?? ""))) {
        request.log.error({ err: error }, "store write failed");
        const message = "the store could not write (disk full or I/O error); nothing was saved, try again later";
        return reply.status(503).send({ error: "UNAVAILABLE", message: localise(request, "unavailable.store", {}, message), details: { cause: storeCode }, code: "unavailable.store", params: {} });
      }
      // The chain node is unreachable, slow or answered garbage (a dropped or reset connection): 503, retry later.
      const ethersCode = (error as { code?: string }).code ?? "";
      const text = String((error as Error).message ?? "");
      if (CHAIN_UNAVAILABLE.has(ethersCode) || /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|fetch failed|other side closed/i.test(text)) {
        request.log.warn({ err: error }, "chain node unavailable");
        const message = "the chain node is not reachable or answered badly; nothing was changed by this request, try again";
        return reply.status(503).send({ error: "UNAVAILABLE", message: localise(request, "unavailable.chain", {}, message), details: { cause: ethersCode || "network" }, code: "unavailable.chain", params: {} });
      }
      if (fe.validation) {
        const first = fe.validation[0];
        const path = (first?.instancePath ?? "").split("/").filter(Boolean);
        const missing = (first?.params as { missingProperty?: string })?.missingProperty;
        const extra = (first?.params as { additionalProperty?: string })?.additionalProperty;
        const field = [fe.validationContext, ...path, missing ?? extra].filter(Boolean).join(".")
          .replace(/\.(\d+)(?=\.|$)/g, "[$1]");
        // With ajv's `verbose`, the failing schema is at hand: its description says the rule in words.
        const description = (first as { parentSchema?: { description?: string } })?.parentSchema?.description;
        // A pattern is said in words (the schema's description), never as the regular expression itself.
        const rule = extra
          ? "is not an allowed property"
          : first?.keyword === "pattern"
            ? description ? `must be ${description}` : "is not in the expected form"
            : first?.message ?? "is invalid";
        const { code, params } = schemaErrorCode(first, field, description);
        return reply.status(400).send({ error: "VALIDATION", message: localise(request, code, params, `${field}: ${rule}`), field, rule, code, params });
      }
      if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
        const error = fe.statusCode === 413 ? "PAYLOAD_TOO_LARGE" : fe.statusCode === 429 ? "RATE_LIMITED" : fe.code ?? "BAD_REQUEST";
        const code = fe.statusCode === 413 ? "payload-too-large" : fe.statusCode === 429 ? "rate-limited" : "bad-request";
        return reply.status(fe.statusCode).send({ error, message: localise(request, code, {}, fe.message), code, params: {} });
      }
      request.log.error({ err: error }, "unhandled error");
      return reply.status(500).send({ error: "INTERNAL", message: localise(request, "internal", {}, "internal error; it has been logged"), code: "internal", params: {} });
    });
    fastify.setNotFoundHandler((request, reply) => {
      const params = { method: request.method, path: request.url.split("?")[0] };
      return reply.status(404).send({ error: "NOT_FOUND", message: localise(request, "route-not-found", params, `no route ${params.method} ${params.path}`), code: "route-not-found", params });
    });
  },
  { name: "errors" },
);
