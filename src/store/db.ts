import { mkdir } from "node:fs/promises";
import type { Server } from "node:net";
import type { Level } from "level";
import { UnavailableError } from "../core/errors.js";
import { checkSocketDir, GuestConnection, HostGone, LocalDb, pause, serve, socketPathOf, tryOpenLevel, type Range, type WireOp } from "./shared.js";

export type JsonDb = Level<string, unknown>;

/** An explicit read snapshot ({@link Store.snapshot}): several reads that see one version of the store. */
export interface DbSnapshot {
  close(): Promise<void>;
}

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
 * The off-chain store: one LevelDB in DATA_DIR/db, shared by every process of the organisation that opens
 * it (the API, `debtrail oracle`): the first hosts it, the others reach it over DATA_DIR/store.sock
 * (src/store/shared.ts). Everything lives under a namespace per deployment (chain id + genesis hash +
 * contracts), so a restarted local chain never meets old records.
 */
export interface Store {
  /** LevelDB itself, while this process hosts the store (tests read it raw); a guest has none. */
  readonly db: JsonDb;
  /** `host`: this process holds LevelDB and serves the others; `guest`: it reaches the host's socket. */
  readonly role: "host" | "guest";
  /** Sublevel for one kind of record, under this deployment's namespace. */
  sub<V>(name: string): SublevelOf<V>;
  /** An explicit snapshot for consistent reads across sublevels; close it when done. */
  snapshot(): DbSnapshot;
  /** Writes several records atomically and durably: all or none survive a crash. */
  batch(ops: BatchOp[]): Promise<void>;
  /**
   * Runs `fn` holding the lock `name`, which spans every process sharing this store (one signer's
   * transactions, one oracle cycle at a time, one evidence writer).
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SublevelOf<V> {
  /** The sublevel's name (under the deployment's namespace). */
  readonly name: string;
  get(key: string, options?: ReadOptions): Promise<V | undefined>;
  /** Several values in one read (undefined where a key has none), in the order of `keys`. */
  getMany(keys: string[], options?: ReadOptions): Promise<Array<V | undefined>>;
  put(key: string, value: V, options?: { sync?: boolean }): Promise<void>;
  del(key: string, options?: { sync?: boolean }): Promise<void>;
  iterator(options?: RangeOptions & ReadOptions): AsyncIterable<[string, V]>;
  values(options?: RangeOptions & ReadOptions): AsyncIterable<V>;
  /** Deletes every record of this sublevel (not atomic with other writes). */
  clear(): Promise<void>;
}

export interface StoreOptions {
  /** How long an operation waits for a host (after one ended) before it fails as unavailable. */
  electionTimeoutMs?: number;
}

/** Entries a guest fetches per round trip of an iterator. */
const PAGE = 256;

type Backend =
  | { role: "host"; epoch: number; local: LocalDb; server: Server }
  | { role: "guest"; epoch: number; conn: GuestConnection };

/** A snapshot of one backend epoch: a host's LevelDB snapshot, or a guest's id at the host. */
class Snapshot implements DbSnapshot {
  constructor(readonly epoch: number, readonly local?: ReturnType<JsonDb["snapshot"]>, readonly remote?: Promise<number>, private readonly release?: () => Promise<void>) {}
  close(): Promise<void> {
    return this.local ? this.local.close() : (this.release?.() ?? Promise.resolve());
  }
}

/** Opens (or joins) the store of `dataDir`, namespaced by `namespace`. */
export async function openStore(dataDir: string, namespace: string, options: StoreOptions = {}): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  const socket = socketPathOf(dataDir);
  await checkSocketDir(socket, dataDir);
  const store = new SharedStore(`${dataDir}/db`, socket, namespace, options.electionTimeoutMs ?? 30_000);
  await store.backend();
  return store;
}

class SharedStore implements Store {
  private current?: Backend;
  private electing?: Promise<Backend>;
  private epoch = 0;
  private closed = false;
  private readonly subs = new Map<string, SublevelOf<unknown>>();

  constructor(private readonly dir: string, private readonly socket: string, private readonly ns: string, private readonly timeoutMs: number) {}

  get role(): "host" | "guest" {
    return this.current?.role ?? "guest";
  }

  get db(): JsonDb {
    if (this.current?.role !== "host") throw new UnavailableError("this process is a guest of the store: no LevelDB of its own");
    return this.current.local.db;
  }

