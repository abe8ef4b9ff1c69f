import { describe, it, expect } from "vitest";
import { keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson, canonicalBytes, canonicalHash } from "../../src/core/canonical.js";
import { ValidationError } from "../../src/core/errors.js";

describe("canonical", () => {
  describe("canonicalJson", () => {
    it("sorts keys by UTF-16 code units and drops whitespace (RFC 8785 §3.2.3)", () => {
      expect(canonicalJson({ b: 1, a: [true, null, "x"], "\u20ac": 0, "\r": 1, "1": 2 }))
        .toBe('{"\\r":1,"1":2,"a":[true,null,"x"],"b":1,"€":0}');
    });
    it("gives the same text whatever the key order of the input", () => {
      const a = { claimId: "0x01", nested: { z: 1, y: [{ q: 1, p: 2 }] }, kind: "call" };
      const b = { kind: "call", nested: { y: [{ p: 2, q: 1 }], z: 1 }, claimId: "0x01" };
      expect(canonicalJson(a)).toBe(canonicalJson(b));
    });
    it("keeps non-ASCII as UTF-8 text and escapes only what JSON must", () => {
      expect(canonicalJson({ note: "催收\u0007\"" })).toBe('{"note":"催收\\u0007\\""}');
    });
    it.each([
      ["undefined member", { a: undefined }],
      ["fraction", { a: 1.5 }],
      ["unsafe integer", { a: 2 ** 53 }],
      ["bigint", { a: 1n }],
      ["Date", { a: new Date(0) }],
      ["lone surrogate", { a: "\ud800" }],
      ["function", { a: () => 1 }],
    ])("refuses a %s instead of rewriting it", (_name, value) => {
      expect(() => canonicalJson(value)).toThrow(ValidationError);
    });
    it("names the path of the refused value", () => {
      try { canonicalJson({ a: [{ b: 0.1 }] }); expect.unreachable(); } catch (e) {
        expect((e as ValidationError).field).toBe("$.a[0].b");
      }
    });
  });
  describe("canonicalBytes / canonicalHash", () => {
    it("hashes the UTF-8 bytes of the canonical text with keccak256", () => {
      const value = { 名: "张三", a: 1 };
      expect(Buffer.from(canonicalBytes(value)).toString("utf8")).toBe(canonicalJson(value));
      expect(canonicalHash(value)).toBe(keccak256(toUtf8Bytes(canonicalJson(value))));
      expect(canonicalHash(value)).not.toBe(canonicalHash({ ...value, a: 2 }));
    });
  });
});
