import type { LogDescription } from "ethers";
import { getAddress, lower } from "./index-rows.js";
import type { BidRow, IndexWriter, ListingRow } from "../store/repos/chain-index.js";
import type { IndexedLog } from "./index-projection.js";

/** ClaimMarket's events the index follows (issue 19). */
export const MARKET_EVENTS = [
  "ListingCreated", "ListingCancelled", "BidCommitted", "BidRevealed", "ListingAwarded", "ListingUnsold", "PaymentRecorded",
  "AwardExecuted", "AwardDefaulted", "ListingFailed",
] as const;

const bidKey = (listingId: string, bidder: string) => `${lower(listingId)}!${lower(bidder)}`;

/**
 * How ClaimMarket's events change the `chain-listings` and `chain-bids` tables: a listing's status, bidders in
 * commit order, the award and its defaults; a bid's commitment, then its amount once revealed. Bids still
 * sealed when the listing is awarded or ends unsold are void: `forfeited` (their deposit is forfeit).
 */
export async function applyMarketEvent(w: IndexWriter, ev: Pick<LogDescription, "name" | "args">, log: IndexedLog, timestamp: number): Promise<void> {
  const a = ev.args;
  const id = lower(a.listingId as string);
  const touched = { updatedBlock: log.blockNumber, updatedTx: log.transactionHash };
  if (ev.name === "ListingCreated") {
    if (await w.get("listings", id)) return;
    const t = a.terms as unknown as { termsCommitment: string; cutoffDate: bigint; commitEnd: bigint; revealEnd: bigint; executionPeriod: bigint; deposit: bigint; reserve: bigint; reserveCommitment: string; licensedAmcOnly: boolean };
    const hidden = BigInt(t.reserveCommitment) !== 0n;
    const row: ListingRow = {
      listingId: id, seller: getAddress(a.seller as string), claimIds: (a.claimIds as string[]).map(lower),
      termsCommitment: t.termsCommitment, cutoffDate: Number(t.cutoffDate), commitEnd: Number(t.commitEnd), revealEnd: Number(t.revealEnd),
      executionPeriod: Number(t.executionPeriod), deposit: t.deposit.toString(), reserve: hidden ? null : t.reserve.toString(), reserveHidden: hidden,
      licensedAmcOnly: t.licensedAmcOnly, retailClaims: Number(a.retailClaims), status: "open", bidders: [], revealed: 0, winner: null,
      winningBid: null, deadline: null, paid: false, packageId: null, defaults: [],
      listedBlock: log.blockNumber, listedTx: log.transactionHash, listedAt: timestamp, ...touched,
    };
    await w.put("listings", id, row);
    return;
  }
  const listing = await w.get("listings", id);
  if (!listing) return;
  const next: ListingRow = { ...listing, ...touched };
  switch (ev.name) {
    case "ListingCancelled":
      next.status = "cancelled";
      break;
    case "BidCommitted": {
      const bidder = getAddress(a.bidder as string);
      const bid: BidRow = {
        listingId: id, bidder, seq: Number(a.seq), commitment: a.commitment as string, depositRef: a.depositRef as string,
        deposit: (a.deposit as bigint).toString(), status: "committed", amount: null, committedBlock: log.blockNumber, committedAt: timestamp, revealedAt: null,
      };
      await w.put("bids", bidKey(id, bidder), bid);
      next.bidders = [...listing.bidders, bidder];
      break;
    }
    case "BidRevealed": {
      const key = bidKey(id, a.bidder as string);
      const bid = await w.get("bids", key);
      if (bid) await w.put("bids", key, { ...bid, status: "revealed", amount: (a.amount as bigint).toString(), revealedAt: timestamp });
      next.revealed = listing.revealed + 1;
      break;
    }
    case "ListingAwarded":
    case "ListingUnsold": {
      if (listing.status === "open") await forfeitSealed(w, listing);
      next.reserve = (a.reserve as bigint).toString();
      if (ev.name === "ListingUnsold") {
        next.status = "unsold";
        break;
      }
      Object.assign(next, { status: "awarded", winner: getAddress(a.winner as string), winningBid: (a.amount as bigint).toString(), deadline: Number(a.deadline), paid: false });
      break;
    }
    case "PaymentRecorded":
      next.paid = true;
      break;
    case "AwardExecuted": {
      const key = bidKey(id, a.winner as string);
      const bid = await w.get("bids", key);
      if (bid) await w.put("bids", key, { ...bid, status: "won" });
      Object.assign(next, { status: "sold", packageId: a.packageId as string });
      break;
    }
    case "AwardDefaulted": {
      const winner = getAddress(a.winner as string);
      const sellerDefaulted = a.sellerDefaulted as boolean;
      next.defaults = [...listing.defaults, { defaulter: getAddress(a.defaulter as string), winner, sellerDefaulted, blockNumber: log.blockNumber }];
      if (!sellerDefaulted) {
        const key = bidKey(id, winner);
        const bid = await w.get("bids", key);
        if (bid) await w.put("bids", key, { ...bid, status: "forfeited" });
      }
      break;
    }
    case "ListingFailed":
      next.status = "failed";
      break;
    default:
      return;
  }
  await w.put("listings", id, next);
}

/** Bids never revealed by the award: void, their deposit forfeit. */
async function forfeitSealed(w: IndexWriter, listing: ListingRow): Promise<void> {
  for (const bidder of listing.bidders) {
    const key = bidKey(listing.listingId, bidder);
    const bid = await w.get("bids", key);
    if (bid?.status === "committed") await w.put("bids", key, { ...bid, status: "forfeited" });
  }
}
