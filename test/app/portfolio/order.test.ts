import { describe, it, expect } from "vitest";
import { Random } from "../../../src/core/synthetic.js";
import { replaceSorted, slicer, sortInSlices, type Cmp } from "../../../src/app/portfolio/order.js";

/** Rows with a mutable key (as the model's rows: a commit changes a row's priority in place) and a unique id. */
interface Row {
  id: number;
  key: number;
}
const cmp: Cmp<Row> = (a, b) => a.key - b.key || a.id - b.id;

describe("the model's sorted orders, changed by a commit without a pass over the book", () => {
  it("replaceSorted equals a fresh sort after random commits (few and many changes, removals, additions)", () => {
    const rng = new Random(42);
    let nextId = 0;
    const fresh = () => ({ id: nextId++, key: rng.int(0, 500) }); // many equal keys: ties broken by id
    let rows: Row[] = Array.from({ length: 3_000 }, fresh);
    let sorted = [...rows].sort(cmp);
    for (let round = 0; round < 60; round++) {
      const changes = round % 10 === 9 ? 400 : rng.int(0, 12); // now and then more than replaceSorted's binary-search bound
      const changed = new Set<Row>();
      while (changed.size < changes) changed.add(rows[rng.int(0, rows.length - 1)]!);
      const gone = new Set([...changed].filter(() => rng.next() < 0.3));
      // Positions while the keys are still those the order was sorted by.
      const positions = [...changed].map((r) => sorted.indexOf(r)).sort((p, q) => p - q);
      for (const r of changed) r.key = rng.int(0, 500);
      rows = rows.filter((r) => !gone.has(r));
      const added = Array.from({ length: round % 7 === 6 ? 80 : round % 13 === 12 ? 200 : rng.int(0, 5) }, fresh);
      rows.push(...added);
      const before = sorted;
      const frozen = [...before];
      sorted = replaceSorted(sorted, positions, [...[...changed].filter((r) => !gone.has(r)), ...added], cmp);
      expect(sorted).toEqual([...rows].sort(cmp));
      expect(before).toEqual(frozen); // a reader holding the old order keeps it
    }
  });

  it("sortInSlices sorts like Array.sort and lets other work run between its slices", async () => {
    const rng = new Random(7);
    const rows = Array.from({ length: 200_000 }, (_, id) => ({ id, key: rng.int(0, 1_000) }));
    let turns = 0;
    let running = true;
    const other = (async () => {
      while (running) {
        await new Promise((r) => setImmediate(r));
        turns++;
      }
    })();
    const sorted = await sortInSlices(rows, cmp, 1_024);
    running = false;
    await other;
    expect(sorted).toEqual([...rows].sort(cmp));
    expect(turns).toBeGreaterThan(0);
  });

  it("a slicer says a slice is due after its time budget, not after a count of rows", async () => {
    const s = slicer(5);
    const t = performance.now();
    let calls = 0;
    while (!s.due()) calls++;
    expect(performance.now() - t).toBeGreaterThanOrEqual(5);
    expect(calls).toBeGreaterThan(0);
    await s.next();
    expect(s.dueNow()).toBe(false); // a new slice starts after the turn
  });
});
