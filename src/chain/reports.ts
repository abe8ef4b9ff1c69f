import { TypedDataEncoder, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

/**
 * EIP-712 oracle reports for contracts/CollectionClauses.sol.
 *
 * Each oracle signs the same {@link Report}; a relayer (anyone) submits `{ report, signatures }` in
 * `submitReports(SignedReport[])`. The contract needs `quorum()` distinct ORACLE signers, `asOf` strictly
 * after the claim's last report and within `maxReportAge()` of block time (at most 5 minutes ahead),
 * `nonce == caseOf(claimId).nonce`, and a digest it has not applied before.
 */

/** The EIP-712 domain name and version CollectionClauses is deployed with. */
export const REPORT_DOMAIN_NAME = "Debtrail CollectionClauses";
export const REPORT_DOMAIN_VERSION = "1";

/** The EIP-712 types of a report (field order matters: it is part of the type hash). */
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

/** The EIP-712 type string, as the contract's REPORT_TYPEHASH hashes it. */
export const REPORT_TYPE =
  "Report(bytes32 claimId,uint64 asOf,uint32 daysPastDue,uint128 outstanding,uint128 collateralValue," +
  "uint8 classification,uint8 riskGrade,bytes32 noticeHash,uint32 nonce)";

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

/** A report with its oracle signatures, as `submitReports` takes it. */
export interface SignedReport {
  report: Report;
  signatures: string[];
}

/** The domain of a deployed CollectionClauses: chain id and address bind every signature to one contract. */
export function reportDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: REPORT_DOMAIN_NAME, version: REPORT_DOMAIN_VERSION, chainId, verifyingContract };
}

/** The digest oracles sign; equals the contract's `reportDigest(report)`. */
export function reportDigest(domain: TypedDataDomain, report: Report): string {
  return TypedDataEncoder.hash(domain, REPORT_TYPES, report);
}

/** One oracle's 65-byte signature over `report`. */
export async function signReport(signer: Signer, domain: TypedDataDomain, report: Report): Promise<string> {
  return signer.signTypedData(domain, REPORT_TYPES, report);
}

/** Signs `report` with each of `signers` (distinct oracles; at least the quorum). */
export async function signReportByQuorum(
  signers: readonly Signer[],
  domain: TypedDataDomain,
  report: Report,
): Promise<SignedReport> {
  const signatures = await Promise.all(signers.map((s) => signReport(s, domain, report)));
  return { report, signatures };
}
