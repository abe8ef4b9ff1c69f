import { resolve } from "node:path";
import { Type, type Static } from "typebox";
import { Value } from "typebox/value";
import { Wallet } from "ethers";
import { API_ROLES, BUYER_KINDS, type ApiRole, type BuyerKindOnChain } from "./roles.js";
import { requestLogLevelFrom } from "./logging.js";
import { ValidationError } from "../core/errors.js";
import { resolveConfig, type ComplianceConfig } from "../core/compliance.js";
import { RELATIONS, type Relation } from "../core/evidence.js";
import { devApiKeys, devWallet, DEV_SERVICE_ACCOUNT } from "./dev-accounts.js";
import { testClockFileFrom } from "./dev-chain.js";
import { councilFrom } from "./council.js";
import { intFrom, oracleFrom, publicUrlFrom, type OracleConfig } from "./env.js";

export type { OracleConfig };
import { handoverFrom, type HandoverConfig } from "./handover.js";

/** One API key: who the caller is, what role it has and which account signs its transactions. */
export interface ApiKeyConfig {
  key: string;
  role: ApiRole;
  name?: string;
  /** Signs the caller's on-chain writes. Required for roles that write (admin, bank, amc, court). */
  privateKey?: string;
  /** For bank keys: the originator code the bank registers under (bound to its address on chain). */
  originatorCode?: string;
  /**
   * For collector keys: the address of the holder (AMC) the collector works for. For feed keys: the holder
   * whose loans this feed services — its statuses of that holder's claims propose reports (src/app/access.ts).
   */
  worksFor?: string;
  /** For amc keys: what the buyer is on chain — a licensed AMC (default) or a qualified investor (issue 19). */
  buyerKind?: BuyerKindOnChain;
}

const ApiKeySchema = Type.Object({
  key: Type.String({ minLength: 8 }),
  role: Type.Union(API_ROLES.map((r) => Type.Literal(r))),
  name: Type.Optional(Type.String()),
  privateKey: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" })),
  originatorCode: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9_-]{1,31}$" })),
  worksFor: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" })),
  buyerKind: Type.Optional(Type.Union(BUYER_KINDS.map((k) => Type.Literal(k)))),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** JSON-RPC endpoint of the chain node the API talks to. */
  chainRpcUrl: string;
  /** Where the deployment (addresses, chain id, genesis hash) is recorded. */
  deploymentFile: string;
  apiKeys: ApiKeyConfig[];
  /** Signs evidence anchors and oracle reports for this organisation. */
  servicePrivateKey: string;
  /** Salt for hashing personal data (HMAC-SHA256). Never leaves this organisation. */
  piiSecret: string;
  /** Blocks to wait before a write is reported as done. */
  confirmations: number;
  rateLimitPerMinute: number;
  /** Failed authentications (bad or unknown API key) allowed per client IP per minute (AUTH_FAILURES_PER_MINUTE). */
  authFailuresPerMinute: number;
  /** Body limit of the authenticated bulk routes (BODY_LIMIT_BYTES); every other route takes {@link defaultBodyLimitBytes}. */
  bodyLimitBytes: number;
  /** Body limit of every route that is not a bulk route (DEFAULT_BODY_LIMIT_BYTES, default 1 MiB). */
  defaultBodyLimitBytes: number;
  requestTimeoutMs: number;
  logLevel: string;
  /** Level of the one line logged per HTTP request (REQUEST_LOG_LEVEL): `debug` on the local dev chain, so `npm start`'s terminal stays readable; `info` elsewhere. */
  requestLogLevel: "debug" | "info";
  devMode: boolean;
  oracle: OracleConfig;
  evidence: {
    /** A batch closes when this many records wait (EVIDENCE_BATCH_SIZE). */
    batchSize: number;
    /** ... or when its oldest record waited this long (EVIDENCE_BATCH_AGE_MS). */
    batchAgeMs: number;
    /** Collection compliance rules (CONTACT_HOURS, CONTACT_DAILY_CAP, CONTACT_WEEKLY_CAP, CONTACT_ALLOWED_RELATIONS). */
    compliance: ComplianceConfig;
    /** The debtor's time zone when the claim does not name one (DEFAULT_TIME_ZONE). */
    defaultTimeZone: string;
    /** How far before its recording a contact may be dated (EVIDENCE_MAX_BACKDATE_DAYS, default 30). */
    maxBackdateDays: number;
  };
  /**
   * The originator's secret the per-loan salts of loan references are derived from (ORIGINATOR_SECRET,
   * default PII_SECRET; HMAC with its own domain tag, so the two uses never collide). Keep it stable:
   * another secret gives the same loan another claim id.
   */
  loanRefSecret: string;
  /** Anonymous POST /v1/verify calls per IP per minute (VERIFY_RATE_LIMIT_PER_MINUTE, default 60). */
  verifyRateLimitPerMinute: number;
  /** This node's base URL as other organisations reach it (PUBLIC_URL), named in the evidence it links to disputes. */
  publicUrl: string | null;
  /** TEST-ONLY offset clock file (DEBTRAIL_TEST_CLOCK_FILE with DEBTRAIL_TEST_MODE=1, dev node only): src/config/clock.ts. */
  testClockFile: string | null;
  /** Loan-file handover to buyers' nodes and the seller's retention (src/config/handover.ts). */
  handover: HandoverConfig;
  /** Batch imports' registration transactions (src/app/jobs/runner.ts). */
  imports: ImportsConfig;
}

