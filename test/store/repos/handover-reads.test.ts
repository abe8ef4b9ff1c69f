import { describe, it, expect, afterEach } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/db.js";
import { createReadsLog } from "../../../src/app/handover/reads-log.js";
import { moveLegacyPersonalDataReads, openPersonalDataReads } from "../../../src/store/repos/handover-reads.js";

/** The personal-data read log's move from the organisation's store to its own LevelDB (real stores). */
describe("handover-reads", () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const open = async () => {
    const dir = mkdtempSync(join(tmpdir(), "debtrail-reads-move-"));
    dirs.push(dir);
    const store = await openStore(dir, "reads-move");
    stores.push(store);
    return store;
  };
  const claim = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  const who = { keyId: "k1", name: "AMC collector", role: "collector" };
  const count = async (store: Store) => {
    let n = 0;
    for (const sub of Object.values(openPersonalDataReads(store))) for await (const _ of sub.iterator()) n++;
    return n;
  };

  describe("moveLegacyPersonalDataReads", () => {
    it("moves every table of the log, reads the same afterwards, leaves nothing behind and moves nothing twice", async () => {
      const [store, logStore] = [await open(), await open()];
      let t = Date.UTC(2030, 0, 1);
      const clock = { now: () => (t += 1_000) };
      const old = createReadsLog({ store, clock });
      // An entry per answer (claim sets), and reads of a sale's disclosure.
      await old.record([1, 2, 3].map((i) => ({ who, claimId: claim(i), purpose: "collection", action: "read" as const, via: "GET /v1/claims" })));
      await old.record([{ who, claimId: claim(2), purpose: "transfer", action: "disclosed" as const, via: "handover", recipient: "AMC B" }]);
      const before = await old.list({ limit: 100 });
      const of2 = await old.list({ claimId: claim(2), limit: 100 });
      const rows = await count(store);
      expect(rows).toBeGreaterThan(4);

      expect(await moveLegacyPersonalDataReads(store, logStore)).toBe(2);
      const moved = createReadsLog({ store: logStore, clock });
      expect(await moved.list({ limit: 100 })).toEqual(before);
      expect(await moved.list({ claimId: claim(2), limit: 100 })).toEqual(of2);
      expect(await count(store)).toBe(0);
      expect(await count(logStore)).toBe(rows);
      expect(await moveLegacyPersonalDataReads(store, logStore)).toBe(0);
      expect(await count(logStore)).toBe(rows);
    });

    it("a move cut short (copied, not yet cleared) is done again without doubling anything", async () => {
      const [store, logStore] = [await open(), await open()];
      let t = Date.UTC(2030, 0, 1);
      const old = createReadsLog({ store, clock: { now: () => (t += 1_000) } });
      await old.record([{ who, claimId: claim(7), purpose: "audit", action: "read" as const, via: "GET /v1/claims/:claimId" }]);
      const before = await old.list({ limit: 100 });
      // As if the first move copied the entries and the process died before clearing them.
      const a = openPersonalDataReads(store);
      const b = openPersonalDataReads(logStore);
      for await (const [k, v] of a.entries.iterator()) await b.entries.put(k, v, { sync: true });
      expect(await moveLegacyPersonalDataReads(store, logStore)).toBe(1);
      expect(await createReadsLog({ store: logStore, clock: { now: () => t } }).list({ limit: 100 })).toEqual(before);
      expect(await count(store)).toBe(0);
    });
  });
});
