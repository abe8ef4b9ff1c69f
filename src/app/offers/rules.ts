import { ConflictError, ForbiddenError } from "../../core/errors.js";
import { CASE_STATES_ZH, type CaseStateName } from "../../core/oracle-plan.js";
import type { TypedBatch } from "../../store/db.js";
import type { OffersRepo, OfferStatus, StoredOffer, Who } from "../../store/repos/offers.js";
import type { Caller } from "../access.js";

/** States of a case a plan may start from (CollectionClauses.restructure). */
const RESTRUCTURABLE: readonly CaseStateName[] = ["overdue", "warned", "demanded"];

/** The plan hash as the chain has it: the salted commitment (or, for an offer from before it, the plan hash). */
export const chainPlanHash = (o: StoredOffer): string => o.planCommitment?.commitment ?? o.offer.planHash;

export const who = (c: Caller): Who => ({ name: c.name, keyId: c.keyId, role: c.role });

export function conflict(reason: string, en: string, zh: string, details: Record<string, unknown> = {}): ConflictError {
  return new ConflictError(reason, en, { ...details, messages: { en, "zh-CN": zh } });
}

export function forbidden(en: string, zh: string, details: Record<string, unknown> = {}): ForbiddenError {
  return new ForbiddenError(en, { ...details, messages: { en, "zh-CN": zh } });
}

export function requireRestructurable(claimId: string, state: CaseStateName): void {
  if (RESTRUCTURABLE.includes(state)) return;
  throw conflict(
    "case-state",
    `the case of claim ${claimId} is ${state}; settlement offers need an overdue, warned or demanded case`,
    `债权 ${claimId} 的案件状态为「${CASE_STATES_ZH[state]}」；仅逾期、已提醒或已催告的案件可提出和解方案`,
    { claimId, state },
  );
}

/** @throws ConflictError when the offer expired or was superseded */
export function requireOpen(o: StoredOffer, status: OfferStatus): void {
  if (status === "expired") {
    throw conflict("offer-expired", `offer ${o.offerId} expired on ${o.offer.plan.validUntil}`, `和解方案 ${o.offerId} 已于 ${o.offer.plan.validUntil} 过期`, { offerId: o.offerId });
  }
  if (status === "superseded") {
    throw conflict("offer-superseded", `offer ${o.offerId} was superseded by a newer offer or an accepted one`, `和解方案 ${o.offerId} 已被新方案或已接受的方案取代`, { offerId: o.offerId, supersededBy: o.supersededBy });
  }
}

export function planInForce(claimId: string, busy: StoredOffer): ConflictError {
  return conflict("plan-in-force", `offer ${busy.offerId} of claim ${claimId} is being accepted or in force`, `债权 ${claimId} 的和解方案 ${busy.offerId} 正在确认或正在履行`, { offerId: busy.offerId });
}

/** Adds to `batch`: every open offer of `list` but `keep` superseded by `by` (a proposal or an accepted offer). */
export function supersede(batch: TypedBatch, repo: OffersRepo, list: StoredOffer[], keep: string | null, by: string): TypedBatch {
  for (const o of list) {
    if (o.offerId !== keep && (o.status === "proposed" || o.status === "pending-approval")) batch.put(repo.offers, o.offerId, { ...o, status: "superseded", supersededBy: by });
  }
  return batch;
}
