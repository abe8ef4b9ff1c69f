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
 * - **Bounded requests.** eth_getLogs asks for at most `maxBlockRange` blocks, starting at
 *   `initialBlockRange` (a first index of a dense chain must not open with one enormous request). The
 *   range follows the logs: scaled down to about `targetLogs` after a denser answer, doubled after a
 *   sparse one. A range the node refuses — an error ("query returned more than 10000 results", "block
 *   range too large", a response too large for it or for the transport) or no answer within
 *   `getLogsTimeoutMs` — is split in two (or to the range the node's message suggests) and retried;
 *   the indexer then stays below the refused width until `rangeProbeAfter` chunks in a row were
 *   accepted, and then tries wider again (a node's limit may be its load, not a rule). Header requests
 *   run at most `concurrency` at a time; one chunk is processed and committed before the next is asked
 *   (back-pressure: nothing is read ahead of what the store took).
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

  const getLogsTimeoutMs = Math.max(1, options.getLogsTimeoutMs ?? 30_000);
  let range = Math.min(maxRange, Math.max(1, options.initialBlockRange ?? 100));
  // The narrowest range the node refused lately (Infinity: none), and the accepted chunks since.
  let refusedWidth = Infinity;
  // The widest range accepted since the last refusal: a refused range falls back to it, not below.
  let acceptedWidth = 0;
  let acceptedSinceRefusal = 0;
  const probeAfter = Math.max(1, options.rangeProbeAfter ?? RANGE_PROBE_AFTER);
  // Accepted chunks between two tries of a wider range: doubled after each refused try (a node's fixed limit).
  let probeEvery = probeAfter;
  // While a wider range is being tried: the width refused before (restored if the try is refused too).
  let probingFrom: number | null = null;
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

  const reader = createChunkReader(provider, projection, concurrency, getLogsTimeoutMs);
  const header = reader.header;

  /** Applies a chunk: commits at block boundaries when the batch grows, and always at its end. */
  async function apply(chunk: Chunk, meta: IndexMeta): Promise<IndexMeta> {
    // The rows the chunk's events read, read at once (the sessions of the chunk share them; see KnownRows).
    const known = index.knownRows();
    await known.readAhead(projection.reads(chunk.logs, { undo: !chunk.deep }));
    let w = index.writer(known);
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
      known.absorb(written);
      tell((l) => l.committed({ cursor, rows: (t) => written.written(t) }));
      publish(cursor);
      w = index.writer(known);
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
          // The node refused the range (too many blocks or results, too large an answer) or gave no answer in time: split it.
          const width = to - from + 1;
          if (probingFrom !== null) {
            // The wider try was refused: back to what was known, and try again less often.
            refusedWidth = Math.min(width, probingFrom);
            probingFrom = null;
            probeEvery = Math.min(probeEvery * 2, 4_096);
          } else {
            refusedWidth = Math.min(refusedWidth, width);
          }
          acceptedSinceRefusal = 0;
          // A width accepted before and refused now: the node's limit dropped (its load), so what it took is no guide.
          if (width <= acceptedWidth) acceptedWidth = 0;
          const suggested = suggestedRange(e);
          range = suggested !== null && suggested < width
            ? suggested
            : Math.max(1, Math.floor(width / 2), Math.min(acceptedWidth, width - 1));
          metrics.refused?.({ from, to, message: (e as Error).message });
          log.warn(`chain index: eth_getLogs ${from}..${to} failed (${((e as Error).message ?? String(e)).slice(0, 200)}); range now ${range} blocks`);
          continue;
        }
        throw e;
      }
      reorgsInARow = 0;
      meta = await apply(chunk, meta);
      range = nextRange(to - from + 1, chunk.logs.length);
      metrics.chunk?.({ from, to, logs: chunk.logs.length, deep, ms: clock.now() - started });
      metrics.head?.({ indexed: to, head });
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * The next range after `width` blocks gave `logs` logs: about `targetLogs` logs' worth (never more than
   * twice as wide); below a width the node refused, halfway between the widest accepted and it (a binary
   * search for the node's limit). A wider range is tried again after `rangeProbeAfter` accepted chunks in a
   * row (then, while such tries are refused, twice as rarely each time).
   */
  function nextRange(width: number, logs: number): number {
    acceptedWidth = Math.max(acceptedWidth, width);
    if (probingFrom !== null && width >= probingFrom) {
      // The wider try was accepted: the limit is gone (it was the node's load).
      probingFrom = null;
      probeEvery = probeAfter;
    }
    if (refusedWidth !== Infinity && ++acceptedSinceRefusal >= probeEvery) {
      probingFrom = refusedWidth;
      refusedWidth = Infinity;
      acceptedSinceRefusal = 0;
    }
    let next = range;
    if (logs > targetLogs) next = Math.floor((width * targetLogs) / logs);
    else if (logs <= targetLogs / 2) next = Math.max(range, Math.min(width * 2, logs > 0 ? Math.floor((width * targetLogs) / logs) : Infinity));
    if (refusedWidth !== Infinity) next = Math.min(next, Math.max(width, Math.floor((width + refusedWidth) / 2)), refusedWidth - 1);
    return Math.max(1, Math.min(next, maxRange));
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

/** Accepted chunks in a row after which the indexer tries a range as wide as one the node refused (default of `rangeProbeAfter`). */
export const RANGE_PROBE_AFTER = 32;

/**
 * The block range a node's refusal suggests, if it names one: Infura and others answer "query returned more
 * than 10000 results. Try with this block range [0x1a2b, 0x1a9f]"; Alchemy "… up to a 2K block range …"
 * or "this block range should work: [0x…, 0x…]".
 */
export function suggestedRange(e: unknown): number | null {
  const err = e as { message?: string; error?: { message?: string }; info?: { error?: { message?: string } } };
  const text = [err?.message, err?.error?.message, err?.info?.error?.message].filter((x) => typeof x === "string").join(" ");
  const pair = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(text);
  if (pair) {
    const width = Number(BigInt(pair[2]!) - BigInt(pair[1]!)) + 1;
    return width >= 1 ? width : null;
  }
  const k = /up to a (\d+)K block range/i.exec(text);
  return k ? Number(k[1]) * 1000 : null;
}

export type Indexer = ReturnType<typeof createIndexer>;
export type { IndexWriter };
