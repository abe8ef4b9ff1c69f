import type { MinedReceipt } from "../../chain/receipts.js";
import { waitTx, type SentTx } from "../../chain/contracts/tx.js";
import type { MarketDeps } from "./deps.js";

/**
 * A market write exactly once across restarts: the record (written before this is called) keeps the hash of the
 * transaction sent for it under `field`; called again after a crash, it waits for that transaction instead of
 * sending another. The caller saves the record with the hash before waiting.
 */
export async function sendOnce<R extends object>(
  deps: MarketDeps, kind: string, record: R, field: keyof R & string, save: (r: R) => Promise<void>, send: () => Promise<SentTx>,
): Promise<MinedReceipt> {
  const known = (record as Record<string, unknown>)[field] as string | undefined;
  const entry = known ? await deps.chain.outbox.get(known) : undefined;
  if (entry) return waitTx(deps, kind, entry);
  const sent = await send();
  (record as Record<string, unknown>)[field] = sent.hash;
  await save(record);
  return sent.wait();
}
