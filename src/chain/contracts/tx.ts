import type { Wallet } from "ethers";
import type { Counter } from "prom-client";
import { UnavailableError } from "../../core/errors.js";
import type { OutboxEntry } from "../../store/repos/outbox.js";
import type { MinedReceipt, TxLimits } from "../outbox.js";
import type { Chain } from "../client.js";
import { ChainRevertError } from "../errors.js";

/** What a contract write needs: the outbox, and the counter of transactions by kind and outcome (optional). */
export interface TxDeps {
  chain: Pick<Chain, "outbox" | "deployment">;
  metrics?: { chainTransactions: Counter<"kind" | "outcome"> };
}

/** A transaction on its way: its outbox entry (store its hash before waiting), and the wait. */
export interface SentTx {
  entry: OutboxEntry;
  hash: string;
  /**
   * The receipt once mined (and confirmed); counts the outcome. `indexed: false`: without waiting for this
   * process's chain index to reach it (a background job no read waits on). @throws ChainRevertError when it reverted
   */
  wait(options?: { indexed?: boolean }): Promise<MinedReceipt>;
}

/** A refused or reverted transaction, or one the node dropped: what `debtrail_chain_transactions_total{outcome="failed"}` counts. */
function isFailure(e: unknown): boolean {
  return e instanceof ChainRevertError || (e instanceof UnavailableError && /dropped/.test(e.message));
}

/**
 * Sends `data` to `to` through the outbox (estimated — a revert surfaces here, decoded —, signed, stored,
 * broadcast) under `tag`; counted as `kind`: "failed" when refused or reverted, "mined" once mined.
 */
export async function sendTx(deps: TxDeps, kind: string, signer: Wallet, to: string, data: string, tag: string, limits?: TxLimits): Promise<SentTx> {
  let entry: OutboxEntry;
  try {
    entry = await deps.chain.outbox.send(signer, { to, data }, tag, limits);
  } catch (e) {
    if (isFailure(e)) deps.metrics?.chainTransactions.inc({ kind, outcome: "failed" });
    throw e;
  }
  return { entry, hash: entry.hash, wait: (options) => waitTx(deps, kind, entry, options) };
}

/**
 * A write whose own record keeps its transaction (a claim's registration, a package sale): sends, saves the
 * record with the hash before waiting (a crash finds the transaction again through it), waits, saves it again
 * with status `mined` and the block. A failure leaves the record as last saved, for the caller to settle.
 */
export async function sendRecorded<R extends { status: string; txHash?: string; blockNumber?: number }>(
  record: R, save: (r: R) => Promise<void>, send: () => Promise<SentTx>, mined: R["status"],
): Promise<MinedReceipt> {
  const sent = await send();
  record.txHash = sent.hash;
  await save(record);
  const receipt = await sent.wait();
  record.status = mined;
  record.blockNumber = receipt.blockNumber;
  await save(record);
  return receipt;
}

/** Waits for a transaction sent before (its entry stored, or found by tag after a crash), counting the outcome. */
export async function waitTx(deps: TxDeps, kind: string, entry: OutboxEntry, options?: { indexed?: boolean }): Promise<MinedReceipt> {
  try {
    const receipt = await deps.chain.outbox.wait(entry, options);
    deps.metrics?.chainTransactions.inc({ kind, outcome: "mined" });
    return receipt;
  } catch (e) {
    if (isFailure(e)) deps.metrics?.chainTransactions.inc({ kind, outcome: "failed" });
    throw e;
  }
}
