import type { Party } from "../access.js";
import { byClass, byState, groupList, type Aggregate } from "./aggregate.js";
import type { PortfolioModel } from "./model.js";
import type { Limitations } from "./limitation.js";
import { inScope, isOpen, slicer } from "./order.js";
import { dayOf } from "../../core/dates.js";
import { cellFilter, matcher, noFilters, type PortfolioFilters } from "./rows.js";
import type { createTrend } from "./trend.js";
import { holderView, scopeOf, type Accounts } from "./views.js";

export interface SummaryDeps {
  model: PortfolioModel;
  limitations: Limitations;
  trend: ReturnType<typeof createTrend>;
  accounts: Accounts;
}

/**
 * GET /v1/portfolio: counts and outstanding by class, case state, region, product and holder, expected
 * recovery, and the daily trend — for the caller's scope (src/app/access.ts). Without filters it reads the
 * scope's kept aggregates (src/app/portfolio/model.ts): a few map reads whatever the book's size; with
 * filters it adds up the kept cells they match (region × product × class × state), and only a holder
 * filter inside a bank's scope adds up rows (memoized per model version).
 */

export function createSummary(deps: SummaryDeps) {
  const { model, trend, accounts } = deps;
  return async function summary(p: Party, filters: PortfolioFilters) {
    const match = matcher(filters);
    await deps.limitations.ready(); // the claims with evidence records, read once: before the model is read
    const view = await model.read();
    const scope = scopeOf(p);
    const asOfBlock = view.asOfBlock;
    const now = view.now;
    const unfiltered = view.memo(`aggregate|${scope.key}`, () => view.aggregate(scope));
    // Everything from the model is read before the first await (a later drain changes its aggregates in
    // place), once per model version, scope and filters.
    const chosen = noFilters(filters) ? unfiltered : view.memo(`filtered|${scope.key}|${JSON.stringify(filters)}`, () => view.filtered(scope, cellFilter(filters), filters.holder?.toLowerCase(), match));
    const figures = view.memo(`summary|${scope.key}|${JSON.stringify(filters)}`, () => figuresOf(chosen));
    // 诉讼时效 across the scope's open claims (./limitation.ts): ends within 90 days, or already time-barred. The
    // aggregates count every open claim by its period from the record alone; the claims with evidence records
    // (their periods read from the store) are corrected one by one — never a pass over the book.
    const today = dayOf(view.today);
    const limKey = () => `limitation|${scope.key}|${JSON.stringify(filters)}|${deps.limitations.version}`;
    let limitation = view.cached<{ expiring: number; expired: number }>(limKey());
    if (!limitation) {
      const version = view.version;
      const n = { expiring: chosen.expiring, expired: chosen.expired };
      // Read off the model with no await in between (a later drain changes rows in place): which count, as what.
      const inside = inScope(scope);
      const ids: string[] = [];
      for (const id of deps.limitations.withEvidence()) {
        const r = view.rows.get(id);
        if (r && inside(r) && isOpen(r) && match(r)) {
          ids.push(id);
          if (r.limitationStatus === 1) n.expiring--;
          else if (r.limitationStatus === 2) n.expired--;
        }
      }
      await deps.limitations.ensure(ids, today);
      const turn = slicer();
      for (let i = 0; i < ids.length; i++) {
        const st = deps.limitations.status(ids[i]!, today);
        if (st === "expiring") n.expiring++;
        else if (st === "expired") n.expired++;
        if (turn.due()) await turn.next();
      }
      // Kept only if the model did not move meanwhile (its memos are then another version's).
      limitation = view.version === version ? view.memo(limKey(), () => n) : n;
    }
    const body = {
      asOf: new Date(now * 1000).toISOString(),
      block: asOfBlock ?? 0,
      asOfBlock,
      scope: { kind: scope.kind, address: "address" in scope ? scope.address : null },
      filters,
      ...figures,
      limitation,
    };
    const days = await trend(view, scope.key, unfiltered, () => view.scopeRows(scope));
    return {
      ...body,
      trend: days.map((s) => ({
        day: s.day, source: s.source, count: s.count, outstanding: s.outstanding, expectedRecovery: s.expectedRecovery,
        classCount: s.classCount, classOutstanding: s.classOutstanding, stateCount: s.stateCount,
      })),
    };
  };

  function figuresOf(a: Aggregate) {
    return {
      count: a.count,
      outstanding: a.outstanding.toString(),
      expectedRecovery: a.expectedRecovery.toString(),
      recoveryBps: a.outstanding > 0n ? Number((a.expectedRecovery * 10_000n) / a.outstanding) : 0,
      collateralValue: a.collateralValue.toString(),
      byClass: byClass(a),
      byState: byState(a),
      byRegion: groupList(a.regions).map(({ key, ...g }) => ({ region: key, ...g })),
      byProduct: groupList(a.products).map(({ key, ...g }) => ({ product: key, ...g })),
      byHolder: groupList(a.holders).map(({ key, ...g }) => ({ ...holderView(accounts, key), ...g })),
    };
  }
}
