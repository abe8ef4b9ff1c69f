import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { SURVEY_ASSET_TYPES, SURVEY_DOCUMENT_KINDS } from "../../core/survey.js";
import { Bytes32, errors, oneOf } from "../schemas.js";

const SurveyBody = Type.Object(
  {
    assetType: oneOf(SURVEY_ASSET_TYPES, "the collateral type; must be the claim's"),
    checklistVersion: Type.Optional(Type.Integer({ minimum: 1, description: "the checklist version answered (GET /v1/surveys/checklists), default the current one" })),
    surveyedAt: Type.String({ minLength: 16, maxLength: 35, description: "when the site was visited: ISO 8601 date-time with offset, e.g. 2026-03-02T10:15:00+08:00" }),
    surveyor: Type.String({ pattern: "^[A-Za-z0-9._:@-]{1,64}$", description: "opaque id of the surveyor (no name)" }),
    location: Type.Object(
      {
        region: Type.String({ minLength: 2, maxLength: 32, description: "region code, e.g. shanghai or 310115" }),
        cell: Type.Optional(Type.String({ maxLength: 16, description: "grid cell \"lat,lng\" with at most two decimals (~1 km); nothing finer" })),
      },
      { additionalProperties: false, description: "coarse place only: no address, no precise coordinates" },
    ),
    answers: Type.Record(
      Type.String({ pattern: "^[a-z][a-z0-9-]{0,39}$" }),
      Type.Object(
        {
          value: Type.String({ minLength: 1, maxLength: 40, description: "one of the item's options" }),
          note: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "judgment items only: the surveyor's reasoning, no personal data" })),
          photos: Type.Optional(Type.Array(Bytes32, { maxItems: 16, description: "keccak256 of each photo" })),
        },
        { additionalProperties: false },
      ),
      { description: "checklist item id → answer; every required item (all judgment items) must be answered" },
    ),
    documents: Type.Optional(Type.Array(Type.Object({ kind: oneOf(SURVEY_DOCUMENT_KINDS), hash: Bytes32 }, { additionalProperties: false }), { maxItems: 16 })),
  },
  { additionalProperties: false },
);

const Adjustment = Type.Object({
  flag: Type.String(),
  item: Type.String(),
  answer: Type.String(),
  factorBps: Type.Integer({ description: "multiplicative factor, basis points (7500 = −25%)" }),
  judgment: Type.Boolean({ description: "the item needed the surveyor's judgment" }),
  zh: Type.String(),
  en: Type.String(),
});

export const SurveyView = Type.Object({
  id: Type.String({ description: "sv- + the first 16 hex digits of the hash" }),
  hash: Bytes32,
  recordId: Type.Union([Bytes32, Type.Null()], { description: "the evidence record (kind survey) whose contentHash is the hash" }),
  status: Type.Union([Type.Literal("recorded"), Type.Literal("pending")]),
  claimId: Bytes32,
  assetType: Type.String(),
  surveyedAt: Type.String(),
  surveyor: Type.String(),
  location: Type.Object({ region: Type.String(), cell: Type.Optional(Type.String()) }),
  factorBps: Type.Integer({ description: "product of the adjustments' factors" }),
  adjustments: Type.Array(Adjustment),
  judged: Type.Array(Type.Object({ item: Type.String(), zh: Type.String(), en: Type.String(), value: Type.String(), note: Type.Optional(Type.String()) })),
  missingPhotos: Type.Array(Type.String({ description: "items that expect a photo but came without one" })),
  attachments: Type.Array(Bytes32),
  recordedAt: Type.String(),
  survey: Type.Object({}, { additionalProperties: true, description: "the survey document exactly as hashed (canonical JSON, RFC 8785; keccak256 = hash)" }),
});

const ChecklistOut = Type.Object({
  assetType: Type.String(),
  version: Type.Integer(),
  zh: Type.String(),
  en: Type.String(),
  items: Type.Array(Type.Object({
    id: Type.String(),
    zh: Type.String(),
    en: Type.String(),
    judgment: Type.Boolean({ description: "needs a person's judgment: the surveyor judges only these" }),
    required: Type.Boolean(),
    photo: Type.Boolean({ description: "a photo is expected" }),
    options: Type.Array(Type.Object({ value: Type.String(), zh: Type.String(), en: Type.String(), flag: Type.Optional(Type.String()) })),
  })),
});

/** Field surveys (数字化勘察): checklists, recording a survey as evidence, a claim's surveys. */
const surveyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/v1/surveys/checklists",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["surveys"],
        summary: "Survey checklists per collateral type (judgment items marked) and the flags with their value factors",
        response: {
          200: Type.Object({
            version: Type.Integer(),
            assetTypes: Type.Array(Type.String()),
            checklists: Type.Array(ChecklistOut),
            flags: Type.Array(Type.Object({ code: Type.String(), factorBps: Type.Integer(), zh: Type.String(), en: Type.String() })),
          }),
          ...errors(401),
        },
      },
    },
    async () => fastify.surveys.checklists() as never,
  );

  fastify.post(
    "/v1/claims/:claimId/surveys",
    {
      preHandler: fastify.requireRole("bank", "amc", "collector"),
      schema: {
        tags: ["surveys"],
        summary: "Record a field survey of the claim's collateral (its holder or the holder's collectors); recorded as evidence of kind survey",
        description:
          "The survey's canonical JSON (RFC 8785) hashed with keccak256 is the evidence record's contentHash; photo and document hashes are its attachments. " +
          "The same survey sent again answers 200 with the first recording. Flags in the answers adjust the claim's valuation (GET /v1/claims/:claimId/assessment).",
        params: Type.Object({ claimId: Bytes32 }),
        body: SurveyBody,
        response: {
          201: Type.Object({ created: Type.Boolean(), survey: SurveyView }),
          200: Type.Object({ created: Type.Boolean(), survey: SurveyView }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const out = await fastify.surveys.record(request.caller!, request.params.claimId, request.body);
      return reply.status(out.created ? 201 : 200).send(out as never);
    },
  );

  fastify.get(
    "/v1/claims/:claimId/surveys",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["surveys"],
        summary: "A claim's field surveys, newest first, with their flags, value factors and evidence record ids (for the claim's parties: src/app/access.ts)",
        params: Type.Object({ claimId: Bytes32 }),
        response: { 200: Type.Object({ claimId: Bytes32, count: Type.Integer(), surveys: Type.Array(SurveyView) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => fastify.surveys.list(request.caller!, request.params.claimId) as never,
  );
};

export default surveyRoutes;
