import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import type { Config } from "../../config/config.js";
import { openOrganisation } from "../../app/organisation.js";
import type { Store } from "../../store/db.js";
import type { Chain } from "../../chain/client.js";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    store: Store;
    chain: Chain;
  }
}

/**
 * Config, store and chain, decorated once. The store is namespaced by the deployment the chain node
 * really runs (checked at start), so records of a forgotten local chain never mix with a new one.
 */
export default fp(
  async function contextPlugin(fastify: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    const { store, chain } = await openOrganisation(config);
    fastify.decorate("config", config);
    fastify.decorate("store", store);
    fastify.decorate("chain", chain);
    fastify.addHook("onClose", async () => {
      chain.close();
      await store.close();
    });
  },
  { name: "context" },
);
