import type { Caller } from "../access.js";
import type { MarketDeps } from "./deps.js";
import { createMarketSeller } from "./seller.js";
import { createMarketBidder } from "./bidder.js";
import { createMarketRelist } from "./relist.js";
import { bidKey } from "../../store/repos/market.js";
import { serviceNow } from "../deps.js";
import { NotFoundError } from "../../core/errors.js";

export type { MarketDeps } from "./deps.js";
export type { ListingRequest } from "./seller.js";
export type { RelistRequest } from "./relist.js";

/**
 * The market (issue 19) over explicit Deps: the seller's use cases (list, cancel, award, execute, runner-up), the
 * bidder's (commit, reveal, payment) and the reads. What a node shows of bids follows where they live: sealed bids
 * are commitments on chain (every node shows the commitment, never an amount before its reveal); a bidder's own
 * amount and salt are at its own node only.
 */
export function createMarket(deps: MarketDeps, options: { bidders?: () => readonly Caller[]; revealIntervalMs?: number } = {}) {
  const seller = createMarketSeller(deps);
  const bidder = createMarketBidder(deps);
  const relist = createMarketRelist({
    ...deps, listings: { prepare: seller.prepare, send: seller.send, labels: seller.labels },
    assessForRelist: deps.assessForRelist ?? (async (_c, ids) => ids.map((claimId) => ({ claimId, balance: 0n, value: null, disposal: null, limitation: null, region: null, collateralType: "unsecured", personal: false }))),
  });
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  return {
    ...seller,
    commitBid: bidder.commit,
    revealBid: bidder.reveal,
    recordPayment: bidder.recordPayment,
    revealDue: bidder.revealDue,
    relistAdvice: relist.advice,
    relist: relist.relist,

    /** Listings from the chain index (any node shows every listing; amounts only of revealed bids), with the seller's own label to the seller. */
    async listings(caller?: Caller) {
      const all = await deps.index.listings();
      const me = caller?.address?.toLowerCase();
      if (!me) return all;
      const listings = await Promise.all(all.listings.map(async (l) => {
        if (l.seller.toLowerCase() !== me) return l;
        const own = await deps.repos.market.listings.get(l.listingId.toLowerCase());
        return own ? { ...l, label: own.label } : l;
      }));
      return { ...all, listings };
    },

    /** One listing with its bids from the index, and the caller's own sealed bid from this node, if any; 404 if none of them knows it. */
    async listing(caller: Caller, listingId: string) {
      const view = await deps.index.listing(listingId.toLowerCase());
      const mine = caller.address ? await deps.repos.market.bids.get(bidKey(listingId, caller.address)) : undefined;
      const own = await deps.repos.market.listings.get(listingId.toLowerCase());
      // Neither on chain (as far as the index has read) nor this node's own listing or bid: nothing to show.
      if (!view.listing && !own && !mine) throw new NotFoundError("listing", listingId);
      return {
        ...view,
        myBid: mine ? { amount: mine.amount, status: mine.status, commitment: mine.commitment } : null,
        // The seller's own record (its label, terms, hidden reserve) only to the seller.
        mine: own && own.seller.toLowerCase() === caller.address?.toLowerCase() ? { label: own.label, terms: own.terms, reserve: own.reserve, reserveHidden: own.reserveHidden } : null,
      };
    },

    myBids: bidder.mine,

    /** The bidder node's automatic reveal, every `revealIntervalMs` (default 5 s), for this node's bidding keys. */
    start() {
      if (timer || !options.bidders) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        // Chain time decides the phases: the later of the clock and the latest block.
        void serviceNow(deps).then((now) => bidder.revealDue(options.bidders!(), now)).catch((e) => deps.log.warn({ err: String(e) }, "market: reveal pass failed"))
          .finally(() => { running = false; });
      }, options.revealIntervalMs ?? 5_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type Market = ReturnType<typeof createMarket>;
