import type { SublevelOf } from "../db.js";
import type { CaseStateName } from "../../core/oracle-plan.js";

/**
 * The rows of the chain index (src/store/repos/chain-index.ts opens their tables): one type per table,
 * and the keys they are stored under. Money is a decimal string of minor units; times are block times
 * (unix seconds); addresses are checksummed as the events give them, keys lower-case.
 */

/** Bumped when the tables' shape changes: an index of another version is dropped and rebuilt. */
export const CHAIN_INDEX_SCHEMA = 4;

/** The last indexed block. Written in the same atomic batch as the rows of that block. */
export interface Cursor {
  number: number;
  hash: string;
  timestamp: number;
}

/** Clause thresholds of a claim's terms (days; coverage in basis points). */
export interface ClauseTermsRow {
  warnDays: number;
  demandDays: number;
  arbitrationDays: number;
  coverageBps: number;
  noticeDays: number;
}

/**
 * A claim's terms: ClaimRegistered carries them but for the two the registry stores (retail, clause
 * thresholds), read once with `isRetail` and `clausesOf` when the registration is indexed (never changed).
 */
export interface TermsRow {
  /** ISO 4217, e.g. "CNY". */
  currency: string;
  /** Unix seconds. */
  originatedAt: number;
  maturityAt: number;
  retail: boolean;
  clauses: ClauseTermsRow;
  collateralHash: string;
  documentsRoot: string;
}

/** A claim as ClaimRegistry's events (and its immutable terms) describe it. */
export interface ClaimRow {
  claimId: string;
  /** bytes32 originator code (ASCII, zero-padded). */
  originatorCode: string;
  originator: string;
  /** Salted commitment to the loan-contract number. */
  loanRef: string;
  /** At registration, minor units. */
  principal: string;
  outstanding: string;
  registeredBlock: number;
  registeredTx: string;
  registeredAt: number;
  holder: string;
  /** Block, time, tx and history position of the transfer (or mint) that gave `holder` the claim. */
  holderSinceBlock: number;
  holderSince: number;
  holderTx: string;
  holderPos: string;
  /** A retail claim that changed hands and may not move again until ADMIN lifts it. */
  resaleRestricted: boolean;
  terms: TermsRow;
}

/** One step of a claim's ownership: the registration, a package sale, or a plain ERC-721 transfer. */
export interface OwnershipEvent {
  type: "registered" | "assigned" | "transferred";
  from: string | null;
  to: string;
  /** bytes32 package id, price in minor units and the assignment notice commitment (package sales only). */
  packageId: string | null;
  price: string | null;
  noticeHash: string | null;
  /** A package sale's salted commitment to the loan files handed over to the buyer (zero when none); null otherwise. */
  filesCommitment?: string | null;
  blockNumber: number;
  txHash: string;
  logIndex: number;
  timestamp: number;
}

/** The figures of an applied oracle report. */
export interface ReportFigures {
  nonce: number;
  asOf: number;
  daysPastDue: number;
  outstanding: string;
  collateralValue: string;
  /** 0 pass (正常) .. 4 loss (损失). */
  classification: number;
  /** 0 = A .. 4 = E. */
  riskGrade: number;
  /** The EIP-712 digest of the report's batch: what the oracles signed (BatchApplied). */
  digest: string;
  blockNumber: number;
  txHash: string;
}

/** A claim's case (CollectionClauses' caseOf, plus the figures that live only in events). */
export interface CaseRow {
  claimId: string;
  state: CaseStateName;
  /** Block time of the last state change; null before the first. */
  stateSince: number | null;
  stateSinceBlock: number | null;
  /** Reports applied = the nonce the next report carries. */
  nonce: number;
  lastReport: ReportFigures | null;
  /** Block time of the last warning or demand (a state change carrying a notice commitment). */
  lastNoticeAt: number | null;
  lastNoticeBlock: number | null;
  lastNoticeHash: string | null;
  /** The open or ruled dispute; cleared by a refused ruling (as on chain). */
  disputeId: string | null;
  planHash: string | null;
  installments: number | null;
  closedReason: "repaid" | "dismissed" | "settled" | null;
  /** The last arbitration that was due but unfunded (the case stayed Demanded). */
  arbitrationDeferred: { cost: string; balance: string; blockNumber: number } | null;
}

interface TimelineBase {
  blockNumber: number;
  txHash: string;
  logIndex: number;
  timestamp: number;
}

/** One item of a case's on-chain timeline. */
export type TimelineItem = TimelineBase & (
  | { type: "report"; details: Omit<ReportFigures, "blockNumber" | "txHash"> }
  | { type: "state-changed"; details: { from: CaseStateName; to: CaseStateName; noticeHash: string | null } }
  | { type: "restructured"; details: { planHash: string; installments: number; by: string } }
  | { type: "notice-delivered"; details: { deliveredAt: number; by: string } }
  | { type: "arbitration-deferred"; details: { cost: string; balance: string } }
  | { type: "arbitration-started"; details: { disputeId: string; daysPastDue: number; coverageBps: string } }
  | { type: "ruling-applied"; details: { disputeId: string; ruling: number } }
  | { type: "enforcement-ordered"; details: { disputeId: string } }
  | { type: "closed"; details: { reason: "repaid" | "dismissed" | "settled" } }
  | { type: "evidence"; details: { party: string; uri: string } }
);

