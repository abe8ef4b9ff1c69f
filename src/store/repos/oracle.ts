import type { Store, SublevelOf } from "../db.js";
import type {
  AppliedReport, CycleSummary, NotedDispute, OracleFailure, PendingReport, RecentReport, StoredStatus,
} from "../../oracle/types.js";
import type { Disagreement } from "../../oracle/disagreements.js";

/**
 * The oracle's tables (this deployment's namespace), opened here and nowhere else. The API process and
 * `debtrail oracle` open them on one shared store (src/store/db.ts): the API writes statuses, the
 * oracle's cycle everything else.
 */
export interface OracleRepos {
  store: Store;
  /** The holder's side's statuses (its own key, a servicer naming it): the daemon proposes reports from them. */
  statuses: SublevelOf<StoredStatus>;
  /** This organisation's own observations (`feed` keys) of claims it does not hold: used only to co-sign. */
  observed: SublevelOf<StoredStatus>;
  /** Claims whose status changed since they were last planned. */
  dirty: SublevelOf<number>;
  /** Reports on their way to the chain: written before they are signed by peers or sent. */
  pending: SublevelOf<PendingReport>;
  /** The last applied report of each claim. */
  applied: SublevelOf<AppliedReport>;
  failures: SublevelOf<OracleFailure>;
  disputes: SublevelOf<NotedDispute>;
  /** `lastCycle` (a CycleSummary) and `latency` (recent status → applied times, ms). */
  meta: SublevelOf<CycleSummary | number[]>;
  /**
   * Reports applied in recent blocks (key: block!claimId), re-checked each cycle: a reorg may take them
   * away again. On disk, so a restart after a reorg still finds them.
   */
  recent: SublevelOf<RecentReport>;
  /** Refusals between operators (claim!side!party → the latest): src/oracle/disagreements.ts. */
  disagreements: SublevelOf<Disagreement>;
  /** Demand letters recorded before a claim's 诉讼时效 ends (key: claimId!lastDay): one per claim and period end. */
  limitationDemands: SublevelOf<{ recordId: string; lastDay: string; recordedAt: string }>;
}

export function openOracleRepos(store: Store): OracleRepos {
  return {
    store,
    statuses: store.sub("oracle-status"),
    observed: store.sub("oracle-observed"),
    dirty: store.sub("oracle-dirty"),
    pending: store.sub("oracle-pending"),
    applied: store.sub("oracle-applied"),
    failures: store.sub("oracle-failures"),
    disputes: store.sub("oracle-disputes"),
    meta: store.sub("oracle-meta"),
    recent: store.sub("oracle-recent"),
    disagreements: store.sub("oracle-disagreements"),
    limitationDemands: store.sub("oracle-limitation-demands"),
  };
}
