import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ValidationError } from "../core/errors.js";
import { intFrom } from "./env.js";
import { devApiKeys } from "./dev-accounts.js";

/**
 * The council that alone administers the chain (COUNCIL_MEMBERS: comma-separated accounts; COUNCIL_THRESHOLD:
 * k, default a majority; COUNCIL_DELAY_SECONDS: the timelock's delay, default 2 days). Without members, only
 * on a loopback chain: a council of the deployer alone, without delay — the single-process dev stack.
 *
 * @throws ValidationError naming the variable
 */
export function councilFrom(env: NodeJS.ProcessEnv, loopback: boolean): { members: string[]; threshold: number; delaySeconds: number } | undefined {
  const members = (env.COUNCIL_MEMBERS ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  if (members.length === 0) {
    if (loopback) return undefined;
    throw new ValidationError("COUNCIL_MEMBERS", "is required to deploy to a remote chain: no organisation may administer it alone (the accounts of the council's member organisations, comma-separated)");
  }
  for (const a of members) if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw new ValidationError("COUNCIL_MEMBERS", `${a} is not an address`);
  if (new Set(members.map((a) => a.toLowerCase())).size < members.length) throw new ValidationError("COUNCIL_MEMBERS", "lists an account twice");
  const threshold = intFrom(env, "COUNCIL_THRESHOLD", Math.floor(members.length / 2) + 1, 1, members.length);
  if (members.length > 1 && threshold < 2) throw new ValidationError("COUNCIL_THRESHOLD", "must be at least 2 when the council has more than one member: no organisation alone");
  return { members, threshold, delaySeconds: intFrom(env, "COUNCIL_DELAY_SECONDS", 2 * 86_400, 0, 30 * 86_400) };
}


/** Where `debtrail council` finds the chain, the deployment and this organisation's keys. */
export interface CouncilMemberConfig {
  rpcUrl: string;
  deploymentFile: string;
  /** Private keys this organisation holds; the one whose account is a member signs. */
  keys: string[];
  /** Names of accounts (an organisation of `npm run network`), for people. */
  names: Record<string, string>;
}

const KEY = /^0x[0-9a-fA-F]{64}$/;

/**
 * The configuration `debtrail council` runs with, as an organisation's other commands do: CHAIN_RPC_URL
 * (default 127.0.0.1:CHAIN_PORT), DEPLOYMENT_FILE (default DATA_DIR/deployment.json), and the member key —
 * COUNCIL_PRIVATE_KEY, else the accounts of DEBTRAIL_API_KEYS (its privateKeys) and SERVICE_PRIVATE_KEY.
 * With `orgDir` (an organisation's dir of `npm run network`): its keys.json, its deployment copy, and the
 * network's rpc and organisation names from ../network.json.
 *
 * @throws ValidationError naming the variable
 */
export function councilMemberFrom(env: NodeJS.ProcessEnv, orgDir?: string, rpcOverride?: string): CouncilMemberConfig {
  const names: Record<string, string> = {};
  let rpcUrl = rpcOverride ?? env.CHAIN_RPC_URL;
  let deploymentFile = resolve(env.DEPLOYMENT_FILE ?? join(env.DATA_DIR ?? "./data", "deployment.json"));
  const keys: string[] = [];
  if (env.COUNCIL_PRIVATE_KEY !== undefined) {
    if (!KEY.test(env.COUNCIL_PRIVATE_KEY)) throw new ValidationError("COUNCIL_PRIVATE_KEY", "must be a 0x-prefixed 32-byte hex private key");
    keys.push(env.COUNCIL_PRIVATE_KEY);
  }
  if (orgDir) {
    deploymentFile = resolve(orgDir, "deployment.json");
    let own: { account?: unknown };
    try {
      own = JSON.parse(readFileSync(join(orgDir, "keys.json"), "utf8"));
    } catch (e) {
      throw new ValidationError("--org", `${orgDir} holds no readable keys.json (${(e as Error).message})`);
    }
    if (typeof own.account !== "string" || !KEY.test(own.account)) throw new ValidationError("--org", `${orgDir}/keys.json holds no account key`);
    if (keys.length === 0) keys.push(own.account);
    const network = join(orgDir, "..", "network.json");
    if (existsSync(network)) {
      const n = JSON.parse(readFileSync(network, "utf8")) as { rpc?: string; orgs?: Record<string, { address?: string }> };
      rpcUrl ??= n.rpc;
      for (const [name, o] of Object.entries(n.orgs ?? {})) if (o.address) names[o.address.toLowerCase()] = name;
    }
  }
  if (keys.length === 0) {
    let entries: unknown = [];
    try {
      entries = JSON.parse(env.DEBTRAIL_API_KEYS ?? "[]");
    } catch {
      throw new ValidationError("DEBTRAIL_API_KEYS", "must be a JSON array of {key, role, privateKey?, originatorCode?, worksFor?}");
    }
    for (const e of Array.isArray(entries) ? entries : []) {
      const k = (e as { privateKey?: unknown })?.privateKey;
      if (typeof k === "string" && KEY.test(k)) keys.push(k);
    }
    if (env.SERVICE_PRIVATE_KEY && KEY.test(env.SERVICE_PRIVATE_KEY)) keys.push(env.SERVICE_PRIVATE_KEY);
    // The single-process dev stack (`npm start`): its council is the dev deployer alone (dev keys: loopback only).
    if (env.DEBTRAIL_DEV_CHAIN === "1" && !env.DEBTRAIL_API_KEYS) keys.push(...devApiKeys().map((k) => k.privateKey!));
  }
  rpcUrl ??= `http://127.0.0.1:${intFrom(env, "CHAIN_PORT", 8545, 1, 65535)}`;
  try {
    new URL(rpcUrl);
  } catch {
    throw new ValidationError("CHAIN_RPC_URL", "must be a URL, e.g. http://127.0.0.1:8545");
  }
  return { rpcUrl, deploymentFile, keys: [...new Set(keys)], names };
}
