import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/db.js";
import { createReadsLog, claimSet, ALIKE_WINDOW_MS } from "../../../src/app/handover/reads-log.js";
import { openPersonalDataReads } from "../../../src/store/repos/handover-reads.js";

/** The personal-data read log over a real LevelDB store: one entry per answer, read back one read per claim. */
describe("reads-log", () => {
  let dir: string;
  let store: Store;
  let t = Date.UTC(2030, 0, 1);
  const claim = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  const who = { keyId: "k1", name: "AMC collector", role: "collector", address: "0x00000000000000000000000000000000000000a1" };

  /** Counts the store's batches (their sizes) and holds the first until `release`; `restore` releases it and puts the store back. */
  function holdFirstBatch() {
    const batches: number[] = [];
    const original = store.batch.bind(store);
    let release!: () => void;
    const held = new Promise<void>((ok) => (release = ok));
    (store as { batch: unknown }).batch = async (ops: unknown[]) => {
      batches.push(ops.length);
      if (batches.length === 1) await held;
      return original(ops as never);
    };
    return { batches, release, restore: () => { release(); (store as { batch: unknown }).batch = original; } };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "debtrail-reads-"));
    store = await openStore(dir, "test-reads");
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("record", () => {
    it("stores one entry per answer for all its claims, and lists one read per claim, newest first", async () => {
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      await log.record([1, 2, 3].map((i) => ({ who, claimId: claim(i).toUpperCase().replace("0X", "0x"), purpose: "collection", action: "read" as const, via: "GET /v1/claims" })));
      await log.record([{ who, claimId: claim(2), purpose: "audit", action: "read" as const, via: "GET /v1/claims/:claimId" }]);
      const repos = openPersonalDataReads(store);
      const stored = [];
      for await (const e of repos.entries.values()) stored.push(e);
      expect(stored).toHaveLength(2);
      const first = stored[0] as { set: string };
      expect(first).toMatchObject({ purpose: "collection" });
      expect(await repos.sets.get(first.set)).toEqual([claim(1), claim(2), claim(3)]);

      const of2 = await log.list({ claimId: claim(2), limit: 10 });
      expect(of2.map((r) => [r.claimId, r.purpose])).toEqual([[claim(2), "audit"], [claim(2), "collection"]]);
      expect(of2[1]).toMatchObject({ who, action: "read", via: "GET /v1/claims" });
      expect((await log.list({ claimId: claim(3), limit: 10 })).map((r) => r.purpose)).toEqual(["collection"]);
      expect(await log.list({ claimId: claim(9), limit: 10 })).toEqual([]);
      const all = await log.list({ limit: 3 });
      expect(all.map((r) => [r.claimId, r.purpose])).toEqual([[claim(2), "audit"], [claim(1), "collection"], [claim(2), "collection"]]);
    });

    it("reads with different purposes, routes or recipients in one call are separate entries", async () => {
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      await log.record([
        { who, claimId: claim(4), purpose: "handover-review", action: "disclosed", via: "handover", recipient: "0x00000000000000000000000000000000000000b2" },
        { who, claimId: claim(5), purpose: "handover-review", action: "disclosed", via: "handover", recipient: "0x00000000000000000000000000000000000000c3" },
      ]);
      expect((await log.list({ claimId: claim(4), limit: 5 }))[0]).toMatchObject({ recipient: "0x00000000000000000000000000000000000000b2" });
      expect((await log.list({ claimId: claim(5), limit: 5 }))[0]).toMatchObject({ recipient: "0x00000000000000000000000000000000000000c3" });
    });
  });

  describe("recordSet", () => {
    it("stores a set of claims once: reading the same page again adds its entry and one index key, not one per claim", async () => {
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      const repos = openPersonalDataReads(store);
      const page = claimSet([10, 11, 12, 13].map(claim));
      const count = async (sub: { iterator(o?: object): AsyncIterable<unknown> }) => { let n = 0; for await (const _ of sub.iterator()) n++; return n; };
      const before = { sets: await count(repos.sets), setsByClaim: await count(repos.setsByClaim), entries: await count(repos.entries) };
      // Five answers at once (one flush) and three later (another process's log: its cache of written sets is empty).
      await Promise.all([1, 2, 3, 4, 5].map((i) => log.recordSet({ who, purpose: "collection", action: "read", via: `GET /v1/queue#${i}` }, page)));
      const other = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      for (const i of [6, 7, 8]) await other.recordSet({ who, purpose: "collection", action: "read", via: `GET /v1/queue#${i}` }, page);
      expect(await count(repos.sets)).toBe(before.sets + 1);
      expect(await count(repos.setsByClaim)).toBe(before.setsByClaim + 4);
      expect(await count(repos.entries)).toBe(before.entries + 8);
      const of12 = await log.list({ claimId: claim(12), limit: 100 });
      expect(of12.map((r) => r.via)).toEqual([8, 7, 6, 5, 4, 3, 2, 1].map((i) => `GET /v1/queue#${i}`));
      expect(of12.every((r) => r.claimId === claim(12) && r.purpose === "collection")).toBe(true);
      expect(await log.list({ claimId: claim(12), limit: 3 })).toHaveLength(3);
      // A set that holds a claim and one that does not: only the reads of the sets naming it.
      await log.recordSet({ who, purpose: "audit", action: "read", via: "GET /v1/claims" }, claimSet([claim(12), claim(14)]));
      await log.recordSet({ who, purpose: "audit", action: "read", via: "GET /v1/claims" }, claimSet([claim(15)]));
      expect((await log.list({ claimId: claim(12), limit: 2 })).map((r) => r.purpose)).toEqual(["audit", "collection"]);
      expect((await log.list({ claimId: claim(14), limit: 9 })).map((r) => r.claimId)).toEqual([claim(14)]);
      expect((await log.list({ limit: 1 }))[0]).toMatchObject({ claimId: claim(15), purpose: "audit" });
    });

    it("answers alike written together are one entry with their count, listed as that many reads; other callers apart", async () => {
      const at = (t += 10_000);
      const log = createReadsLog({ store, clock: { now: () => at } });
      const repos = openPersonalDataReads(store);
      const page = claimSet([30, 31].map(claim));
      const other = { ...who, keyId: "k2", name: "Another collector" };
      const before: unknown[] = [];
      for await (const e of repos.entries.values()) before.push(e);
      await Promise.all([
        ...[1, 2, 3, 4, 5].map(() => log.recordSet({ who, purpose: "collection", action: "read", via: "GET /v1/queue" }, page)),
        log.recordSet({ who: other, purpose: "collection", action: "read", via: "GET /v1/queue" }, page),
      ]);
      const added: Array<{ count?: number; who: { keyId: string } }> = [];
      for await (const e of repos.entries.values()) added.push(e as never);
      expect(added.slice(before.length).map((e) => [e.who.keyId, e.count ?? 1]).sort()).toEqual([["k1", 5], ["k2", 1]]);
      const of30 = await log.list({ claimId: claim(30), limit: 100 });
      expect(of30.map((r) => r.who.keyId).sort()).toEqual(["k1", "k1", "k1", "k1", "k1", "k2"]);
      expect(await log.list({ claimId: claim(31), limit: 4 })).toHaveLength(4);
      expect((await log.list({ limit: 12 })).filter((r) => r.claimId === claim(31))).toHaveLength(6);
    });

    it("answers alike within a window: the first waits for its entry on disk, the others leave without a write of their own, and the window's end writes their count", async () => {
      let now = (t += 10_000);
      const log = createReadsLog({ store, clock: { now: () => now } });
      const page = claimSet([50, 51].map(claim));
      const context = { who, purpose: "collection", action: "read" as const, via: "GET /v1/claims/:claimId" };
      const { batches, release, restore } = holdFirstBatch(); // the first write's sync, made slow
      try {
        let left = 0;
        const first = [1, 2, 3].map(() => Promise.resolve(log.recordSet(context, page)).then(() => left++));
        await new Promise((ok) => setImmediate(ok));
        expect(left).toBe(0); // none before the entry is on disk
        release();
        await Promise.all(first);
        expect(batches).toHaveLength(1);
        now += ALIKE_WINDOW_MS - 1;
        // Still in the window: no write, and nothing to wait for.
        for (let i = 0; i < 4; i++) expect(log.recordSet(context, page)).toBeNull();
        expect(batches).toHaveLength(1);
        const live = await log.list({ claimId: claim(50), limit: 100 });
        expect(live.filter((r) => r.via === context.via)).toHaveLength(7);
        expect(live[0]).toMatchObject({ who, claimId: claim(50), countFinal: false });
        now += 1; // the window is over: the next answer alike opens another, the ended one's count is written
        await log.recordSet(context, page);
        await log.settled();
        expect(batches.length).toBeGreaterThanOrEqual(2);
        const entries: Array<{ count?: number; until?: string }> = [];
        for await (const e of openPersonalDataReads(store).entries.values({ reverse: true, limit: 2 })) entries.push(e as never);
        expect(entries.map((e) => [e.count ?? 1, e.until === undefined])).toEqual([[1, false], [7, true]]);
        await log.close();
        const ended = await log.list({ claimId: claim(51), limit: 100 });
        expect(ended.filter((r) => r.via === context.via)).toHaveLength(8);
        expect(ended.some((r) => "countFinal" in r)).toBe(false);
      } finally {
        restore();
      }
    });

    it("a window ends when the clock is set back behind it: answers alike then wait for an entry of their own", async () => {
      let now = (t += 10_000);
      const log = createReadsLog({ store, clock: { now: () => now } });
      const context = { who, purpose: "collection", action: "read" as const, via: "GET /v1/claims/:claimId" };
      await log.recordSet(context, claimSet([claim(80)]));
      expect(log.recordSet(context, claimSet([claim(80)]))).toBeNull();
      now -= 3_600_000; // an operator or NTP sets the clock an hour back
      const next = log.recordSet(context, claimSet([claim(80)]));
      expect(next).not.toBeNull();
      await next;
      await log.settled();
      const entries: Array<{ count?: number; until?: string }> = [];
      for await (const e of openPersonalDataReads(store).entriesBySet.values({ gt: `${claimSet([claim(80)]).id}!`, lt: `${claimSet([claim(80)]).id}!~` })) entries.push((await openPersonalDataReads(store).entries.get(e)) as never);
      // The hour-earlier window (its clock's order) is open, the ended one holds its final count of 2.
      expect(entries.map((e) => [e.count ?? 1, e.until === undefined])).toEqual([[1, false], [2, true]]);
      await log.close();
    });

    it("a final count that could not be written is written again; a failed opening costs no other window its count", async () => {
      let now = (t += 10_000);
      const log = createReadsLog({ store, clock: { now: () => now } });
      const context = { who, purpose: "collection", action: "read" as const, via: "GET /v1/queue" };
      await log.recordSet(context, claimSet([claim(90)]));
      for (let i = 0; i < 9; i++) log.recordSet(context, claimSet([claim(90)]));
      now += ALIKE_WINDOW_MS;
      const original = store.batch.bind(store);
      // Every write fails for a while: the new window's opening (its answer refused) and the ended one's count.
      (store as { batch: unknown }).batch = async () => { throw new Error("disk full"); };
      let opened: PromiseSettledResult<unknown>[];
      try {
        opened = await Promise.allSettled([log.recordSet({ ...context, via: "GET /v1/portfolio" }, claimSet([claim(91)])), log.recordSet(context, claimSet([claim(90)]))]);
        await log.settled();
      } finally {
        (store as { batch: unknown }).batch = original;
      }
      expect(opened.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(await log.list({ claimId: claim(91), limit: 10 })).toEqual([]);
      await log.close(); // the disk back: the ended window's count is written
      const reads = await log.list({ claimId: claim(90), limit: 100 });
      expect(reads).toHaveLength(10);
      expect(reads.some((r) => "countFinal" in r)).toBe(false);
    });

    it("after close, answers still in flight are logged one final entry each (no window left to end)", async () => {
      const at = (t += 10_000);
      const log = createReadsLog({ store, clock: { now: () => at } });
      const context = { who, purpose: "collection", action: "read" as const, via: "GET /v1/claims/:claimId" };
      await log.recordSet(context, claimSet([claim(95)]));
      await log.close();
      const late = [log.recordSet(context, claimSet([claim(95)])), log.recordSet(context, claimSet([claim(95)]))];
      expect(late.every((p) => p !== null)).toBe(true); // each waits for its own entry
      await Promise.all(late);
      const reads = await log.list({ claimId: claim(95), limit: 10 });
      expect(reads).toHaveLength(3);
      expect(reads.some((r) => "countFinal" in r)).toBe(false);
    });

    it("a crash inside a window leaves who, what, why and when on disk, with the count written so far marked not final", async () => {
      const at = (t += 10_000);
      const crashed = createReadsLog({ store, clock: { now: () => at } });
      const context = { who, purpose: "collection", action: "read" as const, via: "GET /v1/queue" };
      await Promise.all([1, 2, 3].map(() => crashed.recordSet(context, claimSet([claim(60)]))));
      await crashed.recordSet(context, claimSet([claim(60)])); // answered in the window, its count not yet written
      // The process ends here (no close): the next process reads what is on disk.
      const next = createReadsLog({ store, clock: { now: () => at + 60_000 } });
      const reads = await next.list({ claimId: claim(60), limit: 100 });
      expect(reads).toHaveLength(3);
      expect(reads.every((r) => r.countFinal === false && r.who.keyId === who.keyId && r.purpose === "collection" && r.at === new Date(at).toISOString())).toBe(true);
    });

    it("no answer of a window whose entry could not be written leaves; the next answer alike opens a window of its own", async () => {
      const at = (t += 10_000);
      const log = createReadsLog({ store, clock: { now: () => at } });
      const context = { who, purpose: "audit", action: "read" as const, via: "GET /v1/claims/:claimId" };
      const original = store.batch.bind(store);
      (store as { batch: unknown }).batch = async () => { throw new Error("disk full"); };
      let refused: PromiseSettledResult<unknown>[];
      try {
        refused = await Promise.allSettled([1, 2, 3].map(() => log.recordSet(context, claimSet([claim(70)]))));
      } finally {
        (store as { batch: unknown }).batch = original;
      }
      expect(refused.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(await log.list({ claimId: claim(70), limit: 10 })).toEqual([]);
      await log.recordSet(context, claimSet([claim(70)]));
      await log.close();
      expect(await log.list({ claimId: claim(70), limit: 10 })).toHaveLength(1);
    });

    it("starts its write before the event loop's turn ends; entries handed in while it syncs share the next write", async () => {
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      const { batches, release, restore } = holdFirstBatch(); // the first write's sync, made slow
      try {
        const first = log.recordSet({ who, purpose: "collection", action: "read", via: "GET /v1/claims/:claimId" }, claimSet([claim(40)]));
        for (let i = 0; i < 3; i++) await Promise.resolve();
        expect(batches).toHaveLength(1); // begun within microtasks, no setImmediate waited for
        const later = [41, 42, 43].map((i) => log.recordSet({ who, purpose: "collection", action: "read", via: "GET /v1/claims/:claimId" }, claimSet([claim(i)])));
        await new Promise((ok) => setImmediate(ok));
        expect(batches).toHaveLength(1); // one write at a time: the later entries wait for the first's sync
        release();
        await Promise.all([first, ...later]);
        expect(batches).toHaveLength(2); // and then go in one write together
        expect((await log.list({ claimId: claim(42), limit: 5 })).map((r) => r.claimId)).toEqual([claim(42)]);
      } finally {
        restore();
      }
    });

    it("an empty set logs nothing", async () => {
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      const before = await log.list({ limit: 1 });
      await log.recordSet({ who, purpose: "audit", action: "read", via: "GET /v1/claims" }, claimSet([]));
      expect(await log.list({ limit: 1 })).toEqual(before);
    });
  });

  describe("claimSet", () => {
    it("names the same claims alike, whatever their order, case or repeats; other claims otherwise", () => {
      const a = claimSet([claim(1), claim(2).toUpperCase().replace("0X", "0x"), claim(1)]);
      expect(a.claimIds).toEqual([claim(1), claim(2)]);
      expect(claimSet([claim(2), claim(1)]).id).toBe(a.id);
      expect(claimSet([claim(1)]).id).not.toBe(a.id);
      expect(claimSet([claim(1), claim(3)]).id).not.toBe(a.id);
    });
  });

  describe("list", () => {
    it("reads entries that named their claims in full (before claim sets) alongside the new ones", async () => {
      const repos = openPersonalDataReads(store);
      const at = new Date((t += 1_000)).toISOString();
      const key = `${at}!000000998`;
      await repos.entries.put(key, { at, who, claimIds: [claim(20), claim(21)], purpose: "valuation", action: "read", via: "GET /v1/claims" });
      for (const c of [20, 21]) await repos.byClaim.put(`${claim(c)}!${key}`, key);
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      await log.record([{ who, claimId: claim(21), purpose: "litigation", action: "read", via: "GET /v1/claims/:claimId" }]);
      expect((await log.list({ claimId: claim(21), limit: 5 })).map((r) => r.purpose)).toEqual(["litigation", "valuation"]);
      expect((await log.list({ claimId: claim(20), limit: 5 })).map((r) => r.purpose)).toEqual(["valuation"]);
      expect((await log.list({ limit: 3 })).map((r) => [r.claimId, r.purpose])).toEqual([[claim(21), "litigation"], [claim(20), "valuation"], [claim(21), "valuation"]]);
    });

    it("reads entries written one per claim (before entries named several) alongside the new ones", async () => {
      const repos = openPersonalDataReads(store);
      const at = new Date((t += 1_000)).toISOString();
      const key = `${at}!000000999`;
      await repos.entries.put(key, { at, who, claimId: claim(6), purpose: "mediation", action: "read", via: "GET /v1/cases/:claimId" });
      await repos.byClaim.put(`${claim(6)}!${key}`, key);
      const log = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      await log.record([{ who, claimId: claim(6), purpose: "litigation", action: "read", via: "GET /v1/claims/:claimId" }]);
      expect((await log.list({ claimId: claim(6), limit: 5 })).map((r) => r.purpose)).toEqual(["litigation", "mediation"]);
      expect((await log.list({ limit: 2 })).map((r) => [r.claimId, r.purpose])).toEqual([[claim(6), "litigation"], [claim(6), "mediation"]]);
    });
  });
});
