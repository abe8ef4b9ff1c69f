import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { ValidationError } from "../../core/errors.js";
import { MAX_IMPORT, MAX_RESULTS } from "../../app/jobs/jobs.js";
import { Bytes32, errors, TxHash } from "../schemas.js";
import { wholeBody } from "../whole-body.js";

const JobView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.Union([Type.Literal("queued"), Type.Literal("running"), Type.Literal("done")]),
  total: Type.Integer(),
  done: Type.Integer(),
  registered: Type.Integer(),
  failed: Type.Integer(),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      claimId: Type.Optional(Bytes32),
      status: Type.Union([Type.Literal("queued"), Type.Literal("registered"), Type.Literal("failed")]),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()), rule: Type.Optional(Type.String()) })),
      txHash: Type.Optional(TxHash),
      blockNumber: Type.Optional(Type.Integer()),
    }),
    { description: `a page of the rows, in row order: at most ?limit= (default and most ${MAX_RESULTS}) after row ?after=` },
  ),
  nextAfter: Type.Union([Type.Integer(), Type.Null()], { description: "pass as ?after= for the next page of results; null on the last page" }),
});

const BatchBody = Type.Object(
  { claims: Type.Array(Type.Object({}, { additionalProperties: true, description: "a ClaimRequest, as for POST /v1/claims" }), { minItems: 1, maxItems: MAX_IMPORT }) },
  { additionalProperties: false },
);

/** Batch imports: accept one as a job, read its progress and per-row results. */
const jobRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(async (raw) => {
    // The import's body is read as bytes (into shared memory: src/api/whole-body.ts) and parsed, checked and
    // prepared in a worker thread (src/app/jobs/intake.ts): a 100,000-row JSON body parsed here would hold up
    // every other request.
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("application/json", wholeBody);
    raw.post(
      "/v1/claims/batch",
      {
        preHandler: fastify.requireRole("bank"),
        // The schema documents the body; the worker checks it (the same rules, the same field names).
        validatorCompiler: () => (data) => ({ value: data }),
        schema: {
          tags: ["claims"],
          summary: `Register up to ${MAX_IMPORT.toLocaleString("en-US")} claims as a durable background job (bank); poll GET /v1/jobs/:id`,
          description: "Each row is validated on its own: an invalid row fails alone, named in the job's results; a row whose loan is already registered " +
            "(or being registered by another import) is refused as a conflict naming the row, and that claim's record is left as it is. " +
            "A batch with no row to register is refused as a whole (no job is written), naming the first bad row. The job and its rows are written before the 202.",
          body: BatchBody,
          response: {
            202: Type.Object({ jobId: Type.String(), total: Type.Integer(), rejected: Type.Integer({ description: "rows refused at acceptance (invalid, repeated, already registered); see the job's results" }) }),
            ...errors(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body)) throw new ValidationError("body", "must be JSON (content-type application/json)");
        const job = await fastify.jobs.accept(request.caller!, request.body);
        return reply.status(202).send({ jobId: job.id, total: job.total, rejected: job.failed });
      },
    );
  });

  fastify.get(
    "/v1/jobs/:id",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["jobs"],
        summary: "Progress and per-claim results of a job (its creator or an admin), a page of rows at a time",
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        querystring: Type.Object({
          after: Type.Optional(Type.String({ pattern: "^(0|[1-9][0-9]{0,6})$", description: "list the rows after this row index (the previous page's nextAfter)" })),
          limit: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,4}$", description: `rows listed, 1–${MAX_RESULTS} (default ${MAX_RESULTS})` })),
          failed: Type.Optional(Type.Union([Type.Literal("true"), Type.Literal("false")], { description: "true: list only the rows that failed" })),
        }, { additionalProperties: false }),
        response: { 200: JobView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { after, limit, failed } = request.query;
      const page = { after: after === undefined ? undefined : Number(after), limit: limit === undefined ? undefined : Number(limit), failedOnly: failed === "true" };
      const job = await fastify.jobs.get(request.caller!, request.params.id, page);
      return { ...job, owner: undefined };
    },
  );
};

export default jobRoutes;
