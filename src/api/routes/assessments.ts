import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Bytes32, errors, IsoDate, oneOf } from "../schemas.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH } from "../../core/classification.js";
import { GRADES } from "../../core/risk.js";
import { PATHS } from "../../core/recovery.js";
import { STAGES } from "../../core/process.js";
import { IMPORT_MAX_ROWS, rowsFromCsv, rowsFromJson, type ImportInput } from "../../app/assessments/index.js";
import type { AssessmentRequest } from "../../core/assess.js";
import { FeedEffectOut, FeedView } from "./feeds.js";

/** An amount in the response: a decimal string of fen (signed where a net figure can be negative). */
const Amount = Type.String({ pattern: "^-?(0|[1-9][0-9]*)$", description: "decimal string of minor units (fen)" });
const Hash = Type.String({ pattern: "^0x[0-9a-f]{64}$", description: "0x-prefixed sha256" });
const Explained = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

const ValueFigures = Type.Object({ value: Amount, p10: Type.Optional(Amount), p90: Type.Optional(Amount) });
const SurveyAdjustmentOut = Type.Object({
  flag: Type.String(), item: Type.String(), answer: Type.String(), factorBps: Type.Integer(), judgment: Type.Boolean(), zh: Type.String(), en: Type.String(),
});
const SurveyCitationOut = Type.Object({
  id: Type.String(),
  hash: Hash,
  surveyedAt: Type.String(),
  assetType: Type.String(),
  factorBps: Type.Integer({ description: "product of the adjustments' factors, basis points" }),
  adjustments: Type.Array(SurveyAdjustmentOut),
  before: Type.Object({ value: Amount, p10: Amount, p90: Amount }),
  changes: Type.Array(Type.Object({ field: Type.String(), before: Amount, after: Amount })),
}, { description: "the field survey this valuation applied: value, P10 and P90 are after it" });

const CollateralAdjustmentsOut = Type.Object({
  basis: Type.String({ description: "valuation | appraisal-on-file | third-party-appraisal" }),
  before: Amount,
  market: Amount,
  after: Amount,
  steps: Type.Array(Type.Object({
    source: Type.String({ description: "survey | feed | request (the collateral's own registration, lease and prior claims)" }),
    ref: Type.String({ description: "the survey id, feed record id or the request field" }),
    code: Type.String(), zh: Type.String(), en: Type.String(),
    factorBps: Type.Optional(Type.Integer()),
    amount: Type.Optional(Amount),
    value: Amount,
  })),
}, { description: "how a survey and outside data changed the collateral value: before, the steps, the market value (auctions) and after (coverage)" });

const ValuationOut = Type.Object({
  method: Type.String(),
  asOf: Type.String(),
  value: Amount,
  p10: Amount,
  p90: Amount,
  timeAdjustmentBps: Type.Integer({ description: "regional price index from the comparables' mean sale date to asOf, basis points" }),
  regionWide: Type.Boolean({ description: "true when other regions' sales were used (too few in the region)" }),
  comparables: Type.Array(Type.Object({ caseId: Type.String(), saleDate: Type.String(), price: Amount, adjustedValue: Amount })),
  comparablesHash: Type.String({ description: "sha256 of the canonical JSON (RFC 8785) array of the comparables used, sorted by caseId" }),
  modelHash: Type.String(),
  survey: Type.Optional(SurveyCitationOut),
  auction: Type.Object({
    rounds: Type.Array(Type.Object({ round: Type.Integer(), zh: Type.String(), en: Type.String(), reserve: Amount, probability: Type.Number() })),
    sellProbability: Type.Number(),
    expectedProceeds: Amount,
    expectedBps: Type.Integer(),
  }),
});

const RecoveryOut = Type.Object({
  region: Type.String(),
  regionProfile: Type.String(),
  paths: Type.Array(Type.Object({
    path: oneOf(PATHS),
    pathZh: Type.String(),
    eligible: Type.Boolean(),
    grossRecovery: Amount,
    costs: Amount,
    netRecovery: Amount,
    presentValue: Amount,
    durationMonths: Type.Number(),
    recoveryBps: Type.Integer(),
    fees: Type.Optional(Type.Object({
      procedure: Type.String({ description: "ordinary | summary (简易程序: acceptance fee halved, 《诉讼费用交纳办法》第十六条) | payment-order" }),
      acceptance: Amount, preservation: Amount, enforcement: Amount, counsel: Amount,
    }, { description: "the litigation path's court fees (《诉讼费用交纳办法》第十三、十四条) and counsel" })),
  })),
  recommended: oneOf(PATHS),
  recommendedZh: Type.String(),
  reasons: Type.Array(Explained),
});

