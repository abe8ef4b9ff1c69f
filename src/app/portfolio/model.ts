import type { IndexCommit, IndexListener } from "../../chain/indexer.js";
import type { CaseRow, ChainIndex, ClaimRow } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { SublevelOf } from "../../store/db.js";
import type { ListScope } from "../access.js";
import { addRow, aggregateOf, combine, emptyAggregate, type Aggregate } from "./aggregate.js";
import { buildRows, type PortfolioRow, type RowFacts } from "./rows.js";
import type { RecordRef } from "../../core/delivery.js";

/**
 * The console's read model: every claim this node has a record of, joined with the chain index's facts
 * and assessed by the scoring core, kept in memory with its aggregates per holder, originator and
 * retained claim — so a dashboard, list or queue load makes no JSON-RPC call and no scan of the book.
 *
 * **Fed by the indexer, in order.** It listens to the indexer's commits (src/chain/indexer.ts): each
 * carries the claim and case rows it wrote and the cursor it reached. A read first applies what arrived
 * (re-assessing only the claims that changed, with the other claims of their corporate debtors, which
 * the core's contagion rule reads together) and answers with the block it then reflects, `asOfBlock`:
 * the model equals the index at that block. A reorg rollback, a dropped index or a start-up makes it
 * load the tables again at one snapshot; commits it already holds by then are skipped by cursor.
 *
 * **The day.** Claims without a report count days past due since maturity, and the core values as of a
 * day, so when the day changes (UTC+8; the later of the clock and the last indexed block's time, as a dev
 * chain may run ahead) every row is assessed again, once.
 *
 * Claims on chain with no record here (registered through another node) are left out: their contract
 * number, product, region and debtor are not known to this node.
 */

export interface ModelDeps {
  index: ChainIndex;
  records: SublevelOf<ClaimRecord>;
  /** A claim's evidence records (hash-chain order), for its limitation period; none when not given. */
  evidence?: (claimId: string) => Promise<RecordRef[]>;
  clock: { now(): number };
  log: { warn(message: string): void };
}

/** What a read sees: one consistent state of the model. Capture what you need before awaiting anything. */
export interface ModelView {
  asOfBlock: number | null;
  /** Unix seconds: the later of the clock and the last indexed block's time. */
  now: number;
  /** YYYY-MM-DD (UTC+8) of `now`. */
  today: string;
  version: number;
  rows: ReadonlyMap<string, PortfolioRow>;
  /** The rows a list scope holds (src/app/access.ts listScope). */
  scopeRows(scope: ListScope): PortfolioRow[];
  /** The scope's kept aggregate (unfiltered). */
  aggregate(scope: ListScope): Aggregate;
  /** Days (UTC+8) with an applied report, and the last block of a report of that day. */
  reportDays: ReadonlyMap<string, number>;
  reportDaysVersion: number;
  /** `compute()` once per model version and key. */
  memo<T>(key: string, compute: () => T): T;
}

interface Pending {
  cursor: { number: number; timestamp: number };
  claims: ReadonlyArray<[string, ClaimRow | null]>;
  cases: ReadonlyArray<[string, CaseRow | null]>;
  reports: Array<{ asOf: number; blockNumber: number }>;
}

