import type { ApiKeyConfig } from "../../config/config.js";
import type { Classification } from "../../core/classification.js";
import type { Channel } from "../../core/evidence.js";
import type { OfferTerms } from "../../core/mediation.js";
import type { AppDeps } from "../deps.js";
import type { ClaimAccess } from "../claims/parties.js";
import type { SystemRecorder } from "../evidence/types.js";

export { OFFER_STATUSES, type OfferStatus } from "../../store/repos/offers.js";

/** Body of POST /v1/claims/:claimId/offers. Figures are used only when the oracle has no loan status of the claim. */
export interface OfferRequest {
  outstanding?: string;
  daysPastDue?: number;
  classification?: Classification;
  collateralValue?: string;
  region?: string;
  /** Fixed lump-sum terms, or false for no lump-sum offer. */
  lumpSum?: OfferTerms | false;
  /** Fixed plan terms, or false for no plan. */
  plan?: OfferTerms | false;
  /** How the offer letter goes to the debtor (default post). */
  channel?: Channel;
}

/** Body of POST /v1/offers/:id/accept: how and when the debtor accepted. */
export interface AcceptRequest {
  channel: Channel;
  /** Default: now. */
  occurredAt?: string;
  /** Hash of the signed acceptance (scan, recording), attached to the evidence record. */
  signedCopyHash?: string;
}

/** What mediation needs: the store (offers, the oracle's loan statuses, claim records), the chain, and two siblings. */
export interface OffersDeps extends Pick<AppDeps, "repos" | "chain" | "clock" | "metrics"> {
  /** This deployment's keys: a holder's own key signs its restructuring, its name heads the letters. */
  settings: { apiKeys: Pick<ApiKeyConfig, "name" | "privateKey">[] };
  access: ClaimAccess;
  /** Letters and acceptances are recorded as evidence by the service. */
  evidence: SystemRecorder;
}
