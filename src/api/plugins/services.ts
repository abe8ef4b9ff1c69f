import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { createJobs, type Jobs } from "../../app/jobs/jobs.js";
import { createWorkerPool } from "../../app/workers/pool.js";
import { openChainIndex } from "../../store/repos/chain-index.js";
import { initHashing } from "../../core/merkle.js";
import type { AppDeps } from "../../app/deps.js";
import { createAssessments, type Assessments } from "../../app/assessments/index.js";
import { createPackageSales, type PackageSales } from "../../app/packages/sales.js";
import { packageRefOf } from "../../core/packages.js";
import { createAssignments, type Assignments } from "../../app/assignments/assign.js";
import { createRulings, type Rulings } from "../../app/cases/rule.js";
import { createNoticeDelivery, type NoticeDelivery } from "../../app/cases/notice-delivery.js";
import { createClaimAccess, type ClaimAccess } from "../../app/claims/parties.js";
import { createClaims, type Claims } from "../../app/claims/register.js";
import { createLegalStatus, type LegalStatus } from "../../app/claims/legal-status.js";
import { createEvidence, type Evidence } from "../../app/evidence/index.js";
import { createFeeds, type Feeds } from "../../app/feeds/feeds.js";
import { createClaimLimitation, type ClaimLimitation } from "../../app/limitation/claim-limitation.js";
import { createLimitationOf } from "../../app/limitation/of-claim.js";
import { createOffers, type Offers } from "../../app/offers/index.js";
import { createSurveys, type Surveys } from "../../app/surveys/surveys.js";
import { createOracle, type Oracle } from "../../oracle/oracle.js";
import { openRepos, type Repos } from "../../store/repos/index.js";
import { createMarket, type Market } from "../../app/market/index.js";
import { relistClaims } from "../../app/market/relist-sources.js";
import { callersFromConfig } from "./auth.js";
import { createReadModel, type ReadModel } from "./read-model.js";
import { buildHandover } from "./handover.js";
import { buildMarketRoom } from "./market-room.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The store's tables (src/store/repos/), opened once. */
    repos: Repos;
    /** A claim's parties as the chain says now, for access decisions of writes (src/app/claims/parties.ts). */
    access: ClaimAccess;
    claims: Claims;
    /** The debtor's bankruptcy or objection, recorded by the holder (src/app/claims/legal-status.ts). */
    legalStatus: LegalStatus;
    jobs: Jobs;
    assignments: Assignments;
    /** Package sales by name and ref (GET /v1/packages, the read model's history). */
    packages: PackageSales;
    evidence: Evidence;
    assessments: Assessments;
    surveys: Surveys;
    feeds: Feeds;
    offers: Offers;
    rulings: Rulings;
    /** A case notice's proven delivery put on chain by the holder (src/app/cases/notice-delivery.ts). */
    noticeDelivery: NoticeDelivery;
    limitation: ClaimLimitation;
    oracle: Oracle;
    /** Reads from the chain index (claims, cases, disputes, the console): src/api/plugins/read-model.ts. */
    reads: ReadModel;
    /** The claim market: listings, sealed bids, awards (src/app/market, issue 19). */
    market: Market;
  }
}

/**
 * The application, built once: the Deps every use case of src/app/ takes ({repos, chain, clock, log, metrics},
 * src/app/deps.ts), then each feature with its own settings and the narrow interfaces of the features it
 * calls — in the order they need each other, so the wiring is this file's import graph. Each feature is
 * decorated for its routes (src/api/routes/<feature>.ts: a schema and one call). `debtrail oracle`
 * (src/oracle/main.ts) builds the same Deps without Fastify.
 */
