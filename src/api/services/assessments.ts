import type { FastifyInstance } from "fastify";

/** Placeholder while the assessments service is being written. */
export function createAssessmentsService(fastify: FastifyInstance) {
  void fastify;
  return {};
}

export type AssessmentsService = ReturnType<typeof createAssessmentsService>;
