import { Counter, Gauge } from "prom-client";
import { buildTree, type MerkleTree } from "../../core/merkle.js";
import { ChainRevertError } from "../../chain/errors.js";
import { evidenceLogWrites } from "../../chain/contracts/EvidenceLog.js";
import { waitTx } from "../../chain/contracts/tx.js";
import { DURABLE, TypedBatch, type SublevelOf } from "../../store/db.js";
import { seqKey, type EvidenceBatch, type StoredEvidence } from "../../store/repos/evidence.js";
import type { Serial } from "../serial.js";
import type { EvidenceDeps } from "./types.js";

/** How many recently anchored batches are re-checked against the chain (reorgs, a reset node). */
const RECONCILE_WINDOW = 64;
const RECONCILE_EVERY_MS = 5_000;
const TICK_MS = 250;

/**
 * Closes evidence batches (at `batchSize` records or when the oldest waited `batchAgeMs`) and
 * anchors each batch's Merkle root in one EvidenceLog transaction through the outbox.
 *
 * Exactly once across crashes: a batch is written (with its root) before anything is sent; before
 * sending, the contract is asked whether the root is already anchored (then the anchor is adopted,
 * never repeated); a transaction in flight is found again through the outbox by its tag. Anchors whose
 * block disappeared (reorg, reset dev node) go back to "closed" and are anchored again.
 */
