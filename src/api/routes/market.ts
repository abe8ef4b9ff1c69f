import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, AsOfBlock, Bytes32, errors, Money, oneOf, TxHash } from "../schemas.js";
import { MAX_PARTS, RELIST_OPTION_IDS } from "../../core/market/relist.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const ListingId = Type.Object({ id: Bytes32 }, { additionalProperties: false });
const Done = Type.Object({ listingId: Bytes32, txHash: TxHash, blockNumber: Type.Integer() });

const ListingOut = Type.Object({
  listingId: Bytes32, seller: Address, claimIds: Type.Array(Bytes32), termsCommitment: Bytes32,
  cutoffDate: Type.Integer({ description: "基准日, unix seconds (00:00 UTC+8)" }), commitEnd: Type.Integer(), revealEnd: Type.Integer(), executionPeriod: Type.Integer(),
  deposit: Money, reserve: Nullable(Money), reserveHidden: Type.Boolean(), licensedAmcOnly: Type.Boolean(), retailClaims: Type.Integer(),
  status: Type.Union([Type.Literal("open"), Type.Literal("awarded"), Type.Literal("sold"), Type.Literal("unsold"), Type.Literal("cancelled"), Type.Literal("failed")]),
  bidders: Type.Array(Address), revealed: Type.Integer(), winner: Nullable(Address), winningBid: Nullable(Money), deadline: Nullable(Type.Integer()),
  paid: Type.Boolean(), packageId: Nullable(Bytes32), label: Type.Optional(Type.String({ description: "the seller's own name for its listing (GET /v1/market/listings, to the seller only)" })),
  defaults: Type.Array(Type.Object({ defaulter: Address, winner: Address, sellerDefaulted: Type.Boolean(), blockNumber: Type.Integer() })),
  listedBlock: Type.Integer(), listedTx: TxHash, listedAt: Type.Integer(), updatedBlock: Type.Integer(), updatedTx: TxHash,
});
const BidOut = Type.Object({
  listingId: Bytes32, bidder: Address, seq: Type.Integer(), commitment: Bytes32, depositRef: Bytes32, deposit: Money,
  status: Type.Union([Type.Literal("committed"), Type.Literal("revealed"), Type.Literal("forfeited"), Type.Literal("won")]),
  amount: Nullable(Money), committedBlock: Type.Integer(), committedAt: Type.Integer(), revealedAt: Nullable(Type.Integer()),
}, { description: "a sealed bid shows only its commitment: its amount is null until revealed" });

