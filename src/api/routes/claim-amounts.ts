import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import {
  COURT_CAP_BPS, FEE_KINDS, MAX_FEES, MAX_LOANS, MAX_PAYMENTS, MAX_SCHEDULE, PENALTY_MARKUP_MAX_BPS, PENALTY_MARKUP_MIN_BPS, claimAmountsReport,
} from "../../core/amounts.js";
import { CLAIM_ID } from "../../core/limitation.js";
import { errors, Money, oneOf } from "../schemas.js";

const LANGS = ["zh-CN", "en"] as const;

const DATE_IN = "YYYY-MM-DD (a China calendar date) or an ISO 8601 date-time with offset (taken as its China date)";
/** A date in the request; the core checks it is a real date and names the field when it is not. */
const dateIn = (description = DATE_IN) => Type.String({ minLength: 10, maxLength: 35, description });
const dateOut = (description: string) => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });
/** Money in the request: the core checks the digits and names the field. */
const moneyIn = (description: string) => Type.String({ maxLength: 40, description: `${description}; a decimal string of fen, e.g. "1250000" = 12,500.00 yuan` });
/** Basis points: an integer, or a decimal string of up to 4 decimals (never a float). */
const bpsIn = (description: string) => Type.Union([Type.Integer({ minimum: 0 }), Type.String({ maxLength: 12 })], { description: `${description}; basis points, an integer or a decimal string such as "478.5"` });
const moneyOut = (description: string) => Type.String({ pattern: "^(0|[1-9][0-9]{0,38})$", description: `${description} (fen, a decimal string)` });
const BpsOut = (description: string) => Type.String({ pattern: "^\\d+(\\.\\d+)?$", description: `${description}, basis points as an exact decimal` });

