import type { StoreMemo } from "../memo.js";
import { CHAIN_META_ROW, type AsOf, type CaseRow, type ChainIndex, type ClaimRow, type OwnershipEvent, type TimelineItem } from "./chain-index.js";

/** Rounds of reading rows and cursor again before a snapshot read is made instead (index commits came between). */
const ROUNDS = 3;

/** A load that an index write overlapped: not kept (the read is made on one snapshot instead). */
class OverlappedWrite extends Error {}

/**
 * The chain index's per-claim reads (a claim, its history, its case) kept in memory row by row
 * ({@link StoreMemo.getKeyed}): an index commit drops only the rows it wrote, so a claim read while a
 * 100,000-claim import is indexed makes no store read (each read of LevelDB takes its lock on the event
 * loop, which compaction holds for tens of milliseconds at a time).
 *
 * The block an answer reflects is the index's cursor, kept until the next index write (every one writes
 * it). A write is visible in LevelDB a moment before the store's write event drops what it changed, so only
 * loads that began and ended with no index write under way ({@link ChainIndex.writing}) are kept: such a
 * load holds the state of the writes completed by its end. Rows and cursor kept and still kept once both
 * are read are then one state — that of the writes completed so far (one under way is not shown until it
 * completes). A load that overlapped a write makes the read go to one snapshot, as the index's own reads do;
 * so do {@link ROUNDS} rounds of rows or cursor dropped while being read.
 */
export function keptChainIndex(index: ChainIndex, memo: StoreMemo) {
  /** `load` as a kept load: refused when an index write is under way at its start or end. */
  const clean = <T>(load: () => Promise<T>) => async (): Promise<T> => {
    if (index.writing()) throw new OverlappedWrite();
    const value = await load();
    if (index.writing()) throw new OverlappedWrite();
    return value;
  };
  const cursor = () => memo.getKeyed("chain-index|cursor", clean(async () => (await index.cursorAsWritten())?.number ?? null), [CHAIN_META_ROW]);

  /** `rows()` (a kept read: the same promise while kept) with the cursor of the same state. */
  async function asOf<T extends object>(rows: () => Promise<T>, snapshotRead: () => Promise<AsOf<T>>): Promise<AsOf<T>> {
    if (!memo.keeps) return snapshotRead();
    let c = cursor();
    let r = rows();
    for (let round = 0; round < ROUNDS; round++) {
      let read: [number | null, T];
      try {
        read = await Promise.all([c, r]);
      } catch (e) {
        if (e instanceof OverlappedWrite) return snapshotRead();
        throw e;
      }
      const [c2, r2] = [cursor(), rows()];
      if (c2 === c && r2 === r) return { ...read[1], asOfBlock: read[0] };
      [c, r] = [c2, r2];
    }
    return snapshotRead();
  }

  const { tables } = index;
  const rowsOf = (id: string) => [[tables.claims.name, id], [tables.cases.name, id]] as const;
  const claimRows = async (id: string) => {
    const [claim, c] = await Promise.all([tables.claims.get(id), tables.cases.get(id)]);
    return { claim: claim ?? null, case: c ?? null };
  };
  const listOf = async <V>(sub: { values(o: { gte: string; lt: string }): AsyncIterable<V> }, id: string) => {
    const out: V[] = [];
    for await (const v of sub.values({ gte: `${id}!`, lt: `${id}!\uffff` })) out.push(v);
    return out;
  };

  return {
    /** {@link ChainIndex.claim}, kept. */
    claim(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null }>> {
      const id = claimId.toLowerCase();
      const rows = () => memo.getKeyed(`chain-index|claim|${id}`, clean(async () => {
        const [claim, c] = await Promise.all([tables.claims.get(id), tables.cases.get(id)]);
        return { claim: claim ?? null, case: claim ? c ?? null : null };
      }), rowsOf(id));
      return asOf(rows, () => index.claim(id));
    },

    /** {@link ChainIndex.history}, kept (the claim's ownership steps are the rows `id!…`). */
    history(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null; events: OwnershipEvent[] }>> {
      const id = claimId.toLowerCase();
      const rows = () => memo.getKeyed(`chain-index|history|${id}`, clean(async () => {
        const [{ claim, case: c }, events] = await Promise.all([claimRows(id), listOf(tables.ownership, id)]);
        return { claim, case: claim ? c : null, events: claim ? events : [] };
      }), [...rowsOf(id), [tables.ownership.name, id]]);
      return asOf(rows, () => index.history(id));
    },

    /** {@link ChainIndex.caseOf}, kept (the case's timeline is the rows `id!…`). */
    caseOf(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null; timeline: TimelineItem[] }>> {
      const id = claimId.toLowerCase();
      const rows = () => memo.getKeyed(`chain-index|case|${id}`, clean(async () => {
        const [{ claim, case: c }, timeline] = await Promise.all([claimRows(id), listOf(tables.timeline, id)]);
        return { claim, case: c, timeline: c ? timeline : [] };
      }), [...rowsOf(id), [tables.timeline.name, id]]);
      return asOf(rows, () => index.caseOf(id));
    },
  };
}
