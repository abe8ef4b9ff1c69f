import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { createClaimsService, type ClaimsService } from "../services/claims.js";
import { createJobsService, type JobsService } from "../services/jobs.js";
import { createAssignmentsService, type AssignmentsService } from "../services/assignments.js";
import { initHashing } from "../../core/merkle.js";
import { createEvidenceService, type EvidenceService } from "../services/evidence.js";
import { createAssessmentsService, type AssessmentsService } from "../services/assessments.js";
import { createOracle, type Oracle } from "../../oracle/oracle.js";
import { openOracleRepos } from "../../store/repos/oracle.js";
import { createCasesService, type CasesService } from "../services/cases.js";
import { createOffersService, type OffersService } from "../services/offers.js";
import { createReadModel, type ReadModel } from "./read-model.js";

declare module "fastify" {
  interface FastifyInstance {
    claims: ClaimsService;
    jobs: JobsService;
    assignments: AssignmentsService;
    evidence: EvidenceService;
    assessments: AssessmentsService;
    oracle: Oracle;
    cases: CasesService;
    offers: OffersService;
    /** Reads from the chain index (claims, cases, disputes, the console): src/api/plugins/read-model.ts. */
    reads: ReadModel;
  }
}

/** The domain services, created once and decorated; the job runner resumes unfinished jobs at start. */
export default fp(
  async function servicesPlugin(fastify: FastifyInstance) {
    const claims = createClaimsService(fastify);
    fastify.decorate("claims", claims);
    fastify.decorate("jobs", createJobsService(fastify, claims));
    const assignments = createAssignmentsService(fastify);
    fastify.decorate("assignments", assignments);
    const evidence = createEvidenceService(fastify);
    fastify.decorate("evidence", evidence);
    fastify.decorate("assessments", createAssessmentsService(fastify));
    // The oracle's use cases with their dependencies spelled out (src/oracle/types.ts OracleDeps): the
    // same ones `debtrail oracle` builds without Fastify (src/oracle/main.ts).
    fastify.decorate("oracle", createOracle({
      repos: openOracleRepos(fastify.store),
      chain: fastify.chain,
      clock: fastify.clock,
      log: fastify.log,
      metrics: fastify.metrics,
      signer: fastify.chain.wallet(fastify.config.servicePrivateKey),
      settings: { ...fastify.config.oracle, apiKeys: fastify.config.apiKeys, publicUrl: fastify.config.publicUrl },
      claims: { get: (claimId) => claims.claims.get(claimId) },
      feeds: { stateFor: (claimId, day) => fastify.feeds.stateFor(claimId, day) },
      evidence: { recordSystemMany: (reqs) => fastify.evidence.recordSystemMany(reqs) },
    }));
    fastify.decorate("cases", createCasesService(fastify));
    fastify.decorate("offers", createOffersService(fastify));
    const surveys = (await import("../services/surveys.js")).createSurveysService(fastify);
    fastify.decorate("surveys", surveys);
    const feeds = (await import("../services/feeds.js")).createFeedsService(fastify);
    fastify.decorate("feeds", feeds);
    const reads = await createReadModel({
      config: fastify.config, store: fastify.store, chain: fastify.chain, log: fastify.log, registry: fastify.metrics.registry, clock: fastify.clock,
      noticeOf: assignments.noticeOf,
      noticeRecordOf: (c) => evidence.recordOfCommitment(c),
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
      await reads.stop(); // last: writes of the services above wait for their block in the index
    });
  },
  { name: "services", dependencies: ["context", "metrics"] },
);
