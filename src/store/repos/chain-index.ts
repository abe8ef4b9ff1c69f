import { TypedBatch, type DbSnapshot, type Store, type SublevelOf } from "../db.js";
import type { CaseStateName } from "../../core/oracle-plan.js";
import { IndexWriter, KnownRows } from "./chain-index-writer.js";
import {
  CHAIN_INDEX_SCHEMA, ROW_TABLES, blockKey, disputeKey,
  type AggregateCell, type AggregateFamily, type AnchorRow, type AsOf, type BlockRecord, type CaseRow, type ClaimRow, type Cursor,
  type DisputeRow, type IndexMeta, type OwnershipEvent, type PortfolioCell, type PortfolioScope, type RowTable, type RowTables,
  type ListingRow, type BidRow,
  type Sublevels, type TimelineItem, type UndoEntry,
} from "./chain-index-rows.js";

export * from "./chain-index-rows.js";
export { IndexWriter, KnownRows } from "./chain-index-writer.js";

const META_KEY = "state";
/** The row every index write rewrites (the cursor): src/store/repos/chain-index-kept.ts watches it. */
export const CHAIN_META_ROW = ["chain-meta", META_KEY] as const;

/** Index writes under way per store (any ChainIndex opened on it): a kept read trusts nothing while one is. */
const writesUnderWay = new WeakMap<Store, number>();
/** The index state this process last wrote to a store (LevelDB is written by its host process only). */
const lastWritten = new WeakMap<Store, IndexMeta>();

/**
 * The chain index: what src/chain/indexer.ts derives from the deployment's contract events, in LevelDB
 * (one sublevel per table, all opened here and nowhere else). Reads answer with `asOfBlock`, the last
 * block the tables reflect; every read of one answer goes through one snapshot, so rows and `asOfBlock`
 * agree even while the indexer writes. Money is a decimal string of minor units; times are block times
 * (unix seconds); addresses are checksummed as the events give them, keys lower-case.
 */

