import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { catalogueHtml, interruptionProofHtml } from "../../i18n/proof-print.js";
import { verifyRateLimit } from "../plugins/auth.js";
import { sendPage } from "../page-reply.js";
import { Bytes32, errors, oneOf } from "../schemas.js";
import { ValidationError } from "../../core/errors.js";

const Query = Type.Object(
  {
    asOf: Type.Optional(Type.String({ minLength: 10, maxLength: 35, description: "the day to judge on (default today, China time)" })),
    format: Type.Optional(oneOf(["json", "html"] as const, "json (default): the verifiable document; html: its printable page, Chinese first with the English translation")),
  },
  { additionalProperties: false },
);

/** The printed page holds no script; its inline style is its only resource. */
const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const Document = Type.Object({}, { additionalProperties: true, description: "the document (see docs/limitation.md): verifiable like any bundle" });

const ProofVerification = Type.Object({
  verified: Type.Boolean({ description: "every bundle verified on this node's chain, the period computed again from the proof's records ends on the stated day, and the stated maturity is the registry's" }),
  reason: Type.Optional(Type.String({ description: "why not: malformed | bundle-invalid | pending | other-claim | delivery-mismatch | period-mismatch | a bundle's failure (root-not-anchored, …) | maturity-mismatch" })),
  check: Type.Object({
    ok: Type.Boolean(),
    problems: Type.Array(Type.Object({}, { additionalProperties: true, description: "code: malformed | bundle-invalid | pending | other-claim | delivery-mismatch | period-mismatch, and where" })),
    recomputed: Type.Union([Type.Object({ expiresAt: Type.String(), extendedTo: Type.Optional(Type.String()), status: Type.String() }), Type.Null()]),
    lags: Type.Array(Type.Object({ event: Type.String(), anchorLagDays: Type.Union([Type.Integer(), Type.Null()]) }, { description: "days between the stated event and the anchoring of its record" })),
  }),
  bundles: Type.Array(Type.Object({}, { additionalProperties: true, description: "at (where in the proof), and the bundle's verification as POST /v1/verify answers it" })),
  maturity: Type.Object({ stated: Type.String(), onChain: Type.Union([Type.String(), Type.Null()]), ok: Type.Boolean() }),
});

/** A claim's 证据目录 and 时效中断证明, and the verification of a 时效中断证明 (issue 17). */
const claimProofRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    "/v1/claims/:claimId/evidence-catalogue",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["limitation"],
        summary: "A claim's 证据目录 (evidence catalogue): every record, what it proves, its proof bundle and anchor, and each notice's delivery proof (for who may read the claim's details)",
        params: Type.Object({ claimId: Bytes32 }),
        querystring: Query,
        response: { 200: Type.Unknown({ description: "JSON: the catalogue (type evidence-catalogue); html: the printable page" }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const c = await fastify.limitation.catalogue(request.caller!, request.params.claimId, { asOf: request.query.asOf });
      if (request.query.format === "html") return sendPage(reply, catalogueHtml(c), PRINT_CSP);
      return reply.type("application/json").send(JSON.stringify(c));
    },
  );

  fastify.get(
    "/v1/claims/:claimId/interruption-proof",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["limitation"],
        summary: "A claim's 时效中断证明: its limitation period and the chain of interruptions, each with its record's bundle and its delivery proof; verify it at POST /v1/verify/interruption-proof or on the court page (/verify)",
        params: Type.Object({ claimId: Bytes32 }),
        querystring: Query,
        response: { 200: Type.Unknown({ description: "JSON: the proof (type limitation-interruption-proof); html: the printable page" }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = await fastify.limitation.interruptionProof(request.caller!, request.params.claimId, { asOf: request.query.asOf });
      if (request.query.format === "html") return sendPage(reply, interruptionProofHtml(p), PRINT_CSP);
      return reply.type("application/json").send(JSON.stringify(p));
    },
  );

  // Anyone may verify, like a bundle: nothing is looked up, the proof brings everything. Limited as /v1/verify.
  fastify.post(
    "/v1/verify/interruption-proof",
    {
      config: { rateLimit: verifyRateLimit(fastify.config) },
      schema: {
        tags: ["limitation"],
        summary: "Verify a 时效中断证明 — no key needed: each bundle on this node's chain, the period computed again from the proof's own records, the stated maturity against ClaimRegistry",
        security: [],
        body: Type.Unknown({ description: "the proof as GET /v1/claims/:id/interruption-proof gave it (at most 4 MiB)" }),
        response: { 200: ProofVerification, ...errors(400, 413, 429) },
      },
    },
    async (request) => {
      const body = request.body;
      // A proof is a JSON object; anything else (a string sent as text/plain, an array) is no proof at all.
      if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("body", "interruption-proof-object");
      return fastify.limitation.verifyProof(body);
    },
  );
};

export default claimProofRoutes;