/** The claim market (issue 19): listings, sealed bids, awards. Sellers' writes take the seller's key, bids a buyer's. */
const marketRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post("/v1/market/listings", {
    preHandler: fastify.requireRole("bank", "amc"),
    schema: {
      tags: ["market"],
      summary: "List a package of claims the caller holds for sealed bids (the claims are locked on chain until the listing ends)",
      body: Type.Object({
        label: Type.String({ minLength: 1, maxLength: 200, description: "the listing's name, also the package id its award is sold under (at most 64 characters once trimmed; once per seller: 409 package-id-taken when a sale or another live listing has it); the chain gets a salted id" }),
        claimIds: Type.Array(Bytes32, { minItems: 1, maxItems: 500 }),
        cutoffDate: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "基准日 YYYY-MM-DD" }),
        commitEnd: Type.Integer({ description: "unix seconds: bids are committed before it" }),
        revealEnd: Type.Integer({ description: "unix seconds: bids are revealed from commitEnd until before it" }),
        executionPeriodSeconds: Type.Integer({ minimum: 1, maximum: 4_294_967_295 }),
        deposit: Money,
        reserve: Type.Optional(Money),
        hideReserve: Type.Optional(Type.Boolean({ description: "commit the reserve salted, reveal it at the award" })),
        licensedAmcOnly: Type.Optional(Type.Boolean({ description: "only licensed AMCs may bid; required for personal NPLs and a bank's batch of ten or more" })),
        terms: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the listing's terms (off chain; a salted commitment on chain)" })),
        roomId: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "the seller's data room of these very claims: the listing's commitment then binds the room's tape (its tapeHash), which buyers check" })),
      }, { additionalProperties: false }),
      response: {
        201: Type.Object({ listingId: Bytes32, licensedAmcOnly: Type.Boolean(), termsCommitment: Bytes32, txHash: TxHash, blockNumber: Type.Integer() }),
        ...errors(400, 401, 403, 404, 409),
      },
    },
  }, async (request, reply) => {
    const { listing, blockNumber } = await fastify.market.list(request.caller!, request.body);
    return reply.status(201).send({ listingId: listing.listingId, licensedAmcOnly: listing.licensedAmcOnly, termsCommitment: listing.termsCommitment, txHash: listing.txHash!, blockNumber });
  });

  fastify.get("/v1/market/listings", {
    preHandler: fastify.requireRole("admin", "bank", "amc", "court"),
    schema: { tags: ["market"], summary: "Every listing, from this node's chain index (the caller's own with their label)", response: { 200: Type.Object({ listings: Type.Array(ListingOut), asOfBlock: AsOfBlock }), ...errors(401, 403) } },
  }, async (request) => fastify.market.listings(request.caller!));

  fastify.get("/v1/market/listings/:id", {
    preHandler: fastify.requireRole("admin", "bank", "amc", "court"),
    schema: {
      tags: ["market"],
      summary: "A listing with its bids (sealed ones: commitment only), the caller's own bid if this node holds it, the seller's own record to the seller; 404 for a listing neither the chain index nor this node knows",
      params: ListingId,
      response: {
        200: Type.Object({
          listing: Nullable(ListingOut), bids: Type.Array(BidOut), asOfBlock: AsOfBlock,
          myBid: Nullable(Type.Object({ amount: Money, status: Type.String(), commitment: Bytes32 })),
          mine: Nullable(Type.Object({ label: Type.String(), terms: Type.Record(Type.String(), Type.Unknown()), reserve: Nullable(Money), reserveHidden: Type.Boolean() })),
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request) => fastify.market.listing(request.caller!, request.params.id));

  type Caller = Parameters<typeof fastify.market.cancel>[0];
  const sellerStep = (path: string, summary: string, run: (id: string, caller: Caller) => Promise<{ listingId: string; txHash: string; blockNumber: number }>, roles: Array<"bank" | "amc" | "court" | "admin"> = ["bank", "amc"]) =>
    fastify.post(path, {
      preHandler: fastify.requireRole(...roles),
      schema: { tags: ["market"], summary, params: ListingId, response: { 200: Done, ...errors(400, 401, 403, 404, 409) } },
    }, async (request) => run((request.params as { id: string }).id, request.caller!));
  sellerStep("/v1/market/listings/:id/cancel", "The seller withdraws a listing without bids", (id, c) => fastify.market.cancel(c, id));
  sellerStep("/v1/market/listings/:id/award", "The seller awards once the reveal ended (revealing a hidden reserve), or the listing ends unsold", (id, c) => fastify.market.award(c, id));
  sellerStep("/v1/market/listings/:id/runner-up", "After the execution deadline, anyone with a key: the default on chain, the runner-up awarded or the listing failed", (id, c) => fastify.market.runnerUp(c, id), ["bank", "amc", "court", "admin"]);

  fastify.post("/v1/market/listings/:id/execute", {
    preHandler: fastify.requireRole("bank", "amc"),
    schema: {
      tags: ["market"],
      summary: "The seller executes the award: a package sale to the winner at the winning bid (notice commitment, loan-file handover as POST /v1/assignments)",
      params: ListingId,
      body: Type.Object({ notice: Type.String({ minLength: 1, maxLength: 100_000 }) }, { additionalProperties: false }),
      response: {
        201: Type.Object({ txHash: TxHash, blockNumber: Type.Integer(), packageId: Type.String({ description: "the package id the award was sold under: the listing's label (GET /v1/packages)" }), packageRef: Bytes32, handoverId: Type.String(), filesCommitment: Bytes32, noticeHash: Bytes32 }),
        ...errors(400, 401, 403, 404, 409),
      },
    },
  }, async (request, reply) => {
    const r = await fastify.market.execute(request.caller!, request.params.id, request.body);
    return reply.status(201).send({ txHash: r.txHash, blockNumber: r.blockNumber, packageId: r.packageId, packageRef: r.packageRef, handoverId: r.handoverId, filesCommitment: r.filesCommitment, noticeHash: r.noticeHash });
  });

  fastify.post("/v1/market/listings/:id/bids", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "Commit a sealed bid (amount and salt stay at this node; only the commitment goes on chain), with the deposit's payment reference",
      params: ListingId,
      body: Type.Object({ amount: Money, depositProof: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ listingId: Bytes32, commitment: Bytes32, status: Type.String(), txHash: TxHash, blockNumber: Type.Integer() }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await fastify.market.commitBid(request.caller!, request.params.id, request.body)));

  fastify.post("/v1/market/listings/:id/reveal", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"], summary: "Reveal the caller's sealed bid now (the node also does it by itself once the commit phase ended)", params: ListingId,
      response: { 200: Type.Object({ listingId: Bytes32, status: Type.String(), txHash: TxHash, blockNumber: Nullable(Type.Integer()) }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => fastify.market.revealBid(request.caller!, request.params.id));

  fastify.post("/v1/market/listings/:id/payment", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"], summary: "The winner records its payment (a salted commitment to the payment's reference goes on chain)", params: ListingId,
      body: Type.Object({ paymentProof: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ listingId: Bytes32, paymentCommitment: Bytes32, txHash: TxHash, blockNumber: Type.Integer() }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => fastify.market.recordPayment(request.caller!, request.params.id, request.body));

  // A package that did not sell (issue 19): the disposal model's advice, and the relist (whole or split) it offers.
  const Reason = Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])), text: Type.Optional(Type.String()) });
  const Range = Type.Object({ p10: Money, p50: Money, p90: Money });
  const Part = Type.Object({
    key: Type.String(), claimIds: Type.Array(Bytes32), balance: Money, value: Range, saleValue: Money, bidShare: Nullable(Money),
    licensedAmcOnly: Type.Boolean(), reserve: Money, reasons: Type.Array(Reason),
  });
  const UnixSeconds = Type.Integer({ minimum: 1, maximum: 1_099_511_627_775, description: "unix seconds (at most a year ahead)" });
  fastify.get("/v1/market/listings/:id/advice", {
    preHandler: fastify.requireRole("bank", "amc"),
    schema: {
      tags: ["market"],
      summary: "The seller's advice for its listing that did not sell: why, claims to withdraw (worth more collected or litigated), relist whole at a new reserve or split (personal/corporate, time-barred, secured, region), each with its reasons (in ?lang=); 409 while open or once sold",
      params: ListingId,
      querystring: Type.Object({ lang: Type.Optional(oneOf(["zh-CN", "en"] as const, "language of the reasons' texts (default: Accept-Language, else zh-CN)")) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          listingId: Bytes32, outcome: oneOf(["no-bids", "none-revealed", "below-reserve", "award-failed", "withdrawn"] as const), reasons: Type.Array(Reason),
          recommended: Nullable(oneOf(RELIST_OPTION_IDS)),
          window: Type.Object({ commitEnd: Type.Integer(), revealEnd: Type.Integer(), executionPeriod: Type.Integer() }),
          withdraw: Type.Array(Type.Object({ claimId: Bytes32, path: Type.String(), pathValue: Money, saleValue: Money, reasons: Type.Array(Reason) })),
          options: Type.Array(Type.Object({ id: oneOf(RELIST_OPTION_IDS), reasons: Type.Array(Reason), parts: Type.Array(Part) })),
          relisted: Nullable(Type.Object({ option: Type.String(), status: Type.String(), listings: Type.Array(Bytes32) })),
        }),
        ...errors(400, 401, 403, 404, 409),
      },
    },
  }, async (request) => {
    const lang = request.query.lang ?? (/^en/i.test(String(request.headers["accept-language"] ?? "")) ? "en" : "zh-CN");
    return fastify.market.relistAdvice(request.caller!, request.params.id, lang);
  });

  fastify.post("/v1/market/listings/:id/relist", {
    preHandler: fastify.requireRole("bank", "amc"),
    schema: {
      tags: ["market"],
      summary: "The seller relists its unsold listing as one of the advice's options (whole or a split), without the claims the advice withdraws: new listings on chain, ids derived from the old one; the same request again returns the same listings, never lists twice",
      params: ListingId,
      body: Type.Object({
        option: oneOf(RELIST_OPTION_IDS, "an option of GET /v1/market/listings/:id/advice"),
        parts: Type.Array(Type.Object({
          reserve: Type.Optional(Money), hideReserve: Type.Optional(Type.Boolean()), deposit: Money,
        }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_PARTS, description: "one per package of the option, in its order (reserve omitted: the advised one)" }),
        commitEnd: UnixSeconds, revealEnd: UnixSeconds,
        executionPeriodSeconds: Type.Integer({ minimum: 1, maximum: 365 * 86_400 }),
      }, { additionalProperties: false }),
      response: {
        201: Type.Object({
          listingId: Bytes32, option: Type.String(), withdrawn: Type.Array(Bytes32), resumed: Type.Boolean({ description: "true: this plan was made before (a retry): the same listings" }),
          listings: Type.Array(Type.Object({
            listingId: Bytes32, key: Type.String(), claimIds: Type.Array(Bytes32), reserve: Nullable(Money), reserveHidden: Type.Boolean(), licensedAmcOnly: Type.Boolean(),
            txHash: Nullable(TxHash), blockNumber: Type.Integer(),
          })),
        }),
        ...errors(400, 401, 403, 404, 409),
      },
    },
  }, async (request, reply) => reply.status(201).send(await fastify.market.relist(request.caller!, request.params.id, request.body)));
};

export default marketRoutes;
