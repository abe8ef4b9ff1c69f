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

/** The table (sublevel name) of a written key: `!namespace!!table!key`. */
function tableOf(key: unknown): string | undefined {
  if (typeof key !== "string" || key[0] !== "!") return undefined;
  const ns = key.indexOf("!!", 1);
  if (ns < 0) return undefined;
  const end = key.indexOf("!", ns + 2);
  return end < 0 ? undefined : key.slice(ns + 2, end);
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
  const signature = (tables: readonly string[]) => `${epoch}:${tables.map((t) => tableGen.get(t) ?? 0).join(",")}`;
  const bump = (ops?: ReadonlyArray<{ key?: unknown }>) => {
    generation++;
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
  const cleared = () => bump();
  store.db.on("write", written);
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
    get generation() {
      return generation;
    },
    generationOf(tables) {
      return signature(tables);
    },
    close() {
      store.db.off("write", written);
      store.db.off("clear", cleared);
      kept.clear();
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
    get generation() {
      return ++generation;
    },
    generationOf() {
      return String(++generation);
    },
    close() {},
  };
}