const MissingOut = Type.Object({ stage: oneOf(STAGES), stageZh: Type.String(), documents: Type.Array(Explained), steps: Type.Array(Explained) });

const AssessmentResult = Type.Object({
  loanId: Type.String(),
  daysPastDue: Type.Integer(),
  bucket: Type.String({ description: "arrears bucket: current, 1-30, 31-60, 61-90, 91-180, 181-270, 271-360, >360" }),
  classification: oneOf(CLASSIFICATIONS, "five-tier class (《商业银行金融资产风险分类办法》)"),
  classificationZh: oneOf(CLASSIFICATIONS_ZH),
  rule: Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }, { description: "the rule that decided the class" }),
  risk: Type.Object({
    score: Type.Integer(),
    grade: oneOf(GRADES),
    priority: Amount,
    expectedLoss: Amount,
    urgencyBps: Type.Integer(),
    reasons: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), points: Type.Integer(), ref: Type.Optional(Type.String({ description: "the feed record this reason came from" })) })),
    priorityReasons: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), bps: Type.Integer(), ref: Type.Optional(Type.String({ description: "the feed record this reason came from" })) })),
  }),
  arrears: Type.Optional(Type.Object({ total: Amount, buckets: Type.Record(Type.String(), Amount) })),
  valuation: Type.Optional(ValuationOut),
  collateralValue: Type.Optional(Amount),
  recovery: Type.Optional(RecoveryOut),
  missing: Type.Optional(MissingOut),
  collateralAdjustments: Type.Optional(CollateralAdjustmentsOut),
  auctionDistribution: Type.Optional(Type.Object({
    proceeds: Amount,
    steps: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), amount: Amount, left: Amount })),
    toClaim: Amount,
    surplus: Amount,
  }, { description: "how the expected auction proceeds reach this claim: enforcement fee, taxes, construction price, senior mortgages, then this claim" })),
});

const RiskFigures = Type.Object({ score: Type.Integer(), grade: Type.String(), priority: Amount, urgencyBps: Type.Integer(), expectedLoss: Amount, collateralValue: Type.Optional(Amount) });

const ValuationBasis = Type.Object({
  ready: Type.Boolean({ description: "whether a valuation model exists (needs at least 30 market sales)" }),
  method: Type.Optional(Type.String()),
  modelHash: Type.Optional(Type.String()),
  marketSales: Type.Integer(),
  comparables: Type.Object({ count: Type.Integer(), hash: Hash }, { description: "the whole comparable set: the same hash as GET /v1/comparables/stats" }),
  note: Type.Optional(Explained),
});

const Summary = Type.Object(Object.fromEntries(CLASSIFICATIONS.map((c) => [c, Type.Integer()])));

const AssessmentResponse = Type.Object({
  asOf: Type.String(),
  count: Type.Integer(),
  summary: Summary,
  valuationModel: ValuationBasis,
  results: Type.Array(AssessmentResult),
});

