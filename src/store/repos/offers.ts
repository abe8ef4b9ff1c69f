import type { Classification } from "../../core/classification.js";
import type { Channel } from "../../core/evidence.js";
import type { MediationProposal, Offer } from "../../core/mediation.js";
import type { Store, SublevelOf } from "../db.js";

export const OFFER_STATUSES = ["pending-approval", "proposed", "accepting", "accepted", "superseded", "expired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
/** "expired" is never stored: an open offer past its validity reads as expired. */
export type StoredOfferStatus = Exclude<OfferStatus, "expired">;

/** Who did something with an offer (an API key). */
export interface Who {
  name: string;
  keyId: string;
  role: string;
}

/** The figures an offer rests on and where they came from. */
export interface OfferFacts {
  source: "loan-status" | "request";
  /** When the figures were valid (the loan status' asOf, or the proposal time). */
  asOf: string;
  outstanding: string;
  daysPastDue: number;
  classification: Classification;
  region: string | null;
  collateralValue: string | null;
}

/** A settlement offer as the store keeps it (src/app/offers/). */
export interface StoredOffer {
  offerId: string;
  proposalId: string;
  claimId: string;
  status: StoredOfferStatus;
  offer: Offer;
  benchmark: MediationProposal["benchmark"];
  facts: OfferFacts;
  proposedBy: Who;
  proposedAt: string;
  channel: Channel;
  approval?: { by: Who; at: string };
  letter: { text: string; contentHash: string; recordId?: string };
  acceptance?: { text: string; contentHash: string; occurredAt: string; channel: Channel; attachments?: string[]; by: Who; recordId?: string };
  restructure?: { txHash?: string; blockNumber?: number; error?: string };
  /**
   * What CollectionClauses.restructure records: a salted commitment keccak256(abi.encode(salt, planHash))
   * (core/commitment.ts). The plan's terms are guessable (a discount in whole bps, dates near the block's,
   * the outstanding and installment count on chain), so its bare hash would give the settlement away.
   * Absent for offers stored before the commitment existed (their planHash went on chain as it was).
   */
  planCommitment?: { salt: string; commitment: string };
  acceptedAt?: string;
  outstandingAtAcceptance?: string;
  supersededBy?: string;
}

/** The mediation offers' tables. */
export interface OffersRepo {
  offers: SublevelOf<StoredOffer>;
  /** `${claimId}!${proposedAt}!${offerId}` → offerId: a claim's offers, oldest first. */
  byClaim: SublevelOf<string>;
}

export function openOffers(store: Store): OffersRepo {
  return { offers: store.sub("offers"), byClaim: store.sub("offers-by-claim") };
}

/** A claim's offers, oldest first. */
export async function offersOfClaim(repo: OffersRepo, claimId: string): Promise<StoredOffer[]> {
  const out: StoredOffer[] = [];
  for await (const id of repo.byClaim.values({ gt: `${claimId}!`, lt: `${claimId}!~` })) {
    const o = await repo.offers.get(id);
    if (o) out.push(o);
  }
  return out;
}
