import type { BlockRecord, Cursor } from "../store/repos/chain-index-rows.js";
import type { IndexedLog, Projection } from "./index-projection.js";
import type { Lookup, LookupValue } from "./index-lookups.js";
import type { IndexerProvider } from "./indexer.js";

const ZERO_HASH = `0x${"0".repeat(64)}`;

/** The chain changed under a read: resolve the reorg, then read again. */
export class ReorgDuringRead extends Error {}

/** The blocks from..to as read: their headers (all of them near the head; ends and log blocks when deep) and logs. */
export interface Chunk {
  from: number;
  to: number;
  deep: boolean;
  headers: Map<number, BlockRecord>;
  logs: IndexedLog[];
  /** The logs' lookups' results (src/chain/index-projection.ts), by key. */
  lookups: Map<string, LookupValue>;
}

/** Lookups in flight at once (ethers batches concurrent calls into one JSON-RPC batch of at most 100). */
const LOOKUPS_IN_FLIGHT = 8;

/** Reads block ranges for the indexer: bounded eth_getLogs and header requests, cross-checked against reorgs. */
/** An eth_getLogs the node did not answer in time (the indexer splits its range). */
export class GetLogsTimeout extends Error {}

export function createChunkReader(provider: IndexerProvider, projection: Projection, concurrency: number, getLogsTimeoutMs = 30_000) {
  /** eth_getLogs, given up after `getLogsTimeoutMs` (the request may still run at the node; its answer is dropped). */
  async function getLogs(from: number, to: number) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new GetLogsTimeout(`eth_getLogs ${from}..${to} gave no answer within ${getLogsTimeoutMs} ms`)), getLogsTimeoutMs);
    });
    try {
      return await Promise.race([provider.getLogs({ ...projection.filter, fromBlock: from, toBlock: to }), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function header(n: number): Promise<BlockRecord | null> {
    const b = await provider.getBlock(n);
    return b?.hash ? { number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp } : null;
  }

  /** Headers of `numbers`, `concurrency` requests at a time; a missing one means the chain moved. */
  async function headers(numbers: number[], into: Map<number, BlockRecord>): Promise<void> {
    const todo = numbers.filter((n) => !into.has(n));
    for (let i = 0; i < todo.length; i += concurrency) {
      const got = await Promise.all(todo.slice(i, i + concurrency).map(header));
      for (const h of got) {
        if (!h) throw new ReorgDuringRead("a block vanished during the read");
        into.set(h.number, h);
      }
    }
  }

  /**
   * Reads one chunk consistently: headers first (the range's last block among them), then the logs, then
   * each log's block header (its hash must equal the log's), then the logs' lookups, then — together — the cursor block and the
   * range's last block again: both unchanged means the logs and headers belong to the chain that extends
   * the cursor. Parent hashes are compared where the node reports them (Hardhat's `hardhat_mine` reports
   * zero parent hashes for the blocks it reserves), as an early warning only.
   */
  async function read(from: number, to: number, deep: boolean, cursor: Cursor | null): Promise<Chunk> {
    const hs = new Map<number, BlockRecord>();
    const numbers = deep ? [...new Set([from, to])] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
    await headers(numbers, hs);
    const follows = (child: BlockRecord, parentHash: string) => child.parentHash === ZERO_HASH || child.parentHash === parentHash;
    if (cursor && !follows(hs.get(from)!, cursor.hash)) throw new ReorgDuringRead(`block ${from} does not follow the cursor`);
    if (!deep) {
      for (let n = from + 1; n <= to; n++) if (!follows(hs.get(n)!, hs.get(n - 1)!.hash)) throw new ReorgDuringRead(`block ${n} does not follow ${n - 1}`);
    }
    const raw = await getLogs(from, to);
    const logs: IndexedLog[] = [];
    for (const l of raw) {
      if (l.removed) throw new ReorgDuringRead("the node returned a removed log");
      if (l.blockNumber < from || l.blockNumber > to || !projection.owns(l.address)) throw new Error(`eth_getLogs returned a log outside the request (block ${l.blockNumber}, ${l.address})`);
      logs.push(l); // read by field only: the provider's own objects, not copied again
    }
    logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    await headers([...new Set(logs.map((l) => l.blockNumber))], hs);
    for (const l of logs) if (hs.get(l.blockNumber)!.hash !== l.blockHash) throw new ReorgDuringRead(`a log of block ${l.blockNumber} is from another branch`);
    const looked = await lookups(logs);
    const [base, end] = await Promise.all([cursor ? header(cursor.number) : null, header(to)]);
    if (cursor && base?.hash !== cursor.hash) throw new ReorgDuringRead(`the cursor block ${cursor.number} changed during the read`);
    if (end?.hash !== hs.get(to)!.hash) throw new ReorgDuringRead(`block ${to} changed during the read`);
    return { from, to, deep, headers: hs, logs, lookups: looked };
  }

  /**
   * The chunk's lookups, at the node's latest state (what they read never changes once written, and a
   * node that prunes history still has it). A revert naming a reason means the registration or dispute the
   * log names is not on the node's chain any more: a reorg, resolved like any other. A revert without data
   * of a lookup with a fallback (a contract deployed before the call existed) makes its fallback reads.
   */
  async function lookups(logs: IndexedLog[]): Promise<Map<string, LookupValue>> {
    const out = new Map<string, LookupValue>();
    await run(projection.lookups(logs), out);
    return out;
  }

  async function run(todo: Lookup[], out: Map<string, LookupValue>): Promise<void> {
    for (let i = 0; i < todo.length; i += LOOKUPS_IN_FLIGHT) {
      await Promise.all(todo.slice(i, i + LOOKUPS_IN_FLIGHT).map(async (q) => {
        let raw: string;
        try {
          raw = await provider.call({ to: q.to, data: q.data });
        } catch (e) {
          if ((e as { code?: string }).code !== "CALL_EXCEPTION") throw e;
          const data = (e as { data?: string | null }).data;
          if (q.fallback && (data === undefined || data === null || data === "0x")) return run(q.fallback, out);
          throw new ReorgDuringRead(`${q.key} is not on the node's chain (${(e as Error).message.slice(0, 80)})`);
        }
        for (const [k, v] of q.decode(raw)) out.set(k, v);
      }));
    }
  }

  return { header, read };
}

export type ChunkReader = ReturnType<typeof createChunkReader>;
