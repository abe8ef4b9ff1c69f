import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { AsOfBlock, Bytes32, errors, ReadQuery, TxHash } from "../schemas.js";
import { RULINGS } from "../../app/cases/reads.js";

const TimelineItem = Type.Object({
  type: Type.String({ description: "report | state-changed | arbitration-started | ruling-applied | enforcement-ordered | closed | restructured | notice-delivered; off chain: feed | survey" }),
  txHash: Type.Optional(TxHash),
  blockNumber: Type.Optional(Type.Integer()),
  timestamp: Type.String(),
  offChain: Type.Optional(Type.Boolean({ description: "true for items from the off-chain store (feeds, surveys): no transaction, but an evidence record" })),
  recordId: Type.Optional(Bytes32),
  provenance: Type.Optional(Type.Object({ source: Type.String(), fetchedAt: Type.String(), contentHash: Bytes32, reference: Type.Optional(Type.String()) })),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const Dispute = Type.Object({
  disputeId: Type.String(),
  claimId: Bytes32,
  arbitrable: Type.String(),
  choices: Type.Integer(),
  status: Type.String({ description: "waiting | solved (an arbitral award is final: no appeal period)" }),
  ruling: Type.Union([Type.String(), Type.Null()]),
  executed: Type.Boolean({ description: "the ruling was given, and so executed on the case in the same transaction" }),
  ruledAt: Type.Union([Type.String(), Type.Null()]),
});

/** Cases and disputes: reads from the chain index (src/app/cases/reads.ts), and a court's ruling. */
const caseRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/v1/cases/:claimId",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["cases"],
        summary: "A claim's case: state, clause terms and the timeline of reports, transitions, notices, arbitration and rulings from chain events (the chain index)",
        description: "Any key reads the on-chain timeline; its off-chain items (feeds, surveys) only the claim's parties (src/app/access.ts): for others they are left out and offChainWithheld is true. asOfBlock names the block the chain index reflected; ?minBlock= waits for a write's block.",
        params: Type.Object({ claimId: Bytes32 }),
        querystring: ReadQuery,
        response: {
          200: Type.Object({
            claimId: Bytes32,
            asOfBlock: AsOfBlock,
            state: Type.String(),
            stateZh: Type.String(),
            nonce: Type.Integer(),
            lastAsOf: Type.Union([Type.String(), Type.Null()]),
            lastNoticeAt: Type.Union([Type.String(), Type.Null()]),
            disputeId: Type.Union([Type.String(), Type.Null()]),
            clauses: Type.Object({ warnDays: Type.Integer(), demandDays: Type.Integer(), arbitrationDays: Type.Integer(), coverageBps: Type.Integer(), noticeDays: Type.Integer() }),
            timeline: Type.Array(TimelineItem),
            offChainWithheld: Type.Optional(Type.Boolean({ description: "true when the off-chain items were left out: the caller is not a party of the claim" })),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      await fastify.reads.atLeast(request.query);
      const id = request.params.claimId.toLowerCase();
      return fastify.reads.sendChainRead(reply, request.caller!, `case|${id}`, () => fastify.reads.cases.get(request.caller!, id));
    },
  );

  fastify.get(
    "/v1/disputes/:id",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["cases"],
        summary: "A dispute at the arbitrator (ERC-792), from the chain index",
        params: Type.Object({ id: Type.String({ pattern: "^[0-9]{1,20}$" }) }),
        querystring: ReadQuery,
        response: { 200: Type.Object({ ...Dispute.properties, asOfBlock: AsOfBlock }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await fastify.reads.atLeast(request.query);
      return fastify.reads.sendChainRead(reply, { role: "any" }, `dispute|${request.params.id}`, () => fastify.reads.cases.dispute(request.params.id));
    },
  );

  fastify.post(
    "/v1/disputes/:id/ruling",
    {
      preHandler: fastify.requireRole("court"),
      schema: {
        tags: ["cases"],
        summary: "Give a ruling (court): enforce (auction the collateral), dismiss, settle, or refused (the case returns to the demand); final (no appeal) and executed on chain in the same transaction",
        params: Type.Object({ id: Type.String({ pattern: "^[0-9]{1,20}$" }) }),
        body: Type.Object({ ruling: Type.Unsafe<(typeof RULINGS)[number]>({ type: "string", enum: [...RULINGS] }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            disputeId: Type.String(),
            ruling: Type.String(),
            txHash: TxHash,
            blockNumber: Type.Integer(),
            blockHash: Bytes32,
            executed: Type.Object({ txHash: TxHash, blockNumber: Type.Integer() }, { description: "the ruling's own transaction: an award is executed when given" }),
            dispute: Type.Object(Dispute.properties, { description: "the dispute as the chain says it after the ruling" }),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.rulings.rule(request.caller!, request.params.id, request.body.ruling)),
  );

  fastify.post(
    "/v1/cases/:claimId/notice-delivery",
    {
      preHandler: fastify.requireRole("bank", "amc"),
      schema: {
        tags: ["cases"],
        summary: "The holder puts its case's last notice's proven delivery on chain (送达): the wait before the next step runs from delivery (CollectionClauses.recordNoticeDelivery)",
        description: "proof: a delivery-proof evidence record of the claim delivering the notice whose commitment the chain holds; core/delivery.ts must count it. Once per notice; the contract refuses anyone but the holder and a day before sending or in the future.",
        params: Type.Object({ claimId: Bytes32 }),
        body: Type.Object({ proof: Bytes32 }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            recorded: Type.Boolean({ description: "false: delivered when the chain took the notice, its period already runs from then" }),
            reason: Type.Optional(Type.String()),
            deliveredAt: Type.String(), proof: Bytes32,
            txHash: Type.Optional(TxHash), blockNumber: Type.Optional(Type.Integer()),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => fastify.noticeDelivery.record(request.caller!, request.params.claimId, request.body),
  );
};

export default caseRoutes;
