import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, errors, Money, TxHash } from "../schemas.js";

/** GET /v1/packages: the caller's package sales, newest first — what the console's packages page lists after a reload. */
const packageRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const names = new Map(fastify.config.apiKeys.filter((k) => k.privateKey).map((k) => [fastify.chain.wallet(k.privateKey!).address.toLowerCase(), k.name ?? k.role]));
  fastify.get(
    "/v1/packages",
    {
      preHandler: fastify.requireRole("bank", "amc"),
      schema: {
        tags: ["claims"],
        summary: "The caller's package sales (this node's records), newest first: name, on-chain reference, buyer, claims, price and each claim's share, transaction",
        response: {
          200: Type.Object({
            packages: Type.Array(Type.Object({
              packageId: Type.String(),
              packageRef: Type.String(),
              buyer: Address,
              buyerName: Type.Union([Type.String(), Type.Null()]),
              count: Type.Integer(),
              claimIds: Type.Array(Type.String()),
              contractNos: Type.Record(Type.String(), Type.String(), { description: "the claims' contract numbers as the seller's records had them at the sale" }),
              price: Money,
              priceShares: Type.Record(Type.String(), Money),
              status: Type.Union([Type.Literal("pending"), Type.Literal("done"), Type.Literal("failed")]),
              txHash: Type.Union([TxHash, Type.Null()]),
              blockNumber: Type.Union([Type.Integer(), Type.Null()]),
              createdAt: Type.String(),
            })),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const me = request.caller!.address;
      const sales = me ? await fastify.packages.list(me) : [];
      return {
        packages: sales.map((p) => ({
          packageId: p.label, packageRef: p.ref, buyer: p.buyer, buyerName: names.get(p.buyer.toLowerCase()) ?? null,
          count: p.claimIds.length, claimIds: p.claimIds, contractNos: p.contractNos ?? {}, price: p.price, priceShares: p.shares, status: p.status,
          txHash: p.txHash ?? null, blockNumber: p.blockNumber ?? null, createdAt: p.createdAt,
        })),
      };
    },
  );
};

export default packageRoutes;
