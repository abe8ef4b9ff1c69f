import { describe, it, expect, beforeEach, afterEach } from "vitest";
import type { Store } from "../../../src/store/db.js";
import { createStoreMemo, type StoreMemo } from "../../../src/store/memo.js";
import { openChainIndex, CHAIN_INDEX_SCHEMA, type ChainIndex, type ClaimRow, type CaseRow, type OwnershipEvent, type TimelineItem } from "../../../src/store/repos/chain-index.js";
import { keptChainIndex } from "../../../src/store/repos/chain-index-kept.js";
import { tempChainIndex } from "./support.js";

/**
 * The chain index's per-claim reads kept row by row, on a real LevelDB store: the same answers as the index's
 * snapshot reads, rows and asOfBlock of one state even while commits land, and no store read for a claim an
 * index commit did not touch.
 */
describe("chain-index-kept", () => {
  let store: Store;
  let index: ChainIndex;
  let memo: StoreMemo;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, index, close } = await tempChainIndex("kept-index"));
    memo = createStoreMemo(store);
  });
  afterEach(async () => {
    memo.close();
    await close();
  });

  const id = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  // A row written at block n says so: a read's rows name the blocks they come from.
  const claimRow = (i: number, n: number) => ({ claimId: id(i), outstanding: String(n), holder: `0xholder${n}`, terms: {} }) as unknown as ClaimRow;
  const caseRow = (i: number, n: number) => ({ claimId: id(i), state: "overdue", nonce: n, disputeId: null }) as unknown as CaseRow;
  const step = (i: number, n: number) => ({ type: "transferred", from: null, to: `0x${n}`, blockNumber: n, logIndex: 0, txHash: "0x", timestamp: n }) as unknown as OwnershipEvent;
  const item = (i: number, n: number) => ({ kind: "report", blockNumber: n }) as unknown as TimelineItem;

  /** Commits block `n`, writing the claims `touched` (row, case, an ownership step and a timeline item each). */
  async function commit(n: number, touched: number[]) {
    return (await prepared(n, touched))();
  }

  /** Block `n`'s writes, staged: the returned function commits them. */
  async function prepared(n: number, touched: number[]) {
    const w = index.writer();
    w.beginBlock(n, true);
    for (const i of touched) {
      await w.put("claims", id(i), claimRow(i, n));
      await w.put("cases", id(i), caseRow(i, n));
      await w.put("ownership", `${id(i)}!${String(n).padStart(12, "0")}`, step(i, n));
      await w.put("timeline", `${id(i)}!${String(n).padStart(12, "0")}`, item(i, n));
    }
    const block = { number: n, hash: `0x${n.toString(16).padStart(64, "0")}`, parentHash: `0x${(n - 1).toString(16).padStart(64, "0")}`, timestamp: n };
    return () => index.commit(w, { schema: CHAIN_INDEX_SCHEMA, cursor: { number: n, hash: block.hash, timestamp: n }, undoFloor: 0, wiping: false }, [block]);
  }

  /** Counts reads of the claims table from now on. */
  function countClaimReads(): () => number {
    let n = 0;
    const get = index.tables.claims.get.bind(index.tables.claims);
    (index.tables.claims as { get: typeof get }).get = (...args) => {
      n++;
      return get(...args);
    };
    return () => n;
  }

  describe("claim, history, caseOf", () => {
    it("answer as the index's snapshot reads do, before and after commits that touch the claim or others", async () => {
      const kept = keptChainIndex(index, memo);
      const same = async () => {
        for (const i of [1, 2, 3]) {
          expect(await kept.claim(id(i))).toEqual(await index.claim(id(i)));
          expect(await kept.history(id(i))).toEqual(await index.history(id(i)));
          expect(await kept.caseOf(id(i))).toEqual(await index.caseOf(id(i)));
        }
      };
      await same(); // nothing indexed yet: no rows, no block
      await commit(1, [1, 2]);
      await same();
      await commit(2, [3]);
      await same();
      await commit(3, [1]);
      await same();
      expect((await kept.history(id(1))).events.map((e) => e.blockNumber)).toEqual([1, 3]);
    });

    it("a commit of other claims moves asOfBlock on and leaves the claim's rows kept: no store read", async () => {
      const kept = keptChainIndex(index, memo);
      await commit(1, [1, 2]);
      expect((await kept.claim(id(1))).asOfBlock).toBe(1);
      await commit(2, [2, 3]);
      const reads = countClaimReads();
      const again = await kept.claim(id(1));
      expect(again).toMatchObject({ asOfBlock: 2, claim: { outstanding: "1" } });
      expect(reads()).toBe(0);
      await commit(3, [1]);
      const written = reads(); // the writer's own read of the row's previous value (undo data)
      expect(await kept.claim(id(1))).toMatchObject({ asOfBlock: 3, claim: { outstanding: "3" } });
      expect(reads() - written).toBe(1);
    });

    it("while an index write is under way (by any opener of the index), kept rows answer as of the last completed write; a load is not kept then", async () => {
      const kept = keptChainIndex(index, memo);
      await commit(1, [1, 3]);
      await kept.claim(id(1));
      const landing = (await prepared(2, [1, 2]))();
      expect(index.writing()).toBe(true);
      expect(openChainIndex(store).writing()).toBe(true);
      const reads = countClaimReads();
      // Kept before the write: its state, from memory.
      expect(await kept.claim(id(1))).toMatchObject({ asOfBlock: 1, claim: { outstanding: "1" } });
      expect(reads()).toBe(0);
      // Not kept: read on a snapshot, and not kept (its load overlapped the write).
      const during = await kept.claim(id(3));
      expect(reads()).toBeGreaterThan(0);
      expect(during.claim?.outstanding).toBe("1");
      await landing;
      expect(index.writing()).toBe(false);
      const before = reads();
      expect(await kept.claim(id(3))).toMatchObject({ asOfBlock: 2, claim: { outstanding: "1" } });
      expect(reads()).toBe(before + 1);
      expect(await kept.claim(id(1))).toMatchObject({ asOfBlock: 2, claim: { outstanding: "2" } });
    });

    it("the cursor is known from this process's own index writes: no store read for it after a commit", async () => {
      const kept = keptChainIndex(index, memo);
      await commit(1, [1]);
      await kept.claim(id(1));
      await commit(2, [2]);
      let metaReads = 0;
      const cursor = index.cursor.bind(index);
      index.cursor = async () => {
        metaReads++;
        return cursor();
      };
      expect((await kept.claim(id(1))).asOfBlock).toBe(2);
      expect(await index.cursorAsWritten()).toEqual(await cursor());
      expect(metaReads).toBe(0);
      // Opened afresh (another process's index, or before this one wrote): read from the store.
      const other = await tempChainIndex("kept-index");
      try {
        expect(await other.index.cursorAsWritten()).toBeNull();
      } finally {
        await other.close();
      }
    });

    it("a rollback takes asOfBlock back and the rows with it", async () => {
      const kept = keptChainIndex(index, memo);
      await commit(1, [1]);
      await commit(2, [1]);
      expect(await kept.claim(id(1))).toMatchObject({ asOfBlock: 2, claim: { outstanding: "2" } });
      await index.rollback((await index.blockRecord(1))!);
      expect(await kept.claim(id(1))).toMatchObject({ asOfBlock: 1, claim: { outstanding: "1" } });
      expect((await kept.history(id(1))).events.map((e) => e.blockNumber)).toEqual([1]);
    });

    it("rows and asOfBlock are of one state while commits land under concurrent reads", async () => {
      const kept = keptChainIndex(index, memo);
      // Each claim's writes by block: a read at asOfBlock b must show the claim's last write at or below b.
      const written = new Map<number, number[]>();
      const claims = [1, 2, 3, 4];
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const checks: Array<Promise<void>> = [];
      const check = (i: number) => checks.push((async () => {
        const [c, h, k] = await Promise.all([kept.claim(id(i)), kept.history(id(i)), kept.caseOf(id(i))]);
        for (const read of [c, h, k]) {
          const blocks = (written.get(i) ?? []).filter((b) => read.asOfBlock !== null && b <= read.asOfBlock);
          expect(read.claim?.outstanding ?? null, `claim ${i} at ${read.asOfBlock}`).toBe(blocks.length ? String(blocks.at(-1)) : null);
        }
        const steps = (written.get(i) ?? []).filter((b) => h.asOfBlock !== null && b <= h.asOfBlock);
        expect(h.events.map((e) => e.blockNumber)).toEqual(steps);
        expect(k.timeline.map((t) => t.blockNumber)).toEqual((written.get(i) ?? []).filter((b) => k.asOfBlock !== null && b <= k.asOfBlock));
      })());
      for (let n = 1; n <= 60; n++) {
        const touched = claims.filter(() => random() < 0.4);
        for (const i of touched) written.set(i, [...(written.get(i) ?? []), n]);
        const landing = commit(n, touched);
        for (const i of claims) check(i); // reads while the commit is under way
        await landing;
        if (random() < 0.5) for (const i of claims) check(i);
      }
      await Promise.all(checks);
      expect(checks.length).toBeGreaterThan(240);
    });
  });
});
