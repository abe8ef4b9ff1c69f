import { ValidationError } from "../core/errors.js";

/**
 * Readers of single configuration variables, each checked with the variable and the rule named on failure;
 * src/config/config.ts assembles the configuration from them.
 */

export function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ValidationError(name, `must be an integer between ${min} and ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ValidationError(name, `must be an integer between ${min} and ${max}`);
  return value;
}

/** The oracle daemon: cycles that turn loan statuses into signed reports on CollectionClauses. */
export interface OracleConfig {
  /** Run cycles on a timer (ORACLE_ENABLED, default on); off, cycles run only through POST /v1/oracle/run. */
  enabled: boolean;
  /** Time between cycles (ORACLE_INTERVAL_MS). */
  intervalMs: number;
  /** Most reports per submitReports transaction (ORACLE_BATCH_SIZE). */
  batchSize: number;
  /** k, for deployment (ORACLE_QUORUM); the running daemon reads it from the contract. */
  quorum: number;
  /** Report staleness bound against block time (MAX_REPORT_AGE_SECONDS), for deployment. */
  maxReportAgeSeconds: number;
  /** Deployment-wide minimum notice period in days (MIN_NOTICE_DAYS), for deployment; the API reads the deployed one. */
  minNoticeDays: number;
  /** Other organisations' oracle addresses to grant ORACLE at deployment (ORACLE_ADDRESSES, comma-separated). */
  extraOracleAddresses: string[];
  /** Co-signing daemons asked for signatures (ORACLE_PEERS: JSON [{url, key}]). */
  peers: Array<{ url: string; key: string }>;
  /** Days before a claim's 诉讼时效 ends when a demand is recorded (ORACLE_LIMITATION_DEMAND_DAYS, 60; 0 off): src/oracle/limitation.ts. */
  limitationDemandDays: number;
}

export function oracleFrom(env: NodeJS.ProcessEnv): OracleConfig {
  const addresses = (env.ORACLE_ADDRESSES ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  for (const a of addresses) if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new ValidationError("ORACLE_ADDRESSES", `${a} is not an address`);
  let peers: Array<{ url: string; key: string }> = [];
  if (env.ORACLE_PEERS) {
    try {
      peers = JSON.parse(env.ORACLE_PEERS);
    } catch {
      throw new ValidationError("ORACLE_PEERS", "must be a JSON array of {url, key}");
    }
    if (!Array.isArray(peers) || !peers.every((p) => typeof p?.url === "string" && /^https?:\/\//.test(p.url) && typeof p.key === "string" && p.key.length >= 8)) {
      throw new ValidationError("ORACLE_PEERS", "must be a JSON array of {url: http(s) URL, key: the peer's API key (≥ 8 characters)}");
    }
  }
  if (env.APPEAL_PERIOD_SECONDS !== undefined && env.APPEAL_PERIOD_SECONDS !== "") {
    throw new ValidationError("APPEAL_PERIOD_SECONDS", "is no longer used: an arbitral award is final and executed when given (仲裁法第9条); unset it");
  }
  const enabled = env.ORACLE_ENABLED ?? "1";
  if (enabled !== "0" && enabled !== "1") throw new ValidationError("ORACLE_ENABLED", "must be 0 or 1");
  return {
    enabled: enabled === "1",
    intervalMs: intFrom(env, "ORACLE_INTERVAL_MS", 10_000, 100, 86_400_000),
    batchSize: intFrom(env, "ORACLE_BATCH_SIZE", 100, 1, 1000),
    limitationDemandDays: intFrom(env, "ORACLE_LIMITATION_DEMAND_DAYS", 60, 0, 90),
    quorum: intFrom(env, "ORACLE_QUORUM", 1, 1, 32),
    maxReportAgeSeconds: intFrom(env, "MAX_REPORT_AGE_SECONDS", 7 * 86_400, 60, 365 * 86_400),
    minNoticeDays: intFrom(env, "MIN_NOTICE_DAYS", 7, 1, 365),
    extraOracleAddresses: addresses,
    peers,
  };
}

/** PUBLIC_URL: this node's base URL as other organisations reach it. */
export function publicUrlFrom(env: NodeJS.ProcessEnv): string | null {
  if (!env.PUBLIC_URL) return null;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(env.PUBLIC_URL)) throw new ValidationError("PUBLIC_URL", "must be an http(s) URL, e.g. https://debtrail.bank.example");
  return env.PUBLIC_URL.replace(/\/$/, "");
}
