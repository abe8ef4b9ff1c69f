import type { Deployment } from "./deployment.js";
import type { IndexedLog } from "./index-projection.js";
import type { ChainIndex, Cursor, RowTable, RowTables } from "../store/repos/chain-index.js";

/** The chain indexer's dependencies, options and listener types (src/chain/indexer.ts re-exports them). */

/** What the indexer needs of a JSON-RPC provider (ethers' JsonRpcProvider has it). */
export interface IndexerProvider {
  getBlockNumber(): Promise<number>;
  getBlock(blockNumber: number): Promise<{ number: number; hash: string | null; parentHash: string; timestamp: number } | null>;
  getLogs(filter: { address: string[]; topics: string[][]; fromBlock: number; toBlock: number }): Promise<ReadonlyArray<IndexedLog & { removed?: boolean }>>;
  /** eth_call at the latest block (a revert rejects with code CALL_EXCEPTION, as ethers does). */
  call(tx: { to: string; data: string }): Promise<string>;
}

export interface IndexerClock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: IndexerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  }),
};

export interface IndexerLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Optional hooks (Prometheus counters, tests). */
export interface IndexerMetrics {
  chunk?(c: { from: number; to: number; logs: number; deep: boolean; ms: number }): void;
  reorg?(r: { cursor: number; ancestor: number | null; undoneBlocks: number; reindex: boolean }): void;
  head?(h: { indexed: number; head: number }): void;
  /** The node answered a poll: its head, at the clock's time (what /healthz reports without asking again). */
  polled?(p: { head: number; at: number }): void;
  error?(e: unknown): void;
  /** The node refused an eth_getLogs range (or gave no answer in time): it is split and asked again. */
  refused?(r: { from: number; to: number; message: string }): void;
}

/** One committed batch of the index: the cursor it reached and the rows it wrote (null: deleted). */
export interface IndexCommit {
  cursor: Cursor;
  rows<T extends RowTable>(t: T): ReadonlyArray<[string, RowTables[T] | null]>;
}

/**
 * Follows the index's changes in this process (a read model kept in memory). `committed` is called
 * right after each batch is written, before waiters of its cursor are released; `reset` when rows
 * changed in a way the commits do not describe (a reorg rolled blocks back, the index was dropped, or
 * the indexer started over a store it has not checked yet): read the tables again.
 */
export interface IndexListener {
  committed(c: IndexCommit): void;
  reset(): void;
}

export interface IndexerDeps {
  provider: IndexerProvider;
  index: ChainIndex;
  deployment: Deployment;
  clock: IndexerClock;
  log: IndexerLog;
  metrics?: IndexerMetrics;
}

export interface IndexerOptions {
  /** Most blocks one eth_getLogs asks for (default 2,000). */
  maxBlockRange?: number;
  /** Logs one eth_getLogs should return about: the next range is sized from the last answer's density (default 2,000). */
  targetLogs?: number;
  /** The first range asked for (default 100 blocks); it grows from there while answers are sparse. */
  initialBlockRange?: number;
  /** An eth_getLogs unanswered after this long counts as refused: its range is split (default 30,000 ms). */
  getLogsTimeoutMs?: number;
  /** Accepted chunks in a row after which a range as wide as one the node refused is tried again (default 32). */
  rangeProbeAfter?: number;
  /** Blocks behind the head kept undoable (default 64); deeper reorgs re-index. */
  reorgDepth?: number;
  /** Blocks behind the head left unindexed (default 0: reorgs are undone instead). */
  confirmations?: number;
  /** Head polling interval (default 1,000 ms). */
  pollIntervalMs?: number;
  /** Row writes after which a chunk commits early, at a block boundary (default 10,000). */
  maxWritesPerBatch?: number;
  /** Header requests in flight (default 4). */
  concurrency?: number;
}
