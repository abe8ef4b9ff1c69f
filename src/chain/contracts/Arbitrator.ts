import type { Wallet } from "ethers";
import type { Chain } from "../client.js";
import { sendTx, type SentTx, type TxDeps } from "./tx.js";

/** The Arbitrator's writes (ERC-792), encoded here once and sent through the outbox; reads are `chain.arbitrator`. */
export function arbitratorWrites(deps: TxDeps & { chain: Pick<Chain, "arbitrator"> }) {
  const { arbitrator, deployment } = deps.chain;
  const to = deployment.contracts.Arbitrator.address;
  return {
    /** A court's ruling (the award is executed on the case in the same transaction). */
    giveRuling: (signer: Wallet, disputeId: string, ruling: number, tag: string): Promise<SentTx> =>
      sendTx(deps, "ruling", signer, to, arbitrator.interface.encodeFunctionData("giveRuling", [disputeId, ruling]), tag),
  };
}
