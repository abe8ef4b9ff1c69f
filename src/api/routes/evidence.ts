import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { createKeccak } from "hash-wasm";
import { CHANNELS, DIRECTIONS, EVIDENCE_KINDS, RELATIONS } from "../../core/evidence.js";
import { PRIOR_EVENTS } from "../../core/evidence-time.js";
import { DELIVERY_METHODS, MEDIA, POST_OUTCOMES } from "../../core/delivery-record.js";
import { DebtrailError, ValidationError } from "../../core/errors.js";
import type { EvidenceRequest } from "../../app/evidence/index.js";
import { AuthFailureLimiter, verifyRateLimit, type Caller } from "../plugins/auth.js";
import { Address, Bytes32, errors, itemChecker, oneOf, TxHash } from "../schemas.js";

export const EvidenceRequestSchema = Type.Object(
  {
    claimId: Bytes32,
    kind: oneOf(EVIDENCE_KINDS, "what happened; prior-history: the originator's statement of an event from before the claim was registered (with priorEvent), never a contemporaneous record"),
    channel: oneOf(CHANNELS),
    direction: oneOf(DIRECTIONS, "outbound: we contacted them; inbound: they contacted us; internal: no person (valuation, survey)"),
    occurredAt: Type.String({ format: "date-time", description: "ISO 8601 date-time with offset, e.g. 2026-11-23T10:15:00+08:00" }),
    actor: Type.String({ pattern: "^[A-Za-z0-9._:@-]{1,64}$", description: "opaque id of the collector or system account (no personal data)" }),
    counterparty: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
          relation: oneOf(RELATIONS),
        },
        { additionalProperties: false, description: "who was contacted; only a salted hash reaches the record" },
      ),
    ),
    content: Type.Optional(Type.String({ minLength: 1, maxLength: 1_000_000, description: "transcript / letter text; kept off chain, its keccak256 is the record's contentHash" })),
    contentHash: Type.Optional(Bytes32),
    attachments: Type.Optional(Type.Array(Bytes32, { minItems: 1, maxItems: 64, description: "keccak256 of each attached file" })),
    priorEvent: Type.Optional(oneOf(PRIOR_EVENTS, "kind prior-history only: the event the originator states happened before the registration")),
    delivery: Type.Optional(Type.Object(
      {
        notice: Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "record id of the letter, notice or assignment notice it delivers (same claim, recorded before it)" }),
        method: oneOf(DELIVERY_METHODS, "ems: postal tracking; signed-receipt: signed/sealed by the addressee; e-delivery: entered the addressee's system; confirmed-address: sent to the address of a 送达地址确认书; announcement: 公告送达"),
        outcome: Type.Optional(oneOf(POST_OUTCOMES, "ems, confirmed-address: what happened to the item")),
        designated: Type.Optional(Type.Boolean({ description: "e-delivery: to an address or system the addressee designated (民法典第137条第2款)" })),
        readAt: Type.Optional(Type.String({ format: "date-time", description: "e-delivery to a system not designated: when the addressee opened it" })),
        confirmation: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "confirmed-address: record id of the addressee's address-confirmation record" })),
        address: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: "ems, confirmed-address: the address it went to; only a salted hash reaches the record" })),
        medium: Type.Optional(oneOf(MEDIA, "announcement: where it was published")),
        addresseeMissing: Type.Optional(Type.Boolean({ description: "announcement: the addressee's whereabouts are unknown (下落不明)" })),
      },
      { additionalProperties: false, description: "kind delivery-proof only (送达凭证): the notice it delivers and how; occurredAt is the day the proof states (signed for, entered the system, returned, published)" },
    )),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: "kind address-confirmation only (送达地址确认书): the confirmed address; only a salted hash reaches the record" })),
  },
  { additionalProperties: false },
);

const Accepted = Type.Object({
  recordId: Bytes32,
  leaf: Bytes32,
  status: Type.Literal("pending"),
  seq: Type.Integer({ description: "position in the claim's hash chain, from 0" }),
  prevHash: Bytes32,
});

const EvidenceRecordOut = Type.Object({}, { additionalProperties: true, description: "the canonical evidence record (see DESIGN.md, Evidence)" });

