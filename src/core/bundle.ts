/**
 * Receipt / proof bundle: everything a court needs to check one evidence record without Debtrail —
 * the record, its hash, leaf and Merkle proof, the anchored root, and where the root was anchored.
 * {@link checkBundleIntegrity} is the offline half (pure); src/chain/verify-bundle.ts the on-chain half.
 * A bundle of a document committed to on chain (a notice) also carries the salt and the commitment,
 * which every verifier recomputes from the record's contentHash.
 */
import { validateEvidenceRecord, recordHash as hashRecord, isHash, type EvidenceRecord } from "./evidence.js";
import { leafOf, verifyProof, type MerkleTree } from "./merkle.js";
import { ValidationError } from "./errors.js";
import { documentCommitment } from "./commitment.js";

export const BUNDLE_VERSION = 1;

/** Where and when the batch root was anchored on chain. */
export interface BundleAnchor {
  txHash: string;
  blockNumber: number;
  /** Unix seconds of the anchoring block. */
  blockTimestamp: number;
  /** Account that anchored the root (holds RECORDER). */
  submitter: string;
}

/**
 * A document whose salted commitment is on chain (a warning or demand notice: CaseStateChanged's
 * noticeHash): the salt, and the commitment `keccak256(abi.encode(salt, record.contentHash))`.
 * Present only in bundles given to who may read the claim: with the salt, the commitment can be
 * tested against guesses of the text.
 */
export interface BundleDocument {
  salt: string;
  commitment: string;
}

export interface ProofBundle {
  version: typeof BUNDLE_VERSION;
  record: EvidenceRecord;
  /** keccak256 of the record's canonical JSON. */
  recordHash: string;
  /** keccak256(keccak256(recordHash)), StandardMerkleTree leaf. */
  leaf: string;
  proof: string[];
  root: string;
  chainId: number;
  /** EvidenceLog address. */
  contract: string;
  anchor: BundleAnchor;
  /** The salted commitment to the record's document, when one went on chain (see {@link BundleDocument}). */
  document?: BundleDocument;
}

export type IntegrityReason = "malformed" | "record-hash-mismatch" | "leaf-mismatch" | "proof-invalid" | "commitment-mismatch";
export type IntegrityResult = { ok: true } | { ok: false; reason: IntegrityReason; detail?: string };

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** Deeper than any tree of 2^64 leaves could be; bounds the work a hostile bundle can ask for. */
const MAX_PROOF_LENGTH = 64;

/**
 * Assembles the bundle of the record at input position `index` of `tree`.
 *
 * @throws ValidationError if the record is not the one at `index`
 */
export function buildBundle(args: {
  record: EvidenceRecord;
  tree: MerkleTree;
  index: number;
  chainId: number | bigint;
  contract: string;
  anchor: BundleAnchor;
  document?: BundleDocument;
}): ProofBundle {
  const recordHash = hashRecord(args.record);
  if (args.tree.recordHashes[args.index] !== recordHash) throw new ValidationError("index", "record-at-index");
  return {
    version: BUNDLE_VERSION,
    record: args.record,
    recordHash,
    leaf: args.tree.leafAt(args.index),
    proof: args.tree.proofFor(args.index),
    root: args.tree.root,
    chainId: Number(args.chainId),
    contract: args.contract,
    anchor: { ...args.anchor },
    ...(args.document ? { document: { salt: args.document.salt, commitment: args.document.commitment } } : {}),
  };
}

/**
 * Recomputes the record hash from the canonical record, the leaf from the record hash, and the root
 * from leaf and proof; reports the first thing that does not hold. Pure and offline: whether the
 * root is anchored is for verifyBundleOnChain.
 */
export function checkBundleIntegrity(bundle: unknown): IntegrityResult {
  const malformed = describeMalformed(bundle);
  if (malformed !== undefined) return { ok: false, reason: "malformed", detail: malformed };
  const b = bundle as ProofBundle;
  if (hashRecord(b.record) !== b.recordHash.toLowerCase()) return { ok: false, reason: "record-hash-mismatch" };
  if (leafOf(b.recordHash) !== b.leaf.toLowerCase()) return { ok: false, reason: "leaf-mismatch" };
  if (!verifyProof(b.leaf, b.proof, b.root)) return { ok: false, reason: "proof-invalid" };
  if (b.document !== undefined && documentCommitment(b.document.salt, b.record.contentHash) !== b.document.commitment.toLowerCase()) {
    return { ok: false, reason: "commitment-mismatch" };
  }
  return { ok: true };
}

/** Why `bundle` is not a well-formed v1 bundle, or undefined if it is. */
function describeMalformed(bundle: unknown): string | undefined {
  if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle)) return "bundle: object";
  const b = bundle as Record<string, unknown>;
  if (b.version !== BUNDLE_VERSION) return `version: ${BUNDLE_VERSION}`;
  try {
    validateEvidenceRecord(b.record);
  } catch (error) {
    return `record.${error instanceof ValidationError ? `${error.field}: ${error.rule}` : "invalid"}`;
  }
  for (const key of ["recordHash", "leaf", "root"] as const) {
    if (!isHash(typeof b[key] === "string" ? (b[key] as string).toLowerCase() : b[key])) return `${key}: bytes32 hex`;
  }
  if (!Array.isArray(b.proof) || b.proof.length > MAX_PROOF_LENGTH) return `proof: array of at most ${MAX_PROOF_LENGTH}`;
  if (!b.proof.every((p) => typeof p === "string" && isHash(p.toLowerCase()))) return "proof: bytes32 hex";
  if (typeof b.chainId !== "number" || !Number.isSafeInteger(b.chainId) || b.chainId <= 0) return "chainId: positive integer";
  if (typeof b.contract !== "string" || !ADDRESS.test(b.contract)) return "contract: address";
  const a = b.anchor as Record<string, unknown> | null | undefined;
  if (a === null || typeof a !== "object") return "anchor: object";
  if (typeof a.txHash !== "string" || !isHash(a.txHash.toLowerCase())) return "anchor.txHash: bytes32 hex";
  for (const key of ["blockNumber", "blockTimestamp"] as const) {
    if (typeof a[key] !== "number" || !Number.isSafeInteger(a[key]) || (a[key] as number) < 0) return `anchor.${key}: integer`;
  }
  if (typeof a.submitter !== "string" || !ADDRESS.test(a.submitter)) return "anchor.submitter: address";
  if (b.document !== undefined) {
    const d = b.document as Record<string, unknown> | null;
    if (d === null || typeof d !== "object" || Array.isArray(d)) return "document: object";
    for (const key of Object.keys(d)) if (key !== "salt" && key !== "commitment") return `document.${key}: unknown-field`;
    for (const key of ["salt", "commitment"] as const) {
      if (!isHash(typeof d[key] === "string" ? (d[key] as string).toLowerCase() : d[key])) return `document.${key}: bytes32 hex`;
    }
  }
  return undefined;
}