  /** The backend now, electing a host first when the last one went away. */
  backend(): Promise<Backend> {
    if (this.closed) return Promise.reject(new UnavailableError("the store is closed"));
    if (this.current) return Promise.resolve(this.current);
    this.electing ??= this.elect().finally(() => (this.electing = undefined));
    return this.electing;
  }

  private async elect(): Promise<Backend> {
    const deadline = Date.now() + this.timeoutMs;
    for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
      const db = await tryOpenLevel(this.dir);
      if (db) {
        const local = new LocalDb(db);
        const server = await serve(local, this.socket);
        return (this.current = { role: "host", epoch: ++this.epoch, local, server });
      }
      const epoch = this.epoch + 1;
      const conn = await GuestConnection.connect(this.socket, () => {
        if (this.current?.epoch === epoch) this.current = undefined;
      });
      if (conn) {
        this.epoch = epoch;
        return (this.current = { role: "guest", epoch, conn });
      }
      if (Date.now() > deadline) {
        throw new UnavailableError(`the store ${this.dir} is open in another process that does not share it (no host answers on ${this.socket})`);
      }
      await pause(wait);
    }
  }

  /** Runs `op` on the backend; when the host goes away meanwhile, again on the next one. */
  private async run<T>(op: (b: Backend) => Promise<T>): Promise<T> {
    for (;;) {
      const b = await this.backend();
      try {
        return await op(b);
      } catch (e) {
        if (!(e instanceof HostGone) || this.closed) throw e;
      }
    }
  }

  private snapOf(options: ReadOptions | undefined, b: Backend): { local?: ReturnType<JsonDb["snapshot"]>; remote?: Promise<number> } {
    const s = options?.snapshot as Snapshot | undefined;
    if (!s) return {};
    if (s.epoch !== b.epoch) throw new UnavailableError("the store changed hands during a read: retry");
    return { local: s.local, remote: s.remote };
  }

  sub<V>(name: string): SublevelOf<V> {
    let s = this.subs.get(name) as SublevelOf<V> | undefined;
    if (s) return s;
    const { ns } = this;
    const write = (ops: WireOp[], sync: boolean) => this.run((b) => b.role === "host" ? b.local.batch(ns, ops, sync) : b.conn.call<void>({ op: "batch", ns, ops, sync }));
    s = {
      name,
      get: (key, options) => this.run(async (b) => {
        const snap = this.snapOf(options, b);
        if (b.role === "host") return (await b.local.get(ns, name, key, snap.local)) as V | undefined;
        return b.conn.call<V | undefined>({ op: "get", ns, sub: name, key, ...(snap.remote ? { snap: await snap.remote } : {}) });
      }),
      getMany: (keys, options) => this.run(async (b) => {
        if (keys.length === 0) return [];
        const snap = this.snapOf(options, b);
        if (b.role === "host") return (await b.local.getMany(ns, name, keys, snap.local)) as Array<V | undefined>;
        // JSON has no undefined: a guest gets null for a missing key.
        const got = await b.conn.call<Array<V | null>>({ op: "getMany", ns, sub: name, keys, ...(snap.remote ? { snap: await snap.remote } : {}) });
        return got.map((v) => v ?? undefined);
      }),
      put: (key, value, options) => write([{ type: "put", sub: name, key, value }], options?.sync === true),
      del: (key, options) => write([{ type: "del", sub: name, key }], options?.sync === true),
      iterator: (options) => this.iterate<V>(name, options ?? {}),
      values: (options) => values(this.iterate<V>(name, options ?? {})),
      clear: () => this.run((b) => b.role === "host" ? b.local.sublevel(ns, name).clear() : b.conn.call<void>({ op: "clear", ns, sub: name })),
    };
    this.subs.set(name, s as SublevelOf<unknown>);
    return s;
  }

  /**
   * Iterates a sublevel: a host directly, a guest a page at a time. When the host goes away mid-way, the
   * iteration resumes after the last key on the next host (an explicit snapshot cannot move: it fails).
   */
  private async *iterate<V>(name: string, options: RangeOptions & ReadOptions): AsyncGenerator<[string, V]> {
    const { snapshot, ...range } = options;
    let rest: Range = { ...range };
    let left = range.limit ?? -1;
    for (;;) {
      const b = await this.backend();
      const snap = this.snapOf({ snapshot }, b);
      if (b.role === "host") {
        for await (const entry of b.local.iterator(this.ns, name, rest, snap.local) as unknown as AsyncIterable<[string, V]>) yield entry;
        return;
      }
      let id: number | undefined;
      try {
        id = await b.conn.call<number>({ op: "iter", ns: this.ns, sub: name, range: rest, ...(snap.remote ? { snap: await snap.remote } : {}) });
        for (;;) {
          const page = await b.conn.call<Array<[string, V]>>({ op: "next", id, n: PAGE });
          for (const entry of page) {
            if (left > 0) left--;
            rest = range.reverse ? { ...rest, lt: entry[0], lte: undefined, limit: left } : { ...rest, gt: entry[0], gte: undefined, limit: left };
            yield entry;
          }
          if (page.length < PAGE) {
            id = undefined;
            return;
          }
        }
      } catch (e) {
        if (!(e instanceof HostGone) || snapshot || this.closed) throw e;
        id = undefined;
      } finally {
        if (id !== undefined) void b.conn.call({ op: "iterClose", id }).catch(() => undefined);
      }
    }
  }

  snapshot(): DbSnapshot {
    const b = this.current;
    if (b?.role === "host") return new Snapshot(b.epoch, b.local.db.snapshot());
    if (!b) {
      // Between hosts: a snapshot of no epoch, refused by reads (they fail as unavailable, and are retried by the caller).
      return new Snapshot(-1, undefined, Promise.reject(new UnavailableError("the store is changing hands")).catch(() => -1));
    }
    const remote = b.conn.call<number>({ op: "snap" });
    remote.catch(() => undefined);
    return new Snapshot(b.epoch, undefined, remote, async () => {
      const id = await remote.catch(() => undefined);
      if (id !== undefined) await b.conn.call({ op: "snapClose", id }).catch(() => undefined);
    });
  }

  batch(ops: BatchOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    const wire: WireOp[] = ops.map((op) => op.type === "del"
      ? { type: "del", sub: op.sublevel.name, key: op.key }
      : op.json !== undefined
        ? { type: "put", sub: op.sublevel.name, key: op.key, json: op.json }
        : { type: "put", sub: op.sublevel.name, key: op.key, value: op.value });
    return this.run((b) => {
      if (b.role === "host") return b.local.batch(this.ns, wire);
      // Over the socket a value's JSON text travels as text.
      const text = wire.map((op) => (op.type === "put" && op.json instanceof Uint8Array ? { ...op, json: DECODER.decode(op.json) } : op));
      return b.conn.call<void>({ op: "batch", ns: this.ns, ops: text, sync: true });
    });
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const { b, token } = await this.run(async (b) => ({
      b,
      token: b.role === "host" ? await b.local.locks.acquire(name) : await b.conn.call<string>({ op: "lock", name }),
    }));
    try {
      return await fn();
    } finally {
      // After a change of host the lock went with the old one: nothing to release.
      if (b.role === "host") b.local.locks.release(token);
      else if (this.current === b) await b.conn.call({ op: "unlock", token }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.electing?.catch(() => undefined);
    this.closed = true;
    const b = this.current;
    this.current = undefined;
    if (b?.role === "guest") b.conn.close();
    if (b?.role === "host") {
      // Guests see the socket close and elect a new host once LevelDB's lock is free.
      await new Promise<void>((ok) => b.server.close(() => ok()));
      await b.local.db.close();
    }
  }
}

async function* values<V>(entries: AsyncIterable<[string, V]>): AsyncGenerator<V> {
  for await (const [, v] of entries) yield v;
}

const DECODER = new TextDecoder();

/**
 * One operation of an atomic batch across sublevels. A put gives its value, or `json`: the value's JSON
 * text (UTF-8 bytes or a string) already made elsewhere — a worker thread — stored as it is.
 */
export type BatchOp =
  | { type: "put"; sublevel: SublevelOf<unknown>; key: string; value: unknown; json?: undefined }
  | { type: "put"; sublevel: SublevelOf<unknown>; key: string; value?: undefined; json: string | Uint8Array }
  | { type: "del"; sublevel: SublevelOf<unknown>; key: string };

/** Writes several records atomically and durably: all or none survive a crash. */
export function writeBatch(store: Store, ops: BatchOp[]): Promise<void> {
  return store.batch(ops);
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

  /** A put of `json`, the JSON text of a `V` made elsewhere (a worker thread): stored without parsing it here. */
  putJson<V>(sublevel: SublevelOf<V>, key: string, json: string | Uint8Array): this {
    this.ops.push({ type: "put", sublevel: sublevel as SublevelOf<unknown>, key, json });
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