export default fp(
  async function servicesPlugin(fastify: FastifyInstance) {
    const { config } = fastify;
    // The process's clock: the machine's, or the test-only offset clock on a dev chain (src/config/clock.ts).
    const deps: AppDeps = { repos: openRepos(fastify.store), chain: fastify.chain, clock: fastify.clock, log: fastify.log, metrics: fastify.metrics };
    const access = createClaimAccess(deps);
    const claims = createClaims({ ...deps, settings: config });
    const evidence = createEvidence({ ...deps, settings: config, access });
    const surveys = createSurveys({ ...deps, access, evidence });
    const feeds = createFeeds({ ...deps, access, evidence });
    const assessments = createAssessments({
      ...deps, access,
      outside: { latestSurvey: surveys.latest, feedState: feeds.stateFor },
    });
    const oracle = createOracle({
      ...deps,
      repos: deps.repos.oracle,
      signer: fastify.chain.wallet(config.servicePrivateKey),
      settings: { ...config.oracle, apiKeys: config.apiKeys, publicUrl: config.publicUrl },
      claims: deps.repos.claims,
      feeds,
      evidence,
      limitationOf: createLimitationOf(deps.repos),
    });
    const reads = await createReadModel({
      config, store: fastify.store, repos: deps.repos, chain: fastify.chain, log: fastify.log, registry: fastify.metrics.registry, clock: deps.clock,
      offChainTimeline: async (id) => [...(await feeds.timeline(id)), ...(await surveys.timeline(id))],
    });
    // A claim's new evidence (a delivery proof) changes its limitation period in the console at once.
    evidence.onRecorded((ids) => reads.portfolio.limitations.touch(ids));
    // Batch imports (src/app/jobs): rows prepared in a worker thread, registered in bounded chunks through the outbox.
    const intake = createWorkerPool(new URL("../../app/jobs/intake.ts", import.meta.url));
    const jobs = createJobs({
      ...deps,
      repos: { ...deps.repos.jobs, claims: deps.repos.claims, chainClaims: openChainIndex(fastify.store).tables.claims },
      settings: {
        loanRefSecret: config.loanRefSecret,
        piiSecret: config.piiSecret,
        imports: config.imports,
        owners: new Map(callersFromConfig(config.apiKeys).map(({ caller }) => [caller.keyId, caller])),
        rules: () => claims.claimRules(),
      },
      workers: intake,
    });

    fastify.decorate("repos", deps.repos);
    fastify.decorate("access", access);
    fastify.decorate("claims", claims);
    fastify.decorate("legalStatus", createLegalStatus({ ...deps, access }));
    fastify.decorate("jobs", jobs);
    // Package sales: names once per seller, salted refs, price shares by outstanding at the cut-off (the read model's).
    const packages = createPackageSales({
      repos: deps.repos, secret: config.loanRefSecret, clock: deps.clock,
      outstandingOf: async (ids) => {
        const view = await reads.portfolio.model.sync();
        const rows = ids.map((id) => view.rows.get(id.toLowerCase()));
        return { outstanding: rows.map((r) => r?.outstanding ?? 0n), contractNos: rows.map((r) => r?.contractNo ?? null), block: view.asOfBlock };
      },
    });
    fastify.decorate("packages", packages);
    // Loan-file handover to buyers' nodes (src/app/handover): a sale commits to the files it hands over.
    const handover = await buildHandover({ config, repos: deps.repos, chain: fastify.chain, evidence, reads, log: fastify.log, clock: deps.clock });
    fastify.decorate("handover", handover);
    const known = callersFromConfig(config.apiKeys).map((c) => c.caller);
    const assignments = createAssignments({
      ...deps, packages, handover: handover.seller, evidence,
      roleOf: (address) => known.find((c) => c.address?.toLowerCase() === address.toLowerCase())?.role,
    });
    fastify.decorate("assignments", assignments);
    // The market: a listing's award is executed as a package sale (the handover follows); this node's buyer keys
    // reveal their sealed bids by themselves once the commit phase ends.
    // Packages' de-identified data rooms (src/app/market-room): the handover's signed requests between nodes; a
    // listing over a room commits to its tape.
    const marketRoom = buildMarketRoom({ config, repos: deps.repos, chain: fastify.chain, reads, assessments, clock: deps.clock });
    const market = createMarket({
      ...deps, index: openChainIndex(fastify.store), assignments, rooms: marketRoom.rooms,
      // A listing's label is the package id its award is sold under: checked against the chain's sales too.
      packageRef: (seller, label) => packageRefOf(config.loanRefSecret, seller, label).ref,
      // The relist advice reads a package's claims as its data room's tape does (the same sources).
      assessForRelist: (caller, ids, today) => relistClaims({
        records: deps.repos.claims, model: reads.portfolio.model, limitations: reads.portfolio.limitations,
        assess: (c, claimId, q) => assessments.assessClaim(c, claimId, q) as never,
      }, caller, ids, today),
    }, {
      bidders: () => known.filter((c) => c.role === "amc"),
    });
    fastify.decorate("market", market);
    // Packages' de-identified data rooms (src/app/market-room): the handover's signed requests between nodes.
    fastify.decorate("marketRoom", marketRoom);
    fastify.decorate("evidence", evidence);
    fastify.decorate("assessments", assessments);
    fastify.decorate("surveys", surveys);
    fastify.decorate("feeds", feeds);
    fastify.decorate("offers", createOffers({ ...deps, settings: { apiKeys: config.apiKeys }, access, evidence }));
    fastify.decorate("rulings", createRulings(deps));
    fastify.decorate("noticeDelivery", createNoticeDelivery({ ...deps, access }));
    fastify.decorate("limitation", createClaimLimitation({ ...deps, access, evidence, accounts: callersFromConfig(config.apiKeys).map((c) => c.caller) }));
    fastify.decorate("oracle", oracle);
    fastify.decorate("reads", reads);

    fastify.addHook("onReady", async () => {
      await initHashing();
      reads.start();
      await fastify.chain.outbox.recover();
      await jobs.start();
      await evidence.start();
      oracle.start();
      handover.start();
      market.start();
    });
    fastify.addHook("preClose", async () => {
      market.stop();
      await handover.stop();
      await oracle.stop();
      await jobs.stop();
      await intake.close();
      await evidence.stop();
      await assessments.close();
      await reads.stop(); // last: writes of the services above wait for their block in the index
    });
  },
  { name: "services", dependencies: ["context", "metrics"] },
);
