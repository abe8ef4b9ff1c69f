import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { errorCodes } from "fastify";
import { Address, Bytes32, errors, oneOf } from "../schemas.js";
import { ForbiddenError, ValidationError } from "../../core/errors.js";
import { PURPOSES } from "../../app/handover/reads-log.js";
import type { Envelope } from "../../app/handover/seller.js";

const Hex = (bytes: number) => Type.String({ pattern: `^0x[0-9a-f]{${bytes * 2}}$` });
const Loose = Type.Object({}, { additionalProperties: true });

const EnvelopeSchema = Type.Object({
  version: Type.Literal(1),
  chainId: Type.String({ pattern: "^[0-9]{1,20}$" }),
  registry: Address,
  from: Address,
  to: Address,
  txHash: Bytes32,
  blockNumber: Type.Integer({ minimum: 0 }),
  blockHash: Bytes32,
  packageRef: Bytes32,
  filesCommitment: Bytes32,
  part: Type.Object({ index: Type.Integer({ minimum: 0 }), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  recipientKey: Hex(32),
  ephemeralPublicKey: Hex(32),
  iv: Hex(12),
  ciphertext: Type.String({ pattern: "^[A-Za-z0-9+/]*={0,2}$", description: "AES-256-GCM ciphertext, base64" }),
  tag: Hex(16),
}, { additionalProperties: false });

/**
 * Loan-file handover between organisations' nodes (src/app/handover) and the personal-data read log.
 * POST /v1/handover/inbox takes no API key: a delivery is authenticated by the selling account's signature
 * and checked against the chain.
 */
const handoverRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const h = () => fastify.handover;

  fastify.get("/v1/handover/keys", {
    schema: {
      tags: ["handover"],
      security: [],
      summary: "This node's handover public key (X25519), signed (EIP-712 HandoverKey) by each account it serves: what sellers encrypt loan files to",
      response: {
        200: Type.Object({
          chainId: Type.String(), registry: Address,
          statements: Type.Array(Type.Object({ account: Address, publicKey: Bytes32, issuedAt: Type.Integer(), signature: Type.String() })),
        }),
        ...errors(),
      },
    },
  }, async () => h().buyer.keys());

  // A part in base64 with its envelope, never above the bulk routes' limit (BODY_LIMIT_BYTES).
  const inboxLimit = Math.min(Math.ceil(fastify.config.handover.partBytes * 1.4) + 256 * 1024, fastify.config.bodyLimitBytes);
  fastify.post("/v1/handover/inbox", {
    bodyLimit: inboxLimit,
    // Before the body is read: a body over the limit is refused as on every route; only an account that may
    // sell (ORIGINATOR or HOLDER on chain) sends.
    onRequest: async (request) => {
      if (Number(request.headers["content-length"] ?? 0) > inboxLimit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
      const sender = request.headers["x-debtrail-sender"];
      if (typeof sender !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(sender)) throw new ValidationError("X-Debtrail-Sender", "must be the selling account's address");
      if (!(await h().maySell(sender))) throw new ForbiddenError("X-Debtrail-Sender: the account holds neither ORIGINATOR nor HOLDER on chain", { field: "X-Debtrail-Sender" });
    },
    schema: {
      tags: ["handover"],
      security: [],
      headers: Type.Object({ "x-debtrail-sender": Type.Optional(Address) }),
      summary: "One part of a loan-file handover from a seller's node (signed by the selling account; idempotent)",
      body: Type.Object({ envelope: EnvelopeSchema, signature: Type.String({ pattern: "^0x[0-9a-fA-F]{130}$" }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          status: Type.Union([Type.Literal("accepted"), Type.Literal("already-received")]),
          txHash: Bytes32, received: Type.Integer(), expected: Type.Integer(),
          handover: Type.Union([Type.Literal("receiving"), Type.Literal("complete"), Type.Literal("refused")]),
        }),
        ...errors(400, 403, 409, 413),
      },
    },
  }, async (request) => h().buyer.receive(request.body.envelope as Envelope, request.body.signature, request.headers["x-debtrail-sender"] as string));

  fastify.get("/v1/handover/outbox", {
    preHandler: fastify.requireRole("admin", "bank", "amc"),
    schema: { tags: ["handover"], summary: "Handovers of this node's sales: the seller's own (the operator's admin all)", response: { 200: Type.Object({ handovers: Type.Array(Loose) }), ...errors(401, 403) } },
  }, async (request) => h().views.outboxList(request.caller!));

  fastify.get("/v1/handover/outbox/:id", {
    preHandler: fastify.requireRole("admin", "bank", "amc"),
    schema: { tags: ["handover"], summary: "One sale's handover: status, parts acknowledged, attempts, next attempt, last problem", params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: Loose, ...errors(401, 403, 404) } },
  }, async (request) => h().views.outbox(request.caller!, request.params.id));

  fastify.post("/v1/handover/outbox/:id/retry", {
    preHandler: fastify.requireRole("admin", "bank", "amc"),
    schema: { tags: ["handover"], summary: "Attempt a pending delivery now (not waiting for its back-off)", params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: Loose, ...errors(401, 403, 404) } },
  }, async (request) => {
    await h().views.outbox(request.caller!, request.params.id); // 404 for who may not see it
    await h().seller.retryNow(request.params.id);
    return h().views.outbox(request.caller!, request.params.id);
  });

  fastify.get("/v1/handover/inbox", {
    preHandler: fastify.requireRole("admin", "amc", "bank", "collector"),
    schema: { tags: ["handover"], summary: "Handovers received for the caller's account (received, expected, refusals); the operator's admin all, with recent refusals", response: { 200: Type.Object({ handovers: Type.Array(Loose), refusals: Type.Optional(Type.Array(Loose)) }), ...errors(401, 403) } },
  }, async (request) => h().views.inboxList(request.caller!));

  fastify.get("/v1/handover/inbox/:txHash", {
    preHandler: fastify.requireRole("admin", "amc", "bank", "collector"),
    schema: { tags: ["handover"], summary: "One received handover by its sale's transaction", params: Type.Object({ txHash: Bytes32 }), response: { 200: Loose, ...errors(401, 403, 404) } },
  }, async (request) => h().views.inbox(request.caller!, request.params.txHash));

  fastify.get("/v1/handover/claims/:claimId/file", {
    preHandler: fastify.requireRole("amc", "bank", "collector"),
    schema: {
      tags: ["handover"],
      summary: "A claim's loan file (debtor details, documents, evidence history) for its holder's side, or read-only for its seller until the retention ends; every read is logged with its purpose",
      params: Type.Object({ claimId: Bytes32 }),
      querystring: Type.Object({ purpose: oneOf(PURPOSES, "why the personal data is read (logged)") }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          claimId: Bytes32, source: Type.Union([Type.Literal("received"), Type.Literal("local"), Type.Literal("sold")]), readOnly: Type.Boolean(),
          from: Type.Optional(Address), to: Type.Optional(Address), txHash: Type.Union([Bytes32, Type.Null()]),
          receivedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])), retainUntil: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          file: Type.Unknown(), personalDataRedacted: Type.Literal(false),
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request) => h().views.file(request.caller!, request.params.claimId));

  fastify.get("/v1/personal-data/reads", {
    preHandler: fastify.requireRole("admin"),
    schema: {
      tags: ["handover"],
      summary: "The personal-data read log, newest first: who read which claim's personal data, why and through which route (and disclosures to buyers)",
      querystring: Type.Object({ claimId: Type.Optional(Bytes32), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ reads: Type.Array(Loose) }), ...errors(400, 401, 403) },
    },
  }, async (request) => ({ reads: await h().readsLog.list({ claimId: request.query.claimId, limit: request.query.limit ?? 100 }) }));

  fastify.post("/v1/handover/retention/run", {
    preHandler: fastify.requireRole("admin"),
    schema: { tags: ["handover"], summary: "Run the retention job now: delete sellers' copies whose retention period ended (PIPL 第47条)", response: { 200: Loose, ...errors(401, 403) } },
  }, async () => h().runRetention(Date.now()));
};

export default handoverRoutes;
