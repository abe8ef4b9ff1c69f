import { describe, it, expect } from "vitest";
import { ClaimRegistry__factory } from "../../types/ethers-contracts/index.js";
import { decodeRegisteredTerms } from "../../src/chain/index-lookups.js";
import { Random } from "../../src/core/synthetic.js";

/** The indexer's word-by-word decoding of `registeredTermsOf` against ethers' encoder of the contract's ABI. */
describe("index-lookups", () => {
  const registry = ClaimRegistry__factory.createInterface();

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
