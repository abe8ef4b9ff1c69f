import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/db.js";
import { createReadsLog } from "../../../src/app/handover/reads-log.js";
import { openPersonalDataReads } from "../../../src/store/repos/handover-reads.js";

/** The personal-data read log over a real LevelDB store: one entry per answer, read back one read per claim. */
describe("reads-log", () => {
  let dir: string;
  let store: Store;
  let t = Date.UTC(2030, 0, 1);
  const claim = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  const who = { keyId: "k1", name: "AMC collector", role: "collector", address: "0x00000000000000000000000000000000000000a1" };

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
      expect(stored[0]).toMatchObject({ claimIds: [claim(1), claim(2), claim(3)], purpose: "collection" });

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

  describe("list", () => {
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
