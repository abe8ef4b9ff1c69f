import type { IndexCommit, IndexListener } from "../../chain/indexer.js";
import type { CaseRow, ChainIndex, ClaimRow } from "../../store/repos/chain-index.js";
import type { ClaimRecord } from "../../store/repos/claims.js";
import type { SublevelOf } from "../../store/db.js";
import type { ListScope } from "../access.js";
import type { ModelView } from "./model-view.js";
import { UnavailableError } from "../../core/errors.js";
import { Cube, HeldCells, filteredAggregate, scopeAggregate } from "./aggregate.js";
import { assessRows, loadBook, type Assess } from "./model-load.js";
import { byContractNo, byPriority, inScope, isOpen, slicer, sortInSlices } from "./order.js";
import { SortedBlocks } from "./sorted-blocks.js";
import { baseRow, factsOf, setCase, setClaim, type PortfolioRow } from "./rows.js";

/**
 * The console's read model: every claim this node has a record of, joined with the chain index's facts
 * and assessed by the scoring core, kept in memory — with its aggregates per scope and per region × product
 * × class × state ({@link Cube}), and the rows sorted by contract number and (the open ones) by priority —
 * so a dashboard, list or queue load makes no JSON-RPC call and no scan or sort of the book.
 *
 * **Fed by the indexer, in order.** It listens to the indexer's commits (src/chain/indexer.ts): each
 * carries the claim and case rows it wrote and the cursor it reached. A read first applies what arrived
 * (re-assessing only the claims that changed, with the other claims of their corporate debtors, which
 * the core's contagion rule reads together) and answers with the block it then reflects, `asOfBlock`:
 * the model equals the index at that block. A reorg rollback, a dropped index or a start-up makes it
 * load the book again at one snapshot (model-load.ts: streamed); commits it already holds are skipped by cursor.
 *
 * **Sized for a million claims.** Assessments run in a worker thread (assess-worker.ts), slice by slice;
 * loading, placing and sorting yield to the event loop every few thousand rows, so other requests
 * (/healthz, a claim read, an import) are served meanwhile; console reads wait for the model to be whole.
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
  clock: { now(): number };
  log: { warn(message: string): void };
  /** Runs the scoring core (a worker thread in the API). */
  assess: Assess;
}

export type { ModelView } from "./model-view.js";

interface Pending {
  cursor: { number: number; timestamp: number };
  claims: ReadonlyArray<[string, ClaimRow | null]>;
  cases: ReadonlyArray<[string, CaseRow | null]>;
  reports: Array<{ asOf: number; blockNumber: number }>;
}

