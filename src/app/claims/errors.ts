import { ConflictError, ForbiddenError, ValidationError } from "../../core/errors.js";
import { bytes32ToOriginatorCode } from "../../chain/roles.js";
import { ChainRevertError } from "../../chain/errors.js";

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
    case "BuyerNotLicensedAmc":
      return new ValidationError("to", `must be a licensed AMC: claim ${e.args[1]} is a personal NPL (26号文)`);
    case "ClaimListed":
      return new ConflictError("claim-listed", `claim ${first} is listed on the market: it goes only to the listing's winner`, { claimId: first });
    case "EnforcedPause":
      return new ConflictError("paused", "the registry is paused by its administrator");
    case "NoticeDaysBelowMinimum":
      return new ValidationError("clauses.noticeDays", `must be at least ${e.args[2]} (the deployment's minimum notice period)`);
    default:
      return marketRevertToError(e);
  }
}

/** ClaimMarket's refusals, each naming the field and the rule (src/i18n/market.ts words them for people). */
const MARKET_ERRORS: Record<string, { field: string; rule: string; conflict?: string }> = {
  ListingExists: { field: "label", rule: "a listing with this id exists", conflict: "listing-exists" },
  InvalidWindow: { field: "commitEnd", rule: "now < commitEnd < revealEnd, executionPeriod > 0" },
  EligibilityTooWide: { field: "licensedAmcOnly", rule: "personal NPLs or a bank's batch of ten or more go only to licensed AMCs" },
  SellerCannotBid: { field: "listingId", rule: "the seller may not bid on its own listing" },
  BidderNotEligible: { field: "listingId", rule: "the bidder is not eligible for this listing (licensed AMC only, or a qualified investor where allowed)" },
  BidAlreadyCommitted: { field: "listingId", rule: "one sealed bid per bidder, never replaced", conflict: "bid-exists" },
  CommitClosed: { field: "listingId", rule: "bids are committed only before commitEnd", conflict: "commit-closed" },
  RevealClosed: { field: "listingId", rule: "bids are revealed only from commitEnd until before revealEnd", conflict: "reveal-closed" },
  BidNotCommitted: { field: "listingId", rule: "no sealed bid of the caller to reveal", conflict: "no-bid" },
  BidMismatch: { field: "amount", rule: "amount and salt do not open the commitment" },
  BiddingNotOver: { field: "listingId", rule: "the award comes only once the reveal ended", conflict: "bidding-not-over" },
  ReserveMismatch: { field: "reserve", rule: "does not open the hidden reserve's commitment" },
  HasBids: { field: "listingId", rule: "a listing with bids cannot be cancelled", conflict: "has-bids" },
  NotWinner: { field: "listingId", rule: "only the award's winner may do this" },
  NotSeller: { field: "listingId", rule: "only the listing's seller may do this" },
  DeadlinePassed: { field: "listingId", rule: "the award's execution deadline has passed", conflict: "deadline-passed" },
  DeadlineNotPassed: { field: "listingId", rule: "the award's execution deadline has not passed", conflict: "deadline-not-passed" },
  UnexpectedStatus: { field: "listingId", rule: "the listing is not in the status this needs", conflict: "listing-status" },
  ClaimsMismatch: { field: "claimIds", rule: "not the listing's claims" },
  ClaimNotListable: { field: "claimIds", rule: "listed already or resale-restricted", conflict: "claim-listed" },
};

function marketRevertToError(e: ChainRevertError): unknown {
  const m = e.errorName ? MARKET_ERRORS[e.errorName] : undefined;
  if (!m) return e;
  if (e.errorName === "NotWinner" || e.errorName === "NotSeller" || e.errorName === "SellerCannotBid" || e.errorName === "BidderNotEligible") {
    return new ForbiddenError(m.rule, { field: m.field, rule: e.errorName });
  }
  return m.conflict ? new ConflictError(m.conflict, m.rule, { field: m.field, rule: e.errorName }) : new ValidationError(m.field, m.rule);
}
