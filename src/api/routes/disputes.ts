import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, AsOfBlock, Bytes32, errors, Money, ReadQueryProps, TxHash } from "../schemas.js";

/** The court's pages behind the console (issue 18): the disputes before it, and one dispute's evidence group and execution. */
const disputeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/v1/disputes",
    {
      preHandler: fastify.requireRole("court", "admin"),
      schema: {
        tags: ["cases"],
        summary: "The disputes before the court (arbitrations CollectionClauses started), waiting ones first: claim, contract number, debtor (for the court), status and ruling",
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal("waiting"), Type.Literal("solved")])), ...ReadQueryProps }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            asOfBlock: AsOfBlock,
            total: Type.Integer(),
            disputes: Type.Array(Type.Object({
              disputeId: Type.String(), claimId: Bytes32,
              contractNo: Type.Union([Type.String(), Type.Null()], { description: "null: this node keeps no record of the claim (registered through another organisation's node)" }), debtorName: Type.Optional(Type.String()), holder: Address,
              outstanding: Money, state: Type.String(), stateZh: Type.String(), status: Type.String(), ruling: Type.Union([Type.String(), Type.Null()]),
              openedAt: Type.String(), openedTx: TxHash, ruledAt: Type.Union([Type.String(), Type.Null()]),
            })),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { status, minBlock, minBlockHash } = request.query;
      await fastify.reads.atLeast({ minBlock, minBlockHash });
      return fastify.reads.sendConsoleRead(reply, request.caller!, `disputes|${status ?? ""}`, () => fastify.reads.disputes.list(request.caller!, status));
    },
  );

  fastify.get(
    "/v1/disputes/:id/record",
    {
      preHandler: fastify.requireRole("court", "admin"),
      schema: {
        tags: ["cases"],
        summary: "A dispute's record: its evidence group (ERC-1497 Evidence events: party, URI, transaction) and the ruling's execution on the case (ruling applied, enforcement ordered, closed)",
        params: Type.Object({ id: Type.String({ pattern: "^[1-9][0-9]{0,19}$", description: "dispute id" }) }),
        querystring: Type.Object({ ...ReadQueryProps }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            disputeId: Type.String(), claimId: Bytes32, asOfBlock: AsOfBlock,
            evidenceGroup: Type.Array(Type.Object({ party: Address, uri: Type.String(), txHash: TxHash, blockNumber: Type.Integer(), timestamp: Type.String() })),
            execution: Type.Array(Type.Object({ type: Type.String(), details: Type.Record(Type.String(), Type.Unknown()), txHash: TxHash, blockNumber: Type.Integer(), timestamp: Type.String() })),
            ruledTx: Type.Union([TxHash, Type.Null()]), ruledBlock: Type.Union([Type.Integer(), Type.Null()]), ruledBy: Type.Union([Address, Type.Null()]),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      await fastify.reads.atLeast(request.query);
      return fastify.reads.disputes.detail(request.params.id);
    },
  );
};

export default disputeRoutes;
