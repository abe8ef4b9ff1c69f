import { getAddress as toChecksum, toBeHex } from "ethers";
import { CASE_STATES, type CaseStateName } from "../core/oracle-plan.js";
import type { CaseRow, ClaimRow, TermsRow } from "../store/repos/chain-index.js";

/** The chain index's row helpers (src/chain/index-projection.ts builds the rows from events with them). */

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO32 = `0x${"0".repeat(64)}`;
export const CLOSURE = ["repaid", "dismissed", "settled"] as const;
export const lower = (a: string) => a.toLowerCase();
// Checksummed addresses (a keccak each): a deployment has few accounts, so each is worked out once.
const checksummed = new Map<string, string>();
export const getAddress = (a: string): string => {
  let v = checksummed.get(a);
  if (v === undefined) {
    v = toChecksum(a);
    if (checksummed.size < 10_000) checksummed.set(a, v);
  }
  return v;
};
export const claimIdOf = (v: bigint) => toBeHex(v, 32);
export const stateName = (v: bigint): CaseStateName => {
  const s = CASE_STATES[Number(v)];
  if (!s) throw new RangeError(`unknown case state ${v}`);
  return s;
};

/** What one claim adds to the aggregates. */
export interface Contribution {
  holder: string;
  originator: string;
  state: CaseStateName;
  classification: number;
  outstanding: bigint;
  unreported: boolean;
}

export function contributionOf(claim: ClaimRow, c: CaseRow | undefined): Contribution {
  const report = c?.lastReport ?? null;
  return {
    holder: claim.holder,
    originator: claim.originator,
    state: c?.state ?? "performing",
    classification: report?.classification ?? 0,
    outstanding: BigInt(report?.outstanding ?? claim.outstanding),
    unreported: report === null,
  };
}

export function termsRow(t: {
  currency: string; originatedAt: bigint; maturityAt: bigint; retail: boolean; collateralHash: string; documentsRoot: string;
  clauses: { warnDays: bigint; demandDays: bigint; arbitrationDays: bigint; coverageBps: bigint; noticeDays: bigint };
}): TermsRow {
  const c = t.clauses;
  return {
    currency: Buffer.from(t.currency.slice(2), "hex").toString("ascii"),
    originatedAt: Number(t.originatedAt), maturityAt: Number(t.maturityAt), retail: t.retail,
    clauses: { warnDays: Number(c.warnDays), demandDays: Number(c.demandDays), arbitrationDays: Number(c.arbitrationDays), coverageBps: Number(c.coverageBps), noticeDays: Number(c.noticeDays) },
    collateralHash: t.collateralHash, documentsRoot: t.documentsRoot,
  };
}

export function newCase(claimId: string): CaseRow {
  return {
    claimId, state: "performing", stateSince: null, stateSinceBlock: null, nonce: 0, lastReport: null, lastNoticeAt: null,
    lastNoticeBlock: null, lastNoticeHash: null, disputeId: null, planHash: null, installments: null, closedReason: null,
    arbitrationDeferred: null,
  };
}
