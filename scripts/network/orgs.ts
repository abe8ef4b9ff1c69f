/**
 * The five organisations of `npm run network` and their own keys. Each organisation's keys are generated
 * into its own dir (keys.json, owner-only) the first time and kept: they are the organisation's identity,
 * also when the chain is lost and redeployed. Nothing here is a dev key; only the chain's funding account is.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import type { ChainRole } from "../../src/config/roles.js";
import type { ApiKeyConfig } from "../../src/config/config.js";
import type { NetworkSettings } from "./settings.js";

export const ORG_NAMES = ["bank", "amcA", "amcB", "court", "investor"] as const;
/** The organisations that administer the network together (the council); the investor, a market participant, does not. */
export const COUNCIL_ORGS: readonly OrgName[] = ["bank", "amcA", "amcB", "court"];
export type OrgName = (typeof ORG_NAMES)[number];

/** What each organisation is: its users' roles at its own node and its account's role on chain. */
const ORGS: Record<OrgName, { title: string; account: "bank" | "amc" | "court"; users: Array<"collector" | "feed">; chainRoles: ChainRole[]; buyerKind?: "qualified-investor" }> = {
  // The originator; its feed is its repayment data (the account the debtor still pays into), co-signing after a sale.
  bank: { title: "Network Bank (originator)", account: "bank", users: ["feed"], chainRoles: ["ORIGINATOR"] },
  amcA: { title: "AMC A (licensed buyer)", account: "amc", users: ["collector"], chainRoles: ["HOLDER", "LICENSED_AMC"] },
  amcB: { title: "AMC B (licensed buyer)", account: "amc", users: ["collector"], chainRoles: ["HOLDER", "LICENSED_AMC"] },
  // Arbitrator and verifier; its feed is its enforcement records (执行记录), co-signing what they show.
  court: { title: "Network Court (arbitrator)", account: "court", users: ["feed"], chainRoles: ["ARBITRATOR"] },
  // A qualified investor (合格投资者, issue 19): buys AMCs' corporate packages, never personal NPLs or a bank's batch.
  investor: { title: "Investor (qualified investor)", account: "amc", users: ["collector"], chainRoles: ["HOLDER", "QUALIFIED_INVESTOR"], buyerKind: "qualified-investor" },
};

/** The bank's originator code on chain. */
export const BANK_CODE = "NETBANK";

/** An organisation's secrets, as kept in its keys.json (mode 0600). */
export interface OrgKeys {
  /** The organisation's on-chain account: holds claims, originates or rules. */
  account: string;
  /** Its oracle and evidence recorder key (SERVICE_PRIVATE_KEY). */
  service: string;
  /** Its users' API keys by role. */
  apiKeys: Record<string, string>;
  piiSecret: string;
  originatorSecret?: string;
}

export interface Org {
  name: OrgName;
  dir: string;
  port: number;
  api: string;
  keys: OrgKeys;
  address: string;
  serviceAddress: string;
}

const secret = (bytes = 24) => randomBytes(bytes).toString("base64url");

