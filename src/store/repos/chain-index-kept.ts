import type { StoreMemo } from "../memo.js";
import { CHAIN_META_ROW, type AsOf, type CaseRow, type ChainIndex, type ClaimRow, type OwnershipEvent, type TimelineItem } from "./chain-index.js";

/** Rounds of reading rows and cursor again before a snapshot read is made instead (index commits came between). */
const ROUNDS = 3;

/**
 * The chain index's per-claim reads (a claim, its history, its case) kept in memory row by row
 * ({@link StoreMemo.getKeyed}): an index commit drops only the rows it wrote, so a claim read while a
 * 100,000-claim import is indexed makes no store read (each read of LevelDB takes its lock on the event
 * loop, which compaction holds for tens of milliseconds at a time).
 *
 * The block an answer reflects is the index's cursor, kept until the next index write (every one writes
 * it). Rows and cursor are one state when, after both are read, both are still kept and no index write is
 * under way: no write became visible after either was read without dropping it (the store's write event
 * fires before a write's promise settles, and {@link ChainIndex.writing} covers the time in between).
 * Otherwise they are read again, and after {@link ROUNDS} rounds read on one snapshot, as the index does.
 */
export function keptChainIndex(index: ChainIndex, memo: StoreMemo) {
  const cursor = () => memo.getKeyed("chain-index|cursor", async () => (await index.cursorAsWritten())?.number ?? null, [CHAIN_META_ROW]);

  /** `rows()` (a kept read: the same promise while kept) with the cursor of the same state. */
  async function asOf<T extends object>(rows: () => Promise<T>, snapshotRead: () => Promise<AsOf<T>>): Promise<AsOf<T>> {
    if (!memo.keeps) return snapshotRead();
    let c = cursor();
    let r = rows();
    for (let round = 0; round < ROUNDS; round++) {
      const [block, value] = await Promise.all([c, r]);
      const [c2, r2] = [cursor(), rows()];
      if (c2 === c && r2 === r && !index.writing()) return { ...value, asOfBlock: block };
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
      const rows = () => memo.getKeyed(`chain-index|claim|${id}`, async () => {
        const [claim, c] = await Promise.all([tables.claims.get(id), tables.cases.get(id)]);
        return { claim: claim ?? null, case: claim ? c ?? null : null };
      }, rowsOf(id));
      return asOf(rows, () => index.claim(id));
    },

    /** {@link ChainIndex.history}, kept (the claim's ownership steps are the rows `id!…`). */
    history(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null; events: OwnershipEvent[] }>> {
      const id = claimId.toLowerCase();
      const rows = () => memo.getKeyed(`chain-index|history|${id}`, async () => {
        const [{ claim, case: c }, events] = await Promise.all([claimRows(id), listOf(tables.ownership, id)]);
        return { claim, case: claim ? c : null, events: claim ? events : [] };
      }, [...rowsOf(id), [tables.ownership.name, id]]);
      return asOf(rows, () => index.history(id));
    },

    /** {@link ChainIndex.caseOf}, kept (the case's timeline is the rows `id!…`). */
    caseOf(claimId: string): Promise<AsOf<{ claim: ClaimRow | null; case: CaseRow | null; timeline: TimelineItem[] }>> {
      const id = claimId.toLowerCase();
      const rows = () => memo.getKeyed(`chain-index|case|${id}`, async () => {
        const [{ claim, case: c }, timeline] = await Promise.all([claimRows(id), listOf(tables.timeline, id)]);
        return { claim, case: c, timeline: c ? timeline : [] };
      }, [...rowsOf(id), [tables.timeline.name, id]]);
      return asOf(rows, () => index.caseOf(id));
    },
  };
}
