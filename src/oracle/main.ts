import { Counter, Registry } from "prom-client";
import type { Config } from "../config/config.js";
import { openOrganisation } from "../app/organisation.js";
import { initHashing } from "../core/merkle.js";
import { openRepos } from "../store/repos/index.js";
import { createEvidence } from "../app/evidence/index.js";
import { createLimitationOf } from "../app/limitation/of-claim.js";
import { createClaimAccess } from "../app/claims/parties.js";
import { createFeedStates } from "../app/feeds/states.js";
import { createOracle, type Oracle } from "./oracle.js";
import type { CycleSummary, OracleLog } from "./types.js";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/** JSON lines on stderr at `level` and above ("silent": none), in pino's shape, for the daemon without Fastify. */
export function stderrLog(level: string): OracleLog {
  const min = level === "silent" ? Infinity : Math.max(0, LEVELS.indexOf(level as (typeof LEVELS)[number]));
  const at = (name: (typeof LEVELS)[number]) => (obj: object, msg?: string) => {
    if (LEVELS.indexOf(name) < min) return;
    const fields = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v]));
    process.stderr.write(`${JSON.stringify({ level: name, time: Date.now(), name: "debtrail-oracle", ...fields, ...(msg ? { msg } : {}) })}\n`);
  };
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

export interface OracleProcess {
  oracle: Oracle;
  /** "host" when this process opened LevelDB, "guest" when the API (or another) hosts it. */
  storeRole(): "host" | "guest";
  /**
   * Runs cycles on the timer.
   * @param onCycle called with each cycle's summary
   */
  start(onCycle?: (summary: CycleSummary) => void): void;
  /** Stops the timer, waits for the cycle running, releases the chain and the store. */
  close(): Promise<void>;
}

/**
 * The oracle as its own process (`debtrail oracle`): builds its Deps from the configuration — the chain
 * (deployment verified against the node), the store of DATA_DIR shared with the API if one runs
 * (src/store/shared.ts), the evidence writer for its notices, the feeds' outside data — and runs cycles on
 * its timer (once started). No Fastify, no HTTP: the API's routes (statuses in, co-signing for peers) write and read the
 * same store, and a cycle lock keeps one cycle at a time across both processes.
 */
export async function startOracleProcess(config: Config, log: OracleLog = stderrLog(config.logLevel)): Promise<OracleProcess> {
  await initHashing();
  const { store, chain, clock } = await openOrganisation(config);
  const registry = new Registry();
  const metrics = {
    registry,
    chainTransactions: new Counter({ name: "debtrail_chain_transactions_total", help: "Transactions sent by kind and outcome", labelNames: ["kind", "outcome"] as const, registers: [registry] }),
  };
  const repos = openRepos(store);
  // The evidence writer (under the store's writer lock, shared with the API); its anchoring stays with the API.
  const evidence = createEvidence({ repos, chain, clock, log, metrics, settings: config, access: createClaimAccess({ chain, repos }) });
  const oracle = createOracle({
    repos: repos.oracle,
    chain,
    clock,
    log,
    metrics,
    signer: chain.wallet(config.servicePrivateKey),
    settings: { ...config.oracle, apiKeys: config.apiKeys, publicUrl: config.publicUrl },
    claims: repos.claims,
    feeds: createFeedStates(repos.feeds),
    evidence,
    limitationOf: createLimitationOf(repos),
  });
  // Transactions it sent before a crash are re-broadcast (same bytes: never repeated); the cycle settles them.
  await chain.outbox.recover();
  return {
    oracle,
    storeRole: () => store.role,
    start: (onCycle) => oracle.start(onCycle),
    async close() {
      await oracle.stop();
      chain.close();
      await store.close();
    },
  };
}
