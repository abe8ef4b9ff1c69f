import { chinaDateOfMs } from "../../core/input-fields.js";
import { trackInstallments, type InstallmentTracking } from "../../core/mediation.js";
import { parseMinor } from "../../core/money.js";
import { CASE_STATES_ZH, type CaseStateName } from "../../core/oracle-plan.js";
import type { StoredOffer } from "../../store/repos/offers.js";
import { mayReadPersonalData, type Caller } from "../access.js";
import type { OfferClaim, OfferContext } from "./context.js";
import { chainPlanHash } from "./rules.js";

const ZERO32 = `0x${"0".repeat(64)}`;

/** What a caller sees of an offer: letter and acceptance texts only with the right to personal data. */
export async function viewOffer(ctx: OfferContext, caller: Caller, o: StoredOffer, claim?: OfferClaim) {
  const c = claim ?? (await ctx.claimOf(o.claimId, caller));
  const personal = mayReadPersonalData(caller, c.parties);
  const nowMs = await ctx.now();
  const status = await ctx.effectiveStatus(o, nowMs);
  let chainCase: { state: CaseStateName; stateZh: string; planHash: string | null; planOnChain: boolean } | undefined;
  let tracking: InstallmentTracking | undefined;
  let planStatus: "in-force" | "defaulted" | "completed" | undefined;
  if (o.status === "accepting" || o.status === "accepted") {
    const k = await ctx.caseOf(o.claimId);
    chainCase = { state: k.state, stateZh: CASE_STATES_ZH[k.state], planHash: k.planHash === ZERO32 ? null : k.planHash, planOnChain: k.planHash === chainPlanHash(o) };
  }
  if (o.status === "accepted") {
    tracking = await track(ctx, o, nowMs, c.holder);
    planStatus = chainCase?.state === "closed" || tracking.completed
      ? "completed"
      : chainCase?.state === "restructured" && chainCase.planOnChain && tracking.missedCount === 0 ? "in-force" : "defaulted";
  }
  const { offer } = o;
  return {
    offerId: o.offerId,
    proposalId: o.proposalId,
    claimId: o.claimId,
    status,
    type: offer.type,
    typeZh: offer.typeZh,
    plan: offer.plan,
    planHash: offer.planHash,
    planCommitment: chainPlanHash(o),
    ...(personal && o.planCommitment ? { planSalt: o.planCommitment.salt } : {}),
    figures: offer.figures,
    authority: offer.authority,
    terms: offer.terms,
    reasons: offer.reasons,
    benchmark: o.benchmark,
    facts: o.facts,
    proposedBy: o.proposedBy,
    proposedAt: o.proposedAt,
    approval: o.approval ?? null,
    letter: { contentHash: o.letter.contentHash, recordId: o.letter.recordId ?? null, channel: o.channel, ...(personal ? { text: o.letter.text } : {}) },
    acceptance: o.acceptance
      ? {
        contentHash: o.acceptance.contentHash, recordId: o.acceptance.recordId ?? null, occurredAt: o.acceptance.occurredAt, channel: o.acceptance.channel,
        by: o.acceptance.by, ...(o.acceptance.attachments ? { attachments: o.acceptance.attachments } : {}), ...(personal ? { text: o.acceptance.text } : {}),
      }
      : null,
    restructure: o.restructure?.txHash ? { txHash: o.restructure.txHash, blockNumber: o.restructure.blockNumber ?? null } : null,
    acceptedAt: o.acceptedAt ?? null,
    supersededBy: o.supersededBy ?? null,
    case: chainCase ?? null,
    planStatus: planStatus ?? null,
    tracking: tracking ?? null,
    personalDataRedacted: !personal,
  };
}

/** Installments paid and missed, from the latest loan status after the plan was issued. */
async function track(ctx: OfferContext, o: StoredOffer, nowMs: number, holder: string): Promise<InstallmentTracking> {
  const plan = o.offer.plan;
  const s = await ctx.holderStatus(o.claimId, holder);
  const fresh = s && o.acceptedAt && s.asOfUnix * 1000 >= Date.parse(o.acceptance?.occurredAt ?? o.acceptedAt);
  if (!s || !fresh) return trackInstallments(plan, { asOfDate: chinaDateOfMs(nowMs) });
  const asOfDate = chinaDateOfMs(s.asOfUnix * 1000);
  if (s.payments && s.payments.length > 0) {
    return trackInstallments(plan, { asOfDate, payments: s.payments.map((p, i) => ({ paidAt: p.paidAt, amount: parseMinor(p.amount, `payments[${i}].amount`) })) });
  }
  const before = BigInt(o.outstandingAtAcceptance ?? plan.outstanding);
  const outstanding = BigInt(s.outstanding);
  // Outstanding 0 means the plan was paid off (the bank wrote off the forgiven part).
  const paidTotal = outstanding === 0n ? BigInt(plan.total) : before > outstanding ? before - outstanding : 0n;
  return trackInstallments(plan, { asOfDate, paidTotal });
}
