import { expect } from "vitest";
import type { JsonRpcProvider } from "ethers";
import { call, type TestStack } from "./stack.js";
import { loadConfig, type Config } from "../../src/config/config.js";
import { devWallet, DEV_EXTRA_ORACLE_ACCOUNTS } from "../../src/config/dev-accounts.js";

const DAY = 86_400;

/** The latest block's time (unix seconds). */
export async function chainNow(provider: JsonRpcProvider): Promise<number> {
  return (await provider.getBlock("latest"))!.timestamp;
}

/** The latest block's time as an ISO 8601 string (an `asOf` the chain agrees with). */
export async function chainIso(provider: JsonRpcProvider): Promise<string> {
  return new Date((await chainNow(provider)) * 1000).toISOString();
}

/** The API keys a peer daemon holds: the leader's `oracle` key (to ask for signatures) and its own organisation's `feed` key. */
export interface PeerKeys {
  oracle: { key: string; name: string };
  feed: { key: string; name: string };
}

/**
 * A co-signing peer daemon `i` next to `stack`: its own key (extra dev oracle account `i`), its own
 * LevelDB in `dataDir`, the same chain and deployment; the oracle loop off (the leader runs cycles).
 */
export function peerOracleConfig(stack: TestStack, i: number, dataDir: string, keys: PeerKeys, piiSecret: string): Config {
  const privateKey = devWallet(DEV_EXTRA_ORACLE_ACCOUNTS[i]).privateKey;
  return loadConfig({
    CHAIN_RPC_URL: stack.chainUrl,
    DATA_DIR: dataDir,
    DEPLOYMENT_FILE: stack.config.deploymentFile,
    SERVICE_PRIVATE_KEY: privateKey,
    PII_SECRET: piiSecret,
    DEBTRAIL_API_KEYS: JSON.stringify([
      { key: keys.oracle.key, role: "oracle", name: keys.oracle.name, privateKey },
      { key: keys.feed.key, role: "feed", name: keys.feed.name },
    ]),
    ORACLE_ENABLED: "0",
    LOG_LEVEL: "silent",
  });
}

/** Moves the chain clock on by `days` and mines a block. */
export async function advanceDays(provider: JsonRpcProvider, days: number): Promise<void> {
  await provider.send("evm_increaseTime", [Math.round(days * DAY)]);
  await provider.send("evm_mine", []);
}

/** One oracle cycle through POST /v1/oracle/run; no report may fail. */
export async function runCycle(stack: TestStack) {
  const r = await call(stack, "POST", "/v1/oracle/run", "dev-admin");
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.failed).toBe(0);
  return r.body;
}

/** GET /v1/cases/:claimId as the court sees it. */
export async function caseView(stack: TestStack, claimId: string, key = "dev-bank") {
  // The originating bank may read its claims' off-chain items (notice records) also after a sale.
  const r = await call(stack, "GET", `/v1/cases/${claimId}`, key);
  expect(r.status).toBe(200);
  return r.body;
}
