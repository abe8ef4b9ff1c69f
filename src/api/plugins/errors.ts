import fp from "fastify-plugin";
import type { FastifyError, FastifyInstance } from "fastify";
import { DebtrailError } from "../../core/errors.js";

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
        return reply.status(status).send({ error: error.code, message: error.message, field, rule, details: rest });
      }
      const fe = error as FastifyError;
      // The store failed (disk full, I/O error, closed): nothing was acknowledged; the caller may retry.
      const storeCode = (error as { code?: string; cause?: { code?: string } }).code ?? "";
      if (storeCode.startsWith("LEVEL_") || /ENOSPC|EIO|EROFS/.test(String((error as { cause?: { code?: string } }).cause?.code ?? ""))) {
        request.log.error({ err: error }, "store write failed");
        return reply.status(503).send({ error: "UNAVAILABLE", message: "the store could not write (disk full or I/O error); nothing was saved, try again later", details: { cause: storeCode } });
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
        const rule = extra
          ? "is not an allowed property"
          : description && first?.keyword === "pattern"
            ? `must be ${description}`
            : first?.message ?? "is invalid";
        return reply.status(400).send({ error: "VALIDATION", message: `${field}: ${rule}`, field, rule });
      }
      if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
        const code = fe.statusCode === 413 ? "PAYLOAD_TOO_LARGE" : fe.statusCode === 429 ? "RATE_LIMITED" : fe.code ?? "BAD_REQUEST";
        return reply.status(fe.statusCode).send({ error: code, message: fe.message });
      }
      request.log.error({ err: error }, "unhandled error");
      return reply.status(500).send({ error: "INTERNAL", message: "internal error; it has been logged" });
    });
    fastify.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ error: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` }),
    );
  },
  { name: "errors" },
);
