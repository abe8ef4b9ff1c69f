import { NotFoundError } from "../../core/errors.js";
import type { Chain } from "../../chain/client.js";
import type { Repos } from "../../store/repos/index.js";
import { loadClaimParties, mayReadDetails, type ClaimParties, type Party } from "../access.js";

/**
 * A claim's parties as the chain says now (a write's check: reads use the chain index, src/app/claims/reads.ts):
 * what the features that act on a claim decide access on (src/app/access.ts).
 */
export interface ClaimAccess {
  /**
   * The claim's parties, read for `p` (the dispute only for a court).
   * @throws NotFoundError when the claim is neither registered nor recorded here
   */
  parties(claimId: string, p?: Party): Promise<ClaimParties>;
  /** Whether `p` may read the claim's off-chain details; an anonymous caller never may, nor anyone of an unknown claim. */
  mayReadDetails(p: Party | undefined, claimId: string): Promise<boolean>;
}

export function createClaimAccess(deps: { chain: Pick<Chain, "registry" | "clauses">; repos: Pick<Repos, "claims"> }): ClaimAccess {
  const { chain, repos } = deps;
  function parties(claimId: string, p?: Party): Promise<ClaimParties> {
    return loadClaimParties({
      isRegistered: (id) => chain.registry.isRegistered(id),
      holderOf: (id) => chain.registry.holderOf(id),
      disputeOf: async (id) => BigInt((await chain.clauses.caseOf(id)).disputeId),
      originatorOf: async (id) => (await repos.claims.get(id))?.originator,
    }, claimId, p);
  }
  return {
    parties,
    async mayReadDetails(p, claimId) {
      if (!p) return false;
      try {
        return mayReadDetails(p, await parties(claimId, p));
      } catch (e) {
        if (e instanceof NotFoundError) return false;
        throw e;
      }
    },
  };
}
