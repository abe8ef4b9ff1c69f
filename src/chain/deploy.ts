import { existsSync } from "node:fs";
import { Wallet, type Signer } from "ethers";
import hre from "hardhat";
import DebtrailModule from "../../ignition/modules/Debtrail.js";
import { ClaimRegistry__factory, Council__factory, EvidenceLog__factory } from "../../types/ethers-contracts/index.js";
import { advanceCouncil, type CouncilCall } from "./council.js";
import { connectProvider } from "./provider.js";
import { readDeployment, writeDeployment, type Deployment } from "./deployment.js";
import { roleId, originatorCodeToBytes32 } from "./roles.js";
import { chainRolesOf, type ChainRole } from "../config/roles.js";
import type { ApiKeyConfig } from "../config/config.js";

/** No single administrator: the council that alone holds ADMIN (through its timelock) once deployment is done. */
export interface CouncilOptions {
  /** The member organisations' accounts. */
  members: string[];
  /** k: approvals a change needs (at least 2 with more than one member; the contract refuses less). */
  threshold: number;
  /** The timelock's delay between k approvals and the change, seconds. */
  delaySeconds: number;
}

export interface DeployOptions {
  rpcUrl: string;
  deploymentFile: string;
  /**
   * Deployer key: ADMIN while it bootstraps a new deployment (grants the configured roles), which it then
   * hands to the council's timelock, keeping nothing; omitted on the local dev node, whose first unlocked
   * account deploys.
   */
  deployerPrivateKey?: string;
  /**
   * The council (COUNCIL_MEMBERS, COUNCIL_THRESHOLD, COUNCIL_DELAY_SECONDS). Omitted: a council of the
   * deployer alone (1 of 1, no delay) — for the single-process local dev stack only; config.ts requires it
   * for any other chain.
   */
  council?: CouncilOptions;
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
 * Deploys Debtrail's contracts and the council with Hardhat Ignition (idempotent: a deployment id per chain,
 * so a re-run resumes or reuses). A new deployment is bootstrapped by the deployer: it grants every configured
 * account its roles, binds originator codes, then hands ADMIN (and DEFAULT_ADMIN_ROLE) of the registry and the
 * evidence log to the council's timelock and renounces its own: from then on no organisation holds ADMIN.
 * A later run finds roles missing from the configuration and asks for them through the council
 * ({@link advanceCouncil} with the deployer's key: a member's proposal or approval; with a 1-of-1 council
 * without delay, the dev stack's, they are granted at once). Safe to run on every start.
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

    const deployer = opts.deployerPrivateKey ? new Wallet(opts.deployerPrivateKey, provider) : await provider.getSigner(0);
    const council = opts.council ?? { members: [await deployer.getAddress()], threshold: 1, delaySeconds: 0 };
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
          councilMembers: council.members,
          councilThreshold: council.threshold,
          councilDelay: council.delaySeconds,
        },
      },
    });
    const addresses = {
      ClaimRegistry: await deployed.claimRegistry.getAddress(),
      EvidenceLog: await deployed.evidenceLog.getAddress(),
      Arbitrator: await deployed.arbitrator.getAddress(),
      CollectionClauses: await deployed.collectionClauses.getAddress(),
      Council: await deployed.council.getAddress(),
      Timelock: await Council__factory.connect(await deployed.council.getAddress(), provider).timelock(),
      ClaimMarket: await deployed.claimMarket.getAddress(),
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

    await grantConfiguredRoles(deployer, addresses, opts, log);
    return deployment;
  } finally {
    provider.destroy();
  }
}

type Addresses = { ClaimRegistry: string; EvidenceLog: string; Council: string; Timelock: string; ClaimMarket: string };

/**
 * The roles and originator codes the configuration asks for and the chain lacks: granted by the deployer
 * while it bootstraps (then handed over), asked of the council afterwards.
 */
