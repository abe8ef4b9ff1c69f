import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, Bytes32, errors, Money, TxHash } from "../schemas.js";

/** Package sales (债权转让). */
const assignmentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/assignments",
    {
      preHandler: fastify.requireRole("bank", "amc"),
      schema: {
        tags: ["claims"],
        summary: "Sell a package of claims the caller holds to a HOLDER",
        body: Type.Object(
          {
            claimIds: Type.Array(Bytes32, { minItems: 1, maxItems: 500 }),
            to: Address,
            packageId: Type.String({ pattern: "^[A-Za-z0-9_-]{1,31}$" }),
            price: Money,
            notice: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000, description: "assignment notice text (债权转让通知); kept off chain, its keccak256 goes on chain" })),
            noticeHash: Type.Optional(Bytes32),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ txHash: TxHash, blockNumber: Type.Integer(), packageId: Type.String(), noticeHash: Bytes32 }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.assignments.assign(request.caller!, request.body)),
  );
};

export default assignmentRoutes;
