import { TypedBatch, type SublevelOf } from "../db.js";
import { ROW_TABLES, type RowTable, type RowTables, type Sublevels, type UndoEntry } from "./chain-index-rows.js";

const DELETED = null;

/**
 * A deep copy of a row: JSON values only, as the store holds them. structuredClone's serializer allocated
 * buffers on every call (the aggregate cells are read and written three times a claim): about a tenth of
 * what an import's indexing allocated, collected while the API answered reads; this is six times faster.
 */
export function copyOfRow<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(copyOfRow) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyOfRow((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * Store values of index rows as the indexer last read or wrote them (null: absent), shared by the write
 * sessions of one chunk of logs. Only the indexer writes these tables, so a value stays true until a
 * session of the chunk commits a change — and `absorb` takes that in. A registration read six rows one
 * `get` at a time (each a trip through libuv's thread pool and tens of µs of the event loop under load);
 * `readAhead` reads a chunk's rows in one `getMany` per table.
 */
export class KnownRows {
  private readonly rows: { [T in RowTable]?: Map<string, RowTables[T] | null> } = {};

  constructor(private readonly tables: Sublevels) {}

  private mapOf<T extends RowTable>(t: T): Map<string, RowTables[T] | null> {
    return (this.rows[t] ??= new Map()) as Map<string, RowTables[T] | null>;
  }

  /** The known value: undefined when not known, null when known absent. */
  peek<T extends RowTable>(t: T, key: string): RowTables[T] | null | undefined {
    return this.mapOf(t).get(key);
  }

  learn<T extends RowTable>(t: T, key: string, value: RowTables[T] | null): void {
    this.mapOf(t).set(key, value);
  }

  /** Reads the rows not known yet, one `getMany` per table. */
  async readAhead(wanted: Iterable<readonly [RowTable, string]>): Promise<void> {
    const keys = new Map<RowTable, Set<string>>();
    for (const [t, key] of wanted) {
      if (this.mapOf(t).has(key)) continue;
      let set = keys.get(t);
      if (!set) keys.set(t, (set = new Set()));
      set.add(key);
    }
    await Promise.all([...keys].map(async ([t, set]) => {
      const list = [...set];
      const values = await (this.tables[t] as SublevelOf<unknown>).getMany(list);
      const map = this.mapOf(t) as Map<string, unknown>;
      list.forEach((key, i) => map.set(key, values[i] ?? DELETED));
    }));
  }

  /** After a commit: what the session wrote is the store's value now (its rows, which commit listeners only read). */
  absorb(w: IndexWriter): void {
    for (const t of ROW_TABLES) for (const [key, value] of w.written(t)) this.learn(t, key, value);
  }
}

/**
 * One write session of the indexer: reads see its own pending writes; the first write of a key in a
 * block (when undo is tracked) records the key's previous value. Nothing reaches the store until
 * ChainIndex.commit (chain-index.ts) writes it in one batch with the cursor.
 */
export class IndexWriter {
  private readonly pending: { [T in RowTable]: Map<string, RowTables[T] | null> } = {
    claims: new Map(), ownership: new Map(), cases: new Map(), timeline: new Map(), disputes: new Map(),
    anchors: new Map(), aggregates: new Map(), holderClaims: new Map(), listings: new Map(), bids: new Map(),
  };
  private block = -1;
  private trackUndo = false;
  /** Keys (per table) whose previous value this block recorded already. */
  private touched = new Map<RowTable, Set<string>>();
  readonly undo = new Map<number, UndoEntry[]>();
  private writes = 0;

  /** `known`: rows the session may take as the store's (a chunk's read-ahead); by default what it reads itself. */
  constructor(private readonly tables: Sublevels, private readonly known = new KnownRows(tables)) {}

  /** Writes from now on belong to block `n`; with `trackUndo`, each key's previous value is kept for a rollback. */
  beginBlock(n: number, trackUndo: boolean): void {
    this.block = n;
    this.trackUndo = trackUndo;
    this.touched = new Map();
  }

  /** Pending writes (a commit is due when they pass the batch bound). */
  get size(): number {
    return this.writes;
  }

  async get<T extends RowTable>(t: T, key: string): Promise<RowTables[T] | undefined> {
    const map = this.pending[t];
    // A copy: callers change what they read, and the pending value may be some block's undo record.
    if (map.has(key)) return copyOfRow(map.get(key)) ?? undefined;
    const known = this.known.peek(t, key);
    if (known !== undefined) return known === DELETED ? undefined : copyOfRow(known);
    const value = await this.tables[t].get(key);
    // Kept as read (a copy goes out): the undo record of a later put reads the same key again.
    this.known.learn(t, key, value === undefined ? DELETED : copyOfRow(value));
    return value;
  }

  async put<T extends RowTable>(t: T, key: string, value: RowTables[T]): Promise<void> {
    await this.remember(t, key);
    this.pending[t].set(key, value);
  }

  async del<T extends RowTable>(t: T, key: string): Promise<void> {
    await this.remember(t, key);
    this.pending[t].set(key, DELETED);
  }

  private async remember<T extends RowTable>(t: T, key: string): Promise<void> {
    this.writes++;
    if (!this.trackUndo) return;
    let touched = this.touched.get(t);
    if (!touched) this.touched.set(t, (touched = new Set()));
    if (touched.has(key)) return;
    touched.add(key);
    const previous = (await this.get(t, key)) ?? null;
    let list = this.undo.get(this.block);
    if (!list) this.undo.set(this.block, (list = []));
    list.push({ t, k: key, v: previous } as UndoEntry);
  }

  /** What this session wrote to table `t` (null: deleted), for listeners of a commit. */
  written<T extends RowTable>(t: T): Array<[string, RowTables[T] | null]> {
    return [...this.pending[t]];
  }

  /** Adds every pending write to `batch`. */
  flushInto(batch: TypedBatch): void {
    for (const t of ROW_TABLES) this.flushTable(batch, t);
  }

  private flushTable<T extends RowTable>(batch: TypedBatch, t: T): void {
    const sub: SublevelOf<RowTables[T]> = this.tables[t];
    for (const [k, v] of this.pending[t]) {
      if (v === DELETED) batch.del(sub, k);
      else batch.put(sub, k, v);
    }
  }
}

