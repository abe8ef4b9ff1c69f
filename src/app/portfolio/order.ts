import type { ListScope } from "../access.js";
import type { PortfolioRow } from "./rows.js";

/**
 * Orders and scopes over the console model's rows. The model keeps its rows sorted twice — by contract
 * number (the claims list) and, the open ones, by priority (the work queue) — in blocks (sorted-blocks.ts)
 * and moves only the rows a commit changed, so a page is a walk from where it starts, not a sort of the book.
 */

export type Cmp<T> = (a: T, b: T) => number;

/** Lets the event loop run (other requests) between slices of long work. */
export const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/** Wall time one slice of long work may hold the event loop. */
export const SLICE_MS = 8;

/**
 * Slices of long work measured in time, not rows: on a busy machine (two cores shared with the chain node
 * and the oracle) a fixed count of rows takes many times longer. Call `due()` per row (it reads the clock
 * every 64 calls); when it says so, `await next()` lets other requests run and starts a new slice.
 */
export function slicer(budgetMs = SLICE_MS) {
  let start = performance.now();
  let n = 0;
  return {
    due(): boolean {
      if ((++n & 63) !== 0) return false;
      return performance.now() - start >= budgetMs;
    },
    /** `due()` for steps of many rows each: reads the clock every call. */
    dueNow(): boolean {
      return performance.now() - start >= budgetMs;
    },
    async next(): Promise<void> {
      await yieldNow();
      start = performance.now();
    },
  };
}

export const byContractNo: Cmp<PortfolioRow> = (a, b) =>
  a.contractNo < b.contractNo ? -1 : a.contractNo > b.contractNo ? 1 : a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0;

/** The work queue's order: the core's priority, then outstanding (both descending), then claim id. */
export const byPriority: Cmp<PortfolioRow> = (a, b) =>
  b.priority > a.priority ? 1 : b.priority < a.priority ? -1 : b.outstanding > a.outstanding ? 1 : b.outstanding < a.outstanding ? -1 : a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0;

/** Whether a claim is in the work queue: not closed, and not a current performing (or restructured) loan. */
export const isOpen = (r: PortfolioRow) =>
  r.state !== "closed" && !(r.daysPastDue === 0 && r.classification === 0 && (r.state === "performing" || r.state === "restructured"));

/** A scope as a predicate on rows (src/app/access.ts listScope). */
export function inScope(scope: ListScope): (r: PortfolioRow) => boolean {
  switch (scope.kind) {
    case "all":
      return () => true;
    case "holder": {
      const a = scope.address;
      return (r) => r.holderKey === a;
    }
    case "bank": {
      const a = scope.address;
      return (r) => r.holderKey === a || r.originatorKey === a;
    }
    case "court":
      return (r) => r.disputeId !== null;
    default:
      return () => false;
  }
}

/** The first index of sorted `a` (from index `from` on) whose element is not below `x`. */
export function lowerBound<T, K>(a: readonly T[], x: K, cmp: (e: T, x: K) => number, from = 0): number {
  let lo = from;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(a[mid]!, x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows added by binary search while they are fewer than the order's length over this (else one merge pass). */
const FEW_PER = 32;

/**
 * A new array: `sorted` without the elements at `positions` (ascending), with
 * `added` (any order, sorted by their current keys) merged in. A commit changes a few rows of a million (an
 * import's commits that queued up while a read waited: thousands): their places are found by binary search
 * and the rest is copied in blocks — no comparison per row of the book; a merge pass only when the added rows
 * are more than a 32nd of the order.
 */
export function replaceSorted<T>(sorted: readonly T[], positions: readonly number[], added: readonly T[], cmp: Cmp<T>): T[] {
  let base: T[];
  if (positions.length === 0) base = sorted as T[];
  else {
    base = new Array<T>(sorted.length - positions.length);
    let k = 0;
    let from = 0;
    for (const p of positions) {
      for (let i = from; i < p; i++) base[k++] = sorted[i]!;
      from = p + 1;
    }
    for (let i = from; i < sorted.length; i++) base[k++] = sorted[i]!;
  }
  if (added.length === 0) return base;
  const add = [...added].sort(cmp);
  const out = new Array<T>(base.length + add.length);
  let i = 0;
  let k = 0;
  if (add.length * FEW_PER <= base.length) {
    for (const x of add) {
      const at = lowerBound(base, x, cmp, i);
      while (i < at) out[k++] = base[i++]!;
      out[k++] = x;
    }
  } else {
    let j = 0;
    while (i < base.length && j < add.length) out[k++] = cmp(base[i]!, add[j]!) <= 0 ? base[i++]! : add[j++]!;
    while (j < add.length) out[k++] = add[j++]!;
  }
  while (i < base.length) out[k++] = base[i++]!;
  return out;
}

/** Sorts `a` (a copy) in slices (runs of `run` sorted, then merged), letting the event loop run between them: a million rows without a long pause. */
export async function sortInSlices<T>(a: readonly T[], cmp: Cmp<T>, run = 2_048): Promise<T[]> {
  const s = slicer();
  let runs: T[][] = [];
  for (let i = 0; i < a.length; i += run) {
    runs.push(a.slice(i, i + run).sort(cmp));
    if (s.dueNow()) await s.next();
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      next.push(r + 1 < runs.length ? await mergeInSlices(runs[r]!, runs[r + 1]!, cmp, s) : runs[r]!);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

async function mergeInSlices<T>(x: T[], y: T[], cmp: Cmp<T>, s: ReturnType<typeof slicer>): Promise<T[]> {
  const out = new Array<T>(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (k < out.length) {
    out[k++] = j >= y.length || (i < x.length && cmp(x[i]!, y[j]!) <= 0) ? x[i++]! : y[j++]!;
    if (s.due()) await s.next();
  }
  return out;
}
