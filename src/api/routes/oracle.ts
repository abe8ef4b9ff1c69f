import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Bytes32, errors, IsoDate, Money, oneOf } from "../schemas.js";
import { PRODUCTS, DEBTOR_TYPES } from "../../core/claim-input.js";
import type { LoanStatusInput } from "../../oracle/types.js";

const LoanStatus = Type.Object(
  {
    claimId: Bytes32,
    asOf: IsoDate,
    daysPastDue: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    schedule: Type.Optional(Type.Array(Type.Object({ dueDate: IsoDate, principal: Money, interest: Type.Optional(Money) }, { additionalProperties: false }), { maxItems: 1200 })),
    payments: Type.Optional(Type.Array(Type.Object({ paidAt: IsoDate, amount: Money }, { additionalProperties: false }), { maxItems: 5000 })),
    outstanding: Money,
    collateralValue: Type.Optional(Money),
    product: Type.Optional(oneOf(PRODUCTS, "so a co-signing daemon without the claim's record scores it alike (default: the registered claim's)")),
    debtorType: Type.Optional(oneOf(DEBTOR_TYPES)),
  },
  { additionalProperties: false },
);

const Uint32 = Type.Integer({ minimum: 0, maximum: 4_294_967_295 });
const Grade = Type.Integer({ minimum: 0, maximum: 4 });

/** A report as a peer daemon sends it for co-signing (src/chain/reports.ts Report, big numbers as decimal strings). */
const PeerReport = Type.Object(
  {
    claimId: Bytes32,
    asOf: Type.String({ pattern: "^(0|[1-9][0-9]{0,18})$", description: "unix seconds, decimal string" }),
    daysPastDue: Uint32,
    outstanding: Money,
    collateralValue: Money,
    classification: Grade,
    riskGrade: Grade,
    noticeHash: Bytes32,
    nonce: Uint32,
  },
  { additionalProperties: false },
);

const Summary = Type.Object({}, { additionalProperties: true, description: "what the cycle did: planned, skipped by reason, submitted, applied, failed, transactions, notices" });



/** Loan statuses in, the oracle's cycles out (DESIGN.md "Contracts", "Service"); cases and disputes: routes/cases.ts. */
const oracleRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/loan-status",
    {
      preHandler: fastify.requireRole("bank", "amc", "feed"),
      schema: {
        tags: ["oracle"],
        summary: "Report a loan's status (days past due, or schedule + payments; outstanding; collateral value); the next oracle cycle acts on it",
        description:
          "The claim's holder (its bank or AMC key, or a feed key whose worksFor names the holder: its servicer) reports, and the daemon proposes a report from it. " +
          "A feed key's status of a claim its organisation does not hold is kept as the organisation's own observation: the daemon co-signs other daemons' reports from it, and never proposes one. " +
          "Anyone else: 403 (a seller, after the sale, included); an unregistered claim: 404.",
        body: LoanStatus,
        response: { 202: Type.Object({ accepted: Type.Integer() }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(202).send(await fastify.oracle.accept(request.caller!, [request.body as LoanStatusInput])),
  );

  fastify.post(
    "/v1/loan-status/batch",
    {
      preHandler: fastify.requireRole("bank", "amc", "feed"),
      schema: {
        tags: ["oracle"],
        summary: "Bulk import of loan statuses, all or nothing (up to 100,000); each as POST /v1/loan-status",
        body: Type.Object({ statuses: Type.Array(LoanStatus, { minItems: 1, maxItems: 100_000 }) }, { additionalProperties: false }),
        response: { 202: Type.Object({ accepted: Type.Integer() }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(202).send(await fastify.oracle.accept(request.caller!, request.body.statuses as LoanStatusInput[])),
  );

  fastify.post(
    "/v1/oracle/run",
    {
      preHandler: fastify.requireRole("admin"),
      schema: { tags: ["oracle"], summary: "Run one oracle cycle now and wait for it (this node's admin; a peer's oracle key only asks for signatures)", response: { 200: Summary, ...errors(401, 403) } },
    },
    async () => fastify.oracle.run(),
  );

  fastify.get(
    "/v1/oracle/status",
    {
      preHandler: fastify.requireRole(),
      schema: { tags: ["oracle"], summary: "The daemon: signer, quorum, peers, waiting work, last cycle, latency, recent failures", response: { 200: Type.Object({}, { additionalProperties: true }), ...errors(401) } },
    },
    async () => fastify.oracle.status(),
  );

  fastify.post(
    "/v1/oracle/sign",
    {
      preHandler: fastify.requireRole("oracle", "admin"),
      schema: {
        tags: ["oracle"],
        summary: "Co-sign reports of a peer daemon: each is checked against this organisation's own data (its feeds' observations, or its own status as the claim's holder), the scoring core and the chain",
        body: Type.Object({
          reports: Type.Array(Type.Object({ report: PeerReport, notice: Type.Optional(Type.Object({ text: Type.String({ maxLength: 100_000 }), salt: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "the notice's salt: noticeHash = keccak256(abi.encode(salt, keccak256(text)))" })) }, { additionalProperties: false })) }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ results: Type.Array(Type.Object({ signer: Type.Optional(Type.String()), signature: Type.Optional(Type.String()), refused: Type.Optional(Type.String()) })) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => fastify.oracle.cosign(request.caller!, request.body.reports as never),
  );
};

export default oracleRoutes;
