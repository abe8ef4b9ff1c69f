import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { Address, AsOfBlock, Bytes32, errors, Money, oneOf, ReadQuery, ReadQueryProps, TxHash } from "../schemas.js";
import { PRODUCTS } from "../../core/claim-input.js";
import { CLASSIFICATIONS, CLASSIFICATIONS_ZH } from "../../core/classification.js";
import { CASE_STATES } from "../../core/oracle-plan.js";
import { GRADES } from "../../core/risk.js";
import { PATHS } from "../../core/recovery.js";
import type { ApiRole } from "../../config/roles.js";
import type { PortfolioFilters } from "../../app/portfolio/index.js";
import consolePages from "./console-pages.js";
import { PREVIEW_LISTED } from "../../app/portfolio/list.js";

/**
 * The console (issue 6): the API behind it — portfolio summary, claims list, work queue, package preview,
 * transaction view — and its static pages (src/api/public/console/), served by this server with a strict
 * CSP and Chart.js from node_modules (no CDN).
 */

/** Who may use which page or action; the routes below enforce the same table, the pages hide the rest. */
export const CONSOLE_PERMISSIONS: Record<string, readonly ApiRole[]> = {
  dashboard: ["admin", "bank", "amc"],
  queue: ["admin", "bank", "amc", "collector"],
  claims: ["admin", "bank", "amc", "collector", "court", "oracle"],
  claim: ["admin", "bank", "amc", "collector", "court", "oracle"],
  packages: ["bank", "amc"],
  market: ["bank", "amc"],
  room: ["bank", "amc"],
  listing: ["bank", "amc"],
  tx: ["admin", "bank", "amc", "collector", "court", "oracle"],
  recordContact: ["bank", "amc", "collector"],
  proposeOffer: ["bank", "amc", "collector"],
  approveOffer: ["bank", "amc", "admin"],
  acceptOffer: ["bank", "amc", "collector", "admin"],
  recordSurvey: ["bank", "amc", "collector"],
  disputes: ["court", "admin"],
  dispute: ["court", "admin"],
  rule: ["court"],
};

const ClassName = oneOf([...CLASSIFICATIONS, ...CLASSIFICATIONS_ZH] as const, "five-tier class: pass, special-mention, substandard, doubtful, loss (or 正常/关注/次级/可疑/损失)");

const FilterProps = {
  holder: Type.Optional(Address),
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "a region of GB/T 2260 by key, code, name or path (shanghai, 440305, 广东, 深圳市南山区): its claims and those of every division within it" })),
  product: Type.Optional(oneOf(PRODUCTS)),
  classification: Type.Optional(ClassName),
  state: Type.Optional(oneOf(CASE_STATES, "case state on chain")),
};

/** The work queue alone filters by 诉讼时效 (each claim's period from its record and evidence). */
const LimitationFilter = Type.Optional(oneOf(["running", "expiring", "expired"] as const, "诉讼时效 from the claim's record and evidence: expiring = ends within 90 days, expired = time-barred"));

const Limit = Type.String({ pattern: "^([1-9][0-9]{0,2}|1000)$", description: "page size, 1–1000" });

const Count = Type.Object({ count: Type.Integer(), outstanding: Money });
const ClassRow = Type.Object({ classification: oneOf(CLASSIFICATIONS), classificationZh: oneOf(CLASSIFICATIONS_ZH), count: Type.Integer(), outstanding: Money });
const Group = { count: Type.Integer(), outstanding: Money, expectedRecovery: Money };

