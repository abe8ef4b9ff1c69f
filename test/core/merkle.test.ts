import { describe, it, expect, beforeAll } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import fc from "fast-check";
import { keccak256, concat, id, AbiCoder } from "ethers";
import {
  buildTree, leafOf, verifyProof, verifyRecordProof, rootFromProof, initHashing, isHashingReady,
} from "../../src/core/merkle.js";
import { ValidationError } from "../../src/core/errors.js";

/** Deterministic record hashes, like keccak256 of canonical records. */
const hashes = (n: number, seed = "r") => Array.from({ length: n }, (_, i) => id(`${seed}-${i}`));
const standard = (values: string[]) => StandardMerkleTree.of(values.map((v) => [v]), ["bytes32"]);

describe("merkle", () => {
  describe("before initHashing (JS keccak fallback)", () => {
    it("already gives the library's root", () => {
      expect(isHashingReady()).toBe(false);
      const values = hashes(9);
      expect(buildTree(values).root).toBe(standard(values).root);
    });
  });

  describe("leafOf", () => {
    beforeAll(initHashing);
    it("is the double keccak of the ABI-encoded bytes32", () => {
      const h = id("record");
      const abi = AbiCoder.defaultAbiCoder().encode(["bytes32"], [h]);
      expect(leafOf(h)).toBe(keccak256(keccak256(abi)));
      expect(leafOf(h.toUpperCase().replace("0X", "0x"))).toBe(leafOf(h));
    });
    it.each([["64-byte node", concat([id("a"), id("b")])], ["short", "0x1234"], ["no prefix", id("a").slice(2)], ["non-hex", `0x${"g".repeat(64)}`]])(
      "refuses a %s", (_name, value) => expect(() => leafOf(value)).toThrow(ValidationError));
  });

  describe("buildTree", () => {
    beforeAll(initHashing);
    it("matches StandardMerkleTree for every size 1..40: root, layout, every proof", () => {
      for (let n = 1; n <= 40; n++) {
        const values = hashes(n, `size${n}`);
        const ours = buildTree(values);
        const theirs = standard(values);
        expect(ours.root).toBe(theirs.root);
        expect(ours.dump()).toEqual(theirs.dump());
        for (let i = 0; i < n; i++) expect(ours.proofFor(i)).toEqual(theirs.getProof(i));
      }
    });
    it("matches every proof of a 300-leaf tree, and the library verifies ours", () => {
      const values = hashes(300);
      const ours = buildTree(values);
      const theirs = standard(values);
      expect(ours.root).toBe(theirs.root);
      for (let i = 0; i < values.length; i++) {
        const proof = ours.proofFor(i);
        expect(proof).toEqual(theirs.getProof(i));
        expect(ours.getProof(values[i])).toEqual(proof);
        expect(ours.treeIndexOf(i)).toBe(theirs.dump().values[i].treeIndex);
        expect(ours.leafAt(i)).toBe(leafOf(values[i]));
        expect(StandardMerkleTree.verify(ours.root, ["bytes32"], [values[i]], proof)).toBe(true);
        expect(verifyRecordProof(values[i], proof, ours.root)).toBe(true);
      }
      expect(ours.leaves).toEqual(values.map(leafOf));
      expect(StandardMerkleTree.load(ours.dump() as never).root).toBe(ours.root);
    });
    it("matches the library on random batches, duplicates included (property)", () => {
      const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
      fc.assert(fc.property(fc.array(bytes32, { minLength: 1, maxLength: 24 }), fc.nat(), (values, pick) => {
        const withDuplicate = [...values, values[pick % values.length]];
        const ours = buildTree(withDuplicate);
        const theirs = standard(withDuplicate);
        expect(ours.dump()).toEqual(theirs.dump());
        const i = pick % withDuplicate.length;
        expect(ours.proofFor(i)).toEqual(theirs.getProof(i));
      }), { numRuns: 60 });
    });
    it("keeps input positions: index i is the i-th record hash, whatever the sort", () => {
      const values = hashes(50);
      const tree = buildTree(values);
      const reversed = buildTree([...values].reverse());
      expect(reversed.root).toBe(tree.root); // sorted leaves: the order of input does not change the root
      expect(reversed.proofFor(49)).toEqual(tree.proofFor(0));
      expect(tree.indexOf(values[7])).toBe(7);
      expect(tree.indexOf(id("absent"))).toBe(-1);
    });
    it("handles duplicate records as the library does", () => {
      const values = [...hashes(5), hashes(5)[2], ...hashes(3, "x")];
      const ours = buildTree(values);
      const theirs = standard(values);
      expect(ours.dump()).toEqual(theirs.dump());
      expect(ours.getProof(values[2])).toEqual(theirs.getProof([values[2]]));
    });
    it("refuses an empty batch, bad hashes and out-of-range indices", () => {
      expect(() => buildTree([])).toThrow(ValidationError);
      expect(() => buildTree([id("a"), "0x12"])).toThrow(/recordHashes\[1\]/);
      const tree = buildTree(hashes(3));
      expect(() => tree.proofFor(3)).toThrow(ValidationError);
      expect(() => tree.proofFor(-1)).toThrow(ValidationError);
      expect(() => tree.getProof(id("absent"))).toThrow(ValidationError);
    });
  });

  describe("verifyProof", () => {
    beforeAll(initHashing);
    const values = hashes(37);
    it("accepts the library's proofs and refuses altered ones", () => {
      const theirs = standard(values);
      for (let i = 0; i < values.length; i++) {
        const leaf = leafOf(values[i]);
        const proof = theirs.getProof(i);
        expect(verifyProof(leaf, proof, theirs.root)).toBe(true);
        expect(rootFromProof(leaf, proof)).toBe(theirs.root);
        const flipped = [...proof];
        const k = i % proof.length;
        flipped[k] = `0x${(BigInt(proof[k]) ^ 1n).toString(16).padStart(64, "0")}`;
        expect(verifyProof(leaf, flipped, theirs.root)).toBe(false);
        expect(verifyProof(leaf, proof.slice(1), theirs.root)).toBe(false);
        expect(verifyProof(leafOf(values[(i + 1) % values.length]), proof, theirs.root)).toBe(false);
        expect(verifyRecordProof(values[i], proof, buildTree(hashes(37, "other")).root)).toBe(false);
      }
    });
    it("refuses a record hash passed as its own leaf (the leaf is double-hashed)", () => {
      const tree = buildTree(values);
      expect(verifyProof(values[0], tree.proofFor(0), tree.root)).toBe(false);
    });
    it("does not let an internal node pass as a record", () => {
      const tree = buildTree(values);
      const dump = tree.dump();
      const proof = tree.proofFor(0);
      const internal = dump.tree[Math.floor((tree.treeIndexOf(0) - 1) / 2)];
      // As a leaf the parent node verifies with the shortened proof (why verifyProof takes leaves only
      // from leafOf); as a record hash it does not.
      expect(verifyProof(internal, proof.slice(1), tree.root)).toBe(true);
      expect(verifyRecordProof(internal, proof.slice(1), tree.root)).toBe(false);
    });
    it("throws on malformed input", () => {
      expect(() => verifyProof("0x12", [], id("a"))).toThrow(ValidationError);
      expect(() => verifyProof(id("a"), ["0x12"], id("a"))).toThrow(/proof\[0\]/);
    });
  });
});
