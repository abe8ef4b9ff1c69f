import type { Wallet } from "ethers";
import type { Chain } from "../client.js";
import { sendTx, type SentTx, type TxDeps } from "./tx.js";

/** EvidenceLog's writes, encoded here once and sent through the outbox; reads are `chain.evidenceLog`. */
export function evidenceLogWrites(deps: TxDeps & { chain: Pick<Chain, "evidenceLog"> }) {
  const { evidenceLog, deployment } = deps.chain;
  const to = deployment.contracts.EvidenceLog.address;
  return {
    /** Anchors a batch's Merkle root: `count` records, `uri` where the batch is described. */
    anchor: (signer: Wallet, root: string, count: number, uri: string, tag: string): Promise<SentTx> =>
      sendTx(deps, "anchor", signer, to, evidenceLog.interface.encodeFunctionData("anchor", [root, count, uri]), tag),
  };
}
