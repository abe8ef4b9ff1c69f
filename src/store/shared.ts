import { createHash } from "node:crypto";
import { chmod, mkdir, stat, unlink } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Level } from "level";
import { UnavailableError } from "../core/errors.js";

/**
 * One LevelDB, several processes (the API and `debtrail oracle` on one data dir). LevelDB allows one
 * process: the first to open the store becomes its **host** (it holds LevelDB's lock and serves the
 * store on a unix socket beside it); every other process is a **guest** that sends each operation to
 * the host. When the host ends (SIGKILL included: the kernel releases LevelDB's lock with the process),
 * its guests see the socket close and elect a new host among themselves — whoever opens LevelDB first —
 * and retry what was in flight. Named locks (`lock`/`unlock`) span all processes of one store; a lock
 * held by a process that dies is released with its connection.
 *
 * The wire is newline-delimited JSON: {i, op, …} → {i, r} | {i, e: {message}}. Values are the store's
 * JSON values; keys are strings.
 */

export type Range = { gt?: string; gte?: string; lt?: string; lte?: string; limit?: number; reverse?: boolean };
/**
 * One write of a batch. A put carries its value, or — `json` — the value's JSON text already made (a worker
 * thread serialised it): the host stores those bytes as they are, with no parse and no stringify.
 */
export type WireOp =
  | { type: "put"; sub: string; key: string; value: unknown; json?: undefined }
  | { type: "put"; sub: string; key: string; value?: undefined; json: string | Uint8Array }
  | { type: "del"; sub: string; key: string };
type LevelSnapshot = ReturnType<Level<string, unknown>["snapshot"]>;
type LevelIterator = ReturnType<Level<string, unknown>["iterator"]>;
/** The part of a sublevel the host uses. */
interface JsonSublevel {
  get(key: string, options: { snapshot?: LevelSnapshot }): Promise<unknown>;
  getMany(keys: string[], options: { snapshot?: LevelSnapshot }): Promise<unknown[]>;
  iterator(options: Range & { snapshot?: LevelSnapshot }): LevelIterator;
  clear(): Promise<void>;
}

/** Thrown to the caller's retry loop when the host went away mid-operation. */
export class HostGone extends Error {
  constructor() {
    super("the store's host process went away");
  }
}

/**
 * The socket of a data dir's store: in the data dir (as private as the data); when that path is too long
 * for a socket, in a directory of this user's own under the temp dir ({@link checkSocketDir}).
 */
export function socketPathOf(dataDir: string): string {
  const inDir = join(resolve(dataDir), "store.sock");
  if (Buffer.byteLength(inDir) < 100) return inDir;
  const user = process.getuid?.() ?? "user";
  return join(tmpdir(), `debtrail-${user}`, `store-${createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 16)}.sock`);
}

/**
 * Whoever can connect to the socket reads and writes the whole store (personal data included): a socket
 * outside the data dir lives in a directory that must be this user's and closed to everyone else —
 * otherwise another local user could have put a socket of their own there for a guest to trust.
 */
export async function checkSocketDir(path: string, dataDir: string): Promise<void> {
  const dir = dirname(path);
  if (dir === resolve(dataDir)) return;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const s = await stat(dir);
  const uid = process.getuid?.();
  if ((uid !== undefined && s.uid !== uid) || (s.mode & 0o077) !== 0) {
    throw new UnavailableError(`the store's socket directory ${dir} must be owned by this user and closed to others (mode 700)`);
  }
}

/** Named locks, granted in request order. A token names one acquisition. */
export class Locks {
  private readonly names = new Map<string, { holder: string; waiters: Array<{ token: string; grant: () => void }> }>();
  private seq = 0;

  acquire(name: string): Promise<string> {
    const token = `${name}#${++this.seq}`;
    const entry = this.names.get(name);
    if (!entry) {
      this.names.set(name, { holder: token, waiters: [] });
      return Promise.resolve(token);
    }
    return new Promise((ok) => entry.waiters.push({ token, grant: () => ok(token) }));
  }

  release(token: string): void {
    const name = token.slice(0, token.lastIndexOf("#"));
    const entry = this.names.get(name);
    if (!entry) return;
    if (entry.holder !== token) {
      entry.waiters = entry.waiters.filter((w) => w.token !== token);
      return;
    }
    const next = entry.waiters.shift();
    if (!next) this.names.delete(name);
    else {
      entry.holder = next.token;
      next.grant();
    }
  }
}

