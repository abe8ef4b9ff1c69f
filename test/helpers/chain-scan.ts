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
 * topics and data, and every storage slot any transaction wrote, with every value it was ever given (the
 * prestateTracer's diff of each transaction: only what changed, where a step-by-step trace of a batch of
 * thousands of claims ran to millions of steps). Transactions are traced a few at a time.
 * Every 32-byte word of these is covered: a needle is looked up at every byte offset of every piece.
 *
 * @param fromBlock first block to scan (a later scan of only what was added since)
 */
export async function scanChain(url: string, concurrency = 8, fromBlock = 0): Promise<{ text: string; transactions: number; slots: number; head: number }> {
  const provider = new JsonRpcProvider(url, undefined, { cacheTimeout: -1 });
  try {
    const haystack: string[] = [];
    const slots = new Set<string>();
    const head = await provider.getBlockNumber();
    const hashes: string[] = [];
    for (let n = fromBlock; n <= head; n++) {
      const block = await provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) {
        hashes.push(tx.hash);
        haystack.push(tx.data.slice(2).toLowerCase());
      }
    }
    type Diff = { post?: Record<string, { storage?: Record<string, string> }> };
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < hashes.length) {
        const hash = hashes[next++];
        const [receipt, diff] = await Promise.all([
          provider.getTransactionReceipt(hash),
          provider.send("debug_traceTransaction", [hash, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }]) as Promise<Diff>,
        ]);
        for (const log of receipt!.logs) haystack.push(...log.topics.map((t) => t.slice(2)), log.data.slice(2));
        for (const [address, account] of Object.entries(diff.post ?? {})) {
          for (const [key, value] of Object.entries(account.storage ?? {})) {
            slots.add(`${address.toLowerCase()}:${key}`);
            haystack.push(key.replace(/^0x/, ""), value.replace(/^0x/, ""));
          }
        }
      }
    }));
    return { text: haystack.join("|").toLowerCase(), transactions: hashes.length, slots: slots.size, head };
  } finally {
    provider.destroy();
  }
}

/** Needles are looked up by their first bytes: the shortest needle (a two-character name) is 6 bytes. */
const PREFIX_HEX = 12;

/**
 * Which of `values` (or their unsalted hashes) occur in the scanned chain text, at byte boundaries of
 * any of its pieces. Indexed by prefix: one pass over the text whatever the number of values (testing
 * each needle with `includes` was needles × text, hours after a soak of thousands of debtors).
 */
export function findPersonalData(chainText: string, values: string[]): string[] {
  const all = values.flatMap((v) => needles(v));
  const byPrefix = new Map<string, Array<{ what: string; hex: string }>>();
  const short: Array<{ what: string; hex: string }> = [];
  for (const nd of all) {
    if (nd.hex.length < PREFIX_HEX) {
      short.push(nd);
      continue;
    }
    const prefix = nd.hex.slice(0, PREFIX_HEX);
    const list = byPrefix.get(prefix);
    if (list) list.push(nd);
    else byPrefix.set(prefix, [nd]);
  }
  const found = new Set<string>();
  for (const piece of chainText.split("|")) {
    for (let i = 0; i + PREFIX_HEX <= piece.length; i += 2) {
      const candidates = byPrefix.get(piece.slice(i, i + PREFIX_HEX));
      if (!candidates) continue;
      for (const nd of candidates) if (piece.startsWith(nd.hex, i)) found.add(nd.what);
    }
    for (const nd of short) {
      for (let at = piece.indexOf(nd.hex); at >= 0; at = piece.indexOf(nd.hex, at + 1)) {
        if (at % 2 === 0) {
          found.add(nd.what);
          break;
        }
      }
    }
  }
  return [...found];
}
