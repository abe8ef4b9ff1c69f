import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { createJobsService, type JobsService } from "../services/jobs.js";
import { createAssignments, type Assignments } from "../../app/assignments/assign.js";
import { initHashing } from "../../core/merkle.js";
import { createEvidence, type Evidence } from "../../app/evidence/index.js";
import { createAssessments, type Assessments } from "../../app/assessments/index.js";
import { createOracle, type Oracle } from "../../oracle/oracle.js";
import { openOracleRepos } from "../../store/repos/oracle.js";
import { createRulings, type Rulings } from "../../app/cases/rule.js";
import { createReadModel, type ReadModel } from "./read-model.js";
import { systemClock, type AppDeps } from "../../app/deps.js";
import { createClaimAccess, type ClaimAccess } from "../../app/claims/parties.js";
import { createClaims, type Claims } from "../../app/claims/register.js";
import { createOffers, type Offers } from "../../app/offers/index.js";
import { openRepos, type Repos } from "../../store/repos/index.js";
import { createClaimLimitation, type ClaimLimitation } from "../../app/limitation/claim-limitation.js";
import { callersFromConfig } from "./auth.js";

declare module "fastify" {
  interface FastifyInstance {
    claims: Claims;
    /** A claim's parties as the chain says now, for access decisions of writes (src/app/claims/parties.ts). */
    access: ClaimAccess;
    jobs: JobsService;
    assignments: Assignments;
    evidence: Evidence;
    assessments: Assessments;
    oracle: Oracle;
    rulings: Rulings;
    offers: Offers;
    /** The store's tables (src/store/repos/), opened once. */
    repos: Repos;
    limitation: ClaimLimitation;
    /** Reads from the chain index (claims, cases, disputes, the console): src/api/plugins/read-model.ts. */
    reads: ReadModel;
  }
}

/** The domain services, created once and decorated; the job runner resumes unfinished jobs at start. */
export default fp(
  async function servicesPlugin(fastify: FastifyInstance) {
    const { config } = fastify;
    // The Deps every use case of src/app/ is built from: once, here (src/oracle/main.ts builds its own).
    const deps: AppDeps = { repos: openRepos(fastify.store), chain: fastify.chain, clock: systemClock, log: fastify.log, metrics: fastify.metrics };
    fastify.decorate("repos", deps.repos);
    const access = createClaimAccess(deps);
    fastify.decorate("access", access);
    const claims = createClaims({ ...deps, settings: config });
    fastify.decorate("claims", claims);
    fastify.decorate("jobs", createJobsService(fastify, claims));
    fastify.decorate("assignments", createAssignments(deps));
    const evidence = createEvidence({ ...deps, settings: config, access });
    fastify.decorate("evidence", evidence);
    const assessments = createAssessments({
      ...deps, access,
      outside: { latestSurvey: (id, day) => fastify.surveys.latest(id, day), feedState: (id, day) => fastify.feeds.stateFor(id, day) },
    });
    fastify.decorate("assessments", assessments);
    // The oracle's use cases with their dependencies spelled out (src/oracle/types.ts OracleDeps): the
    // same ones `debtrail oracle` builds without Fastify (src/oracle/main.ts).
    fastify.decorate("oracle", createOracle({
      repos: openOracleRepos(fastify.store),
      chain: fastify.chain,
      clock: { now: () => Date.now() },
      log: fastify.log,
      metrics: fastify.metrics,
      signer: fastify.chain.wallet(fastify.config.servicePrivateKey),
      settings: { ...fastify.config.oracle, apiKeys: fastify.config.apiKeys },
      claims: deps.repos.claims,
      feeds: { stateFor: (claimId, day) => fastify.feeds.stateFor(claimId, day) },
      evidence: { recordSystemMany: (reqs) => fastify.evidence.recordSystemMany(reqs) },
    }));
    fastify.decorate("rulings", createRulings(deps));
    fastify.decorate("limitation", createClaimLimitation({ ...deps, access, accounts: callersFromConfig(config.apiKeys).map((c) => c.caller) }));
    fastify.decorate("offers", createOffers({ ...deps, settings: { apiKeys: config.apiKeys }, access, evidence }));
    const surveys = (await import("../services/surveys.js")).createSurveysService(fastify);
    fastify.decorate("surveys", surveys);
    const feeds = (await import("../services/feeds.js")).createFeedsService(fastify);
    fastify.decorate("feeds", feeds);
    const reads = await createReadModel({
      config: fastify.config, store: fastify.store, repos: deps.repos, chain: fastify.chain, log: fastify.log, registry: fastify.metrics.registry,
      offChainTimeline: async (id) => [...(await feeds.timeline(id)), ...(await surveys.timeline(id))],
    });
    fastify.decorate("reads", reads);
    fastify.addHook("onReady", async () => {
      await initHashing();
      reads.start();
      await fastify.chain.outbox.recover();
      fastify.jobs.kick();
      await fastify.evidence.start();
      fastify.oracle.start();
    });
    fastify.addHook("preClose", async () => {
      await fastify.oracle.stop();
      await fastify.jobs.stop();
      await fastify.evidence.stop();
      await assessments.close();
      await reads.stop(); // last: writes of the services above wait for their block in the index
    });
  },
  { name: "services", dependencies: ["context", "metrics"] },
);
