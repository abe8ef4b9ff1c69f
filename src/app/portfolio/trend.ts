import { parseDay, formatDay } from "../../core/dates.js";
import type { CaseStateName } from "../../core/oracle-plan.js";
import type { ChainIndex, TimelineItem } from "../../store/repos/chain-index.js";
import type { SublevelOf } from "../../store/db.js";
import type { Snapshot } from "../../store/repos/portfolio.js";
import { emptyAggregate, stateCounts, type Aggregate } from "./aggregate.js";
import { dayOfUnix, type ModelView } from "./model.js";
import type { PortfolioRow } from "./rows.js";

/**
 * The dashboard's daily trend: snapshots per scope in LevelDB (`portfolio-snapshots`), written whenever
 * the summary is read (the day's live figures), and for each earlier day an oracle report was applied on
 * chain, reconstructed from the chain index's timelines of the claims in the scope now (source
 * "reports"), so oracle cycles leave a trend even on days nobody opened the dashboard.
 */

const TREND_DAYS = 365;

export interface TrendDeps {
  index: ChainIndex;
  snapshots: SublevelOf<Snapshot>;
  clock: { now(): number };
}

function snapshotOf(day: string, source: Snapshot["source"], a: Aggregate, withRecovery: boolean, writtenAt: string): Snapshot {
  return {
    day, source, count: a.count, outstanding: a.outstanding.toString(), expectedRecovery: withRecovery ? a.expectedRecovery.toString() : null,
    classCount: [...a.classCount], classOutstanding: a.classOutstanding.map(String), stateCount: stateCounts(a), writtenAt,
  };
}

const same = (a: Snapshot | undefined, b: Snapshot) =>
  !!a && a.source === b.source && a.count === b.count && a.outstanding === b.outstanding && a.expectedRecovery === b.expectedRecovery
  && JSON.stringify([a.classCount, a.classOutstanding, a.stateCount]) === JSON.stringify([b.classCount, b.classOutstanding, b.stateCount]);

/** The figures of `rows` as their timelines stood at block `cut`. */
function asOfBlock(rows: PortfolioRow[], timelines: Map<string, TimelineItem[]>, cut: number): Aggregate {
  const a = emptyAggregate();
  for (const r of rows) {
    if (r.registeredBlock > cut) continue;
    const items = timelines.get(r.claimId) ?? [];
    let cls = 0;
    let outstanding = BigInt(r.record.outstanding);
    let state: CaseStateName = "performing";
    for (const it of items) {
      if (it.blockNumber > cut) break;
      if (it.type === "report") {
        cls = it.details.classification;
        outstanding = BigInt(it.details.outstanding);
      } else if (it.type === "state-changed") state = it.details.to;
    }
    a.count++;
    a.outstanding += outstanding;
    a.classCount[cls]!++;
    a.classOutstanding[cls]! += outstanding;
    const s = a.states.get(state) ?? { count: 0, outstanding: 0n };
    a.states.set(state, { count: s.count + 1, outstanding: s.outstanding + outstanding });
  }
  return a;
}

export function createTrend(deps: TrendDeps) {
  const { index, snapshots, clock } = deps;
  /** Per scope: the report days it was filled for, and its snapshots as last read (this process alone writes them). */
  const filled = new Map<string, string>();
  const cache = new Map<string, { today: string; list: Snapshot[] }>();
  const isoNow = () => new Date(clock.now()).toISOString();

  async function put(scopeKey: string, s: Snapshot): Promise<void> {
    await snapshots.put(`${scopeKey}!${s.day}`, s);
    cache.delete(scopeKey);
  }

  /**
   * Writes today's live snapshot of the scope (when it changed), fills the report days that have none,
   * and returns the scope's trend, oldest first.
   */
  return async function trend(view: ModelView, scopeKey: string, live: Aggregate, scoped: () => PortfolioRow[]): Promise<Snapshot[]> {
    const today = view.today;
    const key = (day: string) => `${scopeKey}!${day}`;
    const now = snapshotOf(today, "live", live, true, isoNow());
    const known = cache.get(scopeKey);
    const stored = known?.today === today ? known.list.at(-1) : await snapshots.get(key(today));
    if (!same(stored?.day === today ? stored : undefined, now)) await put(scopeKey, now);

    const marker = `${view.reportDaysVersion}:${today}`;
    if (filled.get(scopeKey) !== marker) {
      const days = [...view.reportDays.entries()].filter(([d]) => d < today).sort((x, y) => (x[0] < y[0] ? -1 : 1));
      const missing: Array<[string, number]> = [];
      let cut = -1;
      for (const [day, last] of days) {
        cut = Math.max(cut, last); // reports of earlier days are in by then too
        if (!(await snapshots.get(key(day)))) missing.push([day, cut]);
      }
      if (missing.length > 0) {
        const rows = scoped();
        const { timelines } = await index.timelines(rows.map((r) => r.claimId));
        for (const [day, at] of missing) await put(scopeKey, snapshotOf(day, "reports", asOfBlock(rows, timelines, at), false, isoNow()));
      }
      filled.set(scopeKey, marker);
    }
    const hit = cache.get(scopeKey);
    if (hit && hit.today === today) return hit.list;
    const since = formatDay(parseDay(today, "today") - TREND_DAYS);
    const list: Snapshot[] = [];
    for await (const s of snapshots.values({ gte: key(since), lte: key(today) })) list.push(s);
    cache.set(scopeKey, { today, list });
    return list;
  };
}

export { dayOfUnix };
