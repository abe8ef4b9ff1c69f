import { describe, it, expect, beforeEach, afterEach, vi } from "vitest";
import type { Store } from "../../../src/store/db.js";
import { CHAIN_INDEX_SCHEMA, type ChainIndex, type ClaimRow, type IndexWriter } from "../../../src/store/repos/chain-index.js";
import { copyOfRow } from "../../../src/store/repos/chain-index-writer.js";
import { tempChainIndex } from "./support.js";

/** The indexer's write sessions and a chunk's rows read ahead, on a real LevelDB store. */
describe("chain-index-writer", () => {
  let index: ChainIndex;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ index, close } = await tempChainIndex("index-writer"));
  });
  afterEach(async () => {
    await close();
  });

  const id = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  const claimRow = (i: number, holder: string) => ({ claimId: id(i), holder, terms: { clauses: { warnDays: 3 } } }) as unknown as ClaimRow;

  async function commit(w: IndexWriter, n: number) {
    const hash = `0x${n.toString(16).padStart(64, "0")}`;
    await index.commit(w, { schema: CHAIN_INDEX_SCHEMA, cursor: { number: n, hash, timestamp: n }, undoFloor: 0, wiping: false }, [
      { number: n, hash, parentHash: `0x${(n - 1).toString(16).padStart(64, "0")}`, timestamp: n },
    ]);
  }

  describe("copyOfRow", () => {
    it("copies JSON rows deeply: a change to the copy leaves the row as it was", () => {
      const row = { a: 1, s: "x", n: null, b: false, nested: { list: [1, { deep: "y" }], more: { z: 2 } } };
      const copy = copyOfRow(row);
      expect(copy).toEqual(row);
      copy.nested.more.z = 3;
      (copy.nested.list[1] as { deep: string }).deep = "changed";
      copy.nested.list.push(9);
      expect(row).toEqual({ a: 1, s: "x", n: null, b: false, nested: { list: [1, { deep: "y" }], more: { z: 2 } } });
      expect(copyOfRow(null)).toBeNull();
      expect(copyOfRow("text")).toBe("text");
    });
  });

  describe("IndexWriter.get", () => {
    it("hands out copies: what a caller changes in a row it read reaches neither the pending write nor a later read", async () => {
      const w = index.writer();
      w.beginBlock(1, true);
      await w.put("claims", id(1), claimRow(1, "0xbank"));
      const read = (await w.get("claims", id(1)))!;
      (read.terms as unknown as { clauses: { warnDays: number } }).clauses.warnDays = 99;
      expect(((await w.get("claims", id(1)))!.terms as unknown as { clauses: { warnDays: number } }).clauses.warnDays).toBe(3);
      await commit(w, 1);
      const w2 = index.writer();
      const stored = (await w2.get("claims", id(1)))!;
      stored.holder = "0xchanged";
      expect((await w2.get("claims", id(1)))!.holder).toBe("0xbank");
    });

    it("reads a key from the store once per session, and records its previous value for undo from that read", async () => {
      const w0 = index.writer();
      w0.beginBlock(1, true);
      await w0.put("claims", id(1), claimRow(1, "0xbank"));
      await commit(w0, 1);
      const gets = vi.spyOn(index.tables.claims, "get");
      const w = index.writer();
      w.beginBlock(2, true);
      expect((await w.get("claims", id(1)))!.holder).toBe("0xbank");
      await w.put("claims", id(1), claimRow(1, "0xamc"));
      expect(gets).toHaveBeenCalledTimes(1);
      expect(w.undo.get(2)).toEqual([{ t: "claims", k: id(1), v: claimRow(1, "0xbank") }]);
    });
  });

  describe("KnownRows", () => {
    it("reads ahead only what it does not know, one getMany per table; a session then reads none of it singly", async () => {
      const w0 = index.writer();
      w0.beginBlock(1, true);
      await w0.put("claims", id(1), claimRow(1, "0xbank"));
      await commit(w0, 1);
      const known = index.knownRows();
      const many = vi.spyOn(index.tables.claims, "getMany");
      const single = vi.spyOn(index.tables.claims, "get");
      await known.readAhead([["claims", id(1)], ["claims", id(2)], ["claims", id(1)], ["cases", id(1)]]);
      await known.readAhead([["claims", id(1)], ["claims", id(2)]]);
      expect(many).toHaveBeenCalledTimes(1);
      expect(many.mock.calls[0]![0]).toEqual([id(1), id(2)]);
      const w = index.writer(known);
      w.beginBlock(2, true);
      expect((await w.get("claims", id(1)))!.holder).toBe("0xbank");
      expect(await w.get("claims", id(2))).toBeUndefined();
      await w.put("claims", id(2), claimRow(2, "0xbank"));
      expect(single).not.toHaveBeenCalled();
      expect(w.undo.get(2)).toEqual([{ t: "claims", k: id(2), v: null }]);
    });

    it("takes in a session's commit: the chunk's next session reads the committed rows, not those read ahead", async () => {
      const known = index.knownRows();
      await known.readAhead([["claims", id(1)]]);
      const w1 = index.writer(known);
      w1.beginBlock(1, true);
      await w1.put("claims", id(1), claimRow(1, "0xbank"));
      await commit(w1, 1);
      known.absorb(w1);
      const w2 = index.writer(known);
      w2.beginBlock(2, true);
      expect((await w2.get("claims", id(1)))!.holder).toBe("0xbank");
      await w2.del("claims", id(1));
      await commit(w2, 2);
      known.absorb(w2);
      expect(await index.writer(known).get("claims", id(1))).toBeUndefined();
      expect(await index.tables.claims.get(id(1))).toBeUndefined();
    });
  });
});
