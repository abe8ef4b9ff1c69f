import { parseDay, formatDay } from "../../core/dates.js";
import type { CaseStateName } from "../../core/oracle-plan.js";
import type { ChainIndex, TimelineItem } from "../../store/repos/chain-index.js";
import type { SublevelOf } from "../../store/db.js";
import type { Snapshot } from "../../store/repos/portfolio.js";
import { emptyAggregate, stateCounts, type Aggregate } from "./aggregate.js";
import { dayOfUnix, type ModelView } from "./model.js";
import { slicer } from "./order.js";
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

/** Adds one claim, as its timeline `items` (oldest first) stood at block `cut`, to `a`. */
function addAsOf(a: Aggregate, r: PortfolioRow, items: readonly TimelineItem[], cut: number): void {
  if (r.registeredBlock > cut) return;
  let cls = 0;
  let outstanding = r.registeredOutstanding;
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

/** Scopes up to this many claims are rebuilt while the summary waits; larger ones in the background. */
const WAITED_ROWS = 20_000;

/** The figures of `rows` at each of `cuts`, from their timelines read one claim at a time (a small scope). */
async function figuresOfFew(index: ChainIndex, rows: PortfolioRow[], cuts: number[]): Promise<Aggregate[]> {
  const { timelines } = await index.timelines(rows.map((r) => r.claimId));
  return cuts.map((cut) => {
    const a = emptyAggregate();
    for (const r of rows) addAsOf(a, r, timelines.get(r.claimId) ?? [], cut);
    return a;
  });
}

/** The same for a large scope: one pass over the whole timeline table (claims in key order), yielding as it goes. */
async function figuresOfMany(index: ChainIndex, rows: PortfolioRow[], cuts: number[]): Promise<Aggregate[]> {
  const out = cuts.map(() => emptyAggregate());
  const scope = new Map<string, PortfolioRow>();
  const s = slicer();
  for (let i = 0; i < rows.length; i++) {
    scope.set(rows[i]!.claimId, rows[i]!);
    if (s.due()) await s.next();
  }
  const seen = new Set<string>();
  let current: string | null = null;
  let items: TimelineItem[] = [];
  const flush = () => {
    const r = current === null ? undefined : scope.get(current);
    if (r) {
      seen.add(r.claimId);
      cuts.forEach((cut, k) => addAsOf(out[k]!, r, items, cut));
    }
    items = [];
  };
  for await (const [key, item] of index.tables.timeline.iterator()) {
    const id = key.slice(0, key.indexOf("!"));
    if (id !== current) {
      flush();
      current = id;
      if (s.due()) await s.next();
    }
    items.push(item);
  }
  flush();
  for (const r of rows) {
    if (!seen.has(r.claimId)) cuts.forEach((cut, k) => addAsOf(out[k]!, r, [], cut));
    if (s.due()) await s.next();
  }
  return out;
}

export function createTrend(deps: TrendDeps) {
  const { index, snapshots, clock } = deps;
  /** Per scope: the report days it was filled for, and its snapshots as last read (this process alone writes them). */
  const filled = new Map<string, string>();
  const filling = new Set<string>();
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
      if (missing.length > 0 && !filling.has(scopeKey)) {
        const rows = scoped();
        const fill = async () => {
          const cuts = missing.map(([, at]) => at);
          const figures = rows.length <= WAITED_ROWS ? await figuresOfFew(index, rows, cuts) : await figuresOfMany(index, rows, cuts);
          for (let k = 0; k < missing.length; k++) await put(scopeKey, snapshotOf(missing[k]![0], "reports", figures[k]!, false, isoNow()));
          filled.set(scopeKey, marker);
        };
        if (rows.length <= WAITED_ROWS) await fill();
        else {
          // A large book's history is rebuilt in the background: this answer shows the days kept so far.
          filling.add(scopeKey);
          void fill().catch(() => undefined).finally(() => filling.delete(scopeKey));
        }
      } else if (missing.length === 0) filled.set(scopeKey, marker);
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
