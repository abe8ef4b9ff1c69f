import { chinaDateOfMs } from "../../core/input-fields.js";
import { renderAcceptance } from "../../core/mediation.js";
import { ValidationError } from "../../core/errors.js";
import { ChainRevertError } from "../../chain/errors.js";
import { waitTx } from "../../chain/contracts/tx.js";
import { DURABLE, TypedBatch } from "../../store/db.js";
import type { StoredOffer } from "../../store/repos/offers.js";
import type { Caller } from "../access.js";
import { debtorOf, type OfferContext } from "./context.js";
import { chainPlanHash, conflict, planInForce, requireOpen, requireRestructurable, supersede, who } from "./rules.js";
import type { AcceptRequest } from "./types.js";
import { viewOffer } from "./view.js";

/**
 * POST /v1/offers/:id/accept: the debtor's acceptance recorded as evidence and the case restructured on chain
 * with the plan's commitment. Stored as an intent before the transaction is sent; a retry finishes an
 * interrupted acceptance, asking the chain (caseOf(...).planHash, the outbox) before sending again.
 */
export async function acceptOffer(ctx: OfferContext, caller: Caller, offerId: string, req: AcceptRequest) {
  const { repos } = ctx.deps;
  const first = await ctx.load(offerId);
  return ctx.serial(first.claimId, async () => {
    let o = await ctx.load(offerId);
    const claim = await ctx.claimOf(o.claimId, caller);
    const { holder, record } = claim;
    ctx.requireHolderSide(caller, o.claimId, holder, true);
    if (o.status === "accepted") return viewOffer(ctx, caller, o, claim);
    /** An acceptance interrupted before (a crash, a timeout): its transaction may be out already. */
    const resumed = o.status === "accepting";
    const nowMs = await ctx.now();
    if (o.status !== "accepting") {
      const status = await ctx.effectiveStatus(o, nowMs);
      requireOpen(o, status);
      if (status === "pending-approval") {
        throw conflict("needs-approval", `offer ${o.offerId} needs approval by ${o.offer.authority.approverRoles.join(" or ")} before the debtor can accept it`, `和解方案 ${o.offerId} 须经 ${o.offer.authority.approverRoles.join(" 或 ")} 审批后方可由债务人接受`, { offerId: o.offerId, approverRoles: o.offer.authority.approverRoles });
      }
      const busy = await ctx.inForce(o.claimId, await ctx.offersOfClaim(o.claimId), o.offerId);
      if (busy) throw planInForce(o.claimId, busy);
      requireRestructurable(o.claimId, (await ctx.caseOf(o.claimId)).state);
      ctx.restructureKey(caller, holder); // fail before anything is recorded
      const occurred = req.occurredAt !== undefined ? Date.parse(req.occurredAt) : nowMs;
      if (Number.isNaN(occurred)) throw new ValidationError("occurredAt", "iso-8601-date-time");
      if (occurred > nowMs + 5 * 60_000) throw new ValidationError("occurredAt", "not-in-the-future");
      if (chinaDateOfMs(occurred) < o.offer.plan.issuedOn) throw new ValidationError("occurredAt", "not-before-the-offer");
      if (chinaDateOfMs(occurred) > o.offer.plan.validUntil) {
        throw conflict("offer-expired", `the acceptance came after the offer expired (${o.offer.plan.validUntil})`, `接受时间晚于方案有效期（${o.offer.plan.validUntil}）`, { offerId: o.offerId });
      }
      const rendered = renderAcceptance({
        plan: o.offer.plan, planHash: o.offer.planHash, offerId: o.offerId, debtorName: record?.debtor.name,
        creditor: ctx.holderName(holder), acceptedOn: chinaDateOfMs(occurred), channel: req.channel,
      });
      const intent: StoredOffer = {
        ...o,
        status: "accepting",
        acceptance: {
          text: rendered.text, contentHash: rendered.contentHash, occurredAt: new Date(occurred).toISOString(), channel: req.channel,
          ...(req.signedCopyHash ? { attachments: [req.signedCopyHash.toLowerCase()] } : {}), by: who(caller),
        },
        outstandingAtAcceptance: o.facts.outstanding,
      };
      const latest = await repos.oracle.statuses.get(o.claimId);
      if (latest) intent.outstandingAtAcceptance = latest.outstanding;
      // The intent first: a crash from here on is finished by a retry, which asks the chain before sending.
      await supersede(new TypedBatch(), repos.offers, await ctx.offersOfClaim(o.claimId), o.offerId, o.offerId)
        .put(repos.offers.offers, o.offerId, intent)
        .write(repos.store);
      o = intent;
    }
    o = await ctx.ensureLetter(o, record);
    const a = o.acceptance!;
    if (!a.recordId) {
      const { recordId } = await ctx.deps.evidence.recordSystem({
        claimId: o.claimId,
        kind: "restructuring",
        channel: a.channel,
        direction: "inbound",
        occurredAt: a.occurredAt,
        actor: `mediation:${a.by.keyId}`,
        counterparty: debtorOf(o, record),
        content: a.text,
        ...(a.attachments ? { attachments: a.attachments } : {}),
      });
      o = { ...o, acceptance: { ...a, recordId } };
      await repos.offers.offers.put(o.offerId, o, DURABLE);
    }
    o = await restructureOnChain(ctx, caller, o, holder, resumed);
    return viewOffer(ctx, caller, o, claim);
  });
}

