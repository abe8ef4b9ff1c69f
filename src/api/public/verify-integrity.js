// Court page (/verify): a proof bundle's integrity, re-checked in the browser as checkBundleIntegrity in
// src/core/bundle.ts computes it (offline, pure): record hash, leaf, Merkle proof, document commitment.
import { keccak256, toUtf8Bytes, concat, AbiCoder } from "/assets/ethers.min.js";
import canonicalize from "/assets/canonicalize.js";

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const MAX_PROOF_LENGTH = 64;
export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isHash = (v) => typeof v === "string" && HASH.test(v);
const isUint = (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function malformed(b) {
  if (!isObject(b)) return "bundle: object";
  if (b.version !== 1) return "version: 1";
  if (!isObject(b.record)) return "record: object";
  for (const key of ["recordHash", "leaf", "root"]) if (!isHash(b[key])) return `${key}: bytes32 hex`;
  if (!Array.isArray(b.proof) || b.proof.length > MAX_PROOF_LENGTH) return `proof: array of at most ${MAX_PROOF_LENGTH}`;
  if (!b.proof.every(isHash)) return "proof: bytes32 hex";
  if (!isUint(b.chainId) || b.chainId === 0) return "chainId: positive integer";
  if (typeof b.contract !== "string" || !ADDRESS.test(b.contract)) return "contract: address";
  const a = b.anchor;
  if (!isObject(a)) return "anchor: object";
  if (!isHash(a.txHash)) return "anchor.txHash: bytes32 hex";
  if (!isUint(a.blockNumber) || !isUint(a.blockTimestamp)) return "anchor.blockNumber / blockTimestamp: integer";
  if (typeof a.submitter !== "string" || !ADDRESS.test(a.submitter)) return "anchor.submitter: address";
  if (b.document !== undefined) {
    if (!isObject(b.document)) return "document: object";
    for (const key of Object.keys(b.document)) if (key !== "salt" && key !== "commitment") return `document.${key}: unknown-field`;
    if (!isHash(b.document.salt)) return "document.salt: bytes32 hex";
    if (!isHash(b.document.commitment)) return "document.commitment: bytes32 hex";
  }
  return undefined;
}

/** The salted commitment to a document on chain, as documentCommitment in src/core/commitment.ts. */
export function documentCommitment(salt, contentHash) {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [salt.toLowerCase(), contentHash.toLowerCase()]));
}

/** keccak256 of the record's RFC 8785 canonical JSON (UTF-8), as src/core/canonical.ts canonicalHash. */
function recordHashOf(record) {
  return keccak256(toUtf8Bytes(canonicalize(record)));
}

/** {ok} or {ok: false, reason} — reason is one of the bundle failure codes. */
export function checkIntegrity(b) {
  const detail = malformed(b);
  if (detail !== undefined) return { ok: false, reason: "malformed", detail };
  let recordHash;
  try {
    recordHash = recordHashOf(b.record);
  } catch (error) {
    return { ok: false, reason: "malformed", detail: `record: ${error.message}` };
  }
  if (recordHash !== b.recordHash.toLowerCase()) return { ok: false, reason: "record-hash-mismatch" };
  // StandardMerkleTree leaf of a bytes32 value: keccak256(keccak256(recordHash)).
  if (keccak256(keccak256(b.recordHash.toLowerCase())) !== b.leaf.toLowerCase()) return { ok: false, reason: "leaf-mismatch" };
  // OpenZeppelin MerkleProof: each step hashes the pair in ascending order (lower-case hex sorts as the bytes do).
  let node = b.leaf.toLowerCase();
  for (const sibling of b.proof.map((p) => p.toLowerCase())) node = keccak256(concat(node < sibling ? [node, sibling] : [sibling, node]));
  if (node !== b.root.toLowerCase()) return { ok: false, reason: "proof-invalid" };
  // A document committed to on chain (a notice): the commitment is recomputed from the salt and the record.
  if (b.document !== undefined) {
    if (!isHash(b.record.contentHash)) return { ok: false, reason: "malformed", detail: "record.contentHash: bytes32 hex" };
    if (documentCommitment(b.document.salt, b.record.contentHash) !== b.document.commitment.toLowerCase()) return { ok: false, reason: "commitment-mismatch" };
  }
  return { ok: true };
}

