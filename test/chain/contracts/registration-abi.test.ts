import { describe, it, expect } from "vitest";
import { hexlify } from "ethers";
import { ClaimRegistry__factory } from "../../../types/ethers-contracts/index.js";
import { encodeRegisterBatch } from "../../../src/chain/contracts/registration-abi.js";
import { Random } from "../../../src/core/synthetic.js";

/** registerBatch's calldata, word by word, against ethers' encoder of the contract's ABI. */
describe("registration-abi", () => {
  const registry = ClaimRegistry__factory.createInterface();
  const rng = new Random(5);
  const bytes = (n: number) => hexlify(new Uint8Array(n).map(() => rng.int(0, 255)));
  const uint = (bits: number) => BigInt(bytes(bits / 8)); // up to the type's maximum
  const registration = (i: number) => ({
    originatorCode: bytes(32), loanRef: bytes(32),
    terms: {
      principal: i === 0 ? (1n << 128n) - 1n : uint(128), outstanding: i === 0 ? 0n : uint(128), currency: i % 2 ? "0x434e59" : bytes(3),
      originatedAt: uint(40), maturityAt: i === 0 ? (1n << 40n) - 1n : uint(40), retail: rng.next() < 0.5,
      clauses: { warnDays: uint(16), demandDays: uint(16), arbitrationDays: uint(16), coverageBps: uint(16), noticeDays: i === 0 ? 65_535n : uint(16) },
      collateralHash: i % 3 ? `0x${"00".repeat(32)}` : bytes(32), documentsRoot: bytes(32),
    },
  });

  describe("encodeRegisterBatch", () => {
    it("gives ethers' calldata for 0, 1 and 400 registrations, extremes included", () => {
      for (const n of [0, 1, 2, 400]) {
        const regs = Array.from({ length: n }, (_, i) => registration(i));
        expect(encodeRegisterBatch(regs)).toBe(registry.encodeFunctionData("registerBatch", [regs]));
      }
      // Numbers as decimal strings and numbers, bytes as arrays and in upper case: what ethers takes, the same words.
      const r = registration(1);
      const loose = { ...r, originatorCode: Buffer.from(r.originatorCode.slice(2), "hex"), loanRef: r.loanRef.toUpperCase().replace("0X", "0x"),
        terms: { ...r.terms, principal: r.terms.principal.toString(), originatedAt: Number(r.terms.originatedAt) } };
      expect(encodeRegisterBatch([loose])).toBe(registry.encodeFunctionData("registerBatch", [[r]]));
    });

    it("refuses a value out of its type's range or bytes of the wrong size, naming the field", () => {
      const r = registration(2);
      expect(() => encodeRegisterBatch([r, { ...r, terms: { ...r.terms, principal: 1n << 128n } }])).toThrow("registrations[1].terms.principal must be a uint128");
      expect(() => encodeRegisterBatch([{ ...r, terms: { ...r.terms, outstanding: -1n } }])).toThrow(/outstanding must be a uint128/);
      expect(() => encodeRegisterBatch([{ ...r, terms: { ...r.terms, clauses: { ...r.terms.clauses, warnDays: 65_536n } } }])).toThrow(/clauses.warnDays must be a uint16/);
      expect(() => encodeRegisterBatch([{ ...r, terms: { ...r.terms, currency: "0x434e5900" } }])).toThrow(/currency must be 3 bytes/);
      expect(() => encodeRegisterBatch([{ ...r, loanRef: "0x12" }])).toThrow(/loanRef must be 32 bytes/);
    });
  });
});
