import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Bytes32, errors, IsoDate, Money, oneOf, TxHash } from "../schemas.js";
import { CLASSIFICATIONS } from "../../core/classification.js";
import { CHANNELS } from "../../core/evidence.js";
import { OFFER_TYPES } from "../../core/mediation.js";
import { CASE_STATES } from "../../core/oracle-plan.js";
import { OFFER_STATUSES, type AcceptRequest, type OfferRequest } from "../../app/offers/index.js";

const Reason = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });
const Bps = Type.Integer({ minimum: 0, maximum: 9_999, description: "basis points (1/10,000)" });

const Terms = Type.Object(
  {
    discountBps: Type.Optional(Bps),
    installments: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: "installments of a plan (a lump sum is one)" })),
  },
  { additionalProperties: false },
);

const OfferBody = Type.Object(
  {
    outstanding: Type.Optional(Money),
    daysPastDue: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    classification: Type.Optional(oneOf(CLASSIFICATIONS, "five-tier class; default: from days past due")),
    collateralValue: Type.Optional(Money),
    region: Type.Optional(Type.String({ maxLength: 64 })),
    lumpSum: Type.Optional(Type.Union([Terms, Type.Literal(false)], { description: "fixed lump-sum terms, or false for none; default: searched" })),
    plan: Type.Optional(Type.Union([Terms, Type.Literal(false)], { description: "fixed plan terms, or false for none; default: searched" })),
    channel: Type.Optional(oneOf(CHANNELS, "how the offer letter goes to the debtor (default post)")),
  },
  { additionalProperties: false, description: "figures are used only when the oracle has no loan status of the claim" },
);

const Installment = Type.Object({ n: Type.Integer(), dueDate: Type.String(), amount: Money });

const Plan = Type.Object({
  version: Type.Literal(1),
  claimId: Bytes32,
  type: oneOf(OFFER_TYPES),
  currency: Type.String(),
  outstanding: Money,
  discountBps: Type.Integer(),
  total: Money,
  forgiven: Money,
  installments: Type.Array(Installment),
  issuedOn: Type.String(),
  validUntil: Type.String(),
  onDefault: Type.String(),
}, { description: "the plan exactly as hashed (canonical JSON, keccak256 = planHash)" });

const Figures = Type.Object({
  outstanding: Money,
  total: Money,
  forgiven: Money,
  discountBps: Type.Integer(),
  installments: Type.Integer(),
  firstDueDate: Type.String(),
  lastDueDate: Type.String(),
  acceptanceBps: Type.Integer(),
  performanceBps: Type.Integer(),
  expectedCollections: Money,
  expectedPresentValue: Money,
  benchmarkPresentValue: Money,
  margin: Type.String(),
  marginBps: Type.Integer(),
});

const Authority = Type.Object({
  proposerRole: Type.String(),
  withinAuthority: Type.Boolean(),
  limit: Type.Object({ maxDiscountBps: Type.Integer(), maxInstallments: Type.Integer() }),
  exceeds: Type.Array(Type.String()),
  approverRoles: Type.Array(Type.String()),
});

const Benchmark = Type.Object({
  path: Type.String(),
  pathZh: Type.String(),
  presentValue: Money,
  recoveryBps: Type.Integer(),
  durationMonths: Type.Integer(),
}, { description: "the best other disposal path (adviseRecovery): what every offer must beat" });

const Facts = Type.Object({
  source: Type.String({ description: "loan-status | request" }),
  asOf: Type.String(),
  outstanding: Money,
  daysPastDue: Type.Integer(),
  classification: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  collateralValue: Type.Union([Money, Type.Null()]),
});

const Who = Type.Object({ name: Type.String(), keyId: Type.String(), role: Type.String() });

const Tracking = Type.Object({
  asOfDate: Type.String(),
  source: Type.String({ description: "payments | outstanding | none" }),
  installments: Type.Array(Type.Object({
    n: Type.Integer(), dueDate: Type.String(), amount: Money, paid: Money,
    state: Type.String({ description: "paid | partly-paid | missed | upcoming" }), paidOn: Type.Optional(Type.String()),
  })),
  paidTotal: Money,
  remaining: Money,
  paidCount: Type.Integer(),
  missedCount: Type.Integer(),
  nextDue: Type.Union([Installment, Type.Null()]),
  completed: Type.Boolean(),
});