/**
 * How a batch import's claims reach the chain: chunks of at most `claimsPerTx` claims, never more calldata
 * than `maxTxBytes` nor more gas than `maxTxGas` per transaction (a chunk over either is split), at most
 * `inFlight` transactions of one job sent and not yet mined (the next chunk waits: back-pressure).
 */
export interface ImportsConfig {
  /** REGISTER_BATCH_SIZE, default 100 (~108k gas a claim: ~11M gas a transaction). */
  claimsPerTx: number;
  /** REGISTER_TX_MAX_BYTES, default 120,000: a geth-family node's pool refuses transactions over 128 KiB. */
  maxTxBytes: number;
  /** REGISTER_TX_MAX_GAS, default 15,000,000: under EIP-7825's per-transaction cap of 2^24. */
  maxTxGas: number;
  /** REGISTER_IN_FLIGHT, default 4. */
  inFlight: number;
}

/** PII secret of the local dev chain (DEBTRAIL_DEV_CHAIN=1 without PII_SECRET); never for production. */
export const DEV_PII_SECRET = "debtrail-dev-pii-secret-not-for-production";

/**
 * What deployDebtrail needs from the configuration. Without DEPLOYER_PRIVATE_KEY the node's own
 * (unlocked) accounts deploy, which only a loopback node may offer: a remote chain requires the key.
 *
 * @throws ValidationError naming DEPLOYER_PRIVATE_KEY
 */
export function deployOptionsFrom(config: Config, env: NodeJS.ProcessEnv = process.env) {
  const deployerPrivateKey = env.DEPLOYER_PRIVATE_KEY;
  if (deployerPrivateKey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(deployerPrivateKey)) {
    throw new ValidationError("DEPLOYER_PRIVATE_KEY", "must be a 0x-prefixed 32-byte hex private key");
  }
  refusePublicSecrets(config.chainRpcUrl, [], [["DEPLOYER_PRIVATE_KEY", deployerPrivateKey]]);
  if (!deployerPrivateKey && !isLoopbackUrl(config.chainRpcUrl)) {
    throw new ValidationError("DEPLOYER_PRIVATE_KEY", "is required to deploy to a remote chain (CHAIN_RPC_URL is not a loopback address)");
  }
  return {
    council: councilFrom(env, isLoopbackUrl(config.chainRpcUrl)),
    rpcUrl: config.chainRpcUrl,
    deploymentFile: config.deploymentFile,
    deployerPrivateKey,
    apiKeys: config.apiKeys,
    servicePrivateKey: config.servicePrivateKey,
    oracleAddresses: config.oracle.extraOracleAddresses,
    oracleQuorum: config.oracle.quorum,
    maxReportAgeSeconds: config.oracle.maxReportAgeSeconds,
    minNoticeDays: config.oracle.minNoticeDays,
    confirmations: config.confirmations,
  };
}

