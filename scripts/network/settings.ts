/**
 * The variables of `npm run network` (README "A network of organisations"): where it lives, its ports, the
 * chain's id and block time. Checked once at start; a bad value stops it naming the variable and the rule.
 */
import { resolve } from "node:path";

export interface NetworkSettings {
  /** Everything of the network: the chain's state, each organisation's dir, deployment.json, network.json (NETWORK_DIR). */
  dir: string;
  /** The chain's JSON-RPC port on 127.0.0.1 (CHAIN_PORT). */
  chainPort: number;
  /** The chain id (NETWORK_CHAIN_ID); never 31337, so nothing can lean on Hardhat's default. */
  chainId: number;
  /** Seconds between blocks (NETWORK_BLOCK_TIME, interval mining; there is no automine). */
  blockTime: number;
  /** The first organisation's API port; the others follow in the order bank, amcA, amcB, court (NETWORK_BASE_PORT). */
  basePort: number;
  /** Oracle cycle interval of every organisation (NETWORK_ORACLE_INTERVAL_MS). */
  oracleIntervalMs: number;
  /** Evidence batches close after this long (NETWORK_EVIDENCE_BATCH_AGE_MS). */
  evidenceBatchAgeMs: number;
  /** A killed organisation process is started again after this long, unless its dir holds a `down` file (NETWORK_RESTART_DELAY_MS). */
  restartDelayMs: number;
  /** TEST-ONLY: the organisations read a clock offset from DIR/test-clock.json (NETWORK_TEST_CLOCK=1; a dev chain only). */
  testClock: boolean;
  /** Log level of the organisations' processes (NETWORK_LOG_LEVEL). */
  logLevel: string;
}

export class SettingsError extends Error {
  constructor(readonly variable: string, rule: string) {
    super(`${variable}: ${rule}`);
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new SettingsError(name, `must be an integer between ${min} and ${max}`);
  return Number(raw);
}

export function networkSettings(env: NodeJS.ProcessEnv = process.env): NetworkSettings {
  const chainId = int(env, "NETWORK_CHAIN_ID", 9413, 1, 2 ** 31 - 1);
  if (chainId === 31337) throw new SettingsError("NETWORK_CHAIN_ID", "must not be 31337 (Hardhat's and anvil's default): the network proves nothing leans on it");
  const basePort = int(env, "NETWORK_BASE_PORT", 8081, 1, 65_531);
  const chainPort = int(env, "CHAIN_PORT", 8545, 1, 65_535);
  if (chainPort >= basePort && chainPort < basePort + 4) throw new SettingsError("CHAIN_PORT", `must not be one of the organisations' ports ${basePort}–${basePort + 3}`);
  const testClock = env.NETWORK_TEST_CLOCK ?? "0";
  if (testClock !== "0" && testClock !== "1") throw new SettingsError("NETWORK_TEST_CLOCK", "must be 0 or 1");
  return {
    dir: resolve(env.NETWORK_DIR ?? "data/network"),
    chainPort,
    chainId,
    blockTime: int(env, "NETWORK_BLOCK_TIME", 2, 1, 60),
    basePort,
    oracleIntervalMs: int(env, "NETWORK_ORACLE_INTERVAL_MS", 2000, 100, 600_000),
    evidenceBatchAgeMs: int(env, "NETWORK_EVIDENCE_BATCH_AGE_MS", 5000, 100, 86_400_000),
    restartDelayMs: int(env, "NETWORK_RESTART_DELAY_MS", 1000, 0, 600_000),
    testClock: testClock === "1",
    logLevel: env.NETWORK_LOG_LEVEL ?? "warn",
  };
}
