import { describe, it, expect } from "vitest";
import { createHash, createHmac } from "node:crypto";
import { keccak256, toUtf8Bytes } from "ethers";
import { saltedHash, normalizePhone, normalizeIdNumber, normalizeText } from "../../src/core/pii.js";
import { ValidationError } from "../../src/core/errors.js";

const SECRET = "deployment-secret-0123456789abcdef";

describe("pii", () => {
  describe("normalizePhone", () => {
    it.each(["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000", "8613800138000", "１３８００１３８０００"])(
      "writes %j as +8613800138000", (v) => expect(normalizePhone(v)).toBe("+8613800138000"));
    it("keeps other numbers' digits", () => expect(normalizePhone("(010) 6552-9988")).toBe("01065529988"));
    it.each(["", "abc", "12", "+86 138 0013 800a"])("refuses %j", (v) => expect(() => normalizePhone(v)).toThrow(ValidationError));
  });
  describe("normalizeIdNumber", () => {
    it("upper-cases the check character and drops separators", () => {
      expect(normalizeIdNumber(" 11010519491231002x ")).toBe("11010519491231002X");
      expect(normalizeIdNumber("110105-19491231-002X")).toBe("11010519491231002X");
    });
    it("refuses punctuation", () => expect(() => normalizeIdNumber("1101*0519")).toThrow(ValidationError));
  });
  describe("normalizeText", () => {
    it("collapses whitespace and full-width forms", () => expect(normalizeText("  张　三  ")).toBe("张 三"));
  });
  describe("saltedHash", () => {
    it("is HMAC-SHA256 over kind and normalised value", () => {
      const expected = `0x${createHmac("sha256", SECRET).update("phone:+8613800138000").digest("hex")}`;
      expect(saltedHash(SECRET, "138 0013 8000", "phone")).toBe(expected);
      expect(saltedHash(SECRET, "+86 13800138000", "phone")).toBe(expected);
    });
    it("differs per deployment secret and per kind", () => {
      const a = saltedHash(SECRET, "13800138000", "phone");
      expect(saltedHash(`${SECRET}-other`, "13800138000", "phone")).not.toBe(a);
      expect(saltedHash(SECRET, "13800138000", "id-number")).not.toBe(a);
    });
    it("refuses a short secret", () => {
      expect(() => saltedHash("short", "13800138000", "phone")).toThrow(ValidationError);
    });
    it("PIPL: an unsalted hash of a phone number falls to enumeration, the salted hash does not", () => {
      // A block of 20,000 numbers around the real one stands in for the 10^10 mobile space an attacker
      // would enumerate (seconds on a GPU). Every unsalted scheme is found; the HMAC is found only
      // with the deployment secret.
      const real = "13800138000";
      const published = saltedHash(SECRET, real, "phone");
      const candidates = Array.from({ length: 20_000 }, (_, i) => String(13800128000 + i));
      expect(candidates).toContain(real);
      const unsalted = [
        (p: string) => `0x${createHash("sha256").update(p).digest("hex")}`,
        (p: string) => `0x${createHash("sha256").update(`+86${p}`).digest("hex")}`,
        (p: string) => keccak256(toUtf8Bytes(p)),
        (p: string) => keccak256(toUtf8Bytes(`phone:+86${p}`)),
        (p: string) => `0x${createHash("sha256").update(`phone:+86${p}`).digest("hex")}`,
      ];
      for (const scheme of unsalted) {
        const target = scheme(real);
        expect(candidates.find((p) => scheme(p) === target)).toBe(real); // an unsalted hash is reversible
        expect(candidates.some((p) => scheme(p) === published)).toBe(false);
      }
      const wrongSecret = "attacker-guess-0123456789abcdef";
      expect(candidates.some((p) => saltedHash(wrongSecret, p, "phone") === published)).toBe(false);
      expect(candidates.find((p) => saltedHash(SECRET, p, "phone") === published)).toBe(real);
      expect(published).not.toContain(real.slice(3));
    });
  });
});
