import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { assertDevChain, type Config } from "../../config/config.js";
import { openStore, type Store } from "../../store/db.js";
import { loadVerifiedDeployment, openChain, type Chain } from "../../chain/client.js";
import { deploymentKey } from "../../chain/deployment.js";

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
    const { provider, deployment } = await loadVerifiedDeployment(config.chainRpcUrl, config.deploymentFile);
    try {
      assertDevChain(config, deployment.chainId);
    } catch (e) {
      provider.destroy();
      throw e;
    }
    const store = await openStore(config.dataDir, deploymentKey(deployment));
    const chain = openChain(provider, deployment, store, config.confirmations);
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
