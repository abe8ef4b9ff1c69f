import type { ListScope } from "../access.js";
import type { PortfolioRow } from "./rows.js";

/**
 * Orders and scopes over the console model's rows. The model keeps its rows sorted twice — by contract
 * number (the claims list) and, the open ones, by priority (the work queue) — and moves only the rows a
 * commit changed, so a page is a walk from where it starts, not a sort of the book.
 */

export type Cmp<T> = (a: T, b: T) => number;

/** Lets the event loop run (other requests) between slices of long work. */
export const yieldNow = () => new Promise<void>((r) => setImmediate(r));

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

/** The first index of sorted `a` whose element is not below `x`. */
export function lowerBound<T, K>(a: readonly T[], x: K, cmp: (e: T, x: K) => number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(a[mid]!, x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `sorted` without the elements of `gone`, with `added` (any order) merged in: one pass. */
export function update<T>(sorted: T[], gone: ReadonlySet<T>, added: T[], cmp: Cmp<T>): T[] {
  const base = gone.size > 0 ? sorted.filter((x) => !gone.has(x)) : sorted;
  if (added.length === 0) return base;
  const add = [...added].sort(cmp);
  const out = new Array<T>(base.length + add.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < base.length && j < add.length) out[k++] = cmp(base[i]!, add[j]!) <= 0 ? base[i++]! : add[j++]!;
  while (i < base.length) out[k++] = base[i++]!;
  while (j < add.length) out[k++] = add[j++]!;
  return out;
}

/** Sorts `a` (a copy) in slices, letting the event loop run between them: a million rows without a long pause. */
export async function sortInSlices<T>(a: readonly T[], cmp: Cmp<T>, slice = 8_192): Promise<T[]> {
  let runs: T[][] = [];
  for (let i = 0; i < a.length; i += slice) {
    runs.push(a.slice(i, i + slice).sort(cmp));
    await yieldNow();
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      next.push(r + 1 < runs.length ? await mergeInSlices(runs[r]!, runs[r + 1]!, cmp, slice * 8) : runs[r]!);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

async function mergeInSlices<T>(x: T[], y: T[], cmp: Cmp<T>, step: number): Promise<T[]> {
  const out = new Array<T>(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length || j < y.length) {
    const stop = Math.min(out.length, k + step);
    while (k < stop) out[k++] = j >= y.length || (i < x.length && cmp(x[i]!, y[j]!) <= 0) ? x[i++]! : y[j++]!;
    if (k < out.length) await yieldNow();
  }
  return out;
}

/** Up to `limit` elements of `a` from index `start` on that pass `keep`, and where the walk stopped. */
export function walk<T>(a: readonly T[], start: number, keep: (x: T) => boolean, limit: number, skip = 0): { items: T[]; next: number } {
  const items: T[] = [];
  let i = start;
  for (; i < a.length && items.length < limit; i++) {
    if (!keep(a[i]!)) continue;
    if (skip > 0) skip--;
    else items.push(a[i]!);
  }
  return { items, next: i };
}