/** The host's side: LevelDB itself, its sublevels per namespace, the locks. */
export class LocalDb {
  readonly locks = new Locks();
  private readonly subs = new Map<string, JsonSublevel>();

  constructor(readonly db: Level<string, unknown>) {}

  sublevel(ns: string, sub: string): JsonSublevel {
    const id = `${ns}\u0000${sub}`;
    let s = this.subs.get(id);
    if (!s) {
      s = this.db.sublevel<string, unknown>(ns, { valueEncoding: "json" }).sublevel<string, unknown>(sub, { valueEncoding: "json" }) as unknown as JsonSublevel;
      this.subs.set(id, s);
    }
    return s;
  }

  get(ns: string, sub: string, key: string, snapshot?: LevelSnapshot): Promise<unknown> {
    return this.sublevel(ns, sub).get(key, snapshot ? { snapshot } : {});
  }

  getMany(ns: string, sub: string, keys: string[], snapshot?: LevelSnapshot): Promise<unknown[]> {
    return this.sublevel(ns, sub).getMany(keys, snapshot ? { snapshot } : {});
  }

  batch(ns: string, ops: WireOp[], sync = true): Promise<void> {
    return this.db.batch(
      ops.map((op) => {
        const sublevel = this.sublevel(ns, op.sub) as never;
        if (op.type === "del") return { type: "del" as const, sublevel, key: op.key };
        if (op.json === undefined) return { type: "put" as const, sublevel, key: op.key, value: op.value };
        // Already JSON: stored as its bytes (the sublevel's json encoding reads them back as the value).
        return { type: "put" as const, sublevel, key: op.key, value: op.json as never, valueEncoding: typeof op.json === "string" ? "utf8" : "view" };
      }),
      { sync },
    );
  }

  iterator(ns: string, sub: string, range: Range, snapshot?: LevelSnapshot): LevelIterator {
    return this.sublevel(ns, sub).iterator({ ...range, ...(snapshot ? { snapshot } : {}) });
  }
}

/** Opens LevelDB at `dir`; undefined when another process holds it. */
export async function tryOpenLevel(dir: string): Promise<Level<string, unknown> | undefined> {
  const db = new Level<string, unknown>(dir, { valueEncoding: "json" });
  try {
    await db.open();
    return db;
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if ((e as { code?: string }).code === "LEVEL_DATABASE_NOT_OPEN" && cause?.code === "LEVEL_LOCKED") return undefined;
    throw e;
  }
}

/** Serves `local` to guests on `path` (a stale socket file of a dead host is replaced: LevelDB's lock proves it dead). */
export async function serve(local: LocalDb, path: string): Promise<Server> {
  await unlink(path).catch(() => undefined);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serveConnection(local, socket);
  });
  // Closing the host closes its guests' connections too (they elect the next host).
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => {
    close(cb);
    for (const socket of sockets) socket.destroy();
    return server;
  };
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(path, () => ok());
  });
  await chmod(path, 0o600); // the owner's processes only
  return server;
}

/** Calls `fn` with each message that arrives on `socket`: the protocol is one JSON object per line, both ways. */
function onJsonLines<M>(socket: Socket, fn: (m: M) => void): void {
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      fn(JSON.parse(line) as M);
    }
  });
}

