import { readFile, writeFile, mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";

/** A contract instance of a deployment, with the block it was deployed in (where event reads start). */
export interface DeployedContract {
  address: string;
  blockNumber: number;
}

/** What identifies a deployment: the chain (id + genesis hash) and the contracts on it. */
export interface Deployment {
  chainId: string;
  genesisHash: string;
  deploymentId: string;
  contracts: { ClaimRegistry: DeployedContract } & Record<string, DeployedContract>;
}

/**
 * The key the off-chain store is namespaced by. The local node forgets its state on restart; a new
 * genesis hash or new contract addresses give a new key, so old off-chain records never mix with a new chain.
 */
export function deploymentKey(d: Deployment): string {
  return `${d.chainId}-${d.genesisHash.slice(2, 18)}-${d.contracts.ClaimRegistry.address.slice(2, 14).toLowerCase()}`;
}

export async function readDeployment(file: string): Promise<Deployment | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Deployment;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves half a deployment file. */
export async function writeDeployment(file: string, d: Deployment): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(d, null, 2) + "\n");
  await rename(`${file}.tmp`, file);
}
