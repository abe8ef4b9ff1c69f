import { describe, it, expect } from "vitest";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";
import { hexlify, randomBytes } from "ethers";
import { decodeRegisteredTerms, encodeRegisteredTermsOf } from "../../src/chain/index-lookups.js";
import { Random } from "../../src/core/synthetic.js";

/** The indexer's word-by-word decoding of `registeredTermsOf` against ethers' encoder of the contract's ABI. */
describe("index-lookups", () => {
  const registry = ClaimRegistry__factory.createInterface();

  describe("encodeRegisteredTermsOf", () => {
    const selector = registry.getFunction("registeredTermsOf").selector;
    it("gives ethers' calldata for 0, 1 and 500 claim ids (upper- or lower-case hex)", () => {
      for (const n of [0, 1, 2, 500]) {
        const ids = Array.from({ length: n }, (_, i) => (i % 2 ? hexlify(randomBytes(32)).toUpperCase().replace("0X", "0x") : hexlify(randomBytes(32))));
        expect(encodeRegisteredTermsOf(selector, ids)).toBe(registry.encodeFunctionData("registeredTermsOf", [ids]));
      }
    });
    it("refuses an id that is not 32 bytes of hex, naming it", () => {
      expect(() => encodeRegisteredTermsOf(selector, [hexlify(randomBytes(32)), "0x1234"])).toThrow(/claimIds\[1\] must be 32 bytes/);
      expect(() => encodeRegisteredTermsOf(selector, [`0x${"zz".repeat(32)}`])).toThrow(/claimIds\[0\]/);
    });
  });

  describe("decodeRegisteredTerms", () => {
    it("reads what ethers encodes for 0, 1 and 500 claims, field by field", () => {
      const rng = new Random(11);
      for (const n of [0, 1, 7, 500]) {
        const clauses = Array.from({ length: n }, () => ({
          warnDays: BigInt(rng.int(0, 65_535)), demandDays: BigInt(rng.int(0, 65_535)), arbitrationDays: BigInt(rng.int(0, 65_535)),
          coverageBps: BigInt(rng.int(0, 65_535)), noticeDays: BigInt(rng.int(0, 65_535)),
        }));
        const retail = Array.from({ length: n }, () => rng.next() < 0.5);
        const raw = registry.encodeFunctionResult("registeredTermsOf", [clauses, retail]);
        expect(decodeRegisteredTerms(raw, n)).toEqual(clauses.map((c, i) => ({ retail: retail[i], clauses: c })));
      }
    });

    it("refuses an answer for another number of claims, or cut short", () => {
      const raw = registry.encodeFunctionResult("registeredTermsOf", [[{ warnDays: 1n, demandDays: 30n, arbitrationDays: 90n, coverageBps: 12_000n, noticeDays: 15n }], [true]]);
      expect(() => decodeRegisteredTerms(raw, 2)).toThrow(/not for 2 claims/);
      expect(() => decodeRegisteredTerms(raw.slice(0, raw.length - 64), 1)).toThrow(/ends before/);
      expect(() => decodeRegisteredTerms("0x", 1)).toThrow(/ends before/);
    });
  });
});
