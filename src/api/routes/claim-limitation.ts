import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { EVENT_TYPES, PARTIES } from "../../core/limitation.js";
import { EVIDENCE_KINDS } from "../../core/evidence.js";
import { PRIOR_EVENTS } from "../../core/evidence-time.js";
import { DELIVERY_METHODS } from "../../core/delivery-record.js";
import type { RecordNote } from "../../core/limitation/records.js";
import { RECORD_NOTES } from "../../i18n/limitation-records.js";
import { Address, Bytes32, errors, oneOf } from "../schemas.js";
import { LANGS, PeriodOut } from "./limitation.js";

const RecordOut = Type.Object({
  recordId: Bytes32,
  kind: oneOf(EVIDENCE_KINDS),
  priorEvent: Type.Optional(oneOf(PRIOR_EVENTS)),
  occurredAt: Type.String({ description: "when the record says it happened" }),
  nature: oneOf(["contemporaneous", "originator-statement"] as const, "originator-statement: prior history, the originator's word"),
  event: Type.Union([Type.String({ description: "the name the periods' basis uses for it, e.g. events[2]" }), Type.Null()], { description: "null: not counted (see note)" }),
  type: Type.Optional(oneOf(EVENT_TYPES)),
  party: Type.Optional(oneOf(PARTIES)),
  noteCode: Type.Optional(oneOf(Object.keys(RECORD_NOTES) as RecordNote[])),
  note: Type.Optional(Type.String({ description: "why it counts as it does, or does not count, in the language asked for" })),
  delivery: Type.Optional(Type.Object({
    proof: Bytes32, method: oneOf(DELIVERY_METHODS),
    deliveredAt: Type.String({ description: "when the notice counts as delivered (notice and cure periods run from its day)" }),
    interruptsAt: Type.String({ description: "when it interrupts limitation (an announcement: its publication)" }),
  }, { description: "a demand's proven delivery (core/delivery.ts): the deciding delivery-proof record" })),
});

const DeliveryOut = Type.Object({
  notice: Bytes32,
  delivered: Type.Union([Type.Object({
    notice: Bytes32, proof: Bytes32, method: oneOf(DELIVERY_METHODS), deliveredAt: Type.String(), interruptsAt: Type.String(), reason: Type.String(),
  }), Type.Null()], { description: "null: no proof shows it reached its addressee" }),
  proofs: Type.Array(Type.Object({
    proof: Bytes32, method: oneOf(DELIVERY_METHODS), counted: Type.Boolean(),
    reasonCode: Type.String(), reason: Type.String({ description: "what the proof shows, citing the rule, in the language asked for" }),
  })),
});

const ClaimLimitationResponse = Type.Object({
  id: Bytes32,
  asOf: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
  holder: Type.Object({
    account: Address,
    kind: oneOf(["bank", "amc", "unknown"] as const, "unknown: not an account this node knows, not taken for an AMC (only an AMC's announcement interrupts)"),
  }),
  periods: Type.Array(PeriodOut),
  evidence: Type.Object({ count: Type.Integer(), complete: Type.Boolean({ description: "the claim's record hash chain has no gap or altered record" }) }),
  records: Type.Array(RecordOut),
  deliveries: Type.Array(DeliveryOut, { description: "each notice with delivery-proof records: its proven delivery and what each proof counted for (送达)" }),
});

/** A registered claim's legal periods, computed from its own records (for its parties). */
const claimLimitationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/v1/claims/:claimId/limitation",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["limitation"],
        summary: "A registered claim's 诉讼时效 and 抵押权 periods from its own records: maturity, evidence, holder (the claim's parties)",
        description:
          "As POST /v1/limitation for one claim, with asOf: the maturity from the claim's record; payments and promises to pay from its evidence; " +
          "letters, notices and assignment notices as demands, which interrupt on the day a delivery-proof record proves they reached the debtor (诉讼时效规定第八条; `deliveries`), else nothing; the originator's prior history as its statement; " +
          "the holder's kind (an AMC's announcement interrupts, 法释〔2001〕12号第十条). `records` says what each record became. Reasons in zh-CN (default) or English (?lang=en).",
        params: Type.Object({ claimId: Bytes32 }),
        querystring: Type.Object(
          {
            asOf: Type.Optional(Type.String({ minLength: 10, maxLength: 35, description: "the day to judge on (default today, China time)" })),
            lang: Type.Optional(oneOf(LANGS, "language of the reasons and notes (default zh-CN)")),
          },
          { additionalProperties: false },
        ),
        response: { 200: ClaimLimitationResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => fastify.limitation.ofClaim(request.caller!, request.params.claimId, { asOf: request.query.asOf, lang: request.query.lang ?? "zh-CN" }),
  );
};

export default claimLimitationRoutes;
