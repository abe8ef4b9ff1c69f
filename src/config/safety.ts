/**
 * What keeps a configuration safe to run: dev mode only on loopback and the dev chain, no public dev
 * secret or dev-mnemonic key on a remote chain, API and peer keys with enough entropy outside dev mode.
 * src/config/config.ts applies them when it loads the configuration (and re-exports the public ones).
 */
import { ValidationError } from "../core/errors.js";
import type { Config } from "./config.js";
import { devWallet } from "./dev-accounts.js";

/** PII secret of the local dev chain (DEBTRAIL_DEV_CHAIN=1 without PII_SECRET); never for production. */
export const DEV_PII_SECRET = "debtrail-dev-pii-secret-not-for-production";

/** The chain id of the local dev chain (Hardhat's and anvil's default): the only one dev mode runs on. */
export const DEV_CHAIN_ID = "31337";

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

export function requireStrongKey(key: string, field: string, name: string): void {
  if (keyEntropyBits(key) < MIN_KEY_BITS) {
    throw new ValidationError(field, `must carry at least ${MIN_KEY_BITS} bits (a random value of ≥ 32 hex or ≥ 22 base64url characters); the key of ${name} is too short or not random`);
  }
}

/** True for a loopback host name or address: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

export function isLoopbackUrl(url: string): boolean {
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
export function refusePublicSecrets(chainRpcUrl: string, secrets: Array<[field: string, value: string | undefined]>, keys: Array<[field: string, key: string | undefined]>): void {
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
 * the chain node and the API on loopback. The chain id is checked once the node answers ({@link assertDevChain}).
 */
export function checkDevMode(chainRpcUrl: string, host: string): void {
  if (!isLoopbackUrl(chainRpcUrl)) {
    throw new ValidationError("CHAIN_RPC_URL", "must be a loopback address (127.0.0.1, localhost, ::1) in dev mode (DEBTRAIL_DEV_CHAIN=1): the dev keys are public");
  }
  if (!isLoopbackHost(host)) {
    throw new ValidationError("HOST", "must be a loopback address (127.0.0.1, localhost, ::1) in dev mode (DEBTRAIL_DEV_CHAIN=1): the dev keys are public");
  }
}

/**
 * Dev mode runs on the local dev chain only.
 *
 * @throws ValidationError naming DEBTRAIL_DEV_CHAIN when the node's chain id is not {@link DEV_CHAIN_ID}
 */
export function assertDevChain(config: Pick<Config, "devMode">, chainId: string): void {
  if (config.devMode && chainId !== DEV_CHAIN_ID) {
    throw new ValidationError("DEBTRAIL_DEV_CHAIN", `dev mode runs only on the local dev chain (chain id ${DEV_CHAIN_ID}); the node at CHAIN_RPC_URL runs chain ${chainId}`);
  }
}
