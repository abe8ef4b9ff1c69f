/**
 * On-chain half of proof-bundle verification: needs only a JSON-RPC endpoint (an ethers
 * JsonRpcProvider), no Debtrail server. The offline half is checkBundleIntegrity (src/core/bundle.ts).
 */
import { Contract, Interface, getAddress, type Provider } from "ethers";
import { checkBundleIntegrity, type IntegrityReason, type ProofBundle } from "../core/bundle.js";

/** The EvidenceLog functions and event a verifier reads (contracts/interfaces/IEvidenceLog.sol). */
export const EVIDENCE_LOG_VERIFY_ABI = [
  "function anchoredAt(bytes32 root) view returns ((uint40 timestamp, uint48 blockNumber, address submitter))",
  "function verifyRecord(bytes32 recordHash, bytes32[] proof, bytes32 root) view returns (bool)",
  "event RootAnchored(bytes32 indexed root, address indexed submitter, uint32 count, string uri)",
] as const;

export type BundleFailure =
  | IntegrityReason
  | "chain-mismatch" // the endpoint serves another chain than the bundle names
  | "no-contract" // no code at the bundle's contract address
  | "root-not-anchored" // the contract has no record of the root
  | "anchor-mismatch" // the contract's block / time / submitter differ from the bundle's anchor
  | "anchor-tx-not-found" // the stated transaction is unknown, failed, or in another block
  | "anchor-log-missing" // the stated transaction did not emit RootAnchored(root) from the contract
  | "proof-rejected-on-chain"; // the contract's own verifyRecord says no

export interface BundleVerification {
  verified: boolean;
  reason?: BundleFailure;
  /** Unix seconds at which the contract says the root was anchored (0 if not anchored / not reached). */
  anchoredAt: number;
  blockNumber: number;
  txHash: string;
  chainId: number;
  contract: string;
}

/**
 * Verifies a bundle against a chain: integrity first (offline), then that the provider serves the
 * bundle's chain, that the contract exists, that it anchored the root at the stated block by the
 * stated account, that the stated transaction emitted the RootAnchored event for the root, and that
 * the contract itself accepts the proof. Never throws for a bad bundle; network errors propagate.
 *
 * @param provider any ethers provider; a court uses `new JsonRpcProvider(url)` against a node it trusts
 */
export async function verifyBundleOnChain(bundle: ProofBundle, provider: Provider): Promise<BundleVerification> {
  // Echoed in the answer even for a malformed bundle: only values of the right type (a hostile object
  // such as {"toString": 1} would throw in Number() or String()).
  const int = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) ? v : 0);
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const anchor = (bundle as { anchor?: unknown } | null)?.anchor as Record<string, unknown> | null | undefined;
  const base = {
    anchoredAt: 0,
    blockNumber: int(anchor?.blockNumber),
    txHash: text(anchor?.txHash),
    chainId: int((bundle as { chainId?: unknown } | null)?.chainId),
    contract: text((bundle as { contract?: unknown } | null)?.contract),
  };
  const fail = (reason: BundleFailure, anchoredAt = 0): BundleVerification => ({ ...base, anchoredAt, verified: false, reason });

  const integrity = checkBundleIntegrity(bundle);
  if (!integrity.ok) return fail(integrity.reason);

  const network = await provider.getNetwork();
  if (network.chainId !== BigInt(bundle.chainId)) return fail("chain-mismatch");

  // Hex case carries no meaning here (as for the hashes): a mixed-case address with a wrong EIP-55 checksum is
  // read as its lowercase form, like the court page does, instead of making ethers throw.
  const address = getAddress(bundle.contract.toLowerCase());
  if ((await provider.getCode(address)) === "0x") return fail("no-contract");

  const log = new Contract(address, EVIDENCE_LOG_VERIFY_ABI, provider);
  let anchored: { timestamp: bigint; blockNumber: bigint; submitter: string };
  try {
    anchored = await log.anchoredAt(bundle.root);
  } catch {
    return fail("no-contract"); // code, but not an EvidenceLog
  }
  const anchoredAt = Number(anchored.timestamp);
  if (anchoredAt === 0) return fail("root-not-anchored");
  if (Number(anchored.blockNumber) !== bundle.anchor.blockNumber || anchoredAt !== bundle.anchor.blockTimestamp
    || getAddress(anchored.submitter) !== getAddress(bundle.anchor.submitter.toLowerCase())) {
    return fail("anchor-mismatch", anchoredAt);
  }

  const receipt = await provider.getTransactionReceipt(bundle.anchor.txHash);
  if (receipt === null || receipt.status !== 1 || receipt.blockNumber !== bundle.anchor.blockNumber) {
    return fail("anchor-tx-not-found", anchoredAt);
  }
  const iface = new Interface(EVIDENCE_LOG_VERIFY_ABI);
  const topic = iface.getEvent("RootAnchored")!.topicHash;
  const emitted = receipt.logs.some((entry) => entry.address.toLowerCase() === address.toLowerCase()
    && entry.topics[0] === topic && entry.topics[1]?.toLowerCase() === bundle.root.toLowerCase());
  if (!emitted) return fail("anchor-log-missing", anchoredAt);

  if (!(await log.verifyRecord(bundle.recordHash, bundle.proof, bundle.root))) return fail("proof-rejected-on-chain", anchoredAt);
  return { ...base, anchoredAt, verified: true };
}

