import { describe, it, expect, afterEach } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/db.js";
import { createStoreMemo } from "../../src/store/memo.js";

describe("store/memo", () => {
  describe("createStoreMemo on a guest of a shared store", () => {
    const dirs: string[] = [];
    const stores: Store[] = [];
    afterEach(async () => {
      for (const s of stores.splice(0).reverse()) await s.close().catch(() => undefined);
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    it("keeps nothing: a write by the host (unseen by the guest's events) is read at once", async () => {
      const dir = mkdtempSync(join(tmpdir(), "memo-guest-"));
      dirs.push(dir);
      const host = await openStore(dir, "ns");
      stores.push(host);
      const guest = await openStore(dir, "ns");
      stores.push(guest);
      expect(host.role).toBe("host");
      expect(guest.role).toBe("guest");
      const memo = createStoreMemo(guest);
      const records = guest.sub<number>("n");
      await host.sub<number>("n").put("k", 1, { sync: true });
      const first = await memo.get("k", () => records.get("k"));
      const g = memo.generation;
      await host.sub<number>("n").put("k", 2, { sync: true });
      expect(await memo.get("k", () => records.get("k"))).toBe(2);
      expect(first).toBe(1);
      expect(memo.generation).not.toBe(g);
      expect(memo.keeps).toBe(false);
      expect(await memo.getKeyed("k", () => records.get("k"), [["n", "k"]])).toBe(2);
      await host.sub<number>("n").put("k", 3, { sync: true });
      expect(await memo.getKeyed("k", () => records.get("k"), [["n", "k"]])).toBe(3);
      memo.close();
    });
  });
});