const PortfolioView = Type.Object({
  asOf: Type.String({ description: "the later of the server clock and the last indexed block's time" }),
  block: Type.Integer({ description: "latest block the figures include (as asOfBlock; 0 before the first)" }),
  asOfBlock: AsOfBlock,
  scope: Type.Object({ kind: Type.String({ description: "all | holder | bank | none" }), address: Type.Union([Address, Type.Null()]) }),
  filters: Type.Object(FilterProps),
  count: Type.Integer(),
  outstanding: Money,
  expectedRecovery: Type.String({ description: "fen; 正常/关注 at outstanding − expected loss, 次级 and worse at the recommended disposal path's present value" }),
  recoveryBps: Type.Integer(),
  collateralValue: Money,
  byClass: Type.Array(ClassRow),
  byState: Type.Array(Type.Object({ state: oneOf(CASE_STATES), stateZh: Type.String(), ...Count.properties })),
  byRegion: Type.Array(Type.Object({ region: Type.String(), ...Group })),
  byProduct: Type.Array(Type.Object({ product: Type.String(), ...Group })),
  byHolder: Type.Array(Type.Object({ holder: Address, name: Type.Union([Type.String(), Type.Null()]), ...Group })),
  limitation: Type.Object({
    expiring: Type.Integer({ description: "open claims whose 诉讼时效 ends within 90 days (民法典第188条; from the claims' records and evidence)" }),
    expired: Type.Integer({ description: "open claims already time-barred" }),
  }),
  trend: Type.Array(Type.Object({
    day: Type.String({ description: "YYYY-MM-DD (UTC+8)" }),
    source: Type.Union([Type.Literal("live"), Type.Literal("reports")], { description: "live: recorded when the summary was computed; reports: rebuilt from the oracle reports on chain" }),
    count: Type.Integer(),
    outstanding: Money,
    expectedRecovery: Type.Union([Money, Type.Null()]),
    classCount: Type.Array(Type.Integer(), { minItems: 5, maxItems: 5 }),
    classOutstanding: Type.Array(Money, { minItems: 5, maxItems: 5 }),
    stateCount: Type.Record(Type.String(), Type.Integer()),
  })),
});

const ClaimRow = {
  claimId: Bytes32,
  contractNo: Type.String(),
  product: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  holder: Address,
  holderName: Type.Union([Type.String(), Type.Null()]),
  outstanding: Money,
  collateralValue: Type.Union([Money, Type.Null()]),
  daysPastDue: Type.Integer(),
  figuresFrom: Type.Union([Type.Literal("report"), Type.Literal("registration")], { description: "the last applied oracle report, or the registration (no report yet)" }),
  classification: oneOf(CLASSIFICATIONS),
  classificationZh: oneOf(CLASSIFICATIONS_ZH),
  grade: oneOf(GRADES),
  state: oneOf(CASE_STATES),
  stateZh: Type.String(),
  resaleRestricted: Type.Boolean(),
  disputeId: Type.Union([Type.String(), Type.Null()]),
  limitation: Type.Optional(Type.Union([Type.Object({
    expiresAt: Type.String(), lastDay: Type.String({ description: "moved past rest days (民法典第203条)" }),
    status: oneOf(["running", "expiring", "expired"] as const),
  }), Type.Null()], { description: "诉讼时效 (or the enforcement period) from the claim's record and evidence, as of today (work queue, package preview)" })),
  debtorName: Type.Optional(Type.String({ description: "personal data: only for the originator, the current holder (and its collectors) and courts" })),
  personalDataRedacted: Type.Boolean(),
};

const Explained = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

const QueueItem = Type.Object({
  rank: Type.Integer(),
  ...ClaimRow,
  priority: Money,
  expectedLoss: Money,
  urgencyBps: Type.Integer(),
  reasons: Type.Array(Explained),
  nextDeadline: Type.Union([
    Type.Object({
      clause: Type.Union([Type.Literal("warn"), Type.Literal("demand"), Type.Literal("arbitration")]),
      clauseZh: Type.String(),
      at: Type.String(),
      reached: Type.Boolean(),
      daysLeft: Type.Integer(),
    }),
    Type.Null(),
  ]),
  lastContact: Type.Union([
    Type.Object({ recordId: Bytes32, kind: Type.String(), channel: Type.String(), direction: Type.String(), occurredAt: Type.String() }),
    Type.Null(),
  ]),
  offer: Type.Union([
    Type.Object({
      offerId: Type.String(),
      status: Type.String({ description: "pending-approval | proposed | accepting | in-installments | defaulted | completed | expired" }),
      type: Type.String(),
    }),
    Type.Null(),
  ], { description: "the claim's latest settlement offer (not superseded), if any" }),
  recommended: Type.Union([Type.Object({ path: oneOf(PATHS), pathZh: Type.String(), presentValue: Money }), Type.Null()]),
});

