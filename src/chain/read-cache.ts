import type { JsonRpcProvider } from "ethers";

/** The block a read is made at. */
export interface Head {
  number: number;
  hash: string;
}

/**
 * Chain reads cached per block. A read route asks the node for its head (one cheap call; concurrent
 * requests share ethers' JSON-RPC batch) and makes its reads at that block number, answered from the
 * cache when the same read was made at the same block hash. A new block misses; so does a reorganised
 * one (same number, another hash). Nothing is ever older than the head the request saw.
 */
export interface ReadCache {
  /** The node's latest block. */
  head(): Promise<Head>;
  /**
   * `read(blockNumber)` once per key and block; concurrent callers share one call. A failed read is not
   * kept.
   */
  at<T>(head: Head, key: string, read: (blockTag: number) => Promise<T>): Promise<T>;
  /** Entries held (for tests and metrics). */
  readonly size: number;
}

export function createReadCache(provider: JsonRpcProvider, maxEntries = 20_000): ReadCache {
  // Map order is insertion order: the first key is the oldest, dropped when full.
  const entries = new Map<string, Promise<unknown>>();
  return {
    async head() {
      const block = (await provider.send("eth_getBlockByNumber", ["latest", false])) as { number: string; hash: string };
      return { number: Number(block.number), hash: block.hash };
    },
    at<T>(head: Head, key: string, read: (blockTag: number) => Promise<T>): Promise<T> {
      const k = `${head.hash}:${key}`;
      let hit = entries.get(k) as Promise<T> | undefined;
      if (!hit) {
        hit = read(head.number);
        entries.set(k, hit);
        hit.catch(() => entries.delete(k));
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      }
      return hit;
    },
    get size() {
      return entries.size;
    },
  };
}
