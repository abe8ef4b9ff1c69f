import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type TSchema } from "typebox";
import { Address, Bytes32, errors, Money, oneOf } from "../schemas.js";
import { UnauthorizedError, ValidationError } from "../../core/errors.js";
import { ROOM_HEADERS } from "../../app/market-room/index.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Range = Type.Object({ p10: Money, p50: Money, p90: Money, method: Type.Union([Type.Literal("comparables"), Type.Literal("appraisal"), Type.Literal("recovery")]) }, { additionalProperties: false });

/** One claim of a tape: exactly these properties leave the node (the serializer drops anything else — a second allow-list). */
const TapeLine = Type.Object({
  claimId: Bytes32, debtor: Type.String(), debtorType: Type.String(), idTail: Nullable(Type.String({ maxLength: 4 })),
  product: Type.String(), currency: Type.String(), principal: Money, balance: Money, daysPastDue: Type.Integer(), class: Type.String(),
  figuresFrom: Type.String(), collateralType: Type.String(), region: Nullable(Type.String()), district: Nullable(Type.String()),
  districtCode: Nullable(Type.String({ pattern: "^\\d{6}$", description: "the district's GB/T 2260 code" })),
  valuation: Nullable(Range), disposalPath: Nullable(Type.String()), expectedRecovery: Nullable(Money),
  limitation: Nullable(Type.Object({ status: Type.String(), lastDay: Type.String() })),
}, { additionalProperties: false });

const Totals = Type.Object({
  claims: Type.Integer(), debtors: Type.Integer(), personalClaims: Type.Integer(), balance: Money, principal: Money,
  byClass: Type.Record(Type.String(), Type.Object({ claims: Type.Integer(), balance: Money })),
  secured: Type.Integer(), timeBarred: Type.Integer(), expiring: Type.Integer(), limitationUnknown: Type.Integer(),
  valuation: Type.Object({ p10: Money, p50: Money, p90: Money, valued: Type.Integer() }), expectedRecovery: Money,
});
const Tape = Type.Object({ cutOff: Type.String(), lines: Type.Array(TapeLine), totals: Totals });
const Rule = Type.Object({ buyers: Type.Array(Type.String()), basis: Nullable(Type.String()) });
const Room = Type.Object({
  roomId: Bytes32, seller: Address, sellerKind: Type.String(), cutOff: Type.String(), rule: Rule, tapeHash: Bytes32,
  asOfBlock: Nullable(Type.Integer()), openedAt: Type.String(), claims: Type.Integer(), label: Type.Optional(Type.String()),
});
const Receipt = Type.Object({ seq: Type.Integer(), hash: Bytes32, signature: Type.String() });
/** A listing whose terms bind this room's tape: the terms (they name the room and its tapeHash) and their salt. */
const Binding = Type.Object({ listingId: Bytes32, terms: Type.Record(Type.String(), Type.Unknown()), termsSalt: Bytes32 });
const Entered = Type.Object({ room: Room, tape: Tape, receipt: Nullable(Receipt), listings: Type.Array(Binding, { description: "listings that commit on chain to this very tape: a buyer re-derives each termsCommitment" }) });
const Access = Type.Object({
  seq: Type.Integer(), at: Type.String(), roomId: Bytes32, account: Address, name: Type.String(), kind: Nullable(Type.String()),
  via: Type.String(), keyId: Type.Optional(Type.String()), outcome: Type.String(), rule: Type.Optional(Type.String()), tapeHash: Bytes32, prevHash: Bytes32, hash: Bytes32,
});
const Fetched = Type.Object({
  seller: Address, sellerUrl: Type.String(), room: Room, tape: Tape, receipt: Receipt, fetchedAt: Type.String(), fetchedBy: Type.String(),
  listings: Type.Optional(Type.Array(Type.Object({ listingId: Bytes32, verified: Type.Literal(true) }), { description: "listings on chain this node checked commit to this very tape" })),
});
const RoomParams = Type.Object({ roomId: Bytes32 });

/**
 * Packages' de-identified data rooms (src/app/market-room, issue 19). GET /v1/market/rooms/:roomId answers a caller
 * of this node by its API key, or a buyer's node by a request its account signed (headers X-Debtrail-Account,
 * -Issued-At, -Nonce, -Signature: EIP-712 DataRoomRequest) — no API key then.
 */
const marketRoomRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const m = () => fastify.marketRoom;

  fastify.post("/v1/market/rooms", {
    preHandler: fastify.requireRole("bank", "amc"),
    schema: {
      tags: ["market"],
      summary: "Open a package's data room over claims the caller holds: the de-identified loan tape as of the cut-off and who may enter (licensed AMCs only for personal NPLs and a bank's batch of 10 or more)",
      body: Type.Object({
        claimIds: Type.Array(Bytes32, { minItems: 1, maxItems: 500 }),
        cutOff: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "基准日, YYYY-MM-DD, not after today" }),
        label: Type.Optional(Type.String({ maxLength: 120, description: "the seller's own name for the package: never shown to buyers" })),
      }, { additionalProperties: false }),
      response: { 201: Type.Intersect([Room, Type.Object({ totals: Totals })]), ...errors(400, 401, 403) },
    },
  }, async (request, reply) => reply.code(201).send(await m().rooms.open(request.caller!, request.body)));

  fastify.get("/v1/market/rooms", {
    preHandler: fastify.requireRole("bank", "amc", "admin"),
    schema: {
      tags: ["market"],
      summary: "The caller's data rooms (the operator's admin: this node's), newest first, with how often each was shown and refused",
      response: { 200: Type.Object({ rooms: Type.Array(Type.Intersect([Room, Type.Object({ totals: Totals, accesses: Type.Object({ shown: Type.Integer(), refused: Type.Integer(), last: Nullable(Type.String()) }) })])) }), ...errors(401, 403) },
    },
  }, async (request) => m().rooms.mine(request.caller!));

  fastify.get("/v1/market/rooms/:roomId", {
    schema: {
      tags: ["market"],
      summary: "A data room: to its seller; to an eligible buyer (by this node's API key or its own node's signed request), logged first and answered with the seller's signed receipt; anyone else 403 naming the rule",
      params: RoomParams,
      headers: Type.Object({
        [ROOM_HEADERS.account]: Type.Optional(Address), [ROOM_HEADERS.issuedAt]: Type.Optional(Type.String({ pattern: "^[0-9]{1,12}$" })),
        [ROOM_HEADERS.nonce]: Type.Optional(Bytes32), [ROOM_HEADERS.signature]: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{130}$" })),
        [ROOM_HEADERS.name]: Type.Optional(Type.String({ maxLength: 300 })),
      }),
      response: { 200: Entered, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
    if (request.caller) return m().rooms.read(request.caller, request.params.roomId);
    const h = request.headers as Record<string, string | undefined>;
    const account = h[ROOM_HEADERS.account], signature = h[ROOM_HEADERS.signature];
    if (!account || !signature) throw new UnauthorizedError();
    const issuedAt = Number(h[ROOM_HEADERS.issuedAt]);
    const nonce = h[ROOM_HEADERS.nonce];
    if (!Number.isSafeInteger(issuedAt)) throw new ValidationError("X-Debtrail-Issued-At", "unix-seconds");
    if (!nonce) throw new ValidationError("X-Debtrail-Nonce", "bytes32-hex");
    let name: string | undefined;
    try {
      name = h[ROOM_HEADERS.name] !== undefined ? decodeURIComponent(h[ROOM_HEADERS.name]!) : undefined;
    } catch {
      throw new ValidationError("X-Debtrail-Name", "percent-encoded");
    }
    return m().rooms.readSigned(request.params.roomId, { roomId: request.params.roomId.toLowerCase(), account, issuedAt, nonce, ...(name ? { name } : {}) }, signature);
  });

  fastify.get("/v1/market/rooms/:roomId/accesses", {
    preHandler: fastify.requireRole("bank", "amc", "admin"),
    schema: {
      tags: ["market"],
      summary: "A data room's access log (its seller): who was shown it or refused, when, by which rule; hash-chained, and whether the chain is intact",
      params: RoomParams,
      response: { 200: Type.Object({ roomId: Bytes32, accesses: Type.Array(Access), chain: Type.Union([Type.Literal("intact"), Type.Object({ seq: Type.Integer(), problem: Type.String() })]) }), ...errors(401, 403, 404) },
    },
  }, async (request) => m().rooms.accesses(request.caller!, request.params.roomId));

  fastify.post("/v1/market/peer-rooms", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "Fetch a seller's data room from the seller's node (found in the peer directory), asking in the caller's account's name (signed); kept here with the seller's signed receipt",
      body: Type.Object({ seller: Address, roomId: Bytes32 }, { additionalProperties: false }),
      response: { 200: Fetched, ...errors(400, 401, 403, 404, 409, 503) },
    },
  }, async (request) => m().remote.fetchRoom(request.caller!, request.body.seller, request.body.roomId));

  fastify.get("/v1/market/peer-rooms", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "The data rooms the caller's account fetched from sellers' nodes (figures), newest first",
      response: { 200: Type.Object({ rooms: Type.Array(Type.Object({ seller: Address, room: Room, totals: Totals, fetchedAt: Type.String(), receipt: Type.Object({ seq: Type.Integer() }) })) }), ...errors(401, 403) },
    },
  }, async (request) => m().remote.list(request.caller!));

  fastify.get("/v1/market/peer-rooms/:seller/:roomId", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "A fetched data room as kept here: the tape and the seller's signed receipt",
      params: Type.Object({ seller: Address, roomId: Bytes32 }),
      response: { 200: Fetched, ...errors(401, 403, 404) },
    },
  }, async (request) => m().remote.kept(request.caller!, request.params.seller, request.params.roomId));

  const ProfileBody = Type.Object({
    regions: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64, description: "regions it buys in (empty: says nothing)" }),
    assetTypes: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16, description: "products it buys (empty: says nothing)" }),
    collateralTypes: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
    ticket: Type.Optional(Type.Object({ min: Money, max: Money }, { additionalProperties: false })),
    returnTargetBps: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    maxTimeBarredBps: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  }, { additionalProperties: false });
  const Profile = Type.Object({ investorId: Type.String() }, { additionalProperties: true });

  fastify.put("/v1/market/profile", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "Declare the caller's investor profile (regions, products, collateral, ticket size, return target, tolerance for time-barred claims), kept at this node",
      body: ProfileBody,
      response: { 200: Profile, ...errors(400, 401, 403) },
    },
  }, async (request) => (await m().recommendations.setProfile(request.caller!, request.body)) as { investorId: string });

  fastify.get("/v1/market/profile", {
    preHandler: fastify.requireRole("amc"),
    schema: { tags: ["market"], summary: "The caller's declared investor profile", response: { 200: Profile, ...errors(401, 403, 404) } },
  }, async (request) => (await m().recommendations.profile(request.caller!)) as { investorId: string });

  fastify.get("/v1/market/recommendations", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "The data rooms the caller has seen, ranked for its profile by the market's matching, each with its reasons (in ?lang=, else the Accept-Language)",
      querystring: Type.Object({ lang: Type.Optional(oneOf(["zh-CN", "en"] as const, "language of the reasons (default: Accept-Language, else zh-CN)")) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          asOf: Type.String(),
          recommendations: Type.Array(Type.Object({
            seller: Address, roomId: Bytes32, cutOff: Type.String(), claims: Type.Integer(), balance: Money, predictedValue: Money, valueRatioBps: Type.Integer(),
            reasons: Type.Array(Type.String()),
          })),
        }),
        ...errors(401, 403, 404),
      },
    },
  }, async (request) => {
    const lang = request.query.lang ?? (/^en/i.test(String(request.headers["accept-language"] ?? "")) ? "en" : "zh-CN");
    return m().recommendations.recommended(request.caller!, lang);
  });

  fastify.get("/v1/market/recommended-listings", {
    preHandler: fastify.requireRole("amc"),
    schema: {
      tags: ["market"],
      summary: "The market's open listings ranked for the caller's profile: the live listings as the market source (each read through a data room this node fetched and checked the listing commits to), preferences learned from the chain's revealed bids; reasons in ?lang=",
      querystring: Type.Object({ lang: Type.Optional(oneOf(["zh-CN", "en"] as const, "language of the reasons (default: Accept-Language, else zh-CN)")) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          asOf: Type.String(),
          recommendations: Type.Array(Type.Object({
            listingId: Bytes32, seller: Address, commitEnd: Type.Integer(), revealEnd: Type.Integer(), reserve: Nullable(Money), deposit: Money, claims: Type.Integer(),
            licensedAmcOnly: Type.Boolean(), predictedValue: Money, predictedBid: Money, valueRatioBps: Type.Integer(), reasons: Type.Array(Type.String()),
          })),
        }),
        ...errors(401, 403, 404),
      },
    },
  }, async (request) => {
    const lang = request.query.lang ?? (/^en/i.test(String(request.headers["accept-language"] ?? "")) ? "en" : "zh-CN");
    return m().recommendations.recommendedListings(request.caller!, lang);
  });
};

export default marketRoomRoutes;
