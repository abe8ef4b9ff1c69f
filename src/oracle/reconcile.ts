import { TypedBatch } from "../store/db.js";
import { markDirty } from "./dirty.js";
import { REORG_DEPTH, SETTLE_CONCURRENCY, type OracleDeps, type RecentReport } from "./types.js";

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
  const head = await chain.provider.getBlockNumber();
  const entries: Array<[string, RecentReport]> = [];
  const final = new TypedBatch();
  for await (const [key, r] of repos.recent.iterator()) {
    if (r.blockNumber <= head - REORG_DEPTH) final.del(repos.recent, key);
    else entries.push([key, r]);
  }
  await final.write(repos.store);
  if (entries.length === 0) return 0;
  let vanished = 0;
  for (let i = 0; i < entries.length; i += SETTLE_CONCURRENCY) {
    const chunk = entries.slice(i, i + SETTLE_CONCURRENCY);
    const onChain = await Promise.all(chunk.map(async ([, r]) => {
      if (r.txHash) return (await chain.provider.getTransactionReceipt(r.txHash))?.status === 1;
      if (r.nonce !== undefined) return Number((await chain.clauses.caseOf(r.claimId)).nonce) > r.nonce;
      return true;
    }));
    const batch = new TypedBatch();
    for (const [k, [key, r]] of chunk.entries()) {
      if (onChain[k]) continue;
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
