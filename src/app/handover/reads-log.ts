import { createHash } from "node:crypto";
import { TypedBatch, type Store } from "../../store/db.js";
import { openPersonalDataReads, type PersonalDataRead, type StoredPersonalDataRead } from "../../store/repos/handover-reads.js";
import { ValidationError } from "../../core/errors.js";

/**
 * The personal-data read log (PIPL: who read which debtor's data, and why). Every read an API answer
 * carries and every disclosure to another organisation is logged, its entry written durably before the
 * data leaves: an entry names the answer's set of claims (a set is stored once, indexed by claim: the same
 * page read again costs two keys, not one per claim), and entries arriving together share one synced batch
 * (group commit). Answers alike within a second share their first one's entry and count in it
 * (`ALIKE_WINDOW_MS`). The log's sublevels are not watched by the store's memo: logging a read does not
 * drop kept reads.
 */
export interface ReadsLogDeps {
  store: Store;
  clock: { now(): number };
}

/** Purposes a caller may state (header `X-Purpose`, or `purpose` where a route asks for it). */
export const PURPOSES = [
  "collection", "mediation", "litigation", "enforcement", "valuation", "customer-service", "complaint", "audit", "handover-review", "retention",
] as const;
export type Purpose = (typeof PURPOSES)[number];

export function parsePurpose(value: unknown, field: string): Purpose {
  if (typeof value !== "string" || !(PURPOSES as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${PURPOSES.join(", ")}`);
  }
  return value as Purpose;
}

export type NewRead = Omit<PersonalDataRead, "at">;
/** What the reads of one answer or disclosure share: who, why, how and to whom. */
export type ReadContext = Omit<PersonalDataRead, "at" | "claimId">;

/** The claims one answer or disclosure carried (lower case, sorted, each once) and the id the log stores them under. */
export interface ClaimSet {
  readonly id: string;
  readonly claimIds: readonly string[];
}

/** The claim set of `claimIds`: its id is a digest of the sorted claims, so the same claims give the same set. */
export function claimSet(claimIds: Iterable<string>): ClaimSet {
  const sorted = [...new Set([...claimIds].map((id) => id.toLowerCase()))].sort();
  return { id: createHash("sha256").update(sorted.join(",")).digest("hex").slice(0, 32), claimIds: sorted };
}

/** Claim sets this process has written: bounded; a set written again is the same key with the same claims. */
const KNOWN_SETS_MAX = 50_000;

/**
 * A stored entry as the reads it records, one per claim (`only`: of that claim alone, which the entry is known
 * to name), at most `max`. `count` (answers alike in the entry's window) is this process's live count while the
 * window is open here; a row of an entry still holding `until` carries `countFinal: false`.
 */
function readsOf(e: StoredPersonalDataRead, claimsOfSet: readonly string[] | undefined, only: string | undefined, max: number, liveCount?: number): PersonalDataRead[] {
  if ("claimId" in e) return only === undefined || e.claimId === only ? [e] : [];
  if ("set" in e) {
    const { set: _, count: stored = 1, until: _until, ...rest } = e;
    const row = e.until === undefined ? rest : { ...rest, countFinal: false as const };
    const reads = (only === undefined ? claimsOfSet ?? [] : [only]).map((claimId) => ({ ...row, claimId }));
    const count = liveCount ?? stored;
    if (count === 1 || reads.length === 0) return reads;
    return Array.from({ length: Math.min(count, Math.ceil(max / reads.length)) }, () => reads).flat();
  }
  const { claimIds, ...rest } = e;
  return (only === undefined ? claimIds : claimIds.filter((id) => id === only)).map((claimId) => ({ ...rest, claimId }));
}

/**
 * How long answers alike — the same caller, purpose, route, recipient and claims — share one entry. The first
 * answer's entry is on disk before it leaves (with `count` 1 and `until`, its window's end); the answers alike
 * after it in the window leave without a sync of their own, and their count is written when the window ends
 * (`until` then dropped). A crash inside a window leaves who, which claims, why, how and when on disk, and a
 * count that may be short by the answers alike of its last second or so (the window, and up to a quarter second
 * until a sweep writes its count): such an entry keeps `until`, and its rows say `countFinal: false`. A window
 * ends early when the clock is set back behind its start; a final count whose write failed is written again
 * at the next sweep, in a batch of its own (an opening that fails costs no other window its count). Without
 * windows a busy claim read waited for a sync per answer (bench:api, 2-core VM).
 */
export const ALIKE_WINDOW_MS = 1_000;

/** One window: the answers alike so far, and the count its entry holds on disk. */
interface Window {
  readonly alike: string;
  readonly at: string;
  readonly from: number;
  readonly until: number;
  readonly context: ReadContext;
  readonly set: ClaimSet;
  /** The entry's key once written. */
  key: string | null;
  count: number;
  /** Its entry is on disk: answers alike leave at once. */
  onDisk: boolean;
  /** Its entry could not be written: none of its answers left, nothing more is written of it. */
  failed: boolean;
  /** Opened after `close()`: one answer's entry, written final (no window to end later). */
  readonly single: boolean;
  /** Settles once the window's entry is on disk: no answer of the window leaves before. */
  readonly durable: Promise<void>;
  ok(): void;
  fail(e: unknown): void;
}

const alikeKeyOf = ({ who, purpose, action, via, recipient }: ReadContext, set: ClaimSet): string =>
  `${set.id}\u0000${who.keyId}\u0000${who.name}\u0000${who.role}\u0000${who.address ?? ""}\u0000${who.worksFor ?? ""}\u0000${purpose}\u0000${action}\u0000${via}\u0000${recipient ?? ""}`;

export function createReadsLog(deps: ReadsLogDeps) {
  const repos = openPersonalDataReads(deps.store);
  let seq = 0;
  /** Windows whose entry is still to be written, and ended windows whose final count is. */
  let opening: Window[] = [];
  let ending: Window[] = [];
  /** Open windows by what makes answers alike; by entry key once written (for the log's own listing). */
  const open = new Map<string, Window>();
  const byKey = new Map<string, Window>();
  let flushing: Promise<void> | null = null;
  let sweep: NodeJS.Timeout | null = null;
  const knownSets = new Set<string>();
  /** After close(): answers still in flight are logged one entry each, written final. */
  let closed = false;

  const entryOf = (w: Window, final: boolean): StoredPersonalDataRead =>
    ({ at: w.at, ...w.context, set: w.set.id, ...(w.count > 1 ? { count: w.count } : {}), ...(final ? {} : { until: new Date(w.until).toISOString() }) });

  /** Final counts whose write failed: tried again at the next sweep (the answers they count have left). */
  let retryEnding: Window[] = [];

  async function flush(): Promise<void> {
    while (opening.length > 0 || ending.length > 0) {
      const starting = opening;
      const ended = ending;
      opening = [];
      ending = [];
      if (starting.length > 0) await writeOpenings(starting);
      // Apart from the openings: a failed opening must not cost another window its count, nor the reverse.
      const finals = ended.filter((w) => !w.failed && w.key !== null);
      if (finals.length === 0) continue;
      const batch = new TypedBatch();
      for (const w of finals) batch.put(repos.entries, w.key!, entryOf(w, true));
      try {
        await batch.write(deps.store);
        for (const w of finals) if (byKey.get(w.key!) === w) byKey.delete(w.key!);
      } catch {
        retryEnding.push(...finals);
        if (!closed) keepSweeping();
      }
    }
  }

  /** Writes the entries of new windows (one synced batch); their answers leave once it is on disk. */
  async function writeOpenings(starting: Window[]): Promise<void> {
    const batch = new TypedBatch();
    const newSets = new Set<string>();
    for (const w of starting) {
      w.key = `${w.at}!${String(++seq).padStart(9, "0")}`;
      batch.put(repos.entries, w.key, entryOf(w, w.single));
      batch.put(repos.entriesBySet, `${w.set.id}!${w.key}`, w.key);
      if (knownSets.has(w.set.id) || newSets.has(w.set.id)) continue;
      // A set is written with the first entry naming it, in the same batch: never an entry without its claims.
      newSets.add(w.set.id);
      batch.put(repos.sets, w.set.id, [...w.set.claimIds]);
      for (const claimId of w.set.claimIds) batch.put(repos.setsByClaim, `${claimId}!${w.set.id}`, w.set.id);
    }
    try {
      await batch.write(deps.store);
      if (knownSets.size + newSets.size > KNOWN_SETS_MAX) knownSets.clear();
      for (const id of newSets) knownSets.add(id);
      for (const w of starting) {
        if (!w.single) byKey.set(w.key!, w);
        w.onDisk = true;
        w.ok();
      }
    } catch (e) {
      // No answer of a window whose entry failed leaves; the next answer alike opens a window of its own.
      for (const w of starting) {
        w.failed = true;
        if (open.get(w.alike) === w) open.delete(w.alike);
        w.fail(e);
      }
    }
  }

  /**
   * One flush at a time; entries that arrive while it runs are taken by the next, which starts the moment it
   * ends. A flush starts once the code that handed in an entry has run to its end (a microtask): entries handed
   * in together share it, and its sync runs beside the event loop's work on the requests that come next.
   */
  function kick(): void {
    if (flushing) return;
    flushing = Promise.resolve().then(flush).finally(() => {
      flushing = null;
      if (opening.length > 0 || ending.length > 0) kick();
    });
  }

  /**
   * Ends the windows whose time is up (all of them with `all`), and those the clock went back behind (a window
   * is a second of this clock; set back, it must not stay open): their final counts go in the next flush, with
   * the ones that failed before.
   */
  function endWindows(now: number, all = false): void {
    if (retryEnding.length > 0) {
      ending.push(...retryEnding);
      retryEnding = [];
    }
    for (const [alike, w] of open) {
      if (!all && now < w.until && now >= w.from) continue;
      // One not yet written ends in the flush that writes it, or the one after (its final count over its first).
      open.delete(alike);
      ending.push(w);
    }
    if (ending.length > 0) kick();
    if (open.size === 0 && ending.length === 0 && sweep) {
      clearInterval(sweep);
      sweep = null;
    }
  }

  async function settled(): Promise<void> {
    while (flushing) await flushing.catch(() => undefined);
  }

  function recordSet(context: ReadContext, set: ClaimSet): Promise<void> | null {
    if (set.claimIds.length === 0) return null;
    const now = deps.clock.now();
    const alike = alikeKeyOf(context, set);
    const current = closed ? undefined : open.get(alike);
    if (current && now < current.until && now >= current.from) {
      current.count++;
      // Already on disk: nothing to wait for, not even a microtask (the answer is sent in the same call).
      return current.onDisk ? null : current.durable;
    }
    if (current) endWindows(now);
    let ok!: () => void;
    let fail!: (e: unknown) => void;
    const durable = new Promise<void>((resolve, reject) => ((ok = resolve), (fail = reject)));
    const w: Window = { alike, at: new Date(now).toISOString(), from: now, until: now + ALIKE_WINDOW_MS, context, set, key: null, count: 1, onDisk: false, failed: false, single: closed, durable, ok, fail };
    opening.push(w);
    kick();
    if (closed) return durable;
    open.set(alike, w);
    keepSweeping();
    return durable;
  }

  /** Sweeps while a window is open or a count is to be written: every quarter window, so a count is written within a quarter second of its window's end. */
  function keepSweeping(): void {
    if (sweep) return;
    sweep = setInterval(() => endWindows(deps.clock.now()), ALIKE_WINDOW_MS / 4);
    sweep.unref();
  }

  return {
    /**
     * Logs that the claims of `set` were read (or disclosed) by one answer: a promise that resolves once its
     * entry is on disk, or null when it already is (an answer alike in an open window, or no claims). An
     * answer kept and sent again passes the same set: nothing is worked out per answer.
     */
    recordSet,

    /** Resolves once every entry handed in so far is on disk (or failed). */
    settled,

    /**
     * Ends every open window (their final counts written, a failed one tried once more) and resolves once all
     * is on disk: before the store closes. Answers still in flight after it are logged one entry each, final.
     * A count that could not be written stays as its entry holds it (`countFinal: false`).
     */
    async close(): Promise<void> {
      closed = true;
      for (let attempt = 0; attempt < 2; attempt++) {
        endWindows(deps.clock.now(), true);
        await settled();
      }
      retryEnding = [];
      byKey.clear();
      if (sweep) clearInterval(sweep);
      sweep = null;
    },

    /** Logs reads (one stored entry per who, why, how and recipient among them); resolves once they are on disk. */
    record(entries: NewRead[]): Promise<void> {
      const groups = new Map<string, { context: ReadContext; claimIds: string[] }>();
      for (const { claimId, ...context } of entries) {
        const k = JSON.stringify([context.who, context.purpose, context.action, context.via, context.recipient ?? null]);
        let g = groups.get(k);
        if (!g) groups.set(k, (g = { context, claimIds: [] }));
        g.claimIds.push(claimId);
      }
      return Promise.all([...groups.values()].map((g) => recordSet(g.context, claimSet(g.claimIds)))).then(() => undefined);
    },

    /** Reads, newest first, one per claim: of one claim, or all; at most `limit`. */
    async list(opts: { claimId?: string; limit: number }): Promise<PersonalDataRead[]> {
      const out: PersonalDataRead[] = [];
      if (opts.claimId) {
        const id = opts.claimId.toLowerCase();
        const range = (prefix: string) => ({ gt: `${prefix}!`, lt: `${prefix}!~` });
        // Entry keys (`${at}!${seq}`) sort by time: the newest `limit` of each source, merged.
        const keys = new Set<string>();
        for await (const key of repos.byClaim.values({ ...range(id), reverse: true, limit: opts.limit })) keys.add(key);
        for await (const setId of repos.setsByClaim.values(range(id))) {
          for await (const key of repos.entriesBySet.values({ ...range(setId), reverse: true, limit: opts.limit })) keys.add(key);
        }
        const newest = [...keys].sort().reverse().slice(0, opts.limit);
        const entries = await repos.entries.getMany(newest);
        for (let i = 0; i < newest.length && out.length < opts.limit; i++) {
          const e = entries[i];
          if (e) out.push(...readsOf(e, undefined, id, opts.limit - out.length, byKey.get(newest[i])?.count));
        }
        return out.slice(0, opts.limit);
      }
      const sets = new Map<string, readonly string[]>();
      for await (const [key, e] of repos.entries.iterator({ reverse: true })) {
        if ("set" in e && !sets.has(e.set)) sets.set(e.set, (await repos.sets.get(e.set)) ?? []);
        out.push(...readsOf(e, "set" in e ? sets.get(e.set) : undefined, undefined, opts.limit - out.length, byKey.get(key)?.count));
        if (out.length >= opts.limit) break;
      }
      return out.slice(0, opts.limit);
    },
  };
}

export type ReadsLog = ReturnType<typeof createReadsLog>;