export function dayOfUnix(unix: number): string {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

const lower = (a: string) => a.toLowerCase();

export function createPortfolioModel(deps: ModelDeps) {
  const { index, records, clock, log } = deps;
  let facts = new Map<string, RowFacts>();
  let rows = new Map<string, PortfolioRow>();
  let aggs = new Map<string, Aggregate>();
  let byHolder = new Map<string, Set<string>>();
  let byOriginator = new Map<string, Set<string>>();
  let byDebtor = new Map<string, Set<string>>();
  let disputed = new Set<string>();
  let reportDays = new Map<string, number>();
  let reportDaysVersion = 0;
  let block: number | null = null;
  let blockTime = 0;
  let today = "";
  let version = 0;
  let memos = new Map<string, unknown>();
  let queue: Pending[] = [];
  let needsReload = true;
  let running: Promise<void> | null = null;

  const nowUnix = () => Math.max(Math.floor(clock.now() / 1000), blockTime);
  const warn = (claimId: string, message: string) => log.warn(`portfolio: the scoring core refused claim ${claimId}: ${message}`);

  function indexOf(m: Map<string, Set<string>>, key: string, id: string, sign: 1 | -1): void {
    let s = m.get(key);
    if (sign > 0) {
      if (!s) m.set(key, (s = new Set()));
      s.add(id);
    } else if (s) {
      s.delete(id);
      if (s.size === 0) m.delete(key);
    }
  }

  function place(r: PortfolioRow, sign: 1 | -1): void {
    const holder = lower(r.holder);
    const originator = lower(r.originator);
    const keys = ["all", `holder!${holder}`, `originator!${originator}`];
    if (holder === originator) keys.push(`retained!${holder}`);
    for (const k of keys) {
      let a = aggs.get(k);
      if (!a) aggs.set(k, (a = emptyAggregate()));
      addRow(a, r, sign);
      if (a.count === 0) aggs.delete(k);
    }
    indexOf(byHolder, holder, r.claimId, sign);
    indexOf(byOriginator, originator, r.claimId, sign);
    if (r.corporateDebtor !== null) indexOf(byDebtor, r.corporateDebtor, r.claimId, sign);
    if (r.disputeId !== null) {
      if (sign > 0) disputed.add(r.claimId);
      else disputed.delete(r.claimId);
    }
  }

  function setRows(next: PortfolioRow[]): void {
    for (const r of next) {
      const old = rows.get(r.claimId);
      if (old) place(old, -1);
      rows.set(r.claimId, r);
      place(r, 1);
    }
  }

  function addReportDay(asOf: number, blockNumber: number): void {
    const d = dayOfUnix(asOf);
    if ((reportDays.get(d) ?? -1) < blockNumber) {
      reportDays.set(d, blockNumber);
      reportDaysVersion++;
    }
  }

  /** Loads the whole model from the index's tables at one snapshot and the store's records. */
  /**
   * Each claim's evidence, read again whenever its row is assessed (a chain event of the claim, a new day): a
   * delivery proof recorded today shows in the periods with the claim's next event, or the next day.
   */
  async function loadEvidence(todo: Iterable<RowFacts>): Promise<void> {
    if (!deps.evidence) return;
    for (const f of todo) f.evidence = await deps.evidence(f.claim.claimId);
  }

  async function reload(): Promise<void> {
    needsReload = false;
    let all: Awaited<ReturnType<ChainIndex["loadAll"]>>;
    try {
      all = await index.loadAll();
    } catch (e) {
      needsReload = true;
      throw e;
    }
    const recs = new Map<string, ClaimRecord>();
    for await (const r of records.values()) recs.set(r.claimId, r);
    facts = new Map();
    for (const { claim, case: c } of all.claims) {
      const record = recs.get(claim.claimId);
      if (record) facts.set(claim.claimId, { claim, case: c, record });
    }
    await loadEvidence(facts.values());
    block = all.asOfBlock;
    blockTime = all.cursor?.timestamp ?? 0;
    today = dayOfUnix(nowUnix());
    rows = new Map();
    aggs = new Map();
    byHolder = new Map();
    byOriginator = new Map();
    byDebtor = new Map();
    disputed = new Set();
    setRows(buildRows([...facts.values()], today, warn));
    reportDays = new Map();
    for (const r of all.reports) addReportDay(r.asOf, r.blockNumber);
    reportDaysVersion++;
    // Commits the snapshot already holds are skipped (a reset since then cleared the queue).
    queue = queue.filter((p) => block === null || p.cursor.number > block);
  }

  /** Claims whose evidence changed since the last drain (touch): assessed again with their evidence. */
  let touched = new Set<string>();

  /** Applies the commits that arrived, re-assessing the claims they changed (or all, on a new day); false when no row changed. */
  async function apply(batch: Pending[]): Promise<boolean> {
    const changed = new Set<string>(touched);
    touched = new Set();
    const fresh = new Map<string, { claim: ClaimRow; case: CaseRow | null }>();
    for (const p of batch) {
      for (const [id, claim] of p.claims) {
        if (claim === null) {
          const old = rows.get(id);
          if (old) place(old, -1);
          rows.delete(id);
          facts.delete(id);
          fresh.delete(id);
          continue;
        }
        const f = facts.get(id);
        if (f) f.claim = claim;
        else fresh.set(id, { claim, case: fresh.get(id)?.case ?? null });
        changed.add(id);
      }
      for (const [id, c] of p.cases) {
        const f = facts.get(id) ?? fresh.get(id);
        if (!f) continue; // a claim this node has no record of
        f.case = c;
        changed.add(id);
      }
      for (const r of p.reports) addReportDay(r.asOf, r.blockNumber);
      block = p.cursor.number;
      blockTime = p.cursor.timestamp;
    }
    for (const [id, f] of fresh) {
      const record = await records.get(id);
      if (record) facts.set(id, { ...f, record });
    }
    const day = dayOfUnix(nowUnix());
    let todo: RowFacts[];
    if (day !== today) {
      today = day;
      todo = [...facts.values()];
    } else {
      const ids = new Set<string>();
      for (const id of changed) {
        const f = facts.get(id);
        if (!f) continue;
        ids.add(id);
        // The core reads a corporate debtor's claims together (contagion): assess the group again.
        const debtor = f.record.debtor.type === "retail" ? null : f.record.debtor.debtorId;
        for (const other of debtor !== null ? byDebtor.get(debtor) ?? [] : []) ids.add(other);
      }
      todo = [...ids].map((id) => facts.get(id)!).filter(Boolean);
    }
    await loadEvidence(todo);
    setRows(buildRows(todo, today, warn));
    return todo.length > 0 || batch.some((p) => p.reports.length > 0);
  }

  async function drain(): Promise<void> {
    for (;;) {
      let changed = true;
      if (needsReload) {
        await reload();
      } else if (queue.length > 0 || touched.size > 0 || dayOfUnix(nowUnix()) !== today) {
        const batch = queue;
        queue = [];
        changed = await apply(batch);
      } else {
        return;
      }
      if (changed) {
        version++;
        memos = new Map();
      }
    }
  }

  function scopeIds(scope: ListScope): Iterable<string> {
    switch (scope.kind) {
      case "all":
        return rows.keys();
      case "holder":
        return byHolder.get(scope.address) ?? [];
      case "bank":
        return new Set([...(byHolder.get(scope.address) ?? []), ...(byOriginator.get(scope.address) ?? [])]);
      case "court":
        return disputed;
      default:
        return [];
    }
  }

  const view: ModelView = {
    get asOfBlock() { return block; },
    get now() { return nowUnix(); },
    get today() { return today; },
    get version() { return version; },
    get rows() { return rows; },
    get reportDays() { return reportDays; },
    get reportDaysVersion() { return reportDaysVersion; },
    scopeRows(scope) {
      return [...scopeIds(scope)].map((id) => rows.get(id)!);
    },
    aggregate(scope) {
      switch (scope.kind) {
        case "all":
          return aggs.get("all") ?? emptyAggregate();
        case "holder":
          return aggs.get(`holder!${scope.address}`) ?? emptyAggregate();
        case "bank": {
          const held = combine(aggs.get(`holder!${scope.address}`) ?? emptyAggregate(), aggs.get(`originator!${scope.address}`), 1);
          return combine(held, aggs.get(`retained!${scope.address}`), -1);
        }
        case "court":
          return aggregateOf(view.scopeRows(scope));
        default:
          return emptyAggregate();
      }
    },
    memo<T>(key: string, compute: () => T): T {
      if (memos.has(key)) return memos.get(key) as T;
      const v = compute();
      memos.set(key, v);
      return v;
    },
  };

  const listener: IndexListener = {
    committed(c: IndexCommit) {
      const reports: Pending["reports"] = [];
      for (const [, item] of c.rows("timeline")) if (item?.type === "report") reports.push({ asOf: item.details.asOf, blockNumber: item.blockNumber });
      queue.push({ cursor: c.cursor, claims: c.rows("claims"), cases: c.rows("cases"), reports });
      // Applied soon after, so that reads rarely wait for it.
      setImmediate(() => void sync().catch((e: unknown) => log.warn(`portfolio: ${(e as Error).message}`)));
    },
    reset() {
      queue = [];
      needsReload = true;
    },
  };

  /** Brings the model up to what the indexer committed; resolves with the view to read. */
  function sync(): Promise<ModelView> {
    if (!running && !needsReload && queue.length === 0 && touched.size === 0 && dayOfUnix(nowUnix()) === today) return Promise.resolve(view);
    running ??= drain().finally(() => {
      running = null;
    });
    // Once the drain ends, the model holds at least every commit that had arrived when this read asked.
    return running.then(() => view);
  }

  /**
   * Marks claims whose evidence was recorded (src/app/evidence): the next read assesses them again, so a delivery
   * proof shows in their limitation period at once rather than with their next chain event.
   */
  function touch(claimIds: Iterable<string>): void {
    for (const id of claimIds) if (facts.has(id.toLowerCase())) touched.add(id.toLowerCase());
  }

  return { listener, sync, touch };
}

export type PortfolioModel = ReturnType<typeof createPortfolioModel>;
