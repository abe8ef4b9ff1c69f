import { resolve } from "node:path";
import { ValidationError } from "../core/errors.js";

/**
 * Loan-file handover between organisations' nodes (src/app/handover): where the buyer's node is, this
 * node's own encryption key, how long a seller keeps its read-only copy, and how deliveries are retried.
 */
export interface HandoverConfig {
  /**
   * This node's X25519 private key (HANDOVER_PRIVATE_KEY, 32 bytes hex): the key sellers encrypt loan files
   * to. Without it, the key is read from {@link keyFile}, generated there (mode 0600) on first start.
   */
  privateKeyHex?: string;
  /** HANDOVER_KEY_FILE, default DATA_DIR/handover-x25519.key. */
  keyFile: string;
  /** Other organisations' nodes by on-chain account (HANDOVER_PEERS: JSON [{address, url}]). */
  peers: Array<{ address: string; url: string }>;
  /**
   * A network description (NETWORK_FILE, e.g. data/network/network.json of `npm run network`): its
   * `orgs.<name>.{address, api}` are peers too. Read again when it changes. Only a locator: what a peer
   * answers is trusted only when signed by the account (src/app/handover/crypto.ts).
   */
  networkFile?: string;
  /** Days a seller keeps its read-only copy after the sale (HANDOVER_RETENTION_DAYS, default 1825; PIPL 第47条). */
  retentionDays: number;
  /** How often the retention job runs (HANDOVER_RETENTION_INTERVAL_MS, default 1 h). */
  retentionIntervalMs: number;
  /** Largest plaintext of one delivery (HANDOVER_PART_BYTES, default 4 MiB): a package goes in parts of whole claims. */
  partBytes: number;
  /** First retry delay (HANDOVER_RETRY_MS, default 2 s), doubled per failed attempt up to HANDOVER_RETRY_MAX_MS (default 10 min). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Longest one delivery request may take (HANDOVER_REQUEST_TIMEOUT_MS, default 60 s). */
  requestTimeoutMs: number;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ValidationError(name, `must be an integer between ${min} and ${max}`);
  return Number(raw);
}

/** @throws ValidationError naming the variable and the rule */
export function handoverFrom(env: NodeJS.ProcessEnv, dataDir: string): HandoverConfig {
  const privateKeyHex = env.HANDOVER_PRIVATE_KEY;
  if (privateKeyHex !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(privateKeyHex)) {
    throw new ValidationError("HANDOVER_PRIVATE_KEY", "must be a 32-byte X25519 private key in hex");
  }
  let peers: HandoverConfig["peers"] = [];
  if (env.HANDOVER_PEERS) {
    try {
      peers = JSON.parse(env.HANDOVER_PEERS);
    } catch {
      throw new ValidationError("HANDOVER_PEERS", "must be a JSON array of {address, url}");
    }
    if (!Array.isArray(peers) || !peers.every((p) => typeof p?.address === "string" && ADDRESS.test(p.address) && typeof p.url === "string" && /^https?:\/\//.test(p.url))) {
      throw new ValidationError("HANDOVER_PEERS", "must be a JSON array of {address: the organisation's on-chain account, url: its node's API base URL}");
    }
  }
  const retryBaseMs = int(env, "HANDOVER_RETRY_MS", 2_000, 10, 3_600_000);
  return {
    ...(privateKeyHex ? { privateKeyHex: privateKeyHex.replace(/^0x/, "").toLowerCase() } : {}),
    keyFile: resolve(env.HANDOVER_KEY_FILE ?? `${dataDir}/handover-x25519.key`),
    peers: peers.map((p) => ({ address: p.address.toLowerCase(), url: p.url.replace(/\/+$/, "") })),
    ...(env.NETWORK_FILE ? { networkFile: resolve(env.NETWORK_FILE) } : {}),
    retentionDays: int(env, "HANDOVER_RETENTION_DAYS", 1825, 1, 36_500),
    retentionIntervalMs: int(env, "HANDOVER_RETENTION_INTERVAL_MS", 3_600_000, 1_000, 86_400_000),
    partBytes: int(env, "HANDOVER_PART_BYTES", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    retryBaseMs,
    retryMaxMs: Math.max(retryBaseMs, int(env, "HANDOVER_RETRY_MAX_MS", 600_000, 10, 86_400_000)),
    requestTimeoutMs: int(env, "HANDOVER_REQUEST_TIMEOUT_MS", 60_000, 1_000, 3_600_000),
  };
}
