import { TypedBatch, type SublevelOf } from "../db.js";
import { ROW_TABLES, type RowTable, type RowTables, type Sublevels, type UndoEntry } from "./chain-index-rows.js";

const DELETED = null;

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
  private touched = new Set<string>();
  readonly undo = new Map<number, UndoEntry[]>();
  private writes = 0;

  constructor(private readonly tables: Sublevels) {}

  /** Writes from now on belong to block `n`; with `trackUndo`, each key's previous value is kept for a rollback. */
  beginBlock(n: number, trackUndo: boolean): void {
    this.block = n;
    this.trackUndo = trackUndo;
    this.touched = new Set();
  }

  /** Pending writes (a commit is due when they pass the batch bound). */
  get size(): number {
    return this.writes;
  }

  async get<T extends RowTable>(t: T, key: string): Promise<RowTables[T] | undefined> {
    const map = this.pending[t];
    // A copy: callers change what they read, and the pending value may be some block's undo record.
    if (map.has(key)) return structuredClone(map.get(key)) ?? undefined;
    return this.tables[t].get(key);
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
    const id = `${t}\u0000${key}`;
    if (this.touched.has(id)) return;
    this.touched.add(id);
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

