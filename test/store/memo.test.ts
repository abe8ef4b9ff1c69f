import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, TypedBatch } from "../../src/store/db.js";
import { createStoreMemo } from "../../src/store/memo.js";
import { openPersonalDataReads } from "../../src/store/repos/handover-reads.js";
import { createRenderCache } from "../../src/api/rendered.js";

const dir = mkdtempSync(join(tmpdir(), "debtrail-memo-"));
const store = await openStore(dir, "memo-test");
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("store memo: reads kept until the store's next write", () => {
  const rows = store.sub<{ v: number }>("rows");
  const other = store.sub<string>("other");

  it("keeps a read until any write — a put, a batch, a delete or a clear of any sublevel — then reads again", async () => {
    const memo = createStoreMemo(store);
    let loads = 0;
    const read = () => memo.get("a", async () => {
      loads++;
      return (await rows.get("a"))?.v ?? null;
    });
    await rows.put("a", { v: 1 });
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    expect(loads).toBe(1);
    for (const write of [
      () => rows.put("a", { v: 2 }),
      () => other.put("x", "unrelated"), // any write: the memo does not know what a read depends on
      () => new TypedBatch().put(rows, "a", { v: 3 }).write(store),
      () => rows.del("a"),
      () => other.clear(),
    ]) {
      const before = loads;
      await write();
      await read();
      expect(loads).toBe(before + 1);
    }
    expect(await read()).toBeNull();
    memo.close();
  });

  it("keeps its reads across writes to the personal-data read log only (an audit trail written on the read path); a batch that also writes elsewhere drops them", async () => {
    const memo = createStoreMemo(store);
    const log = openPersonalDataReads(store);
    const entry = { at: "t", who: { keyId: "k", name: "n", role: "amc" }, claimId: "c", purpose: "collection", action: "read" as const, via: "GET /x" };
    let loads = 0;
    const read = () => memo.get("log", async () => ++loads);
    await read();
    const generation = memo.generation;
    await new TypedBatch().put(log.entries, "t!1", entry).put(log.byClaim, "c!t!1", "t!1").write(store);
    await read();
    expect({ loads, generation: memo.generation }).toEqual({ loads: 1, generation });
    await new TypedBatch().put(log.entries, "t!2", entry).put(rows, "z", { v: 1 }).write(store);
    await read();
    expect(loads).toBe(2);
    memo.close();
  });

  it("a read that names its tables is kept through writes to other tables, and read again after a write to its own (or a clear)", async () => {
    const memo = createStoreMemo(store);
    let loads = 0;
    const read = () => memo.get("t", async () => {
      loads++;
      return (await rows.get("t"))?.v ?? null;
    }, ["rows"]);
    await rows.put("t", { v: 1 });
    expect(await read()).toBe(1);
    // The same array each time (as the console's reads ask): its signature is kept until the next write.
    const ROWS = ["rows"];
    const rendered = memo.generationOf(ROWS);
    expect(memo.generationOf(ROWS)).toBe(rendered);
    await other.put("y", "an import's write elsewhere");
    await new TypedBatch().put(other, "z", "more").write(store);
    expect(await read()).toBe(1);
    expect(loads).toBe(1);
    expect(memo.generationOf(ROWS)).toBe(rendered);
    expect(memo.generationOf(["rows"])).toBe(rendered);
    await new TypedBatch().put(other, "w", "a batch touching both").put(rows, "t", { v: 2 }).write(store);
    expect(await read()).toBe(2);
    expect(loads).toBe(2);
    expect(memo.generationOf(ROWS)).not.toBe(rendered);
    const before = memo.generationOf(ROWS);
    await other.clear(); // a clear's scope is not known: everything is read again
    expect(await read()).toBe(2);
    expect(loads).toBe(3);
    expect(memo.generationOf(ROWS)).not.toBe(before);
    memo.close();
  });

  it("does not keep a load that a write overtook, and shares a load between concurrent readers", async () => {
    const memo = createStoreMemo(store);
    await rows.put("b", { v: 1 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loads = 0;
    const slow = () => memo.get("b", async () => {
      loads++;
      const v = (await rows.get("b"))!.v;
      await gate;
      return v;
    });
    const first = slow();
    const second = slow();
    expect(loads).toBe(1);
    await rows.put("b", { v: 2 }); // lands while the load is in flight
    release();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(await memo.get("b", async () => (await rows.get("b"))!.v)).toBe(2);
    memo.close();
  });

  describe("getKeyed", () => {
    const counting = (memo: ReturnType<typeof createStoreMemo>, key: string) => {
      let loads = 0;
      const read = () => memo.getKeyed(key, async () => {
        loads++;
        return (await rows.get(key))?.v ?? null;
      }, [["rows", key]]);
      return { read, loads: () => loads };
    };

    it("keeps a read through writes to other rows — of its own table too, and keys that only start like it — and drops it at a write to its row or a row under it", async () => {
      const memo = createStoreMemo(store);
      await rows.put("k1", { v: 1 });
      const k = counting(memo, "k1");
      expect(await k.read()).toBe(1);
      await rows.put("k2", { v: 9 });
      await rows.put("k10", { v: 9 }); // starts like "k1" but is not under it
      await new TypedBatch().put(rows, "k3", { v: 9 }).put(other, "k1", "another table's k1").write(store);
      expect(await k.read()).toBe(1);
      expect(k.loads()).toBe(1);
      for (const [write, v] of [
        [() => rows.put("k1", { v: 2 }), 2],
        [() => new TypedBatch().put(rows, "k2", { v: 8 }).put(rows, "k1", { v: 3 }).write(store), 3],
        [() => rows.put("k1!step-1", { v: 0 }), 3], // a row under it (a claim's ownership step)
        [() => rows.del("k1"), null],
      ] as const) {
        const before = k.loads();
        await write();
        expect(await k.read()).toBe(v);
        expect(k.loads()).toBe(before + 1);
      }
      await rows.put("k1", { v: 4 });
      expect(await k.read()).toBe(4);
      await other.clear(); // a clear (of unknown scope) drops everything
      expect(await k.read()).toBe(4);
      expect(k.loads()).toBe(7);
      memo.close();
    });

    it("shares a load between concurrent readers; a write to its row during the load is not kept past it; a failed load is not kept", async () => {
      const memo = createStoreMemo(store);
      await rows.put("g", { v: 1 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let loads = 0;
      const slow = () => memo.getKeyed("g", async () => {
        loads++;
        const v = (await rows.get("g"))!.v;
        await gate;
        return v;
      }, [["rows", "g"]]);
      const first = slow();
      expect(slow()).toBe(first);
      await rows.put("g", { v: 2 });
      release();
      expect(await first).toBe(1);
      expect(await memo.getKeyed("g", async () => (await rows.get("g"))!.v, [["rows", "g"]])).toBe(2);
      expect(loads).toBe(1);
      await expect(memo.getKeyed("bad", async () => { throw new Error("no"); }, [["rows", "bad"]])).rejects.toThrow("no");
      expect(await memo.getKeyed("bad", async () => "read again", [["rows", "bad"]])).toBe("read again");
      memo.close();
    });

    it("holds at most its bound, dropping the least recently used", async () => {
      const memo = createStoreMemo(store, 2);
      let loads = 0;
      const read = (key: string) => memo.getKeyed(key, async () => ++loads, [["rows", key]]);
      await read("a");
      await read("b");
      await read("a"); // used: "b" is now the oldest
      await read("c");
      expect(loads).toBe(3);
      await read("a");
      expect(loads).toBe(3);
      await read("b");
      expect(loads).toBe(4);
      memo.close();
    });
  });

  it("render cache: one rendering per stamp and key; a new stamp starts over; a failed rendering is not kept", async () => {
    const cache = createRenderCache();
    let renders = 0;
    const render = (text: string) => async () => {
      renders++;
      return Buffer.from(text);
    };
    expect((await cache.get("s1", "k", render("one"))).toString()).toBe("one");
    expect((await cache.get("s1", "k", render("two"))).toString()).toBe("one");
    expect((await cache.get("s1", "other", render("three"))).toString()).toBe("three");
    expect((await cache.get("s2", "k", render("four"))).toString()).toBe("four");
    expect(renders).toBe(3);
    await expect(cache.get("s2", "bad", async () => { throw new Error("no"); })).rejects.toThrow("no");
    expect((await cache.get("s2", "bad", render("five"))).toString()).toBe("five");
  });
});
