/**
 * Merkle trees of evidence batches, byte-for-byte those of @openzeppelin/merkle-tree's
 * `StandardMerkleTree.of(recordHashes.map(h => [h]), ["bytes32"])`: same root, same proofs, same
 * array layout (`dump()` loads into `StandardMerkleTree.load`), but built with a WASM keccak on flat
 * byte arrays instead of pure-JS keccak on hex strings.
 *
 * The library's rules, reproduced here:
 * - leaf = keccak256(keccak256(abi.encode(bytes32 recordHash))) = keccak256(keccak256(recordHash));
 *   the double hash means no 64-byte internal node can pass as a leaf;
 * - leaves are sorted ascending by hash (stable: equal leaves keep input order);
 * - the tree is an array of 2n − 1 nodes, sorted leaf i at position length − 1 − i, children of
 *   node i at 2i + 1 and 2i + 2, node = keccak256 of the two children in ascending order;
 * - a proof lists the siblings from the leaf up; `index` everywhere means the input position.
 */
import { createKeccak, type IHasher } from "hash-wasm";
import { getBytes, keccak256 as ethersKeccak256 } from "ethers";
import { ValidationError } from "./errors.js";

let wasmKeccak: IHasher | undefined;

/**
 * Loads the WASM keccak (hash-wasm initialises asynchronously). Call once at start-up; every
 * function here is synchronous and works before it too, through ethers' slower JS keccak.
 */
export async function initHashing(): Promise<void> {
  wasmKeccak ??= await createKeccak(256);
}

/** True once {@link initHashing} has finished. */
export function isHashingReady(): boolean {
  return wasmKeccak !== undefined;
}

function keccak(input: Uint8Array): Uint8Array {
  if (wasmKeccak !== undefined) return wasmKeccak.init().update(input).digest("binary");
  return getBytes(ethersKeccak256(input));
}

/** keccak256 of `input` as `0x` + 64 lowercase hex (WASM once {@link initHashing} ran, else ethers' JS). */
export function keccakHex(input: Uint8Array): string {
  if (wasmKeccak !== undefined) return `0x${wasmKeccak.init().update(input).digest("hex")}`;
  return ethersKeccak256(input);
}

// A digest is a small on-heap array; handing it straight back to hash-wasm makes V8 move it off
// the heap (`.buffer`), which doubled the cost of a leaf. Hash a copy in this long-lived buffer.
const inner = new Uint8Array(32);

/** keccak256(keccak256(32 bytes)): the StandardMerkleTree leaf of a bytes32 value. */
function doubleKeccak(input: Uint8Array): Uint8Array {
  inner.set(keccak(input));
  return keccak(inner);
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const HEX_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i++) {
    table["0123456789abcdef".charCodeAt(i)] = i;
    table["0123456789ABCDEF".charCodeAt(i)] = i;
  }
  return table;
})();

