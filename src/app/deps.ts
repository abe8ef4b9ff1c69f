import type { Counter, Gauge, Registry } from "prom-client";
import type { Chain } from "../chain/client.js";
import type { Repos } from "../store/repos/index.js";

/**
 * What every use case of src/app/<feature>/ may be given, passed in explicitly — never the Fastify
 * instance, never a look-up of a sibling feature. The API's services plugin (src/api/plugins/services.ts)
 * builds one set at start; `debtrail oracle` (src/oracle/main.ts) builds its own from the configuration.
 * A feature's Deps add what only it needs: its part of the configuration (`settings`) and the narrow
 * interfaces of the features it calls (e.g. `evidence: { recordSystem }`).
 */
export interface AppDeps {
  /** The store's tables, each opened in one file of src/store/repos/. */
  repos: Repos;
  chain: Chain;
  clock: Clock;
  log: Log;
  metrics: AppMetrics;
}

/** Milliseconds since the epoch: the one clock of a use case (the core takes time as an argument); its home is src/config/clock.ts. */
export { systemClock, type Clock } from "../config/clock.js";
import type { Clock } from "../config/clock.js";

/** A log with pino's call shape (Fastify's logger, or src/oracle/main.ts's own). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The process's Prometheus registry and the counters several features move. */
export interface AppMetrics {
  registry: Registry;
  /** Transactions sent, by kind (register, assign, anchor, …) and outcome (mined, failed). */
  chainTransactions: Counter<"kind" | "outcome">;
  /** Import jobs (claims, comparables) not finished. */
  jobsQueued: Gauge;
}

/**
 * "Now" for a rule that compares with chain time: the later of the clock and the latest block's time (a
 * dev chain may run ahead of the wall clock), in ms.
 */
export async function serviceNow(deps: { chain: Pick<Chain, "provider">; clock: Clock }): Promise<number> {
  return Math.max(deps.clock.now(), ((await deps.chain.provider.getBlock("latest"))?.timestamp ?? 0) * 1000);
}

/** ISO time of the deps' clock. */
export const isoNow = (deps: { clock: Clock }): string => new Date(deps.clock.now()).toISOString();

