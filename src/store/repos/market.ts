import type { Store, SublevelOf } from "../db.js";

/**
 * The market's own records at each node (issue 19). A seller's listing is written BEFORE its transaction is sent
 * (with the hidden reserve's salt, which only the seller knows); a bidder's bid — its amount and salt — is
 * written BEFORE its commitment is sent, so a crash between the two loses nothing and the reveal works after a
 * restart. Bid amounts live only here (at the bidder's node) and, as commitments, on chain: the seller's node
 * never has them before the reveal.
 */
export interface ListingRecord {
  listingId: string;
  /** The listing's label as the seller named it, and the salt of its id: listingId = keccak256(abi.encode(salt, keccak256(label))). */
  label: string;
  labelSalt: string;
  seller: string;
  claimIds: string[];
  /** 基准日 YYYY-MM-DD. */
  cutoffDate: string;
  commitEnd: number;
  revealEnd: number;
  executionPeriod: number;
  deposit: string;
  reserve: string | null;
  reserveHidden: boolean;
  /** The hidden reserve's salt (the seller's secret until the award). */
  reserveSalt: string | null;
  licensedAmcOnly: boolean;
  /** The off-chain terms and their salt; termsCommitment = keccak256(abi.encode(salt, keccak256(canonical(terms)))). */
  terms: Record<string, unknown>;
  termsSalt: string;
  termsCommitment: string;
  status: "pending" | "listed" | "failed";
  txHash?: string;
  blockNumber?: number;
  createdAt: string;
  /** The package id its award is sold under, fixed before the sale is sent (the label, unless a listing made before labels were reserved finds it taken). */
  packageLabel?: string;
  /** A relisted package: the listing that did not sell, this part's index (its id is derived from both) and side. */
  relistOf?: { listingId: string; part: number; key: string };
}

/**
 * A relist of an unsold listing (by the old listing's id), written with its parts' listing records BEFORE any is
 * sent: a retry of the same plan resumes it (the same new listings), another plan is refused.
 */
export interface RelistRecord {
  listingId: string;
  seller: string;
  option: string;
  /** keccak256 of the request's canonical JSON: what "the same plan" means. */
  requestHash: string;
  parts: Array<{ listingId: string; key: string; claimIds: string[] }>;
  withdrawn: string[];
  status: "pending" | "listed";
  createdAt: string;
}

export interface BidRecord {
  listingId: string;
  bidder: string;
  amount: string;
  salt: string;
  commitment: string;
  /** The deposit's payment proof (e.g. the bank transfer's reference) and its salt: only a salted commitment goes on chain. */
  depositProof: string;
  depositSalt: string;
  depositRef: string;
  status: "pending" | "committed" | "revealing" | "revealed" | "failed";
  commitTx?: string;
  revealTx?: string;
  lastError?: string;
  createdAt: string;
}

export interface MarketRepo {
  /** By listing id. */
  listings: SublevelOf<ListingRecord>;
  /** By `${listingId}!${bidder lower}`. */
  bids: SublevelOf<BidRecord>;
  /** By the unsold listing's id. */
  relists: SublevelOf<RelistRecord>;
  /** The listing holding each label as its seller's package id, by `${seller lower}|${normalized label}` (src/app/market/labels.ts). */
  labels: SublevelOf<string>;
}

export function openMarket(store: Store): MarketRepo {
  return { listings: store.sub<ListingRecord>("market-listings"), bids: store.sub<BidRecord>("market-bids"), relists: store.sub<RelistRecord>("market-relists"), labels: store.sub<string>("market-labels") };
}

export const bidKey = (listingId: string, bidder: string) => `${listingId.toLowerCase()}!${bidder.toLowerCase()}`;