const PackageTotals = Type.Object({
  count: Type.Integer(), outstanding: Money, collateralValue: Money, expectedRecovery: Money, indicativePrice: Money,
  timeBarred: Type.Integer({ description: "claims whose 诉讼时效 has ended (the debtor may refuse to pay, 民法典第192条)" }),
  limitationExpiring: Type.Integer({ description: "claims whose 诉讼时效 ends within 90 days" }),
});

const Arg: ReturnType<typeof Type.Unknown> = Type.Unknown();

const consoleRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(consolePages);
  const may = (what: keyof typeof CONSOLE_PERMISSIONS) => fastify.requireRole(...CONSOLE_PERMISSIONS[what]!);

  fastify.get(
    "/v1/portfolio",
    {
      preHandler: may("dashboard"),
      schema: {
        tags: ["console"],
        summary: "Portfolio summary: counts and outstanding by five-tier class, case state, region, product and holder; expected recovery; daily trend",
        description: "Scope: admin sees every claim, a bank those it originated or holds, an AMC those it holds. Figures from the last oracle report applied on chain (registration figures before the first report) and the scoring core.",
        querystring: Type.Object({ ...FilterProps, ...ReadQueryProps }, { additionalProperties: false }),
        response: { 200: PortfolioView, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { minBlock, minBlockHash, ...filters } = request.query;
      await fastify.reads.atLeast({ minBlock, minBlockHash });
      const caller = request.caller!;
      return fastify.reads.sendConsoleRead(reply, caller, `portfolio|${JSON.stringify(filters)}`, async () => ({ ...(await fastify.reads.portfolio.summary(caller, filters as PortfolioFilters)), filters }));
    },
  );

  fastify.get(
    "/v1/claims",
    {
      preHandler: may("claims"),
      schema: {
        tags: ["console"],
        summary: "The claims the caller may see, filtered, in contract-number order, a page at a time",
        description: "The operator's admin sees every claim; a bank those it originated or holds; an AMC those it holds; a collector those its AMC holds; a court those whose case is before it (a dispute); an oracle peer none (src/app/access.ts). debtorName only where personal data may be read.",
        querystring: Type.Object({
          ...FilterProps,
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "search: a contract number (合同号) or claim id, exact or a prefix (an id prefix from 0x and 4 hex digits), or the debtor's name, exact or a prefix — the name only on claims whose personal data the caller may read" })),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_-]{1,600}$", description: "nextCursor of the previous page" })),
          ...ReadQueryProps,
        }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            asOfBlock: AsOfBlock,
            total: Type.Integer(),
            regions: Type.Array(Type.Object({ region: Type.String(), count: Type.Integer() }), { description: "the regions of the caller's claims (before filters), for a region filter; \"-\" for none given" }),
            claims: Type.Array(Type.Object({ ...ClaimRow, expectedRecovery: Money, recommended: Type.Union([oneOf(PATHS), Type.Null()]) })),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { limit, cursor, minBlock, minBlockHash, q, ...filters } = request.query;
      await fastify.reads.atLeast({ minBlock, minBlockHash });
      const caller = request.caller!;
      return fastify.reads.sendConsoleRead(reply, caller, `claims|${JSON.stringify(filters)}|${limit}|${cursor}|${q ?? ""}`, () => fastify.reads.portfolio.list(caller, filters as PortfolioFilters, Number(limit ?? 50), cursor, q));
    },
  );

  fastify.get(
    "/v1/queue",
    {
      preHandler: may("queue"),
      schema: {
        tags: ["console"],
        summary: "Work queue: the open cases of the caller's holder by priority (expected loss × urgency), with reasons, next clause deadline, last contact and recommended disposal path",
        description: "An AMC and its collectors see the AMC's claims, a bank the claims it still holds, admin all. Closed cases and current performing loans are left out.",
        querystring: Type.Object({ ...FilterProps, limitation: LimitationFilter, limit: Type.Optional(Limit), cursor: Type.Optional(Type.String({ pattern: "^(0|[1-9][0-9]{0,8})$", description: "nextCursor of the previous page" })), ...ReadQueryProps }, { additionalProperties: false }),
        response: {
          200: Type.Object({ asOf: Type.String(), asOfBlock: AsOfBlock, total: Type.Integer(), items: Type.Array(QueueItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { limit, cursor, minBlock, minBlockHash, ...filters } = request.query;
      await fastify.reads.atLeast({ minBlock, minBlockHash });
      const caller = request.caller!;
      return fastify.reads.sendConsoleRead(reply, caller, `queue|${JSON.stringify(filters)}|${limit}|${cursor}`, () => fastify.reads.portfolio.queue(caller, filters as PortfolioFilters, Number(limit ?? 50), Number(cursor ?? 0)));
    },
  );

  fastify.post(
    "/v1/packages/preview",
    {
      preHandler: may("packages"),
      schema: {
        tags: ["console"],
        summary: "Preview a package: the claims of a filter (those the caller holds) or of a list, their outstanding, expected recovery and indicative price; assign with POST /v1/assignments",
        body: Type.Object(
          {
            filter: Type.Optional(Type.Object(FilterProps, { additionalProperties: false })),
            claimIds: Type.Optional(Type.Array(Bytes32, { minItems: 1, maxItems: 5000 })),
          },
          { additionalProperties: false, description: "exactly one of filter or claimIds" },
        ),
        querystring: Type.Object({ ...ReadQueryProps }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            asOfBlock: AsOfBlock,
            all: PackageTotals,
            assignable: PackageTotals,
            byClass: Type.Array(ClassRow),
            maxPerAssignment: Type.Integer(),
            knownHolders: Type.Array(Type.Object({ address: Address, name: Type.String() }), { description: "HOLDER accounts this deployment knows (configured AMC keys), other than the caller" }),
            listed: Type.Integer({ description: `claims listed: all of them, at most ${PREVIEW_LISTED} (twice maxPerAssignment); the totals count every claim chosen` }),
            claims: Type.Array(Type.Object({
              ...ClaimRow,
              expectedRecovery: Money,
              packagePrice: Money,
              recommended: Type.Union([oneOf(PATHS), Type.Null()]),
              assignable: Type.Boolean(),
              reason: Type.Optional(Type.Union([Type.Literal("not-holder"), Type.Literal("resale-restricted"), Type.Literal("claim-listed")], {
                description: "why it is not assignable: another holder's; a retail claim bought in a package; locked in an open or awarded market listing",
              })),
              listingId: Type.Optional(Type.String({ description: "the market listing a claim-listed claim is locked in" })),
            })),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      await fastify.reads.atLeast(request.query);
      return fastify.reads.portfolio.previewPackage(request.caller!, request.body as { filter?: PortfolioFilters; claimIds?: string[] });
    },
  );

  fastify.get(
    "/v1/tx/:txHash",
    {
      preHandler: may("tx"),
      schema: {
        tags: ["console"],
        summary: "A transaction of this deployment: block, time, status and its events decoded with the contracts' ABIs",
        params: Type.Object({ txHash: TxHash }),
        response: {
          200: Type.Object({
            txHash: TxHash,
            blockNumber: Type.Integer(),
            blockHash: Bytes32,
            timestamp: Type.String(),
            from: Address,
            to: Type.Union([Address, Type.Null()]),
            contract: Type.Union([Type.String(), Type.Null()]),
            status: Type.Union([Type.Literal("success"), Type.Literal("reverted")]),
            gasUsed: Type.String(),
            chainId: Type.String(),
            events: Type.Array(Type.Object({ contract: Type.String(), name: Type.Union([Type.String(), Type.Null()]), args: Type.Record(Type.String(), Arg) })),
            people: Type.Object({
              accounts: Type.Record(Type.String(), Type.String(), { description: "names of the configured accounts the events name, by lower-case address" }),
              claims: Type.Record(Type.String(), Type.String(), { description: "contract numbers of the claims the events name (as claim id or token id) that the caller may read" }),
              packages: Type.Record(Type.String(), Type.String(), { description: "names of the packages the events name (their on-chain refs) that this node's sellers sold" }),
            }, { description: "what the page needs to say the transaction in words" }),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const tx = await fastify.reads.portfolio.tx(request.params.txHash.toLowerCase());
      return { ...tx, people: await fastify.reads.portfolio.txPeople(request.caller!, tx.events) };
    },
  );

};

export default consoleRoutes;
