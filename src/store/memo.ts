import type { Store } from "./db.js";

/**
 * Values read from the store, kept in memory until the store's next write. LevelDB is open in this
 * process only, so every write — a chain index commit or rollback, a claim record, an evidence record,
 * a feed — passes through its `write` (or `clear`) event; the first one drops everything kept. A hot read
 * route then answers from memory while nothing changes, and never from anything older than the store.
 *
 * A read that was loading while a write happened is not kept (it may hold the value from before the
 * write); callers that got its promise before the write see what a read just before the write would have.
 */
export interface StoreMemo {
  /** `load()` once per key until the store's next write; concurrent callers share one load. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Writes seen so far (changes with every write). */
  readonly generation: number;
  /** Stops following the store's writes and drops everything kept. */
  close(): void;
}

/**
 * Sublevels no kept read depends on: append-only audit logs written on the read path (a read of personal
 * data is logged before it is answered, src/app/handover/reads-log.ts). Their writes keep what is kept.
 */
export const UNWATCHED_SUBLEVELS: readonly string[] = ["personal-data-reads", "personal-data-reads-by-claim"];

/** The sublevel of a key as the root LevelDB's write event gives it: `!namespace!!sublevel!key`. */
function unwatched(op: { key?: unknown }): boolean {
  const m = typeof op.key === "string" ? /^![^!]*!!([^!]*)!/.exec(op.key) : null;
  return m !== null && UNWATCHED_SUBLEVELS.includes(m[1]);
}

export function createStoreMemo(store: Store, maxEntries = 20_000): StoreMemo {
  // Only the store's host sees every write (they all pass through its LevelDB's events); a guest's store
  // is written by the host too (src/store/shared.ts), unseen here: a guest keeps nothing, and its
  // generation moves on every read, so nothing rendered from it is kept either.
  if (store.role !== "host" || !store.db) return uncachedMemo();
  let generation = 0;
  const kept = new Map<string, Promise<unknown>>();
  const bump = () => {
    generation++;
    kept.clear();
  };
  const written = (ops?: Array<{ key?: unknown }>) => {
    if (Array.isArray(ops) && ops.length > 0 && ops.every(unwatched)) return;
    bump();
  };
  store.db.on("write", written);
  store.db.on("clear", bump);
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = kept.get(key) as Promise<T> | undefined;
      if (hit) return hit;
      const at = generation;
      const p = load();
      kept.set(key, p);
      if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
      p.then(
        () => {
          // Loaded across a write: it may hold the value from before it.
          if (generation !== at && kept.get(key) === p) kept.delete(key);
        },
        () => {
          if (kept.get(key) === p) kept.delete(key);
        },
      );
      return p;
    },
    get generation() {
      return generation;
    },
    close() {
      store.db.off("write", written);
      store.db.off("clear", bump);
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
    close() {},
  };
}
