import type { Store } from "./db.js";

/**
 * Values read from the store, kept in memory until the store's next write. LevelDB is open in this
 * process only, so every write — a chain index commit or rollback, a claim record, an evidence record,
 * a feed — passes through its `write` (or `clear`) event; the first one drops everything kept. A hot read
 * route then answers from memory while nothing changes, and never from anything older than the store.
 *
 * A read that names the tables it reads is kept until a write to one of those tables (an import's
 * thousands of writes to other tables leave it alone): the write event carries each key, whose sublevel
 * prefix names its table.
 *
 * A read that was loading while a write happened is not kept (it may hold the value from before the
 * write); callers that got its promise before the write see what a read just before the write would have.
 */
export interface StoreMemo {
  /**
   * `load()` once per key until the store's next write — or, with `tables`, the next write to one of
   * those tables (sublevel names, e.g. "evidence"); concurrent callers share one load.
   */
  get<T>(key: string, load: () => Promise<T>, tables?: readonly string[]): Promise<T>;
  /**
   * `load()` once per key until a write to one of the rows it names — `[table, key]`: that key, and the keys
   * `key!…` under it (a claim's ownership steps, its timeline) — or a clear. A chain index commit that writes
   * a thousand other claims leaves a claim's rows kept. Concurrent callers share one load; the same
   * promise comes back while it is kept ({@link StoreMemo.keeps}: not when the memo keeps nothing).
   */
  getKeyed<T>(key: string, load: () => Promise<T>, rows: ReadonlyArray<readonly [table: string, key: string]>): Promise<T>;
  /** Whether reads are kept at all (a guest of another process's store keeps none). */
  readonly keeps: boolean;
  /** Writes seen so far (changes with every write). */
  readonly generation: number;
  /** The writes seen so far to `tables` (changes with every write to one of them). */
  generationOf(tables: readonly string[]): string;
  /** Stops following the store's writes and drops everything kept. */
  close(): void;
}

/**
 * Sublevels no kept read depends on: append-only audit logs written on the read path (a read of personal
 * data is logged before it is answered, src/app/handover/reads-log.ts). Their writes keep what is kept.
 */
export const UNWATCHED_SUBLEVELS: readonly string[] = [
  "personal-data-reads", "personal-data-reads-by-claim", "personal-data-read-sets", "personal-data-read-sets-by-claim", "personal-data-reads-by-set",
  "market-room-accesses", "market-room-accesses-by-room"];
const UNWATCHED = new Set(UNWATCHED_SUBLEVELS);

/** Where the table (sublevel name) of a written key `!namespace!!table!key` starts and ends. */
function tableSpan(key: unknown): [start: number, end: number] | undefined {
  if (typeof key !== "string" || key[0] !== "!") return undefined;
  const ns = key.indexOf("!!", 1);
  if (ns < 0) return undefined;
  const end = key.indexOf("!", ns + 2);
  return end < 0 ? undefined : [ns + 2, end];
}

/** The table (sublevel name) of a written key. */
function tableOf(key: unknown): string | undefined {
  const span = tableSpan(key);
  return span && (key as string).slice(span[0], span[1]);
}

/** Whether a write touches only tables no kept read depends on. */
function unwatched(ops: ReadonlyArray<{ key?: unknown }>): boolean {
  return ops.length > 0 && ops.every((op) => UNWATCHED.has(tableOf(op.key) ?? ""));
}

