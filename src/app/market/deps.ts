import type { AppDeps } from "../deps.js";
import type { ChainIndex } from "../../store/repos/chain-index.js";
import type { Assignments } from "../assignments/assign.js";
import type { RelistClaim } from "../../core/market/relist.js";
import type { Caller } from "../access.js";

/** The market's dependencies: the common ones, the chain index's market reads, and the sale it executes an award as. */
export type MarketDeps = Pick<AppDeps, "repos" | "chain" | "clock" | "metrics" | "log"> & {
  index: Pick<ChainIndex, "listing" | "listings">;
  /** Executing an award is a package sale (the handover to the winner follows): src/app/assignments/assign.ts. */
  assignments: Pick<Assignments, "assign">;
  /** Waits until this node's index holds a block (after a write, so a read reflects it). */
  waitForIndex?: (blockNumber: number) => Promise<void>;
  /** An unsold package's claims assessed as of `today` at the seller's node, for the relist advice (./relist-sources.ts). */
  /** This node's data rooms (src/app/market-room/rooms.ts): a listing over a room commits to its tape's hash. */
  rooms?: {
    forListing(seller: string, roomId: string): Promise<{ roomId: string; tapeHash: string; claimIds: string[] }>;
    bindListing(roomId: string, binding: { listingId: string; terms: Record<string, unknown>; termsSalt: string }): Promise<void>;
  };
  /** The on-chain ref of a package label sold by a seller (src/core/packages.ts): a listing's label must be unused there too. */
  packageRef?: (seller: string, label: string) => string;
  assessForRelist?: (caller: Caller, claimIds: readonly string[], today: string) => Promise<RelistClaim[]>;
};
