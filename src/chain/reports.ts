import { AbiCoder, TypedDataEncoder, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

/**
 * EIP-712 oracle report batches for contracts/CollectionClauses.sol.
 *
 * Oracles sign a batch, never a report alone (Chainlink OCR-style): one signature set over the digest of the
 * typed data `ReportBatch(bytes reports)` under the contract's domain (name, version, chain id, address),
 * `reports` being `abi.encode(Report[])`. A relayer (anyone) submits `submitReports(reports, signatures)`. The
 * contract needs `quorum()` distinct ORACLE signers over exactly these bytes, a batch digest it has not applied,
 * and for each report `asOf` strictly after the claim's last report and within `maxReportAge()` of block time
 * (at most 5 minutes ahead) and `nonce == caseOf(claimId).nonce`.
 */

/** The EIP-712 domain name and version CollectionClauses is deployed with. */
export const REPORT_DOMAIN_NAME = "Debtrail CollectionClauses";
export const REPORT_DOMAIN_VERSION = "1";

/** What oracles sign: the ABI encoding of the batch's reports. */
export const BATCH_TYPES: Record<string, TypedDataField[]> = { ReportBatch: [{ name: "reports", type: "bytes" }] };

/** The EIP-712 type of one report, for its local identity ({@link reportHash}); field order as in the contract's struct. */
export const REPORT_TYPES: Record<string, TypedDataField[]> = {
  Report: [
    { name: "claimId", type: "bytes32" },
    { name: "asOf", type: "uint64" },
    { name: "daysPastDue", type: "uint32" },
    { name: "outstanding", type: "uint128" },
    { name: "collateralValue", type: "uint128" },
    { name: "classification", type: "uint8" },
    { name: "riskGrade", type: "uint8" },
    { name: "noticeHash", type: "bytes32" },
    { name: "nonce", type: "uint32" },
  ],
};

/** The ABI type of `Report[]` as `submitReports` decodes it. */
const REPORTS_ABI = "tuple(bytes32 claimId,uint64 asOf,uint32 daysPastDue,uint128 outstanding,uint128 collateralValue,uint8 classification,uint8 riskGrade,bytes32 noticeHash,uint32 nonce)[]";

export const ZERO_HASH = "0x" + "00".repeat(32);

/** Five-tier classification: 0 正常 pass .. 4 损失 loss. */
export type Classification = 0 | 1 | 2 | 3 | 4;
/** Risk grade: 0 = A .. 4 = E. */
export type RiskGrade = 0 | 1 | 2 | 3 | 4;

/** One oracle report. Amounts in minor units; `asOf` in unix seconds. */
export interface Report {
  claimId: string;
  asOf: bigint;
  daysPastDue: number;
  outstanding: bigint;
  collateralValue: bigint;
  classification: Classification;
  riskGrade: RiskGrade;
  /** Hash of the warning or formal demand this report delivers; {@link ZERO_HASH} when none. */
  noticeHash: string;
  /** The claim's next nonce: `caseOf(claimId).nonce` on chain. */
  nonce: number;
}

/** A batch as `submitReports` takes it: the encoded reports and the oracles' signatures over their digest. */
export interface SignedBatch {
  reports: string;
  signatures: string[];
}

/** The domain of a deployed CollectionClauses: chain id and address bind every signature to one contract. */
export function reportDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: REPORT_DOMAIN_NAME, version: REPORT_DOMAIN_VERSION, chainId, verifyingContract };
}

/** `abi.encode(Report[])`: the bytes a batch is signed and submitted as. */
export function encodeReports(reports: readonly Report[]): string {
  return AbiCoder.defaultAbiCoder().encode([REPORTS_ABI], [reports.map((r) => [
    r.claimId, r.asOf, r.daysPastDue, r.outstanding, r.collateralValue, r.classification, r.riskGrade, r.noticeHash, r.nonce,
  ])]);
}

/** The reports of an encoded batch (what a co-signer checks before it signs those bytes). */
export function decodeReports(encoded: string): Report[] {
  const [rows] = AbiCoder.defaultAbiCoder().decode([REPORTS_ABI], encoded);
  return (rows as unknown[][]).map((r) => ({
    claimId: String(r[0]), asOf: BigInt(r[1] as bigint), daysPastDue: Number(r[2]), outstanding: BigInt(r[3] as bigint),
    collateralValue: BigInt(r[4] as bigint), classification: Number(r[5]) as Classification, riskGrade: Number(r[6]) as RiskGrade,
    noticeHash: String(r[7]), nonce: Number(r[8]),
  }));
}

/** A report's local identity (its EIP-712 struct hash); on chain a report is identified by (claimId, nonce). */
export function reportHash(report: Report): string {
  return TypedDataEncoder.hashStruct("Report", REPORT_TYPES, report);
}

/** The digest oracles sign for a batch (in this order); equals the contract's `batchDigest(encodeReports(reports))`. */
export function batchDigest(domain: TypedDataDomain, reports: readonly Report[] | string): string {
  return TypedDataEncoder.hash(domain, BATCH_TYPES, { reports: typeof reports === "string" ? reports : encodeReports(reports) });
}

/** One oracle's 65-byte signature over the batch `reports`. */
export async function signBatch(signer: Signer, domain: TypedDataDomain, reports: readonly Report[]): Promise<string> {
  return signer.signTypedData(domain, BATCH_TYPES, { reports: encodeReports(reports) });
}

/** Signs the batch `reports` with each of `signers` (distinct oracles; at least the quorum). */
export async function signBatchByQuorum(
  signers: readonly Signer[],
  domain: TypedDataDomain,
  reports: readonly Report[],
): Promise<SignedBatch> {
  const signatures = await Promise.all(signers.map((s) => signBatch(s, domain, reports)));
  return { reports: encodeReports(reports), signatures };
}