/** Reads the compliance rules from the environment; every value is checked by the core's resolveConfig. */
function complianceFrom(env: NodeJS.ProcessEnv): ComplianceConfig {
  const overrides: Partial<ComplianceConfig> = {};
  if (env.CONTACT_HOURS) {
    const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(env.CONTACT_HOURS);
    if (!m) throw new ValidationError("CONTACT_HOURS", "must be HH:MM-HH:MM, e.g. 08:00-21:00");
    overrides.contactHours = { start: m[1], end: m[2] };
  }
  if (env.CONTACT_DAILY_CAP) overrides.dailyCap = intFrom(env, "CONTACT_DAILY_CAP", 3, 0, 1000);
  if (env.CONTACT_WEEKLY_CAP) overrides.weeklyCap = intFrom(env, "CONTACT_WEEKLY_CAP", 10, 0, 10_000);
  if (env.CONTACT_ALLOWED_RELATIONS) {
    const relations = env.CONTACT_ALLOWED_RELATIONS.split(",").map((r) => r.trim());
    for (const r of relations) {
      if (!(RELATIONS as readonly string[]).includes(r)) throw new ValidationError("CONTACT_ALLOWED_RELATIONS", `unknown relation ${r}; one of ${RELATIONS.join(", ")}`);
    }
    overrides.allowedRelations = relations as Relation[];
  }
  try {
    return resolveConfig(overrides);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`CONTACT_${e.field}`, e.rule);
    throw e;
  }
}

function timeZoneFrom(env: NodeJS.ProcessEnv): string {
  const zone = env.DEFAULT_TIME_ZONE ?? "Asia/Shanghai";
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch {
    throw new ValidationError("DEFAULT_TIME_ZONE", "must be an IANA time zone, e.g. Asia/Shanghai");
  }
  return zone;
}


/** Least entropy of an API key outside dev mode. */
export const MIN_KEY_BITS = 128;

/**
 * A conservative estimate of a key's entropy in bits, from its length and the smallest usual alphabet
 * it is drawn from (digits 3.32 bits a character, hex 4, base64/base64url and anything else 6), as
 * if each character were random; a key of fewer than 8 different characters counts as 0 (not random).
 * 32 hex characters or 22 base64url characters reach 128 bits.
 */
export function keyEntropyBits(key: string): number {
  if (new Set(key).size < 8) return 0;
  const body = key.replace(/=+$/, "");
  const perChar = /^[0-9]+$/.test(body) ? Math.log2(10) : /^(?:[0-9a-f]+|[0-9A-F]+)$/.test(body) ? 4 : 6;
  return Math.floor(body.length * perChar);
}

function requireStrongKey(key: string, field: string, name: string): void {
  if (keyEntropyBits(key) < MIN_KEY_BITS) {
    throw new ValidationError(field, `must carry at least ${MIN_KEY_BITS} bits (a random value of ≥ 32 hex or ≥ 22 base64url characters); the key of ${name} is too short or not random`);
  }
}

/** True for a loopback host name or address: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** How many accounts of Hardhat's public dev mnemonic a node offers by default (all their keys are public). */
const PUBLIC_DEV_ACCOUNTS = 20;

/**
 * On a remote chain, nothing may be signed or salted with what is public: the dev PII secret (anyone could
 * re-derive every salted hash) or a key of Hardhat's dev mnemonic (anyone could sign as the organisation).
 * Dev mode refuses a remote chain; this refuses the dev secrets copied into a production configuration.
 */
function refusePublicSecrets(chainRpcUrl: string, secrets: Array<[field: string, value: string | undefined]>, keys: Array<[field: string, key: string | undefined]>): void {
  if (isLoopbackUrl(chainRpcUrl)) return;
  for (const [field, value] of secrets) {
    if (value === DEV_PII_SECRET) throw new ValidationError(field, "must not be the public dev secret on a remote chain (CHAIN_RPC_URL is not a loopback address)");
  }
  const given = keys.filter(([, k]) => k !== undefined);
  if (given.length === 0) return;
  const dev = new Set(Array.from({ length: PUBLIC_DEV_ACCOUNTS }, (_, i) => devWallet(i).privateKey.toLowerCase()));
  for (const [field, key] of given) {
    if (dev.has(key!.toLowerCase())) throw new ValidationError(field, "must not be a key of the public Hardhat dev mnemonic on a remote chain (CHAIN_RPC_URL is not a loopback address)");
  }
}

/**
 * Dev mode (public dev keys, the dev PII secret) only where nothing but this machine can reach it:
 * the chain node and the API on loopback. The node itself is checked once it answers (src/config/dev-chain.ts).
 */
