// The court page's own checks of a proof bundle (src/api/public/verify.js uses them): its integrity offline, and
// its anchor against the court's own JSON-RPC node — in the browser, without the Debtrail server.
import { keccak256, toUtf8Bytes, concat, getAddress, AbiCoder, Contract, Interface, JsonRpcProvider, Network } from "/assets/ethers.min.js";
import canonicalize from "/assets/canonicalize.js";

// ---------------------------------------------------------------------------------------------
// Integrity, as checkBundleIntegrity in src/core/bundle.ts (offline, pure).

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

// ---------------------------------------------------------------------------------------------
// On-chain check from this browser against the court's own node, as verifyBundleOnChain in
// src/chain/verify-bundle.ts.

export async function verifyOnNode(b, url, abi) {
  const base = { anchoredAt: 0, blockNumber: b?.anchor?.blockNumber ?? 0, txHash: b?.anchor?.txHash ?? "", chainId: b?.chainId ?? 0, contract: b?.contract ?? "" };
  const fail = (reason, anchoredAt = 0) => ({ ...base, anchoredAt, verified: false, reason });
  const integrity = checkIntegrity(b);
  if (!integrity.ok) return fail(integrity.reason);

  // The court's own node: unreachable (the browser says only "Failed to fetch") or answering something else than
  // JSON-RPC is thrown as such (`rpcProblem`), for the page to say it with the address.
  let chainId;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    chainId = BigInt((await res.json()).result);
  } catch (error) {
    throw Object.assign(new Error(`${url}: ${error?.message ?? error}`), { rpcProblem: error instanceof TypeError && /fetch/i.test(error.message) ? "unreachable" : "bad-answer", url });
  }
  const provider = new JsonRpcProvider(url, Network.from(chainId), { staticNetwork: true });
  try {
    if (chainId !== BigInt(b.chainId)) return fail("chain-mismatch");
    const address = getAddress(b.contract.toLowerCase());
    if ((await provider.getCode(address)) === "0x") return fail("no-contract");
    const log = new Contract(address, abi, provider);
    let anchored;
    try {
      anchored = await log.anchoredAt(b.root);
    } catch {
      return fail("no-contract");
    }
    const anchoredAt = Number(anchored.timestamp);
    if (anchoredAt === 0) return fail("root-not-anchored");
    if (Number(anchored.blockNumber) !== b.anchor.blockNumber || anchoredAt !== b.anchor.blockTimestamp
      || anchored.submitter.toLowerCase() !== b.anchor.submitter.toLowerCase()) return fail("anchor-mismatch", anchoredAt);
    const receipt = await provider.getTransactionReceipt(b.anchor.txHash);
    if (receipt === null || receipt.status !== 1 || receipt.blockNumber !== b.anchor.blockNumber) return fail("anchor-tx-not-found", anchoredAt);
    const topic = new Interface(abi).getEvent("RootAnchored").topicHash;
    const emitted = receipt.logs.some((entry) => entry.address.toLowerCase() === address.toLowerCase()
      && entry.topics[0] === topic && entry.topics[1]?.toLowerCase() === b.root.toLowerCase());
    if (!emitted) return fail("anchor-log-missing", anchoredAt);
    if (!(await log.verifyRecord(b.recordHash, b.proof, b.root))) return fail("proof-rejected-on-chain", anchoredAt);
    return { ...base, anchoredAt, verified: true };
  } finally {
    provider.destroy();
  }
}
