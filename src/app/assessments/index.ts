import { assessPortfolio, type AssessmentRequest, type AssessmentResponse } from "../../core/assess.js";
import type { Party } from "../access.js";
import { assessClaim } from "./claim.js";
import { createComparableSet } from "./comparables.js";
import type { AssessmentsDeps, ClaimAssessmentQuery, ValuationBasis } from "./types.js";

export { IMPORT_MAX_ROWS, SYNC_IMPORT_MAX, rowsFromCsv, rowsFromJson } from "./import-rows.js";
export type { AssessmentsDeps, ClaimAssessmentQuery, ImportInput, ImportJob, ImportOutcome, OutsideData, ValuationBasis } from "./types.js";

/**
 * Assessments (issue 4, the API part): the comparable-case database and the valuation model built from it
 * (comparables.ts; imports checked row by row in import-rows.ts), and the scoring core (core/assess.ts)
 * behind POST /v1/assessments and, for one registered claim with its surveys and feeds, GET
 * /v1/claims/:claimId/assessment (claim.ts).
 */
export function createAssessments(deps: AssessmentsDeps) {
  const set = createComparableSet(deps);
  return {
    importCases: set.importCases,
    importJob: set.importJob,
    stats: set.stats,

    /** POST /v1/assessments: the core's response plus the identity of the comparables and model used. */
    async assess(body: AssessmentRequest & { advice?: "delinquent" | "all" | "none" }): Promise<AssessmentResponse & { valuationModel: ValuationBasis }> {
      const d = await set.current();
      const valuation = set.modelOf(d) ?? undefined;
      const res = assessPortfolio({ asOf: body.asOf, loans: body.loans, debtors: body.debtors }, { valuation, auctionStatistics: set.auctionOf(d), advice: body.advice });
      return { ...res, valuationModel: set.basisOf(d) };
    },

    /** A claim's assessment from its off-chain record, surveys and feeds: for who may read those (src/app/access.ts). */
    assessClaim: (caller: Party, claimId: string, q: ClaimAssessmentQuery) => assessClaim(deps, set, caller, claimId, q),

    /** Waits for the import jobs running in this process. */
    close: set.close,
  };
}

export type Assessments = ReturnType<typeof createAssessments>;