const OfferView = Type.Object({
  offerId: Type.String(),
  proposalId: Type.String(),
  claimId: Bytes32,
  status: oneOf(OFFER_STATUSES),
  type: oneOf(OFFER_TYPES),
  typeZh: Type.String(),
  plan: Plan,
  planHash: Bytes32,
  planCommitment: Type.String({ description: "what CollectionClauses.restructure records: keccak256(abi.encode(planSalt, planHash)), never the plan's bare hash" }),
  planSalt: Type.Optional(Type.String({ description: "the commitment's salt (only for who may read the claim's personal data)" })),
  figures: Figures,
  authority: Authority,
  terms: Type.String({ description: "searched | requested" }),
  reasons: Type.Array(Reason),
  benchmark: Benchmark,
  facts: Facts,
  proposedBy: Who,
  proposedAt: Type.String(),
  approval: Type.Union([Type.Object({ by: Who, at: Type.String() }), Type.Null()]),
  letter: Type.Object({
    contentHash: Bytes32,
    recordId: Type.Union([Bytes32, Type.Null()], { description: "evidence record; null until the offer is issued (approved)" }),
    channel: Type.String(),
    text: Type.Optional(Type.String({ description: "personal data: only for the originator, the holder (and its collectors) and courts" })),
  }),
  acceptance: Type.Union([
    Type.Object({
      contentHash: Bytes32,
      recordId: Type.Union([Bytes32, Type.Null()]),
      occurredAt: Type.String(),
      channel: Type.String(),
      by: Who,
      attachments: Type.Optional(Type.Array(Bytes32)),
      text: Type.Optional(Type.String()),
    }),
    Type.Null(),
  ]),
  restructure: Type.Union([Type.Object({ txHash: TxHash, blockNumber: Type.Union([Type.Integer(), Type.Null()]) }), Type.Null()]),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  supersededBy: Type.Union([Type.String(), Type.Null()]),
  case: Type.Union([
    Type.Object({ state: oneOf(CASE_STATES), stateZh: Type.String(), planHash: Type.Union([Bytes32, Type.Null()]), planOnChain: Type.Boolean() }),
    Type.Null(),
  ]),
  planStatus: Type.Union([Type.String({ description: "in-force | defaulted | completed" }), Type.Null()]),
  tracking: Type.Union([Tracking, Type.Null()]),
  personalDataRedacted: Type.Boolean(),
});

const Declined = Type.Object({
  type: Type.String(),
  typeZh: Type.String(),
  code: Type.String({ description: "not-overdue | cannot-beat-best-path" }),
  zh: Type.String(),
  en: Type.String(),
  bestExpectedPresentValue: Type.Optional(Money),
  benchmarkPresentValue: Money,
});

const ProposalView = Type.Object({
  proposalId: Type.Union([Type.String(), Type.Null()]),
  claimId: Bytes32,
  asOfDate: Type.String(),
  facts: Facts,
  benchmark: Benchmark,
  paths: Type.Array(Type.Object({}, { additionalProperties: true }), { description: "every disposal path's estimate (recovery.ts)" }),
  offers: Type.Array(OfferView),
  declined: Type.Array(Declined),
  parameters: Type.Object({ discountRateBps: Type.Integer(), model: Type.Object({}, { additionalProperties: true }) }),
});

const OfferParams = Type.Object({ id: Type.String({ pattern: "^[0-9a-fA-F-]{36}$", description: "offer id" }) });

/** Mediation (issue 8): settlement offers, their approval and the debtor's acceptance. */
const offerRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/claims/:claimId/offers",
    {
      preHandler: fastify.requireRole("bank", "amc", "collector"),
      schema: {
        tags: ["mediation"],
        summary: "Propose settlement offers (lump sum, installment plan) that beat the best other disposal path; beyond the proposer's authority they wait for approval",
        params: Type.Object({ claimId: Bytes32 }),
        body: OfferBody,
        response: { 200: ProposalView, 201: ProposalView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await fastify.offers.propose(request.caller!, request.params.claimId, (request.body ?? {}) as OfferRequest);
      return reply.status(result.offers.length > 0 ? 201 : 200).send(result as never);
    },
  );

  fastify.get(
    "/v1/claims/:claimId/offers",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["mediation"],
        summary: "A claim's settlement offers, oldest first (for the claim's parties: src/app/access.ts)",
        params: Type.Object({ claimId: Bytes32 }),
        response: { 200: Type.Object({ claimId: Bytes32, count: Type.Integer(), offers: Type.Array(OfferView) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => fastify.offers.listForClaim(request.caller!, request.params.claimId) as never,
  );

  fastify.get(
    "/v1/offers/:id",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["mediation"],
        summary: "One offer: plan, figures, reasons, approval, acceptance, the case on chain, and paid/missed installments from the latest loan status (for the claim's parties)",
        params: OfferParams,
        response: { 200: OfferView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => fastify.offers.get(request.caller!, request.params.id) as never,
  );

  fastify.post(
    "/v1/offers/:id/approve",
    {
      preHandler: fastify.requireRole("bank", "amc", "admin"),
      schema: {
        tags: ["mediation"],
        summary: "Approve an offer beyond its proposer's authority (a role whose limits cover it: the holder's manager or an admin); the letter is then issued and recorded as evidence",
        params: OfferParams,
        response: { 200: OfferView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => fastify.offers.approve(request.caller!, request.params.id) as never,
  );

  fastify.post(
    "/v1/offers/:id/accept",
    {
      preHandler: fastify.requireRole("bank", "amc", "collector", "admin"),
      schema: {
        tags: ["mediation"],
        summary: "Record the debtor's acceptance as evidence and restructure the case on chain with the plan's hash (idempotent: a retry finishes an interrupted acceptance)",
        params: OfferParams,
        body: Type.Object(
          {
            channel: oneOf(CHANNELS, "how the debtor accepted"),
            occurredAt: Type.Optional(IsoDate),
            signedCopyHash: Type.Optional(Bytes32),
          },
          { additionalProperties: false },
        ),
        response: { 200: OfferView, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => fastify.offers.accept(request.caller!, request.params.id, request.body as AcceptRequest) as never,
  );
};

export default offerRoutes;
