import { assertDevChain, type Config } from "../config/config.js";
import { openStore, type Store } from "../store/db.js";
import { loadVerifiedDeployment, openChain, type Chain } from "../chain/client.js";
import { deploymentKey } from "../chain/deployment.js";

/**
 * What every process of one organisation opens first (the API, `debtrail oracle`): the deployment checked
 * against the node that really runs (dev mode only on the dev chain), this deployment's store namespace,
 * and the chain client over both — so records of a forgotten local chain never mix with a new one.
 */
export async function openOrganisation(config: Config): Promise<{ store: Store; chain: Chain }> {
  const { provider, deployment } = await loadVerifiedDeployment(config.chainRpcUrl, config.deploymentFile);
  try {
    assertDevChain(config, deployment.chainId);
  } catch (e) {
    provider.destroy();
    throw e;
  }
  const store = await openStore(config.dataDir, deploymentKey(deployment));
  return { store, chain: openChain(provider, deployment, store, config.confirmations) };
}
