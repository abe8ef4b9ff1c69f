import type { FastifyInstance } from "fastify";
import type { ClaimRegistrationStruct as ClaimRegistration } from "../../../types/ethers-contracts/ClaimRegistry.js";
import { normalizeClaim, type ClaimRequest, type NormalizedClaim, type ClaimRules } from "../../core/claim-input.js";
import { ConflictError, ForbiddenError, NotFoundError, DebtrailError, ValidationError } from "../../core/errors.js";
import { bytes32ToOriginatorCode } from "../../chain/roles.js";
import { asRegistration, collateralHashOf as collateralHashOfPure, recordOf as recordOfPure, toRegistration as toRegistrationPure } from "../../app/claims/registration.js";
import { ChainRevertError } from "../../chain/errors.js";
import { DURABLE } from "../../store/db.js";
import { openClaimRecords, type ClaimRecord } from "../../store/repos/claims.js";
import type { Caller } from "../plugins/auth.js";
import { loadClaimParties, mayReadDetails, type ClaimParties, type Party } from "../../app/access.js";

export type { ClaimRecord };

/** Maps a ClaimRegistry revert to the error a caller understands. */
export function claimRevertToError(e: unknown): unknown {
  if (!(e instanceof ChainRevertError)) return e;
  const [first] = e.args as string[];
  switch (e.errorName) {
    case "ClaimAlreadyRegistered":
      return new ConflictError("already-registered", `claim ${first} is already registered`, { claimId: first });
    case "OriginatorCodeNotHeld":
      return new ForbiddenError(`originator code ${bytes32ToOriginatorCode(first)} is not bound to the caller's account`);
    case "AccessControlUnauthorizedAccount":
      return new ForbiddenError("the caller's account lacks the on-chain role for this");
    case "NotClaimHolder":
      return new ConflictError("not-holder", `claim ${first} is not held by the caller`, { claimId: first });
    case "ClaimResaleRestricted":
      return new ConflictError("resale-restricted", `claim ${first} may not be sold again`, { claimId: first });
    case "BuyerNotHolder":
      return new ValidationError("to", "must hold the HOLDER role (a licensed AMC or qualified investor)");
    case "EnforcedPause":
      return new ConflictError("paused", "the registry is paused by its administrator");
    case "NoticeDaysBelowMinimum":
      return new ValidationError("clauses.noticeDays", `must be at least ${e.args[2]} (the deployment's minimum notice period)`);
    default:
      return e;
  }
}

export function createClaimsService(fastify: FastifyInstance) {
  const { chain, store, config } = fastify;
  const claims = openClaimRecords(store);
  // The deployment's rules, fixed for its life (ClaimRegistry's immutable minNoticeDays): read once.
  let rules: Promise<ClaimRules> | undefined;
  function claimRules(): Promise<ClaimRules> {
    rules ??= chain.registry.minNoticeDays().then((m) => ({ minNoticeDays: Number(m) }), (e) => {
      rules = undefined;
      throw e;
    });
    return rules;
  }

  const collateralHashOf = (collateral: ClaimRequest["collateral"]) => collateralHashOfPure(config.piiSecret, collateral);
  const recordOf = (caller: Caller, req: ClaimRequest, n: NormalizedClaim, collateralHash: string, jobId?: string): ClaimRecord =>
    recordOfPure(caller, req, n, collateralHash, new Date().toISOString(), jobId);
  const toRegistration = (n: NormalizedClaim, collateralHash: string): ClaimRegistration => asRegistration(toRegistrationPure(n, collateralHash));

  function requireOriginator(caller: Caller, originatorCode: string, field = "originatorCode"): void {
    if (caller.originatorCode !== originatorCode) {
      throw new ForbiddenError(`${field}: this API key registers under ${caller.originatorCode ?? "no originator code"}`, { field });
    }
  }

  /** The claim's parties for access decisions (src/app/access.ts); the dispute is read only for a court. */
  function parties(claimId: string, p?: Party): Promise<ClaimParties> {
    return loadClaimParties({
      isRegistered: (id) => chain.registry.isRegistered(id),
      holderOf: (id) => chain.registry.holderOf(id),
      disputeOf: async (id) => BigInt((await chain.clauses.caseOf(id)).disputeId),
      originatorOf: async (id) => (await claims.get(id))?.originator,
    }, claimId, p);
  }

  /**
   * Whether `caller` may read the claim's off-chain details (document salts, evidence records found by a
   * content hash): src/app/access.ts on the claim's parties. An anonymous caller never may.
   */
  async function callerMayReadDetails(caller: Caller | undefined, claimId: string): Promise<boolean> {
    if (!caller) return false;
    try {
      return mayReadDetails(caller, await parties(claimId, caller));
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  }

  return {
    claims,
    parties,
    mayReadDetails: callerMayReadDetails,
    toRegistration,
    recordOf,
    collateralHashOf,
    requireOriginator,
    claimRules,

    /** Registers one claim; answers only after the chain confirmed it. */
    async register(caller: Caller, req: ClaimRequest): Promise<{ claimId: string; txHash: string; blockNumber: number; blockHash: string }> {
      const n = normalizeClaim(req, config.loanRefSecret, "", await claimRules());
      requireOriginator(caller, n.originatorCode);
      if (await chain.registry.isRegistered(n.claimId)) {
        throw new ConflictError("already-registered", `claim ${n.claimId} is already registered`, { claimId: n.claimId });
      }
      const collateralHash = collateralHashOf(req.collateral);
      const record = recordOf(caller, req, n, collateralHash);
      await claims.put(n.claimId, record, DURABLE);
      const data = chain.registry.interface.encodeFunctionData("register", [toRegistration(n, collateralHash)]);
      try {
        const entry = await chain.outbox.send(chain.wallet(caller.privateKey!), { to: await chain.registry.getAddress(), data }, `register:${n.claimId}`);
        record.txHash = entry.hash;
        await claims.put(n.claimId, record, DURABLE);
        const receipt = await chain.outbox.wait(entry);
        record.status = "registered";
        record.blockNumber = receipt.blockNumber;
        await claims.put(n.claimId, record, DURABLE);
        fastify.metrics.chainTransactions.inc({ kind: "register", outcome: "mined" });
        return { claimId: n.claimId, txHash: entry.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash };
      } catch (e) {
        if (!record.txHash) {
          // Nothing reached the chain: forget the pending record so a corrected retry starts clean.
          await claims.del(n.claimId, DURABLE);
        }
        fastify.metrics.chainTransactions.inc({ kind: "register", outcome: "failed" });
        throw claimRevertToError(e);
      }
    },
  };
}

export type ClaimsService = ReturnType<typeof createClaimsService>;

export { DebtrailError };
