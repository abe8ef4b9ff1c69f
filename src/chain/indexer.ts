import { UnavailableError, ValidationError } from "../core/errors.js";
import { createProjection } from "./index-projection.js";
import { createChunkReader, ReorgDuringRead, type Chunk } from "./index-reader.js";
import type { BlockRecord, Cursor, IndexMeta, IndexWriter } from "../store/repos/chain-index.js";
import type { IndexerDeps, IndexerOptions, IndexListener } from "./indexer-types.js";

export * from "./indexer-types.js";

/**
 * The chain indexer: follows the blocks and logs of this deployment's contracts (ClaimRegistry,
 * EvidenceLog, CollectionClauses, Arbitrator) into the chain index's LevelDB tables
 * (src/store/repos/chain-index.ts), so that reads never need a JSON-RPC call.
 *
 * - **Resumable.** The cursor (last indexed block number and hash) is written in the same atomic batch
 *   as the rows of the blocks it covers; a restart continues after it.
 * - **Reorg-safe by block hash.** Before each pass the stored hash of the cursor block is compared with
 *   the node's (a block hash commits to all its ancestors, so one equal hash proves the whole indexed
 *   history canonical). On a mismatch the stored hashes of the recent blocks are compared newest first
 *   until one matches (the common ancestor), every block above it is undone from per-block undo data, and
 *   indexing resumes from there. Undo data is kept for the last `reorgDepth` blocks; blocks deeper than
 *   that when first read are indexed without it, and a reorg below the undo data re-indexes from the
 *   deployment block. Within a read, headers, logs, the cursor block and the range's last block are
 *   cross-checked (src/chain/index-reader.ts), so a reorg during a read is retried, never half-applied.
 * - **Bounded requests.** eth_getLogs asks for at most `maxBlockRange` blocks, fewer when a response
 *   had more than `targetLogs` logs or the node refused the range (halved and retried); header requests
 *   run at most `concurrency` at a time; one chunk is processed and committed before the next is asked.
 * - **No chain assumptions.** Any chain id, automine or interval mining: the indexer only reads.
 */

