import { requireReadDetails, type Caller } from "../access.js";
import { acceptOffer } from "./accept.js";
import { approveOffer } from "./approve.js";
import { createOfferContext } from "./context.js";
import { proposeOffer } from "./propose.js";
import type { AcceptRequest, OfferRequest, OffersDeps } from "./types.js";
import { viewOffer } from "./view.js";

export type { AcceptRequest, OfferRequest, OffersDeps } from "./types.js";
export { OFFER_STATUSES, type OfferStatus } from "./types.js";

/**
 * Mediation (issue 8): settlement offers for overdue claims (core/mediation.ts) — proposal (propose.ts), approval
 * (approve.ts), the debtor's acceptance and the restructuring on chain (accept.ts) — and what a party sees of
 * them, installments' progress included (view.ts).
 *
 * Durable and idempotent: offers are on disk before they are answered; the offer letter and the acceptance
 * are recorded as evidence once (by content hash); an acceptance is stored as an intent before the
 * transaction is sent, and a retry asks the chain before sending again.
 */
export function createOffers(deps: OffersDeps) {
  const ctx = createOfferContext(deps);
  return {
    /** POST /v1/claims/:claimId/offers */
    propose: (caller: Caller, claimId: string, req: OfferRequest) => proposeOffer(ctx, caller, claimId, req),

    /** POST /v1/offers/:id/approve */
    approve: (caller: Caller, offerId: string) => approveOffer(ctx, caller, offerId),

    /** POST /v1/offers/:id/accept */
    accept: (caller: Caller, offerId: string, req: AcceptRequest) => acceptOffer(ctx, caller, offerId, req),

    /** An offer, for who may read its claim's off-chain details. */
    async get(caller: Caller, offerId: string) {
      const o = await ctx.load(offerId);
      const claim = await ctx.claimOf(o.claimId, caller);
      requireReadDetails(caller, claim.parties);
      return viewOffer(ctx, caller, o, claim);
    },

    /** A claim's offers, for who may read its off-chain details. */
    async listForClaim(caller: Caller, claimIdIn: string) {
      const claimId = claimIdIn.toLowerCase();
      const claim = await ctx.claimOf(claimId, caller);
      requireReadDetails(caller, claim.parties);
      const list = await ctx.offersOfClaim(claimId);
      return { claimId, count: list.length, offers: await Promise.all(list.map((o) => viewOffer(ctx, caller, o, claim))) };
    },
  };
}

export type Offers = ReturnType<typeof createOffers>;
