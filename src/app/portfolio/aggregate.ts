import { CLASSIFICATIONS, CLASSIFICATIONS_ZH } from "../../core/classification.js";
import { CASE_STATES, CASE_STATES_ZH, type CaseStateName } from "../../core/oracle-plan.js";
import type { PortfolioRow } from "./rows.js";
import { isOpen } from "./order.js";
import type { ListScope } from "../access.js";

/**
 * Portfolio figures that add up: count, outstanding, expected recovery and collateral, by class, case
 * state, region, product and holder. Kept per family × account (as the chain index keeps its own) and
 * moved claim by claim when a claim changes, so a summary reads one or three of them whatever the book's
 * size; a bank's book (originated or held) is holder + originator − retained.
 */
export interface Group {
  count: number;
  outstanding: bigint;
  expectedRecovery: bigint;
}

export interface Aggregate extends Group {
  collateralValue: bigint;
  /**
   * Open claims (order.ts isOpen) whose 诉讼时效, from the record alone as of the model's day, ends within 90 days
   * / has ended (rows.ts limitationStatus); claims with evidence records are corrected by the summary.
   */
  expiring: number;
  expired: number;
  /** Claims in the work queue (order.ts isOpen). */
  open: number;
  classCount: number[];
  classOutstanding: bigint[];
  states: Map<CaseStateName, { count: number; outstanding: bigint }>;
  regions: Map<string, Group>;
  products: Map<string, Group>;
  holders: Map<string, Group>;
}

export function emptyAggregate(): Aggregate {
  return {
    count: 0, outstanding: 0n, expectedRecovery: 0n, collateralValue: 0n, expiring: 0, expired: 0, open: 0,
    classCount: [0, 0, 0, 0, 0], classOutstanding: [0n, 0n, 0n, 0n, 0n],
    states: new Map(), regions: new Map(), products: new Map(), holders: new Map(),
  };
}

function move<K>(m: Map<K, Group>, key: K, g: Group, sign: 1 | -1): void {
  const s = BigInt(sign);
  const cur = m.get(key) ?? { count: 0, outstanding: 0n, expectedRecovery: 0n };
  const next = { count: cur.count + sign * g.count, outstanding: cur.outstanding + s * g.outstanding, expectedRecovery: cur.expectedRecovery + s * g.expectedRecovery };
  if (next.count === 0) m.delete(key);
  else m.set(key, next);
}

/** Adds one row to a group of an aggregate being built (nothing else holds its groups: changed in place). */
function grow<K>(m: Map<K, Group>, key: K, r: PortfolioRow): void {
  const cur = m.get(key);
  if (!cur) m.set(key, { count: 1, outstanding: r.outstanding, expectedRecovery: r.expectedRecovery });
  else {
    cur.count++;
    cur.outstanding += r.outstanding;
    cur.expectedRecovery += r.expectedRecovery;
  }
}

/**
 * Adds (sign 1) or removes (−1) one row's contribution. `building`: `a` is being built and shared with no
 * one yet, so its groups change in place (a million rows without a million short-lived objects each).
 */
export function addRow(a: Aggregate, r: PortfolioRow, sign: 1 | -1, building = false): void {
  const open = isOpen(r);
  if (open) a.open += sign;
  const lim = open ? r.limitationStatus : 0;
  if (lim === 1) a.expiring += sign;
  else if (lim === 2) a.expired += sign;
  if (building && sign === 1) {
    a.count++;
    a.outstanding += r.outstanding;
    a.expectedRecovery += r.expectedRecovery;
    if (r.collateralValue !== null) a.collateralValue += r.collateralValue;
    a.classCount[r.classification]!++;
    a.classOutstanding[r.classification]! += r.outstanding;
    const st = a.states.get(r.state);
    if (!st) a.states.set(r.state, { count: 1, outstanding: r.outstanding });
    else {
      st.count++;
      st.outstanding += r.outstanding;
    }
    grow(a.regions, r.region ?? "", r);
    grow(a.products, r.product, r);
    grow(a.holders, r.holder, r);
    return;
  }
  const s = BigInt(sign);
  const g: Group = { count: 1, outstanding: r.outstanding, expectedRecovery: r.expectedRecovery };
  a.count += sign;
  a.outstanding += s * r.outstanding;
  a.expectedRecovery += s * r.expectedRecovery;
  a.collateralValue += s * (r.collateralValue ?? 0n);
  a.classCount[r.classification]! += sign;
  a.classOutstanding[r.classification]! += s * r.outstanding;
  const st = a.states.get(r.state) ?? { count: 0, outstanding: 0n };
  const nextState = { count: st.count + sign, outstanding: st.outstanding + s * r.outstanding };
  if (nextState.count === 0) a.states.delete(r.state);
  else a.states.set(r.state, nextState);
  move(a.regions, r.region ?? "", g, sign);
  move(a.products, r.product, g, sign);
  move(a.holders, r.holder, g, sign);
}

