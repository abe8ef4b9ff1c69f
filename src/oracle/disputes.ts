import { DURABLE } from "../store/db.js";
import { collectionClausesWrites } from "../chain/contracts/CollectionClauses.js";
import type { OracleDeps } from "./types.js";

type Log = { topics: ReadonlyArray<string>; data: string; address: string };

/** Remembers the disputes a transaction's reports started (ArbitrationStarted), so their evidence is linked. */
export async function noteDisputes(deps: Pick<OracleDeps, "repos" | "chain">, logs: ReadonlyArray<Log>): Promise<void> {
  const { repos, chain } = deps;
  const clauses = chain.deployment.contracts.CollectionClauses.address.toLowerCase();
  for (const log of logs) {
    if (log.address.toLowerCase() !== clauses) continue;
    let parsed;
    try {
      parsed = chain.clauses.interface.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      continue;
    }
    if (parsed?.name !== "ArbitrationStarted") continue;
    const disputeId = parsed.args.disputeId.toString();
    if (!(await repos.disputes.get(disputeId))) {
      await repos.disputes.put(disputeId, { disputeId, claimId: parsed.args.claimId, evidenceSubmitted: false }, DURABLE);
    }
  }
}

/**
 * ERC-1497: links the claim's evidence to new disputes, once each (the outbox tag makes a re-send after a
 * crash the same transaction). Rulings need nothing from the daemon: an arbitral award is final and executed
 * on chain in the transaction that gives it (no appeal period).
 */
export async function tendDisputes(deps: Pick<OracleDeps, "repos" | "chain" | "signer" | "metrics" | "settings">): Promise<void> {
  const { repos, signer } = deps;
  // In a network the court reads the evidence from the holder's node: the URI names it (PUBLIC_URL).
  const node = deps.settings.publicUrl ? { node: deps.settings.publicUrl } : {};
  for await (const d of repos.disputes.values()) {
    if (d.evidenceSubmitted) continue;
    const uri = JSON.stringify({ claimId: d.claimId, ...node, evidence: `/v1/claims/${d.claimId}/evidence`, verify: "/v1/verify" });
    await (await collectionClausesWrites(deps).submitEvidence(signer, d.claimId, uri, `dispute-evidence:${d.disputeId}`)).wait();
    await repos.disputes.put(d.disputeId, { ...d, evidenceSubmitted: true }, DURABLE);
  }
}