function serveConnection(local: LocalDb, socket: Socket): void {
  const snaps = new Map<number, LevelSnapshot>();
  const iters = new Map<number, LevelIterator>();
  const tokens = new Set<string>();
  let nextId = 0;
  let closed = false;
  /** Keeps a snapshot or iterator the guest opened under a new id. */
  const open = <T>(handles: Map<number, T>, h: T): number => {
    const id = ++nextId;
    handles.set(id, h);
    return id;
  };
  /** Closes and forgets the guest's snapshot or iterator `id`. */
  const shut = async (handles: Map<number, { close(): Promise<void> }>, id: number): Promise<null> => {
    await handles.get(id)?.close();
    handles.delete(id);
    return null;
  };
  const reply = (msg: object) => {
    if (!closed) socket.write(`${JSON.stringify(msg)}\n`);
  };
  const handle = async (m: Record<string, any>): Promise<unknown> => {
    switch (m.op) {
      case "get":
        return local.get(m.ns, m.sub, m.key, m.snap ? live(snaps.get(m.snap)) : undefined);
      case "getMany":
        return local.getMany(m.ns, m.sub, m.keys, m.snap ? live(snaps.get(m.snap)) : undefined);
      case "batch":
        return local.batch(m.ns, m.ops, m.sync !== false);
      case "clear":
        return local.sublevel(m.ns, m.sub).clear();
      case "snap":
        return open(snaps, local.db.snapshot());
      case "snapClose":
        return shut(snaps, m.id);
      case "iter":
        return open(iters, local.iterator(m.ns, m.sub, m.range, m.snap ? live(snaps.get(m.snap)) : undefined));
      case "next": {
        const it = iters.get(m.id);
        if (!it) throw new Error("no such iterator");
        // nextv may answer fewer than asked (it stops at a byte budget): only an empty answer is the end.
        const entries: Array<[string, unknown]> = [];
        let ended = false;
        while (entries.length < m.n) {
          const got = await it.nextv(m.n - entries.length);
          if (got.length === 0) {
            ended = true;
            break;
          }
          entries.push(...(got as Array<[string, unknown]>));
        }
        if (ended) {
          iters.delete(m.id);
          await it.close();
        }
        return entries;
      }
      case "iterClose":
        return shut(iters, m.id);
      case "lock": {
        const token = await local.locks.acquire(m.name);
        if (closed) local.locks.release(token);
        else tokens.add(token);
        return token;
      }
      case "unlock":
        local.locks.release(m.token);
        tokens.delete(m.token);
        return null;
      default:
        throw new Error(`unknown op ${m.op}`);
    }
  };
  onJsonLines<Record<string, any>>(socket, (m) => {
    handle(m).then(
      (r) => reply(r === undefined ? { i: m.i } : { i: m.i, r }),
      (e) => reply({ i: m.i, e: { message: String((e as Error).message ?? e) } }),
    );
  });
  const cleanup = () => {
    if (closed) return;
    closed = true;
    for (const t of tokens) local.locks.release(t);
    for (const it of iters.values()) void it.close().catch(() => undefined);
    for (const s of snaps.values()) void s.close().catch(() => undefined);
  };
  socket.on("close", cleanup);
  socket.on("error", () => socket.destroy());
}

function live(snapshot: LevelSnapshot | undefined): LevelSnapshot {
  if (!snapshot) throw new Error("no such snapshot");
  return snapshot;
}

/** A guest's connection to the host. Every call of a closed connection rejects with {@link HostGone}. */
export class GuestConnection {
  private readonly pending = new Map<number, { ok: (r: unknown) => void; fail: (e: Error) => void }>();
  private seq = 0;
  private closed = false;

  private constructor(private readonly socket: Socket, onClose: () => void) {
    onJsonLines<{ i: number; r?: unknown; e?: { message: string } }>(socket, (m) => {
      const p = this.pending.get(m.i);
      this.pending.delete(m.i);
      if (m.e) p?.fail(new Error(m.e.message));
      else p?.ok(m.r);
    });
    socket.on("close", () => {
      this.closed = true;
      for (const p of this.pending.values()) p.fail(new HostGone());
      this.pending.clear();
      onClose();
    });
    socket.on("error", () => socket.destroy());
  }

  /** Connects to the host at `path`; undefined when nobody serves it (no host, or a stale socket file). */
  static connect(path: string, onClose: () => void): Promise<GuestConnection | undefined> {
    return new Promise((ok) => {
      const socket = createConnection(path);
      socket.once("connect", () => {
        socket.removeAllListeners("error");
        ok(new GuestConnection(socket, onClose));
      });
      socket.once("error", () => ok(undefined));
    });
  }

  call<T>(msg: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new HostGone());
    const i = ++this.seq;
    return new Promise<T>((ok, fail) => {
      this.pending.set(i, { ok: ok as (r: unknown) => void, fail });
      this.socket.write(`${JSON.stringify({ ...msg, i })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sleeps `ms` (the election's pause between tries). */
export const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export { UnavailableError };
