import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Bytes32, errors, TxHash } from "../schemas.js";

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
  ),
});

/** Background jobs: progress and per-item results. */
const jobRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/v1/jobs/:id",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["jobs"],
        summary: "Progress and per-claim results of a job (its creator or an admin)",
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        response: { 200: JobView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const job = await fastify.jobs.get(request.caller!, request.params.id);
      return { ...job, owner: undefined };
    },
  );
};

export default jobRoutes;