const BYTES32_HEX = /^0[xX][0-9a-fA-F]{64}$/;
// Node's native hex decoder where there is one (the court page runs this in a browser too).
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** Writes `0x` + 64 hex into `out` at `offset`; false if the text is not exactly 32 bytes of hex. */
function decodeBytes32(hex: unknown, out: Uint8Array, offset: number): boolean {
  if (typeof hex !== "string" || !BYTES32_HEX.test(hex)) return false;
  if (NodeBuffer !== undefined) {
    out.set(NodeBuffer.from(hex.slice(2), "hex"), offset);
    return true;
  }
  for (let i = 0; i < 32; i++) {
    const hi = HEX_VALUES[hex.charCodeAt(2 + 2 * i)] ?? -1;
    const lo = HEX_VALUES[hex.charCodeAt(3 + 2 * i)] ?? -1;
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

function encodeBytes32(bytes: Uint8Array, offset = 0): string {
  let s = "0x";
  for (let i = offset; i < offset + 32; i++) s += HEX_PAIRS[bytes[i]];
  return s;
}

function parseBytes32(hex: unknown, field: string): Uint8Array {
  const out = new Uint8Array(32);
  if (!decodeBytes32(hex, out, 0)) throw new ValidationError(field, "bytes32-hex");
  return out;
}

/** Negative, zero or positive as a < b, a = b, a > b (unsigned big-endian, 32 bytes each). */
function compare32(a: Uint8Array, ai: number, b: Uint8Array, bi: number): number {
  for (let i = 0; i < 32; i++) {
    const d = a[ai + i] - b[bi + i];
    if (d !== 0) return d;
  }
  return 0;
}

const pair = new Uint8Array(64);

/** keccak256 of the two 32-byte nodes in ascending order (OpenZeppelin's commutative node hash). */
function hashPair(a: Uint8Array, ai: number, b: Uint8Array, bi: number): Uint8Array {
  const aFirst = compare32(a, ai, b, bi) <= 0;
  const ao = aFirst ? 0 : 32;
  const bo = aFirst ? 32 : 0;
  for (let i = 0; i < 32; i++) {
    pair[ao + i] = a[ai + i];
    pair[bo + i] = b[bi + i];
  }
  return keccak(pair);
}

/**
 * The leaf of a record hash: keccak256(keccak256(recordHash)) (StandardMerkleTree, leaf type bytes32).
 * Accepts exactly 32 bytes; anything else (a 64-byte node, a short value) is refused.
 *
 * @throws ValidationError if `recordHash` is not `0x` + 64 hex
 */
export function leafOf(recordHash: string): string {
  return encodeBytes32(doubleKeccak(parseBytes32(recordHash, "recordHash")));
}

/** The root a proof leads to from `leaf` (siblings from the leaf up, commutative node hash). */
export function rootFromProof(leaf: string, proof: readonly string[]): string {
  let node = parseBytes32(leaf, "leaf");
  proof.forEach((sibling, i) => {
    node = hashPair(node, 0, parseBytes32(sibling, `proof[${i}]`), 0);
  });
  return encodeBytes32(node);
}

/**
 * True if `proof` leads from `leaf` to `root`. Takes a leaf (already double-hashed); to check a
 * record, prefer {@link verifyRecordProof}, which derives the leaf itself, so an internal node cannot
 * be passed off as a leaf with a shortened proof.
 *
 * @throws ValidationError if any value is not `0x` + 64 hex
 */
export function verifyProof(leaf: string, proof: readonly string[], root: string): boolean {
  if (!Array.isArray(proof)) throw new ValidationError("proof", "array");
  return rootFromProof(leaf, proof) === encodeBytes32(parseBytes32(root, "root"));
}

/** True if `proof` proves the record hash under `root` (leaf derived with {@link leafOf}). */
export function verifyRecordProof(recordHash: string, proof: readonly string[], root: string): boolean {
  return verifyProof(leafOf(recordHash), proof, root);
}

/** `StandardMerkleTree.dump()` format, so `StandardMerkleTree.load(tree.dump())` works. */
export interface StandardTreeDump {
  format: "standard-v1";
  leafEncoding: ["bytes32"];
  tree: string[];
  values: { value: [string]; treeIndex: number }[];
}

/** A built batch tree. All hashes are `0x` + 64 lowercase hex. */
export interface MerkleTree {
  readonly root: string;
  /** Number of records (leaves). */
  readonly length: number;
  /** The record hashes in input order, lower-cased. */
  readonly recordHashes: readonly string[];
  /** Leaf hash per input position (computed on first access). */
  readonly leaves: readonly string[];
  /** Leaf hash of the record at input position `index`. */
  leafAt(index: number): string;
  /** Position of that leaf in the node array (StandardMerkleTree's `values[index].treeIndex`). */
  treeIndexOf(index: number): number;
  /** Input position of a record hash (the last one if it occurs twice, as the library does); −1 if absent. */
  indexOf(recordHash: string): number;
  /** Proof of the record at input position `index`: sibling hashes from the leaf up. */
  proofFor(index: number): string[];
  /** Proof of a record hash in the tree. @throws ValidationError if it is not in the tree */
  getProof(recordHash: string): string[];
  /** The tree in StandardMerkleTree's dump format. */
  dump(): StandardTreeDump;
}

/** Largest batch whose position fits beside a 32-bit prefix in a float64's 53-bit mantissa. */
const PACKED_SORT_LIMIT = 2 ** 21;

/**
 * Input positions ordered by leaf hash, ties in input order (the library's stable sort).
 * Packs (32-bit prefix, position) into one number and lets the typed-array sort do the work; only
 * runs of equal prefixes, which are rare, are re-sorted on the full 32 bytes.
 */
function sortByLeaf(leafBytes: Uint8Array, n: number): Uint32Array {
  const prefixOf = (i: number): number => {
    const o = i * 32;
    return ((leafBytes[o] << 24) | (leafBytes[o + 1] << 16) | (leafBytes[o + 2] << 8) | leafBytes[o + 3]) >>> 0;
  };
  const byFullHash = (a: number, b: number): number => compare32(leafBytes, a * 32, leafBytes, b * 32) || a - b;
  if (n > PACKED_SORT_LIMIT) {
    return Uint32Array.from(Array.from({ length: n }, (_, i) => i).sort(byFullHash));
  }
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = prefixOf(i) * PACKED_SORT_LIMIT + i;
  packed.sort();
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = packed[k] % PACKED_SORT_LIMIT;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && prefixOf(order[end]) === prefixOf(order[start])) end++;
    if (end - start > 1) order.subarray(start, end).sort(byFullHash);
    start = end;
  }
  return order;
}