/** Opens the chain index's tables in `store` (this deployment's namespace). */
export function openChainIndex(store: Store) {
  const tables: Sublevels = {
    claims: store.sub<ClaimRow>("chain-claims"),
    ownership: store.sub<OwnershipEvent>("chain-ownership"),
    cases: store.sub<CaseRow>("chain-cases"),
    timeline: store.sub<TimelineItem>("chain-timeline"),
    disputes: store.sub<DisputeRow>("chain-disputes"),
    anchors: store.sub<AnchorRow>("chain-anchors"),
    aggregates: store.sub<AggregateCell>("chain-aggregates"),
    holderClaims: store.sub<number>("chain-holder-claims"),
    listings: store.sub<ListingRow>("chain-listings"),
    bids: store.sub<BidRow>("chain-bids"),
  };
  const blocks = store.sub<BlockRecord>("chain-blocks");
  const undo = store.sub<UndoEntry[]>("chain-undo");
  const meta = store.sub<IndexMeta>("chain-meta");
  const emptyMeta = (): IndexMeta => ({ schema: CHAIN_INDEX_SCHEMA, cursor: null, undoFloor: -1, wiping: false });

  /** Runs `read` on one snapshot and adds the cursor it saw. */
  async function consistent<T extends object>(read: (snapshot: DbSnapshot) => Promise<T>): Promise<AsOf<T>> {
    const snapshot = store.snapshot();
    try {
      const [m, value] = await Promise.all([meta.get(META_KEY, { snapshot }), read(snapshot)]);
      return { ...value, asOfBlock: m?.cursor?.number ?? null };
    } finally {
      await snapshot.close();
    }
  }

  /** Runs writes of the index, counted as under way until they are written (the store's write event fires before that). */
  async function underWay<T>(writes: () => Promise<T>): Promise<T> {
    writesUnderWay.set(store, (writesUnderWay.get(store) ?? 0) + 1);
    try {
      return await writes();
    } finally {
      writesUnderWay.set(store, writesUnderWay.get(store)! - 1);
    }
  }
  /** Writes `batch`, which sets the index's state to `next`. */
  const write = (batch: TypedBatch, next: IndexMeta) => underWay(async () => {
    await batch.write(store);
    lastWritten.set(store, next);
  });

  async function collect<V>(sub: SublevelOf<V>, prefix: string, snapshot: DbSnapshot, limit = -1): Promise<V[]> {
    const out: V[] = [];
    for await (const v of sub.values({ gte: prefix, lt: `${prefix}\uffff`, limit, snapshot })) out.push(v);
    return out;
  }

  function restore<T extends RowTable>(batch: TypedBatch, e: { t: T; k: string; v: RowTables[T] | null }): void {
    const sub: SublevelOf<RowTables[T]> = tables[e.t];
    if (e.v === null) batch.del(sub, e.k);
    else batch.put(sub, e.k, e.v);
  }

  const index = {
    tables,

    /** Whether a write of the index (by any ChainIndex of this store) is under way. */
    writing(): boolean {
      return (writesUnderWay.get(store) ?? 0) > 0;
    },

    /** The index's own state (cursor, undo floor); a fresh one before the first write. */
    async meta(): Promise<IndexMeta> {
      return (await meta.get(META_KEY)) ?? emptyMeta();
    },

    /** The last indexed block, or null. */
    async cursor(): Promise<Cursor | null> {
      return (await meta.get(META_KEY))?.cursor ?? null;
    },

    /**
     * {@link cursor} without a store read when this process wrote the index last and no write is under way
     * (the store is written by its host only: then the stored state is the one written).
     */
    async cursorAsWritten(): Promise<Cursor | null> {
      const known = lastWritten.get(store);
      return known && !index.writing() ? known.cursor : index.cursor();
    },

    /** A write session; `known`: rows read ahead for it (`knownRows`), kept across the sessions of one chunk. */
    writer(known?: KnownRows): IndexWriter {
      return new IndexWriter(tables, known);
    },

    knownRows(): KnownRows {
      return new KnownRows(tables);
    },

    /**
     * Writes a session's rows, its undo data, the block records and the new cursor in ONE atomic, synced
     * batch: after a crash the store holds either all of it or none, so the cursor never runs ahead of
     * (or behind) the rows. Undo data and block records at or below `pruneTo` are dropped.
     */
    async commit(w: IndexWriter, next: IndexMeta, records: BlockRecord[], pruneTo?: number): Promise<void> {
      const batch = new TypedBatch();
      w.flushInto(batch);
      for (const [n, entries] of w.undo) batch.put(undo, blockKey(n), entries);
      for (const r of records) batch.put(blocks, blockKey(r.number), r);
      if (pruneTo !== undefined && pruneTo >= 0) {
        const lt = blockKey(pruneTo);
        for await (const k of keysBelow(undo, lt)) batch.del(undo, k);
        for await (const k of keysBelow(blocks, lt)) batch.del(blocks, k);
      }
      batch.put(meta, META_KEY, next);
      await write(batch, next);
    },

    /** Stored block records from `fromBlock` down to `downTo` (inclusive), newest first. */
    async blocksDown(fromBlock: number, downTo: number): Promise<BlockRecord[]> {
      const out: BlockRecord[] = [];
      for await (const r of blocks.values({ lte: blockKey(fromBlock), gte: blockKey(Math.max(0, downTo)), reverse: true })) out.push(r);
      return out;
    },

    /** The stored record of block `n` (blocks near the head, and every cursor written), if any. */
    async blockRecord(n: number): Promise<BlockRecord | undefined> {
      return blocks.get(blockKey(n));
    },

    /** The lowest stored block record at or above `n`. */
    async blockAtOrAbove(n: number): Promise<BlockRecord | undefined> {
      for await (const r of blocks.values({ gte: blockKey(Math.max(0, n)), limit: 1 })) return r;
      return undefined;
    },

    /**
     * Undoes every block above `ancestor` (newest first) and sets the cursor to it, in one atomic batch.
     * `ancestor` must be at or above the undo floor.
     */
    async rollback(ancestor: BlockRecord): Promise<{ blocks: number; keys: number }> {
      const m = await index.meta();
      if (ancestor.number < m.undoFloor) throw new RangeError(`cannot roll back to ${ancestor.number}: undo data starts above ${m.undoFloor}`);
      const batch = new TypedBatch();
      let undone = 0;
      let keys = 0;
      for await (const [k, entries] of undo.iterator({ gt: blockKey(ancestor.number), reverse: true })) {
        for (const e of entries) restore(batch, e);
        batch.del(undo, k);
        undone++;
        keys += entries.length;
      }
      for await (const k of keysAbove(blocks, blockKey(ancestor.number))) batch.del(blocks, k);
      const next = { ...m, cursor: { number: ancestor.number, hash: ancestor.hash, timestamp: ancestor.timestamp } };
      batch.put(meta, META_KEY, next);
      await write(batch, next);
      return { blocks: undone, keys };
    },

    /**
     * Drops the whole index (a schema change, or a reorg deeper than the undo data). Crash-safe: the
     * `wiping` mark is written first and cleared last, and {@link ensureFresh} finishes a begun wipe.
     */
    async wipe(): Promise<void> {
      await underWay(async () => {
        lastWritten.delete(store); // a wipe cut short leaves the index in no state this process knows
        await new TypedBatch().put(meta, META_KEY, { ...emptyMeta(), wiping: true }).write(store);
        for (const t of ROW_TABLES) await tables[t].clear();
        await blocks.clear();
        await undo.clear();
        await new TypedBatch().put(meta, META_KEY, emptyMeta()).write(store);
        lastWritten.set(store, emptyMeta());
      });
    },

    /** Finishes a begun wipe and drops an index of another schema version. */
    async ensureFresh(): Promise<void> {
      const m = await meta.get(META_KEY);
      if (m && (m.wiping || m.schema !== CHAIN_INDEX_SCHEMA)) await index.wipe();
    },

    // ---- reads (each on one snapshot, with asOfBlock) ----

    /** A claim's registration, holder, resale restriction and terms, with its case (state, dispute). */
    claim(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null }>> {
      const id = claimId.toLowerCase();
      return consistent(async (snapshot) => {
        const [claim, c] = await Promise.all([tables.claims.get(id, { snapshot }), tables.cases.get(id, { snapshot })]);
        return { claim: claim ?? null, case: claim ? c ?? null : null };
      });
    },

    /** A claim, its case and its ownership history, oldest first (empty for an unknown claim). */
    history(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null; events: OwnershipEvent[] }>> {
      const id = claimId.toLowerCase();
      return consistent(async (snapshot) => {
        const [claim, c] = await Promise.all([tables.claims.get(id, { snapshot }), tables.cases.get(id, { snapshot })]);
        return { claim: claim ?? null, case: claim ? c ?? null : null, events: claim ? await collect(tables.ownership, `${id}!`, snapshot) : [] };
      });
    },

    /** A claim's case and its on-chain timeline, oldest first (null case for an unknown claim). */
    caseOf(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null; timeline: TimelineItem[] }>> {
      const id = claimId.toLowerCase();
      return consistent(async (snapshot) => {
        const [claim, c] = await Promise.all([tables.claims.get(id, { snapshot }), tables.cases.get(id, { snapshot })]);
        return { claim: claim ?? null, case: c ?? null, timeline: c ? await collect(tables.timeline, `${id}!`, snapshot) : [] };
      });
    },

    /** A dispute at the deployment's arbitrator. */
    dispute(disputeId: string): Promise<AsOf<{ dispute: DisputeRow | null }>> {
      return consistent(async (snapshot) => ({ dispute: (await tables.disputes.get(disputeKey(disputeId), { snapshot })) ?? null }));
    },

    /** Every dispute at the deployment's arbitrator (id order), with its claim's registration and case when CollectionClauses started it. */
    disputes(): Promise<AsOf<{ disputes: Array<{ dispute: DisputeRow; claim: ClaimRow | null; case: CaseRow | null }> }>> {
      return consistent(async (snapshot) => {
        const out: Array<{ dispute: DisputeRow; claim: ClaimRow | null; case: CaseRow | null }> = [];
        for await (const d of tables.disputes.values({ snapshot })) {
          const id = d.claimId?.toLowerCase();
          const [claim, c] = id ? await Promise.all([tables.claims.get(id, { snapshot }), tables.cases.get(id, { snapshot })]) : [undefined, undefined];
          out.push({ dispute: d, claim: claim ?? null, case: c ?? null });
        }
        return { disputes: out };
      });
    },

    /** An anchored evidence root. */
    /** A market listing with its bids (sealed ones show only their commitment). */
    listing(listingId: string): Promise<AsOf<{ listing: ListingRow | null; bids: BidRow[] }>> {
      const id = listingId.toLowerCase();
      return consistent(async (snapshot) => ({
        listing: (await tables.listings.get(id, { snapshot })) ?? null,
        bids: await collect(tables.bids, `${id}!`, snapshot),
      }));
    },

    /** Every market listing, by id (a market holds few enough to list whole). */
    listings(): Promise<AsOf<{ listings: ListingRow[] }>> {
      return consistent(async (snapshot) => ({ listings: await collect(tables.listings, "", snapshot) }));
    },

    anchor(root: string): Promise<AsOf<{ anchor: AnchorRow | null }>> {
      return consistent(async (snapshot) => ({ anchor: (await tables.anchors.get(root.toLowerCase(), { snapshot })) ?? null }));
    },

    /**
     * Portfolio counts and outstanding per case state × classification for a scope, from the incrementally
     * maintained aggregates (a few dozen keys, whatever the number of claims). A bank's scope is what it
     * originated or holds: originator + holder − retained (held by itself as originator).
     */
    portfolio(scope: PortfolioScope): Promise<AsOf<{ count: number; unreported: number; outstanding: string; cells: PortfolioCell[] }>> {
      return consistent(async (snapshot) => {
        const cells = new Map<string, PortfolioCell>();
        const add = async (family: AggregateFamily, account: string | null, sign: 1 | -1) => {
          const prefix = account === null ? `${family}!` : `${family}!${account.toLowerCase()}!`;
          for await (const [k, v] of tables.aggregates.iterator({ gte: prefix, lt: `${prefix}\uffff`, snapshot })) {
            const [, , state, cls] = k.split("!");
            const key = `${state}!${cls}`;
            const cell = cells.get(key) ?? { state: state as CaseStateName, classification: Number(cls), count: 0, unreported: 0, outstanding: "0" };
            cell.count += sign * v.count;
            cell.unreported += sign * v.unreported;
            cell.outstanding = (BigInt(cell.outstanding) + BigInt(sign) * BigInt(v.outstanding)).toString();
            cells.set(key, cell);
          }
        };
        if (scope.kind === "all") await add("holder", null, 1);
        else if (scope.kind === "holder") await add("holder", scope.address, 1);
        else {
          await add("holder", scope.address, 1);
          await add("originator", scope.address, 1);
          await add("retained", scope.address, -1);
        }
        const list = [...cells.values()].filter((c) => c.count !== 0).sort((a, b) => a.state.localeCompare(b.state) || a.classification - b.classification);
        return {
          count: list.reduce((s, c) => s + c.count, 0),
          unreported: list.reduce((s, c) => s + c.unreported, 0),
          outstanding: list.reduce((s, c) => s + BigInt(c.outstanding), 0n).toString(),
          cells: list,
        };
      });
    },

    /** Claim ids a holder holds, in claim-id order, `limit` at a time after `after`. */
    claimsOfHolder(holder: string, opts: { after?: string; limit?: number } = {}): Promise<AsOf<{ claimIds: string[]; next: string | null }>> {
      const prefix = `${holder.toLowerCase()}!`;
      const limit = Math.max(1, Math.min(opts.limit ?? 100, 1000));
      return consistent(async (snapshot) => {
        const ids: string[] = [];
        const gt = opts.after ? `${prefix}${opts.after.toLowerCase()}` : undefined;
        for await (const [k] of tables.holderClaims.iterator({ ...(gt ? { gt } : { gte: prefix }), lt: `${prefix}\uffff`, limit: limit + 1, snapshot })) {
          ids.push(k.slice(prefix.length));
        }
        const more = ids.length > limit;
        if (more) ids.length = limit;
        return { claimIds: ids, next: more ? ids[ids.length - 1]! : null };
      });
    },

    /**
     * Every claim with its case, and the block and asOf of every applied report, at one snapshot with its
     * cursor: what an in-process read model loads before it follows the indexer's commits.
     */
    loadAll(): Promise<AsOf<{ cursor: Cursor | null; claims: Array<{ claim: ClaimRow; case: CaseRow | null }>; reports: Array<{ claimId: string; asOf: number; blockNumber: number }> }>> {
      return consistent(async (snapshot) => {
        const cases = new Map<string, CaseRow>();
        for await (const [k, v] of tables.cases.iterator({ snapshot })) cases.set(k, v);
        const claims: Array<{ claim: ClaimRow; case: CaseRow | null }> = [];
        for await (const claim of tables.claims.values({ snapshot })) claims.push({ claim, case: cases.get(claim.claimId) ?? null });
        const reports: Array<{ claimId: string; asOf: number; blockNumber: number }> = [];
        for await (const [k, item] of tables.timeline.iterator({ snapshot })) {
          if (item.type === "report") reports.push({ claimId: k.slice(0, k.indexOf("!")), asOf: item.details.asOf, blockNumber: item.blockNumber });
        }
        return { cursor: (await meta.get(META_KEY, { snapshot }))?.cursor ?? null, claims, reports };
      });
    },

    /**
     * Any reads — of these tables, or of other sublevels of the store — at one snapshot, with the cursor it
     * saw: a reader that streams a large table (the console's model at start) instead of loading it whole.
     */
    atSnapshot<T extends object>(read: (snapshot: DbSnapshot) => Promise<T>): Promise<AsOf<T>> {
      return consistent(read);
    },

    /** The on-chain timelines of `claimIds`, oldest first, at one snapshot. */
    timelines(claimIds: readonly string[]): Promise<AsOf<{ timelines: Map<string, TimelineItem[]> }>> {
      return consistent(async (snapshot) => {
        const timelines = new Map<string, TimelineItem[]>();
        for (const id of claimIds) timelines.set(id, await collect(tables.timeline, `${id.toLowerCase()}!`, snapshot));
        return { timelines };
      });
    },

    /** Every row of every table, in key order: what two indexes of one chain must agree on (tests, audits). */
    async dump(): Promise<Record<RowTable, Array<[string, unknown]>>> {
      const out = {} as Record<RowTable, Array<[string, unknown]>>;
      const all = async <T extends RowTable>(t: T) => {
        const rows: Array<[string, RowTables[T]]> = [];
        for await (const entry of tables[t].iterator()) rows.push(entry);
        return rows;
      };
      for (const t of ROW_TABLES) out[t] = await all(t);
      return out;
    },
  };
  return index;
}

async function* keysBelow<V>(sub: SublevelOf<V>, lt: string): AsyncIterable<string> {
  for await (const [k] of sub.iterator({ lt })) yield k;
}

async function* keysAbove<V>(sub: SublevelOf<V>, gt: string): AsyncIterable<string> {
  for await (const [k] of sub.iterator({ gt })) yield k;
}

export type ChainIndex = ReturnType<typeof openChainIndex>;
