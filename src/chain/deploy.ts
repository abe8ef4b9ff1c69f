import { existsSync } from "node:fs";
import { Wallet, type Signer, type JsonRpcProvider } from "ethers";
import hre from "hardhat";
import DebtrailModule from "../../ignition/modules/Debtrail.js";
import { ClaimRegistry__factory, EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { connectProvider } from "./provider.js";
import { readDeployment, writeDeployment, type Deployment } from "./deployment.js";
import { roleId, originatorCodeToBytes32 } from "./roles.js";
import { CHAIN_ROLES_OF, type ChainRole } from "../config/roles.js";
import type { ApiKeyConfig } from "../config/config.js";

export interface DeployOptions {
  rpcUrl: string;
  deploymentFile: string;
  /** Deployer and ADMIN key; omitted on the local dev node, whose first unlocked account deploys. */
  deployerPrivateKey?: string;
  apiKeys: ApiKeyConfig[];
  /** This organisation's recorder and oracle key (RECORDER, ORACLE); a network names its members' accounts in `accounts` instead. */
  servicePrivateKey?: string;
  /** Extra oracle signers (other organisations' daemons) to grant ORACLE. */
  oracleAddresses?: string[];
  /**
   * Ignition deployment id (its journal in ignition/deployments/<id>); defaults to one per chain
   * (chain id + genesis hash), so re-running resumes. Tests pass their own: two dev nodes started in
   * the same second have the same genesis block.
   */
  deploymentId?: string;
  /** k: oracle signatures a report needs (set at first deployment). */
  oracleQuorum?: number;
  /** How old a report's asOf may be against block time, seconds. */
  maxReportAgeSeconds?: number;
  /** Deployment-wide minimum notice period of the clauses, days (ClaimRegistry's minNoticeDays; default 7). */
  minNoticeDays?: number;
  /**
   * Other organisations' accounts to grant roles to, by address (their keys never leave them): a network's
   * members (scripts/network). RECORDER is granted on EvidenceLog too; an ORIGINATOR's code is bound to it.
   */
  accounts?: Array<{ address: string; roles: ChainRole[]; originatorCode?: string }>;
  /** Blocks Ignition waits after each of its transactions (CONFIRMATIONS; default 1). Interval mining: no receipt is instant. */
  confirmations?: number;
  log?: (line: string) => void;
}

/**
 * Deploys Debtrail's contracts with Hardhat Ignition (idempotent: a deployment id per chain, so a
 * re-run resumes or reuses), grants every configured account its roles and binds originator codes.
 * Safe to run on every start.
 */
export async function deployDebtrail(opts: DeployOptions): Promise<Deployment> {
  const log = opts.log ?? (() => {});
  const provider = await connectProvider(opts.rpcUrl);
  try {
    const chainId = (await provider.getNetwork()).chainId.toString();
    const genesis = await provider.getBlock(0);
    if (!genesis?.hash) throw new Error("the chain node returned no genesis block");
    const deploymentId = opts.deploymentId ?? `debtrail-${chainId}-${genesis.hash.slice(2, 12)}`;
    const journalExisted = existsSync(`ignition/deployments/${deploymentId}`);
    const startBlock = await provider.getBlockNumber();

    const connection = await hre.network.connect({
      network: "localhost",
      override: {
        url: opts.rpcUrl,
        accounts: opts.deployerPrivateKey ? [opts.deployerPrivateKey] : "remote",
      },
    });
    const deployed = await connection.ignition.deploy(DebtrailModule, {
      deploymentId,
      displayUi: false,
      // Ignition waits 5 blocks by default on a chain that does not automine (10 s a step at 2 s blocks).
      config: { requiredConfirmations: opts.confirmations ?? 1 },
      parameters: {
        Debtrail: {
          oracleQuorum: opts.oracleQuorum ?? 1,
          maxReportAge: opts.maxReportAgeSeconds ?? 7 * 86_400,
          minNoticeDays: opts.minNoticeDays ?? 7,
        },
      },
    });
    const addresses = {
      ClaimRegistry: await deployed.claimRegistry.getAddress(),
      EvidenceLog: await deployed.evidenceLog.getAddress(),
      Arbitrator: await deployed.arbitrator.getAddress(),
      CollectionClauses: await deployed.collectionClauses.getAddress(),
    };
    await connection.close();

    const previous = await readDeployment(opts.deploymentFile);
    const sameChain = previous?.deploymentId === deploymentId && previous.genesisHash === genesis.hash;
    const contracts = {} as Deployment["contracts"];
    for (const [name, address] of Object.entries(addresses)) {
      const known = sameChain ? previous.contracts[name] : undefined;
      // A reused Ignition journal means the contracts predate this run: read events from genesis.
      contracts[name] = known?.address === address ? known : { address, blockNumber: journalExisted ? 0 : startBlock };
    }
    const deployment: Deployment = { chainId, genesisHash: genesis.hash, deploymentId, contracts };
    await writeDeployment(opts.deploymentFile, deployment);
    log(`contracts: ${Object.entries(addresses).map(([n, a]) => `${n} ${a}`).join(", ")} (chain ${chainId}, deployment ${deploymentId})`);

    const admin = opts.deployerPrivateKey
      ? new Wallet(opts.deployerPrivateKey, provider)
      : await provider.getSigner(0);
    await grantConfiguredRoles(provider, admin, addresses, opts, log);
    return deployment;
  } finally {
    provider.destroy();
  }
}

async function grantConfiguredRoles(
  provider: JsonRpcProvider,
  admin: Signer,
  addresses: { ClaimRegistry: string; EvidenceLog: string; Arbitrator: string; CollectionClauses: string },
  opts: DeployOptions,
  log: (line: string) => void,
): Promise<void> {
  const registry = ClaimRegistry__factory.connect(addresses.ClaimRegistry, admin);
  const evidenceLog = EvidenceLog__factory.connect(addresses.EvidenceLog, admin);
  const wanted: Array<{ address: string; role: ChainRole }> = [];
  const codes: Array<{ code: string; address: string }> = [];
  for (const key of opts.apiKeys) {
    if (!key.privateKey) continue;
    const address = new Wallet(key.privateKey).address;
    for (const role of CHAIN_ROLES_OF[key.role]) wanted.push({ address, role });
    if (key.role === "bank" && key.originatorCode) codes.push({ code: key.originatorCode, address });
  }
  if (opts.servicePrivateKey) {
    const service = new Wallet(opts.servicePrivateKey).address;
    wanted.push({ address: service, role: "RECORDER" }, { address: service, role: "ORACLE" });
  }
  for (const address of opts.oracleAddresses ?? []) wanted.push({ address, role: "ORACLE" });
  for (const account of opts.accounts ?? []) {
    for (const role of account.roles) wanted.push({ address: account.address, role });
    if (account.originatorCode) codes.push({ code: account.originatorCode, address: account.address });
  }

  // Sent one after another with consecutive nonces, then awaited together: on a chain that mines every few
  // seconds, waiting for each grant's receipt before the next would cost a block per grant.
  const from = await admin.getAddress();
  let nonce = await provider.getTransactionCount(from, "pending");
  const sent: Array<{ tx: { wait(): Promise<unknown> }; line: string }> = [];
  const seen = new Set<string>();
  for (const { address, role } of wanted) {
    const k = `${role}|${address.toLowerCase()}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (!(await registry.hasRole(roleId(role), address))) {
      sent.push({ tx: await registry.grantRole(roleId(role), address, { nonce: nonce++ }), line: `granted ${role} to ${address}` });
    }
    // Evidence anchors are signed by recorders; EvidenceLog keeps its own roles.
    if (role === "RECORDER" && !(await evidenceLog.hasRole(roleId("RECORDER"), address))) {
      sent.push({ tx: await evidenceLog.grantRole(roleId("RECORDER"), address, { nonce: nonce++ }), line: `granted RECORDER on EvidenceLog to ${address}` });
    }
  }
  for (const { code: name, address } of codes) {
    const code = originatorCodeToBytes32(name);
    const bound = await registry.originatorOf(code);
    if (bound.toLowerCase() === address.toLowerCase()) continue;
    if (bound !== "0x0000000000000000000000000000000000000000") {
      throw new Error(`originator code ${name} is bound to ${bound}, not to the configured bank ${address}`);
    }
    sent.push({ tx: await registry.bindOriginatorCode(code, address, { nonce: nonce++ }), line: `bound originator code ${name} to ${address}` });
  }
  for (const { tx, line } of sent) {
    await tx.wait();
    log(line);
  }
}
