import type { Config } from "../../config/config.js";
import { normalizeClaim, type ClaimRequest, type NormalizedClaim, type ClaimRules } from "../../core/claim-input.js";
import { checkRegistration } from "../../core/claim-checks.js";
import { ConflictError, ForbiddenError } from "../../core/errors.js";
import { claimRegistryWrites, type ClaimRegistration } from "../../chain/contracts/ClaimRegistry.js";
import { sendRecorded } from "../../chain/contracts/tx.js";
import { DURABLE } from "../../store/db.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { Caller } from "../access.js";
import { isoNow, type AppDeps } from "../deps.js";
import { claimRevertToError } from "./errors.js";
import { asRegistration, collateralHashOf as collateralHashOfPure, recordOf as recordOfPure, toRegistration as toRegistrationPure } from "./registration.js";

export { claimRevertToError };

/** What registering claims needs: the claims' records, the chain, and the deployment's secrets. */
export interface ClaimsDeps extends Pick<AppDeps, "repos" | "chain" | "clock" | "metrics"> {
  settings: Pick<Config, "piiSecret" | "loanRefSecret">;
}

/**
 * Registering a claim (POST /v1/claims): its record written before the transaction, the transaction sent
 * through the outbox, the answer after the chain confirmed it. Batch imports (src/app/jobs) share the record
 * and registration builders (registration.ts) and the deployment's rules.
 */
export function createClaims(deps: ClaimsDeps) {
  const { chain, settings } = deps;
  const claims = deps.repos.claims;
  const registry = claimRegistryWrites(deps);
  // The deployment's rules, fixed for its life (ClaimRegistry's immutable minNoticeDays): read once.
  let rules: Promise<ClaimRules> | undefined;
  function claimRules(): Promise<ClaimRules> {
    rules ??= chain.registry.minNoticeDays().then((m) => ({ minNoticeDays: Number(m) }), (e) => {
      rules = undefined;
      throw e;
    });
    return rules;
  }

  // The record and the registration of a claim: the same pure builders as a batch import's (registration.ts).
  const collateralHashOf = (collateral: ClaimRequest["collateral"]) => collateralHashOfPure(settings.piiSecret, collateral);
  const recordOf = (caller: Caller, req: ClaimRequest, n: NormalizedClaim, collateralHash: string, jobId?: string): ClaimRecord =>
    recordOfPure(caller, req, n, collateralHash, isoNow(deps), jobId);
  const toRegistration = (n: NormalizedClaim, collateralHash: string): ClaimRegistration => asRegistration(toRegistrationPure(n, collateralHash));

  function requireOriginator(caller: Caller, originatorCode: string, field = "originatorCode"): void {
    if (caller.originatorCode !== originatorCode) {
      throw new ForbiddenError(`${field}: this API key registers under ${caller.originatorCode ?? "no originator code"}`, { field });
    }
  }

  return {
    /** The claims' records (a batch import writes them with its items: src/app/jobs/accept.ts). */
    claims,
    toRegistration,
    recordOf,
    collateralHashOf,
    requireOriginator,
    claimRules,

    /** Registers one claim; answers only after the chain confirmed it. */
    async register(caller: Caller, request: ClaimRequest): Promise<{ claimId: string; txHash: string; blockNumber: number; blockHash: string }> {
      const req = checkRegistration(request); // GB 11643, GB/T 2260 region, implausible amounts (issue 18)
      const n = normalizeClaim(req, settings.loanRefSecret, "", await claimRules());
      requireOriginator(caller, n.originatorCode);
      if (await chain.registry.isRegistered(n.claimId)) {
        throw new ConflictError("already-registered", `claim ${n.claimId} is already registered`, { claimId: n.claimId });
      }
      const collateralHash = collateralHashOf(req.collateral);
      const record = recordOf(caller, req, n, collateralHash);
      await claims.put(n.claimId, record, DURABLE);
      try {
        const receipt = await sendRecorded(record, (r) => claims.put(n.claimId, r, DURABLE),
          () => registry.register(chain.wallet(caller.privateKey!), toRegistration(n, collateralHash), `register:${n.claimId}`), "registered");
        return { claimId: n.claimId, txHash: receipt.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash };
      } catch (e) {
        if (!record.txHash) {
          // Nothing reached the chain: forget the pending record so a corrected retry starts clean.
          await claims.del(n.claimId, DURABLE);
        }
        throw claimRevertToError(e);
      }
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;
