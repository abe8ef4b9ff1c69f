import Fastify from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import app, { serverOptions } from "./app.js";
import { loadConfig, type Config } from "../config/config.js";

/** Builds and starts the API; returns the instance so callers (npm start, tests) can close it. */
export async function startServer(config: Config = loadConfig()) {
  const fastify = Fastify(serverOptions(config)).withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(app, { config });
  await fastify.listen({ port: config.port, host: config.host });
  return fastify;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}
