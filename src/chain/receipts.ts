import { getAddress, type JsonRpcProvider } from "ethers";

/** A log of a mined transaction (address checksummed; quantities as numbers). */
export interface ReceiptLog {
  address: string;
  topics: readonly string[];
  data: string;
  index: number;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
}

/** What the outbox and the writes after it read of a mined transaction. */
export interface MinedReceipt {
  hash: string;
  blockNumber: number;
  blockHash: string;
  /** 1 succeeded, 0 reverted. */
  status: number;
  gasUsed: bigint;
  logs: readonly ReceiptLog[];
}

/** A receipt as eth_getTransactionReceipt answers it (quantities in hex). */
interface RpcReceipt {
  transactionHash: string;
  blockNumber: string | null;
  blockHash: string | null;
  status?: string | null;
  gasUsed: string;
  logs: Array<{ address: string; topics: string[]; data: string; logIndex: string; blockNumber: string; blockHash: string; transactionHash: string }>;
}

// Contracts' addresses in their checksummed form, one keccak per contract (bounded: a receipt may name any contract).
const checksummed = new Map<string, string>();
function addressOf(raw: string): string {
  let a = checksummed.get(raw);
  if (a === undefined) {
    if (checksummed.size >= 1_024) checksummed.clear();
    checksummed.set(raw, (a = getAddress(raw)));
  }
  return a;
}

/**
 * A transaction's receipt, or null while it is not mined — taken field by field from the node's answer.
 * ethers' `getTransactionReceipt` builds a frozen Log per entry and checksums each one's address (a keccak per
 * log): a 1,000-claim registration's receipt held the API's event loop for over a second during an import.
 */
export async function fetchReceipt(provider: Pick<JsonRpcProvider, "send">, hash: string): Promise<MinedReceipt | null> {
  const raw = (await provider.send("eth_getTransactionReceipt", [hash])) as RpcReceipt | null;
  if (raw === null || raw.blockNumber === null || raw.blockHash === null) return null;
  const blockNumber = Number(raw.blockNumber);
  const logs = new Array<ReceiptLog>(raw.logs.length);
  for (let i = 0; i < raw.logs.length; i++) {
    const l = raw.logs[i]!;
    logs[i] = { address: addressOf(l.address), topics: l.topics, data: l.data, index: Number(l.logIndex), blockNumber, blockHash: raw.blockHash, transactionHash: raw.transactionHash };
  }
  return { hash: raw.transactionHash, blockNumber, blockHash: raw.blockHash, status: Number(raw.status ?? 0), gasUsed: BigInt(raw.gasUsed), logs };
}
