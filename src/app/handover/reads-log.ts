import { TypedBatch, type Store } from "../../store/db.js";
import { openPersonalDataReads, type PersonalDataRead, type StoredPersonalDataRead } from "../../store/repos/handover-reads.js";
import { ValidationError } from "../../core/errors.js";

/**
 * The personal-data read log (PIPL: who read which debtor's data, and why). Every read an API answer
 * carries and every disclosure to another organisation is logged, written durably before the data
 * leaves: one entry per answer naming its claims (indexed by claim), and entries arriving together share
 * one synced batch (group commit), so a busy read route pays one fsync per batch, not per read. The log's sublevels are not watched by the store's memo: logging a
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

/** A stored entry as the reads it records, one per claim (`only`: of that claim alone). */
function readsOf(e: StoredPersonalDataRead, only?: string): PersonalDataRead[] {
  if ("claimId" in e) return only === undefined || e.claimId === only ? [e] : [];
  const { claimIds, ...rest } = e;
  return (only === undefined ? claimIds : claimIds.filter((id) => id === only)).map((claimId) => ({ ...rest, claimId }));
}

export function createReadsLog(deps: ReadsLogDeps) {
  const repos = openPersonalDataReads(deps.store);
  let seq = 0;
  let waiting: Array<{ entry: StoredPersonalDataRead & { claimIds: string[] }; done: (e?: unknown) => void }> = [];
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    while (waiting.length > 0) {
      const now = waiting;
      waiting = [];
      const batch = new TypedBatch();
      for (const { entry } of now) {
        const key = `${entry.at}!${String(++seq).padStart(9, "0")}`;
        batch.put(repos.entries, key, entry);
        for (const claimId of entry.claimIds) batch.put(repos.byClaim, `${claimId}!${key}`, key);
      }
      try {
        await batch.write(deps.store);
        for (const w of now) w.done();
      } catch (e) {
        for (const w of now) w.done(e);
      }
    }
  }

  /** One flush at a time; entries that arrive while it ends are taken by the next. */
  function kick(): void {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = null;
      if (waiting.length > 0) kick();
    });
  }

  return {
    /** Logs reads (one stored entry per who, why, how and recipient among them); resolves once they are on disk. */
    record(entries: NewRead[]): Promise<void> {
      if (entries.length === 0) return Promise.resolve();
      const at = new Date(deps.clock.now()).toISOString();
      const groups = new Map<string, StoredPersonalDataRead & { claimIds: string[] }>();
      let last: NewRead | undefined;
      let g: (StoredPersonalDataRead & { claimIds: string[] }) | undefined;
      for (const e of entries) {
        // An answer's reads share who, why and how (the same objects): compared before a group key is made.
        if (!last || e.who !== last.who || e.purpose !== last.purpose || e.action !== last.action || e.via !== last.via || e.recipient !== last.recipient) {
          const { claimId: _, ...rest } = e;
          const k = JSON.stringify([rest.who, rest.purpose, rest.action, rest.via, rest.recipient ?? null]);
          g = groups.get(k);
          if (!g) groups.set(k, (g = { at, ...rest, claimIds: [] }));
          last = e;
        }
        g!.claimIds.push(e.claimId.toLowerCase());
      }
      const all = [...groups.values()].map((entry) => new Promise<void>((ok, fail) => {
        waiting.push({ entry, done: (err) => (err ? fail(err) : ok()) });
      }));
      kick();
      return Promise.all(all).then(() => undefined);
    },

    /** Reads, newest first, one per claim: of one claim, or all; at most `limit`. */
    async list(opts: { claimId?: string; limit: number }): Promise<PersonalDataRead[]> {
      const out: PersonalDataRead[] = [];
      if (opts.claimId) {
        const id = opts.claimId.toLowerCase();
        for await (const key of repos.byClaim.values({ gt: `${id}!`, lt: `${id}!~`, reverse: true, limit: opts.limit })) {
          const e = await repos.entries.get(key);
          if (e) out.push(...readsOf(e, id));
        }
        return out.slice(0, opts.limit);
      }
      for await (const e of repos.entries.values({ reverse: true })) {
        out.push(...readsOf(e));
        if (out.length >= opts.limit) break;
      }
      return out.slice(0, opts.limit);
    },
  };
}

export type ReadsLog = ReturnType<typeof createReadsLog>;
