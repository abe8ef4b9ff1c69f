/**
 * The one TypeScript copy of the contract's clause rule (plan + next deadline). What the oracle reports for a claim, decided from its latest figures and its case on chain.
 * Pure: the case, the clause terms, the last applied figures and the chain's time are arguments.
 * It mirrors CollectionClauses' clauses (contracts/interfaces/ICollectionClauses.sol) so the daemon
 * only signs reports that change something, and attaches a notice exactly when one is due.
 */
import type { NoticeType } from "./notices.js";

/** CaseState of the contract, by index. */
export const CASE_STATES = ["performing", "overdue", "warned", "demanded", "in-arbitration", "ruled", "closed", "restructured"] as const;
export type CaseStateName = (typeof CASE_STATES)[number];
export const CASE_STATES_ZH: Record<CaseStateName, string> = {
  performing: "正常履约", overdue: "逾期", warned: "已提醒", demanded: "已催告",
  "in-arbitration": "仲裁中", ruled: "已裁决", closed: "已结案", restructured: "已重组",
};

const S = { performing: 0, overdue: 1, warned: 2, demanded: 3, inArbitration: 4, ruled: 5, closed: 6, restructured: 7 } as const;

/**
 * The allowed edges of CaseState (CaseLadder's ALLOWED_EDGES; parity-tested against isAllowedTransition).
 * A refused ruling (0) sends a case from in-arbitration back to demanded: the ladder continues.
 */
export const ALLOWED_EDGES: Record<CaseStateName, readonly CaseStateName[]> = {
  performing: ["overdue", "closed"],
  overdue: ["warned", "performing", "restructured", "closed"],
  warned: ["demanded", "performing", "restructured", "closed"],
  demanded: ["in-arbitration", "performing", "restructured", "closed"],
  "in-arbitration": ["ruled", "demanded"],
  ruled: ["closed"],
  closed: [],
  restructured: ["overdue", "closed"],
};

const DAY = 86_400;

export interface ClauseThresholds {
  warnDays: number;
  demandDays: number;
  arbitrationDays: number;
  coverageBps: number;
  noticeDays: number;
}

/** The contract's view of a case (caseOf). */
export interface CaseView extends ClauseThresholds {
  state: number;
  nonce: number;
  /** Unix seconds of the last applied report's asOf, 0 if none. */
  lastAsOf: number;
  /** Block time of the last notice transition, 0 if none. */
  lastNoticeAt: number;
  /** Block time of the last state change, 0 if none (differs from lastNoticeAt after a refused ruling). */
  stateSince: number;
}

/** The figures a report carries. */
export interface ReportFigures {
  /** Unix seconds. */
  asOf: number;
  daysPastDue: number;
  outstanding: bigint;
  collateralValue: bigint;
  /** 0 pass .. 4 loss. */
  classification: number;
  /** 0 = A .. 4 = E. */
  riskGrade: number;
}

export interface ReportPlan {
  figures: ReportFigures;
  /** The notice this report must deliver, if one is due. */
  notice: NoticeType | null;
  /** The state changes the report is expected to cause, in order. */
  transitions: CaseStateName[];
}

/**
 * Why nothing is reported. "notice-period-running": the next step (demand, arbitration) is due by days past
 * due but its notice period has not run in block time, and the figures did not change.
 */
export type NoPlan = { skip: "closed" | "not-newer" | "unchanged" | "notice-period-running" };

/**
 * When the next step after a notice may come (unix seconds): noticeDays after the later of the last notice
 * and the case's entry into its state (CaseLadder's _noticeDueAt).
 */
export function noticeDueAt(c: Pick<CaseView, "lastNoticeAt" | "stateSince">, noticeDays: number): number {
  return Math.max(c.lastNoticeAt, c.stateSince) + noticeDays * DAY;
}

function sameFigures(a: ReportFigures, b: ReportFigures): boolean {
  return a.daysPastDue === b.daysPastDue && a.outstanding === b.outstanding && a.collateralValue === b.collateralValue
    && a.classification === b.classification && a.riskGrade === b.riskGrade;
}

/**
 * Decides the next report of a claim.
 *
 * @param figures the latest figures (from the loan-status feed and the scoring core)
 * @param c the case on chain; thresholds of zero mean "not cached yet": `terms` are used
 * @param terms the claim's clause terms from the registry
 * @param last the figures of the last report applied, if any
 * @param chainTime the block time the report is expected to apply at (the latest block's timestamp): the
 *   notice periods (warning → demand, demand → arbitration) are measured on chain
 */
export function planReport(
  figures: ReportFigures,
  c: CaseView,
  terms: ClauseThresholds,
  last: ReportFigures | undefined,
  chainTime: number,
): ReportPlan | NoPlan {
  if (c.state === S.closed) return { skip: "closed" };
  if (figures.asOf <= c.lastAsOf) return { skip: "not-newer" };
  const t = c.warnDays === 0 ? terms : c;
  const transitions: CaseStateName[] = [];
  let notice: NoticeType | null = null;
  let waiting = false;
  let s: number = c.state;
  const go = (to: number) => {
    s = to;
    transitions.push(CASE_STATES[to]);
  };
  if (s === S.inArbitration || s === S.ruled) {
    if (s === S.ruled && figures.outstanding === 0n) go(S.closed);
  } else if (figures.outstanding === 0n) {
    go(S.closed);
  } else if (figures.daysPastDue === 0) {
    if (s !== S.performing && s !== S.restructured) go(S.performing);
  } else {
    if (s === S.performing || s === S.restructured) go(S.overdue);
    if (s === S.overdue && figures.daysPastDue >= t.warnDays) {
      notice = "warning";
      go(S.warned);
    } else if (s === S.warned && figures.daysPastDue >= t.demandDays) {
      // The demand waits noticeDays of block time from the warning, whatever the days past due say.
      if (chainTime >= noticeDueAt(c, t.noticeDays)) {
        notice = "demand";
        go(S.demanded);
      } else {
        waiting = true;
      }
    } else if (
      s === S.demanded
      && figures.daysPastDue >= t.arbitrationDays
      && figures.collateralValue * 10_000n < BigInt(t.coverageBps) * figures.outstanding
      && c.lastNoticeAt !== 0
    ) {
      // An unfunded arbitration fee defers it on chain (ArbitrationDeferred): the plan cannot know.
      if (chainTime >= noticeDueAt(c, t.noticeDays)) go(S.inArbitration);
      else waiting = true;
    }
  }
  if (transitions.length === 0 && last !== undefined && sameFigures(figures, last)) {
    return { skip: waiting ? "notice-period-running" : "unchanged" };
  }
  return { figures, notice, transitions };
}
