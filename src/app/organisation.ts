import type { Config } from "../config/config.js";
import { assertDevChain, assertTestClockAllowed } from "../config/dev-chain.js";
import { clockOf, type Clock } from "../config/clock.js";
import { openStore, type Store } from "../store/db.js";
import { loadVerifiedDeployment, openChain, type Chain } from "../chain/client.js";
import { deploymentKey } from "../chain/deployment.js";

/**
 * What every process of one organisation opens first (the API, `debtrail oracle`): the deployment checked
 * against the node that really runs (dev mode and the test-only clock only on a local dev node), this
 * deployment's store namespace, the chain client over both — so records of a forgotten local chain never
 * mix with a new one — and the process's clock.
 */
export async function openOrganisation(config: Config): Promise<{ store: Store; chain: Chain; clock: Clock }> {
  const { provider, deployment } = await loadVerifiedDeployment(config.chainRpcUrl, config.deploymentFile);
  try {
    const clientVersion = String(await provider.send("web3_clientVersion", []).catch(() => "unknown"));
    const node = { chainId: deployment.chainId, clientVersion };
    assertDevChain(config, node);
    assertTestClockAllowed(config, node);
  } catch (e) {
    provider.destroy();
    throw e;
  }
  const store = await openStore(config.dataDir, deploymentKey(deployment));
  return { store, chain: openChain(provider, deployment, store, config.confirmations), clock: clockOf(config) };
}
