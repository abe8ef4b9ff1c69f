/**
 * PUT /v1/claims/:id/legal-status: the holder (bank or AMC, or its collector) records that the debtor went into
 * bankruptcy or raised an objection (异议), or that either ended — what stops and resumes collection
 * (src/app/evidence/checks.ts checkCollectionHold; core/forums.ts). Written to the claim's record here before the
 * answer. The holder's word, kept as such: the bankruptcy's dates are checked (企业破产法第四十五条).
 */
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { parseBankruptcy, type LegalTerms } from "../../core/claim-legal.js";
import { DURABLE } from "../../store/db.js";
import { mayActOn, notHolderError, type Party } from "../access.js";
import type { AppDeps } from "../deps.js";
import type { ClaimAccess } from "./parties.js";

export interface LegalStatusRequest {
  /** The bankruptcy case, or null when it ended (dismissed, or the claim left it). */
  bankruptcy?: NonNullable<LegalTerms["bankruptcy"]> | null;
  /** The debtor's objection is pending (true) or answered (false). */
  objection?: boolean;
}

export function createLegalStatus(deps: Pick<AppDeps, "repos"> & { access: ClaimAccess }) {
  return {
    /** @throws NotFoundError without a record here; ForbiddenError for anyone but the holder's side; ValidationError naming the field */
    async update(caller: Party, claimIdIn: string, req: LegalStatusRequest): Promise<{ claimId: string; legal: LegalTerms }> {
      const claimId = claimIdIn.toLowerCase();
      const parties = await deps.access.parties(claimId, caller);
      if (!parties.registered) throw new NotFoundError("claim", claimId);
      if (!mayActOn(caller, parties)) throw notHolderError(parties, { en: "record the debtor's bankruptcy or objection", zh: "登记债务人破产或异议" });
      if (req.bankruptcy === undefined && req.objection === undefined) throw new ValidationError("body", "bankruptcy-or-objection");
      const record = await deps.repos.claims.get(claimId);
      if (!record) throw new NotFoundError("claim record", claimId);
      const legal: LegalTerms = { ...(record.legal ?? {}) };
      if (req.bankruptcy === null) delete legal.bankruptcy;
      else if (req.bankruptcy !== undefined) legal.bankruptcy = parseBankruptcy(req.bankruptcy, "bankruptcy");
      if (req.objection === false) delete legal.objection;
      else if (req.objection === true) legal.objection = true;
      await deps.repos.claims.put(claimId, { ...record, legal }, DURABLE);
      return { claimId, legal };
    },
  };
}

export type LegalStatus = ReturnType<typeof createLegalStatus>;