export function createEvidenceAnchorer(deps: EvidenceDeps, serial: Serial) {
  const { chain, settings, clock, log, metrics } = deps;
  const es = deps.repos.evidence;
  const { batchSize, batchAgeMs } = settings.evidence;
  const wallet = chain.wallet(settings.servicePrivateKey);
  const registers = [metrics.registry];
  const evidenceLog = evidenceLogWrites(deps);
  const pendingGauge = new Gauge({ name: "debtrail_evidence_pending", help: "Evidence records waiting for a batch", registers });
  const unanchoredGauge = new Gauge({ name: "debtrail_evidence_batches_unanchored", help: "Closed batches not yet anchored", registers });
  const anchoredCounter = new Counter({ name: "debtrail_evidence_records_anchored_total", help: "Evidence records anchored", registers });

  let pendingCount = 0;
  let oldestPendingAt: number | undefined;
  let nextPendingSeq = 0;
  let nextBatchSeq = 0;
  /** Closed, not yet anchored batches → when to try next (ms since epoch). */
  const unanchored = new Map<string, number>();
  const inFlight = new Map<string, Promise<EvidenceBatch>>();
  /** The most recently anchored batches, re-checked for reorgs. */
  const recentlyAnchored: string[] = [];
  const trees = new Map<string, MerkleTree>();
  let timer: NodeJS.Timeout | undefined;
  let lastReconcile = 0;
  let stopped = false;
  let started = false;
  let ticking = false;

  async function lastKey<V>(sub: SublevelOf<V>): Promise<string | undefined> {
    for await (const [key] of sub.iterator({ reverse: true, limit: 1 })) return key;
    return undefined;
  }

  async function refreshOldest(): Promise<void> {
    oldestPendingAt = undefined;
    for await (const [, recordId] of es.pending.iterator({ limit: 1 })) {
      const stored = await es.records.get(recordId);
      oldestPendingAt = stored ? Date.parse(stored.acceptedAt) : clock.now();
    }
  }

  function setGauges(): void {
    pendingGauge.set(pendingCount);
    unanchoredGauge.set(unanchored.size);
  }

  /** The batch's tree, rebuilt from its record hashes (cached for receipts). */
  function treeOf(batch: EvidenceBatch): MerkleTree {
    let tree = trees.get(batch.batchId);
    if (!tree) {
      tree = buildTree(batch.recordIds);
      trees.set(batch.batchId, tree);
      if (trees.size > 16) trees.delete(trees.keys().next().value!);
    }
    return tree;
  }

  /** Closes one batch of up to `batchSize` waiting records; undefined when none wait. */
  function closeBatch(): Promise<EvidenceBatch | undefined> {
    return serial(async () => {
      const taken: Array<[string, string]> = [];
      for await (const entry of es.pending.iterator({ limit: batchSize })) taken.push(entry);
      if (taken.length === 0) return undefined;
      const recordIds = taken.map(([, id]) => id);
      const tree = buildTree(recordIds);
      // Another process may have closed batches since (the counter is read under the writer's lock).
      nextBatchSeq = Math.max(nextBatchSeq, (await es.meta.get("nextBatchSeq")) ?? 0);
      const batch: EvidenceBatch = {
        batchId: seqKey(nextBatchSeq),
        root: tree.root,
        recordIds,
        closedAt: new Date(clock.now()).toISOString(),
        status: "closed",
        attempts: 0,
      };
      const ops = new TypedBatch().put(es.batches, batch.batchId, batch).put(es.meta, "nextBatchSeq", nextBatchSeq + 1);
      for (const [key, recordId] of taken) {
        ops.del(es.pending, key);
        const stored = await es.records.get(recordId);
        if (stored) {
          stored.batchId = batch.batchId;
          stored.index = tree.indexOf(recordId);
          ops.put(es.records, recordId, stored);
        }
      }
      await ops.write(deps.repos.store);
      nextBatchSeq++;
      trees.set(batch.batchId, tree);
      pendingCount -= taken.length;
      await refreshOldest();
      unanchored.set(batch.batchId, 0);
      setGauges();
      return batch;
    });
  }

  /** Adopts an anchor the contract already holds for the batch's root (an earlier attempt went through). */
  async function adopt(batch: EvidenceBatch, onChain: { timestamp: bigint; blockNumber: bigint; submitter: string }): Promise<void> {
    const block = Number(onChain.blockNumber);
    const [event] = await chain.evidenceLog.queryFilter(chain.evidenceLog.filters.RootAnchored(batch.root), block, block);
    batch.status = "anchored";
    batch.anchor = {
      txHash: event?.transactionHash ?? batch.txHash ?? "",
      blockNumber: block,
      blockTimestamp: Number(onChain.timestamp),
      submitter: onChain.submitter,
    };
    batch.txHash = batch.anchor.txHash;
    delete batch.lastError;
    await es.batches.put(batch.batchId, batch, DURABLE);
    unanchored.delete(batch.batchId);
    if (!recentlyAnchored.includes(batch.batchId)) {
      recentlyAnchored.push(batch.batchId);
      if (recentlyAnchored.length > RECONCILE_WINDOW) recentlyAnchored.shift();
    }
    anchoredCounter.inc(batch.recordIds.length);
    setGauges();
  }

  async function anchorOnce(batch: EvidenceBatch): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const onChain = await chain.evidenceLog.anchoredAt(batch.root);
      if (onChain.timestamp !== 0n) return adopt(batch, onChain);
      let entry = batch.txHash ? await chain.outbox.get(batch.txHash) : undefined;
      if (!entry || entry.status !== "sent") {
        try {
          entry = (await evidenceLog.anchor(wallet, batch.root, batch.recordIds.length, `debtrail:${chain.key}:batch:${batch.batchId}`, `anchor:${batch.batchId}`)).entry;
        } catch (e) {
          if (e instanceof ChainRevertError && e.errorName === "RootAlreadyAnchored") continue; // adopt on the next round
          throw e;
        }
        batch.txHash = entry.hash;
        batch.attempts++;
        await es.batches.put(batch.batchId, batch, DURABLE);
      }
      try {
        await waitTx(deps, "anchor", entry);
      } catch (e) {
        if (!(e instanceof ChainRevertError)) throw e;
        // Reverted: perhaps someone anchored the root first; the next round adopts or re-sends.
      }
    }
    throw new Error(`batch ${batch.batchId}: the anchor did not go through after 3 rounds`);
  }

  /** Anchors a closed batch; one attempt per batch at a time. Resolves with the batch as stored after. */
  function anchor(batchId: string): Promise<EvidenceBatch> {
    let running = inFlight.get(batchId);
    if (running) return running;
    running = (async () => {
      const batch = (await es.batches.get(batchId))!;
      if (batch.status === "anchored") return batch;
      try {
        await anchorOnce(batch);
      } catch (e) {
        batch.lastError = String((e as Error).message ?? e).slice(0, 300);
        await es.batches.put(batch.batchId, batch, DURABLE).catch(() => undefined);
        // Back off: 1 s, 2 s, 4 s … up to a minute.
        unanchored.set(batchId, clock.now() + Math.min(60_000, 1000 * 2 ** Math.min(batch.attempts, 6)));
        log.warn({ batchId, err: e }, "evidence anchor failed; will retry");
      }
      return batch;
    })().finally(() => inFlight.delete(batchId));
    inFlight.set(batchId, running);
    return running;
  }

  /** Checks recently anchored batches against the chain; a vanished anchor is anchored again. */
  async function reconcile(): Promise<void> {
    for (const batchId of [...recentlyAnchored]) {
      const batch = await es.batches.get(batchId);
      if (!batch || batch.status !== "anchored") continue;
      const onChain = await chain.evidenceLog.anchoredAt(batch.root);
      if (onChain.timestamp !== 0n && Number(onChain.blockNumber) === batch.anchor?.blockNumber) continue;
      recentlyAnchored.splice(recentlyAnchored.indexOf(batchId), 1);
      if (onChain.timestamp !== 0n) {
        await adopt(batch, onChain); // re-included in another block
        continue;
      }
      log.warn({ batchId, root: batch.root, block: batch.anchor?.blockNumber }, "evidence anchor vanished from the chain; anchoring again");
      batch.status = "closed";
      delete batch.anchor;
      await es.batches.put(batchId, batch, DURABLE);
      chain.outbox.resetNonce(wallet.address);
      unanchored.set(batchId, 0);
      setGauges();
    }
  }

  /**
   * Records queued by another process sharing the store (`debtrail oracle`'s notices) are not counted by
   * `queued`: the queue's head and up to a batch of it are read again now and then.
   */
  async function notice(): Promise<void> {
    if (pendingCount >= batchSize) return;
    let n = 0;
    for await (const _ of es.pending.iterator({ limit: batchSize })) n++;
    if (n > pendingCount) {
      pendingCount = n;
      await refreshOldest();
      setGauges();
    }
  }

  async function tick(): Promise<void> {
    if (!started || stopped || ticking) return;
    ticking = true;
    try {
      const now = clock.now();
      while (!stopped && pendingCount > 0 && (pendingCount >= batchSize || (oldestPendingAt !== undefined && now - oldestPendingAt >= batchAgeMs))) {
        const batch = await closeBatch();
        if (!batch) break;
      }
      for (const [batchId, notBefore] of unanchored) {
        if (!stopped && notBefore <= now && !inFlight.has(batchId)) void anchor(batchId);
      }
      if (now - lastReconcile >= RECONCILE_EVERY_MS) {
        lastReconcile = now;
        await notice();
        await reconcile();
      }
    } catch (e) {
      log.warn({ err: e }, "evidence batcher tick failed; will retry");
    } finally {
      ticking = false;
    }
  }

  return {
    treeOf,

    /** Loads counters and unfinished batches, re-attaches anchors in flight, starts the timer. */
    async start(): Promise<void> {
      pendingCount = 0;
      for await (const _ of es.pending.iterator()) pendingCount++;
      const lastPending = await lastKey(es.pending);
      nextPendingSeq = Math.max((await es.meta.get("nextPendingSeq")) ?? 0, lastPending ? Number(lastPending) + 1 : 0);
      nextBatchSeq = (await es.meta.get("nextBatchSeq")) ?? 0;
      await refreshOldest();
      // A crash between the outbox write and the batch write leaves the transaction known only to the outbox.
      const byBatch = new Map<string, string>();
      for (const entry of await chain.outbox.findByTag("anchor:")) {
        if (entry.status === "sent") byBatch.set(entry.tag.slice("anchor:".length), entry.hash);
      }
      for await (const batch of es.batches.values()) {
        if (batch.status === "anchored") {
          recentlyAnchored.push(batch.batchId);
          if (recentlyAnchored.length > RECONCILE_WINDOW) recentlyAnchored.shift();
          continue;
        }
        const inFlightTx = byBatch.get(batch.batchId);
        if (inFlightTx && batch.txHash !== inFlightTx) {
          batch.txHash = inFlightTx;
          await es.batches.put(batch.batchId, batch, DURABLE);
        }
        unanchored.set(batch.batchId, 0);
      }
      setGauges();
      started = true;
      timer = setInterval(() => void tick(), TICK_MS);
      timer.unref();
      void tick();
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([...inFlight.values()]);
    },

    /**
     * Reserves pending-queue keys for `n` records about to be written (call inside `serial`): after the
     * last queued key, which another process sharing the store may have written.
     */
    async reservePending(n: number): Promise<string[]> {
      const lastPending = await lastKey(es.pending);
      if (lastPending) nextPendingSeq = Math.max(nextPendingSeq, Number(lastPending) + 1);
      const keys = Array.from({ length: n }, (_, i) => seqKey(nextPendingSeq + i));
      nextPendingSeq += n;
      return keys;
    },

    /** The records of `keys` are durably queued: count them and close a batch if one is full. */
    queued(n: number, acceptedAt: number): void {
      pendingCount += n;
      oldestPendingAt ??= acceptedAt;
      setGauges();
      if (pendingCount >= batchSize) void tick();
    },

    /** Closes one batch now and anchors it; waits up to `waitMs` for the anchor. */
    async flush(waitMs = 30_000): Promise<EvidenceBatch | undefined> {
      const batch = await closeBatch();
      if (!batch) return undefined;
      const anchored = await Promise.race([
        anchor(batch.batchId),
        new Promise<undefined>((ok) => (setTimeout(ok, waitMs) as unknown as NodeJS.Timeout).unref()),
      ]);
      return anchored ?? (await es.batches.get(batch.batchId));
    },

    status() {
      return { pending: pendingCount, unanchoredBatches: unanchored.size, oldestPendingAt, batchSize, batchAgeMs };
    },

    /** Runs the batcher once now (tests and flush-like admin actions). */
    tick,
  };
}

export type EvidenceAnchorer = ReturnType<typeof createEvidenceAnchorer>;
export type { StoredEvidence };
