import { describe, it, expect } from "vitest";
import { Random } from "../../../src/core/synthetic.js";
import { lowerBound, type Cmp } from "../../../src/app/portfolio/order.js";
import { BLOCK_SIZE, SortedBlocks } from "../../../src/app/portfolio/sorted-blocks.js";

/** Rows with a mutable key (as the model's rows: a commit changes a row's priority in place) and a unique id. */
interface Row {
  id: number;
  key: number;
}
const cmp: Cmp<Row> = (a, b) => a.key - b.key || a.id - b.id;

describe("SortedBlocks", () => {
  describe("positionsOf + replace", () => {
    for (const size of [4, 16, BLOCK_SIZE]) {
      it(`equal a fresh sort after random commits, and leave the old version whole (blocks of ${size})`, () => {
        const rng = new Random(size);
        let nextId = 0;
        const fresh = () => ({ id: nextId++, key: rng.int(0, 500) }); // many equal keys: ties broken by id
        let rows: Row[] = Array.from({ length: 3_000 }, fresh);
        let order = SortedBlocks.of([...rows].sort(cmp), size);
        for (let round = 0; round < 80; round++) {
          // Mostly a few rows; now and then hundreds, or most of a region (keys in a narrow band), or all of a block gone.
          const changes = round % 10 === 9 ? 400 : rng.int(0, 12);
          const changed = new Set<Row>();
          while (changed.size < Math.min(changes, rows.length)) changed.add(rows[rng.int(0, rows.length - 1)]!);
          if (round % 11 === 5) for (const r of order.walk(rng.int(0, Math.max(0, order.length - 50)), () => true, 3 * size).items) changed.add(r);
          const gone = new Set([...changed].filter(() => rng.next() < (round % 11 === 5 ? 0.9 : 0.3)));
          // Positions while the keys are still those the order was sorted by.
          const positions = order.positionsOf(changed, cmp, (r) => rows.includes(r));
          expect(positions).toEqual([...changed].map((r) => order.toArray().indexOf(r)).sort((p, q) => p - q));
          for (const r of changed) r.key = round % 5 === 4 ? rng.int(200, 210) : rng.int(0, 500);
          rows = rows.filter((r) => !gone.has(r));
          // Now and then many new rows at once (an import's commits queued behind a read), below and above the bulk bound.
          const added = Array.from({ length: round % 7 === 6 ? 80 : round % 13 === 12 ? 600 : rng.int(0, 5) }, fresh);
          rows.push(...added);
          const before = order;
          const frozen = before.toArray();
          order = order.replace(positions, [...[...changed].filter((r) => !gone.has(r)), ...added], cmp, size);
          const expected = [...rows].sort(cmp);
          expect(order.toArray()).toEqual(expected);
          expect(order.length).toBe(expected.length);
          expect(before.toArray()).toEqual(frozen); // a reader holding the old version keeps it
        }
        // Blocks stay near their size: no run of tiny blocks after many removals, none far over twice the size.
        const blocks = (order as unknown as { blocks: Row[][] }).blocks;
        expect(Math.max(...blocks.map((b) => b.length))).toBeLessThanOrEqual(2 * size + 600);
        expect(blocks.length).toBeLessThan((3 * rows.length) / size + 10);
      });
    }

    it("copies only the blocks a commit touches", () => {
      const rows = Array.from({ length: 100_000 }, (_, id) => ({ id, key: id }));
      const order = SortedBlocks.of(rows);
      const moved = rows[50_000]!;
      const at = order.positionsOf([moved], cmp);
      moved.key = 99_998.5;
      const next = order.replace(at, [moved], cmp);
      const blocksOf = (o: SortedBlocks<Row>) => (o as unknown as { blocks: Row[][] }).blocks;
      const shared = blocksOf(next).filter((b) => blocksOf(order).includes(b)).length;
      expect(shared).toBeGreaterThanOrEqual(blocksOf(order).length - 2);
      expect(next.at(next.length - 1)).toBe(rows[99_999]);
      expect(next.at(next.length - 2)).toBe(moved);
    });

    it("finds a member the binary search misses (an order out of step) instead of leaving a duplicate", () => {
      const a = SortedBlocks.of<Row>([{ id: 1, key: 1 }, { id: 2, key: 2 }, { id: 3, key: 3 }], 2);
      const moved = a.at(0)!;
      moved.key = 9; // changed before its place was looked up
      expect(a.positionsOf([moved], cmp, () => true)).toEqual([0]);
      expect(a.positionsOf([moved], cmp)).toEqual([]);
      expect(a.replace([0], [moved], cmp, 2).map((r) => r.id)).toEqual([2, 3, 1]);
    });

    it("builds from nothing and empties to nothing", () => {
      const one = { id: 1, key: 1 };
      const a = SortedBlocks.empty<Row>().replace([], [one], cmp, 2);
      expect(a.toArray()).toEqual([one]);
      const none = a.replace([0], [], cmp, 2);
      expect(none.length).toBe(0);
      expect(none.toArray()).toEqual([]);
      expect(none.walk(0, () => true, 10)).toEqual({ items: [], next: 0 });
    });
  });

  describe("reads", () => {
    const rng = new Random(3);
    const rows = Array.from({ length: 1_000 }, (_, id) => ({ id, key: rng.int(0, 100) })).sort(cmp);
    const order = SortedBlocks.of(rows, 7);

    it("at, iteration, filter, map and count read as the array", () => {
      expect([...order]).toEqual(rows);
      for (const i of [-1, 0, 6, 7, 500, 999, 1000]) expect(order.at(i)).toBe(rows[i]);
      const even = (r: Row) => r.id % 2 === 0;
      expect(order.filter(even)).toEqual(rows.filter(even));
      expect(order.map((r) => r.id)).toEqual(rows.map((r) => r.id));
      expect(order.count(even)).toBe(rows.filter(even).length);
    });

    it("lowerBound finds what a binary search of the array finds", () => {
      for (let key = -1; key <= 101; key++) {
        const byKey = (r: Row, k: number) => r.key - k;
        expect(order.lowerBound(key, byKey)).toBe(lowerBound(rows, key, byKey));
      }
    });

    it("walk pages through from any start, skipping and stopping as the array walk does", () => {
      const keep = (r: Row) => r.key % 3 !== 0;
      const expected = (start: number, limit: number, skip: number) => {
        const items: Row[] = [];
        let i = start;
        for (; i < rows.length && items.length < limit; i++) {
          if (!keep(rows[i]!)) continue;
          if (skip > 0) skip--;
          else items.push(rows[i]!);
        }
        return { items, next: i };
      };
      for (const [start, limit, skip] of [[0, 10, 0], [5, 50, 3], [994, 10, 0], [1000, 5, 0], [13, 0, 0], [0, 2_000, 20]] as const) {
        expect(order.walk(start, keep, limit, skip)).toEqual(expected(start, limit, skip));
      }
      // A page's next start continues where it left off.
      let start = 0;
      const all: Row[] = [];
      for (;;) {
        const { items, next } = order.walk(start, keep, 33);
        if (items.length === 0) break;
        all.push(...items);
        start = next;
      }
      expect(all).toEqual(rows.filter(keep));
    });
  });
});