const ImportJobView = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal("queued"), Type.Literal("writing"), Type.Literal("indexing"), Type.Literal("done"), Type.Literal("failed")]),
  source: Type.Union([Type.Literal("json"), Type.Literal("csv")]),
  total: Type.Integer(),
  done: Type.Integer({ description: "rows written (one atomic batch: 0 until all are written)" }),
  imported: Type.Optional(Type.Integer()),
  added: Type.Optional(Type.Integer()),
  replaced: Type.Optional(Type.Integer()),
  count: Type.Optional(Type.Integer({ description: "cases in the database after the import" })),
  hash: Type.Optional(Hash),
  modelHash: Type.Optional(Type.String()),
  errors: Type.Array(Type.Object({
    code: Type.String(), message: Type.String(),
    row: Type.Optional(Type.Integer()), line: Type.Optional(Type.Integer()), field: Type.Optional(Type.String()), rule: Type.Optional(Type.String()),
  })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const RESULTS_PER_CHUNK = 500;

/** The response body as JSON text in chunks: 10^5 results never become one string of ~200 MB. */
function* jsonChunks(res: { results: unknown[] } & Record<string, unknown>): Generator<string> {
  const { results, ...head } = res;
  yield JSON.stringify(head).slice(0, -1) + `${Object.keys(head).length ? "," : ""}"results":[`;
  for (let i = 0; i < results.length; i += RESULTS_PER_CHUNK) {
    const end = Math.min(results.length, i + RESULTS_PER_CHUNK);
    let s = i === 0 ? "" : ",";
    for (let j = i; j < end; j++) s += (j === i ? "" : ",") + JSON.stringify(results[j]);
    yield s;
  }
  yield "]}";
}

/** Assessments (five-tier class, risk, valuation, recovery advice) and the comparable-case database. */
const assessmentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  // CSV bodies for the comparables import (this plugin's routes only).
  fastify.addContentTypeParser(["text/csv", "application/csv"], { parseAs: "string" }, (_request, body, done) => done(null, body));

  fastify.post(
    "/v1/assessments",
    {
      preHandler: fastify.requireRole("admin", "bank", "amc", "collector", "oracle"),
      schema: {
        tags: ["assessments"],
        summary: "Classify, score, value and advise on a portfolio of loans (up to 200,000 per request)",
        description:
          "Each loan: {loanId, product (mortgage|consumer|credit-card|sme|corporate), debtorType (retail|corporate), debtorId, outstanding (fen), " +
          "daysPastDue | schedule[{dueDate, principal, interest}] + payments[{paidAt, amount}], graceDays? (never lowers the class), " +
          "technicalDelay? (the bank flags a delay of at most 7 days as technical: 分类办法第九条第一项), cardFraud? (credit cards: 信用卡办法第九十三条), " +
          "restructuredAt?, restructuredFirstDueAt? (where the observation period starts: 分类办法第二十条), priorClassification?, arrearsRepaidAt?, " +
          "collateral?{assetType, region, area, ageYears|builtYear, occupied?, titleDefect?, appraisedValue?, registration? (real-estate|vehicle|unified: 动产融资统一登记公示系统|none), " +
          "lease?{beforeMortgage, prepaidRent?}, taxes?, constructionPrice?, seniorMortgages?}, region?, stage?, documents?}. " +
          "Loans are checked by the scoring core, which names the field of the first bad one (e.g. loans[3].outstanding).",
        body: Type.Object(
          {
            asOf: IsoDate,
            loans: Type.Array(Type.Unknown({ description: "a loan (see the route's description)" }), { minItems: 1, maxItems: 200_000 }),
            debtors: Type.Optional(Type.Array(Type.Unknown({ description: "{debtorId, crossBankOverdue90Share? (0–1, debt across banks overdue more than 90 days), nonPerformingElsewhere? (分类办法第九条第四项), otherCreditImpairedAtBank? (分类办法第十三条)}" }), { maxItems: 200_000 })),
            advice: Type.Optional(oneOf(["delinquent", "all", "none"] as const, "which loans get recovery advice and missing items (default delinquent: 关注 or worse, or a stage given)")),
          },
          { additionalProperties: false },
        ),
        response: { 200: AssessmentResponse, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const res = await fastify.assessments.assess(request.body as unknown as AssessmentRequest & { advice?: "delinquent" | "all" | "none" });
      // Streamed: the schema above documents the body; a 10^5-loan answer is written result by result.
      reply.type("application/json; charset=utf-8");
      return reply.send(Readable.from(jsonChunks(res as unknown as { results: unknown[] } & Record<string, unknown>)) as never);
    },
  );

  fastify.get(
    "/v1/claims/:claimId/assessment",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["assessments"],
        summary: "Assess one registered claim from its stored record (days past due from ?daysPastDue= or from maturity); for the claim's parties (src/app/access.ts)",
        params: Type.Object({ claimId: Bytes32 }),
        querystring: Type.Object(
          {
            asOf: Type.Optional(IsoDate),
            daysPastDue: Type.Optional(Type.String({ pattern: "^(0|[1-9][0-9]{0,4})$", description: "days past due; default: days since maturity at asOf" })),
            collateralAgeYears: Type.Optional(Type.String({ pattern: "^(0|[1-9][0-9]?|100)(\\.[0-9]+)?$", description: "building age of the collateral in years (0–100), needed to value it from comparables" })),
            crossBankOverdue90Share: Type.Optional(Type.String({ pattern: "^(0(\\.[0-9]+)?|1(\\.0+)?)$", description: "corporate debtor: share (0–1) of its debt across banks overdue more than 90 days" })),
            stage: Type.Optional(oneOf(STAGES, "collection stage, for the missing steps and documents")),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            claimId: Bytes32,
            asOf: Type.String(),
            daysPastDueFrom: Type.Union([Type.Literal("query"), Type.Literal("maturity")]),
            notes: Type.Array(Explained),
            valuationModel: ValuationBasis,
            result: AssessmentResult,
            survey: Type.Optional(Type.Object({
              id: Type.String(),
              hash: Hash,
              recordId: Hash,
              surveyedAt: Type.String(),
              assetType: Type.String(),
              applied: Type.Boolean(),
              factorBps: Type.Integer(),
              adjustments: Type.Array(SurveyAdjustmentOut),
              valuation: Type.Union([Type.Object({ before: ValueFigures, after: ValueFigures }), Type.Null()]),
            }, { description: "the latest field survey by asOf (POST /v1/claims/:claimId/surveys) and the collateral value before and after it" })),
            feeds: Type.Optional(Type.Object({
              items: Type.Array(FeedView, { description: "the outside-data records that count at asOf (the latest of each type)" }),
              effects: Type.Array(FeedEffectOut),
            })),
            outsideEffect: Type.Optional(Type.Object({ before: RiskFigures, after: RiskFigures }, { description: "the risk figures without and with the survey and outside data" })),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => fastify.assessments.assessClaim(request.caller!, request.params.claimId.toLowerCase(), request.query),
  );

  fastify.post(
    "/v1/comparables/import",
    {
      preHandler: fastify.requireRole("admin", "amc"),
      schema: {
        tags: ["assessments"],
        summary: "Import comparable cases (JSON or CSV); up to 10,000 rows answer 201, more run as a job (202)",
        description:
          "JSON: {cases:[...]} or an array; CSV (text/csv): a header row of caseId, assetType, region, area, ageYears, occupied, titleDefect, saleDate, price, " +
          "saleType, auctionRound, appraisedValue, reservePrice, sold. Every row is checked before anything is written: a bad row → 400 naming the row " +
          "and field (details.errors lists up to 100), and nothing is imported. A caseId already in the database is replaced.",
        body: {
          content: {
            "application/json": {
              schema: Type.Union([
                Type.Object({ cases: Type.Array(Type.Unknown(), { minItems: 1, maxItems: IMPORT_MAX_ROWS }) }, { additionalProperties: false }),
                Type.Array(Type.Unknown(), { minItems: 1, maxItems: IMPORT_MAX_ROWS }),
              ]),
            },
            "text/csv": { schema: Type.String({ minLength: 1 }) },
          },
        } as never,
        response: {
          201: Type.Object({ imported: Type.Integer(), added: Type.Integer(), replaced: Type.Integer(), count: Type.Integer(), hash: Hash }),
          202: Type.Object({ jobId: Type.String(), status: Type.String(), total: Type.Integer() }),
          ...errors(400, 401, 403, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      const input: ImportInput = typeof body === "string" ? rowsFromCsv(body) : rowsFromJson(body);
      const outcome = await fastify.assessments.importCases(request.caller!, input);
      return reply.status(outcome.status).send(outcome.body as never);
    },
  );

  fastify.get(
    "/v1/comparables/import/:jobId",
    {
      preHandler: fastify.requireRole("admin", "amc"),
      schema: {
        tags: ["assessments"],
        summary: "Progress of a comparables import job",
        params: Type.Object({ jobId: Type.String({ format: "uuid" }) }),
        response: { 200: ImportJobView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => fastify.assessments.importJob(request.params.jobId),
  );

  fastify.get(
    "/v1/comparables/stats",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["assessments"],
        summary: "The comparable-case database: count, by region and asset type, the hash of the set and the valuation model built from it",
        response: {
          200: Type.Object({
            count: Type.Integer(),
            market: Type.Integer(),
            auction: Type.Integer(),
            byRegion: Type.Record(Type.String(), Type.Object({ count: Type.Integer(), market: Type.Integer(), auction: Type.Integer(), byAssetType: Type.Record(Type.String(), Type.Integer()) })),
            byAssetType: Type.Record(Type.String(), Type.Integer()),
            saleDates: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()]),
            hash: Hash,
            valuation: ValuationBasis,
          }),
          ...errors(401),
        },
      },
    },
    async () => fastify.assessments.stats(),
  );
};


export default assessmentRoutes;
