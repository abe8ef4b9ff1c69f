import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";

/** OpenAPI document at /docs/json and its UI at /docs, generated from every route's TypeBox schemas. */
export default fp(
  async function docsPlugin(fastify: FastifyInstance) {
    await fastify.register(swagger, {
      openapi: {
        info: {
          title: "Debtrail API",
          description: "不良资产处置 · claims, assignments, evidence and verification. Money is a decimal string of minor units (fen).",
          version: "1",
        },
        components: {
          securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "Authorization: Bearer <api key>" } },
        },
        security: [{ apiKey: [] }],
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    await fastify.register(swaggerUi, { routePrefix: "/docs" });
  },
  { name: "docs" },
);
