import { mayApprove } from "../../core/mediation.js";
import { DURABLE } from "../../store/db.js";
import type { StoredOffer } from "../../store/repos/offers.js";
import { sameAddress, type Caller } from "../access.js";
import type { OfferContext } from "./context.js";
import { conflict, forbidden, requireOpen, who } from "./rules.js";
import { viewOffer } from "./view.js";

/**
 * POST /v1/offers/:id/approve: an offer beyond its proposer's authority, approved by a role whose limits
 * cover it (the holder's manager or an admin); its letter is then issued and recorded as evidence.
 */
export async function approveOffer(ctx: OfferContext, caller: Caller, offerId: string) {
  const first = await ctx.load(offerId);
  return ctx.serial(first.claimId, async () => {
    const o = await ctx.load(offerId);
    const claim = await ctx.claimOf(o.claimId, caller);
    const { holder, record } = claim;
    // Before anything is answered: a repeated approval must not show a stranger the offer.
    if (caller.role !== "admin" && !sameAddress(caller.address, holder)) {
      throw forbidden(`only the claim's holder (${holder}) or an admin approves its offers`, `仅债权持有人（${holder}）或管理员可审批其和解方案`, { holder });
    }
    const status = await ctx.effectiveStatus(o);
    if (o.approval && status !== "pending-approval") return viewOffer(ctx, caller, await ctx.ensureLetter(o, record), claim);
    requireOpen(o, status);
    if (status !== "pending-approval") {
      throw conflict("not-pending-approval", `offer ${o.offerId} is ${status}, not waiting for approval`, `和解方案 ${o.offerId} 当前为「${status}」，无需审批`, { offerId: o.offerId, status });
    }
    const { discountBps, installments } = o.offer.figures;
    if (!o.offer.authority.approverRoles.includes(caller.role) || !mayApprove(caller.role, discountBps, installments)) {
      throw forbidden(
        `role ${caller.role} may not approve this offer; it needs ${o.offer.authority.approverRoles.join(" or ")}`,
        `角色 ${caller.role} 无权审批该方案；需由 ${o.offer.authority.approverRoles.join(" 或 ")} 审批`,
        { approverRoles: o.offer.authority.approverRoles },
      );
    }
    const approved: StoredOffer = { ...o, status: "proposed", approval: { by: who(caller), at: new Date(await ctx.now()).toISOString() } };
    await ctx.deps.repos.offers.offers.put(o.offerId, approved, DURABLE);
    return viewOffer(ctx, caller, await ctx.ensureLetter(approved, record), claim);
  });
}
