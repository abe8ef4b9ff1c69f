import type { Wallet } from "ethers";
import type { ListingTermsStruct } from "../../../types/ethers-contracts/ClaimMarket.js";
import type { Chain } from "../client.js";
import { sendTx, type SentTx, type TxDeps } from "./tx.js";
import { ValidationError } from "../../core/errors.js";

export type { ListingTermsStruct as ListingTerms };

/**
 * ClaimMarket's writes (issue 19), each encoded here once and sent through the outbox under a caller's tag (so a
 * restarted node finds a transaction it sent before instead of sending it again); reads are `chain.market`.
 */
export function claimMarketWrites(deps: TxDeps & { chain: Pick<Chain, "market"> }) {
  const { market, deployment } = deps.chain;
  if (!market || !deployment.contracts.ClaimMarket) throw new ValidationError("DEPLOYMENT_FILE", "the deployment has no ClaimMarket: redeploy");
  const to = deployment.contracts.ClaimMarket.address;
  const send = (kind: string, signer: Wallet, data: string, tag: string): Promise<SentTx> => sendTx(deps, kind, signer, to, data, tag);
  const f = market.interface;
  return {
    list: (signer: Wallet, terms: ListingTermsStruct, claimIds: string[], tag: string) => send("market-list", signer, f.encodeFunctionData("list", [terms, claimIds]), tag),
    cancel: (signer: Wallet, listingId: string, claimIds: string[], tag: string) => send("market-cancel", signer, f.encodeFunctionData("cancel", [listingId, claimIds]), tag),
    commitBid: (signer: Wallet, listingId: string, commitment: string, depositRef: string, tag: string) =>
      send("market-commit", signer, f.encodeFunctionData("commitBid", [listingId, commitment, depositRef]), tag),
    revealBid: (signer: Wallet, listingId: string, amount: bigint, salt: string, tag: string) =>
      send("market-reveal", signer, f.encodeFunctionData("revealBid", [listingId, amount, salt]), tag),
    award: (signer: Wallet, listingId: string, claimIds: string[], reserve: bigint, salt: string, tag: string) =>
      send("market-award", signer, f.encodeFunctionData("award", [listingId, claimIds, reserve, salt]), tag),
    recordPayment: (signer: Wallet, listingId: string, paymentCommitment: string, tag: string) =>
      send("market-payment", signer, f.encodeFunctionData("recordPayment", [listingId, paymentCommitment]), tag),
    executeAward: (signer: Wallet, a: { listingId: string; claimIds: string[]; packageId: string; noticeHash: string; filesCommitment: string }, tag: string) =>
      send("market-execute", signer, f.encodeFunctionData("executeAward", [a.listingId, a.claimIds, a.packageId, a.noticeHash, a.filesCommitment]), tag),
    awardRunnerUp: (signer: Wallet, listingId: string, claimIds: string[], tag: string) =>
      send("market-runner-up", signer, f.encodeFunctionData("awardRunnerUp", [listingId, claimIds]), tag),
  };
}

export type ClaimMarketWrites = ReturnType<typeof claimMarketWrites>;