/**
 * Builds the batch tree over `recordHashes` (each `0x` + 64 hex, the keccak256 of a record's
 * canonical JSON). Same result as `StandardMerkleTree.of(recordHashes.map(h => [h]), ["bytes32"])`.
 *
 * @throws ValidationError for an empty list or a value that is not 32 bytes of hex
 */
export function buildTree(recordHashes: readonly string[]): MerkleTree {
  const n = recordHashes.length;
  if (n === 0) throw new ValidationError("recordHashes", "non-empty");
  const input = new Uint8Array(32);
  const leafBytes = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) {
    if (!decodeBytes32(recordHashes[i], input, 0)) throw new ValidationError(`recordHashes[${i}]`, "bytes32-hex");
    leafBytes.set(doubleKeccak(input), i * 32);
  }

  const order = sortByLeaf(leafBytes, n);

  const size = 2 * n - 1;
  const nodes = new Uint8Array(size * 32);
  const treeIndex = new Uint32Array(n);
  for (let sorted = 0; sorted < n; sorted++) {
    const position = size - 1 - sorted;
    treeIndex[order[sorted]] = position;
    nodes.set(leafBytes.subarray(order[sorted] * 32, order[sorted] * 32 + 32), position * 32);
  }
  for (let i = size - 1 - n; i >= 0; i--) {
    const left = (2 * i + 1) * 32;
    // The two children are adjacent: hash them in place when already in ascending order.
    const digest = compare32(nodes, left, nodes, left + 32) <= 0
      ? keccak(nodes.subarray(left, left + 64))
      : hashPair(nodes, left, nodes, left + 32);
    nodes.set(digest, i * 32);
  }

  let lowered: string[] | undefined;
  const lowerHashes = (): string[] => (lowered ??= recordHashes.map((h) => h.toLowerCase()));
  let lookup: Map<string, number> | undefined;
  let leaves: string[] | undefined;
  const checkIndex = (index: number): void => {
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new ValidationError("index", `0..${n - 1}`);
  };
  const indexOf = (recordHash: string): number => {
    lookup ??= new Map(lowerHashes().map((h, i) => [h, i]));
    return typeof recordHash === "string" ? lookup.get(recordHash.toLowerCase()) ?? -1 : -1;
  };
  const proofFor = (index: number): string[] => {
    checkIndex(index);
    const proof: string[] = [];
    for (let at = treeIndex[index]; at > 0; at = (at - 1) >> 1) {
      proof.push(encodeBytes32(nodes, (at % 2 === 1 ? at + 1 : at - 1) * 32));
    }
    return proof;
  };

  return {
    root: encodeBytes32(nodes, 0),
    length: n,
    get recordHashes() {
      return lowerHashes();
    },
    get leaves() {
      leaves ??= Array.from({ length: n }, (_, i) => encodeBytes32(leafBytes, i * 32));
      return leaves;
    },
    leafAt(index) {
      checkIndex(index);
      return encodeBytes32(leafBytes, index * 32);
    },
    treeIndexOf(index) {
      checkIndex(index);
      return treeIndex[index];
    },
    indexOf,
    proofFor,
    getProof(recordHash) {
      const index = indexOf(recordHash);
      if (index < 0) throw new ValidationError("recordHash", "in-tree");
      return proofFor(index);
    },
    dump() {
      return {
        format: "standard-v1",
        leafEncoding: ["bytes32"],
        tree: Array.from({ length: size }, (_, i) => encodeBytes32(nodes, i * 32)),
        values: lowerHashes().map((h, i) => ({ value: [h] as [string], treeIndex: treeIndex[i] })),
      };
    },
  };
}
