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
        summary: "Liveness and chain reachability (the node as the chain indexer last polled it, at most 5 s ago; else asked now)",
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal("ok"), chainId: Type.String(), blockNumber: Type.Integer(), deployment: Type.String() }),
          503: Type.Object({ status: Type.Literal("degraded"), reason: Type.Literal("chain-unreachable"), message: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      const down = () => reply.status(503).send({ status: "degraded" as const, reason: "chain-unreachable" as const, message: "the chain node is not reachable / 区块链节点不可达" });
      // The node as the chain indexer polled it within the last seconds: no JSON-RPC call per request, so
      // a busy node (an import's transactions) never slows the API's own liveness answer.
      const seen = fastify.reads.chainSeen();
      if (seen) return seen.reachable ? { status: "ok" as const, chainId: fastify.chain.deployment.chainId, blockNumber: seen.head, deployment: fastify.chain.key } : down();
      try {
        const blockNumber = await fastify.chain.provider.getBlockNumber();
        return { status: "ok" as const, chainId: fastify.chain.deployment.chainId, blockNumber, deployment: fastify.chain.key };
      } catch (e) {
        // The node's error text may carry its URL, and with it an RPC key: it goes to the log, never to the caller.
        request.log.warn({ err: e }, "healthz: chain node unreachable");
        return down();
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
            buyerKind: Type.Union([oneOf(["licensed-amc", "qualified-investor"] as const), Type.Null()], {
              description: "what the chain makes the caller's account as a buyer (HOLDER with LICENSED_AMC or QUALIFIED_INVESTOR): who may bid on which listing and enter which data room follows it; null: neither (or the chain could not be read now)",
            }),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const c = request.caller!;
      // Read from the chain's roles (cached a minute per account); a chain that cannot be read now does not fail the answer.
      const buyerKind = c.address ? await fastify.marketRoom.buyerKindOf(c.address).catch(() => null) : null;
      return { role: c.role, name: c.name, address: c.address ?? null, originatorCode: c.originatorCode ?? null, worksFor: c.worksFor ?? null, buyerKind };
    },
  );
};

export default opsRoutes;
