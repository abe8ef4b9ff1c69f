import { NotFoundError } from "../../core/errors.js";
import { bytes32ToOriginatorCode } from "../../chain/roles.js";
import type { CaseRow, ChainIndex, ClaimRow, OwnershipEvent } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { SublevelOf } from "../../store/db.js";
import { mayReadDetails, mayReadPersonalData, needsDisputeLookup, withheld, type ClaimParties, type Party } from "../access.js";

/**
 * Reading a claim (GET /v1/claims/:id and its history): the chain's facts from the chain index, the
 * off-chain record from the store — no JSON-RPC call. Every answer names the block the index reflected
 * (`asOfBlock`), and who may read what is decided on the parties at that same block (src/app/access.ts).
 */
export interface ClaimReadDeps {
  repos: {
    index: Pick<ChainIndex, "claim" | "history">;
    records: Pick<SublevelOf<ClaimRecord>, "get">;
    /** A package sale's notice by its on-chain commitment: its salt and content hash (services/assignments.ts). */
    noticeOf(commitment: string): Promise<{ salt: string; contentHash: string } | undefined>;
    /** A package sale by its on-chain ref, when this node's store has it (src/app/packages/sales.ts). */
    packageOf?(ref: string): Promise<{ label: string; salt: string; price: string; shares: Record<string, string> } | undefined>;
  };
}

const iso = (unix: number) => new Date(unix * 1000).toISOString();

/** The claim's parties as the index and this node's record say, for `p` (the dispute only for a court). */
export function partiesOf(claimId: string, claim: ClaimRow | null, c: CaseRow | null, record: ClaimRecord | undefined, p?: Party): ClaimParties {
  return {
    claimId,
    registered: claim !== null,
    holder: claim?.holder ?? null,
    originator: record?.originator ?? null,
    beforeCourt: claim !== null && !!p && needsDisputeLookup(p) && (c?.disputeId ?? null) !== null,
  };
}

function onChainOf(claim: ClaimRow) {
  const t = claim.terms;
  return {
    holder: claim.holder,
    principal: claim.principal,
    outstanding: claim.outstanding,
    currency: t.currency,
    originatedAt: iso(t.originatedAt),
    maturityAt: iso(t.maturityAt),
    retail: t.retail,
    clauses: t.clauses,
    collateralHash: t.collateralHash,
    documentsRoot: t.documentsRoot,
    resaleRestricted: claim.resaleRestricted,
  };
}

export function createClaimReads(deps: ClaimReadDeps) {
  const { index, records, noticeOf, packageOf } = deps.repos;

  /** The claim's parties at the index's block, with that block; NotFoundError when neither on chain nor recorded here. */
  async function parties(claimIdIn: string, p?: Party) {
    const claimId = claimIdIn.toLowerCase();
    const [read, record] = await Promise.all([index.claim(claimId), records.get(claimId)]);
    if (!read.claim && !record) throw new NotFoundError("claim", claimId);
    return { parties: partiesOf(claimId, read.claim, read.case, record, p), asOfBlock: read.asOfBlock };
  }

  return {
    parties,

    /**
     * The claim as the chain and the store know it: on-chain facts for any key; off-chain details for the
     * claim's parties, personal data for fewer (src/app/access.ts). A bank's pending record only for that bank.
     */
    async get(p: Party, claimIdIn: string) {
      const claimId = claimIdIn.toLowerCase();
      const [read, record] = await Promise.all([index.claim(claimId), records.get(claimId)]);
      const { claim } = read;
      if (!claim && !record) throw new NotFoundError("claim", claimId);
      const parties = partiesOf(claimId, claim, read.case, record, p);
      const details = !!record && mayReadDetails(p, parties);
      if (!claim && !details) throw new NotFoundError("claim", claimId);
      const personal = mayReadPersonalData(p, parties);
      return {
        claimId,
        asOfBlock: read.asOfBlock,
        status: claim ? "registered" : record!.status,
        onChain: claim ? onChainOf(claim) : null,
        ...(record && !details ? { offChainWithheld: withheld(parties) } : {}),
        offChain: record && details
          ? {
              originatorCode: record.originatorCode,
              contractNo: record.contractNo,
              // With the contract number, the salt lets a buyer or a court recompute the on-chain loanRef
              // (core/commitment.ts checkLoanRef); to anyone else it would let them test guesses.
              ...(personal && record.loanSalt ? { loanSalt: record.loanSalt, loanRef: record.loanRef } : {}),
              originator: record.originator,
              product: record.product,
              region: record.region,
              collateral: personal ? record.collateral : undefined,
              debtor: personal ? record.debtor : undefined,
              // Guarantors' names and ID numbers are personal data, like the debtor's.
              legal: personal ? record.legal : undefined,
              personalDataRedacted: !personal,
              registeredTx: record.txHash,
            }
          : null,
      };
    },

    /**
     * Ownership history from the index, oldest first. A package sale's noticeHash is a salted commitment;
     * who may read the claim also gets its salt and the notice's content hash to check it.
     */
    async history(claimIdIn: string, p?: Party) {
      const claimId = claimIdIn.toLowerCase();
      const [read, record] = await Promise.all([index.history(claimId), records.get(claimId)]);
      if (!read.claim) throw new NotFoundError("claim", claimId);
      const entitled = !!p && mayReadDetails(p, partiesOf(claimId, read.claim, read.case, record, p));
      const events = [];
      for (const e of read.events) events.push(await eventView(e, entitled, claimId));
      return { claimId, asOfBlock: read.asOfBlock, events };
    },
  };

  /**
   * A package sale names its package by the label and this claim's share of the price where this node knows the
   * sale (its seller's store) and the reader may read the claim; else by the on-chain ref, with the whole price.
   */
  async function eventView(e: OwnershipEvent, entitled: boolean, claimId: string) {
    const notice = e.type === "assigned" && entitled && e.noticeHash ? await noticeOf(e.noticeHash) : undefined;
    const pkg = e.type === "assigned" && e.packageId !== null && packageOf ? await packageOf(e.packageId) : undefined;
    const share = pkg?.shares[claimId];
    return {
      ...(notice ? { noticeSalt: notice.salt, noticeContentHash: notice.contentHash } : {}),
      type: e.type,
      from: e.from,
      to: e.to,
      packageId: e.packageId === null ? null : pkg && entitled ? pkg.label : legacyPackageId(e.packageId),
      ...(e.packageId !== null ? { packageRef: e.packageId } : {}),
      ...(pkg && entitled ? { packageSalt: pkg.salt, ...(share !== undefined ? { priceShare: share } : {}) } : {}),
      price: e.price,
      noticeHash: e.noticeHash,
      filesCommitment: e.filesCommitment ?? null,
      txHash: e.txHash,
      blockNumber: e.blockNumber,
      timestamp: iso(e.timestamp),
    };
  }
}

/** An id sold before salted refs (ASCII in the bytes32 itself) reads as itself; a ref stays the ref. */
function legacyPackageId(ref: string): string {
  const text = bytes32ToOriginatorCode(ref);
  return /^[\x20-\x7e]+$/.test(text) ? text : ref;
}

export type ClaimReads = ReturnType<typeof createClaimReads>;
