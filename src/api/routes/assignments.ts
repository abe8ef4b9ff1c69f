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
        summary: "Sell a package of claims the caller holds to a HOLDER (a package id once per seller: 400 package-id-taken)",
        body: Type.Object(
          {
            claimIds: Type.Array(Bytes32, { minItems: 1, maxItems: 500 }),
            to: Address,
            packageId: Type.String({ minLength: 1, maxLength: 64, description: "the package's name, any script (e.g. 2026年第一批不良资产包), once per seller; the chain gets a salted reference to it (src/core/packages.ts)" }),
            price: Money,
            notice: Type.String({ minLength: 1, maxLength: 100_000, description: "assignment notice text (债权转让通知); kept off chain: a salted commitment keccak256(abi.encode(salt, keccak256(notice))) goes on chain" }),
            noticeHash: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "keccak256 of notice, checked if given" })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            txHash: TxHash, blockNumber: Type.Integer(), blockHash: TxHash, packageId: Type.String(),
            packageRef: Type.String({ description: "what the chain carries as packageId: keccak256(abi.encode(packageSalt, keccak256(utf8(packageId))))" }),
            packageSalt: Type.String(),
            priceShares: Type.Record(Type.String(), Money, { description: "each claim's share of the price (fen), pro rata to its outstanding at the cut-off, the remainder on the last claim" }),
            noticeHash: Type.String({ description: "the salted commitment on chain (ClaimAssigned.noticeHash)" }),
            noticeContentHash: Type.String({ description: "keccak256 of the notice text" }),
            noticeSalt: Type.String({ description: "the commitment's salt: keep it with the notice; noticeHash = keccak256(abi.encode(noticeSalt, noticeContentHash))" }),
            handoverId: Type.String({ description: "the handover of the claims' loan files to the buyer's node: GET /v1/handover/outbox/:id" }),
            filesCommitment: Type.String({ description: "the salted commitment to the loan files on chain (ClaimAssigned.filesCommitment)" }),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.assignments.assign(request.caller!, request.body)),
  );
};

export default assignmentRoutes;