/** Writes a file readable by its owner only, atomically. */
export function writePrivate(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The organisation's keys: read from its dir, or generated there the first time. */
function keysOf(name: OrgName, dir: string): OrgKeys {
  const file = join(dir, "keys.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as OrgKeys;
  const def = ORGS[name];
  const apiKeys: Record<string, string> = { [def.account]: `${name}-${def.account}-${secret()}`, oracle: `${name}-oracle-${secret()}` };
  for (const u of def.users) apiKeys[u] = `${name}-${u}-${secret()}`;
  const keys: OrgKeys = {
    account: Wallet.createRandom().privateKey,
    service: Wallet.createRandom().privateKey,
    apiKeys,
    piiSecret: secret(32),
    ...(name === "bank" ? { originatorSecret: secret(32) } : {}),
  };
  writePrivate(file, `${JSON.stringify(keys, null, 2)}\n`);
  return keys;
}

export function loadOrgs(settings: NetworkSettings): Org[] {
  return ORG_NAMES.map((name, i) => {
    const dir = join(settings.dir, name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = keysOf(name, dir);
    const port = settings.basePort + i;
    return { name, dir, port, api: `http://127.0.0.1:${port}`, keys, address: new Wallet(keys.account).address, serviceAddress: new Wallet(keys.service).address };
  });
}

/** The roles the deployment grants, by address: each account its role, each oracle service ORACLE and RECORDER. */
export function chainAccounts(orgs: Org[]): Array<{ address: string; roles: ChainRole[]; originatorCode?: string }> {
  return orgs.flatMap((o) => [
    { address: o.address, roles: [...ORGS[o.name].chainRoles], ...(o.name === "bank" ? { originatorCode: BANK_CODE } : {}) },
    { address: o.serviceAddress, roles: ["ORACLE", "RECORDER"] as ChainRole[] },
  ]);
}

/** DEBTRAIL_API_KEYS of an organisation: its own users only. */
function apiKeysOf(o: Org): ApiKeyConfig[] {
  const def = ORGS[o.name];
  return Object.entries(o.keys.apiKeys).map(([role, key]): ApiKeyConfig => {
    if (role === def.account) {
      return { key, role: def.account, name: def.title, privateKey: o.keys.account, ...(role === "bank" ? { originatorCode: BANK_CODE } : {}), ...(def.buyerKind ? { buyerKind: def.buyerKind } : {}) };
    }
    if (role === "oracle") return { key, role: "oracle", name: `oracle peers asking ${o.name}`, privateKey: o.keys.service };
    if (role === "collector") return { key, role: "collector", name: `collector of ${o.name}`, worksFor: o.address };
    return { key, role: "feed", name: o.name === "bank" ? "bank repayment data" : "court enforcement records" };
  });
}

/** Variables of the user's shell that must not leak into an organisation's processes. */
const OWN_VARIABLES = /^(DEBTRAIL_|ORACLE_|HANDOVER_|NETWORK_FILE$|DATA_DIR$|DEPLOYMENT_FILE$|DEPLOYER_PRIVATE_KEY$|SERVICE_PRIVATE_KEY$|PII_SECRET$|ORIGINATOR_SECRET$|CHAIN_RPC_URL$|PUBLIC_URL$|PORT$|HOST$|CONFIRMATIONS$|LOG_LEVEL$)/;

/**
 * The environment of an organisation's processes (`debtrail serve`, `debtrail oracle`): its own keys, its
 * own data dir and deployment copy, the chain, and its peers — the other organisations' oracle keys, which
 * those gave it to ask for co-signatures, and their nodes by account for loan-file handover (its handover key
 * is generated in its own data dir). Not dev mode: no dev key, every key ≥ 128 bits.
 */
export function orgEnv(o: Org, orgs: Org[], settings: NetworkSettings, rpc: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!OWN_VARIABLES.test(k)) env[k] = v;
  Object.assign(env, {
    DATA_DIR: o.dir,
    DEPLOYMENT_FILE: join(o.dir, "deployment.json"),
    CHAIN_RPC_URL: rpc,
    HOST: "127.0.0.1",
    PORT: String(o.port),
    PUBLIC_URL: o.api,
    DEBTRAIL_API_KEYS: JSON.stringify(apiKeysOf(o)),
    SERVICE_PRIVATE_KEY: o.keys.service,
    PII_SECRET: o.keys.piiSecret,
    ...(o.keys.originatorSecret ? { ORIGINATOR_SECRET: o.keys.originatorSecret } : {}),
    ORACLE_PEERS: JSON.stringify(orgs.filter((p) => p !== o).map((p) => ({ url: p.api, key: p.keys.apiKeys.oracle }))),
    HANDOVER_PEERS: JSON.stringify(orgs.filter((p) => p !== o).map((p) => ({ address: p.address, url: p.api }))),
    ORACLE_INTERVAL_MS: String(settings.oracleIntervalMs),
    EVIDENCE_BATCH_AGE_MS: String(settings.evidenceBatchAgeMs),
    LOG_LEVEL: settings.logLevel,
  });
  if (settings.testClock) Object.assign(env, { DEBTRAIL_TEST_MODE: "1", DEBTRAIL_TEST_CLOCK_FILE: join(settings.dir, "test-clock.json") });
  return env;
}

/** $NETWORK_DIR/network.json, in the shape. */
export function networkJson(rpc: string, chainId: string, contracts: Record<string, { address: string }>, orgs: Org[]) {
  return {
    rpc,
    chainId,
    contracts: Object.fromEntries(Object.entries(contracts).map(([name, c]) => [name, c.address])),
    orgs: Object.fromEntries(orgs.map((o) => [o.name, { api: o.api, address: o.address, keys: { ...o.keys.apiKeys } }])),
  };
}
