import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { LegalStatusRequest } from "../../app/claims/legal-status.js";
import { Type } from "typebox";
import { Address, AsOfBlock, Bytes32, ClaimRequestSchema, ClauseTermsOut, errors, LegalTermsSchema, Money, ReadQuery, TxHash } from "../schemas.js";
import type { ClaimRequest } from "../../core/claim-input.js";

const ClaimIdParams = Type.Object({ claimId: Bytes32 });

const ClaimView = Type.Object({
  claimId: Bytes32,
  asOfBlock: AsOfBlock,
  status: Type.String(),
  onChain: Type.Union([
    Type.Object({
      holder: Address,
      principal: Money,
      outstanding: Money,
      currency: Type.String(),
      originatedAt: Type.String(),
      maturityAt: Type.String(),
      retail: Type.Boolean(),
      clauses: ClauseTermsOut,
      collateralHash: Bytes32,
      documentsRoot: Bytes32,
      resaleRestricted: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  offChain: Type.Union([
    Type.Object({
      originatorCode: Type.String(),
      contractNo: Type.String(),
      loanSalt: Type.Optional(Type.String({ pattern: "^0x[0-9a-f]{64}$", description: "salt of the on-chain loanRef (only for who may read the claim's details): loanRef = keccak256(abi.encode(loanSalt, keccak256(utf8(contractNo))))" })),
      loanRef: Type.Optional(Type.String({ pattern: "^0x[0-9a-f]{64}$", description: "the loan reference on chain (ClaimRegistered.loanRef)" })),
      originator: Address,
      product: Type.String(),
      region: Type.Optional(Type.String()),
      collateral: Type.Optional(Type.Unknown()),
      debtor: Type.Optional(Type.Unknown({ description: "personal data: only for the originator, the current holder (and its collectors) and courts" })),
      legal: Type.Optional(Type.Unknown({ description: "the claim's legal terms (rates, schedule, guarantors, arbitration clause, bankruptcy/异议), for the same parties as debtor" })),
      personalDataRedacted: Type.Boolean(),
      registeredTx: Type.Optional(TxHash),
    }),
    Type.Null(),
  ]),
  offChainWithheld: Type.Optional(Type.Object({
    reason: Type.Literal("not-a-party"),
    messages: Type.Object({ en: Type.String(), "zh-CN": Type.String() }),
  }, { description: "this node has the claim's off-chain record, but it is for the claim's parties only (src/app/access.ts)" })),
});

const HistoryEvent = Type.Object({
  type: Type.Union([Type.Literal("registered"), Type.Literal("assigned"), Type.Literal("transferred")]),
  from: Type.Union([Address, Type.Null()]),
  to: Address,
  packageId: Type.Union([Type.String(), Type.Null()], { description: "the package's name where this node knows the sale and the reader may read the claim, else its on-chain reference" }),
  packageRef: Type.Optional(Type.String({ description: "the package's reference on chain (a salted hash of its name)" })),
  packageSalt: Type.Optional(Type.String({ description: "packageRef = keccak256(abi.encode(packageSalt, keccak256(utf8(packageId))))" })),
  price: Type.Union([Money, Type.Null()], { description: "the whole package's price, as on chain" }),
  priceShare: Type.Optional(Money),
  noticeHash: Type.Union([Bytes32, Type.Null()], { description: "a package sale's notice: the salted commitment on chain" }),
  noticeSalt: Type.Optional(Type.String({ description: "its salt (only for who may read the claim): noticeHash = keccak256(abi.encode(noticeSalt, noticeContentHash))" })),
  noticeContentHash: Type.Optional(Type.String({ description: "keccak256 of the notice text (only for who may read the claim)" })),
  filesCommitment: Type.Union([Bytes32, Type.Null()], { description: "a package sale's salted commitment to the loan files handed over to the buyer (zero when none was committed); null for other steps" }),
  txHash: TxHash,
  blockNumber: Type.Integer(),
  timestamp: Type.String(),
});

/** Claims: register one, read, history (a batch import: routes/jobs.ts). */
const claimRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    "/v1/claims",
    {
      preHandler: fastify.requireRole("bank"),
      schema: {
        tags: ["claims"],
        summary: "Register one overdue loan as a claim (bank)",
        body: ClaimRequestSchema,
        response: {
          201: Type.Object({ claimId: Bytes32, txHash: TxHash, blockNumber: Type.Integer(), blockHash: Bytes32 }, { description: "reads reflect the claim once the chain index reached blockNumber (this server's own reads already do; elsewhere pass ?minBlock=)" }),
          ...errors(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const result = await fastify.claims.register(request.caller!, request.body as ClaimRequest);
      return reply.status(201).send(result);
    },
  );

  fastify.get(
    "/v1/claims/:claimId",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["claims"],
        summary: "A claim: on-chain owner, terms and status (any key), and off-chain details (the holder's side, the originator, a court before which its case is, the operator's admin)",
        description: "On-chain facts from the chain index (asOfBlock says which block); ?minBlock= waits for a write's block.",
        params: ClaimIdParams,
        querystring: ReadQuery,
        response: { 200: ClaimView, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await fastify.reads.atLeast(request.query);
      const id = request.params.claimId.toLowerCase();
      return fastify.reads.sendChainRead(reply, request.caller!, `claim|${id}`, () => fastify.reads.claims.get(request.caller!, id));
    },
  );

  fastify.put(
    "/v1/claims/:claimId/legal-status",
    {
      preHandler: fastify.requireRole("bank", "amc", "collector"),
      schema: {
        tags: ["claims"],
        summary: "The holder records the debtor's bankruptcy (企业破产法: collection contacts refused, the claim-filing deadline tracked) or objection (异议: collection pauses), or their end",
        params: ClaimIdParams,
        body: Type.Object({
          bankruptcy: Type.Optional(Type.Union([LegalTermsSchema.properties.bankruptcy, Type.Null()], { description: "the case, or null when it ended" })),
          objection: Type.Optional(Type.Boolean({ description: "true: pending; false: answered" })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ claimId: Bytes32, legal: LegalTermsSchema }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => fastify.legalStatus.update(request.caller!, request.params.claimId, request.body as LegalStatusRequest),
  );

  fastify.get(
    "/v1/claims/:claimId/history",
    {
      preHandler: fastify.requireRole(),
      schema: {
        tags: ["claims"],
        summary: "Ownership history from chain events (the chain index), oldest first; a sale's priceShare is this claim's share of the package price (pro rata to outstanding at the cut-off)",
        params: ClaimIdParams,
        querystring: ReadQuery,
        response: { 200: Type.Object({ claimId: Bytes32, asOfBlock: AsOfBlock, events: Type.Array(HistoryEvent) }), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await fastify.reads.atLeast(request.query);
      const id = request.params.claimId.toLowerCase();
      return fastify.reads.sendChainRead(reply, request.caller!, `history|${id}`, () => fastify.reads.claims.history(id, request.caller));
    },
  );
};

export default claimRoutes;
