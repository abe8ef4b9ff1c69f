/**
 * A package's de-identified data room (issue 19): the seller opens it over claims it holds (rooms.ts: the loan
 * tape of src/core/market/loan-tape.ts frozen at the cut-off, the rule of who may enter from
 * src/core/market/room-access.ts); prospective buyers enter at the seller's node — by an API key of that node or
 * by a request their own node signs (remote.ts) — every access written to a hash-chained log first
 * (access-log.ts), answered with the seller's signed receipt.
 */
import type { TypedDataDomain } from "ethers";
import type { MarketBuyerKind } from "../../core/market/room-access.js";
import type { Store } from "../../store/db.js";
import { openMarketRoomRepos } from "../../store/repos/market-rooms.js";
import type { ServedAccount } from "../handover/keys.js";
import type { PeerDirectory } from "../handover/peers.js";
import { createAccessLog } from "./access-log.js";
import { createRemoteRooms } from "./remote.js";
import { createRooms } from "./rooms.js";
import { createRoomRecommendations } from "./recommend.js";
import type { SourceDeps } from "./sources.js";
import type { ListingSourceDeps } from "../market/recommendations.js";

export interface MarketRoomDeps {
  store: Store;
  clock: { now(): number };
  domain: TypedDataDomain;
  accounts: Map<string, ServedAccount>;
  peers: PeerDirectory;
  holderOf(claimId: string): Promise<string | null>;
  /** What the chain makes an account as a buyer, read now: who may enter a room follows it. */
  buyerKindOf(account: string): Promise<MarketBuyerKind | null>;
  /** The same for display only (GET /v1/me), which may be cached; defaults to {@link buyerKindOf}. */
  shownBuyerKindOf?(account: string): Promise<MarketBuyerKind | null>;
  sources: SourceDeps;
  fetch?: typeof fetch;
  /** A listing as this node's chain index has it: a buyer checks a room's listing bindings against it. */
  listingOf?: (listingId: string) => Promise<{ termsCommitment: string; seller: string } | null>;
  /** The chain index's listings and bids: a buyer's recommended listings read the live market. */
  index?: ListingSourceDeps["index"];
  /** Now for bidding windows: the later of the clock and the chain's latest block (ms). */
  chainNow?: () => Promise<number>;
}

export function createMarketRoom(deps: MarketRoomDeps) {
  const repos = openMarketRoomRepos(deps.store);
  const log = createAccessLog({ store: deps.store, repos, clock: deps.clock });
  return {
    rooms: createRooms({ ...deps, repos, log }),
    remote: createRemoteRooms({ store: deps.store, repos, clock: deps.clock, domain: deps.domain, peers: deps.peers, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.listingOf ? { listingOf: deps.listingOf } : {}) }),
    log,
    recommendations: createRoomRecommendations({ repos, clock: deps.clock, ...(deps.index ? { index: deps.index } : {}), ...(deps.chainNow ? { chainNow: deps.chainNow } : {}) }),
    /** What the chain makes an account as a buyer (HOLDER with LICENSED_AMC or QUALIFIED_INVESTOR), or null: for display (may lag a minute). */
    buyerKindOf: deps.shownBuyerKindOf ?? deps.buyerKindOf,
  };
}

export type MarketRoom = ReturnType<typeof createMarketRoom>;
export { ROOM_HEADERS } from "./remote.js";
