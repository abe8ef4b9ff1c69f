import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

/** Placeholder while the assessments routes are being written. */
const assessmentsRoutes: FastifyPluginAsyncTypebox = async () => {};

export default assessmentsRoutes;