export function dayOfUnix(unix: number): string {
  return new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

export function createPortfolioModel(deps: ModelDeps) {
  const { index, records, clock, log, assess } = deps;
  let rows = new Map<string, PortfolioRow>();
  let cube = new Cube();
  let held = new HeldCells();
  let byDebtor = new Map<string, Set<PortfolioRow>>();
  let contractOrder = SortedBlocks.empty<PortfolioRow>();
  let priorityOrder = SortedBlocks.empty<PortfolioRow>();
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
  /** While the book is (re)loaded: what a read that cannot wait is told. */
  let loading: { step: "reading" | "assessing" | "ordering"; claims: number } | null = null;

  const nowUnix = () => Math.max(Math.floor(clock.now() / 1000), blockTime);
  // Today as of now: worked out again when the second changes (every read asks whether the day turned).
  let dayAt = -1;
  let dayNowIs = "";
  const dayNow = () => {
    const unix = nowUnix();
    if (unix !== dayAt) {
      dayAt = unix;
      dayNowIs = dayOfUnix(unix);
    }
    return dayNowIs;
  };
  const warn = (claimId: string, message: string) => log.warn(`portfolio: the scoring core refused claim ${claimId}: ${message}`);

  function place(r: PortfolioRow, sign: 1 | -1): void {
    placeInto(cube, held, byDebtor, r, sign);
  }

  function placeInto(cube: Cube, held: HeldCells, byDebtor: Map<string, Set<PortfolioRow>>, r: PortfolioRow, sign: 1 | -1): void {
    cube.add(r, sign);
    held.add(r, sign);
    if (r.corporateDebtor === null) return;
    let s = byDebtor.get(r.corporateDebtor);
    if (sign > 0) {
      if (!s) byDebtor.set(r.corporateDebtor, (s = new Set()));
      s.add(r);
    } else if (s) {
      s.delete(r);
      if (s.size === 0) byDebtor.delete(r.corporateDebtor);
    }
  }

  function addReportDay(asOf: number, blockNumber: number): void {
    const d = dayOfUnix(asOf);
    if ((reportDays.get(d) ?? -1) < blockNumber) {
      reportDays.set(d, blockNumber);
      reportDaysVersion++;
    }
  }

  /** Places every row again (after a load or a new day): aggregates and both orders built afresh, in slices. */
  async function rebuild(all: PortfolioRow[]): Promise<void> {
    const s = slicer();
    // Built aside (its groups moved in place: nothing else holds them yet), then swapped in.
    const fresh = new Cube(true);
    const freshHeld = new HeldCells();
    const debtors = new Map<string, Set<PortfolioRow>>();
    for (let i = 0; i < all.length; i++) {
      placeInto(fresh, freshHeld, debtors, all[i]!, 1);
      if (s.due()) await s.next();
    }
    fresh.seal();
    cube = fresh;
    held = freshHeld;
    byDebtor = debtors;
    contractOrder = SortedBlocks.of(await sortInSlices(all, byContractNo));
    const open: PortfolioRow[] = [];
    for (let i = 0; i < all.length; i++) {
      if (isOpen(all[i]!)) open.push(all[i]!);
      if (s.due()) await s.next();
    }
    priorityOrder = SortedBlocks.of(await sortInSlices(open, byPriority));
  }

  /** Loads the whole model from the index's tables and the records at one snapshot. */
  async function reload(): Promise<void> {
    needsReload = false;
    let loaded: Awaited<ReturnType<typeof loadBook>>;
    loading = { step: "reading", claims: 0 };
    try {
      loaded = await loadBook(index, records, (n) => (loading = { step: "reading", claims: n }));
      block = loaded.asOfBlock;
      blockTime = loaded.cursor?.timestamp ?? 0;
      today = dayNow();
      loading = { step: "assessing", claims: loaded.rows.length };
      await assessRows(loaded.rows, today, assess, warn);
      loading = { step: "ordering", claims: loaded.rows.length };
      const s = slicer();
      const byId = new Map<string, PortfolioRow>();
      for (let i = 0; i < loaded.rows.length; i++) {
        byId.set(loaded.rows[i]!.claimId, loaded.rows[i]!);
        if (s.due()) await s.next();
      }
      rows = byId;
      await rebuild(loaded.rows);
      reportDays = new Map();
      // A report per claim or more (400,000 in bench:scale's book): their days in slices too.
      for (let i = 0; i < loaded.reports.length; i++) {
        addReportDay(loaded.reports[i]!.asOf, loaded.reports[i]!.blockNumber);
        if (s.due()) await s.next();
      }
    } catch (e) {
      needsReload = true;
      throw e;
    } finally {
      loading = null;
    }
    reportDaysVersion++;
    // Commits the snapshot already holds are skipped (a reset since then cleared the queue).
    queue = queue.filter((p) => block === null || p.cursor.number > block);
  }

  /** Applies the commits that arrived, re-assessing the claims they changed (or all, on a new day); false when no row changed. */
  async function apply(batch: Pending[]): Promise<boolean> {
    const claimRows = new Map<string, ClaimRow | null>();
    const caseRows = new Map<string, CaseRow | null>();
    for (const p of batch) {
      for (const [id, claim] of p.claims) claimRows.set(id, claim);
      for (const [id, c] of p.cases) caseRows.set(id, c);
      for (const r of p.reports) addReportDay(r.asOf, r.blockNumber);
      block = p.cursor.number;
      blockTime = p.cursor.timestamp;
    }
    const day = dayNow();
    const newDay = day !== today;
    today = day;
    // Claims new to the model: their records, in one read.
    const fresh = [...claimRows].filter(([id, claim]) => claim !== null && !rows.has(id)).map(([id]) => id);
    const recs = await records.getMany(fresh);
    // By id: an import's commits queued behind a read carry tens of thousands of new claims (indexOf per claim was quadratic).
    const recordOf = new Map(fresh.map((id, i) => [id, recs[i]]));
    const gone = new Set<PortfolioRow>();
    const added: PortfolioRow[] = [];
    const touched = new Set<PortfolioRow>();
    for (const [id, claim] of claimRows) {
      const old = rows.get(id);
      if (claim === null) {
        if (old) gone.add(old);
        continue;
      }
      if (old) {
        touched.add(old);
        continue;
      }
      const record = recordOf.get(id);
      if (!record) continue; // a claim this node has no record of
      const r = baseRow(claim, caseRows.get(id) ?? null, factsOf(record));
      added.push(r);
      touched.add(r);
    }
    for (const id of caseRows.keys()) {
      const r = rows.get(id);
      if (r) touched.add(r);
    }
    if (newDay) {
      // Every row again, with the changes of these commits.
      for (const r of touched) if (rows.has(r.claimId)) update1(r, claimRows.get(r.claimId), caseRows.get(r.claimId));
      for (const r of gone) rows.delete(r.claimId);
      for (const r of added) rows.set(r.claimId, r);
      const all = [...rows.values()];
      await assessRows(all, today, assess, warn);
      await rebuild(all);
      return true;
    }
    // The changed rows and, for a corporate debtor, its other rows: out of the aggregates and the queue order,
    // assessed again, back in.
    const todo = new Set<PortfolioRow>();
    for (const r of touched) {
      todo.add(r);
      for (const other of r.corporateDebtor !== null ? byDebtor.get(r.corporateDebtor) ?? [] : []) todo.add(other);
    }
    for (const r of gone) todo.delete(r);
    const out = new Set<PortfolioRow>(gone);
    for (const r of [...todo, ...gone]) {
      if (!rows.has(r.claimId)) continue;
      place(r, -1);
      out.add(r);
    }
    // Their places in both orders, found while their keys are still those the orders were sorted by.
    const contractGone = contractOrder.positionsOf(gone, byContractNo, (r) => rows.has(r.claimId));
    const queued = new Map<PortfolioRow, { at: number; priority: bigint; outstanding: bigint }>();
    for (const r of out) {
      const at = priorityOrder.positionOf(r, byPriority, (x) => rows.has(x.claimId) && isOpen(x));
      if (at >= 0) queued.set(r, { at, priority: r.priority, outstanding: r.outstanding });
    }
    for (const r of gone) rows.delete(r.claimId);
    for (const r of todo) if (rows.has(r.claimId)) update1(r, claimRows.get(r.claimId), caseRows.get(r.claimId));
    await assessRows([...todo], today, assess, warn);
    for (const r of added) rows.set(r.claimId, r);
    for (const r of todo) place(r, 1);
    // Only rows whose place in the queue changed move (most of a corporate debtor's other rows keep theirs).
    const stays = (r: PortfolioRow) => {
      const q = queued.get(r);
      return q !== undefined && !gone.has(r) && isOpen(r) && r.priority === q.priority && r.outstanding === q.outstanding;
    };
    const leaving: number[] = [];
    for (const [r, q] of queued) if (!stays(r)) leaving.push(q.at);
    const entering = [...todo].filter((r) => isOpen(r) && !stays(r));
    contractOrder = contractOrder.replace(contractGone, added, byContractNo);
    priorityOrder = priorityOrder.replace(leaving.sort((p, q) => p - q), entering, byPriority);
    return todo.size > 0 || gone.size > 0 || batch.some((p) => p.reports.length > 0);
  }

  /** Takes a commit's claim and case rows into an existing row. */
  function update1(r: PortfolioRow, claim: ClaimRow | null | undefined, c: CaseRow | null | undefined): void {
    if (claim) setClaim(r, claim);
    if (c !== undefined) setCase(r, c);
  }

  async function drain(): Promise<void> {
    for (;;) {
      let changed = true;
      if (needsReload) {
        await reload();
      } else if (queue.length > 0 || dayNow() !== today) {
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

  function scopeRows(scope: ListScope): PortfolioRow[] {
    if (scope.kind === "all") return [...rows.values()];
    if (scope.kind === "none") return [];
    const keep = inScope(scope);
    return contractOrder.filter(keep);
  }

  const view: ModelView = {
    get asOfBlock() { return block; },
    get now() { return nowUnix(); },
    get today() { return today; },
    get version() { return version; },
    get rows() { return rows; },
    get byContract() { return contractOrder; },
    get byPriority() { return priorityOrder; },
    get reportDays() { return reportDays; },
    get reportDaysVersion() { return reportDaysVersion; },
    scopeRows,
    heldRows: (holder, f, keep) => held.rows(holder, f, keep),
    aggregate: (scope) => scopeAggregate(cube, scope, () => [...rows.values()]),
    filtered: (scope, f, holder, match) => filteredAggregate(cube, scope, f, holder, match, () => scopeRows(scope)),
    cached<T>(key: string): T | undefined {
      return memos.get(key) as T | undefined;
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
    if (!running && !needsReload && queue.length === 0 && dayNow() === today) return Promise.resolve(view);
    running ??= drain().finally(() => {
      running = null;
    });
    // Once the drain ends, the model holds at least every commit that had arrived when this read asked.
    return running.then(() => view);
  }

  /**
   * {@link sync} for a read: while the whole book is being (re)loaded — at start, after a reorg — a read
   * waits at most `waitMs`, then is answered 503 saying how far the load got (a million claims take minutes).
   */
  async function read(waitMs = LOAD_WAIT_MS): Promise<ModelView> {
    if (!needsReload && !loading) return sync();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        const l = loading;
        fail(new UnavailableError(
          `the console is loading the book (${l ? `${l.step}: ${l.claims.toLocaleString("en-US")} claims` : "starting"}); try again in a moment / 控制台正在加载资产数据，请稍后重试`,
          { loading: l },
        ));
      }, waitMs);
    });
    try {
      return await Promise.race([sync(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The row of a claim in the model as it stands (no sync): what limitation.ts reads of it. */
  const row = (claimId: string): PortfolioRow | undefined => rows.get(claimId);

  return { listener, sync, read, row };
}

/** How long a read waits for a (re)load of the whole book before it is answered 503. */
export const LOAD_WAIT_MS = 10_000;

export type PortfolioModel = ReturnType<typeof createPortfolioModel>;
