import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";
import type { Config } from "../../config/config.js";
import { normalizeClaim, type ClaimRequest, type NormalizedClaim, type ClaimRules } from "../../core/claim-input.js";
import { ConflictError, ForbiddenError } from "../../core/errors.js";
import { formatMinor } from "../../core/money.js";
import { originatorCodeToBytes32 } from "../../chain/roles.js";
import { claimRegistryWrites, type ClaimRegistration } from "../../chain/contracts/ClaimRegistry.js";
import { sendRecorded } from "../../chain/contracts/tx.js";
import { DURABLE } from "../../store/db.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { Caller } from "../access.js";
import { isoNow, type AppDeps } from "../deps.js";
import { claimRevertToError } from "./errors.js";

export { claimRevertToError };

const ZERO32 = "0x" + "0".repeat(64);

/** What registering claims needs: the claims' records, the chain, and the deployment's secrets. */
export interface ClaimsDeps extends Pick<AppDeps, "repos" | "chain" | "clock" | "metrics"> {
  settings: Pick<Config, "piiSecret" | "loanRefSecret">;
}

/**
 * Registering a claim (POST /v1/claims): its record written before the transaction, the transaction sent
 * through the outbox, the answer after the chain confirmed it. The bulk route (src/api/services/jobs.ts)
 * shares the record and registration builders and the deployment's rules.
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

  /** Salted hash of the collateral description: it may hold an address, which is personal data. */
  function collateralHashOf(collateral: ClaimRequest["collateral"]): string {
    if (!collateral) return ZERO32;
    return "0x" + createHmac("sha256", settings.piiSecret).update(canonicalize(collateral) ?? "").digest("hex");
  }

  function toRegistration(n: NormalizedClaim, collateralHash: string): ClaimRegistration {
    return {
      originatorCode: originatorCodeToBytes32(n.originatorCode),
      loanRef: n.loanRef,
      terms: {
        principal: n.principal,
        outstanding: n.outstanding,
        currency: "0x" + Buffer.from(n.currency, "ascii").toString("hex"),
        originatedAt: n.originatedAt,
        maturityAt: n.maturityAt,
        retail: n.retail,
        clauses: n.clauses,
        collateralHash,
        documentsRoot: n.documentsRoot,
      },
    };
  }

  function recordOf(caller: Caller, req: ClaimRequest, n: NormalizedClaim, collateralHash: string, jobId?: string): ClaimRecord {
    return {
      claimId: n.claimId,
      originatorCode: n.originatorCode,
      contractNo: n.contractNo,
      loanSalt: n.loanSalt,
      loanRef: n.loanRef,
      originator: caller.address!,
      debtor: req.debtor,
      product: req.product,
      region: req.region,
      collateral: req.collateral,
      collateralHash,
      documentsRoot: n.documentsRoot,
      clauses: n.clauses,
      ...(n.legal ? { legal: n.legal } : {}),
      principal: formatMinor(n.principal),
      outstanding: formatMinor(n.outstanding),
      currency: n.currency,
      originatedAt: new Date(n.originatedAt * 1000).toISOString(),
      maturityAt: new Date(n.maturityAt * 1000).toISOString(),
      status: "pending",
      jobId,
      createdAt: isoNow(deps),
    };
  }

  function requireOriginator(caller: Caller, originatorCode: string, field = "originatorCode"): void {
    if (caller.originatorCode !== originatorCode) {
      throw new ForbiddenError(`${field}: this API key registers under ${caller.originatorCode ?? "no originator code"}`, { field });
    }
  }

  return {
    /** The claims' records (the bulk registration job writes them with its items: src/api/services/jobs.ts). */
    claims,
    toRegistration,
    recordOf,
    collateralHashOf,
    requireOriginator,
    claimRules,

    /** Registers one claim; answers only after the chain confirmed it. */
    async register(caller: Caller, req: ClaimRequest): Promise<{ claimId: string; txHash: string; blockNumber: number; blockHash: string }> {
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