export function createIndexer(deps: IndexerDeps, options: IndexerOptions = {}) {
  const { provider, index, clock, log, metrics = {} } = deps;
  const maxRange = Math.max(1, options.maxBlockRange ?? 2000);
  const targetLogs = Math.max(1, options.targetLogs ?? 2000);
  const reorgDepth = Math.max(1, options.reorgDepth ?? 64);
  const confirmations = Math.max(0, options.confirmations ?? 0);
  const pollMs = options.pollIntervalMs ?? 1000;
  const maxWrites = Math.max(1, options.maxWritesPerBatch ?? 10_000);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const c = deps.deployment.contracts;
  for (const name of ["ClaimRegistry", "EvidenceLog", "CollectionClauses", "Arbitrator"]) {
    if (!c[name]?.address) throw new ValidationError("DEPLOYMENT_FILE", `the deployment names no ${name}: redeploy`);
  }
  const contracts = { ClaimRegistry: c.ClaimRegistry, EvidenceLog: c.EvidenceLog!, CollectionClauses: c.CollectionClauses!, Arbitrator: c.Arbitrator!, ...(c.ClaimMarket ? { ClaimMarket: c.ClaimMarket } : {}) };
  const startBlock = Math.min(...Object.values(contracts).map((x) => x.blockNumber));
  const projection = createProjection({
    ClaimRegistry: contracts.ClaimRegistry.address, EvidenceLog: contracts.EvidenceLog.address,
    CollectionClauses: contracts.CollectionClauses.address, Arbitrator: contracts.Arbitrator.address,
    ...(c.ClaimMarket ? { ClaimMarket: c.ClaimMarket.address } : {}),
  });

  let range = maxRange;
  let current: Cursor | null = null;
  let prepared = false;
  let running: Promise<void> | null = null;
  let loop: Promise<void> | null = null;
  let stopper = new AbortController();
  let wake = new AbortController();
  interface Waiter {
    block: number;
    hash?: string;
    resolve: (c: Cursor) => void;
    reject: (e: unknown) => void;
  }
  const waiters = new Set<Waiter>();
  const listeners = new Set<IndexListener>();
  const tell = (f: (l: IndexListener) => void) => {
    for (const l of listeners) {
      try {
        f(l);
      } catch (e) {
        log.warn(`chain index: a listener failed: ${(e as Error).message}`);
      }
    }
  };

  const reader = createChunkReader(provider, projection, concurrency);
  const header = reader.header;

  /** Applies a chunk: commits at block boundaries when the batch grows, and always at its end. */
  async function apply(chunk: Chunk, meta: IndexMeta): Promise<IndexMeta> {
    let w = index.writer();
    let pendingFrom = chunk.from;
    const commit = async (upTo: number) => {
      const h = chunk.headers.get(upTo)!;
      const cursor: Cursor = { number: h.number, hash: h.hash, timestamp: h.timestamp };
      const records = chunk.deep
        ? [h]
        : Array.from({ length: upTo - pendingFrom + 1 }, (_, i) => chunk.headers.get(pendingFrom + i)!);
      let next: IndexMeta = { ...meta, cursor, undoFloor: chunk.deep ? upTo : meta.undoFloor };
      let pruneTo: number | undefined = chunk.deep ? upTo : undefined;
      if (!chunk.deep && upTo - reorgDepth > meta.undoFloor) {
        // Keep undo data and hashes of the last reorgDepth blocks: the floor moves to the lowest kept record.
        const edge = upTo - reorgDepth;
        const stored = await index.blockAtOrAbove(edge);
        const floor = Math.min(stored?.number ?? Infinity, ...records.filter((r) => r.number >= edge).map((r) => r.number));
        next = { ...next, undoFloor: floor };
        pruneTo = floor;
      }
      await index.commit(w, next, records, pruneTo);
      meta = next;
      pendingFrom = upTo + 1;
      const written = w;
      tell((l) => l.committed({ cursor, rows: (t) => written.written(t) }));
      publish(cursor);
      w = index.writer();
    };
    let i = 0;
    while (i < chunk.logs.length) {
      const n = chunk.logs[i]!.blockNumber;
      w.beginBlock(n, !chunk.deep);
      const { timestamp } = chunk.headers.get(n)!;
      for (; i < chunk.logs.length && chunk.logs[i]!.blockNumber === n; i++) await projection.apply(w, chunk.logs[i]!, timestamp, chunk.lookups);
      if (w.size >= maxWrites && n < chunk.to) await commit(n);
    }
    await commit(chunk.to);
    return meta;
  }

  /** Finds the newest stored block the node still has, undoes everything above it (or re-indexes). */
  async function recover(): Promise<void> {
    const meta = await index.meta();
    if (!meta.cursor) return;
    const candidates = await index.blocksDown(meta.cursor.number, meta.undoFloor);
    let ancestor: BlockRecord | null = null;
    for (let i = 0; i < candidates.length && !ancestor; i += concurrency) {
      const batch = candidates.slice(i, i + concurrency);
      const node = await Promise.all(batch.map((r) => header(r.number)));
      ancestor = batch.find((r, j) => node[j]?.hash === r.hash) ?? null;
    }
    if (ancestor?.number === meta.cursor.number) return;
    if (!ancestor || ancestor.number < meta.undoFloor) {
      log.warn(`chain index: block ${meta.cursor.number} is no longer canonical and no stored block within the undo data is: re-indexing from block ${startBlock}`);
      await index.wipe();
      current = null;
      tell((l) => l.reset());
      metrics.reorg?.({ cursor: meta.cursor.number, ancestor: null, undoneBlocks: 0, reindex: true });
      return;
    }
    const undone = await index.rollback(ancestor);
    tell((l) => l.reset());
    log.warn(`chain index: reorg below block ${meta.cursor.number}: rolled back to block ${ancestor.number} (${undone.blocks} blocks with writes, ${undone.keys} keys undone)`);
    current = { number: ancestor.number, hash: ancestor.hash, timestamp: ancestor.timestamp };
    metrics.reorg?.({ cursor: meta.cursor.number, ancestor: ancestor.number, undoneBlocks: undone.blocks, reindex: false });
  }

  /** Whether the index reached the waiter's block (and, if it named one, that block's hash). */
  async function reached(w: Waiter, cursor: Cursor | null): Promise<boolean> {
    if (!cursor || cursor.number < w.block) return false;
    if (!w.hash || cursor.number === w.block) return !w.hash || cursor.hash === w.hash;
    // Below the head of the index: its stored hash, or none for a block that was final when read.
    const record = await index.blockRecord(w.block);
    return !record || record.hash === w.hash;
  }

  function publish(cursor: Cursor): void {
    current = cursor;
    for (const w of waiters) {
      void reached(w, cursor).then((ok) => {
        if (ok && waiters.delete(w)) w.resolve(cursor);
      }, () => undefined);
    }
  }

  /** One pass: resolve a reorg, then index chunk by chunk up to the head (minus confirmations). */
  async function pass(): Promise<void> {
    if (!prepared) {
      await index.ensureFresh();
      prepared = true;
      tell((l) => l.reset());
    }
    let head = await provider.getBlockNumber();
    metrics.polled?.({ head, at: clock.now() });
    let target = head - confirmations;
    let meta = await index.meta();
    if (meta.cursor && (await header(meta.cursor.number))?.hash !== meta.cursor.hash) {
      await recover();
      meta = await index.meta();
    }
    current = meta.cursor;
    const behind = target - (meta.cursor?.number ?? startBlock - 1);
    if (behind > maxRange) log.info(`chain index: ${behind} blocks to index, up to block ${target}`);
    let reorgsInARow = 0;
    // The widest range the node accepted in this pass after refusing a wider one.
    let ceiling = maxRange;
    while (!stopper.signal.aborted) {
      const from = meta.cursor ? meta.cursor.number + 1 : startBlock;
      if (from > target) break;
      const finalEdge = head - reorgDepth;
      const deep = from <= finalEdge;
      const to = Math.min(target, from + range - 1, deep ? finalEdge : Infinity);
      const started = clock.now();
      let chunk: Chunk;
      try {
        chunk = await reader.read(from, to, deep, meta.cursor);
      } catch (e) {
        if (e instanceof ReorgDuringRead) {
          if (++reorgsInARow > 5) throw new UnavailableError(`the chain keeps changing under the indexer: ${e.message}`);
          log.warn(`chain index: ${e.message}; checking for a reorg`);
          await recover();
          meta = await index.meta();
          // The new branch may be shorter (a revert on a dev node): aim at its head, not the old one.
          head = await provider.getBlockNumber();
          target = head - confirmations;
          continue;
        }
        if (to > from) {
          // The node refused the range (too many blocks or results) or failed: ask for half.
          range = Math.max(1, Math.floor((to - from + 1) / 2));
          ceiling = Math.min(ceiling, range);
          log.warn(`chain index: eth_getLogs ${from}..${to} failed (${(e as Error).message}); range now ${range} blocks`);
          continue;
        }
        throw e;
      }
      reorgsInARow = 0;
      meta = await apply(chunk, meta);
      if (chunk.logs.length > targetLogs) range = Math.max(1, Math.floor((to - from + 1) / 2));
      else if (chunk.logs.length < targetLogs / 4) range = Math.min(ceiling, range * 2);
      metrics.chunk?.({ from, to, logs: chunk.logs.length, deep, ms: clock.now() - started });
      metrics.head?.({ indexed: to, head });
      await new Promise((r) => setImmediate(r));
    }
  }

  function sync(): Promise<void> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  async function follow(): Promise<void> {
    let backoff = pollMs;
    while (!stopper.signal.aborted) {
      try {
        await sync();
        backoff = pollMs;
      } catch (e) {
        if (stopper.signal.aborted) break;
        metrics.error?.(e);
        log.warn(`chain index: ${(e as Error).message}; retrying in ${backoff} ms`);
        backoff = Math.min(backoff * 2, 30_000);
      }
      if (stopper.signal.aborted) break;
      await clock.sleep(backoff, AbortSignal.any([stopper.signal, wake.signal]));
      if (wake.signal.aborted) wake = new AbortController();
    }
  }

  return {
    /** The first block the index covers. */
    startBlock,

    /** Adds a listener of this indexer's commits and resets (see {@link IndexListener}); returns its removal. */
    subscribe(listener: IndexListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Follows the chain until {@link stop}: a pass per poll interval (or sooner when {@link waitFor} asks). */
    start(): void {
      if (loop) return;
      stopper = new AbortController();
      loop = follow();
    },

    /** Stops following (after the current chunk); pending {@link waitFor} calls are rejected. */
    async stop(): Promise<void> {
      stopper.abort();
      await loop;
      await running?.catch(() => undefined);
      loop = null;
      for (const w of waiters) w.reject(new UnavailableError("the chain indexer stopped"));
      waiters.clear();
    },

    /** One pass to the current head; resolves with the cursor reached. */
    async sync(): Promise<Cursor | null> {
      await sync();
      return index.cursor();
    },

    /** The last block indexed by this process (null before the first). */
    cursor: (): Cursor | null => current,

    /**
     * Resolves once the index reached `blockNumber` (e.g. the block of a write's receipt), so a read
     * after it reflects the write. With `blockHash` (the receipt's), only once that very block is indexed:
     * an index still on an orphaned branch of the same height does not count. Needs {@link start}.
     * Rejects after `timeoutMs` (default 30 s) or on stop.
     */
    async waitFor(blockNumber: number, opts: { blockHash?: string; timeoutMs?: number } = {}): Promise<Cursor> {
      const known = current ?? (await index.cursor());
      if (known && (await reached({ block: blockNumber, hash: opts.blockHash, resolve: () => {}, reject: () => {} }, known))) return known;
      if (!loop) throw new UnavailableError("the chain indexer is not running");
      const timeoutMs = opts.timeoutMs ?? 30_000;
      return new Promise<Cursor>((resolve, reject) => {
        const timeout = new AbortController();
        const entry: Waiter = {
          block: blockNumber,
          hash: opts.blockHash,
          resolve: (c: Cursor) => { timeout.abort(); resolve(c); },
          reject: (e: unknown) => { timeout.abort(); reject(e); },
        };
        waiters.add(entry);
        wake.abort();
        void clock.sleep(timeoutMs, timeout.signal).then(() => {
          if (!waiters.delete(entry)) return;
          reject(new UnavailableError(`the chain index did not reach block ${blockNumber} within ${timeoutMs} ms (at ${current?.number ?? "none"})`));
        });
      });
    },
  };
}

export type Indexer = ReturnType<typeof createIndexer>;
export type { IndexWriter };
