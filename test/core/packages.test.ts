import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { normalizePackageLabel, packageRefFrom, packageRefOf, priceShares } from "../../src/core/packages.js";

describe("package ids and price shares", () => {
  it("a label of any script gives a salted ref per seller: the same label twice the same ref, another seller another", () => {
    const secret = "a-seller-secret-of-16+";
    const label = normalizePackageLabel("  2026年第一批  不良资产包 ");
    expect(label).toBe("2026年第一批 不良资产包");
    const a = packageRefOf(secret, "0xAbC0000000000000000000000000000000000001", label);
    expect(packageRefOf(secret, "0xabc0000000000000000000000000000000000001", label)).toEqual(a);
    expect(packageRefOf(secret, "0xabc0000000000000000000000000000000000002", label).ref).not.toBe(a.ref);
    expect(packageRefFrom(a.salt, label)).toBe(a.ref);
    // No unsalted hash of the guessable label reaches the chain.
    expect(a.ref).not.toBe(packageRefFrom("0x" + "00".repeat(32), label));
    expect(() => normalizePackageLabel("")).toThrow(/packageId/);
    expect(() => normalizePackageLabel("x".repeat(65))).toThrow(/packageId/);
    expect(() => normalizePackageLabel("PKG\u0000")).toThrow(/packageId/);
  });

  it("shares are pro rata to outstanding in fen, floor each, the remainder on the last claim, summing to the price", () => {
    expect(priceShares(100n, [1n, 1n, 1n])).toEqual([33n, 33n, 34n]);
    expect(priceShares(90_000_000n, [85_000_000n, 15_000_000n])).toEqual([76_500_000n, 13_500_000n]);
    expect(priceShares(7n, [0n, 0n])).toEqual([3n, 4n]);
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 50 }), (price, weights) => {
      const shares = priceShares(price, weights);
      expect(shares.reduce((a, b) => a + b, 0n)).toBe(price);
      expect(shares.every((s) => s >= 0n)).toBe(true);
    }));
  });
});
