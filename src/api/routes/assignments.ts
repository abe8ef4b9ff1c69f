import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, Bytes32, errors, Money, oneOf, TxHash } from "../schemas.js";
import { BUYER_KINDS } from "../../core/transfer-rules.js";

const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });

/** The transfer as the rules require it (src/app/assignments/transfer.ts). */
const TransferSchema = Type.Object(
  {
    buyerKind: oneOf(BUYER_KINDS, "what the buyer is licensed as: a national financial AMC, a local AMC, another qualified investor, a bank"),
    transferee: Type.String({ minLength: 1, maxLength: 200, description: "the buyer as it signs the notices" }),
    transfereeContact: Type.String({ minLength: 1, maxLength: 500, description: "the buyer's contact told to each debtor (个人信息保护法第23条)" }),
    cutoffDate: Type.Optional(Day),
    deliveryDate: Type.Optional(Day),
    listingNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "银登中心 listing number" })),
    cureDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    repaymentAccount: Type.Optional(Type.Object({ name: Type.String({ minLength: 1 }), bank: Type.String({ minLength: 1 }), number: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    allowSecuredPersonal: Type.Optional(Type.Boolean({ description: "the seller's declared exception for secured personal loans" })),
    amounts: Type.Optional(Type.Record(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" }), Type.Object({
      principal: Type.Optional(Money), interest: Type.Optional(Money), penaltyInterest: Type.Optional(Money), compoundInterest: Type.Optional(Money), fees: Type.Optional(Money),
    }, { additionalProperties: false }), { description: "each claim's amounts at the 基准日 (default: principal = the registered outstanding)" })),
    announcement: Type.Optional(Type.Boolean({ description: "also render the newspaper 债权转让暨债务催收公告 for the buyer to publish" })),
  },
  { additionalProperties: false, description: "optional: the batch-transfer rules are checked first (26号文, 1191号文), one 债权转让暨催收联合通知书 per debtor and guarantor is recorded as evidence after the sale" },
);

/** Package sales (债权转让). */
const assignmentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/assignments",
    {
      preHandler: fastify.requireRole("bank", "amc"),
      schema: {
        tags: ["claims"],
        summary: "Sell a package of claims the caller holds to a HOLDER (a package id once per seller: 400 package-id-taken, 409 when the chain has it already; the same sale retried after it went through answers as it did)",
        body: Type.Object(
          {
            claimIds: Type.Array(Bytes32, { minItems: 1, maxItems: 500 }),
            to: Address,
            packageId: Type.String({ minLength: 1, maxLength: 64, description: "the package's name, any script (e.g. 2026年第一批不良资产包), once per seller; the chain gets a salted reference to it (src/core/packages.ts)" }),
            price: Money,
            notice: Type.String({ minLength: 1, maxLength: 100_000, description: "assignment notice text (债权转让通知); kept off chain: a salted commitment keccak256(abi.encode(salt, keccak256(notice))) goes on chain" }),
            noticeHash: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "keccak256 of notice, checked if given" })),
            transfer: Type.Optional(TransferSchema),
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
            transfer: Type.Optional(Type.Object({
              letters: Type.Array(Type.Object({
                claimId: Bytes32, party: oneOf(["debtor", "guarantor"] as const), guarantor: Type.Optional(Type.Integer()),
                contentHash: Bytes32, recordId: Type.String({ description: "the letter's evidence record: post it, then record its delivery proof" }),
              })),
              announcement: Type.Optional(Type.Object({ text: Type.String(), contentHash: Bytes32, claimIds: Type.Array(Bytes32) }, { description: "to publish; record it (kind announcement, the newspaper page attached) in each claim once it appears" })),
            })),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.assignments.assign(request.caller!, request.body)),
  );
};

export default assignmentRoutes;
