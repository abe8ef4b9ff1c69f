import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  CLAIM_ID, EFFECTS, EVENT_TYPES, GUARANTEE_TYPES, HOLDERS, MAX_CLAIMS, MAX_EVENTS, MAX_INSTALLMENTS,
  PARTIES, PERIOD_KINDS, PERIOD_STATUSES, limitationReport,
} from "../../core/limitation.js";
import { errors, oneOf } from "../schemas.js";

export const LANGS = ["zh-CN", "en"] as const;

const DATE_IN = "YYYY-MM-DD (a China calendar date) or an ISO 8601 date-time with offset (taken as its China date)";
/** A date in the request; the core checks it is a real date and names the field when it is not. */
const dateIn = (description = DATE_IN) => Type.String({ minLength: 10, maxLength: 35, description });
const dateOut = (description: string) => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });
const DateIn = dateIn();

const EventIn = Type.Object(
  {
    type: oneOf(EVENT_TYPES, "demand (催收), payment (还款), acknowledgement (承认债务/承诺还款), suit (起诉、仲裁或支付令申请; after a judgment's last day of performance: an application for enforcement), announcement (报纸公告)"),
    at: DateIn,
    deliveredAt: Type.Optional(dateIn("demand only: the day it reached the addressee (signed receipt, EMS delivery, e-delivery receipt). Without it a demand interrupts nothing")),
    endedAt: Type.Optional(dateIn("suit only: the day the proceedings ended (withdrawal, dismissal, judgment in force); without it the suit is pending")),
    party: Type.Optional(oneOf(PARTIES, "whom the event concerns (default debtor); ignored for an announcement, which names everyone")),
  },
  { additionalProperties: false },
);

const ClaimIn = Type.Object(
  {
    id: Type.String({ pattern: CLAIM_ID.source, description: "an opaque reference of 1–64 letters, digits or . _ : / - (no names or ID numbers)" }),
    maturityAt: Type.Optional(dateIn("the day the debt fell due (unless installments are given)")),
    installments: Type.Optional(Type.Array(DateIn, { maxItems: MAX_INSTALLMENTS, description: "installment due dates; the period runs from the last (民法典第189条)" })),
    collateral: Type.Optional(Type.Boolean({ description: "a mortgage secures the claim (adds the mortgage period, 第419条)" })),
    holder: Type.Optional(oneOf(HOLDERS, "who holds the claim: only an AMC's newspaper announcement interrupts")),
    guarantee: Type.Optional(Type.Object(
      {
        type: oneOf(GUARANTEE_TYPES, "joint = 连带责任保证 (第688条), general = 一般保证 (第687条); a contract that does not say is general (第686条第2款)"),
        periodEndsAt: Type.Optional(dateIn("the agreed end of the guarantee period; absent (or not after the due date) → six months from the due date (第692条)")),
      },
      { additionalProperties: false },
    )),
    judgment: Type.Optional(Type.Object(
      { performBy: dateIn("the last day of performance the judgment or award sets (民事诉讼法第250条)") },
      { additionalProperties: false },
    )),
    events: Type.Array(EventIn, { maxItems: MAX_EVENTS, description: "what happened, any order" }),
  },
  { additionalProperties: false },
);

const LimitationBody = Type.Object(
  {
    asOf: dateIn("the day to judge on: events after it are not counted; status is relative to it"),
    claims: Type.Array(ClaimIn, { minItems: 1, maxItems: MAX_CLAIMS }),
  },
  { additionalProperties: false },
);

/** One period of a claim's result (also GET /v1/claims/:id/limitation's). */
export const PeriodOut = Type.Object({
  kind: oneOf(PERIOD_KINDS),
  expiresAt: dateOut("the last day the right can be exercised, before any extension (民法典第201、202条)"),
  extendedTo: Type.Optional(dateOut("expiresAt moved past a weekend or public holiday (第203条), only where it moved")),
  status: oneOf(PERIOD_STATUSES, "expired: the (extended) last day is before asOf; expiring: it is within 90 days of asOf"),
  basis: Type.Array(Type.Object({
    event: Type.String({ description: "what in the request the step is about: events[i], maturityAt, installments[i], guarantee.periodEndsAt, judgment.performBy, calendar, asOf, guarantee, litigation, enforcement" }),
    effect: oneOf(EFFECTS),
    reason: Type.String({ description: "in the language asked for (?lang=), citing the article" }),
  })),
  rule: Type.String({ description: "the governing articles, in Chinese" }),
});

const LimitationResponse = Type.Object({
  results: Type.Array(Type.Object({ id: Type.String(), periods: Type.Array(PeriodOut) })),
});

/** Legal periods of loans not (or not yet) registered: due diligence on a package before buying. */
const limitationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/limitation",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["limitation"],
        summary: "诉讼时效, 保证期间, 抵押权 and 申请执行期间 of loans described in the request, as of asOf (nothing is stored)",
        description:
          "Each claim's periods with their last day, the day it moves to past rest days (China's holiday calendar 2020–2026, weekends only outside it), " +
          "running/expiring (within 90 days)/expired, the basis step by step and the governing articles. Reasons in zh-CN (default) or English (?lang=en).",
        querystring: Type.Object({ lang: Type.Optional(oneOf(LANGS, "language of the reasons (default zh-CN)")) }, { additionalProperties: false }),
        body: LimitationBody,
        response: { 200: LimitationResponse, ...errors(400, 401, 413) },
      },
    },
    async (request) => limitationReport(request.body, request.query.lang ?? "zh-CN"),
  );
};

export default limitationRoutes;