/** What each outcome means, for the court page and the CLI (zh-CN and English). */
export const BUNDLE_FAILURE_MESSAGES: Record<BundleFailure, { en: string; "zh-CN": string }> = {
  malformed: { en: "The bundle is not a well-formed Debtrail proof bundle.", "zh-CN": "证明包格式不正确。" },
  "record-hash-mismatch": {
    en: "The record does not hash to the stated record hash: the record or the hash was changed.",
    "zh-CN": "记录的哈希与证明包中的记录哈希不符：记录或哈希已被改动。",
  },
  "leaf-mismatch": { en: "The leaf is not derived from the record hash.", "zh-CN": "默克尔叶子不是由记录哈希计算得出。" },
  "proof-invalid": { en: "The Merkle proof does not lead to the stated root.", "zh-CN": "默克尔证明无法推导出所述的根。" },
  "chain-mismatch": { en: "The node serves a different chain than the bundle names.", "zh-CN": "所连接节点的链 ID 与证明包不一致。" },
  "no-contract": { en: "No evidence contract exists at the stated address on this chain.", "zh-CN": "该链上所述地址没有存证合约。" },
  "root-not-anchored": { en: "The contract has no record of this Merkle root.", "zh-CN": "合约中没有该默克尔根的锚定记录。" },
  "anchor-mismatch": {
    en: "The contract anchored the root at another block, time or by another account than the bundle states.",
    "zh-CN": "合约记录的锚定区块、时间或提交账户与证明包不一致。",
  },
  "anchor-tx-not-found": {
    en: "The stated anchoring transaction was not found, failed, or is in another block.",
    "zh-CN": "未找到所述锚定交易，或该交易失败，或不在所述区块中。",
  },
  "anchor-log-missing": {
    en: "The stated transaction did not anchor this root (no RootAnchored event).",
    "zh-CN": "所述交易并未锚定该根（无 RootAnchored 事件）。",
  },
  "proof-rejected-on-chain": { en: "The contract rejected the proof.", "zh-CN": "合约验证该证明未通过。" },
  "commitment-mismatch": {
    en: "The document commitment is not keccak256(abi.encode(salt, content hash)): the salt, the commitment or the record was changed.",
    "zh-CN": "文件承诺值不等于 keccak256(abi.encode(盐值, 内容哈希))：盐值、承诺值或记录已被改动。",
  },
};