const Anchor = Type.Object({ txHash: TxHash, blockNumber: Type.Integer(), blockTimestamp: Type.Integer(), submitter: Address });

const Bundle = Type.Object(
  {
    version: Type.Literal(1),
    record: EvidenceRecordOut,
    recordHash: Bytes32,
    leaf: Bytes32,
    proof: Type.Array(Bytes32),
    root: Bytes32,
    chainId: Type.Integer(),
    contract: Address,
    anchor: Anchor,
    document: Type.Optional(Type.Object(
      { salt: Bytes32, commitment: Bytes32 },
      { description: "a document committed to on chain (a notice): commitment = keccak256(abi.encode(salt, record.contentHash)); only for who may read the claim" },
    )),
  },
  { description: "proof bundle: verifiable with nothing but a JSON-RPC endpoint" },
);

const Messages = Type.Object({ en: Type.String(), "zh-CN": Type.String() });

const Verification = Type.Object({
  verified: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: "why not: malformed, record-hash-mismatch, leaf-mismatch, proof-invalid, commitment-mismatch, chain-mismatch, no-contract, root-not-anchored, anchor-mismatch, anchor-tx-not-found, anchor-log-missing, proof-rejected-on-chain, unknown-content, pending" })),
  messages: Type.Optional(Messages),
  anchoredAt: Type.Optional(Type.Integer({ description: "unix seconds of the anchoring block, 0 if not anchored" })),
  blockNumber: Type.Optional(Type.Integer()),
  txHash: Type.Optional(Type.String()),
  chainId: Type.Optional(Type.Integer()),
  contract: Type.Optional(Type.String()),
  contentHash: Type.Optional(Bytes32),
  recordId: Type.Optional(Bytes32),
  records: Type.Optional(Type.Array(Bytes32)),
  bundle: Type.Optional(Bundle),
  detailsRedacted: Type.Optional(Type.Boolean({ description: "for a content hash or file: true when the caller may not read the record's claim (anonymous callers): only verified and the anchor are given" })),
});

/** What a JSON body of POST /v1/verify may take: a proof bundle is a few kB; 1 MiB leaves room, 64 MiB would not be needed. */
export const VERIFY_JSON_LIMIT_BYTES = 1024 * 1024;

/** A file posted to /v1/verify, hashed while it streams in (never buffered, no size limit but the request timeout). */
class StreamedFile {
  constructor(readonly contentHash: string, readonly bytes: number) {}
}

/** keccak256 of a stream, chunk by chunk (hash-wasm's incremental Keccak-256; ethers' keccak256 takes the whole input at once). */
async function keccakOfStream(stream: Readable): Promise<StreamedFile> {
  const hasher = await createKeccak(256);
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    hasher.update(chunk as Buffer);
  }
  return new StreamedFile(`0x${hasher.digest("hex")}`, bytes);
}

/** Checks one batch item like the single route does; the error names the field in batch terms. */
const checkItem = itemChecker(EvidenceRequestSchema, "records");