const LoanIn = Type.Object(
  {
    id: Type.String({ maxLength: 64, description: `an opaque reference (${CLAIM_ID.source}); no names or ID numbers` }),
    principal: moneyIn("the principal lent"),
    disbursedAt: dateIn("the day the principal was paid out: interest runs from it"),
    annualRateBps: bpsIn("the contract's annual rate"),
    penaltyMarkupBps: Type.Optional(bpsIn(`the agreed penalty markup on the contract rate, ${PENALTY_MARKUP_MIN_BPS}–${PENALTY_MARKUP_MAX_BPS} (30%–50%, 银发〔2003〕251号第三条; outside it → 400). Absent: overdue principal bears the contract rate (民法典第676条)`)),
    compound: Type.Optional(Type.Boolean({ description: "the contract agrees compound interest (复利) on unpaid interest, at the penalty rate" })),
    schedule: Type.Array(
      Type.Object(
        {
          dueDate: dateIn(),
          principal: moneyIn("principal due on dueDate (\"0\" for an interest-only date)"),
          interest: Type.Optional(moneyIn("the interest the contract states for this installment; computed at the daily rate when absent")),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_SCHEDULE, description: "installments in date order; their principal adds up to the loan's; a bullet loan has one" },
    ),
    payments: Type.Optional(Type.Array(
      Type.Object({ paidAt: dateIn(), amount: moneyIn("amount received") }, { additionalProperties: false }),
      { maxItems: MAX_PAYMENTS, description: "repayments; those after the cutoff are not counted (named in notCounted)" },
    )),
    fees: Type.Optional(Type.Array(
      Type.Object(
        {
          at: dateIn(),
          amount: moneyIn("the fee"),
          kind: oneOf(FEE_KINDS, "enforcement = 实现债权的费用 (paid first, outside the cap); service, consulting, advisory, management = fees that may disguise interest (九民纪要第51条); liquidated-damages, other: in the cap"),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_FEES },
    )),
  },
  { additionalProperties: false },
);

const ClaimAmountsBody = Type.Object(
  {
    cutoff: dateIn("the cut-off date (基准日): amounts as of the end of this day"),
    steps: Type.Optional(Type.Boolean({ description: "also return every accrual, due date, fee and payment as applied" })),
    loans: Type.Array(LoanIn, { minItems: 1, maxItems: MAX_LOANS }),
  },
  { additionalProperties: false },
);

const AllocationOut = Type.Object({
  enforcementFees: Money, interest: Money, penaltyInterest: Money, compoundInterest: Money, otherFees: Money, principal: Money,
}, { description: "what the payments went to (民法典第561条)" });

const StepOut = Type.Object(
  {
    kind: oneOf(["disbursed", "accrual", "due", "fee", "payment", "credit-applied"] as const),
    at: Type.Optional(dateOut("the day it happened")),
    of: Type.Optional(oneOf(["interest", "penalty-interest", "compound-interest", "court-cap"] as const, "accrual: what accrued (court-cap: the cap's allowance)")),
    from: Type.Optional(dateOut("accrual: first day counted")),
    to: Type.Optional(dateOut("accrual: last day counted")),
    days: Type.Optional(Type.Integer()),
    base: Type.Optional(Money),
    rateBps: Type.Optional(BpsOut("accrual: the annual rate")),
    amount: Type.Optional(Money),
    field: Type.Optional(Type.String({ description: "what in the request it is about, e.g. schedule[2], payments[0], fees[1]; credit for a held credit" })),
    principal: Type.Optional(Money),
    interest: Type.Optional(Money),
    interestComputed: Type.Optional(Money),
    feeKind: Type.Optional(oneOf(FEE_KINDS)),
    inCap: Type.Optional(Type.Boolean()),
    disguisedInterest: Type.Optional(Type.Boolean()),
    allocation: Type.Optional(AllocationOut),
    credit: Type.Optional(Money),
  },
  { additionalProperties: false },
);

const ResultOut = Type.Object({
  id: Type.String(),
  asOf: dateOut("the cutoff"),
  principalOutstanding: Money,
  principalOverdue: moneyOut("the part of principalOutstanding that is due and unpaid"),
  interest: moneyOut("contract interest unpaid: due (interestDue) and accrued to the cutoff"),
  interestDue: Money,
  penaltyInterest: Money,
  compoundInterest: Money,
  fees: moneyOut("fees unpaid, enforcement costs included (feesEnforcement)"),
  feesEnforcement: Money,
  credit: moneyOut("paid ahead of a due date and not yet applied; deducted from total"),
  total: moneyOut("the contractual claim as of the cutoff"),
  paid: AllocationOut,
  rates: Type.Object({
    annualRateBps: BpsOut("contract rate"),
    penaltyRateBps: BpsOut("penalty rate on overdue principal"),
    penaltyMarkupBps: Type.Union([BpsOut("agreed markup"), Type.Null()]),
    compoundRateBps: Type.Union([BpsOut("compound rate"), Type.Null()]),
  }),
  courtCapped: Type.Object({
    total: moneyOut("the amount a court would likely allow"),
    cutBy: moneyOut("total − courtCapped.total"),
    capRateBps: Type.String({ description: `${COURT_CAP_BPS}: 24% a year of the principal outstanding` }),
    chargesContractual: moneyOut("interest, penalty and compound interest and fees in the cap, accrued from disbursement to the cutoff, paid or not"),
    chargesAllowed: Money,
    chargesPaid: Money,
    cutFromUnpaid: Money,
    appliedToPrincipal: moneyOut("charges paid above the cap, set against principal"),
    overpaid: moneyOut("charges paid above the cap beyond the principal"),
    basis: Type.String({ description: "the articles, in Chinese" }),
  }),
  notes: Type.Array(Type.Object({ code: Type.String(), text: Type.String({ description: "in the language asked for (?lang=), citing the rule" }) })),
  notCounted: Type.Array(Type.Object({ field: Type.String(), reason: Type.Literal("after-cutoff") })),
  steps: Type.Optional(Type.Array(StepOut)),
});

const ClaimAmountsResponse = Type.Object({
  method: Type.Object({
    dayCount: Type.Literal("actual/360"),
    capDayCount: Type.Literal("actual/365"),
    rounding: Type.Literal("half-up-per-accrual"),
    allocation: Type.Array(Type.String(), { description: "the order payments are applied in" }),
    rules: Type.Record(Type.String(), Type.String(), { description: "each rule with its source, in Chinese" }),
  }),
  results: Type.Array(ResultOut),
});

/** Claim amounts of loans described in the request, as of a cutoff: nothing is stored. */
const claimAmountRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/claim-amounts",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["amounts"],
        summary: "Principal, interest, penalty and compound interest as of a cut-off date (基准日), and what a court would likely allow (nothing is stored)",
        description:
          "Daily rate = annual / 360, half-up rounding to the fen per accrual, payments applied to enforcement costs, interest, then principal (民法典第561条); " +
          "the court cap of 24% a year on interest, compound and penalty interest and fees (法发〔2017〕22号第二条; 九民纪要第51条). Notes in zh-CN (default) or English (?lang=en).",
        querystring: Type.Object({ lang: Type.Optional(oneOf(LANGS, "language of the notes (default zh-CN)")) }, { additionalProperties: false }),
        body: ClaimAmountsBody,
        response: { 200: ClaimAmountsResponse, ...errors(400, 401, 413) },
      },
    },
    async (request) => claimAmountsReport(request.body, request.query.lang ?? "zh-CN"),
  );
};

export default claimAmountRoutes;
