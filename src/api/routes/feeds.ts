import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { FEED_FILE_FORMAT, FEED_TYPES } from "../../core/feeds.js";
import { Bytes32, errors, IsoDate, oneOf } from "../schemas.js";
import { IMPORT_MAX_ITEMS, PUSH_MAX_ITEMS } from "../../app/feeds/feeds.js";

const Provenance = Type.Object(
  {
    source: Type.String({ pattern: "^[A-Za-z0-9._:@-]{1,56}$", description: "source system: host name or agency code, e.g. zxgk.court.gov.cn" }),
    fetchedAt: Type.String({ minLength: 16, maxLength: 35, description: "when it was fetched: ISO 8601 date-time with offset" }),
    contentHash: Bytes32,
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "the source's own query or document id" })),
  },
  { additionalProperties: false, description: "where the fact came from; contentHash = keccak256 of the source document as fetched" },
);

const FeedItem = Type.Object(
  {
    type: oneOf(FEED_TYPES),
    claimId: Bytes32,
    provenance: Provenance,
    data: Type.Object({}, { additionalProperties: true, description: "by type: see docs/feeds.md" }),
  },
  { additionalProperties: false },
);

const Ingested = Type.Object({
  accepted: Type.Integer(),
  created: Type.Integer(),
  duplicates: Type.Integer({ description: "items already recorded (same feed id): answered with their first recording" }),
  items: Type.Array(Type.Object({
    index: Type.Integer(),
    feedId: Bytes32,
    claimId: Bytes32,
    type: Type.String(),
    recordId: Bytes32,
    created: Type.Boolean(),
  })),
});

const Explained = Type.Object({ zh: Type.String(), en: Type.String() });

export const FeedView = Type.Object({
  feedId: Bytes32,
  type: Type.String(),
  typeZh: Type.String(),
  recordId: Bytes32,
  evidenceKind: Type.String({ description: "appraisal → valuation; court-enforcement, property-registry, credit-bureau → desk-search (查册/资信调查; \"survey\" for feeds recorded before it existed)" }),
  provenance: Type.Object({ source: Type.String(), fetchedAt: Type.String(), contentHash: Bytes32, reference: Type.Optional(Type.String()) }),
  summary: Explained,
  current: Type.Boolean({ description: "the latest record of its type by asOf: the one that counts" }),
  data: Type.Object({}, { additionalProperties: true }),
  receivedAt: Type.String(),
  via: Type.String(),
});

export const FeedEffectOut = Type.Object({
  feedId: Bytes32,
  type: Type.String(),
  code: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  points: Type.Integer({ description: "added to the risk score" }),
  urgencyBps: Type.Integer({ description: "added to the priority's urgency" }),
  value: Type.Optional(Type.Object({ kind: Type.String(), amount: Type.String() })),
});

/** Outside data for the oracle: court enforcement, property registry, appraisals, credit bureau (docs/feeds.md). */
const feedRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/feeds",
    {
      preHandler: fastify.requireRole("bank", "amc", "feed"),
      schema: {
        tags: ["feeds"],
        summary: "Push outside-data records (HTTP push); each is recorded once as evidence with its provenance",
        description: "Every item is checked before any is recorded (a bad one → 400 naming items[i].field; an unknown claim → 404; a claim the caller may not send data for → 403). A bank or AMC sends data for the claims it holds; a feed key (the organisation's own connectors) for any registered claim. Appraisals are recorded as evidence kind valuation, the others as survey.",
        body: Type.Object({ items: Type.Array(FeedItem, { minItems: 1, maxItems: PUSH_MAX_ITEMS }) }, { additionalProperties: false }),
        response: { 201: Ingested, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.feeds.push(request.caller!, request.body)),
  );

  fastify.post(
    "/v1/feeds/import",
    {
      preHandler: fastify.requireRole("bank", "amc", "feed"),
      schema: {
        tags: ["feeds"],
        summary: `Import a feed file (format ${FEED_FILE_FORMAT}, as scripts/simulate-feeds.ts writes); each item is recorded once as evidence`,
        body: Type.Object(
          {
            format: Type.Literal(FEED_FILE_FORMAT),
            generatedAt: Type.Optional(Type.String({ maxLength: 35 })),
            generator: Type.Optional(Type.String({ maxLength: 100 })),
            items: Type.Array(FeedItem, { minItems: 1, maxItems: IMPORT_MAX_ITEMS }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Ingested, ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.feeds.importFile(request.caller!, request.body)),
  );

  fastify.get(
    "/v1/claims/:claimId/feeds",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["feeds"],
        summary: "A claim's outside-data records, newest first, with provenance, evidence record ids and what they do at asOf",
        params: Type.Object({ claimId: Bytes32 }),
        querystring: Type.Object({ asOf: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ claimId: Bytes32, count: Type.Integer(), feeds: Type.Array(FeedView), effects: Type.Array(FeedEffectOut) }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => fastify.feeds.list(request.caller!, request.params.claimId, request.query.asOf),
  );
};

export default feedRoutes;