/** A dispute at the deployment's Arbitrator (any arbitrable may create one; only ours name a claim). */
export interface DisputeRow {
  disputeId: string;
  arbitrable: string;
  /** Ruling options (read once with `disputeOf` when the creation is indexed). */
  choices: number;
  /** The claim, when CollectionClauses started it (ArbitrationStarted); null for any other arbitrable. */
  claimId: string | null;
  status: "waiting" | "solved";
  ruling: number | null;
  ruledAt: number | null;
  ruledBy: string | null;
  ruledBlock: number | null;
  ruledTx: string | null;
  createdBlock: number;
  createdTx: string;
  createdAt: number;
}

/** An anchored evidence batch (EvidenceLog.RootAnchored). */
export interface AnchorRow {
  root: string;
  submitter: string;
  count: number;
  uri: string;
  blockNumber: number;
  txHash: string;
  logIndex: number;
  timestamp: number;
}

/**
 * Claims and their outstanding in one cell of a family × account × case state × classification.
 * Outstanding and class are those of the last applied report; a claim without one counts at its
 * registered outstanding as class 0 (正常, as the contract treats it) and in `unreported`.
 */
export interface AggregateCell {
  count: number;
  unreported: number;
  outstanding: string;
}

/** Aggregate families: by holder, by originator, and claims still held by their originator. */
export type AggregateFamily = "holder" | "originator" | "retained";

/** A block whose hash the index relies on (every block near the head, every cursor written). */
export interface BlockRecord {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

/** The index's own state, one record. */
export interface IndexMeta {
  schema: number;
  cursor: Cursor | null;
  /** Undo data covers every block above this one: a rollback may go down to it, not below. */
  undoFloor: number;
  /** A wipe was begun: finish it before anything else. */
  wiping: boolean;
}

/** The row tables (everything a rollback restores). */
/** A market listing (ClaimMarket, issue 19), as its events tell it; amounts are minor units, times block times. */
export interface ListingRow {
  listingId: string;
  seller: string;
  claimIds: string[];
  termsCommitment: string;
  cutoffDate: number;
  commitEnd: number;
  revealEnd: number;
  executionPeriod: number;
  deposit: string;
  /** The reserve: public from the listing, a hidden one once revealed at the award; null while hidden. */
  reserve: string | null;
  reserveHidden: boolean;
  licensedAmcOnly: boolean;
  retailClaims: number;
  status: "open" | "awarded" | "sold" | "unsold" | "cancelled" | "failed";
  /** Bidders in commit order (sealed bids; amounts only once revealed, in `chain-bids`). */
  bidders: string[];
  revealed: number;
  winner: string | null;
  winningBid: string | null;
  /** The award's execution deadline (the winner's payment and the seller's execution before it). */
  deadline: number | null;
  paid: boolean;
  packageId: string | null;
  defaults: Array<{ defaulter: string; winner: string; sellerDefaulted: boolean; blockNumber: number }>;
  listedBlock: number;
  listedTx: string;
  listedAt: number;
  updatedBlock: number;
  updatedTx: string;
}

/** A sealed bid: its commitment until revealed; `forfeited` once the reveal ended without it (or its winner defaulted unpaid). */
export interface BidRow {
  listingId: string;
  bidder: string;
  seq: number;
  commitment: string;
  depositRef: string;
  deposit: string;
  status: "committed" | "revealed" | "forfeited" | "won";
  amount: string | null;
  committedBlock: number;
  committedAt: number;
  revealedAt: number | null;
}

export interface RowTables {
  claims: ClaimRow;
  ownership: OwnershipEvent;
  cases: CaseRow;
  timeline: TimelineItem;
  disputes: DisputeRow;
  anchors: AnchorRow;
  aggregates: AggregateCell;
  /** `${holder lower}!${claimId}` → the block the holder got it. */
  holderClaims: number;
  listings: ListingRow;
  /** `${listingId}!${bidder lower}`. */
  bids: BidRow;
}
export type RowTable = keyof RowTables;
export const ROW_TABLES: readonly RowTable[] = ["claims", "ownership", "cases", "timeline", "disputes", "anchors", "aggregates", "holderClaims", "listings", "bids"];

/** What a key held before a block wrote it (null: absent). */
export type UndoEntry = { [T in RowTable]: { t: T; k: string; v: RowTables[T] | null } }[RowTable];

export type Sublevels = { [T in RowTable]: SublevelOf<RowTables[T]> };

const BLOCK_DIGITS = 12;
const pad = (n: number, digits: number) => String(n).padStart(digits, "0");
/** Sortable position of a log in the chain: block, then log index. */
export const logPos = (blockNumber: number, logIndex: number) => `${pad(blockNumber, BLOCK_DIGITS)}.${pad(logIndex, 6)}`;
export const blockKey = (n: number) => pad(n, BLOCK_DIGITS);
export const disputeKey = (id: string) => id.padStart(24, "0");
export const aggregateKey = (family: AggregateFamily, account: string, state: CaseStateName, classification: number) =>
  `${family}!${account.toLowerCase()}!${state}!${classification}`;

/** Who sees what of the portfolio: everything, a holder's claims, or a bank's (originated or held). */
export type PortfolioScope = { kind: "all" } | { kind: "holder"; address: string } | { kind: "bank"; address: string };

export interface PortfolioCell extends AggregateCell {
  state: CaseStateName;
  classification: number;
}

/** A read's answer: the block the tables reflected (null before the first indexed block). */
export type AsOf<T> = T & { asOfBlock: number | null };

