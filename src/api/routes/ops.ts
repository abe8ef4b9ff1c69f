import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, errors, oneOf } from "../schemas.js";
import { API_ROLES } from "../../config/roles.js";

/** Health and identity. */
const opsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/healthz",
    {
      schema: {
        tags: ["ops"],
        summary: "Liveness and chain reachability",
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal("ok"), chainId: Type.String(), blockNumber: Type.Integer(), deployment: Type.String() }),
          503: Type.Object({ status: Type.Literal("degraded"), reason: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        const blockNumber = await fastify.chain.provider.getBlockNumber();
        return { status: "ok" as const, chainId: fastify.chain.deployment.chainId, blockNumber, deployment: fastify.chain.key };
      } catch (e) {
        return reply.status(503).send({ status: "degraded" as const, reason: `chain node unreachable: ${(e as Error).message}`.slice(0, 200) });
      }
    },
  );

  fastify.get(
    "/v1/me",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["auth"],
        summary: "The caller's role and account",
        response: {
          200: Type.Object({
            role: oneOf(API_ROLES),
            name: Type.String(),
            address: Type.Union([Address, Type.Null()]),
            originatorCode: Type.Union([Type.String(), Type.Null()]),
            worksFor: Type.Union([Address, Type.Null()]),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const c = request.caller!;
      return { role: c.role, name: c.name, address: c.address ?? null, originatorCode: c.originatorCode ?? null, worksFor: c.worksFor ?? null };
    },
  );
};

export default opsRoutes;
