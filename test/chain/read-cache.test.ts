import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { JsonRpcProvider } from "ethers";
import { startChain } from "../helpers/stack.js";
import { createReadCache } from "../../src/chain/read-cache.js";

let chain: Awaited<ReturnType<typeof startChain>>;
let provider: JsonRpcProvider;

beforeAll(async () => {
  chain = await startChain();
  provider = new JsonRpcProvider(chain.url, undefined, { cacheTimeout: -1 });
}, 90_000);
afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

/** A read that counts how often it really went to the node, and answers the balance at its block. */
function countingRead() {
  let calls = 0;
  const read = async (blockTag: number) => {
    calls++;
    return { blockTag, balance: await provider.getBalance("0x0000000000000000000000000000000000000001", blockTag) };
  };
  return { read, calls: () => calls };
}

describe("read-cache", () => {
  describe("at", () => {
    it("reads once per key and block; a new block misses", async () => {
      const cache = createReadCache(provider);
      const { read, calls } = countingRead();
      const head = await cache.head();
      const [a, b] = await Promise.all([cache.at(head, "k", read), cache.at(head, "k", read)]);
      expect(a).toBe(b);
      expect(a.blockTag).toBe(head.number);
      expect(await cache.at(head, "other", read)).not.toBe(a);
      expect(calls()).toBe(2);
      await provider.send("evm_mine", []);
      const next = await cache.head();
      expect(next.number).toBe(head.number + 1);
      expect((await cache.at(next, "k", read)).blockTag).toBe(next.number);
      expect(calls()).toBe(3);
    });

    it("a reorganised block (same number, another hash) misses", async () => {
      const cache = createReadCache(provider);
      const { read, calls } = countingRead();
      const snapshot = await provider.send("evm_snapshot", []);
      await provider.send("evm_mine", []);
      const before = await cache.head();
      await cache.at(before, "k", read);
      await provider.send("evm_revert", [snapshot]);
      await provider.send("evm_increaseTime", [7]); // another timestamp, so another block hash
      await provider.send("evm_mine", []);
      const after = await cache.head();
      expect(after.number).toBe(before.number);
      expect(after.hash).not.toBe(before.hash);
      await cache.at(after, "k", read);
      expect(calls()).toBe(2);
    });

    it("a failed read is not kept; the oldest entries go when full", async () => {
      const cache = createReadCache(provider, 3);
      const head = await cache.head();
      await expect(cache.at(head, "bad", () => Promise.reject(new Error("node said no")))).rejects.toThrow("node said no");
      expect(await cache.at(head, "bad", async () => "fine")).toBe("fine");
      for (const k of ["a", "b", "c"]) await cache.at(head, k, async () => k);
      expect(cache.size).toBe(3);
      let again = 0;
      await cache.at(head, "bad", async () => (again++, "re-read"));
      expect(again).toBe(1);
    });
  });
});
