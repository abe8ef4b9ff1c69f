import type { Interface, TransactionReceipt } from "ethers";
import { NotFoundError } from "../../core/errors.js";

/** What the decoder needs of the chain: receipts and block times, and the deployment's contracts. */
export interface TxChain {
  provider: {
    getTransactionReceipt(hash: string): Promise<TransactionReceipt | null>;
    getBlock(blockHash: string): Promise<{ timestamp: number } | null>;
  };
  chainId: string;
  contracts: ReadonlyArray<{ name: string; address: string; iface: Interface }>;
}

/** Event arguments as JSON: bigints as decimal strings, nested results as arrays. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/**
 * GET /v1/tx/:txHash: a transaction of this deployment, its status and its events decoded with the
 * contracts' ABIs. A chain read (a receipt is not in the index), made when someone opens a transaction.
 */
export function createTxDecoder(chain: TxChain) {
  const contracts = chain.contracts.map((c) => ({ ...c, address: c.address.toLowerCase() }));
  // By block hash: a reorganised block of the same height has its own time.
  const blockTimes = new Map<string, number>();

  async function blockTime(hash: string): Promise<number> {
    let t = blockTimes.get(hash);
    if (t === undefined) {
      t = (await chain.provider.getBlock(hash))?.timestamp ?? 0;
      if (blockTimes.size > 10_000) blockTimes.clear();
      blockTimes.set(hash, t);
    }
    return t;
  }

  return async function tx(txHash: string) {
    const receipt = await chain.provider.getTransactionReceipt(txHash);
    if (!receipt) throw new NotFoundError("transaction", txHash);
    const target = contracts.find((c) => c.address === (receipt.to ?? "").toLowerCase());
    const events = [];
    for (const log of receipt.logs) {
      const c = contracts.find((x) => x.address === log.address.toLowerCase());
      const parsed = c?.iface.parseLog({ topics: [...log.topics], data: log.data });
      if (!c || !parsed) {
        events.push({ contract: c?.name ?? log.address, name: null, args: {} });
        continue;
      }
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach((input, i) => {
        args[input.name || String(i)] = plain(parsed.args[i]);
      });
      events.push({ contract: c.name, name: parsed.name, args });
    }
    return {
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      timestamp: new Date((await blockTime(receipt.blockHash)) * 1000).toISOString(),
      from: receipt.from,
      to: receipt.to,
      contract: target?.name ?? null,
      status: receipt.status === 1 ? ("success" as const) : ("reverted" as const),
      gasUsed: receipt.gasUsed.toString(),
      chainId: chain.chainId,
      events,
    };
  };
}
