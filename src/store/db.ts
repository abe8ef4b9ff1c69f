import { mkdir } from "node:fs/promises";
import { Level } from "level";
import { UnavailableError } from "../core/errors.js";

export type JsonDb = Level<string, unknown>;

/** An explicit read snapshot ({@link Store.snapshot}): several reads that see one version of the store. */
export type DbSnapshot = ReturnType<JsonDb["snapshot"]>;

/** Options of a read: an explicit snapshot to read from. */
export interface ReadOptions {
  snapshot?: DbSnapshot;
}

/** A key range of an iterator. */
export interface RangeOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  limit?: number;
  reverse?: boolean;
}

/** Options for every write the API acknowledges: on disk before the answer. */
export const DURABLE = { sync: true } as const;

/**
 * The off-chain store: one LevelDB in DATA_DIR/db. Everything lives under a namespace per
 * deployment (chain id + genesis hash + contracts), so a restarted local chain never meets old records.
 */
export interface Store {
  db: JsonDb;
  /** Sublevel for one kind of record, under this deployment's namespace. */
  sub<V>(name: string): SublevelOf<V>;
  /** An explicit snapshot for consistent reads across sublevels; close it when done. */
  snapshot(): DbSnapshot;
  close(): Promise<void>;
}

export interface SublevelOf<V> {
  get(key: string, options?: ReadOptions): Promise<V | undefined>;
  put(key: string, value: V, options?: { sync?: boolean }): Promise<void>;
  del(key: string, options?: { sync?: boolean }): Promise<void>;
  iterator(options?: RangeOptions & ReadOptions): AsyncIterable<[string, V]>;
  values(options?: RangeOptions & ReadOptions): AsyncIterable<V>;
  /** Deletes every record of this sublevel (not atomic with other writes). */
  clear(): Promise<void>;
  /** The underlying sublevel, for atomic batches across sublevels. */
  readonly raw: unknown;
}

export async function openStore(dataDir: string, namespace: string): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  const db: JsonDb = new Level<string, unknown>(`${dataDir}/db`, { valueEncoding: "json" });
  try {
    await db.open();
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if ((e as { code?: string }).code === "LEVEL_DATABASE_NOT_OPEN" && cause?.code === "LEVEL_LOCKED") {
      throw new UnavailableError(`the store ${dataDir}/db is open in another process (only one process may open it)`);
    }
    throw e;
  }
  const root = db.sublevel<string, unknown>(namespace, { valueEncoding: "json" });
  const subs = new Map<string, SublevelOf<unknown>>();
  return {
    db,
    sub<V>(name: string): SublevelOf<V> {
      let s = subs.get(name);
      if (!s) {
        const level = root.sublevel<string, V>(name, { valueEncoding: "json" });
        s = {
          get: (key, options) => level.get(key, options ?? {}) as Promise<V | undefined>,
          put: (key, value, options) => level.put(key, value, (options ?? {}) as never),
          del: (key, options) => level.del(key, (options ?? {}) as never),
          iterator: (options) => level.iterator(options ?? {}) as AsyncIterable<[string, V]>,
          values: (options) => level.values(options ?? {}) as AsyncIterable<V>,
          clear: () => level.clear(),
          raw: level,
        } as SublevelOf<V>;
        subs.set(name, s as SublevelOf<unknown>);
      }
      return s as SublevelOf<V>;
    },
    snapshot: () => db.snapshot(),
    close: () => db.close(),
  };
}

/** One operation of an atomic batch across sublevels. */
export type BatchOp =
  | { type: "put"; sublevel: SublevelOf<unknown>; key: string; value: unknown }
  | { type: "del"; sublevel: SublevelOf<unknown>; key: string };

/** Writes several records atomically and durably: all or none survive a crash. */
export async function writeBatch(store: Store, ops: BatchOp[]): Promise<void> {
  await store.db.batch(
    ops.map((op) =>
      op.type === "put"
        ? { type: "put" as const, sublevel: op.sublevel.raw as never, key: op.key, value: op.value }
        : { type: "del" as const, sublevel: op.sublevel.raw as never, key: op.key },
    ),
    DURABLE,
  );
}

/**
 * An atomic batch whose every operation is checked against its sublevel's value type at compile time
 * (no `as SublevelOf<unknown>`): `batch.put(claims, id, row)` accepts only the row type of `claims`.
 */
export class TypedBatch {
  private readonly ops: BatchOp[] = [];

  put<V>(sublevel: SublevelOf<V>, key: string, value: V): this {
    this.ops.push({ type: "put", sublevel, key, value });
    return this;
  }

  del<V>(sublevel: SublevelOf<V>, key: string): this {
    this.ops.push({ type: "del", sublevel, key });
    return this;
  }

  /** Operations so far. */
  get length(): number {
    return this.ops.length;
  }

  /** Writes every operation atomically and durably: all or none survive a crash. */
  write(store: Store): Promise<void> {
    return this.ops.length === 0 ? Promise.resolve() : writeBatch(store, this.ops);
  }
}
