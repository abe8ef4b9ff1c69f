import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import type { Config } from "../../config/config.js";
import { openOrganisation } from "../../app/organisation.js";
import type { Store } from "../../store/db.js";
import type { Chain } from "../../chain/client.js";
import type { Clock } from "../../config/clock.js";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    store: Store;
    chain: Chain;
    /** This process's clock (the machine's; a test-only offset clock on a dev chain): src/config/clock.ts. */
    clock: Clock;
  }
}

/**
 * Config, store and chain, decorated once. The store is namespaced by the deployment the chain node
 * really runs (checked at start), so records of a forgotten local chain never mix with a new one.
 */
export default fp(
  async function contextPlugin(fastify: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    const { store, chain, clock } = await openOrganisation(config);
    fastify.decorate("config", config);
    fastify.decorate("store", store);
    fastify.decorate("chain", chain);
    fastify.decorate("clock", clock);
    fastify.addHook("onClose", async () => {
      chain.close();
      await store.close();
    });
  },
  { name: "context" },
);