/** Collection evidence: record, batch, anchor, prove and verify (DESIGN.md "Evidence"). */
const evidenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/evidence",
    {
      preHandler: fastify.requireRole("bank", "amc", "collector"),
      schema: {
        tags: ["evidence"],
        summary: "Record one collection contact or event (the claim's holder or its collectors); compliance rules apply",
        body: EvidenceRequestSchema,
        response: { 201: Accepted, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await fastify.evidence.record(request.caller!, request.body as EvidenceRequest)),
  );

  fastify.post(
    "/v1/evidence/batch",
    {
      preHandler: fastify.requireRole("bank", "amc", "collector"),
      schema: {
        tags: ["evidence"],
        summary: "Record many contacts in order; each is accepted or refused (with the field or compliance rule) on its own; a batch without one well-formed record is refused (400)",
        body: Type.Object(
          { records: Type.Array(Type.Object({}, { additionalProperties: true, description: "as the body of POST /v1/evidence" }), { minItems: 1, maxItems: 10_000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            accepted: Type.Integer(),
            refused: Type.Integer(),
            results: Type.Array(
              Type.Object({
                index: Type.Integer(),
                recordId: Type.Optional(Bytes32),
                leaf: Type.Optional(Bytes32),
                status: Type.Optional(Type.Literal("pending")),
                seq: Type.Optional(Type.Integer()),
                prevHash: Type.Optional(Bytes32),
                error: Type.Optional(Type.Object({ error: Type.String(), message: Type.String(), field: Type.Optional(Type.String()), rule: Type.Optional(Type.String()) }, { additionalProperties: true })),
              }),
            ),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const items = request.body.records;
      const shapeErrors = new Map<number, ValidationError>();
      items.forEach((item, i) => {
        const error = checkItem(item, i);
        if (error) shapeErrors.set(i, error);
      });
      const valid = items.map((item, i) => ({ item: item as unknown as EvidenceRequest, i })).filter(({ i }) => !shapeErrors.has(i));
      if (valid.length === 0) {
        // Not one well-formed record: the request itself is refused, naming the first bad field.
        const listed = [...shapeErrors].slice(0, 100).map(([index, e]) => ({ index, field: e.field, rule: e.rule }));
        const first = shapeErrors.get(0)!;
        throw new DebtrailError("VALIDATION", `no record of this batch is well-formed; ${first.message}`, {
          field: first.field, rule: first.rule, refused: items.length, errors: listed,
        });
      }
      const outcome = valid.length > 0
        ? await fastify.evidence.recordMany(request.caller!, valid.map((v) => v.item), valid.map((v) => v.i))
        : [];
      const results: Array<Record<string, unknown>> = new Array(items.length);
      for (const [i, error] of shapeErrors) {
        results[i] = { index: i, error: { error: error.code, message: error.message, field: error.field, rule: error.rule } };
      }
      for (const r of outcome) results[r.index] = r;
      const accepted = results.filter((r) => !r.error).length;
      return reply.status(201).send({ accepted, refused: items.length - accepted, results: results as never });
    },
  );

  fastify.post(
    "/v1/evidence/flush",
    {
      preHandler: fastify.requireRole("admin"),
      schema: {
        tags: ["evidence"],
        summary: "Close a batch of waiting records now and anchor it (admin); waits up to 30 s for the anchor",
        response: {
          200: Type.Object({
            closed: Type.Boolean(),
            batchId: Type.Optional(Type.String()),
            root: Type.Optional(Bytes32),
            count: Type.Optional(Type.Integer()),
            status: Type.Unknown({ description: "\"closed\" or \"anchored\"; when nothing waited, the batcher's state" }),
            anchor: Type.Optional(Anchor),
            lastError: Type.Optional(Type.String()),
          }),
          ...errors(401, 403),
        },
      },
    },
    async () => fastify.evidence.flush(),
  );

  fastify.get(
    "/v1/evidence/:recordId/receipt",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["evidence"],
        summary: "Receipt of a record: {status: \"pending\"} until its batch is anchored, then the proof bundle (for who may read the claim's off-chain details; anyone verifies a bundle at POST /v1/verify)",
        params: Type.Object({ recordId: Bytes32 }),
        response: {
          200: Type.Union([
            Type.Object({ status: Type.Literal("pending"), recordId: Bytes32, leaf: Bytes32, batchId: Type.Optional(Type.String()) }),
            Type.Intersect([Type.Object({ status: Type.Literal("anchored") }), Bundle]),
          ]),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => fastify.evidence.receipt(request.caller!, request.params.recordId),
  );

  fastify.get(
    "/v1/claims/:claimId/evidence",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["evidence"],
        summary: "A claim's evidence records in chain order and whether the hash chain is complete (a missing or altered record is named); for the claim's holder side, originator, a court before which its case is and the operator's admin",
        params: Type.Object({ claimId: Bytes32 }),
        response: {
          200: Type.Object({
            claimId: Bytes32,
            count: Type.Integer(),
            complete: Type.Boolean(),
            breaks: Type.Array(Type.Object({
              index: Type.Integer(),
              recordId: Type.String(),
              reason: Type.String({ description: "missing-previous | altered" }),
              missingRecordId: Type.Optional(Type.String({ description: "the record that should precede this one" })),
            })),
            personalDataRedacted: Type.Boolean(),
            records: Type.Array(Type.Object({}, { additionalProperties: true })),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => fastify.evidence.listForClaim(request.caller!, request.params.claimId),
  );

  fastify.get(
    "/v1/evidence/refused",
    {
      preHandler: fastify.requireRole("admin", "court"),
      schema: {
        tags: ["evidence"],
        summary: "Contacts refused by a compliance rule, newest first (audit): the operator's admin all, a court those of claims whose case is before it",
        // A query value is a string (types are not coerced), so the limit is a decimal string.
        querystring: Type.Object({ claimId: Type.Optional(Bytes32), limit: Type.Optional(Type.String({ pattern: "^([1-9][0-9]{0,2}|1000)$", description: "1–1000, default 100" })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ refused: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => fastify.evidence.refused(request.caller!, Number(request.query.limit ?? 100), request.query.claimId),
  );

  // Anyone may verify: a court needs no API key. A bundle the caller has is checked in full; a content
  // hash or a file tells an anonymous caller only whether it is anchored and where (else guesses of a
  // letter would be confirmed with the record and whose claim it is); details need a key that may read
  // the claim. Anonymous calls are limited per IP (VERIFY_RATE_LIMIT_PER_MINUTE); keyed ones count
  // against their key's general limit. JSON takes what a bundle needs (1 MiB); a file (any other
  // content type) is hashed as it streams in, so neither is buffered.
  // A key that may not read the claim learns from a content lookup what an anonymous caller learns (yes/no
  // and the anchor): such answers count against VERIFY_RATE_LIMIT_PER_MINUTE per key too, or any key would
  // guess letters at the general limit (100 times faster). Answers with the record's details do not count.
  const blindLookups = new AuthFailureLimiter(fastify.config.verifyRateLimitPerMinute);
  async function lookup(caller: Caller | undefined, contentHash: string, reply: FastifyReply) {
    if (!caller) return fastify.evidence.verifyContent(undefined, contentHash);
    const wait = blindLookups.blockedFor(caller.keyId, Date.now());
    if (wait > 0) {
      reply.header("retry-after", String(wait));
      throw Object.assign(new Error(`too many content lookups without access to their claims for this key; try again in ${wait} s`), { statusCode: 429 });
    }
    const result = await fastify.evidence.verifyContent(caller, contentHash);
    if (!("detailsRedacted" in result) || result.detailsRedacted) blindLookups.fail(caller.keyId, Date.now());
    return result;
  }
  fastify.register(async (verifyScope) => {
    verifyScope.removeContentTypeParser("text/plain"); // a text file is a file: streamed and hashed like any other
    verifyScope.addContentTypeParser("*", (_request, payload, done) => {
      keccakOfStream(payload as unknown as Readable).then((file) => done(null, file), (e) => done(e as Error, undefined));
    });
    verifyScope.post(
      "/v1/verify",
      {
        bodyLimit: VERIFY_JSON_LIMIT_BYTES,
        config: { rateLimit: verifyRateLimit(fastify.config) },
        schema: {
          tags: ["evidence"],
          summary: "Verify a proof bundle ({bundle} or the bundle itself), a content hash ({contentHash}), or a file (raw body, streamed) — no key needed; for a hash or file, the record and its claim only with a key that may read the claim",
          security: [],
          body: Type.Unknown({ description: "a proof bundle, {bundle}, {contentHash} (JSON, at most 1 MiB), or the raw bytes of a file (application/octet-stream or any non-JSON type; any size, hashed as it streams)" }),
          response: { 200: Verification, ...errors(400, 413, 429) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const caller = request.caller;
        if (body instanceof StreamedFile) return lookup(caller, body.contentHash, reply);
        if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("body", "bundle, {bundle}, {contentHash} or a file");
        const b = body as Record<string, unknown>;
        if (typeof b.contentHash === "string") {
          if (!/^0x[0-9a-fA-F]{64}$/.test(b.contentHash)) throw new ValidationError("contentHash", "bytes32-hex");
          return lookup(caller, b.contentHash, reply);
        }
        return fastify.evidence.verifyBundle("bundle" in b ? b.bundle : b);
      },
    );
  });
};

export default evidenceRoutes;

