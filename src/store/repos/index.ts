import type { Store, SublevelOf } from "../db.js";
import { openAssignments, type AssignmentsRepo } from "./assignments.js";
import { openClaimRecords, type ClaimRecord } from "./claims.js";
import { openComparables, type ComparablesRepo } from "./comparables.js";
import { openEvidence, type EvidenceRepo } from "./evidence.js";
import { openFeeds, type FeedsRepo } from "./feeds.js";
import { openHandoverRepos, type HandoverRepos } from "./handover.js";
import { openJobRepos, type JobRepos } from "./jobs.js";
import { openMarket, type MarketRepo } from "./market.js";
import { openOffers, type OffersRepo } from "./offers.js";
import { openOracleRepos, type OracleRepos } from "./oracle.js";
import { openPackages, type PackagesRepo } from "./packages.js";
import { openSnapshots, type Snapshot } from "./portfolio.js";
import { openSurveys, type SurveysRepo } from "./surveys.js";

/**
 * Every table of the store a feature use case reads or writes, opened once per process (each in its one
 * file of this folder, with its one type). `store` itself is here for atomic batches across tables
 * ({@link TypedBatch}) and the cross-process locks ({@link Store.exclusive}).
 */
export interface Repos {
  store: Store;
  assignments: AssignmentsRepo;
  claims: SublevelOf<ClaimRecord>;
  /** The comparable-case database and its import jobs. */
  comparables: ComparablesRepo;
  evidence: EvidenceRepo;
  feeds: FeedsRepo;
  /** Batch imports and their rows (src/app/jobs). */
  jobs: JobRepos;
  offers: OffersRepo;
  oracle: OracleRepos;
  /** Package sales by name per seller and by on-chain ref (src/app/packages/sales.ts). */
  packages: PackagesRepo;
  surveys: SurveysRepo;
  /** The dashboard's daily figures per scope (src/app/portfolio/trend.ts). */
  snapshots: SublevelOf<Snapshot>;
  /** Loan-file handover between organisations' nodes (src/app/handover). */
  handover: HandoverRepos;
  /** The market's listings (seller side) and sealed bids (bidder side) at this node (src/app/market). */
  market: MarketRepo;
}

export function openRepos(store: Store): Repos {
  return {
    store,
    assignments: openAssignments(store),
    claims: openClaimRecords(store),
    comparables: openComparables(store),
    evidence: openEvidence(store),
    feeds: openFeeds(store),
    jobs: openJobRepos(store),
    offers: openOffers(store),
    oracle: openOracleRepos(store),
    packages: openPackages(store),
    surveys: openSurveys(store),
    snapshots: openSnapshots(store),
    handover: openHandoverRepos(store),
    market: openMarket(store),
  };
}