/** `a` + sign × `b`, as a new aggregate. */
export function combine(a: Aggregate, b: Aggregate | undefined, sign: 1 | -1): Aggregate {
  const out: Aggregate = {
    ...a,
    classCount: [...a.classCount], classOutstanding: [...a.classOutstanding],
    states: new Map(a.states), regions: new Map(a.regions), products: new Map(a.products), holders: new Map(a.holders),
  };
  if (!b) return out;
  const s = BigInt(sign);
  out.count += sign * b.count;
  out.outstanding += s * b.outstanding;
  out.expectedRecovery += s * b.expectedRecovery;
  out.collateralValue += s * b.collateralValue;
  out.expiring += sign * b.expiring;
  out.expired += sign * b.expired;
  out.open += sign * b.open;
  for (let i = 0; i < 5; i++) {
    out.classCount[i]! += sign * b.classCount[i]!;
    out.classOutstanding[i]! += s * b.classOutstanding[i]!;
  }
  for (const [k, v] of b.states) {
    const cur = out.states.get(k) ?? { count: 0, outstanding: 0n };
    const next = { count: cur.count + sign * v.count, outstanding: cur.outstanding + s * v.outstanding };
    if (next.count === 0) out.states.delete(k);
    else out.states.set(k, next);
  }
  for (const [m, n] of [[out.regions, b.regions], [out.products, b.products], [out.holders, b.holders]] as const) {
    for (const [k, g] of n) move(m, k, g, sign);
  }
  return out;
}

export function aggregateOf(rows: Iterable<PortfolioRow>): Aggregate {
  const a = emptyAggregate();
  for (const r of rows) addRow(a, r, 1, true);
  return a;
}

/** Groups by outstanding, largest first (ties by key), money as decimal strings. */
export function groupList(m: Map<string, Group>) {
  return [...m.entries()]
    .sort((x, y) => (y[1].outstanding > x[1].outstanding ? 1 : y[1].outstanding < x[1].outstanding ? -1 : x[0].localeCompare(y[0])))
    .map(([key, g]) => ({ key, count: g.count, outstanding: g.outstanding.toString(), expectedRecovery: g.expectedRecovery.toString() }));
}

export function byClass(a: Aggregate) {
  return CLASSIFICATIONS.map((c, i) => ({ classification: c, classificationZh: CLASSIFICATIONS_ZH[i]!, count: a.classCount[i]!, outstanding: a.classOutstanding[i]!.toString() }));
}

export function byState(a: Aggregate) {
  return CASE_STATES.map((s) => {
    const v = a.states.get(s);
    return { state: s, stateZh: CASE_STATES_ZH[s], count: v?.count ?? 0, outstanding: (v?.outstanding ?? 0n).toString() };
  });
}

/** Case-state counts by name (the trend's stateCount), states with claims only. */
export function stateCounts(a: Aggregate): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of CASE_STATES) {
    const v = a.states.get(s);
    if (v && v.count > 0) out[s] = v.count;
  }
  return out;
}

/** The dimensions a summary filters on (besides the holder, which is a scope family of its own). */
export interface CellFilter {
  /** Whether a cell's region is in the filter's (a province: its cities and districts too; rows.ts regionMatcher). */
  region?: (region: string) => boolean;
  product?: string;
  classification?: number;
  state?: CaseStateName;
}

interface Cell {
  region: string;
  product: string;
  classification: number;
  state: CaseStateName;
  a: Aggregate;
}

/**
 * The aggregates of the book, kept claim by claim: per scope family × account (all, holder!x, originator!x,
 * retained!x), and within each per region × product × class × case state (a few hundred cells). So an
 * unfiltered summary reads one aggregate and a filtered one adds up the cells it matches — never the rows.
 */
export class Cube {
  private readonly scopes = new Map<string, Aggregate>();
  private readonly cells = new Map<string, Map<string, Cell>>();

  /** `building`: a cube filled before anyone reads it, its groups changed in place until {@link seal}. */
  constructor(private building = false) {}

  /** Ends the building: from now on every change makes new groups (readers may hold the old ones). */
  seal(): void {
    this.building = false;
  }

  /** The scope families a row counts in. */
  static keysOf(r: PortfolioRow): string[] {
    const keys = ["all", `holder!${r.holderKey}`, `originator!${r.originatorKey}`];
    if (r.holderKey === r.originatorKey) keys.push(`retained!${r.holderKey}`);
    return keys;
  }

