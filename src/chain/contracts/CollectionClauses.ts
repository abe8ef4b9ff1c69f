import type { Wallet } from "ethers";
import type { SignedBatch } from "../reports.js";
import type { Chain } from "../client.js";
import { sendTx, type SentTx, type TxDeps } from "./tx.js";

/** CollectionClauses' writes, encoded here once and sent through the outbox; reads are `chain.clauses`. */
export function collectionClausesWrites(deps: TxDeps & { chain: Pick<Chain, "clauses"> }) {
  const { clauses, deployment } = deps.chain;
  const to = deployment.contracts.CollectionClauses.address;
  const encodeBatch = (batch: SignedBatch) => clauses.interface.encodeFunctionData("submitReports", [batch.reports, batch.signatures]);
  return {
    address: to,

    /** The call data of `submitReports`. */
    encodeBatch,

    /** A quorum-signed batch of oracle reports (one signature set over its digest), applied in one transaction. */
    submitReports: (signer: Wallet, batch: SignedBatch, tag: string): Promise<SentTx> =>
      sendTx(deps, "reports", signer, to, encodeBatch(batch), tag),

    /** An accepted settlement plan: the case moves to Restructured with the plan's commitment. */
    restructure: (signer: Wallet, claimId: string, planHash: string, installments: number, tag: string): Promise<SentTx> =>
      sendTx(deps, "restructure", signer, to, clauses.interface.encodeFunctionData("restructure", [claimId, planHash, installments]), tag),

    /** The holder records the last notice's proven delivery (送达): its notice period runs from `deliveredAt` (unix seconds). */
    recordNoticeDelivery: (signer: Wallet, claimId: string, deliveredAt: number, tag: string): Promise<SentTx> =>
      sendTx(deps, "notice-delivery", signer, to, clauses.interface.encodeFunctionData("recordNoticeDelivery", [claimId, deliveredAt]), tag),

    /** ERC-1497: the claim's evidence linked to its dispute. */
    submitEvidence: (signer: Wallet, claimId: string, uri: string, tag: string): Promise<SentTx> =>
      sendTx(deps, "dispute-evidence", signer, to, clauses.interface.encodeFunctionData("submitEvidence", [claimId, uri]), tag),
  };
}
