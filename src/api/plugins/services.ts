import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { createClaimsService, type ClaimsService } from "../services/claims.js";
import { createJobsService, type JobsService } from "../services/jobs.js";
import { createAssignmentsService, type AssignmentsService } from "../services/assignments.js";

declare module "fastify" {
  interface FastifyInstance {
    claims: ClaimsService;
    jobs: JobsService;
    assignments: AssignmentsService;
  }
}

/** The domain services, created once and decorated; the job runner resumes unfinished jobs at start. */
export default fp(
  async function servicesPlugin(fastify: FastifyInstance) {
    const claims = createClaimsService(fastify);
    fastify.decorate("claims", claims);
    fastify.decorate("jobs", createJobsService(fastify, claims));
    fastify.decorate("assignments", createAssignmentsService(fastify));
    fastify.addHook("onReady", async () => {
      await fastify.chain.outbox.recover();
      fastify.jobs.kick();
    });
    fastify.addHook("preClose", async () => {
      await fastify.jobs.stop();
    });
  },
  { name: "services", dependencies: ["context", "metrics"] },
);
