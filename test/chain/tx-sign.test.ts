import { describe, it, expect } from "vitest";
import { Transaction, Wallet, hexlify } from "ethers";
import { signEip1559Call } from "../../src/chain/tx-sign.js";
import { Random } from "../../src/core/synthetic.js";
import { initHashing, isHashingReady } from "../../src/core/merkle.js";

/** The outbox's native EIP-1559 signing against ethers' signer: the same raw bytes and hash, field by field. */
describe("tx-sign", () => {
  // A throwaway key made here (RFC 6979: the same key and transaction give the same signature).
  const wallet = Wallet.createRandom();

  describe("signEip1559Call", () => {
    async function expectEthersParity(seed: number): Promise<void> {
      const rng = new Random(seed);
      const big = (max: number) => BigInt(rng.int(0, max)) * BigInt(rng.int(0, max));
      const lengths = [0, 1, 1, 2, 54, 55, 56, 57, 1000, 60_000];
      for (const [i, len] of lengths.entries()) {
        const bytes = new Uint8Array(len).map(() => rng.int(0, 255));
        if (len === 1) bytes[0] = i === 1 ? 0x05 : 0x85; // a single byte under 0x80 is its own RLP encoding; one above is not
        const tx = {
          chainId: [1n, 31337n, 2n ** 40n][i % 3]!, nonce: [0, 1, 127, 128, 65_535, rng.int(0, 2 ** 31)][i % 6]!,
          maxPriorityFeePerGas: i === 0 ? 0n : big(1e6), maxFeePerGas: big(1e9) + 1n, gasLimit: 21_000n + big(1e4),
          to: hexlify(new Uint8Array(20).map(() => rng.int(0, 255))), data: hexlify(bytes),
        };
        const theirs = await wallet.signTransaction({ ...tx, type: 2, value: 0n, accessList: [] });
        const mine = signEip1559Call(tx, wallet.signingKey);
        expect(mine.raw).toBe(theirs);
        expect(mine.hash).toBe(Transaction.from(theirs).hash);
        expect(Transaction.from(mine.raw).from).toBe(wallet.address);
      }
    }

    it("gives ethers' raw transaction and hash for random calls, calldata from empty to 60 kB (ethers' JS keccak before initHashing)", async () => {
      expect(isHashingReady()).toBe(false);
      await expectEthersParity(7);
    });

    it("gives the same with the WASM keccak the API and the oracle load at start", async () => {
      await initHashing();
      expect(isHashingReady()).toBe(true);
      await expectEthersParity(8);
    });

    it("refuses calldata or an address that is not whole bytes of hex", () => {
      const tx = { chainId: 1n, nonce: 0, maxPriorityFeePerGas: 1n, maxFeePerGas: 2n, gasLimit: 21_000n, to: `0x${"11".repeat(20)}`, data: "0x" };
      expect(() => signEip1559Call({ ...tx, data: "0x123" }, wallet.signingKey)).toThrow(/data must be/);
      expect(() => signEip1559Call({ ...tx, data: "0xzz" }, wallet.signingKey)).toThrow(/data must be/);
      expect(() => signEip1559Call({ ...tx, data: "abcd" }, wallet.signingKey)).toThrow(/data must be/);
      expect(() => signEip1559Call({ ...tx, to: `0x${"11".repeat(19)}` }, wallet.signingKey)).toThrow(/20-byte address/);
    });
  });
});
