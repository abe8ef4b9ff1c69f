import { TypedBatch } from "../store/db.js";
import { markDirty } from "./dirty.js";
import { REORG_DEPTH, SETTLE_CONCURRENCY, type OracleDeps, type RecentReport } from "./types.js";

/** Per oracle store: the head last checked and the recent reports found on the chain it ends. */
const checked = new WeakMap<object, { head: string; keys: Set<string> }>();

/**
 * Reports whose block vanished (a reorg, a reset dev node) are planned again from their statuses. Reports
 * in blocks deep enough to be final are dropped unchecked (a cycle after a first run over a whole book would
 * otherwise re-check every report of it); the rest are asked of the chain, many at a time: is their
 * transaction still mined and successful (it may be in another block after a reorg), or — for records
 * without one — has the claim's nonce still moved past theirs.
 * @returns how many applied reports vanished
 */
export async function reconcileApplied(deps: Pick<OracleDeps, "repos" | "chain" | "log" | "signer">): Promise<number> {
  const { repos, chain } = deps;
  const latest = await chain.provider.getBlock("latest");
  if (!latest?.hash) return 0;
  const head = latest.number;
  // The head's hash commits to the whole chain: on the chain a report was found on, it is still there. Only
  // reports not yet checked on this head are asked about (an idle chain's recent reports are not re-fetched
  // every cycle; a chain reverted to an earlier head checks the reports applied since).
  const seen = checked.get(repos);
  const known = seen?.head === latest.hash ? seen.keys : new Set<string>();
  const entries: Array<[string, RecentReport]> = [];
  const final = new TypedBatch();
  for await (const [key, r] of repos.recent.iterator()) {
    if (r.blockNumber <= head - REORG_DEPTH) final.del(repos.recent, key);
    else if (!known.has(key)) entries.push([key, r]);
  }
  await final.write(repos.store);
  checked.set(repos, { head: latest.hash, keys: known });
  if (entries.length === 0) return 0;
  let vanished = 0;
  // A batch's reports share one transaction: its receipt is asked once.
  const receipts = new Map<string, Promise<boolean>>();
  const mined = (txHash: string) => {
    let p = receipts.get(txHash);
    if (!p) receipts.set(txHash, (p = chain.provider.getTransactionReceipt(txHash).then((t) => t?.status === 1)));
    return p;
  };
  for (let i = 0; i < entries.length; i += SETTLE_CONCURRENCY) {
    const chunk = entries.slice(i, i + SETTLE_CONCURRENCY);
    const onChain = await Promise.all(chunk.map(async ([, r]) => {
      if (r.txHash) return mined(r.txHash);
      if (r.nonce !== undefined) return Number((await chain.clauses.caseOf(r.claimId)).nonce) > r.nonce;
      return true;
    }));
    const batch = new TypedBatch();
    for (const [k, [key, r]] of chunk.entries()) {
      if (onChain[k]) {
        known.add(key);
        continue;
      }
      const current = await repos.applied.get(r.claimId);
      if (current?.digest === r.digest) {
        batch.del(repos.applied, r.claimId);
        markDirty(batch, repos, r.claimId);
      }
      batch.del(repos.recent, key);
      vanished++;
      deps.log.warn({ claimId: r.claimId, digest: r.digest, block: r.blockNumber }, "an applied report vanished from the chain (reorg); planning it again");
    }
    await batch.write(repos.store);
  }
  // Transactions of the vanished blocks are gone too: the chain's count is the nonce again.
  if (vanished > 0) chain.outbox.resetNonce(deps.signer.address);
  return vanished;
}
