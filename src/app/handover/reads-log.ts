import { createHash } from "node:crypto";
import { TypedBatch, type Store } from "../../store/db.js";
import { openPersonalDataReads, type PersonalDataRead, type StoredPersonalDataRead } from "../../store/repos/handover-reads.js";
import { ValidationError } from "../../core/errors.js";

/**
 * The personal-data read log (PIPL: who read which debtor's data, and why). Every read an API answer
 * carries and every disclosure to another organisation is logged, written durably before the data
 * leaves: one entry per answer naming its set of claims (a set is stored once, indexed by claim: the
 * same page read again costs two keys, not one per claim), and entries arriving together share one
 * synced batch (group commit), so a busy read route pays one fsync per batch, not per read. The log's sublevels are not watched by the store's memo: logging a
 * read does not drop kept reads.
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

/** A stored entry as the reads it records, one per claim (`only`: of that claim alone, which the entry is known to name). */
function readsOf(e: StoredPersonalDataRead, claimsOfSet: readonly string[] | undefined, only?: string): PersonalDataRead[] {
  if ("claimId" in e) return only === undefined || e.claimId === only ? [e] : [];
  if ("set" in e) {
    const { set: _, count = 1, ...rest } = e;
    const reads = (only === undefined ? claimsOfSet ?? [] : [only]).map((claimId) => ({ ...rest, claimId }));
    return count === 1 ? reads : Array.from({ length: count }, () => reads).flat();
  }
  const { claimIds, ...rest } = e;
  return (only === undefined ? claimIds : claimIds.filter((id) => id === only)).map((claimId) => ({ ...rest, claimId }));
}

export function createReadsLog(deps: ReadsLogDeps) {
  const repos = openPersonalDataReads(deps.store);
  let seq = 0;
  let waiting: Array<{ at: string; context: ReadContext; set: ClaimSet; ok: () => void; fail: (e: unknown) => void }> = [];
  let flushing: Promise<void> | null = null;
  const knownSets = new Set<string>();
  let lastAt = { ms: NaN, text: "" };

  async function flush(): Promise<void> {
    while (waiting.length > 0) {
      const now = waiting;
      waiting = [];
      const batch = new TypedBatch();
      const newSets = new Set<string>();
      // Answers alike (the same caller, purpose, route and claims) in one write are one entry with their count:
      // a page read by many at once is not written many times over.
      const alike = new Map<string, { at: string; context: ReadContext; set: ClaimSet; count: number }>();
      for (const w of now) {
        const { who, purpose, action, via, recipient } = w.context;
        const k = `${w.set.id}\u0000${who.keyId}\u0000${who.name}\u0000${who.role}\u0000${who.address ?? ""}\u0000${who.worksFor ?? ""}\u0000${purpose}\u0000${action}\u0000${via}\u0000${recipient ?? ""}`;
        const a = alike.get(k);
        if (a) a.count++;
        else alike.set(k, { at: w.at, context: w.context, set: w.set, count: 1 });
      }
      for (const { at, context, set, count } of alike.values()) {
        const key = `${at}!${String(++seq).padStart(9, "0")}`;
        batch.put(repos.entries, key, { at, ...context, set: set.id, ...(count > 1 ? { count } : {}) });
        batch.put(repos.entriesBySet, `${set.id}!${key}`, key);
        if (knownSets.has(set.id) || newSets.has(set.id)) continue;
        // A set is written with the first entry naming it, in the same batch: never an entry without its claims.
        newSets.add(set.id);
        batch.put(repos.sets, set.id, [...set.claimIds]);
        for (const claimId of set.claimIds) batch.put(repos.setsByClaim, `${claimId}!${set.id}`, set.id);
      }
      try {
        await batch.write(deps.store);
        if (knownSets.size + newSets.size > KNOWN_SETS_MAX) knownSets.clear();
        for (const id of newSets) knownSets.add(id);
        for (const w of now) w.ok();
      } catch (e) {
        for (const w of now) w.fail(e);
      }
    }
  }

  /**
   * One flush at a time; entries that arrive while it runs are taken by the next, which starts the moment it
   * ends. A flush starts once the code that handed in an entry has run to its end (a microtask): entries handed
   * in together share it, and its sync runs beside the event loop's work on the requests that come next. Waiting
   * for the loop's turn to end instead (setImmediate) made every busy turn's answers wait for its work and then a
   * sync with nothing beside it: the claim read under 20 connections was idle a third of its time (bench:api).
   */
  function kick(): void {
    if (flushing) return;
    flushing = Promise.resolve().then(flush).finally(() => {
      flushing = null;
      if (waiting.length > 0) kick();
    });
  }

  function recordSet(context: ReadContext, set: ClaimSet): Promise<void> {
    if (set.claimIds.length === 0) return Promise.resolve();
    const now = deps.clock.now();
    // Answers of the same millisecond share its text (a busy read route logs thousands a second).
    if (now !== lastAt.ms) lastAt = { ms: now, text: new Date(now).toISOString() };
    let ok!: () => void;
    let fail!: (e: unknown) => void;
    const promise = new Promise<void>((resolve, reject) => ((ok = resolve), (fail = reject)));
    waiting.push({ at: lastAt.text, context, set, ok, fail });
    kick();
    return promise;
  }

  return {
    /**
     * Logs that the claims of `set` were read (or disclosed) by one answer; resolves once the entry is on
     * disk. An answer kept and sent again passes the same set: nothing is worked out per answer.
     */
    recordSet,

    /** Resolves once every entry handed in so far is on disk (or failed). */
    async settled(): Promise<void> {
      while (flushing) await flushing.catch(() => undefined);
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
        for (const e of await repos.entries.getMany(newest)) if (e) out.push(...readsOf(e, undefined, id));
        return out.slice(0, opts.limit);
      }
      const sets = new Map<string, readonly string[]>();
      for await (const e of repos.entries.values({ reverse: true })) {
        if ("set" in e && !sets.has(e.set)) sets.set(e.set, (await repos.sets.get(e.set)) ?? []);
        out.push(...readsOf(e, "set" in e ? sets.get(e.set) : undefined));
        if (out.length >= opts.limit) break;
      }
      return out.slice(0, opts.limit);
    },
  };
}

export type ReadsLog = ReturnType<typeof createReadsLog>;
