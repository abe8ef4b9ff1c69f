import { resolve } from "node:path";
import { ValidationError } from "../core/errors.js";

/**
 * What a chain node says it is (`web3_clientVersion`) decides whether it is a local dev node: Hardhat's
 * EDR (`HardhatNetwork/…`) and anvil (`anvil/v…`) unlock public dev accounts and let anyone move their clock.
 * The chain id says nothing about that — a dev node runs any chain id, and a production network may run 31337.
 */
const DEV_NODE_CLIENTS = [/^HardhatNetwork\//i, /^anvil\//i];

/** True when the node's client version names a local dev node (Hardhat's or anvil). */
export function isDevNode(clientVersion: string): boolean {
  return DEV_NODE_CLIENTS.some((re) => re.test(clientVersion));
}

/** What a process learns of its node on connecting. */
export interface NodeIdentity {
  chainId: string;
  clientVersion: string;
}

/**
 * Dev mode (public dev keys, the dev PII secret) runs on a local dev node only (loopback is checked with the
 * configuration): the node must say it is Hardhat's or anvil, whatever its chain id.
 *
 * @throws ValidationError naming DEBTRAIL_DEV_CHAIN otherwise
 */
export function assertDevChain(config: { devMode: boolean }, node: NodeIdentity): void {
  if (config.devMode && !isDevNode(node.clientVersion)) {
    throw new ValidationError(
      "DEBTRAIL_DEV_CHAIN",
      `dev mode runs only on a local dev node (Hardhat or anvil); the node at CHAIN_RPC_URL is ${JSON.stringify(node.clientVersion)} (chain ${node.chainId})`,
    );
  }
}

/**
 * TEST-ONLY clock offset (src/config/clock.ts): `DEBTRAIL_TEST_CLOCK_FILE` names the offset file, and is
 * refused unless `DEBTRAIL_TEST_MODE=1` and the chain node is on loopback. On connecting the node must also
 * be a dev node ({@link assertTestClockAllowed}): a production node's block time cannot be moved, and a
 * daemon's clock must never run ahead of it there.
 *
 * @throws ValidationError naming DEBTRAIL_TEST_CLOCK_FILE
 */
export function testClockFileFrom(env: NodeJS.ProcessEnv, chainIsLoopback: boolean): string | null {
  const file = env.DEBTRAIL_TEST_CLOCK_FILE;
  if (file === undefined || file === "") return null;
  if (env.DEBTRAIL_TEST_MODE !== "1") {
    throw new ValidationError("DEBTRAIL_TEST_CLOCK_FILE", "is test-only: it needs DEBTRAIL_TEST_MODE=1 and a local dev chain; unset it in production");
  }
  if (!chainIsLoopback) {
    throw new ValidationError("DEBTRAIL_TEST_CLOCK_FILE", "is test-only: the chain node (CHAIN_RPC_URL) must be a loopback dev node");
  }
  return resolve(file);
}

/** @throws ValidationError naming DEBTRAIL_TEST_CLOCK_FILE when a test clock is configured and the node is not a dev node */
export function assertTestClockAllowed(config: { testClockFile: string | null }, node: NodeIdentity): void {
  if (config.testClockFile && !isDevNode(node.clientVersion)) {
    throw new ValidationError(
      "DEBTRAIL_TEST_CLOCK_FILE",
      `is test-only: the node at CHAIN_RPC_URL is ${JSON.stringify(node.clientVersion)}, not a local dev node (Hardhat or anvil)`,
    );
  }
}
