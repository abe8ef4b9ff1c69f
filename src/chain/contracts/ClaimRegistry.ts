import type { Wallet } from "ethers";
import type { ClaimRegistrationStruct } from "../../../types/ethers-contracts/ClaimRegistry.js";
import type { Chain } from "../client.js";
import { sendTx, type SentTx, type TxDeps } from "./tx.js";
import type { TxLimits } from "../outbox.js";
import { encodeRegisterBatch } from "./registration-abi.js";

export type { ClaimRegistrationStruct as ClaimRegistration };

/**
 * A package sale as ClaimRegistry.assign takes it (packageId as bytes32, price in minor units, the notice's salted
 * commitment, the salted commitment to the loan files handed over to the buyer — zero when none).
 */
export interface Assignment {
  claimIds: string[];
  to: string;
  packageId: string;
  price: bigint;
  noticeHash: string;
  filesCommitment: string;
}

/**
 * ClaimRegistry's writes, each encoded here once and sent through the outbox (src/chain/contracts/tx.ts):
 * the typed reads are the contract object itself (`chain.registry`).
 */
export function claimRegistryWrites(deps: TxDeps & { chain: Pick<Chain, "registry"> }) {
  const { registry, deployment } = deps.chain;
  const to = deployment.contracts.ClaimRegistry.address;
  return {
    register: (signer: Wallet, registration: ClaimRegistrationStruct, tag: string): Promise<SentTx> =>
      sendTx(deps, "register", signer, to, registry.interface.encodeFunctionData("register", [registration]), tag),

    /** Refused (TxTooLarge, nothing sent) over `limits`: the caller sends fewer registrations at a time. */
    registerBatch: (signer: Wallet, registrations: ClaimRegistrationStruct[], tag: string, limits?: TxLimits): Promise<SentTx> =>
      sendTx(deps, "register-batch", signer, to, encodeRegisterBatch(registrations), tag, limits),

    assign: (signer: Wallet, a: Assignment, tag: string): Promise<SentTx> =>
      sendTx(deps, "assign", signer, to, registry.interface.encodeFunctionData("assign", [a.claimIds, a.to, a.packageId, a.price, a.noticeHash, a.filesCommitment]), tag),
  };
}