function checkDevMode(chainRpcUrl: string, host: string): void {
  if (!isLoopbackUrl(chainRpcUrl)) {
    throw new ValidationError("CHAIN_RPC_URL", "must be a loopback address (127.0.0.1, localhost, ::1) in dev mode (DEBTRAIL_DEV_CHAIN=1): the dev keys are public");
  }
  if (!isLoopbackHost(host)) {
    throw new ValidationError("HOST", "must be a loopback address (127.0.0.1, localhost, ::1) in dev mode (DEBTRAIL_DEV_CHAIN=1): the dev keys are public");
  }
}


function parseApiKeys(raw: string, devMode: boolean): ApiKeyConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ValidationError("DEBTRAIL_API_KEYS", "must be a JSON array of {key, role, privateKey?, originatorCode?, worksFor?}");
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new ValidationError("DEBTRAIL_API_KEYS", "must be a non-empty JSON array");
  }
  return parsed.map((entry, i) => {
    if (!Value.Check(ApiKeySchema, entry)) {
      const first = Value.Errors(ApiKeySchema, entry)[0];
      const where = first?.instancePath || "";
      throw new ValidationError(`DEBTRAIL_API_KEYS[${i}]${where.replaceAll("/", ".")}`, first?.message ?? "invalid entry");
    }
    const key = entry as Static<typeof ApiKeySchema>;
    if (["admin", "bank", "amc", "court", "oracle"].includes(key.role) && !key.privateKey) {
      throw new ValidationError(`DEBTRAIL_API_KEYS[${i}].privateKey`, `is required for role ${key.role}`);
    }
    if (key.role === "bank" && !key.originatorCode) {
      throw new ValidationError(`DEBTRAIL_API_KEYS[${i}].originatorCode`, "is required for role bank");
    }
    if (key.worksFor !== undefined && key.role !== "collector" && key.role !== "feed") {
      throw new ValidationError(`DEBTRAIL_API_KEYS[${i}].worksFor`, "is only for roles collector and feed (the holder they work for)");
    }
    if (key.buyerKind !== undefined && key.role !== "amc") {
      throw new ValidationError(`DEBTRAIL_API_KEYS[${i}].buyerKind`, "is only for role amc (a buyer: licensed-amc or qualified-investor)");
    }
    if (!devMode) requireStrongKey(key.key, `DEBTRAIL_API_KEYS[${i}].key`, `entry ${i}${key.name ? ` (${key.name})` : ""}, role ${key.role}`);
    return key as ApiKeyConfig;
  });
}

