import { getAddress, toQuantity, type JsonRpcProvider } from "ethers";
import type { IndexerProvider } from "./indexer-types.js";
import type { IndexedLog } from "./index-projection.js";

/** A log as eth_getLogs answers it (quantities in hex). */
interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
}

/**
 * The indexer's view of a JSON-RPC node. Logs come from `eth_getLogs` as the node answers them, taken field
 * by field: ethers' `getLogs` builds a frozen Log per entry and checksums its address (a keccak per log) —
 * at an import's 2,000-log ranges that was 6% of the API's busiest stretches, and garbage on a heap that holds
 * the console's million-row model. Addresses come out as ethers gives them (checksummed, one keccak per
 * contract, kept); blocks and eth_call go through ethers as before.
 */
export function indexerProviderOf(provider: JsonRpcProvider): IndexerProvider {
  const checksummed = new Map<string, string>();
  const addressOf = (raw: string): string => {
    let a = checksummed.get(raw);
    if (a === undefined) checksummed.set(raw, (a = getAddress(raw)));
    return a;
  };
  return {
    getBlockNumber: () => provider.getBlockNumber(),
    getBlock: (n) => provider.getBlock(n),
    // The calldata as it is: ethers' call checks and re-encodes it byte by byte (a registeredTermsOf of 500 claims is 16 kB).
    // A revert still rejects with CALL_EXCEPTION: ethers maps an eth_call's error the same way through send.
    call: async (tx) => String(await provider.send("eth_call", [{ to: tx.to, data: tx.data }, "latest"])),
    async getLogs(filter) {
      const raw = (await provider.send("eth_getLogs", [
        { address: filter.address, topics: filter.topics, fromBlock: toQuantity(filter.fromBlock), toBlock: toQuantity(filter.toBlock) },
      ])) as RpcLog[] | null;
      if (!Array.isArray(raw)) throw new Error(`eth_getLogs ${filter.fromBlock}..${filter.toBlock}: the node answered no list`);
      const logs = new Array<IndexedLog & { removed?: boolean }>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const l = raw[i]!;
        logs[i] = {
          address: addressOf(l.address),
          topics: l.topics,
          data: l.data,
          blockNumber: Number(l.blockNumber),
          blockHash: l.blockHash,
          transactionHash: l.transactionHash,
          index: Number(l.logIndex),
          removed: l.removed === true,
        };
      }
      return logs;
    },
  };
}