export function createStoreMemo(store: Store, maxEntries = 20_000): StoreMemo {
  // Only the store's host sees every write (they all pass through its LevelDB's events); a guest's store
  // is written by the host too (src/store/shared.ts), unseen here: a guest keeps nothing, and its
  // generation moves on every read, so nothing rendered from it is kept either.
  if (store.role !== "host" || !store.db) return uncachedMemo();
  let generation = 0;
  const tableGen = new Map<string, number>();
  // Kept loads: `tables` undefined → dropped at any write; else valid while those tables' generations hold.
  const kept = new Map<string, { p: Promise<unknown>; tables?: readonly string[]; at?: string }>();
  // A clear (of unknown scope) moves every table on: `epoch` is part of every signature.
  let epoch = 0;
  // Signatures worked out since the last write, by the tables array asked for (a console read asks on every
  // request with the same constant array; a write may move any table on, so it drops them all).
  const signatures = new Map<readonly string[], string>();
  const signature = (tables: readonly string[]) => {
    let sig = signatures.get(tables);
    if (sig === undefined) {
      sig = `${epoch}:${tables.map((t) => tableGen.get(t) ?? 0).join(",")}`;
      if (signatures.size >= 64) signatures.clear();
      signatures.set(tables, sig);
    }
    return sig;
  };
  const bump = (ops?: ReadonlyArray<{ key?: unknown }>) => {
    generation++;
    signatures.clear();
    if (ops) for (const op of ops) {
      const t = tableOf(op.key);
      if (t !== undefined) tableGen.set(t, (tableGen.get(t) ?? 0) + 1);
    } else epoch++;
    for (const [k, e] of kept) if (!e.tables || !ops) kept.delete(k);
  };
  const written = (ops?: ReadonlyArray<{ key?: unknown }>) => {
    if (Array.isArray(ops) && unwatched(ops)) return;
    bump(ops);
  };
  // Reads kept by row: each watched row (`table\0key`) names the kept reads that depend on it.
  const byRow = new Map<string, { p: Promise<unknown>; rows: string[] }>();
  const watchers = new Map<string, Set<string>>();
  const dropKeyed = (key: string) => {
    const e = byRow.get(key);
    if (!e) return;
    byRow.delete(key);
    for (const r of e.rows) {
      const w = watchers.get(r);
      if (w && w.delete(key) && w.size === 0) watchers.delete(r);
    }
  };
  const rowWritten = (ops?: ReadonlyArray<{ key?: unknown }>) => {
    if (byRow.size === 0) return;
    if (!ops) {
      byRow.clear();
      watchers.clear();
      return;
    }
    for (const op of ops) {
      const span = tableSpan(op.key);
      if (!span) continue;
      const full = op.key as string;
      const table = full.slice(span[0], span[1]);
      const key = full.slice(span[1] + 1);
      const exact = watchers.get(`${table}\u0000${key}`);
      if (exact) for (const k of [...exact]) dropKeyed(k);
      const bang = key.indexOf("!");
      if (bang < 0) continue;
      const under = watchers.get(`${table}\u0000${key.slice(0, bang)}`);
      if (under) for (const k of [...under]) dropKeyed(k);
    }
  };
  const writtenAll = (ops?: ReadonlyArray<{ key?: unknown }>) => {
    written(ops);
    rowWritten(Array.isArray(ops) ? ops : undefined);
  };
  const cleared = () => {
    bump();
    rowWritten();
  };
  store.db.on("write", writtenAll);
  store.db.on("clear", cleared);
  return {
    get<T>(key: string, load: () => Promise<T>, tables?: readonly string[]): Promise<T> {
      const hit = kept.get(key);
      if (hit && (!hit.tables || hit.at === signature(hit.tables))) return hit.p as Promise<T>;
      const at = generation;
      const sig = tables ? signature(tables) : undefined;
      const p = load();
      kept.set(key, { p, tables, at: sig });
      if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
      const stale = () => (tables ? signature(tables) !== sig : generation !== at);
      p.then(
        () => {
          // Loaded across a write: it may hold the value from before it.
          if (stale() && kept.get(key)?.p === p) kept.delete(key);
        },
        () => {
          if (kept.get(key)?.p === p) kept.delete(key);
        },
      );
      return p;
    },
    getKeyed<T>(key: string, load: () => Promise<T>, rows: ReadonlyArray<readonly [string, string]>): Promise<T> {
      const hit = byRow.get(key);
      if (hit) {
        // Most recently used last: the oldest is dropped when full.
        byRow.delete(key);
        byRow.set(key, hit);
        return hit.p as Promise<T>;
      }
      const p = load();
      const names = rows.map(([t, k]) => `${t}\u0000${k}`);
      const entry = { p, rows: names };
      byRow.set(key, entry);
      for (const r of names) {
        let w = watchers.get(r);
        if (!w) watchers.set(r, (w = new Set()));
        w.add(key);
      }
      if (byRow.size > maxEntries) dropKeyed(byRow.keys().next().value!);
      // A failed load is not kept. (One that spanned a write to its rows was dropped by that write.)
      p.catch(() => {
        if (byRow.get(key) === entry) dropKeyed(key);
      });
      return p;
    },
    keeps: true,
    get generation() {
      return generation;
    },
    generationOf(tables) {
      return signature(tables);
    },
    close() {
      store.db.off("write", writtenAll);
      store.db.off("clear", cleared);
      kept.clear();
      byRow.clear();
      watchers.clear();
    },
  };
}

/** A memo that keeps nothing: every read loads, every read is a new generation. */
function uncachedMemo(): StoreMemo {
  let generation = 0;
  return {
    get<T>(_key: string, load: () => Promise<T>): Promise<T> {
      generation++;
      return load();
    },
    getKeyed<T>(_key: string, load: () => Promise<T>): Promise<T> {
      generation++;
      return load();
    },
    keeps: false,
    get generation() {
      return ++generation;
    },
    generationOf() {
      return String(++generation);
    },
    close() {},
  };
}