  add(r: PortfolioRow, sign: 1 | -1): void {
    const region = r.region ?? "";
    const cellKey = cellKeyOf(r);
    for (const k of Cube.keysOf(r)) {
      let a = this.scopes.get(k);
      if (!a) this.scopes.set(k, (a = emptyAggregate()));
      addRow(a, r, sign, this.building);
      if (a.count === 0) this.scopes.delete(k);
      let cells = this.cells.get(k);
      if (!cells) this.cells.set(k, (cells = new Map()));
      let cell = cells.get(cellKey);
      if (!cell) cells.set(cellKey, (cell = { region, product: r.product, classification: r.classification, state: r.state, a: emptyAggregate() }));
      addRow(cell.a, r, sign, this.building);
      if (cell.a.count === 0) cells.delete(cellKey);
      if (cells.size === 0) this.cells.delete(k);
    }
  }

  /** A scope family's aggregate (empty when it holds nothing). */
  scope(key: string): Aggregate {
    return this.scopes.get(key) ?? emptyAggregate();
  }

  /** The sum of a scope family's cells that match `f`. */
  sum(key: string, f: CellFilter): Aggregate {
    let out = emptyAggregate();
    for (const c of this.cells.get(key)?.values() ?? []) if (cellMatches(c, f)) out = combine(out, c.a, 1);
    return out;
  }
}

/** The key of a row's cell: region × product × class × case state. */
export const cellKeyOf = (r: PortfolioRow) => `${r.region ?? ""}\u0000${r.product}\u0000${r.classification}\u0000${r.state}`;

const cellMatches = (c: Pick<Cell, "region" | "product" | "classification" | "state">, f: CellFilter) =>
  (f.region === undefined || f.region(c.region)) && (f.product === undefined || c.product === f.product)
  && (f.classification === undefined || c.classification === f.classification) && (f.state === undefined || c.state === f.state);

/**
 * The rows of each holder by cell (region × product × class × case state), kept as rows move: a holder's
 * rows matching a filter of those dimensions — what a package preview by filter starts from — are read from
 * the cells it matches, never from a pass over the book.
 */
export class HeldCells {
  private readonly holders = new Map<string, Map<string, { region: string; product: string; classification: number; state: CaseStateName; rows: Set<PortfolioRow> }>>();

  add(r: PortfolioRow, sign: 1 | -1): void {
    const key = cellKeyOf(r);
    let cells = this.holders.get(r.holderKey);
    if (sign > 0) {
      if (!cells) this.holders.set(r.holderKey, (cells = new Map()));
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { region: r.region ?? "", product: r.product, classification: r.classification, state: r.state, rows: new Set() }));
      cell.rows.add(r);
      return;
    }
    const cell = cells?.get(key);
    if (!cell) return;
    cell.rows.delete(r);
    if (cell.rows.size === 0) cells!.delete(key);
    if (cells!.size === 0) this.holders.delete(r.holderKey);
  }

  /** The rows `holder` (lower-case) holds in cells matching `f`, in no particular order. */
  rows(holder: string, f: CellFilter, keep: (r: PortfolioRow) => boolean = () => true): PortfolioRow[] {
    const out: PortfolioRow[] = [];
    for (const c of this.holders.get(holder)?.values() ?? []) {
      if (!cellMatches(c, f)) continue;
      for (const r of c.rows) if (keep(r)) out.push(r);
    }
    return out;
  }
}

/** A list scope's aggregate (src/app/access.ts listScope) from the cube's kept scopes; a court's from the rows. */
export function scopeAggregate(cube: Cube, scope: ListScope, allRows: () => PortfolioRow[]): Aggregate {
  switch (scope.kind) {
    case "all":
      return cube.scope("all");
    case "holder":
      return cube.scope(`holder!${scope.address}`);
    case "bank":
      return combine(combine(cube.scope(`holder!${scope.address}`), cube.scope(`originator!${scope.address}`), 1), cube.scope(`retained!${scope.address}`), -1);
    case "court":
      return aggregateOf(allRows().filter((r) => r.disputeId !== null));
    default:
      return emptyAggregate();
  }
}

/** The scope's aggregate of the rows matching `f` (and, where given, `holder`), from the kept cells where they suffice, else from `scopeRows()` passing `match`. */
export function filteredAggregate(
  cube: Cube, scope: ListScope, f: CellFilter, holder: string | undefined, match: (r: PortfolioRow) => boolean, scopeRows: () => PortfolioRow[],
): Aggregate {
  if (scope.kind === "all" && holder === undefined) return cube.sum("all", f);
  if ((scope.kind === "all" || scope.kind === "holder") && holder !== undefined) {
    return scope.kind === "holder" && holder !== scope.address ? emptyAggregate() : cube.sum(`holder!${holder}`, f);
  }
  if (scope.kind === "holder") return cube.sum(`holder!${scope.address}`, f);
  if (scope.kind === "bank" && (holder === undefined || holder === scope.address)) {
    const held = cube.sum(`holder!${scope.address}`, f);
    return holder !== undefined ? held : combine(combine(held, cube.sum(`originator!${scope.address}`, f), 1), cube.sum(`retained!${scope.address}`, f), -1);
  }
  return aggregateOf(scopeRows().filter(match));
}
