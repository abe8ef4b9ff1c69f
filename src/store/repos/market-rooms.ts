import type { Store, SublevelOf } from "../db.js";
import type { LoanTape } from "../../core/market/loan-tape.js";
import type { MarketBuyerKind, RoomRule } from "../../core/market/room-access.js";

/** A package's data room at the seller's node: the claims, the rule of who may enter, the tape frozen at opening. */
export interface RoomRecord {
  /** Opaque, random (0x + 64 hex): no personal data, safe to share and to name on chain. */
  roomId: string;
  /** The selling account (lower case) and its name at this node. */
  seller: string;
  sellerName: string;
  sellerKind: "bank" | "amc";
  /** The seller's own label for the package (its name for people; never shown to buyers unless it chooses). */
  label: string;
  claimIds: string[];
  cutOff: string;
  rule: RoomRule;
  /** The de-identified tape as of the cut-off, and keccak256 of its RFC 8785 JSON. */
  tape: LoanTape;
  tapeHash: string;
  /** The chain index's block the figures reflect. */
  asOfBlock: number | null;
  openedAt: string;
  /** Who opened it (API key id). */
  openedBy: string;
}

/** One entry of the data-room access log: who saw (or was refused) which room, when, hash-chained. */
export interface RoomAccess {
  seq: number;
  at: string;
  roomId: string;
  /** The caller's account (lower case), name and kind as the chain and this node knew them. */
  account: string;
  name: string;
  kind: MarketBuyerKind | "seller" | null;
  /** `api-key` at this node; `signed-request` from the buyer's own node (EIP-712, the account's key). */
  via: "api-key" | "signed-request";
  keyId?: string;
  outcome: "shown" | "refused";
  rule?: string;
  tapeHash: string;
  /** keccak256 of the previous entry (the log's hash chain; zero for the first) and of this one. */
  prevHash: string;
  hash: string;
}

/**
 * A listing that commits to a room's tape (at the seller's node): the listing's off-chain terms — which name the room
 * and its tapeHash — and their salt, so a buyer who read the room recomputes the listing's on-chain termsCommitment
 * and sees that the tape it read is the one the listing committed to.
 */
export interface RoomListing {
  listingId: string;
  terms: Record<string, unknown>;
  termsSalt: string;
}

/** What a buyer's node keeps of a room it fetched from a seller's node: the tape and the seller's signed receipt. */
export interface FetchedRoom {
  seller: string;
  sellerUrl: string;
  room: Omit<RoomRecord, "tape" | "openedBy" | "claimIds" | "sellerName"> & { claims: number };
  tape: LoanTape;
  receipt: { seq: number; hash: string; signature: string };
  /** The listings on chain that commit to this very tape, checked by the buyer's node against its own chain index. */
  listings?: Array<{ listingId: string; verified: true }>;
  fetchedAt: string;
  fetchedBy: string;
}

export interface MarketRoomRepos {
  rooms: SublevelOf<RoomRecord>;
  /** `${seller}!${openedAt}!${roomId}` → roomId. */
  bySeller: SublevelOf<string>;
  /** zero-padded seq → entry; the head is the last key. */
  accesses: SublevelOf<RoomAccess>;
  /** `${roomId}!${seq}` → seq. */
  accessByRoom: SublevelOf<number>;
  /** At a buyer's node: `${account}!${seller}!${roomId}` → what it fetched. */
  fetched: SublevelOf<FetchedRoom>;
  /** At the seller's node: `${roomId}!${listingId}` → the listing's terms and salt that bind the room's tape. */
  listings: SublevelOf<RoomListing>;
  /** At a buyer's node: its account's declared investor profile (src/core/market/profile.ts, amounts as decimal strings). */
  profiles: SublevelOf<Record<string, unknown>>;
}

/** The data rooms' tables: the only file that opens them. */
export function openMarketRoomRepos(store: Store): MarketRoomRepos {
  return {
    rooms: store.sub("market-rooms"),
    bySeller: store.sub("market-rooms-by-seller"),
    accesses: store.sub("market-room-accesses"),
    accessByRoom: store.sub("market-room-accesses-by-room"),
    fetched: store.sub("market-rooms-fetched"),
    profiles: store.sub("market-investor-profiles"),
    listings: store.sub("market-room-listings"),
  };
}
