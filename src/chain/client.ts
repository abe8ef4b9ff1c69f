import { Interface, Wallet, type JsonRpcProvider } from "ethers";
import {
  Arbitrator__factory, ClaimMarket__factory, ClaimRegistry__factory, CollectionClauses__factory, EvidenceLog__factory,
  type Arbitrator, type ClaimMarket, type ClaimRegistry, type CollectionClauses, type EvidenceLog,
} from "../../types/ethers-contracts/index.js";
import { connectProvider } from "./provider.js";
import { deploymentKey, readDeployment, type Deployment } from "./deployment.js";
import { TxOutbox } from "./outbox.js";
import { openOutbox } from "../store/repos/outbox.js";
import type { Store } from "../store/db.js";
import { ValidationError } from "../core/errors.js";

/** Everything the service needs of the chain: provider, deployment, typed contracts, the outbox. */
export interface Chain {
  provider: JsonRpcProvider;
  deployment: Deployment;
  /** Store namespace of this deployment. */
  key: string;
  registry: ClaimRegistry;
  evidenceLog: EvidenceLog;
  clauses: CollectionClauses;
  arbitrator: Arbitrator;
  /** The claim market (issue 19); null for a deployment that predates it. */
  market: ClaimMarket | null;
  /** Every contract's errors, to decode reverts. */
  errors: Interface;
  outbox: TxOutbox;
  wallet(privateKey: string): Wallet;
  close(): void;
}

/** Reads the deployment and checks that the node really runs it (chain id, genesis hash, contract code). */
export async function loadVerifiedDeployment(rpcUrl: string, deploymentFile: string): Promise<{ provider: JsonRpcProvider; deployment: Deployment }> {
  const deployment = await readDeployment(deploymentFile);
  if (!deployment) {
    throw new ValidationError("DEPLOYMENT_FILE", `no deployment at ${deploymentFile}: run \`npm start\` (or \`debtrail deploy\`) first`);
  }
  const provider = await connectProvider(rpcUrl);
  const chainId = (await provider.getNetwork()).chainId.toString();
  const genesis = await provider.getBlock(0);
  const codes = await Promise.all(Object.values(deployment.contracts).map((c) => provider.getCode(c.address)));
  if (chainId !== deployment.chainId || genesis?.hash !== deployment.genesisHash || codes.includes("0x")
    || !["EvidenceLog", "Arbitrator", "CollectionClauses"].every((name) => deployment.contracts[name])) {
    provider.destroy();
    throw new ValidationError(
      "DEPLOYMENT_FILE",
      `${deploymentFile} describes chain ${deployment.chainId} (genesis ${deployment.genesisHash.slice(0, 10)}…), ` +
        `but ${rpcUrl} runs chain ${chainId} (genesis ${genesis?.hash?.slice(0, 10)}…) or lacks the contracts: redeploy`,
    );
  }
  return { provider, deployment };
}

export function openChain(provider: JsonRpcProvider, deployment: Deployment, store: Store, confirmations: number): Chain {
  const registry = ClaimRegistry__factory.connect(deployment.contracts.ClaimRegistry.address, provider);
  const evidenceLog = EvidenceLog__factory.connect(deployment.contracts.EvidenceLog.address, provider);
  // Errors of every contract, deduplicated by signature (AccessControl's appear in each).
  const errorFragments = new Map<string, unknown>();
  const clauses = CollectionClauses__factory.connect(deployment.contracts.CollectionClauses.address, provider);
  const arbitrator = Arbitrator__factory.connect(deployment.contracts.Arbitrator.address, provider);
  const market = deployment.contracts.ClaimMarket ? ClaimMarket__factory.connect(deployment.contracts.ClaimMarket.address, provider) : null;
  for (const f of [...ClaimRegistry__factory.abi, ...EvidenceLog__factory.abi, ...CollectionClauses__factory.abi, ...Arbitrator__factory.abi, ...ClaimMarket__factory.abi]) {
    if (f.type === "error") errorFragments.set(`${f.name}(${f.inputs.map((i) => i.type).join(",")})`, f);
  }
  const errors = new Interface([...errorFragments.values()] as never);
  const outbox = new TxOutbox(provider, openOutbox(store), errors, { confirmations, lock: (name, fn) => store.exclusive(name, fn) });
  const wallets = new Map<string, Wallet>();
  return {
    provider,
    deployment,
    key: deploymentKey(deployment),
    registry,
    evidenceLog,
    clauses,
    arbitrator,
    market,
    errors,
    outbox,
    wallet(privateKey) {
      let w = wallets.get(privateKey);
      if (!w) wallets.set(privateKey, (w = new Wallet(privateKey, provider)));
      return w;
    },
    close: () => provider.destroy(),
  };
}
