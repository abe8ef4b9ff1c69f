/**
 * A claim's 证据目录 (GET /v1/claims/:id/evidence-catalogue) and 时效中断证明 (GET /v1/claims/:id/interruption-proof),
 * built by the core (core/evidence-catalogue.ts, core/interruption-proof.ts) from the claim's evidence records and
 * their proof bundles, for who may read the claim's off-chain details (src/app/access.ts, as the claim's other reads);
 * and the verification of a proof a court brings (POST /v1/verify/interruption-proof, no key needed).
 *
 * Dependencies are explicit (src/app/limitation/claim-limitation.ts wires them); the clock is one of them.
 */
import { buildCatalogue, type EvidenceCatalogue } from "../../core/evidence-catalogue.js";
import { buildInterruptionProof, type InterruptionProof, type ProofEntry } from "../../core/interruption-proof.js";
import { chinaDay, chinaDayOfMs } from "../../core/input-fields.js";
import type { Holder } from "../../core/limitation/types.js";
import type { Party } from "../access.js";

export interface ClaimProofDeps {
  /**
   * The claim's stated facts the periods start from, after the caller's access decision.
   * @throws NotFoundError for an unregistered claim; ForbiddenError for a caller who may not read its details
   */
  facts(caller: Party, claimId: string): Promise<{ maturityAt: string; collateral: boolean; holder: Holder | "unknown"; installments?: string[] }>;
  /** The claim's records in hash-chain order with their bundles once anchored. */
  entries(claimId: string): Promise<{ complete: boolean; entries: ProofEntry[] }>;
  /** The limitation event each record became (record id → "events[i]"), as of a day. */
  events(claimId: string, entries: readonly ProofEntry[], facts: Awaited<ReturnType<ClaimProofDeps["facts"]>>, asOf: number): Map<string, string>;
  now(): number;
}

function asOfDay(deps: Pick<ClaimProofDeps, "now">, asOf: string | undefined): number {
  return asOf !== undefined ? chinaDay(asOf, "asOf") : chinaDayOfMs(deps.now());
}

/** The claim's 证据目录 as of `asOf` (default today, China time). */
export async function claimCatalogue(deps: ClaimProofDeps, caller: Party, claimIdIn: string, q: { asOf?: string }): Promise<EvidenceCatalogue> {
  const claimId = claimIdIn.toLowerCase();
  const asOf = asOfDay(deps, q.asOf);
  const facts = await deps.facts(caller, claimId);
  const { entries } = await deps.entries(claimId);
  return buildCatalogue({ claimId, asOf, entries, events: deps.events(claimId, entries, facts, asOf) });
}

/** The claim's 时效中断证明 as of `asOf` (default today, China time). */
export async function claimInterruptionProof(deps: ClaimProofDeps, caller: Party, claimIdIn: string, q: { asOf?: string }): Promise<InterruptionProof> {
  const claimId = claimIdIn.toLowerCase();
  const asOf = asOfDay(deps, q.asOf);
  const claim = await deps.facts(caller, claimId);
  const { entries } = await deps.entries(claimId);
  return buildInterruptionProof({ claimId, asOf, claim, entries });
}