/**
 * Reads and validates the configuration once, at start. Throws a ValidationError naming the
 * variable and the rule. Dev keys are used only when DEBTRAIL_DEV_CHAIN=1, which `npm start` sets
 * when it launched the local Hardhat node itself; dev mode needs a loopback CHAIN_RPC_URL and HOST
 * (and the dev chain id, checked on connecting). Outside dev mode every API key and peer key must
 * carry at least 128 bits.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const devMode = env.DEBTRAIL_DEV_CHAIN === "1";
  const chainPort = intFrom(env, "CHAIN_PORT", 8545, 1, 65535);
  const chainRpcUrl = env.CHAIN_RPC_URL ?? `http://127.0.0.1:${chainPort}`;
  try {
    new URL(chainRpcUrl);
  } catch {
    throw new ValidationError("CHAIN_RPC_URL", "must be a URL, e.g. http://127.0.0.1:8545");
  }
  const host = env.HOST ?? "127.0.0.1";
  if (devMode) checkDevMode(chainRpcUrl, host);
  const dataDir = resolve(env.DATA_DIR ?? "./data");
  const apiKeys = env.DEBTRAIL_API_KEYS ? parseApiKeys(env.DEBTRAIL_API_KEYS, devMode) : devMode ? devApiKeys() : null;
  if (!apiKeys) throw new ValidationError("DEBTRAIL_API_KEYS", "is required unless the local dev chain is used (npm start without CHAIN_RPC_URL)");
  const keys = new Set<string>();
  for (const k of apiKeys) {
    if (keys.has(k.key)) throw new ValidationError("DEBTRAIL_API_KEYS", `key ${k.key.slice(0, 4)}… appears twice`);
    keys.add(k.key);
  }
  const servicePrivateKey = env.SERVICE_PRIVATE_KEY ?? (devMode ? devWallet(DEV_SERVICE_ACCOUNT).privateKey : undefined);
  if (!servicePrivateKey || !/^0x[0-9a-fA-F]{64}$/.test(servicePrivateKey)) {
    throw new ValidationError("SERVICE_PRIVATE_KEY", "must be a 0x-prefixed 32-byte hex private key");
  }
  new Wallet(servicePrivateKey); // throws early on an invalid key
  const piiSecret = env.PII_SECRET ?? (devMode ? DEV_PII_SECRET : undefined);
  if (!piiSecret || piiSecret.length < 16) throw new ValidationError("PII_SECRET", "must be at least 16 characters");
  const loanRefSecret = env.ORIGINATOR_SECRET || piiSecret;
  if (Buffer.byteLength(loanRefSecret, "utf8") < 16) throw new ValidationError("ORIGINATOR_SECRET", "must be at least 16 characters");
  refusePublicSecrets(chainRpcUrl, [["PII_SECRET", piiSecret], ["ORIGINATOR_SECRET", loanRefSecret]], [
    ["SERVICE_PRIVATE_KEY", servicePrivateKey],
    ...apiKeys.map((k, i): [string, string | undefined] => [`DEBTRAIL_API_KEYS[${i}].privateKey`, k.privateKey]),
  ]);
  const oracle = oracleFrom(env);
  if (!devMode) oracle.peers.forEach((p, i) => requireStrongKey(p.key, `ORACLE_PEERS[${i}].key`, `peer ${p.url}`));
  const bodyLimitBytes = intFrom(env, "BODY_LIMIT_BYTES", 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
  const defaultBodyLimitBytes = intFrom(env, "DEFAULT_BODY_LIMIT_BYTES", Math.min(1024 * 1024, bodyLimitBytes), 1024, bodyLimitBytes);
  return {
    port: intFrom(env, "PORT", 8080, 0, 65535),
    host,
    dataDir,
    chainRpcUrl,
    deploymentFile: resolve(env.DEPLOYMENT_FILE ?? `${dataDir}/deployment.json`),
    apiKeys,
    servicePrivateKey,
    piiSecret,
    confirmations: intFrom(env, "CONFIRMATIONS", 1, 1, 64),
    rateLimitPerMinute: intFrom(env, "RATE_LIMIT_PER_MINUTE", 6000, 1, 10_000_000),
    authFailuresPerMinute: intFrom(env, "AUTH_FAILURES_PER_MINUTE", 30, 1, 1_000_000),
    bodyLimitBytes,
    defaultBodyLimitBytes,
    requestTimeoutMs: intFrom(env, "REQUEST_TIMEOUT_MS", 120_000, 1000, 3_600_000),
    logLevel: env.LOG_LEVEL ?? "info",
    requestLogLevel: requestLogLevelFrom(env, devMode),
    devMode,
    oracle,
    evidence: {
      batchSize: intFrom(env, "EVIDENCE_BATCH_SIZE", 1024, 1, 65_536),
      batchAgeMs: intFrom(env, "EVIDENCE_BATCH_AGE_MS", 30_000, 100, 86_400_000),
      compliance: complianceFrom(env),
      defaultTimeZone: timeZoneFrom(env),
      maxBackdateDays: intFrom(env, "EVIDENCE_MAX_BACKDATE_DAYS", 30, 1, 3650),
    },
    loanRefSecret,
    verifyRateLimitPerMinute: intFrom(env, "VERIFY_RATE_LIMIT_PER_MINUTE", 60, 1, 1_000_000),
    publicUrl: publicUrlFrom(env),
    testClockFile: testClockFileFrom(env, isLoopbackUrl(chainRpcUrl)),
    handover: handoverFrom(env, dataDir),
    imports: {
      claimsPerTx: intFrom(env, "REGISTER_BATCH_SIZE", 100, 1, 500),
      maxTxBytes: intFrom(env, "REGISTER_TX_MAX_BYTES", 120_000, 2_000, 4_000_000),
      maxTxGas: intFrom(env, "REGISTER_TX_MAX_GAS", 15_000_000, 500_000, 1_000_000_000),
      inFlight: intFrom(env, "REGISTER_IN_FLIGHT", 4, 1, 64),
    },
  };
}
