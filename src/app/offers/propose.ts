import { randomUUID } from "node:crypto";
import { auctionPlan } from "../../core/auction.js";
import { documentCommitment, newSalt } from "../../core/commitment.js";
import { chinaDateOfMs } from "../../core/input-fields.js";
import { proposeOffers, renderOfferLetter, type DeclinedOffer } from "../../core/mediation.js";
import { parseMinor } from "../../core/money.js";
import { TypedBatch } from "../../store/db.js";
import type { StoredOffer } from "../../store/repos/offers.js";
import type { Caller } from "../access.js";
import type { OfferClaim, OfferContext } from "./context.js";
import { factsOf } from "./facts.js";
import { planInForce, requireRestructurable, supersede, who } from "./rules.js";
import type { OfferRequest } from "./types.js";
import { viewOffer } from "./view.js";

/**
 * POST /v1/claims/:claimId/offers: offers that beat the best other disposal path (core/mediation.ts), on disk
 * before the answer; earlier open offers of the claim are superseded in the same batch. An offer within
 * the proposer's authority is issued at once (its letter recorded as evidence); one beyond waits for approval.
 */
export async function proposeOffer(ctx: OfferContext, caller: Caller, claimIdIn: string, req: OfferRequest) {
  const claimId = claimIdIn.toLowerCase();
  const claim = await ctx.claimOf(claimId, caller);
  ctx.requireHolderSide(caller, claimId, claim.holder, false);
  return ctx.serial(claimId, () => proposeLocked(ctx, caller, claimId, claim, req));
}

async function proposeLocked(ctx: OfferContext, caller: Caller, claimId: string, claim: OfferClaim, req: OfferRequest) {
  const { holder, record } = claim;
  const nowMs = await ctx.now();
  const facts = await factsOf(ctx, claimId, holder, record, req, nowMs);
  const existing = await ctx.offersOfClaim(claimId);
  const busy = await ctx.inForce(claimId, existing);
  if (busy) throw planInForce(claimId, busy);
  requireRestructurable(claimId, (await ctx.caseOf(claimId)).state);
  const asOfDate = chinaDateOfMs(nowMs);
  let collateral: bigint | undefined;
  if (facts.collateralValue !== null) collateral = parseMinor(facts.collateralValue, "collateralValue");
  const proposal = proposeOffers(
    {
      claimId, outstanding: facts.outstandingFen, classIndex: facts.classIndex, daysPastDue: facts.daysPastDue,
      region: facts.region ?? undefined, auctionProceeds: collateral && collateral > 0n ? auctionPlan(collateral).expectedProceeds : undefined,
      asOfDate, currency: record?.currency ?? "CNY",
    },
    { proposerRole: caller.role, lumpSum: req.lumpSum, plan: req.plan },
  );
  const proposalId = randomUUID();
  const proposedAt = new Date(nowMs).toISOString();
  const creditor = ctx.holderName(holder);
  const { outstandingFen: _o, classIndex: _c, ...offerFacts } = facts;
  const stored: StoredOffer[] = proposal.offers.map((offer) => {
    const letter = renderOfferLetter({ plan: offer.plan, planHash: offer.planHash, contractNo: record?.contractNo, debtorName: record?.debtor.name, creditor, daysPastDue: facts.daysPastDue });
    const salt = newSalt();
    return {
      offerId: randomUUID(), proposalId, claimId, status: offer.status, offer, benchmark: proposal.benchmark, facts: offerFacts,
      proposedBy: who(caller), proposedAt, channel: req.channel ?? "post", letter,
      planCommitment: { salt, commitment: documentCommitment(salt, offer.planHash) },
    };
  });
  if (stored.length > 0) {
    const { offers: repo } = ctx.deps.repos;
    const batch = supersede(new TypedBatch(), repo, existing, null, proposalId);
    for (const o of stored) {
      batch.put(repo.offers, o.offerId, o);
      batch.put(repo.byClaim, `${claimId}!${proposedAt}!${o.offerId}`, o.offerId);
    }
    await batch.write(ctx.deps.repos.store);
  }
  const issued: StoredOffer[] = [];
  for (const o of stored) issued.push(o.status === "proposed" ? await ctx.ensureLetter(o, record) : o);
  return {
    proposalId: stored.length > 0 ? proposalId : null,
    claimId,
    asOfDate,
    facts: offerFacts,
    benchmark: proposal.benchmark,
    paths: proposal.advice.paths,
    offers: await Promise.all(issued.map((o) => viewOffer(ctx, caller, o, claim))),
    declined: proposal.declined as DeclinedOffer[],
    parameters: proposal.parameters,
  };
}