async function grantConfiguredRoles(deployer: Signer, addresses: Addresses, opts: DeployOptions, log: (line: string) => void): Promise<void> {
  const registry = ClaimRegistry__factory.connect(addresses.ClaimRegistry, deployer);
  const evidenceLog = EvidenceLog__factory.connect(addresses.EvidenceLog, deployer);
  const wanted: Array<{ address: string; role: ChainRole }> = [];
  const codes: Array<{ code: string; address: string }> = [];
  for (const key of opts.apiKeys) {
    if (!key.privateKey) continue;
    const address = new Wallet(key.privateKey).address;
    for (const role of chainRolesOf(key)) wanted.push({ address, role });
    if (key.role === "bank" && key.originatorCode) codes.push({ code: key.originatorCode, address });
  }
  if (opts.servicePrivateKey) {
    const service = new Wallet(opts.servicePrivateKey).address;
    wanted.push({ address: service, role: "RECORDER" }, { address: service, role: "ORACLE" });
  }
  for (const address of opts.oracleAddresses ?? []) wanted.push({ address, role: "ORACLE" });
  // The market locks listed claims and moves them to the award's winner.
  wanted.push({ address: addresses.ClaimMarket, role: "MARKET" });
  for (const account of opts.accounts ?? []) {
    for (const role of account.roles) wanted.push({ address: account.address, role });
    if (account.originatorCode) codes.push({ code: account.originatorCode, address: account.address });
  }

  const calls: Array<CouncilCall & { what: string }> = [];
  const seen = new Set<string>();
  for (const { address, role } of wanted) {
    const k = `${role}|${address.toLowerCase()}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (!(await registry.hasRole(roleId(role), address))) {
      calls.push({ to: addresses.ClaimRegistry, data: registry.interface.encodeFunctionData("grantRole", [roleId(role), address]), what: `${role} to ${address}` });
    }
    // Evidence anchors are signed by recorders; EvidenceLog keeps its own roles.
    if (role === "RECORDER" && !(await evidenceLog.hasRole(roleId("RECORDER"), address))) {
      calls.push({ to: addresses.EvidenceLog, data: evidenceLog.interface.encodeFunctionData("grantRole", [roleId("RECORDER"), address]), what: `RECORDER on EvidenceLog to ${address}` });
    }
  }
  for (const { code: name, address } of codes) {
    const code = originatorCodeToBytes32(name);
    const bound = await registry.originatorOf(code);
    if (bound.toLowerCase() === address.toLowerCase()) continue;
    if (bound !== "0x0000000000000000000000000000000000000000") {
      throw new Error(`originator code ${name} is bound to ${bound}, not to the configured bank ${address}`);
    }
    calls.push({ to: addresses.ClaimRegistry, data: registry.interface.encodeFunctionData("bindOriginatorCode", [code, address]), what: `originator code ${name} to ${address}` });
  }

  const me = await deployer.getAddress();
  if (await registry.hasRole(roleId("ADMIN"), me)) {
    await sendAll(deployer, calls.map((c) => ({ ...c, what: `granted ${c.what}` })), log);
    await handOver(deployer, addresses, log);
    return;
  }
  if (calls.length === 0) return;
  const progress = await advanceCouncil(deployer, addresses.Council, calls);
  const what = calls.map((c) => c.what).join("; ");
  if (progress.state === "executed") log(`granted through the council (${progress.approvals} of ${progress.threshold}): ${what}`);
  else log(`asked the council for: ${what} — operation ${progress.id} ${progress.state}` +
    (progress.state === "scheduled" ? ` (runs from ${new Date(progress.readyAt! * 1000).toISOString()})` : ` (${progress.approvals} of ${progress.threshold} approvals)`));
}

/**
 * Sent one after another with consecutive nonces, then awaited together: on a chain that mines every few
 * seconds, waiting for each receipt before the next would cost a block per call.
 */
async function sendAll(deployer: Signer, calls: Array<CouncilCall & { what: string }>, log: (line: string) => void): Promise<void> {
  let nonce = await deployer.provider!.getTransactionCount(await deployer.getAddress(), "pending");
  const sent: Array<{ tx: { wait(): Promise<unknown> }; what: string }> = [];
  for (const c of calls) sent.push({ tx: await deployer.sendTransaction({ to: c.to, data: c.data, nonce: nonce++ }), what: c.what });
  for (const { tx, what } of sent) {
    await tx.wait();
    log(what);
  }
}

/** ADMIN and DEFAULT_ADMIN_ROLE of the registry (the role directory) and the evidence log go to the timelock; the deployer renounces its own. */
async function handOver(deployer: Signer, addresses: Addresses, log: (line: string) => void): Promise<void> {
  const me = await deployer.getAddress();
  const grants: Array<CouncilCall & { what: string }> = [];
  const renounces: Array<CouncilCall & { what: string }> = [];
  for (const target of [ClaimRegistry__factory.connect(addresses.ClaimRegistry, deployer), EvidenceLog__factory.connect(addresses.EvidenceLog, deployer)]) {
    const to = await target.getAddress();
    const defaultAdmin = await target.DEFAULT_ADMIN_ROLE();
    for (const role of [defaultAdmin, roleId("ADMIN")]) {
      if (!(await target.hasRole(role, addresses.Timelock))) grants.push({ to, data: target.interface.encodeFunctionData("grantRole", [role, addresses.Timelock]), what: "" });
      // Renounced only once the timelock holds both (the grants are mined first): ADMIN first, as it reads.
      if (await target.hasRole(role, me)) renounces.unshift({ to, data: target.interface.encodeFunctionData("renounceRole", [role, me]), what: "" });
    }
  }
  await sendAll(deployer, grants, () => undefined);
  await sendAll(deployer, renounces, () => undefined);
  log(`handed ADMIN to the council's timelock ${addresses.Timelock}; the deployer ${me} keeps no role`);
}
