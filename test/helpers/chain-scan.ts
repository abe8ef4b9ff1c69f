import { createHash } from "node:crypto";
import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";

/** Spellings of a value a careless system might store: as given, without separators, with and without +86. */
export function spellings(value: string): string[] {
  const compact = value.replace(/[\s-]/g, "");
  return [...new Set([value, compact, compact.replace(/^\+86/, ""), `+86${compact.replace(/^\+86/, "")}`, value.toLowerCase()])];
}

/** Hex needles (no 0x, lower case): the bytes themselves and their unsalted keccak256 / sha256. */
export function needles(value: string): Array<{ what: string; hex: string }> {
  return spellings(value).flatMap((s) => [
    { what: `"${s}" as UTF-8`, hex: Buffer.from(s, "utf8").toString("hex") },
    { what: `keccak256("${s}")`, hex: keccak256(toUtf8Bytes(s)).slice(2) },
    { what: `sha256("${s}")`, hex: createHash("sha256").update(s, "utf8").digest("hex") },
  ]);
}

/**
 * Everything the chain holds, as lower-case hex joined by "|": every transaction's input, every log's
 * topics and data, and every storage slot any transaction wrote (keys and current values, found with
 * debug_traceTransaction).
 */
export async function scanChain(url: string): Promise<{ text: string; transactions: number; slots: number }> {
  const provider = new JsonRpcProvider(url, undefined, { cacheTimeout: -1 });
  try {
    const haystack: string[] = [];
    const slots = new Map<string, Set<string>>();
    const head = await provider.getBlockNumber();
    let transactions = 0;
    for (let n = 0; n <= head; n++) {
      const block = await provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) {
        transactions++;
        haystack.push(tx.data.slice(2).toLowerCase());
        const receipt = await provider.getTransactionReceipt(tx.hash);
        for (const log of receipt!.logs) haystack.push(...log.topics.map((t) => t.slice(2)), log.data.slice(2));
        const trace = await provider.send("debug_traceTransaction", [tx.hash, { disableStorage: false, disableMemory: true, disableStack: true }]);
        const address = (receipt!.to ?? receipt!.contractAddress)!.toLowerCase();
        for (const step of trace.structLogs ?? []) {
          if (!step.storage) continue;
          if (!slots.has(address)) slots.set(address, new Set());
          for (const key of Object.keys(step.storage)) slots.get(address)!.add(key);
        }
      }
    }
    let slotCount = 0;
    for (const [address, keys] of slots) {
      for (const key of keys) {
        slotCount++;
        haystack.push(key.replace(/^0x/, ""), (await provider.getStorage(address, `0x${key.replace(/^0x/, "")}`)).slice(2));
      }
    }
    return { text: haystack.join("|").toLowerCase(), transactions, slots: slotCount };
  } finally {
    provider.destroy();
  }
}

/** Which of `values` (or their unsalted hashes) occur in the scanned chain text. */
export function findPersonalData(chainText: string, values: string[]): string[] {
  return values.flatMap((v) => needles(v).filter((nd) => chainText.includes(nd.hex)).map((nd) => nd.what));
}