/**
 * CollectionClauses.restructure(claimId, planHash, installments) with the holder's key, exactly once:
 * done already when the case carries the plan's hash; a transaction sent before (stored, or — for a resumed
 * acceptance — found in the outbox by its tag) is waited for rather than sent again.
 */
async function restructureOnChain(ctx: OfferContext, caller: Caller, o: StoredOffer, holder: string, resumed: boolean): Promise<StoredOffer> {
  const { chain, repos } = ctx.deps;
  const planHash = chainPlanHash(o);
  const n = o.offer.plan.installments.length;
  const done = async (txHash?: string, blockNumber?: number): Promise<StoredOffer> => {
    const accepted: StoredOffer = {
      ...o, status: "accepted", acceptedAt: o.acceptedAt ?? new Date(await ctx.now()).toISOString(),
      restructure: { txHash: txHash ?? o.restructure?.txHash, blockNumber: blockNumber ?? o.restructure?.blockNumber },
    };
    await repos.offers.offers.put(o.offerId, accepted, DURABLE);
    return accepted;
  };
  const onChain = async () => (await ctx.caseOf(o.claimId)).planHash === planHash;
  const tag = `restructure:${o.offerId}`;
  try {
    let entry = o.restructure?.txHash ? await chain.outbox.get(o.restructure.txHash) : undefined;
    // Only a resumed acceptance can have sent one without remembering it (the outbox scan is not for hot paths).
    if (!entry && resumed) entry = (await chain.outbox.findByTag(tag)).find((e) => e.status === "sent" || e.status === "mined");
    if (!entry && (await onChain())) return await done();
    if (!entry) {
      entry = (await ctx.clauses.restructure(chain.wallet(ctx.restructureKey(caller, holder)), o.claimId, planHash, n, tag)).entry;
      o = { ...o, restructure: { txHash: entry.hash } };
      await repos.offers.offers.put(o.offerId, o, DURABLE);
    }
    const receipt = await waitTx(ctx.deps, "restructure", entry);
    return await done(receipt.hash, receipt.blockNumber);
  } catch (e) {
    if (!(e instanceof ChainRevertError)) throw e;
    if (await onChain()) return await done();
    // The chain refused: the offer goes back to proposed (the acceptance stays recorded as evidence).
    await repos.offers.offers.put(o.offerId, { ...o, status: "proposed", restructure: { error: e.errorName } }, DURABLE);
    const { state } = await ctx.caseOf(o.claimId);
    if (e.errorName === "TransitionNotAllowed" || e.errorName === "CaseAlreadyClosed") requireRestructurable(o.claimId, state);
    if (e.errorName === "NotClaimHolder") {
      throw conflict("not-holder", `the signing account does not hold claim ${o.claimId}`, `签名账户并非债权 ${o.claimId} 的持有人`, { claimId: o.claimId });
    }
    throw e;
  }
}
